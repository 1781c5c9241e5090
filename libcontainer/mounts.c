/* The mount plan: turns the typed spec into an ordered array of mount_op, in the
 * runtime before clone, so that the container process only applies ready data. All
 * parsing happens here: filesystem classes, MOUNT_ATTR_* from MS_* flags, devpts data,
 * the host cgroup layout (mountinfo), the default /dev content. rootfs.c applies. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "error.h"
#include "log.h"
#include "mounts.h"
#include "mountinfo.h"
#include "tables.h"

#define CFG "config.json"

/* Filesystem types with a special treatment, sorted by name for bsearch. */
enum fs_class { FSC_PLAIN, FSC_CGROUP, FSC_CGROUP2 };
static const struct fs_type {
	const char *name;
	enum mount_fs fs;
	enum fs_class cls;
} fs_types[] = {
	{ "cgroup", MFS_OTHER, FSC_CGROUP }, { "cgroup2", MFS_OTHER, FSC_CGROUP2 },
	{ "devpts", MFS_DEVPTS, FSC_PLAIN }, { "mqueue", MFS_MQUEUE, FSC_PLAIN },
	{ "proc", MFS_PROC, FSC_PLAIN },     { "sysfs", MFS_SYSFS, FSC_PLAIN },
	{ "tmpfs", MFS_TMPFS, FSC_PLAIN },
};

