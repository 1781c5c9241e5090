/* config.json -> struct lc_spec: loading the bundle and the platform-neutral sections
 * (process, root, mounts, hooks, annotations). Type errors name the file, the field path
 * and the value (typed readers in spec-read.c); "linux" is parsed in spec-linux.c and the
 * semantic rules are validate.c's. Runs in the runtime process only. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "spec-internal.h"
#include "tables.h"

/* A config.json larger than this is not a config (the docker profile is ~20 KiB). */
#define SPEC_MAX_SIZE (64u << 20)

/* ---- process ---- */

static const char *const capset_keys[CAPSET__COUNT] = {
	[CAPSET_BOUNDING] = "bounding",	      [CAPSET_EFFECTIVE] = "effective",
	[CAPSET_INHERITABLE] = "inheritable", [CAPSET_PERMITTED] = "permitted",
	[CAPSET_AMBIENT] = "ambient",
};

static int
parse_capset(struct spec_ctx *c, const struct json_val *v, const char *path, uint64_t *ret)
{
	char p[SPEC_PATH_LEN];
	uint64_t mask = 0;

	if (spec_absent(v))
		return 0;
	if (json_type(v) != JSON_ARRAY)
		return spec_err_type(c, v, path, "array of strings");
	for (size_t i = 0; i < json_len(v); i++) {
		const struct json_val *e = json_at(v, i);
		int cap;
		spec_path_idx(p, path, i);
		if (json_type(e) != JSON_STRING)
			return spec_err_type(c, e, p, "string");
		cap = table_cap_from_name(json_string(e));
		if (cap < 0)
			return spec_err_unknown(c, p, "capability", json_string(e));
		mask |= UINT64_C(1) << cap;
	}
	*ret = mask;
	return 0;
}

static int
parse_caps(struct spec_ctx *c, const struct json_val *v, const char *path, struct spec_process *p)
{
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	for (int i = 0; i < CAPSET__COUNT; i++) {
		r = FIELD(parse_capset, c, v, path, capset_keys[i], &p->caps[i]);
		if (r < 0)
			return r;
	}
	p->has_caps = true;
	return 0;
}

