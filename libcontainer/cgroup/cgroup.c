/* The version-independent half of cgroup management: the cgroupsPath rules, creating
 * and removing exactly the directories we made, moving and listing pids, freezing and
 * the state-file string. Hierarchy discovery and control-file helpers are in hier.c;
 * resource writes and statistics in v1.c and v2.c behind struct cgroup_ops. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "log.h"
#include "macro.h"

/* Parent of every container cgroup when linux.cgroupsPath is absent. */
#define DEFAULT_PARENT "/strait"

/* ---- linux.cgroupsPath ---- */

static size_t
count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

/* "slice:prefix:name" under --systemd-cgroup: parsed and checked, then refused since
 * strait has no systemd driver. Always returns an error. */
static int
systemd_refuse(const char *value, const char *id, struct lc_err *err)
{
	_cleanup_free_ char *dflt = NULL, *copy = NULL;
	if (!value || !*value) {
		if (asprintf(&dflt, "system.slice:strait:%s", id) < 0)
			return lc_err_set(err, ENOMEM, "cgroup");
		value = dflt;
	}
	if (value[0] == '/' || count_char(value, ':') != 2)
		return lc_err_setx(err, EINVAL,
				   "config.json: linux.cgroupsPath: \"%s\" is not of the form "
				   "slice:prefix:name that --systemd-cgroup requires", value);
	if (!(copy = strdup(value)))
		return lc_err_set(err, ENOMEM, "cgroup");
	char *slice = copy, *prefix = strchr(slice, ':');
	*prefix++ = '\0';
	char *name = strchr(prefix, ':');
	*name++ = '\0';
	size_t sl = strlen(slice);
	if (!*name || strchr(name, '/') || strchr(slice, '/') ||
	    (sl && (sl < 6 || strcmp(slice + sl - 6, ".slice") != 0)))
		return lc_err_setx(err, EINVAL,
				   "config.json: linux.cgroupsPath: \"%s\": the slice must end in "
				   "\".slice\" and the name must be set, without '/'", value);
	if (access("/run/systemd/system", F_OK) == 0)
		return lc_err_setx(err, EOPNOTSUPP,
				   "--systemd-cgroup: strait has no systemd cgroup driver (cgroupsPath "
				   "\"%s\"); run without --systemd-cgroup and use a cgroupfs path", value);
	return lc_err_setx(err, EOPNOTSUPP,
			   "--systemd-cgroup: cgroupsPath \"%s\" (slice \"%s\", unit \"%s%s%s.scope\") "
			   "needs systemd, and no systemd is running", value, *slice ? slice : "system.slice",
			   prefix, *prefix ? "-" : "", name);
}

/* Resolves linux.cgroupsPath: absent -> "/strait/<id>"; "/a/b" is used as is below
 * every hierarchy; "a/b" is relative to the runtime's own cgroup in each hierarchy
 * (runc's cgroupfs rule) and comes back in *ret_rel. The result is normalized ("//" and
 * "." dropped); "..", control characters and the root cgroup itself are refused. */
