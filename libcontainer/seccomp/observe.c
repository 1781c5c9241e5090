/* Observe mode, the profile side: derives the permissive logging twin of a base profile
 * (it notifies where the base would not allow, and blocks nothing), and loads a saved
 * base profile for judging notifications. Recording is evidence.c; the agent that
 * serves many containers is recorder.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "error.h"
#include "json.h"
#include "spec.h"
#include "seccomp/observe.h"
#include "seccomp/internal.h"

/* execve and execveat always notify in the twin: see observe.h. */
static const char *const exec_names[] = { "execve", "execveat" };

static bool
is_exec_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(exec_names); i++)
		if (strcmp(name, exec_names[i]) == 0)
			return true;
	return false;
}

/* A NULL-terminated copy of v (n entries) without the entries skip() rejects. */
int
strv_copy_filtered(char *const *v, size_t n, bool (*skip)(const char *), char ***ret, size_t *ret_n)
{
	_cleanup_strv_ char **c = calloc(n + 1, sizeof(char *));
	size_t k = 0;

	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < n && v && v[i]; i++) {
		if (skip && skip(v[i]))
			continue;
		if (!(c[k++] = strdup(v[i])))
			return -ENOMEM;
	}
	*ret = TAKE_PTR(c);
	*ret_n = k;
	return 0;
}

bool
is_log_flag(const char *flag)
{
	/* the twin's NOTIFY replaces what the LOG flag would write to the audit log */
	return strcmp(flag, "SECCOMP_FILTER_FLAG_LOG") == 0;
}

int
twin_add_rule(struct spec_seccomp *t, const struct spec_seccomp_rule *r, enum seccomp_action a,
	      bool (*skip)(const char *))
{
	struct spec_seccomp_rule *n = &t->rules[t->n_rules];
	int q;

	*n = (struct spec_seccomp_rule){ .action = a };
	q = strv_copy_filtered(r->names, r->n_names, skip, &n->names, &n->n_names);
	if (q < 0)
		return q;
	if (n->n_names == 0) {
		strv_freep(&n->names);
		return 0;
	}
	if (r->n_args) {
		n->args = calloc(r->n_args, sizeof(*n->args));
		if (!n->args) {
			strv_freep(&n->names);
			return -ENOMEM;
		}
		memcpy(n->args, r->args, r->n_args * sizeof(*n->args));
		n->n_args = r->n_args;
	}
	t->n_rules++;
	return 0;
}

static int
twin_add_exec_rule(struct spec_seccomp *t)
{
	struct spec_seccomp_rule *n = &t->rules[t->n_rules];

	*n = (struct spec_seccomp_rule){ .action = SCMP_ACT_NOTIFY_ };
	n->names = calloc(ARRAY_SIZE(exec_names) + 1, sizeof(char *));
	if (!n->names)
		return -ENOMEM;
	t->n_rules++;
	for (size_t i = 0; i < ARRAY_SIZE(exec_names); i++) {
		if (!(n->names[i] = strdup(exec_names[i])))
			return -ENOMEM;
		n->n_names++;
	}
	return 0;
}

int
twin_start(const struct spec_seccomp *base, struct spec_seccomp *t, bool (*skip_flag)(const char *),
	   size_t extra_rules)
{
	if (base->architectures &&
	    strv_copy_filtered(base->architectures, base->n_architectures, NULL, &t->architectures,
			       &t->n_architectures) < 0)
		return -ENOMEM;
	if (base->flags &&
	    strv_copy_filtered(base->flags, base->n_flags, skip_flag, &t->flags, &t->n_flags) < 0)
		return -ENOMEM;
	t->rules = calloc(base->n_rules + extra_rules, sizeof(*t->rules));
	return t->rules ? 0 : -ENOMEM;
}

static int
twin_build(const struct spec_seccomp *base, struct spec_seccomp *t)
{
	bool allow_default = base->default_action == SCMP_ACT_ALLOW_;

	t->present = true;
	t->default_action = allow_default ? SCMP_ACT_ALLOW_ : SCMP_ACT_NOTIFY_;
	if (twin_start(base, t, is_log_flag, 1) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < base->n_rules; i++) {
		const struct spec_seccomp_rule *r = &base->rules[i];
		int q = 0;

		if (r->action == SCMP_ACT_ALLOW_)
			q = twin_add_rule(t, r, SCMP_ACT_ALLOW_, is_exec_name);
		else if (allow_default)
			q = twin_add_rule(t, r, SCMP_ACT_NOTIFY_, is_exec_name);
		if (q < 0)
			return q;
	}
	return twin_add_exec_rule(t);
}

