/* Hierarchies and control files for libcontainer/cgroup: finding the mounted
 * hierarchies (from /proc/self/mountinfo, or the directories of a fake root in unit
 * tests), the runtime's own cgroup in each, and the small read/write helpers that
 * cgroup.c, v1.c and v2.c share. Lifecycle and path rules are cgroup.c's. */
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "internal.h"
#include "mountinfo.h"

#define SYS_CGROUP "/sys/fs/cgroup"

/* ---- control files ---- */

int
cgroup_write(const struct cg_hier *h, const char *dir, const char *file, const char *value,
	     struct lc_err *err)
{
	_cleanup_free_ char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, file) < 0)
		return lc_err_set(err, ENOMEM, "cgroup: write %s to %s/%s", value, dir, file);
	/* On cgroupfs a missing control file must stay an error (ENOENT names it);
	 * only a fake hierarchy gets its files created. */
	int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (h->fake ? O_CREAT | O_TRUNC : 0);
	_cleanup_close_ int fd = open(p, flags, 0644);
	if (fd < 0)
		return lc_err_set(err, errno, "cgroup: write %s to %s", value, p);
	return cgroup_write_fd(fd, p, value, err);
}

int
cgroup_write_fd(int fd, const char *path, const char *value, struct lc_err *err)
{
	size_t len = strlen(value);
	ssize_t n = write(fd, value, len);
	if (n < 0)
		return lc_err_set(err, errno, "cgroup: write %s to %s", value, path);
	if ((size_t)n != len)
		return lc_err_set(err, EIO, "cgroup: write %s to %s: short write", value, path);
	return 0;
}

int
cgroup_read(const char *dir, const char *file, char **ret)
{
	_cleanup_free_ char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, file) < 0)
		return -ENOMEM;
	_cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	size_t cap = 512, len = 0;
	_cleanup_free_ char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				return -ENOMEM;
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	return 0;
}