static int
resolve_path(const char *value, const char *id, bool systemd, char **ret_abs, char **ret_rel,
	     struct lc_err *err)
{
	if (systemd)
		return systemd_refuse(value, id, err);
	if (!value || !*value) {
		if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
			return lc_err_setx(err, EINVAL, "cgroup: invalid container id \"%s\"",
					   id ? id : "");
		return asprintf(ret_abs, DEFAULT_PARENT "/%s", id) < 0 ? lc_err_set(err, ENOMEM, "cgroup")
									: 0;
	}
	if (value[0] != '/' && count_char(value, ':') == 2)
		return lc_err_setx(err, EINVAL,
				   "config.json: linux.cgroupsPath: \"%s\" is the systemd form "
				   "slice:prefix:name; it needs --systemd-cgroup", value);
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return lc_err_setx(err, EINVAL,
					   "config.json: linux.cgroupsPath: \"%s\" contains a control "
					   "character", value);
	size_t cap = strlen(value) + 2, len = 0;
	_cleanup_free_ char *out = calloc(1, cap);
	if (!out)
		return lc_err_set(err, ENOMEM, "cgroup");
	for (const char *p = value; *p;) {
		p += strspn(p, "/");
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return lc_err_setx(err, EINVAL,
					   "config.json: linux.cgroupsPath: \"%s\" must not contain \"..\"",
					   value);
		if (!(n == 1 && p[0] == '.')) {
			if (len || value[0] == '/')
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (!len)
		return lc_err_setx(err, EINVAL,
				   "config.json: linux.cgroupsPath: \"%s\" names the root cgroup", value);
	if (value[0] == '/')
		*ret_abs = TAKE_PTR(out);
	else
		*ret_rel = TAKE_PTR(out);
	return 0;
}

/* ---- directories ---- */

static unsigned
count_components(const char *inner)
{
	unsigned n = 0;
	for (const char *p = inner; *p; p++)
		n += p[0] == '/' && p[1] && p[1] != '/';
	return n;
}

/* The error of a directory that could not be made, naming cgroupsPath when it came from
 * the config. */
static int
create_failed(const struct cgroup_mgr *m, int code, const char *dir, struct lc_err *err)
{
	if (m->config_path)
		return lc_err_set(err, code, "config.json: linux.cgroupsPath: \"%s\": create %s",
				  m->config_path, dir);
	return lc_err_set(err, code, "cgroup: create %s", dir);
}

/* Cuts the last component off p, then removes the directory p names, n times: the
 * directories a failed make_chain made above the component that failed. */
static void
unmake(char *p, unsigned n)
{
	for (char *slash; n && (slash = strrchr(p, '/')); n--) {
		*slash = '\0';
		(void)rmdir(p);
	}
}

/* mkdir -p of h->dir below h->mount, recording in h->n_created how many trailing
 * components were ours. A shared parent can vanish under us when another container's
 * destroy removes it between our EEXIST and the next mkdir; that retries from the top.
 * On failure what it made is removed again (n_created stays 0). */
static int
make_chain(const struct cgroup_mgr *m, struct cg_hier *h, struct lc_err *err)
{
	/* the usual case, the parents exist: one mkdir; else the walk says what failed */
	if (mkdir(h->dir, 0755) == 0) {
		h->n_created = 1;
		return 0;
	}
	unsigned total = count_components(h->inner);
	size_t mlen = strlen(h->mount);
	for (int attempt = 0;; attempt++) {
		_cleanup_free_ char *p = strdup(h->dir);
		if (!p)
			return lc_err_set(err, ENOMEM, "cgroup");
		unsigned level = 0, first = 0; /* first: the level of the first mkdir of ours */
		bool vanished = false;
		for (char *c = p + mlen + 1;; c++) {
			if (*c != '/' && *c != '\0')
				continue;
			char saved = *c;
			*c = '\0';
			level++;
			int e = 0;
			if (mkdir(p, 0755) == 0) {
				if (!first)
					first = level;
			} else if (errno == EEXIST) {
				struct stat st;
				if (lstat(p, &st) < 0 || !S_ISDIR(st.st_mode))
					e = ENOTDIR;
			} else if (errno == ENOENT && !first && attempt < 3) {
				vanished = true;
				break;
			} else {
				e = errno;
			}
			if (e) {
				create_failed(m, e, p, err);
				if (first)
					unmake(p, level - first);
				return -e;
			}
			*c = saved;
			if (!saved)
				break;
		}
		if (!vanished) {
			h->n_created = first ? total - first + 1 : 0;
			return 0;
		}
	}
}

/* A fake hierarchy's directory holds the plain files our writes created; cgroupfs
 * directories never need this. Refuses (ENOTEMPTY) when it has subdirectories. */
static int
fake_clear(const char *dir)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d)
		return -errno;
	for (struct dirent *de; (de = readdir(d));)
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			return -ENOTEMPTY;
	rewinddir(d);
	for (struct dirent *de; (de = readdir(d));)
		if (de->d_type != DT_DIR)
			(void)unlinkat(dirfd(d), de->d_name, 0);
	return 0;
}

/* rmdir, retrying EBUSY for ~100 ms while exiting tasks leave. 0 when gone or absent. */
static int
remove_dir(const struct cg_hier *h, const char *dir, bool retry)
{
	for (int i = 0;; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		int e = errno;
		if (e == ENOTEMPTY && h->fake && i == 0 && fake_clear(dir) == 0)
			continue;
		if (e != EBUSY || !retry || i >= 10)
			return -e;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
}

/* Removes dir's descendants (cgroups the container made itself), deepest first, then dir. */
static int
remove_tree(const struct cg_hier *h, const char *dir, struct lc_err *err)
{
	/* the usual case first: no sub-cgroup and no task left, one rmdir */
	if (rmdir(dir) == 0 || errno == ENOENT)
		return 0;
	DIR *d = opendir(dir);
	if (!d && errno == ENOENT)
		return 0;
	if (!d)
		return lc_err_set(err, errno, "cgroup: remove %s", dir);
	int r = 0;
	for (struct dirent *de; r == 0 && (de = readdir(d));) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		_cleanup_free_ char *sub = NULL;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			r = lc_err_set(err, ENOMEM, "cgroup");
		else
			r = remove_tree(h, sub, err);
	}
	closedir(d);
	if (r < 0)
		return r;
	r = remove_dir(h, dir, true);
	return r < 0 ? lc_err_set(err, r, "cgroup: remove %s", dir) : 0;
}

