/* Profiles as files and as structs for the profile tools: reading a profile file (a
 * linux.seccomp object or a whole config.json, through spec_parse and spec_validate),
 * building and copying profiles, their digest, and writing output atomically. The
 * per-syscall view is tools-view.c's; the tools live in their own files. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "error.h"
#include "json.h"
#include "macro.h"
#include "seccomp/internal.h"
#include "seccomp/tools.h"

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- building profiles ---- */
struct spec_seccomp *
tools_spec_new(void)
{
	struct spec_seccomp *s = calloc(1, sizeof(*s));

	if (s)
		s->present = true;
	return s;
}

int
tools_strv_add(char ***v, size_t *n, const char *str)
{
	char **p = realloc(*v, (*n + 2) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	*v = p;
	p[*n] = strdup(str);
	if (!p[*n])
		return -ENOMEM;
	p[++*n] = NULL;
	return 0;
}

void
tools_strv_sort_uniq(char **v, size_t *n)
{
	size_t out = 0;

	if (!v || !*n)
		return;
	qsort(v, *n, sizeof(*v), strp_cmp);
	for (size_t i = 0; i < *n; i++) {
		if (out && strcmp(v[out - 1], v[i]) == 0) {
			free(v[i]);
			continue;
		}
		v[out++] = v[i];
	}
	v[out] = NULL;
	*n = out;
}

int
tools_spec_add_rule(struct spec_seccomp *s, const char *const *names, size_t n,
		    struct tools_act act, const struct tools_clause *c)
{
	struct spec_seccomp_rule *rules = realloc(s->rules, (s->n_rules + 2) * sizeof(*rules));
	int r = 0;

	if (!rules)
		return -ENOMEM;
	s->rules = rules;
	struct spec_seccomp_rule *rule = &rules[s->n_rules++];
	*rule = (struct spec_seccomp_rule){ .action = act.action };
	memset(&rules[s->n_rules], 0, sizeof(*rules));
	if (act.action == SCMP_ACT_ERRNO_ || act.action == SCMP_ACT_TRACE_) {
		rule->has_errno_ret = true;
		rule->errno_ret = act.errno_ret;
	}
	rule->names = calloc(1, sizeof(char *));
	if (!rule->names)
		return -ENOMEM;
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = tools_strv_add(&rule->names, &rule->n_names, names[i]);
	if (r < 0 || !c || !c->n_conds)
		return r;
	rule->args = calloc(c->n_conds, sizeof(*rule->args));
	if (!rule->args)
		return -ENOMEM;
	memcpy(rule->args, c->conds, c->n_conds * sizeof(*rule->args));
	rule->n_args = c->n_conds;
	return 0;
}

static int
strv_copy(char *const *v, size_t n, char ***ret)
{
	*ret = NULL;
	if (!v)
		return 0;
	*ret = calloc(n + 1, sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!((*ret)[i] = strdup(v[i])))
			return -ENOMEM;
	return 0;
}

static char *
strdup_opt(const char *s, bool *oom)
{
	char *d = s ? strdup(s) : NULL;

	*oom |= s && !d;
	return d;
}

struct spec_seccomp *
tools_spec_copy(const struct spec_seccomp *s)
{
	struct spec_seccomp *d = calloc(1, sizeof(*d));
	bool oom = false;

	if (!d)
		return NULL;
	*d = (struct spec_seccomp){ .present = s->present, .default_action = s->default_action,
				    .has_default_errno_ret = s->has_default_errno_ret,
				    .default_errno_ret = s->default_errno_ret,
				    .n_architectures = s->n_architectures, .n_flags = s->n_flags };
	oom |= strv_copy(s->architectures, s->n_architectures, &d->architectures) < 0;
	oom |= strv_copy(s->flags, s->n_flags, &d->flags) < 0;
	d->listener_path = strdup_opt(s->listener_path, &oom);
	d->listener_metadata = strdup_opt(s->listener_metadata, &oom);
	d->rules = calloc(s->n_rules + 1, sizeof(*d->rules));
	oom |= !d->rules;
	for (size_t i = 0; !oom && i < s->n_rules; i++) {
		const struct spec_seccomp_rule *r = &s->rules[i];
		struct spec_seccomp_rule *o = &d->rules[d->n_rules++];

		*o = (struct spec_seccomp_rule){ .action = r->action,
						 .has_errno_ret = r->has_errno_ret,
						 .errno_ret = r->errno_ret,
						 .n_names = r->n_names,
						 .n_args = r->n_args };
		oom |= strv_copy(r->names, r->n_names, &o->names) < 0;
		if (r->n_args) {
			o->args = calloc(r->n_args, sizeof(*o->args));
			oom |= !o->args;
			if (o->args)
				memcpy(o->args, r->args, r->n_args * sizeof(*o->args));
		}
	}
	if (oom) {
		seccomp_spec_free(d);
		return NULL;
	}
	return d;
}

/* ---- reading profiles ---- */
/* Far above any real profile or config.json. */
#define PROFILE_MAX (8u << 20)

static void
json_freep(struct json_val **v)
{
	json_free(*v);
}

static int
parse_profile(const char *text, size_t len, const char *what, bool lenient,
	      struct spec_seccomp **ret, char **ret_invalid, struct lc_err *err)
{
	static const char pre[] = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"/\"},"
				  "\"linux\":{\"seccomp\":";
	_cleanup_(json_freep) struct json_val *v = NULL;
	_cleanup_spec_ struct lc_spec *spec = NULL;
	_cleanup_free_ char *doc = NULL;
	struct lc_err verr = { 0 };
	char jerr[256];
	int r;

	if (json_parse(text, len, &v, jerr, sizeof(jerr)) < 0)
		return lc_err_setx(err, EINVAL, "%s: not valid JSON: %s", what, jerr);
	if (json_type(v) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "%s: a seccomp profile is a JSON object, not %s",
				   what, json_type_name(json_type(v)));
	if (json_get(v, "defaultAction")) {
		/* spec.c is the one reader of linux.seccomp: a bare profile is wrapped in a
		 * minimal config so that it is read exactly as config.json's would be */
		if (asprintf(&doc, "%s%.*s}}", pre, (int)len, text) < 0)
			return lc_err_set(err, ENOMEM, "%s", what);
		r = spec_parse(doc, strlen(doc), what, NULL, &spec, err);
	} else if (json_get(v, "ociVersion") || json_get(v, "linux")) {
		r = spec_parse(text, len, what, NULL, &spec, err);
	} else {
		return lc_err_setx(err, EINVAL,
				   "%s: neither a seccomp profile (no \"defaultAction\") nor a "
				   "config.json (no \"ociVersion\")",
				   what);
	}
	if (r < 0)
		return r;
	if (!spec->linux_.seccomp.present)
		return lc_err_setx(err, EINVAL, "%s: linux.seccomp: missing (no profile to read)",
				   what);
	if (spec_validate(spec, &verr) < 0) {
		/* validate.c names config.json; name the file that was read instead */
		const char *m = verr.msg;
		if (strncmp(m, "config.json: ", 13) == 0)
			m += 13;
		if (!lenient)
			return lc_err_setx(err, EINVAL, "%s: %s", what, m);
		if (asprintf(ret_invalid, "%s", m) < 0)
			return lc_err_set(err, ENOMEM, "%s", what);
	}
	struct spec_seccomp *s = calloc(1, sizeof(*s));
	if (!s)
		return lc_err_set(err, ENOMEM, "%s", what);
	/* take the profile out of the spec: spec_free then finds nothing to free */
	*s = spec->linux_.seccomp;
	spec->linux_.seccomp = (struct spec_seccomp){ 0 };
	*ret = s;
	return 0;
}

int
tools_profile_parse(const char *text, size_t len, const char *what, struct spec_seccomp **ret,
		    struct lc_err *err)
{
	return parse_profile(text, len, what, false, ret, NULL, err);
}

int
tools_profile_parse_lenient(const char *text, size_t len, const char *what,
			    struct spec_seccomp **ret, char **ret_invalid, struct lc_err *err)
{
	*ret_invalid = NULL;
	return parse_profile(text, len, what, true, ret, ret_invalid, err);
}

static int
load_profile(const char *path, bool lenient, struct spec_seccomp **ret, char **ret_invalid,
	     struct lc_err *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	r = observe_read_file(path, PROFILE_MAX, &text, &len, err);
	if (r < 0)
		return r;
	return parse_profile(text, len, path, lenient, ret, ret_invalid, err);
}

int
tools_profile_load(const char *path, struct spec_seccomp **ret, struct lc_err *err)
{
	return load_profile(path, false, ret, NULL, err);
}

int
tools_profile_load_lenient(const char *path, struct spec_seccomp **ret, char **ret_invalid,
			   struct lc_err *err)
{
	*ret_invalid = NULL;
	return load_profile(path, true, ret, ret_invalid, err);
}

int
tools_profile_sha256(const struct spec_seccomp *s, char hex[65])
{
	_cleanup_free_ char *canon = NULL;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t len;
	int r = seccomp_canonical(s, &canon, &len);

	if (r < 0)
		return r;
	sha256(canon, len, digest);
	sha256_hex(digest, hex);
	return 0;
}

/* ---- writing ---- */
int
tools_spec_json(const struct spec_seccomp *s, char **ret)
{
	_cleanup_free_ char *json = NULL;
	int r = seccomp_spec_to_json(s, true, &json);

	if (r < 0)
		return r;
	size_t len = strlen(json);
	if (len && json[len - 1] == '\n') {
		*ret = TAKE_PTR(json);
		return 0;
	}
	return asprintf(ret, "%s\n", json) < 0 ? -ENOMEM : 0;
}

int
lc_seccomp_write_file(const char *path, const char *text, struct lc_err *err)
{
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int fd = -1;
	const char *slash = strrchr(path, '/');
	size_t len = strlen(text), off = 0;

	/* a private temp file next to the target, then rename(2): a reader sees the old
	 * file or the whole new one, never a partial profile */
	if (asprintf(&tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) < 0)
		return lc_err_set(err, ENOMEM, "%s", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return lc_err_set(err, errno, "%s: creating a temporary file", path);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			unlink(tmp);
			return lc_err_set(err, e, "%s: write", path);
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return lc_err_set(err, e, "%s", path);
	}
	return 0;
}