static int
parse_rlimits(struct spec_ctx *c, const struct json_val *v, const char *path,
	      struct spec_process *p)
{
	char p1[SPEC_PATH_LEN], p2[SPEC_PATH_LEN];
	size_t n;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_ARRAY, "array of rlimits");
	if (r < 0)
		return r;
	n = json_len(v);
	p->rlimits = calloc(n ? n : 1, sizeof(*p->rlimits));
	if (!p->rlimits)
		return spec_oom(c);
	p->n_rlimits = n;
	for (size_t i = 0; i < n; i++) {
		const struct json_val *e = json_at(v, i), *t;
		struct spec_rlimit *rl = &p->rlimits[i];
		spec_path_idx(p1, path, i);
		r = spec_expect(c, e, p1, JSON_OBJECT, "object");
		if (r < 0)
			return r;
		t = json_get(e, "type");
		spec_path_key(p2, p1, "type");
		r = spec_required(c, t, p2);
		if (r < 0)
			return r;
		if (json_type(t) != JSON_STRING)
			return spec_err_type(c, t, p2, "string");
		rl->resource = table_rlimit_from_name(json_string(t));
		if (rl->resource < 0)
			return spec_err_unknown(c, p2, "rlimit", json_string(t));
		for (int k = 0; k < 2; k++) {
			const char *key = k ? "hard" : "soft";
			const struct json_val *x = json_get(e, key);
			spec_path_key(p2, p1, key);
			r = spec_required(c, x, p2);
			if (r >= 0 && json_type(x) == JSON_NULL)
				r = spec_err_type(c, x, p2, "unsigned 64-bit integer");
			if (r >= 0)
				r = spec_read_u64(c, x, p2, UINT64_MAX, NULL,
						  k ? &rl->hard : &rl->soft);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int
parse_user(struct spec_ctx *c, const struct json_val *v, const char *path, struct spec_user *u)
{
	char p[SPEC_PATH_LEN];
	const struct json_val *g;
	uint32_t x = 0;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	r = spec_field_u32_req(c, v, path, "uid", &x);
	if (r < 0)
		return r;
	u->uid = x;
	r = spec_field_u32_req(c, v, path, "gid", &x);
	if (r < 0)
		return r;
	u->gid = x;
	r = FIELD(spec_read_u32, c, v, path, "umask", &u->has_umask, &x);
	if (r < 0)
		return r;
	if (u->has_umask)
		u->umask = (mode_t)x;
	r = FIELD(spec_read_str, c, v, path, "username", &u->username);
	if (r < 0)
		return r;

	g = json_get(v, "additionalGids");
	spec_path_key(p, path, "additionalGids");
	if (spec_absent(g))
		return 0;
	if (json_type(g) != JSON_ARRAY)
		return spec_err_type(c, g, p, "array of integers");
	u->additional_gids = calloc(json_len(g) + 1, sizeof(gid_t));
	if (!u->additional_gids)
		return spec_oom(c);
	for (size_t i = 0; i < json_len(g); i++) {
		char pi[SPEC_PATH_LEN];
		const struct json_val *e = json_at(g, i);
		spec_path_idx(pi, p, i);
		if (spec_absent(e))
			return spec_err_type(c, e, pi, "integer in [0, 4294967295]");
		r = spec_read_u32(c, e, pi, NULL, &x);
		if (r < 0)
			return r;
		u->additional_gids[u->n_additional_gids++] = x;
	}
	return 0;
}

static int
parse_console_size(struct spec_ctx *c, const struct json_val *v, const char *path,
		   struct spec_process *p)
{
	uint32_t h = 0, w = 0;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	r = spec_field_u32_req(c, v, path, "height", &h);
	if (r >= 0)
		r = spec_field_u32_req(c, v, path, "width", &w);
	if (r < 0)
		return r;
	p->has_console_size = true;
	p->console_height = h;
	p->console_width = w;
	return 0;
}

/* The process object of config.json, or of an `exec --process` file (path ""). */
static int
parse_process(struct spec_ctx *c, const struct json_val *v, const char *path,
	      struct spec_process *p)
{
	int64_t oom = 0;
	int r;

	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	p->present = true;
	r = FIELD(spec_read_bool, c, v, path, "terminal", &p->terminal);
	if (r >= 0)
		r = FIELD(parse_console_size, c, v, path, "consoleSize", p);
	if (r >= 0)
		r = FIELD(parse_user, c, v, path, "user", &p->user);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "args", &p->args, &p->n_args);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "env", &p->env, &p->n_env);
	if (r >= 0)
		r = spec_field_str_req(c, v, path, "cwd", &p->cwd);
	if (r >= 0)
		r = FIELD(parse_caps, c, v, path, "capabilities", p);
	if (r >= 0)
		r = FIELD(parse_rlimits, c, v, path, "rlimits", p);
	if (r >= 0)
		r = FIELD(spec_read_bool, c, v, path, "noNewPrivileges", &p->no_new_privileges);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "oomScoreAdj", INT_MIN, INT_MAX,
			  &p->has_oom_score_adj, &oom);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "apparmorProfile", &p->apparmor_profile);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "selinuxLabel", &p->selinux_label);
	if (r < 0)
		return r;
	p->oom_score_adj = (int)oom;
	return 0;
}

void
spec_process_free(struct spec_process *p)
{
	if (!p)
		return;
	free(p->user.additional_gids);
	free(p->user.username);
	strv_freep(&p->args);
	strv_freep(&p->env);
	free(p->cwd);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	*p = (struct spec_process){ 0 };
}

/* ---- mounts ---- */

/* Appends opt to the comma-separated data string. */
static int
data_append(struct spec_ctx *c, char **data, const char *opt)
{
	size_t old = *data ? strlen(*data) : 0, add = strlen(opt);
	char *n = realloc(*data, old + add + 2);

	if (!n)
		return spec_oom(c);
	if (old)
		n[old++] = ',';
	memcpy(n + old, opt, add + 1);
	*data = n;
	return 0;
}

/* Turns option strings into flags to set and clear, bind/propagation/rro requests and
 * the fs-specific remainder. A later option overrides an earlier one ("ro,rw" is rw). */