static const struct fs_type *
fs_type_lookup(const char *name)
{
	size_t lo = 0, hi = ARRAY_SIZE(fs_types);
	while (name && lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, fs_types[mid].name);
		if (c == 0)
			return &fs_types[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Per-mount flags that mount_setattr can set on a bind; superblock flags (sync,
 * dirsync, mand) cannot change on a bind and are left alone, as mount(8) does. */
static const struct {
	unsigned long ms;
	uint64_t attr;
} flag_attrs[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY },
	{ MS_NOSUID, MOUNT_ATTR_NOSUID },
	{ MS_NODEV, MOUNT_ATTR_NODEV },
	{ MS_NOEXEC, MOUNT_ATTR_NOEXEC },
	{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
};

#define MS_ATIME_MASK (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)
#define MS_PER_MOUNT (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | MS_ATIME_MASK)
#define MS_NOT_FS (MS_BIND | MS_REC | MS_REMOUNT | MS_MOVE | MS_SHARED | MS_SLAVE | \
		   MS_PRIVATE | MS_UNBINDABLE)

/* MS_* to set and clear -> MOUNT_ATTR_* to set and clear. Only what the options name
 * is touched: a flag the kernel locked on a user-namespace mount (nodev, nosuid, ro)
 * is never cleared unless the user asked for it. */
static void
flags_to_attrs(unsigned long set, unsigned long clr, uint64_t *ret_set, uint64_t *ret_clr)
{
	uint64_t a_set = 0, a_clr = 0;

	for (size_t i = 0; i < ARRAY_SIZE(flag_attrs); i++) {
		if (set & flag_attrs[i].ms)
			a_set |= flag_attrs[i].attr;
		else if (clr & flag_attrs[i].ms)
			a_clr |= flag_attrs[i].attr;
	}
	/* atime is one field: naming any atime option replaces it. "atime",
	 * "norelatime" and "nostrictatime" fall back to the kernel default, relatime,
	 * except that "norelatime" means strictatime. */
	if (set & MS_NOATIME)
		a_set |= MOUNT_ATTR_NOATIME;
	else if (set & MS_STRICTATIME || clr & MS_RELATIME)
		a_set |= MOUNT_ATTR_STRICTATIME;
	if ((set | clr) & MS_ATIME_MASK)
		a_clr |= MOUNT_ATTR__ATIME;
	*ret_set = a_set;
	*ret_clr = a_clr;
}

/* ---- plan building helpers ---- */

static int
plan_push(struct mount_plan *p, enum mount_op_kind kind, const char *dest,
	  struct mount_op **ret)
{
	struct mount_op *ops = reallocarray(p->ops, p->n_ops + 1, sizeof(*ops));
	if (!ops)
		return -ENOMEM;
	p->ops = ops;
	*ret = memset(&ops[p->n_ops++], 0, sizeof(*ops));
	(*ret)->kind = kind;
	(*ret)->dest = dest;
	(*ret)->index = SIZE_MAX;
	return 0;
}

/* Keeps s (malloc'd) in the plan; returns it, or NULL (s freed) on ENOMEM. */
static char *
plan_keep(struct mount_plan *p, char *s)
{
	char **v = s ? reallocarray(p->strings, p->n_strings + 1, sizeof(*v)) : NULL;
	if (!v) {
		free(s);
		return NULL;
	}
	p->strings = v;
	v[p->n_strings++] = s;
	return s;
}

static char *
plan_join(struct mount_plan *p, const char *dir, const char *name)
{
	char *s;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (asprintf(&s, "%.*s/%s", (int)n, dir, name) < 0)
		return NULL;
	return plan_keep(p, s);
}

/* Lexical compare of two absolute paths, ignoring repeated and trailing slashes. */
static bool
path_same(const char *a, const char *b)
{
	for (;;) {
		while (*a == '/' && a[1] == '/')
			a++;
		while (*b == '/' && b[1] == '/')
			b++;
		if ((!*a || (*a == '/' && !a[1])) && (!*b || (*b == '/' && !b[1])))
			return true;
		if (*a != *b)
			return false;
		a++;
		b++;
	}
}

static void
set_propagation(struct mount_op *op, enum mnt_propagation prop)
{
	unsigned long f = table_propagation_flags(prop);
	op->propagation = f & ~MS_REC;
	op->propagation_rec = f & MS_REC;
}

/* Whether a comma-separated option list holds key (as "key" or "key=..."). */
static bool
data_has(const char *data, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = data; p && *p;) {
		if (strncmp(p, key, n) == 0 && (p[n] == ',' || p[n] == '=' || !p[n]))
			return true;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* data without its key=... options (malloc'd). */
static char *
data_without(const char *data, const char *key)
{
	size_t n = strlen(key), o = 0;
	char *out = calloc(1, strlen(data) + 1);

	for (const char *p = data; out && *p;) {
		size_t len = strcspn(p, ",");
		if (!(strncmp(p, key, n) == 0 && (p[n] == '=' || p[n] == ',' || n == len))) {
			if (o)
				out[o++] = ',';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		if (*p)
			p++;
	}
	return out;
}

/* devpts always gets its own instance, and a ptmx usable by everyone: /dev/ptmx is
 * a symlink to pts/ptmx, whose mode is 0000 by default. */
static int
plan_devpts_data(struct mount_op *op, const char *data, bool userns)
{
	const char *d = data ? data : "";
	if (asprintf(&op->data, "%s%s%s", data_has(d, "newinstance") ? "" : "newinstance,",
		     data_has(d, "ptmxmode") ? "" : "ptmxmode=0666,", d) < 0) {
		op->data = NULL;
		return -ENOMEM;
	}
	size_t n = strlen(op->data);
	if (n && op->data[n - 1] == ',')
		op->data[n - 1] = '\0';
	/* gid=5 fails with EINVAL when gid 5 is not mapped in the user namespace. */
	if (userns && data_has(d, "gid")) {
		op->data_fallback = data_without(op->data, "gid");
		if (!op->data_fallback)
			return -ENOMEM;
	}
	return 0;
}

static int
plan_fs_mount(struct mount_plan *p, const struct spec_mount *m, size_t i, const struct fs_type *t)
{
	struct mount_op *op;
	int r = plan_push(p, MOP_MOUNT, m->destination, &op);
	if (r < 0)
		return r;
	op->m = m;
	op->index = i;
	op->dest_is_dir = true;
	op->fs = t ? t->fs : MFS_OTHER;
	op->fstype = m->type;
	op->fs_flags = m->flags & ~MS_NOT_FS;
	op->source = strdup(m->source ? m->source : m->type);
	if (!op->source)
		return -ENOMEM;
	/* Used when sysfs or mqueue falls back to an rbind in a user namespace: a
	 * read-only new instance would have no submounts, so the rbind is rro. */
	flags_to_attrs(m->flags, m->clear_flags, &op->attr_set, &op->attr_clr);
	op->recursive = true;
	op->rro = m->rro || (m->flags & MS_RDONLY);
	set_propagation(op, m->propagation);
	if (op->fs == MFS_DEVPTS)
		return plan_devpts_data(op, m->data, p->userns);
	if (m->data && !(op->data = strdup(m->data)))
		return -ENOMEM;
	return 0;
}

static int
plan_bind(struct mount_plan *p, const struct spec_mount *m, size_t i, struct lc_err *err)
{
	struct mount_op *op;
	struct stat st;
	int r;

	if (!m->source)
		return lc_err_setx(err, EINVAL, CFG ": mounts[%zu].source: required for a bind mount",
				   i);
	if (m->source[0] != '/')
		return lc_err_setx(err, EINVAL, CFG ": mounts[%zu].source: \"%s\" is not an absolute path",
				   i, m->source);
	/* Checked here, in the runtime, to fail before any namespace exists, and to know
	 * whether the target to create is a directory or a file. */
	if (stat(m->source, &st) < 0)
		return lc_err_set(err, errno, CFG ": mounts[%zu].source: \"%s\"", i, m->source);
	r = plan_push(p, MOP_BIND, m->destination, &op);
	if (r < 0)
		return lc_err_set(err, r, "mount plan");
	op->m = m;
	op->index = i;
	op->dest_is_dir = S_ISDIR(st.st_mode);
	op->source = strdup(m->source);
	if (!op->source)
		return lc_err_set(err, ENOMEM, "mount plan");
	flags_to_attrs(m->flags, m->clear_flags, &op->attr_set, &op->attr_clr);
	op->recursive = m->rbind;
	op->rro = m->rro;
	set_propagation(op, m->propagation);
	return 0;
}

/* ---- cgroups ---- */

static const char *const cgroup_non_controller_opts[] = {
	"rw", "ro", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods",
	"nofavordynmods",
};

static bool
is_controller_opt(const char *o, size_t len)
{
	if (len > 5 && strncmp(o, "name=", 5) == 0)
		return true;
	if (memchr(o, '=', len))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(cgroup_non_controller_opts); i++)
		if (strlen(cgroup_non_controller_opts[i]) == len &&
		    strncmp(o, cgroup_non_controller_opts[i], len) == 0)
			return false;
	return true;
}

/* The controllers of a cgroup v1 mount from its super options ("rw,cpu,cpuacct" ->
 * "cpu,cpuacct"), in the kernel's order, which is also /proc/self/cgroup's. */
static char *
controllers_from_opts(const char *opts)
{
	char *out = calloc(1, strlen(opts) + 1);
	size_t o = 0;

	for (const char *p = opts; out && *p;) {
		size_t len = strcspn(p, ",");
		if (len && is_controller_opt(p, len)) {
			if (o)
				out[o++] = ',';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		if (*p)
			p++;
	}
	return out;
}

static int
hier_add(struct mount_plan *p, const char *mountpoint, const char *root, char *controllers,
	 bool v2)
{
	struct mount_cgroup_hier *h;

	for (size_t i = 0; i < p->n_cgroup_hiers; i++) {
		/* the same hierarchy mounted twice: the first one wins */
		if (p->cgroup_hiers[i].v2 == v2 && strcmp(p->cgroup_hiers[i].controllers, controllers) == 0) {
			free(controllers);
			return 0;
		}
	}
	h = reallocarray(p->cgroup_hiers, p->n_cgroup_hiers + 1, sizeof(*h));
	if (!h) {
		free(controllers);
		return -ENOMEM;
	}
	p->cgroup_hiers = h;
	h = &h[p->n_cgroup_hiers++];
	*h = (struct mount_cgroup_hier){ .controllers = controllers, .v2 = v2 };
	h->mountpoint = mountpoint ? strdup(mountpoint) : NULL;
	h->root = strdup(root);
	if ((mountpoint && !h->mountpoint) || !h->root)
		return -ENOMEM;
	return 0;
}

/* One mountinfo line: a cgroup (v1) or, when want_v2, cgroup2 mount becomes a hierarchy. */
static int
layout_parse_line(struct mount_plan *p, char *line, bool want_v2)
{
	struct mountinfo_line e;

	if (!mountinfo_parse(line, &e))
		return 0;
	bool v2 = strcmp(e.fstype, "cgroup2") == 0;
	if ((v2 && !want_v2) || (!v2 && strcmp(e.fstype, "cgroup") != 0))
		return 0;
	char *ctl = v2 ? strdup("") : controllers_from_opts(e.super);
	if (!ctl)
		return -ENOMEM;
	return hier_add(p, e.mountpoint, e.root, ctl, v2);
}

/* Reads the host cgroup layout: every v1 hierarchy in mountinfo order, then exactly
 * one cgroup2 entry (mountpoint NULL when the host has none mounted). */
static int
layout_load(struct mount_plan *p, const char *mountinfo, struct lc_err *err)
{
	_cleanup_free_ char *owned = NULL;
	int r;

	if (!mountinfo) {
		if (!(owned = mountinfo_read_self()))
			return lc_err_set(err, errno, "read /proc/self/mountinfo");
		mountinfo = owned;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (const char *l = mountinfo; *l;) {
			size_t len = strcspn(l, "\n");
			_cleanup_free_ char *line = strndup(l, len);
			if (!line)
				return lc_err_set(err, ENOMEM, "mount plan");
			r = layout_parse_line(p, line, pass == 1);
			if (r < 0)
				return lc_err_set(err, r, "mount plan: cgroup layout");
			l += len;
			if (*l)
				l++;
		}
	}
	if (p->n_cgroup_hiers == 0 || !p->cgroup_hiers[p->n_cgroup_hiers - 1].v2) {
		char *ctl = strdup("");
		r = ctl ? hier_add(p, NULL, "/", ctl, true) : -ENOMEM;
		if (r < 0)
			return lc_err_set(err, r, "mount plan");
	}
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static int
plan_cgroup_hier(struct mount_plan *p, const struct spec_mount *m, size_t i, const char *dest,
		 const struct mount_cgroup_hier *h, bool cgroupns)
{
	struct mount_op *op;
	int r = plan_push(p, MOP_CGROUP, dest, &op);
	if (r < 0)
		return r;
	op->m = m;
	op->index = i;
	op->dest_is_dir = true;
	op->hier = h;
	op->cgroupns = cgroupns;
	op->fstype = h->v2 ? "cgroup2" : "cgroup";
	op->source = strdup(op->fstype);
	op->fs_flags = m->flags & MS_PER_MOUNT;
	flags_to_attrs(m->flags, m->clear_flags, &op->attr_set, &op->attr_clr);
	set_propagation(op, m->propagation);
	if (!op->source || (!h->v2 && !(op->data = strdup(h->controllers))))
		return -ENOMEM;
	return 0;
}

/* The symlinks a co-mounted hierarchy needs ("cpu" -> "cpu,cpuacct"), unless another
 * hierarchy already has that name. */
static int
plan_cgroup_links(struct mount_plan *p, const char *dest, const struct mount_cgroup_hier *h)
{
	const char *name = base_name(h->mountpoint);
	for (const char *c = h->controllers; *c;) {
		size_t len = strcspn(c, ",");
		bool taken = strncmp(c, "name=", 5) == 0 || (strlen(name) == len && !strncmp(c, name, len));
		for (size_t j = 0; !taken && j < p->n_cgroup_hiers; j++) {
			const char *mp = p->cgroup_hiers[j].mountpoint;
			taken = mp && strlen(base_name(mp)) == len && !strncmp(base_name(mp), c, len);
		}
		if (!taken) {
			struct mount_op *op;
			_cleanup_free_ char *ctl = strndup(c, len);
			char *path = ctl ? plan_join(p, dest, ctl) : NULL;
			if (!path || plan_push(p, MOP_SYMLINK, path, &op) < 0)
				return -ENOMEM;
			op->link_path = path;
			op->link_target = name;
		}
		c += len;
		if (*c)
			c++;
	}
	return 0;
}

/* "cgroup" on a v1 (or hybrid) host: a tmpfs holding one directory per hierarchy,
 * sealed read-only at the end when the mount says ro. On a v2-only host, or for
 * "cgroup2", the unified hierarchy alone. */
static int
plan_cgroup(struct mount_plan *p, const struct lc_spec *s, size_t i, bool v2, struct lc_err *err)
{
	const struct spec_mount *m = &s->mounts[i];
	const struct spec_ns *cg = &s->linux_.ns[NS_CGROUP];
	const struct mount_cgroup_hier *v2h = &p->cgroup_hiers[p->n_cgroup_hiers - 1];
	struct mount_op *op;
	int r;

	if (v2 || p->n_cgroup_hiers == 1) {
		r = plan_cgroup_hier(p, m, i, m->destination, v2h, cg->present);
		return r < 0 ? lc_err_set(err, r, "mount plan") : 0;
	}
	r = plan_push(p, MOP_MOUNT, m->destination, &op);
	if (r < 0)
		return lc_err_set(err, r, "mount plan");
	op->m = m;
	op->index = i;
	op->dest_is_dir = true;
	op->fs = MFS_TMPFS;
	op->fstype = "tmpfs";
	op->fs_flags = m->flags & MS_PER_MOUNT & ~MS_RDONLY;
	set_propagation(op, m->propagation);
	if (!(op->source = strdup("tmpfs")) || !(op->data = strdup("mode=755")))
		return lc_err_set(err, ENOMEM, "mount plan");
	for (size_t h = 0; h + 1 < p->n_cgroup_hiers; h++) {
		const struct mount_cgroup_hier *hier = &p->cgroup_hiers[h];
		const char *dest = plan_join(p, m->destination, base_name(hier->mountpoint));
		if (!dest)
			return lc_err_set(err, ENOMEM, "mount plan");
		r = plan_cgroup_hier(p, m, i, dest, hier, cg->present);
		if (r >= 0)
			r = plan_cgroup_links(p, m->destination, hier);
		if (r < 0)
			return lc_err_set(err, r, "mount plan");
	}
	if (m->flags & MS_RDONLY) {
		r = plan_push(p, MOP_SEAL_RO, m->destination, &op);
		if (r < 0)
			return lc_err_set(err, r, "mount plan");
		op->m = m;
		op->index = i;
		op->dest_is_dir = true;
		op->fstype = "tmpfs";
		op->attr_set = MOUNT_ATTR_RDONLY;
		if (!(op->source = strdup("tmpfs")))
			return lc_err_set(err, ENOMEM, "mount plan");
	}
	return 0;
}

/* ---- /dev ---- */

#define DEFAULT_DEV(p, ma, mi)                                                             \
	{ .path = (char *)(p), .type = 'c', .major = (ma), .minor = (mi), .has_file_mode = true, \
	  .file_mode = 0666, .has_uid = true, .has_gid = true }
static const struct spec_device default_devices[] = {
	DEFAULT_DEV("/dev/null", 1, 3),	  DEFAULT_DEV("/dev/zero", 1, 5),
	DEFAULT_DEV("/dev/full", 1, 7),	  DEFAULT_DEV("/dev/random", 1, 8),
	DEFAULT_DEV("/dev/urandom", 1, 9), DEFAULT_DEV("/dev/tty", 5, 0),
};

static const struct {
	const char *path, *target;
} default_links[] = {
	{ "/dev/fd", "/proc/self/fd" },	      { "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" }, { "/dev/stderr", "/proc/self/fd/2" },
	{ "/dev/core", "/proc/kcore" },	      { "/dev/ptmx", "pts/ptmx" },
};

static const char *const default_dirs[] = { "/dev/pts", "/dev/shm" };

static bool
spec_has_device(const struct spec_linux *l, const char *path)
{
	for (size_t i = 0; i < l->n_devices; i++)
		if (path_same(l->devices[i].path, path))
			return true;
	return false;
}

static int
plan_device(struct mount_plan *p, const struct spec_device *d)
{
	struct mount_op *op;
	int r = plan_push(p, MOP_DEVICE, d->path, &op);
	if (r < 0)
		return r;
	op->dev = d;
	/* mknod of a device is refused in a user namespace: bind the host node. */
	op->dev_bind = p->userns && d->type != 'p';
	op->attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
	return 0;
}

static int
plan_dev(struct mount_plan *p, const struct lc_spec *s)
{
	const struct spec_linux *l = &s->linux_;
	struct mount_op *op;
	int r;

	for (size_t i = 0; i < l->n_devices; i++) {
		r = plan_device(p, &l->devices[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_devices); i++) {
		if (spec_has_device(l, default_devices[i].path))
			continue;
		r = plan_device(p, &default_devices[i]);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_links); i++) {
		if (spec_has_device(l, default_links[i].path))
			continue;
		r = plan_push(p, MOP_SYMLINK, default_links[i].path, &op);
		if (r < 0)
			return r;
		op->link_path = default_links[i].path;
		op->link_target = default_links[i].target;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_dirs); i++) {
		r = plan_push(p, MOP_MKDIR, default_dirs[i], &op);
		if (r < 0)
			return r;
		op->dest_is_dir = true;
	}
	return 0;
}

static int
plan_spec_mount(struct mount_plan *p, const struct lc_spec *s, size_t i, struct lc_err *err)
{
	const struct spec_mount *m = &s->mounts[i];
	const struct fs_type *t = fs_type_lookup(m->type);
	int r;

	if (m->idmap || m->ridmap || m->n_uid_mappings || m->n_gid_mappings)
		return lc_err_setx(err, EOPNOTSUPP,
				   CFG ": mounts[%zu]: idmapped mounts are not supported", i);
	if (m->tmpcopyup)
		log_warn(CFG ": mounts[%zu]: tmpcopyup is not supported, ignored", i);
	if (m->bind)
		return plan_bind(p, m, i, err);
	if (!m->type)
		return lc_err_setx(err, EINVAL, CFG ": mounts[%zu]: no type and no bind option", i);
	if (t && t->cls != FSC_PLAIN)
		return plan_cgroup(p, s, i, t->cls == FSC_CGROUP2, err);
	r = plan_fs_mount(p, m, i, t);
	return r < 0 ? lc_err_set(err, r, "mount plan") : 0;
}

/* Whether path lies strictly below dir (lexically, slashes normalized as above). */
static bool
path_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1) /* "/" */
		return path[0] == '/' && path[1];
	while (*path == '/' && path[1] == '/')
		path++;
	return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1];
}

/* A read-only tmpfs that later ops put something under (/dev with its submounts and
 * device nodes) is mounted read-write and sealed read-only once everything under it
 * exists, as runc does; otherwise the later ops would fail with EROFS. */
static int
plan_late_ro(struct mount_plan *p)
{
	size_t n = p->n_ops;
	for (size_t i = 0; i < n; i++) {
		struct mount_op *op = &p->ops[i];
		/* tmpfs: where later ops create directories and nodes (procfs and sysfs
		 * have their mount points already) */
		if (op->kind != MOP_MOUNT || op->fs != MFS_TMPFS || !(op->fs_flags & MS_RDONLY))
			continue;
		bool covered = false;
		for (size_t j = i + 1; j < n && !covered; j++)
			covered = path_below(p->ops[j].dest, op->dest);
		if (!covered)
			continue;
		/* only the new instance: an rbind fallback (sysfs, mqueue in a user
		 * namespace) keeps its recursive read-only attributes */
		op->fs_flags &= ~MS_RDONLY;
		const struct spec_mount *m = op->m;
		size_t index = op->index;
		const char *dest = op->dest, *fstype = op->fstype;
		struct mount_op *seal;
		int r = plan_push(p, MOP_SEAL_RO, dest, &seal);
		if (r < 0)
			return r;
		seal->m = m;
		seal->index = index;
		seal->dest_is_dir = true;
		seal->fstype = fstype;
		seal->attr_set = MOUNT_ATTR_RDONLY;
		if (!(seal->source = strdup(m && m->source ? m->source : fstype)))
			return -ENOMEM;
	}
	return 0;
}

int
mounts_plan_with_mountinfo(const struct lc_spec *s, const char *mountinfo,
			   struct mount_plan **ret, struct lc_err *err)
{
	_cleanup_mount_plan_ struct mount_plan *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return lc_err_set(err, ENOMEM, "mount plan");
	p->userns = s->linux_.ns[NS_USER].present;
	p->default_dev = true;
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct fs_type *t = fs_type_lookup(s->mounts[i].type);
		if (!s->mounts[i].bind && t && t->cls != FSC_PLAIN && !p->cgroup_hiers) {
			r = layout_load(p, mountinfo, err);
			if (r < 0)
				return r;
		}
		/* /dev bound from the host already has its devices: creating nodes there
		 * would write to the host's /dev. */
		if (s->mounts[i].bind && path_same(s->mounts[i].destination, "/dev"))
			p->default_dev = false;
	}
	for (size_t i = 0; i < s->n_mounts; i++) {
		r = plan_spec_mount(p, s, i, err);
		if (r < 0)
			return r;
	}
	if (p->default_dev) {
		r = plan_dev(p, s);
		if (r < 0)
			return lc_err_set(err, r, "mount plan");
	} else if (s->linux_.n_devices) {
		log_warn(CFG ": linux.devices ignored: /dev is bind-mounted from the host");
	}
	r = plan_late_ro(p);
	if (r < 0)
		return lc_err_set(err, r, "mount plan");
	*ret = TAKE_PTR(p);
	return 0;
}

int
mounts_plan(const struct lc_spec *s, struct mount_plan **ret, struct lc_err *err)
{
	return mounts_plan_with_mountinfo(s, NULL, ret, err);
}

void
mounts_plan_free(struct mount_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_ops; i++) {
		free(p->ops[i].source);
		free(p->ops[i].data);
		free(p->ops[i].data_fallback);
		if (p->ops[i].src_tree > 2)
			close(p->ops[i].src_tree);
	}
	free(p->ops);
	for (size_t i = 0; i < p->n_cgroup_hiers; i++) {
		free(p->cgroup_hiers[i].mountpoint);
		free(p->cgroup_hiers[i].root);
		free(p->cgroup_hiers[i].controllers);
	}
	free(p->cgroup_hiers);
	for (size_t i = 0; i < p->n_strings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p);
}