/* Removes what h created: the container's directory with anything below it, then the
 * parents we created, stopping quietly at one another container still uses. */
static int
destroy_hier(struct cg_hier *h, struct lc_err *err)
{
	if (!h->n_created)
		return 0;
	int r = remove_tree(h, h->dir, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *p = strdup(h->dir);
	if (!p)
		return lc_err_set(err, ENOMEM, "cgroup");
	for (unsigned i = 1; i < h->n_created; i++) {
		*strrchr(p, '/') = '\0';
		r = remove_dir(h, p, false);
		if (r == -ENOTEMPTY || r == -EBUSY || r == -EEXIST)
			break;
		if (r < 0) {
			log_warn("cgroup: remove %s: %s", p, strerror(-r));
			break;
		}
	}
	h->n_created = 0;
	return 0;
}

int
cgroup_destroy(struct cgroup_mgr *m, struct lc_err *err)
{
	int first = 0;
	/* Every hierarchy is tried even after a failure; the first error is reported. */
	for (size_t i = m->n_h; i-- > 0;) {
		struct lc_err e = { 0 };
		int r = destroy_hier(&m->h[i], &e);
		if (r < 0 && !first) {
			first = r;
			if (err)
				*err = e;
		}
	}
	return first;
}

int
cgroup_create(const struct cgroup_create_opts *o, const struct lc_spec *s, const char *id,
	      struct cgroup_mgr **ret, struct lc_err *err)
{
	_cleanup_free_ char *abs = NULL, *rel = NULL;
	int r = resolve_path(s ? s->linux_.cgroups_path : NULL, id, o->systemd, &abs, &rel, err);
	if (r < 0)
		return r;
	_cleanup_(cgroup_freep) struct cgroup_mgr *m = NULL;
	r = cgroup_discover(o->root, o->mountinfo, &m, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < m->n_h; i++) {
		struct cg_hier *h = &m->h[i];
		char *inner = NULL;
		if (abs)
			inner = strdup(abs);
		else if (asprintf(&inner, "%s/%s", strcmp(h->inner, "/") ? h->inner : "", rel) < 0)
			inner = NULL;
		free(h->inner);
		h->inner = inner;
		if (!inner || asprintf(&h->dir, "%s%s", h->mount, inner) < 0)
			return lc_err_set(err, ENOMEM, "cgroup");
	}
	m->devices_pending = true;
	m->default_parent = !s || !s->linux_.cgroups_path || !*s->linux_.cgroups_path;
	if (!m->default_parent && !(m->config_path = strdup(s->linux_.cgroups_path)))
		return lc_err_set(err, ENOMEM, "cgroup");
	m->rest_pending = true;
	/* cgroup2's directory first: a clone goes into it (CLONE_INTO_CGROUP) */
	for (size_t i = 0; i < m->n_h && r >= 0; i++)
		if (m->h[i].unified)
			r = make_chain(m, &m->h[i], err);
	/* On v2 nothing is left for later: the parents delegate their controllers while
	 * the new cgroup is still empty (a cgroup.subtree_control write over a subtree
	 * with tasks in it takes the kernel's threadgroup lock for writing, with its RCU
	 * wait of about 10 ms here). */
	if (r >= 0 && (!o->split || m->ops->version == 2))
		r = cgroup_create_rest(m, err);
	if (r < 0) {
		(void)cgroup_destroy(m, NULL);
		return r;
	}
	*ret = TAKE_PTR(m);
	return 0;
}

int
cgroup_create_rest(struct cgroup_mgr *m, struct lc_err *err)
{
	int r = 0;
	if (!m->rest_pending)
		return 0;
	for (size_t i = 0; i < m->n_h && r >= 0; i++)
		if (!m->h[i].unified)
			r = make_chain(m, &m->h[i], err);
	if (r >= 0)
		r = m->ops->prepare(m, err);
	if (r >= 0)
		m->rest_pending = false;
	return r;
}

int
cgroup_apply(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	static const struct spec_resources none;
	int ret = m->ops->apply(m, r ? r : &none, err);
	if (ret >= 0)
		m->devices_pending = false;
	return ret;
}

int
cgroup_apply_config(struct cgroup_mgr *m, const struct lc_spec *s, struct lc_err *err)
{
	int r = cgroup_apply(m, &s->linux_.resources, err);
	return r < 0 ? lc_err_prefix(err, "config.json") : r;
}

int
cgroup_add_pid(struct cgroup_mgr *m, pid_t pid, struct lc_err *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < m->n_h; i++) {
		int r = cgroup_write(&m->h[i], m->h[i].dir, "cgroup.procs", buf, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The --cgroup entry that applies to hierarchy h: its own controller's, else the one
 * without a controller, else NULL. */
static const char *
sub_for(const struct cg_hier *h, char *const *subs, bool v2)
{
	const char *any = NULL;
	for (char *const *s = subs; *s; s++) {
		const char *colon = strchr(*s, ':');
		if (!colon) {
			any = *s;
			continue;
		}
		_cleanup_free_ char *ctl = strndup(*s, (size_t)(colon - *s));
		if (ctl && !v2 && !h->unified && list_has(h->controllers, ctl))
			return colon + 1;
		if (v2 && h->unified)
			any = colon + 1;
	}
	return any;
}

static int
check_subs(char *const *subs, struct lc_err *err)
{
	for (char *const *s = subs; s && *s; s++) {
		const char *path = strchr(*s, ':') ? strchr(*s, ':') + 1 : *s;
		if (!*path || path[0] == '/' || strstr(path, "..") || strstr(path, "//"))
			return lc_err_setx(err, EINVAL, "exec: --cgroup \"%s\": expected "
					   "[CONTROLLER:]PATH, PATH relative to the container's cgroup",
					   *s);
	}
	return 0;
}

/* The directory a process joins in hierarchy i: the container's, or the --cgroup
 * sub-cgroup of it that applies (which must exist). */
static int
join_dir(struct cgroup_mgr *m, size_t i, char *const *subs, char **ret, struct lc_err *err)
{
	const struct cg_hier *h = &m->h[i];
	const char *sub = subs ? sub_for(h, subs, m->ops->version == 2) : NULL;
	struct stat st;

	if (asprintf(ret, sub ? "%s/%s" : "%s", h->dir, sub) < 0)
		return lc_err_set(err, ENOMEM, "cgroup");
	if (sub && (stat(*ret, &st) < 0 || !S_ISDIR(st.st_mode)))
		return lc_err_setx(err, ENOENT, "exec: --cgroup: %s does not exist", *ret);
	return 0;
}

int
cgroup_add_pid_sub(struct cgroup_mgr *m, char *const *subs, pid_t pid, struct lc_err *err)
{
	char buf[32];
	int r = check_subs(subs, err);
	if (r < 0)
		return r;
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < m->n_h; i++) {
		_cleanup_free_ char *dir = NULL;
		if ((r = join_dir(m, i, subs, &dir, err)) < 0 ||
		    (r = cgroup_write(&m->h[i], dir, "cgroup.procs", buf, err)) < 0)
			return r;
	}
	return 0;
}

void
cgroup_self_attach_close(struct cgroup_self_attach *a)
{
	for (size_t i = 0; i < a->n_tasks; i++)
		closep(&a->tasks[i]);
	a->n_tasks = 0;
	closep(&a->v2_dirfd);
}

int
cgroup_self_attach_open(struct cgroup_mgr *m, char *const *subs, struct cgroup_self_attach *ret,
			struct lc_err *err)
{
	int r = check_subs(subs, err);

	*ret = (struct cgroup_self_attach){ .v2_dirfd = -1 };
	for (size_t i = 0; i < m->n_h && r >= 0; i++) {
		_cleanup_free_ char *dir = NULL, *p = NULL;
		if (m->rest_pending && !m->h[i].unified)
			continue;
		if ((r = join_dir(m, i, subs, &dir, err)) < 0)
			break;
		if (m->h[i].unified) {
			ret->v2_dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (ret->v2_dirfd < 0)
				r = lc_err_set(err, errno, "cgroup: open %s", dir);
			continue;
		}
		if (ret->n_tasks == ARRAY_SIZE(ret->tasks) || asprintf(&p, "%s/tasks", dir) < 0) {
			r = lc_err_set(err, ENOMEM, "cgroup: %s", dir);
			break;
		}
		int fd = open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			r = lc_err_set(err, errno, "cgroup: open %s", p);
		else
			ret->tasks[ret->n_tasks++] = fd;
	}
	if (r < 0)
		cgroup_self_attach_close(ret);
	return r < 0 ? r : 0;
}

int
cgroup_self_attach(struct cgroup_self_attach *a, struct lc_err *err)
{
	int r = 0;
	for (size_t i = 0; i < a->n_tasks && !r; i++)
		if (write(a->tasks[i], "0", 1) != 1)
			r = lc_err_set(err, errno, "cgroup: join the container's cgroup");
	cgroup_self_attach_close(a);
	return r;
}

/* ---- processes and freezing ---- */

struct pidv {
	pid_t *v;
	size_t n, cap;
};

static int
collect_pids(const char *dir, bool top, struct pidv *pv, struct lc_err *err)
{
	_cleanup_free_ char *procs = NULL;
	int r = cgroup_read(dir, "cgroup.procs", &procs);
	if (r == -ENOENT && !top)
		return 0; /* a nested cgroup went away while we walked */
	if (r < 0)
		return lc_err_set(err, r, "cgroup: read %s/cgroup.procs", dir);
	for (char *p = procs; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pv->n == pv->cap) {
			size_t nc = pv->cap ? pv->cap * 2 : 16;
			pid_t *nv = realloc(pv->v, nc * sizeof(pid_t));
			if (!nv)
				return lc_err_set(err, ENOMEM, "cgroup");
			pv->v = nv;
			pv->cap = nc;
		}
		pv->v[pv->n++] = (pid_t)v;
		p = end + strspn(end, "\n");
	}
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		_cleanup_free_ char *sub = NULL;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			return lc_err_set(err, ENOMEM, "cgroup");
		if ((r = collect_pids(sub, false, pv, err)) < 0)
			return r;
	}
	return 0;
}