int
cgroup_parse_u64(const char *s, uint64_t *ret)
{
	if (strcmp(s, "max") == 0 || strcmp(s, "-1") == 0) {
		*ret = UINT64_MAX;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int
cgroup_read_u64(const char *dir, const char *file, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	int r = cgroup_read(dir, file, &s);
	if (r < 0)
		return r;
	return cgroup_parse_u64(s, ret);
}

int
cgroup_read_key(const char *dir, const char *file, const char *key, uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	int r = cgroup_read(dir, file, &s);
	if (r < 0)
		return r;
	size_t klen = strlen(key);
	for (char *line = s; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
			return cgroup_parse_u64(line + klen + 1, ret);
		line = next;
	}
	return -ENOENT;
}

bool
cgroup_has_file(const struct cg_hier *h, const char *file)
{
	_cleanup_free_ char *p = NULL, *q = NULL;
	if (asprintf(&p, "%s/%s", h->dir, file) < 0)
		return false;
	if (access(p, F_OK) == 0)
		return true;
	if (!h->fake || asprintf(&q, "%s/%s", h->mount, file) < 0)
		return false;
	return access(q, F_OK) == 0;
}

int
cgroup_put(const struct cg_hier *h, bool write, const char *field, const char *file,
	   const char *value, struct lc_err *err)
{
	if (!write)
		return cgroup_has_file(h, file)
			       ? 0
			       : lc_err_setx(err, ENOTSUP, "linux.resources.%s: %s does not exist in %s",
					     field, file, h->dir);
	int r = cgroup_write(h, h->dir, file, value, err);
	return r < 0 ? lc_err_prefix(err, "linux.resources.%s", field) : 0;
}

/* Whether the comma-separated lists a and b name the same set. */
static bool
same_set(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	for (const char *p = a; p; p = strchr(p, ','), p = p ? p + 1 : NULL) {
		size_t len = strcspn(p, ",");
		na++;
		bool found = false;
		for (const char *q = b; q && !found; q = strchr(q, ','), q = q ? q + 1 : NULL)
			found = strcspn(q, ",") == len && strncmp(p, q, len) == 0;
		if (!found)
			return false;
	}
	for (const char *q = b; q; q = strchr(q, ','), q = q ? q + 1 : NULL)
		nb++;
	return na == nb;
}

bool
list_has(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
		if (strcspn(p, ",") == len && strncmp(p, name, len) == 0)
			return true;
	return false;
}

struct cg_hier *
cgroup_find(struct cgroup_mgr *m, const char *controller)
{
	for (size_t i = 0; i < m->n_h; i++)
		if (!m->h[i].unified && list_has(m->h[i].controllers, controller))
			return &m->h[i];
	return NULL;
}

/* The devices a container may always use, as runc allows them: mknod of any node
 * (access still needs a rule), null, zero, full, random, urandom, tty, console, ptmx,
 * the pts slaves and /dev/net/tun. Written after the spec's rules on v1. */
const struct spec_device_cgroup cgroup_default_devices[] = {
	{ true, 'c', -1, -1, "m" },   { true, 'b', -1, -1, "m" },  { true, 'c', 1, 3, "rwm" },
	{ true, 'c', 1, 5, "rwm" },   { true, 'c', 1, 7, "rwm" },  { true, 'c', 1, 8, "rwm" },
	{ true, 'c', 1, 9, "rwm" },   { true, 'c', 5, 0, "rwm" },  { true, 'c', 5, 1, "rwm" },
	{ true, 'c', 5, 2, "rwm" },   { true, 'c', 136, -1, "rwm" }, { true, 'c', 10, 200, "rwm" },
};
const size_t cgroup_n_default_devices = ARRAY_SIZE(cgroup_default_devices);

void
cgroup_device_rule(const struct spec_device_cgroup *d, char *buf, size_t len)
{
	char maj[24] = "*", min[24] = "*";
	if (d->type == 'a') {
		snprintf(buf, len, "a");
		return;
	}
	if (d->major >= 0)
		snprintf(maj, sizeof(maj), "%" PRId64, d->major);
	if (d->minor >= 0)
		snprintf(min, sizeof(min), "%" PRId64, d->minor);
	snprintf(buf, len, "%c %s:%s %s", d->type, maj, min, d->access[0] ? d->access : "rwm");
}

/* ---- the manager ---- */

static void
hier_clear(struct cg_hier *h)
{
	free(h->controllers);
	free(h->mount);
	free(h->inner);
	free(h->dir);
}

void
cgroup_free(struct cgroup_mgr *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_h; i++)
		hier_clear(&m->h[i]);
	free(m->h);
	free(m->root);
	free(m->config_path);
	free(m);
}

static bool
is_cgroupfs(const char *path)
{
	struct statfs sf;
	if (statfs(path, &sf) < 0)
		return false;
	return sf.f_type == CGROUP_SUPER_MAGIC || sf.f_type == CGROUP2_SUPER_MAGIC;
}

int
cgroup_mgr_add(struct cgroup_mgr *m, const char *controllers, const char *mount, const char *own,
	bool unified)
{
	struct cg_hier *nh = realloc(m->h, (m->n_h + 1) * sizeof(*nh));
	if (!nh)
		return -ENOMEM;
	m->h = nh;
	struct cg_hier *h = &m->h[m->n_h];
	*h = (struct cg_hier){ .unified = unified, .fake = !is_cgroupfs(mount) };
	h->controllers = strdup(controllers);
	h->mount = strdup(mount);
	h->inner = strdup(own ? own : "/");
	m->n_h++;
	if (!h->controllers || !h->mount || !h->inner)
		return -ENOMEM;
	return 0;
}

/* /proc/self/cgroup as lines "ID:CONTROLLERS:PATH". */
static char *
own_cgroup(const char *self, const char *controllers, bool unified)
{
	if (!self)
		return NULL;
	for (const char *line = self; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *c1 = strchr(line, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *end = strchrnul(line, '\n');
		if (!c2 || c2 > end)
			continue;
		_cleanup_free_ char *ctl = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
		if (!ctl)
			return NULL;
		bool match = unified ? (c1 - line == 1 && line[0] == '0' && !*ctl)
				     : (*ctl && same_set(ctl, controllers));
		if (match)
			return strndup(c2 + 1, (size_t)(end - c2 - 1));
	}
	return NULL;
}

/* The runtime's own cgroup relative to a mount whose root field is mroot. */
static const char *
strip_mount_root(const char *own, const char *mroot)
{
	if (!own || !mroot || strcmp(mroot, "/") == 0)
		return own;
	size_t n = strlen(mroot);
	if (strncmp(own, mroot, n) == 0 && (own[n] == '/' || !own[n]))
		return own[n] ? own + n : "/";
	return "/"; /* our cgroup is outside what this mount shows */
}

/* v1 controller names as they appear in cgroup mount options; sorted for bsearch. */
static const char *const v1_controllers[] = {
	"blkio",   "cpu",    "cpuacct", "cpuset",     "devices", "freezer", "hugetlb",
	"memory",  "misc",   "net_cls", "net_prio",   "perf_event", "pids", "rdma",
};

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* Keeps the controller and name= entries of a cgroup super-options string. */
static char *
controllers_of(const char *super)
{
	size_t cap = strlen(super) + 1, len = 0;
	_cleanup_free_ char *opts = strdup(super);
	char *out = calloc(1, cap);
	if (!out || !opts) {
		free(out);
		return NULL;
	}
	for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "name=", 5) != 0 &&
		    !bsearch(o, v1_controllers, ARRAY_SIZE(v1_controllers), sizeof(v1_controllers[0]),
			     cmp_name))
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", o);
	}
	return out;
}

