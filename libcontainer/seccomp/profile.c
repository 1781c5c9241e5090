/* Whole-profile operations on struct spec_seccomp: the canonical bytes behind the
 * profile digest and the cache key, the OCI JSON form (`strait seccomp default`,
 * tooling), and freeing profiles this module allocates. Parsing config.json is
 * spec.c's; compiling is compile.c's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "tables.h"
#include "seccomp/internal.h"

/* The canonical bytes are built on every start with a profile (they are the cache key
 * and the digest), so they go straight into a growable buffer: no stdio, no printf. */
struct canon {
	char *buf;
	size_t len, cap;
	bool oom;
};

/* Room for n more bytes at c->buf + c->len, or NULL (out of memory, remembered). */
static char *
canon_reserve(struct canon *c, size_t n)
{
	if (c->oom)
		return NULL;
	if (c->len + n > c->cap) {
		size_t cap = c->cap ? c->cap : 8192;
		while (cap < c->len + n)
			cap *= 2;
		char *b = realloc(c->buf, cap);
		if (!b) {
			c->oom = true;
			return NULL;
		}
		c->buf = b;
		c->cap = cap;
	}
	return c->buf + c->len;
}

/* n in decimal at w; returns the end */
static char *
put_num(char *w, unsigned long long n)
{
	char buf[24], *p = buf + sizeof(buf);
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10));
	memcpy(w, p, buf + sizeof(buf) - p);
	return w + (buf + sizeof(buf) - p);
}

static void
canon_lit(struct canon *c, const char *s)
{
	size_t n = strlen(s);
	char *w = canon_reserve(c, n);
	if (w) {
		memcpy(w, s, n);
		c->len += n;
	}
}

static void
canon_num(struct canon *c, unsigned long long n)
{
	char *w = canon_reserve(c, 24);
	if (w)
		c->len = put_num(w, n) - c->buf;
}

/* "tag <len>:<s>\n" or "tag -\n": length-prefixed, so no content can be mistaken for
 * structure. One reservation per string: this runs for every syscall name. */
static void
canon_str(struct canon *c, const char *tag, const char *s)
{
	size_t tl = strlen(tag), len = s ? strlen(s) : 0;
	char *w = canon_reserve(c, tl + len + 32);

	if (!w)
		return;
	memcpy(w, tag, tl), w += tl;
	if (!s) {
		memcpy(w, " -\n", 3), w += 3;
	} else {
		*w++ = ' ';
		w = put_num(w, len);
		*w++ = ':';
		memcpy(w, s, len), w += len;
		*w++ = '\n';
	}
	c->len = w - c->buf;
}

static void
canon_strv(struct canon *c, const char *tag, char *const *v, size_t n)
{
	canon_lit(c, tag);
	canon_lit(c, " ");
	canon_num(c, n);
	canon_lit(c, "\n");
	for (size_t i = 0; i < n; i++)
		canon_str(c, "s", v[i]);
}

/* "<what> <ACTION> errno <n>\n", or "errno -0" when there is no errnoRet */
static void
canon_action(struct canon *c, const char *what, enum seccomp_action a, bool has, unsigned e)
{
	canon_lit(c, what);
	canon_lit(c, table_seccomp_action_name(a));
	canon_lit(c, has ? " errno " : " errno -");
	canon_num(c, has ? e : 0);
	canon_lit(c, "\n");
}

int
seccomp_canonical(const struct spec_seccomp *s, char **ret, size_t *ret_len)
{
	struct canon c = { 0 };

	/* Action and operator names (not enum values) keep the digest stable across
	 * builds; SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD are one action and hash alike. */
	canon_lit(&c, "strait-seccomp-profile-v1\n");
	canon_action(&c, "default ", s->default_action, s->has_default_errno_ret,
		     s->default_errno_ret);
	canon_strv(&c, "architectures", s->architectures, s->n_architectures);
	canon_strv(&c, "flags", s->flags, s->n_flags);
	canon_str(&c, "listenerPath", s->listener_path);
	canon_str(&c, "listenerMetadata", s->listener_metadata);
	canon_lit(&c, "syscalls ");
	canon_num(&c, s->n_rules);
	canon_lit(&c, "\n");
	for (size_t i = 0; i < s->n_rules; i++) {
		const struct spec_seccomp_rule *r = &s->rules[i];

		canon_action(&c, "rule ", r->action, r->has_errno_ret, r->errno_ret);
		canon_strv(&c, "names", r->names, r->n_names);
		canon_lit(&c, "args ");
		canon_num(&c, r->n_args);
		canon_lit(&c, "\n");
		for (size_t k = 0; k < r->n_args; k++) {
			canon_lit(&c, "arg ");
			canon_num(&c, r->args[k].index);
			canon_lit(&c, " ");
			canon_lit(&c, table_seccomp_op_name(r->args[k].op));
			canon_lit(&c, " ");
			canon_num(&c, r->args[k].value);
			canon_lit(&c, " ");
			canon_num(&c, r->args[k].value_two);
			canon_lit(&c, "\n");
		}
	}
	if (c.oom) {
		free(c.buf);
		return -ENOMEM;
	}
	*ret = c.buf;
	*ret_len = c.len;
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
	if (s->provenance) {
		struct json_val *pv = NULL;
		char jerr[64];
		if (json_parse(s->provenance, strlen(s->provenance), &pv, jerr, sizeof(jerr)) == 0) {
			json_gen_key(g, "straitProvenance");
			json_gen_value(g, pv);
			json_free(pv);
		}
	}
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
	free(s->provenance);
	for (size_t i = 0; i < s->n_rules; i++) {
		strv_freep(&s->rules[i].names);
		free(s->rules[i].args);
	}
	free(s->rules);
	free(s);
}