int
cgroup_pids(struct cgroup_mgr *m, pid_t **ret, size_t *ret_n, struct lc_err *err)
{
	struct pidv pv = { 0 };
	int r = collect_pids(m->ops->procs_hier(m)->dir, true, &pv, err);
	if (r < 0) {
		free(pv.v);
		return r;
	}
	*ret = pv.v;
	*ret_n = pv.n;
	return 0;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int
cgroup_freeze(struct cgroup_mgr *m, bool frozen, struct lc_err *err)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = m->ops->freeze_write(m, frozen, err);
	if (r < 0)
		return r;
	/* A v1 freezer can sit in FREEZING while tasks are in uninterruptible sleep or
	 * forking; asking again (every 100 ms) moves it on. Give up after two seconds and
	 * thaw, so that a failed pause never leaves the container half frozen. */
	for (long last = 0;;) {
		r = m->ops->is_frozen(m, err);
		if (r < 0)
			return r;
		if (r == (int)frozen)
			return 0;
		long ms = ms_since(&t0);
		if (ms > 2000)
			break;
		if (ms - last >= 100) {
			last = ms;
			if ((r = m->ops->freeze_write(m, frozen, err)) < 0)
				return r;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 1000 * 1000 }, NULL);
	}
	if (frozen)
		(void)m->ops->freeze_write(m, false, NULL);
	return lc_err_setx(err, EBUSY, "cgroup: %s %s did not settle within 2 seconds",
			   frozen ? "freezing" : "thawing", m->ops->procs_hier(m)->dir);
}