static int
parse_mount_options(struct spec_ctx *c, struct spec_mount *m)
{
	for (size_t i = 0; i < m->n_options; i++) {
		const struct table_mount_opt *o = table_mount_opt_from_name(m->options[i]);
		int r;

		if (!o) {
			r = data_append(c, &m->data, m->options[i]);
			if (r < 0)
				return r;
			continue;
		}
		switch (o->kind) {
		case MOPT_FLAG:
			m->flags = (m->flags | o->set) & ~o->clear;
			m->clear_flags = (m->clear_flags | o->clear) & ~o->set;
			break;
		case MOPT_RBIND:
			m->rbind = true;
			/* an rbind is a bind too: bind says "bind mount", rbind "recursively" */
			m->bind = true;
			m->flags |= o->set;
			break;
		case MOPT_BIND:
			m->bind = true;
			m->flags |= o->set;
			break;
		case MOPT_RRO:
			m->rro = true;
			break;
		case MOPT_RRW:
			m->rro = false;
			break;
		case MOPT_PROPAGATION:
			m->propagation = o->prop;
			break;
		case MOPT_TMPCOPYUP:
			m->tmpcopyup = true;
			break;
		case MOPT_IDMAP:
			m->idmap = true;
			break;
		case MOPT_RIDMAP:
			m->ridmap = true;
			break;
		}
	}
	return 0;
}

static int
parse_mount(struct spec_ctx *c, const struct json_val *v, const char *path, void *elem)
{
	struct spec_mount *m = elem;
	int r;

	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	r = spec_field_str_req(c, v, path, "destination", &m->destination);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "type", &m->type);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "source", &m->source);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "options", &m->options, &m->n_options);
	if (r >= 0)
		r = FIELD(spec_read_id_maps, c, v, path, "uidMappings", &m->uid_mappings,
			  &m->n_uid_mappings);
	if (r >= 0)
		r = FIELD(spec_read_id_maps, c, v, path, "gidMappings", &m->gid_mappings,
			  &m->n_gid_mappings);
	if (r >= 0)
		r = parse_mount_options(c, m);
	if (r < 0)
		return r;
	/* type "bind" without a bind option is a bind mount too, as runc treats it */
	if (m->type && strcmp(m->type, "bind") == 0 && !m->bind) {
		m->bind = true;
		m->flags |= MS_BIND;
	}
	/* only a bind's source is a path; "proc", "tmpfs", ... are just names */
	if (m->bind && m->source && m->source[0] != '/') {
		char *abs = NULL;
		r = spec_bundle_join(c, m->source, &abs);
		if (r < 0)
			return r;
		free(m->source);
		m->source = abs;
	}
	return 0;
}

static int
parse_mounts(struct spec_ctx *c, const struct json_val *v, const char *path, struct lc_spec *s)
{
	return spec_read_array(c, v, path, "array of mounts", sizeof(*s->mounts), parse_mount,
			       &s->mounts, &s->n_mounts);
}

static void
mount_free(struct spec_mount *m)
{
	free(m->destination);
	free(m->type);
	free(m->source);
	strv_freep(&m->options);
	free(m->data);
	free(m->uid_mappings);
	free(m->gid_mappings);
}

/* ---- hooks ---- */

static const char *const hook_keys[HOOK__COUNT] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

static int
parse_hook(struct spec_ctx *c, const struct json_val *v, const char *path, struct spec_hook *h)
{
	int64_t timeout = 0;
	int r;

	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	r = spec_field_str_req(c, v, path, "path", &h->path);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "args", &h->args, NULL);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "env", &h->env, NULL);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "timeout", INT_MIN, INT_MAX, &h->has_timeout,
			  &timeout);
	if (r < 0)
		return r;
	h->timeout = (int)timeout;
	return 0;
}