/* The twin, built in the runtime process before clone (or by tests). With a base whose
 * default is not ALLOW, the twin's default NOTIFY covers every rule that is not ALLOW;
 * with a default-ALLOW base, a NOTIFY default would make every allowed syscall pay a
 * round trip, so the twin keeps the ALLOW default and turns each non-ALLOW rule into a
 * NOTIFY rule with the same argument conditions. Either way the twin notifies on a
 * superset of what the base stops, and the judge (seccomp_prog_eval on the base) says
 * exactly what the base would have done. listenerPath/listenerMetadata are not copied:
 * the caller points them at the recorder. */
int
seccomp_observe_twin(const struct spec_seccomp *base, struct spec_seccomp **ret, struct lc_err *err)
{
	_cleanup_(spec_seccomp_freep) struct spec_seccomp *t = NULL;

	if (!base || !base->present)
		return lc_err_setx(err, EINVAL, "seccomp log mode: no base profile to derive from");
	t = calloc(1, sizeof(*t));
	if (!t || twin_build(base, t) < 0)
		return lc_err_set(err, ENOMEM, "seccomp log mode: deriving the logging twin");
	*ret = TAKE_PTR(t);
	return 0;
}

int
observe_read_file(const char *path, size_t max, char **ret, size_t *ret_len, struct lc_err *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t len = 0;

	if (fd < 0)
		return lc_err_set(err, errno, "%s", path);
	if (fstat(fd, &st) < 0)
		return lc_err_set(err, errno, "%s", path);
	if (!S_ISREG(st.st_mode))
		return lc_err_setx(err, EINVAL, "%s: not a regular file", path);
	if ((uint64_t)st.st_size > max)
		return lc_err_setx(err, EFBIG, "%s: %lld bytes, more than the %zu allowed", path,
				   (long long)st.st_size, max);
	/* st_size is a hint (procfs, a file still being written): read until EOF, but
	 * never past max */
	size_t cap = (size_t)st.st_size + 4097 < max + 1 ? (size_t)st.st_size + 4097 : max + 1;
	buf = malloc(cap);
	if (!buf)
		return lc_err_set(err, ENOMEM, "%s", path);
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lc_err_set(err, errno, "%s: read", path);
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap - 1) {
			if (cap == max + 1)
				return lc_err_setx(err, EFBIG,
						   "%s: more than the %zu bytes allowed", path,
						   max);
			char *p = realloc(buf, cap = cap * 2 < max + 1 ? cap * 2 : max + 1);
			if (!p)
				return lc_err_set(err, ENOMEM, "%s", path);
			buf = p;
		}
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

static void
json_freep(struct json_val **v)
{
	json_free(*v);
}

int
seccomp_observe_base_from_text(const char *text, size_t len, const char *what,
			       struct seccomp_prog **ret, struct lc_err *err)
{
	static const char pre[] = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"/\"},"
				  "\"linux\":{\"seccomp\":";
	_cleanup_free_ char *doc = NULL, *canon = NULL;
	_cleanup_spec_ struct lc_spec *s = NULL;
	_cleanup_seccomp_prog_ struct seccomp_prog *p = NULL;
	_cleanup_(json_freep) struct json_val *v = NULL;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t canon_len;
	char jerr[256];
	int q;

	/* checked on its own first, so that the text cannot close the wrapper below and
	 * smuggle in other members */
	q = json_parse(text, len, &v, jerr, sizeof(jerr));
	if (q < 0)
		return lc_err_setx(err, EINVAL, "%s: not valid JSON: %s", what, jerr);
	if (json_type(v) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "%s: a seccomp profile is a JSON object, not %s",
				   what, json_type_name(json_type(v)));
	/* spec parsing is the one reader of linux.seccomp: wrap the profile in a minimal
	 * config so that it is read (and checked) exactly as config.json's would be */
	if (asprintf(&doc, "%s%.*s}}", pre, (int)len, text) < 0)
		return lc_err_set(err, ENOMEM, "%s", what);
	q = spec_parse(doc, strlen(doc), what, NULL, &s, err);
	if (q < 0)
		return q;
	if (!s->linux_.seccomp.present)
		return lc_err_setx(err, EINVAL, "%s: not a seccomp profile", what);
	q = seccomp_canonical(&s->linux_.seccomp, &canon, &canon_len);
	if (q < 0)
		return lc_err_set(err, -q, "%s", what);
	q = seccomp_compile(&s->linux_.seccomp, false, &p, err);
	if (q < 0)
		return lc_err_prefix(err, "%s", what);
	/* the digest seccomp_prepare gives the same profile: evidence and the container's
	 * seccomp record name the base the same way */
	sha256(canon, canon_len, digest);
	sha256_hex(digest, p->sha256);
	*ret = TAKE_PTR(p);
	return 0;
}

int
seccomp_observe_load_base(const char *path, struct seccomp_prog **ret, struct lc_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int q;

	q = observe_read_file(path, SECCOMP_BASE_MAX, &text, &len, err);
	if (q < 0)
		return q;
	return seccomp_observe_base_from_text(text, len, path, ret, err);
}