int
cgroup_is_frozen(struct cgroup_mgr *m)
{
	return m->ops->is_frozen(m, NULL);
}

int
cgroup_stats(struct cgroup_mgr *m, struct cgroup_stats *ret, struct lc_err *err)
{
	*ret = (struct cgroup_stats){ 0 };
	struct cg_hier *h = m->ops->procs_hier(m);
	if (access(h->dir, F_OK) < 0)
		return lc_err_set(err, errno, "cgroup: %s", h->dir);
	return m->ops->stats(m, ret, err);
}

const char *
cgroup_path(const struct cgroup_mgr *m)
{
	return m->ops->procs_hier((struct cgroup_mgr *)m)->inner;
}

int
cgroup_version(const struct cgroup_mgr *m)
{
	return m->ops->version;
}

/* ---- state file form ----
 * "v<version> <hier> <hier> ...", each hier "CONTROLLERS:MOUNT:INNER:N_CREATED" with
 * '%', ':', spaces, control and non-ASCII bytes written as %XX. Empty controllers
 * mark the cgroup2 hierarchy. */

static void
put_enc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '%' || *p == ':')
			fprintf(f, "%%%02X", *p);
		else
			fputc(*p, f);
	}
}

int
cgroup_serialize(const struct cgroup_mgr *m, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "v%d", m->ops->version);
	for (size_t i = 0; i < m->n_h; i++) {
		const struct cg_hier *h = &m->h[i];
		fputc(' ', f);
		put_enc(f, h->controllers);
		fputc(':', f);
		put_enc(f, h->mount);
		fputc(':', f);
		put_enc(f, h->inner);
		fprintf(f, ":%u", m->default_parent && h->n_created > 1 ? 1 : h->n_created);
	}
	if (fclose(f) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes one %XX-encoded field of length n into a new string. */
static char *
dec_field(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n ? hexval(s[i + 1]) : -1, lo = i + 2 < n ? hexval(s[i + 2]) : -1;
		if (s[i] == '%' && hi >= 0 && lo >= 0) {
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static bool
has_dotdot(const char *p)
{
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if ((c == p || c[-1] == '/') && (c[2] == '/' || !c[2]))
			return true;
	return false;
}

static int
load_hier(struct cgroup_mgr *m, const char *tok, size_t n, struct lc_err *err)
{
	const char *f[4];
	size_t len[4], k = 0;
	for (const char *p = tok; k < 4; k++) {
		f[k] = p;
		const char *c = memchr(p, ':', (size_t)(tok + n - p));
		len[k] = c ? (size_t)(c - p) : (size_t)(tok + n - p);
		if (!c && k < 3)
			return -EINVAL;
		p = c ? c + 1 : tok + n;
	}
	_cleanup_free_ char *ctl = dec_field(f[0], len[0]), *mount = dec_field(f[1], len[1]);
	_cleanup_free_ char *inner = dec_field(f[2], len[2]), *num = dec_field(f[3], len[3]);
	if (!ctl || !mount || !inner || !num)
		return -ENOMEM;
	size_t rl = strlen(m->root);
	uint64_t created;
	/* The state file decides what delete removes: keep it inside root. */
	if (strncmp(mount, m->root, rl) != 0 || (mount[rl] && mount[rl] != '/') || has_dotdot(mount) ||
	    inner[0] != '/' || !inner[1] || has_dotdot(inner) || cgroup_parse_u64(num, &created) < 0 ||
	    created > count_components(inner))
		return lc_err_setx(err, EINVAL, "cgroup: bad hierarchy \"%.*s\" in state", (int)n, tok);
	if (cgroup_mgr_add(m, ctl, mount, inner, !*ctl) < 0)
		return -ENOMEM;
	struct cg_hier *h = &m->h[m->n_h - 1];
	h->n_created = (unsigned)created;
	if (asprintf(&h->dir, "%s%s", mount, inner) < 0)
		return -ENOMEM;
	return 0;
}

int
cgroup_load(const char *root, const char *serialized, struct cgroup_mgr **ret,
	    struct lc_err *err)
{
	if (!root || root[0] != '/')
		return lc_err_setx(err, EINVAL, "cgroup: root \"%s\" is not absolute", root ? root : "");
	_cleanup_(cgroup_freep) struct cgroup_mgr *m = calloc(1, sizeof(*m));
	if (!m || !(m->root = strdup(root)))
		return lc_err_set(err, ENOMEM, "cgroup");
	for (size_t l = strlen(m->root); l > 1 && m->root[l - 1] == '/'; l--)
		m->root[l - 1] = '\0';
	if (strncmp(serialized, "v1 ", 3) == 0)
		m->ops = &cgroup_v1_ops;
	else if (strncmp(serialized, "v2 ", 3) == 0)
		m->ops = &cgroup_v2_ops;
	else
		return lc_err_setx(err, EINVAL, "cgroup: unknown state \"%.40s\"", serialized);
	for (const char *p = serialized + 3; *p;) {
		size_t n = strcspn(p, " ");
		if (n) {
			int r = load_hier(m, p, n, err);
			if (r == -ENOMEM)
				return lc_err_set(err, ENOMEM, "cgroup");
			if (r < 0)
				return r;
		}
		p += n + strspn(p + n, " ");
	}
	if (m->n_h == 0 || (m->ops->version == 2 && (m->n_h != 1 || !m->h[0].unified)))
		return lc_err_setx(err, EINVAL, "cgroup: bad state \"%.80s\"", serialized);
	*ret = TAKE_PTR(m);
	return 0;
}