static int
parse_hooks(struct spec_ctx *c, const struct json_val *v, const char *path, struct lc_spec *s)
{
	char p[SPEC_PATH_LEN], pi[SPEC_PATH_LEN];
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	for (int k = 0; k < HOOK__COUNT; k++) {
		const struct json_val *arr = json_get(v, hook_keys[k]);
		spec_path_key(p, path, hook_keys[k]);
		if (spec_absent(arr))
			continue;
		if (json_type(arr) != JSON_ARRAY)
			return spec_err_type(c, arr, p, "array of hooks");
		s->hooks[k] = calloc(json_len(arr) + 1, sizeof(struct spec_hook));
		if (!s->hooks[k])
			return spec_oom(c);
		s->n_hooks[k] = json_len(arr);
		for (size_t i = 0; i < s->n_hooks[k]; i++) {
			r = parse_hook(c, json_at(arr, i), spec_path_idx(pi, p, i),
				       &s->hooks[k][i]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ---- annotations ---- */

static int
parse_annotations(struct spec_ctx *c, const struct json_val *v, const char *path, struct lc_spec *s)
{
	char p[SPEC_PATH_LEN];
	size_t n;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object of strings");
	if (r < 0)
		return r;
	n = json_len(v);
	s->annotations = calloc(n + 1, sizeof(*s->annotations));
	if (!s->annotations)
		return spec_oom(c);
	for (size_t i = 0; i < n; i++) {
		const struct json_val *e = json_value_at(v, i);
		struct spec_annotation *a = &s->annotations[s->n_annotations];
		spec_path_map(p, path, json_key_at(v, i));
		if (json_type(e) != JSON_STRING)
			return spec_err_type(c, e, p, "string");
		a->key = strdup(json_key_at(v, i));
		a->value = strdup(json_string(e));
		s->n_annotations++;
		if (!a->key || !a->value)
			return spec_oom(c);
	}
	return 0;
}

/* ---- the document ---- */

static int
parse_root(struct spec_ctx *c, const struct json_val *v, const char *path, struct lc_spec *s)
{
	_cleanup_free_ char *rel = NULL;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	r = spec_field_str_req(c, v, path, "path", &rel);
	if (r >= 0)
		r = FIELD(spec_read_bool, c, v, path, "readonly", &s->root_readonly);
	if (r >= 0)
		r = spec_bundle_join(c, rel, &s->root_path);
	return r;
}

static int
parse_document(struct spec_ctx *c, const struct json_val *root, struct lc_spec *s)
{
	const struct json_val *proc;
	int r;

	r = spec_expect(c, root, "", JSON_OBJECT, "a JSON object at the top level");
	if (r < 0)
		return r;
	r = FIELD(spec_read_str, c, root, "", "ociVersion", &s->oci_version);
	if (r >= 0)
		r = FIELD(parse_root, c, root, "", "root", s);
	proc = json_get(root, "process");
	if (r >= 0 && !spec_absent(proc))
		r = parse_process(c, proc, "process", &s->process);
	if (r >= 0)
		r = FIELD(spec_read_str, c, root, "", "hostname", &s->hostname);
	if (r >= 0)
		r = FIELD(spec_read_str, c, root, "", "domainname", &s->domainname);
	if (r >= 0)
		r = FIELD(parse_mounts, c, root, "", "mounts", s);
	if (r >= 0)
		r = FIELD(parse_hooks, c, root, "", "hooks", s);
	if (r >= 0)
		r = FIELD(parse_annotations, c, root, "", "annotations", s);
	if (r >= 0 && !spec_absent(json_get(root, "linux")))
		r = spec_parse_linux(c, json_get(root, "linux"), "linux", &s->linux_);
	return r;
}

/* Parses text into a JSON tree, with the reason yajl gives when it is not JSON. */
static int
parse_text(const char *json, size_t len, const char *what, struct json_val **ret,
	   struct lc_err *err)
{
	char reason[256];
	int r = json_parse(json, len, ret, reason, sizeof(reason));

	if (r == -ENOMEM)
		return lc_err_set(err, ENOMEM, "%s", what);
	if (r < 0)
		return lc_err_setx(err, EINVAL, "%s: invalid JSON: %s", what, reason);
	return 0;
}

int
spec_parse(const char *json, size_t len, const char *what, const char *bundle, struct lc_spec **ret,
	   struct lc_err *err)
{
	_cleanup_spec_ struct lc_spec *s = NULL;
	struct spec_ctx c = { .what = what ? what : "config.json", .err = err };
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return lc_err_set(err, ENOMEM, "%s", c.what);
	if (bundle) {
		/* an absolute bundle is taken as given (spec_load already made it canonical) */
		s->bundle = bundle[0] == '/' ? strdup(bundle) : realpath(bundle, NULL);
		if (!s->bundle)
			return lc_err_set(err, errno, "bundle %s", bundle);
		c.bundle = s->bundle;
	}
	r = parse_text(json, len, c.what, &s->raw, err);
	if (r < 0)
		return r;
	r = parse_document(&c, s->raw, s);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(s);
	return 0;
}

/* Reads a whole regular file (at most SPEC_MAX_SIZE bytes). */
static int
read_config(const char *file, char **ret, size_t *ret_len, struct lc_err *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t len = 0;

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return lc_err_set(err, errno, "%s", file);
	if (fstat(fd, &st) < 0)
		return lc_err_set(err, errno, "%s", file);
	if (!S_ISREG(st.st_mode))
		return lc_err_setx(err, EINVAL, "%s: not a regular file", file);
	if ((uint64_t)st.st_size > SPEC_MAX_SIZE)
		return lc_err_setx(err, EFBIG, "%s: larger than %u MiB", file, SPEC_MAX_SIZE >> 20);
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return lc_err_set(err, ENOMEM, "%s", file);
	/* the size from fstat is a hint: stop at EOF or at the buffer end */
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lc_err_set(err, errno, "read %s", file);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

int
spec_load(const char *bundle, struct lc_spec **ret, struct lc_err *err)
{
	_cleanup_free_ char *abs = NULL, *file = NULL, *text = NULL;
	struct stat st;
	size_t len = 0;
	int r;

	abs = realpath(bundle, NULL);
	if (!abs)
		return lc_err_set(err, errno, "bundle %s", bundle);
	if (stat(abs, &st) < 0)
		return lc_err_set(err, errno, "bundle %s", bundle);
	if (!S_ISDIR(st.st_mode))
		return lc_err_set(err, ENOTDIR, "bundle %s", bundle);
	if (asprintf(&file, "%s/config.json", strcmp(abs, "/") == 0 ? "" : abs) < 0)
		return lc_err_set(err, ENOMEM, "bundle %s", bundle);
	r = read_config(file, &text, &len, err);
	if (r < 0)
		return r;
	return spec_parse(text, len, "config.json", abs, ret, err);
}

int
spec_parse_process(const char *json, size_t len, const char *what, struct spec_process *ret,
		   struct lc_err *err)
{
	struct spec_ctx c = { .what = what ? what : "process.json", .err = err };
	struct spec_process p = { 0 };
	struct json_val *root = NULL;
	int r;

	r = parse_text(json, len, c.what, &root, err);
	if (r < 0)
		return r;
	r = parse_process(&c, root, "", &p);
	json_free(root);
	if (r < 0) {
		spec_process_free(&p);
		return r;
	}
	*ret = p;
	return 0;
}

void
spec_free(struct lc_spec *s)
{
	if (!s)
		return;
	free(s->oci_version);
	free(s->bundle);
	free(s->root_path);
	spec_process_free(&s->process);
	free(s->hostname);
	free(s->domainname);
	for (size_t i = 0; i < s->n_mounts; i++)
		mount_free(&s->mounts[i]);
	free(s->mounts);
	for (int k = 0; k < HOOK__COUNT; k++) {
		for (size_t i = 0; i < s->n_hooks[k]; i++) {
			free(s->hooks[k][i].path);
			strv_freep(&s->hooks[k][i].args);
			strv_freep(&s->hooks[k][i].env);
		}
		free(s->hooks[k]);
	}
	for (size_t i = 0; i < s->n_annotations; i++) {
		free(s->annotations[i].key);
		free(s->annotations[i].value);
	}
	free(s->annotations);
	spec_linux_free(&s->linux_);
	json_free(s->raw);
	free(s);
}

const char *
spec_annotation(const struct lc_spec *s, const char *key)
{
	if (!s || !key)
		return NULL;
	/* the last duplicate wins, as in json_get() */
	for (size_t i = s->n_annotations; i-- > 0;)
		if (strcmp(s->annotations[i].key, key) == 0)
			return s->annotations[i].value;
	return NULL;
}
