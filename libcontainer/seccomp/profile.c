/* Whole-profile operations on struct spec_seccomp: the canonical bytes behind the
 * profile digest and the cache key, the OCI JSON form (`strait seccomp default`,
 * tooling), and freeing profiles this module allocates. Parsing config.json is
 * spec.c's; compiling is compile.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "tables.h"
#include "seccomp/internal.h"

/* Writes n in decimal. This runs for every syscall name of a profile on each start
 * (the digest is the cache key), so it avoids printf's format parsing. */
static void
canon_num(FILE *f, size_t n)
{
	char buf[24], *p = buf + sizeof(buf);
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10));
	fwrite_unlocked(p, 1, buf + sizeof(buf) - p, f);
}

/* "tag <len>:<s>\n" or "tag -\n": length-prefixed, so no content can be mistaken for
 * structure. */
static void
canon_str(FILE *f, const char *tag, const char *s)
{
	fputs_unlocked(tag, f);
	if (!s) {
		fputs_unlocked(" -\n", f);
		return;
	}
	size_t len = strlen(s);
	fputc_unlocked(' ', f);
	canon_num(f, len);
	fputc_unlocked(':', f);
	fwrite_unlocked(s, 1, len, f);
	fputc_unlocked('\n', f);
}

static void
canon_strv(FILE *f, const char *tag, char *const *v, size_t n)
{
	fputs_unlocked(tag, f);
	fputc_unlocked(' ', f);
	canon_num(f, n);
	fputc_unlocked('\n', f);
	for (size_t i = 0; i < n; i++)
		canon_str(f, "s", v[i]);
}

int
seccomp_canonical(const struct spec_seccomp *s, char **ret, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -errno;
	/* Action and operator names (not enum values) keep the digest stable across
	 * builds; SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD are one action and hash alike. */
	fprintf(f, "strait-seccomp-profile-v1\n");
	fprintf(f, "default %s errno %s%u\n", table_seccomp_action_name(s->default_action),
		s->has_default_errno_ret ? "" : "-", s->has_default_errno_ret ? s->default_errno_ret : 0);
	canon_strv(f, "architectures", s->architectures, s->n_architectures);
	canon_strv(f, "flags", s->flags, s->n_flags);
	canon_str(f, "listenerPath", s->listener_path);
	canon_str(f, "listenerMetadata", s->listener_metadata);
	fprintf(f, "syscalls %zu\n", s->n_rules);
	for (size_t i = 0; i < s->n_rules; i++) {
		const struct spec_seccomp_rule *r = &s->rules[i];

		fprintf(f, "rule %s errno %s%u\n", table_seccomp_action_name(r->action),
			r->has_errno_ret ? "" : "-", r->has_errno_ret ? r->errno_ret : 0);
		canon_strv(f, "names", r->names, r->n_names);
		fprintf(f, "args %zu\n", r->n_args);
		for (size_t k = 0; k < r->n_args; k++)
			fprintf(f, "arg %u %s %llu %llu\n", r->args[k].index,
				table_seccomp_op_name(r->args[k].op),
				(unsigned long long)r->args[k].value,
				(unsigned long long)r->args[k].value_two);
	}
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static void
gen_strv(struct json_gen *g, const char *key, char *const *v, size_t n)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (size_t i = 0; i < n; i++)
		json_gen_string(g, v[i]);
	json_gen_arr_close(g);
}

static void
gen_rule(struct json_gen *g, const struct spec_seccomp_rule *r)
{
	json_gen_obj_open(g);
	gen_strv(g, "names", r->names, r->n_names);
	json_gen_key(g, "action");
	json_gen_string(g, table_seccomp_action_name(r->action));
	if (r->has_errno_ret) {
		json_gen_key(g, "errnoRet");
		json_gen_uint(g, r->errno_ret);
	}
	if (r->n_args) {
		json_gen_key(g, "args");
		json_gen_arr_open(g);
		for (size_t k = 0; k < r->n_args; k++) {
			json_gen_obj_open(g);
			json_gen_key(g, "index");
			json_gen_uint(g, r->args[k].index);
			json_gen_key(g, "value");
			json_gen_uint(g, r->args[k].value);
			json_gen_key(g, "valueTwo");
			json_gen_uint(g, r->args[k].value_two);
			json_gen_key(g, "op");
			json_gen_string(g, table_seccomp_op_name(r->args[k].op));
			json_gen_obj_close(g);
		}
		json_gen_arr_close(g);
	}
	json_gen_obj_close(g);
}

int
seccomp_spec_to_json(const struct spec_seccomp *s, bool pretty, char **ret_json)
{
	struct json_gen *g = json_gen_new(pretty);
	int r;

	if (!g)
		return -ENOMEM;
	json_gen_obj_open(g);
	json_gen_key(g, "defaultAction");
	json_gen_string(g, table_seccomp_action_name(s->default_action));
	if (s->has_default_errno_ret) {
		json_gen_key(g, "defaultErrnoRet");
		json_gen_uint(g, s->default_errno_ret);
	}
	if (s->n_architectures)
		gen_strv(g, "architectures", s->architectures, s->n_architectures);
	if (s->n_flags)
		gen_strv(g, "flags", s->flags, s->n_flags);
	if (s->listener_path) {
		json_gen_key(g, "listenerPath");
		json_gen_string(g, s->listener_path);
	}
	if (s->listener_metadata) {
		json_gen_key(g, "listenerMetadata");
		json_gen_string(g, s->listener_metadata);
	}
	json_gen_key(g, "syscalls");
	json_gen_arr_open(g);
	for (size_t i = 0; i < s->n_rules; i++)
		gen_rule(g, &s->rules[i]);
	json_gen_arr_close(g);
	json_gen_obj_close(g);
	r = json_gen_finish(g, ret_json, NULL);
	json_gen_free(g);
	return r;
}

void
seccomp_spec_free(struct spec_seccomp *s)
{
	if (!s)
		return;
	strv_freep(&s->architectures);
	strv_freep(&s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; i < s->n_rules; i++) {
		strv_freep(&s->rules[i].names);
		free(s->rules[i].args);
	}
	free(s->rules);
	free(s);
}