/* Fills m from /proc/self/mountinfo: every cgroup (v1) or cgroup2 mount below root,
 * one entry per hierarchy (a hierarchy mounted twice is taken once). */
static int
discover_mountinfo(struct cgroup_mgr *m, int version, const char *self, const char *mountinfo,
		   struct lc_err *err)
{
	_cleanup_free_ char *owned = NULL;
	if (!mountinfo && !(mountinfo = owned = mountinfo_read_self()))
		return lc_err_set(err, errno, "cgroup: read /proc/self/mountinfo");
	size_t rootlen = strlen(m->root);
	_cleanup_strv_ char **seen = calloc(1, sizeof(char *));
	size_t n_seen = 0;
	if (!seen)
		return -ENOMEM;
	for (const char *l = mountinfo; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		_cleanup_free_ char *line = strndup(l, strcspn(l, "\n"));
		struct mountinfo_line e;
		if (!line)
			return -ENOMEM;
		if (!mountinfo_parse(line, &e))
			continue;
		bool v2 = strcmp(e.fstype, "cgroup2") == 0;
		if (!v2 && strcmp(e.fstype, "cgroup") != 0)
			continue;
		char *mroot = e.root, *mpoint = e.mountpoint;
		if (version == 2 ? !(v2 && strcmp(mpoint, m->root) == 0)
				 : !(strncmp(mpoint, m->root, rootlen) == 0 && mpoint[rootlen] == '/'))
			continue;
		bool dup = false;
		for (size_t i = 0; i < n_seen && !dup; i++)
			dup = strcmp(seen[i], e.dev) == 0;
		if (dup)
			continue;
		char **ns = realloc(seen, (n_seen + 2) * sizeof(char *));
		if (!ns)
			return -ENOMEM;
		seen = ns;
		seen[n_seen + 1] = NULL;
		if (!(seen[n_seen++] = strdup(e.dev)))
			return -ENOMEM;
		_cleanup_free_ char *ctl = v2 ? strdup("") : controllers_of(e.super);
		if (!ctl)
			return -ENOMEM;
		if (!v2 && !*ctl)
			continue;
		_cleanup_free_ char *own = own_cgroup(self, ctl, v2);
		if (cgroup_mgr_add(m, ctl, mpoint, strip_mount_root(own, mroot), v2) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A fake v1 root: each real subdirectory is a hierarchy named by its controllers
 * ("memory", "cpu,cpuacct"), and "unified" is the cgroup2 one of a hybrid host. */
static int
discover_fake_v1(struct cgroup_mgr *m, const char *self, struct lc_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(m->root);
	if (!d)
		return lc_err_set(err, errno, "cgroup: open %s", m->root);
	_cleanup_strv_ char **names = calloc(1, sizeof(char *));
	size_t n = 0;
	if (!names)
		return -ENOMEM;
	for (struct dirent *de; (de = readdir(d));) {
		struct stat st;
		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		char **nn = realloc(names, (n + 2) * sizeof(char *));
		if (!nn)
			return -ENOMEM;
		names = nn;
		names[n + 1] = NULL;
		if (!(names[n++] = strdup(de->d_name)))
			return -ENOMEM;
	}
	qsort(names, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++) {
		bool unified = strcmp(names[i], "unified") == 0;
		_cleanup_free_ char *mount = NULL;
		_cleanup_free_ char *own = own_cgroup(self, names[i], unified);
		if (asprintf(&mount, "%s/%s", m->root, names[i]) < 0 ||
		    cgroup_mgr_add(m, unified ? "" : names[i], mount, own, unified) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
cgroup_discover(const char *root, const char *mountinfo, struct cgroup_mgr **ret,
		struct lc_err *err)
{
	if (!root || root[0] != '/')
		return lc_err_setx(err, EINVAL, "cgroup: root \"%s\" is not absolute", root ? root : "");
	_cleanup_(cgroup_freep) struct cgroup_mgr *m = calloc(1, sizeof(*m));
	if (!m || !(m->root = strdup(root)))
		return lc_err_set(err, ENOMEM, "cgroup");
	for (size_t l = strlen(m->root); l > 1 && m->root[l - 1] == '/'; l--)
		m->root[l - 1] = '\0';

	_cleanup_free_ char *ctl = NULL, *self = NULL;
	bool v2 = cgroup_read(m->root, "cgroup.controllers", &ctl) == 0;
	(void)cgroup_read("/proc/self", "cgroup", &self);
	m->ops = v2 ? &cgroup_v2_ops : &cgroup_v1_ops;
	bool real = strcmp(m->root, SYS_CGROUP) == 0;
	int r;
	if (real)
		r = discover_mountinfo(m, v2 ? 2 : 1, self, mountinfo, err);
	else if (v2) {
		_cleanup_free_ char *own = own_cgroup(self, "", true);
		r = cgroup_mgr_add(m, "", m->root, own, true);
	} else
		r = discover_fake_v1(m, self, err);
	if (r < 0)
		return r == -ENOMEM ? lc_err_set(err, ENOMEM, "cgroup") : r;
	if (v2 && real && m->n_h == 0 && cgroup_mgr_add(m, "", m->root, NULL, true) < 0)
		return lc_err_set(err, ENOMEM, "cgroup");
	if (m->n_h == 0)
		return lc_err_setx(err, ENOENT, "cgroup: no cgroup hierarchy is mounted under %s",
				   m->root);
	*ret = TAKE_PTR(m);
	return 0;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cgroup_usable_controllers(const char *root, char **ret, struct lc_err *err)
{
	_cleanup_(cgroup_freep) struct cgroup_mgr *m = NULL;
	int r = cgroup_discover(root, NULL, &m, err);
	if (r < 0)
		return r;
	if (m->ops->version == 2) {
		r = cgroup_read(m->root, "cgroup.controllers", ret);
		return r < 0 ? lc_err_set(err, r, "cgroup: read %s/cgroup.controllers", m->root) : 0;
	}
	/* every controller of every v1 hierarchy ("cpu,cpuacct" gives two) */
	size_t total = 1, n = 0;
	for (size_t i = 0; i < m->n_h; i++)
		total += strlen(m->h[i].controllers) + 1;
	_cleanup_free_ char *all = malloc(total);
	_cleanup_free_ char **names = calloc(total, sizeof(char *));
	char *out = malloc(total);
	if (!all || !names || !out) {
		free(out);
		return lc_err_set(err, ENOMEM, "cgroup");
	}
	size_t off = 0;
	for (size_t i = 0; i < m->n_h; i++)
		off += (size_t)sprintf(all + off, "%s,", m->h[i].unified ? "" : m->h[i].controllers);
	for (char *save = NULL, *t = strtok_r(all, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (strncmp(t, "name=", 5) != 0)
			names[n++] = t;
	qsort(names, n, sizeof(char *), cmp_strp);
	off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(names[i], names[i - 1]))
			off += (size_t)sprintf(out + off, "%s%s", off ? " " : "", names[i]);
	*ret = out;
	return 0;
}
