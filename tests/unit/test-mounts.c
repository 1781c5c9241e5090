/* mounts.c: the plan built from hand-filled specs: order, cgroup expansion from a
 * fixed mountinfo (hybrid and v2-only), MOUNT_ATTR_* from MS_* flags, devpts data,
 * default devices and links, user-namespace choices, and config errors. No root. */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "error.h"
#include "mounts.h"
#include "mountinfo.h"
#include "tap.h"

static const char hybrid_mountinfo[] =
	"22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw\n"
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory,clone_children\n"
	"40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/x,name=systemd\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
	"42 31 0:32 /nested /mnt/memory\\040again rw - cgroup cgroup rw,memory\n";

static const char v2_mountinfo[] =
	"22 1 0:21 / /proc rw - proc proc rw\n"
	"30 23 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

#define OPTS_DEFAULT (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static struct spec_mount
fs_mount(const char *dest, const char *type, unsigned long flags, const char *data)
{
	return (struct spec_mount){ .destination = (char *)dest, .type = (char *)type,
				    .source = (char *)type, .flags = flags, .data = (char *)data };
}

static struct spec_mount
bind_mount(const char *dest, const char *src, bool rbind, unsigned long flags, unsigned long clr)
{
	return (struct spec_mount){ .destination = (char *)dest, .source = (char *)src,
				    .bind = true, .rbind = rbind,
				    .flags = flags | MS_BIND | (rbind ? MS_REC : 0),
				    .clear_flags = clr };
}

static size_t
count_kind(const struct mount_plan *p, enum mount_op_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_ops; i++)
		n += p->ops[i].kind == k;
	return n;
}

static const struct mount_op *
find_op(const struct mount_plan *p, enum mount_op_kind k, const char *dest)
{
	for (size_t i = 0; i < p->n_ops; i++)
		if (p->ops[i].kind == k && strcmp(p->ops[i].dest, dest) == 0)
			return &p->ops[i];
	return NULL;
}

static char tmpfile_path[PATH_MAX];

static void
test_default_like(void)
{
	struct spec_mount mounts[] = {
		fs_mount("/proc", "proc", OPTS_DEFAULT, NULL),
		fs_mount("/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
		fs_mount("/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,gid=5"),
		fs_mount("/dev/shm", "tmpfs", OPTS_DEFAULT, "mode=1777,size=65536k"),
		fs_mount("/dev/mqueue", "mqueue", OPTS_DEFAULT, NULL),
		fs_mount("/sys", "sysfs", OPTS_DEFAULT | MS_RDONLY, NULL),
		fs_mount("/sys/fs/cgroup", "cgroup", OPTS_DEFAULT | MS_RELATIME | MS_RDONLY, NULL),
		bind_mount("/data", "/tmp", true, MS_RDONLY | MS_NOSUID, 0),
		bind_mount("/etc/hostname", tmpfile_path, false, 0, MS_RDONLY),
	};
	mounts[7].rro = true;
	mounts[7].propagation = PROP_RSLAVE;
	struct lc_spec s = { .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts) };
	_cleanup_mount_plan_ struct mount_plan *p = NULL;
	struct lc_err err = { 0 };
	const struct mount_op *op;

	int r = mounts_plan_with_mountinfo(&s, hybrid_mountinfo, &p, &err);
	is_int(r, 0, "default-like spec plans (%s)", err.msg);
	if (r < 0)
		return;

	/* Spec order first; cgroup expands in place. */
	static const struct {
		enum mount_op_kind kind;
		const char *dest;
	} want[] = {
		{ MOP_MOUNT, "/proc" },
		{ MOP_MOUNT, "/dev" },
		{ MOP_MOUNT, "/dev/pts" },
		{ MOP_MOUNT, "/dev/shm" },
		{ MOP_MOUNT, "/dev/mqueue" },
		{ MOP_MOUNT, "/sys" },
		{ MOP_MOUNT, "/sys/fs/cgroup" },
		{ MOP_CGROUP, "/sys/fs/cgroup/cpu,cpuacct" },
		{ MOP_SYMLINK, "/sys/fs/cgroup/cpu" },
		{ MOP_SYMLINK, "/sys/fs/cgroup/cpuacct" },
		{ MOP_CGROUP, "/sys/fs/cgroup/memory" },
		{ MOP_CGROUP, "/sys/fs/cgroup/systemd" },
		{ MOP_SEAL_RO, "/sys/fs/cgroup" },
		{ MOP_BIND, "/data" },
		{ MOP_BIND, "/etc/hostname" },
		{ MOP_DEVICE, "/dev/null" },
		{ MOP_DEVICE, "/dev/zero" },
		{ MOP_DEVICE, "/dev/full" },
		{ MOP_DEVICE, "/dev/random" },
		{ MOP_DEVICE, "/dev/urandom" },
		{ MOP_DEVICE, "/dev/tty" },
		{ MOP_SYMLINK, "/dev/fd" },
		{ MOP_SYMLINK, "/dev/stdin" },
		{ MOP_SYMLINK, "/dev/stdout" },
		{ MOP_SYMLINK, "/dev/stderr" },
		{ MOP_SYMLINK, "/dev/core" },
		{ MOP_SYMLINK, "/dev/ptmx" },
		{ MOP_MKDIR, "/dev/pts" },
		{ MOP_MKDIR, "/dev/shm" },
	};
	is_int(p->n_ops, ARRAY_SIZE(want), "op count");
	for (size_t i = 0; i < ARRAY_SIZE(want) && i < p->n_ops; i++) {
		is_int(p->ops[i].kind, want[i].kind, "op %zu kind", i);
		is_str(p->ops[i].dest, want[i].dest, "op %zu destination", i);
	}
	ok(p->default_dev, "tmpfs /dev: default devices");

	/* filesystems */
	op = &p->ops[0];
	is_int(op->fs, MFS_PROC, "proc classified");
	is_int(op->fs_flags, OPTS_DEFAULT, "proc flags");
	ok(op->dest_is_dir, "fs targets are directories");
	is_str(op->source, "proc", "proc source");
	op = &p->ops[1];
	is_int(op->fs, MFS_TMPFS, "tmpfs classified");
	is_str(op->data, "mode=755,size=65536k", "tmpfs data (size, mode) passed through");
	op = &p->ops[2];
	is_int(op->fs, MFS_DEVPTS, "devpts classified");
	is_str(op->data, "newinstance,ptmxmode=0666,mode=0620,gid=5", "devpts gets newinstance, ptmxmode");
	is_str(op->data_fallback, NULL, "no gid fallback without a user namespace");
	is_int(p->ops[4].fs, MFS_MQUEUE, "mqueue classified");
	is_int(p->ops[5].fs, MFS_SYSFS, "sysfs classified");
	is_int(p->ops[5].fs_flags, OPTS_DEFAULT | MS_RDONLY, "sysfs ro");

	/* cgroup v1 on a hybrid host */
	op = &p->ops[6];
	is_int(op->fs, MFS_TMPFS, "cgroup holder is a tmpfs");
	is_int(op->fs_flags & MS_RDONLY, 0, "holder tmpfs starts rw");
	is_str(op->data, "mode=755", "holder mode");
	op = &p->ops[7];
	ok(op->hier && !op->hier->v2, "cpu,cpuacct is a v1 hierarchy");
	is_str(op->hier ? op->hier->controllers : NULL, "cpu,cpuacct", "co-mounted controllers");
	is_str(op->data, "cpu,cpuacct", "cgroupfs mount data");
	is_str(op->fstype, "cgroup", "cgroupfs type");
	is_int(op->fs_flags, OPTS_DEFAULT | MS_RELATIME | MS_RDONLY, "hierarchy flags from the spec");
	is_int(op->attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				      MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RELATIME,
	       "hierarchy bind attrs");
	ok(!op->cgroupns, "no cgroup namespace: binds own dirs");
	is_str(p->ops[8].link_target, "cpu,cpuacct", "cpu -> cpu,cpuacct");
	is_str(p->ops[10].hier ? p->ops[10].hier->controllers : NULL, "memory", "memory, options dropped");
	is_str(p->ops[11].hier ? p->ops[11].hier->controllers : NULL, "name=systemd", "named hierarchy");
	is_str(p->ops[11].data, "name=systemd", "named hierarchy mount data");
	is_int(p->ops[12].attr_set, MOUNT_ATTR_RDONLY, "holder sealed read-only");
	is_int(p->n_cgroup_hiers, 4, "3 v1 hierarchies (duplicate memory dropped) + unified");
	ok(p->n_cgroup_hiers == 4 && p->cgroup_hiers[3].v2, "unified last");
	is_str(p->n_cgroup_hiers == 4 ? p->cgroup_hiers[3].mountpoint : NULL, "/sys/fs/cgroup/unified",
	       "unified mount point");

	/* binds */
	op = &p->ops[13];
	is_str(op->source, "/tmp", "bind source");
	ok(op->dest_is_dir, "directory source: directory target");
	ok(op->recursive, "rbind is recursive");
	ok(op->rro, "rro kept");
	is_int(op->attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, "ro,nosuid -> attrs");
	is_int(op->attr_clr, 0, "nothing cleared");
	is_int(op->propagation, MS_SLAVE, "rslave propagation");
	ok(op->propagation_rec, "rslave is recursive");
	op = &p->ops[14];
	ok(!op->dest_is_dir, "file source: file target");
	ok(!op->recursive, "bind is not recursive");
	is_int(op->attr_clr, MOUNT_ATTR_RDONLY, "rw clears ro (locked flags untouched)");
	is_int(op->attr_set, 0, "nothing set");

	/* devices */
	op = find_op(p, MOP_DEVICE, "/dev/tty");
	ok(op && op->dev->type == 'c' && op->dev->major == 5 && op->dev->minor == 0, "tty is c 5:0");
	ok(op && op->dev->file_mode == 0666 && !op->dev_bind, "mode 0666, mknod");
	op = find_op(p, MOP_SYMLINK, "/dev/ptmx");
	is_str(op ? op->link_target : NULL, "pts/ptmx", "ptmx -> pts/ptmx");
	op = find_op(p, MOP_SYMLINK, "/dev/stderr");
	is_str(op ? op->link_target : NULL, "/proc/self/fd/2", "stderr link");
}

static void
test_userns_cgroupns(void)
{
	struct spec_mount mounts[] = {
		fs_mount("/dev", "tmpfs", MS_NOSUID, NULL),
		fs_mount("/dev/pts", "devpts", 0, "newinstance,ptmxmode=0600,gid=5,mode=620"),
		fs_mount("/sys/fs/cgroup", "cgroup", MS_RDONLY, NULL),
	};
	struct spec_device devs[] = {
		{ .path = "/dev/null", .type = 'c', .major = 1, .minor = 3, .has_file_mode = true,
		  .file_mode = 0600 },
		{ .path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229 },
		{ .path = "/dev/myfifo", .type = 'p' },
	};
	struct lc_spec s = { .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts) };
	s.linux_.ns[NS_USER].present = true;
	s.linux_.ns[NS_CGROUP].present = true;
	s.linux_.devices = devs;
	s.linux_.n_devices = ARRAY_SIZE(devs);
	_cleanup_mount_plan_ struct mount_plan *p = NULL;
	struct lc_err err = { 0 };

	int r = mounts_plan_with_mountinfo(&s, hybrid_mountinfo, &p, &err);
	is_int(r, 0, "userns spec plans (%s)", err.msg);
	if (r < 0)
		return;
	ok(p->userns, "user namespace noted");
	is_str(p->ops[1].data, "newinstance,ptmxmode=0600,gid=5,mode=620", "devpts options kept");
	is_str(p->ops[1].data_fallback, "newinstance,ptmxmode=0600,mode=620", "userns retry drops gid=");
	const struct mount_op *op = find_op(p, MOP_CGROUP, "/sys/fs/cgroup/memory");
	ok(op && op->cgroupns, "cgroup namespace: cgroupfs per controller");
	is_int(count_kind(p, MOP_DEVICE), 8, "3 spec devices + 5 defaults (null overridden)");
	is_str(p->ops[p->n_ops - 16].dest, "/dev/null", "spec devices come first");
	op = find_op(p, MOP_DEVICE, "/dev/null");
	ok(op && op->dev == &devs[0], "spec /dev/null replaces the default one");
	ok(op && op->dev_bind, "userns: device bound from the host");
	op = find_op(p, MOP_DEVICE, "/dev/myfifo");
	ok(op && !op->dev_bind, "userns: a fifo is still created");
	op = find_op(p, MOP_DEVICE, "/dev/zero");
	ok(op && op->dev_bind, "userns: default devices bound too");
}

static void
test_v2_host(void)
{
	struct spec_mount mounts[] = {
		fs_mount("/sys/fs/cgroup", "cgroup", MS_RDONLY | MS_NOSUID, NULL),
		fs_mount("/cg2", "cgroup2", 0, NULL),
	};
	struct lc_spec s = { .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts) };
	_cleanup_mount_plan_ struct mount_plan *p = NULL;

	int r = mounts_plan_with_mountinfo(&s, v2_mountinfo, &p, NULL);
	is_int(r, 0, "v2 host plans");
	if (r < 0)
		return;
	is_int(p->ops[0].kind, MOP_CGROUP, "cgroup on a v2 host: one op");
	ok(p->ops[0].hier && p->ops[0].hier->v2, "it is the unified hierarchy");
	is_str(p->ops[0].fstype, "cgroup2", "mounted as cgroup2");
	is_str(p->ops[0].hier ? p->ops[0].hier->mountpoint : NULL, "/sys/fs/cgroup", "host mount point");
	is_int(p->ops[0].fs_flags, MS_RDONLY | MS_NOSUID, "flags");
	is_int(p->ops[1].kind, MOP_CGROUP, "cgroup2 type: one op");
	is_int(count_kind(p, MOP_MOUNT), 0, "no holder tmpfs");

	/* A host without any cgroup mount: cgroup2 is still mountable. */
	_cleanup_mount_plan_ struct mount_plan *q = NULL;
	r = mounts_plan_with_mountinfo(&s, "22 1 0:21 / /proc rw - proc proc rw\n", &q, NULL);
	is_int(r, 0, "no cgroup mounts on the host");
	ok(r == 0 && q->ops[0].hier && q->ops[0].hier->v2 && !q->ops[0].hier->mountpoint,
	   "unified hierarchy without a host mount point");
}

static void
test_attrs(void)
{
	struct spec_mount mounts[] = {
		bind_mount("/a", "/tmp", false, MS_NOATIME | MS_NODEV | MS_NOEXEC, 0),
		bind_mount("/b", "/tmp", false, 0, MS_NOATIME | MS_NOSUID),
		bind_mount("/c", "/tmp", false, MS_RELATIME, 0),
		bind_mount("/d", "/tmp", false, MS_STRICTATIME | MS_SYNCHRONOUS, 0),
	};
	struct lc_spec s = { .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts) };
	_cleanup_mount_plan_ struct mount_plan *p = NULL;

	int r = mounts_plan_with_mountinfo(&s, "", &p, NULL);
	is_int(r, 0, "attrs spec plans");
	if (r < 0)
		return;
	is_int(p->ops[0].attr_set, MOUNT_ATTR_NOATIME | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
	       "noatime,nodev,noexec");
	is_int(p->ops[0].attr_clr, MOUNT_ATTR__ATIME, "atime field replaced");
	is_int(p->ops[1].attr_set, MOUNT_ATTR_RELATIME, "atime: back to relatime");
	is_int(p->ops[1].attr_clr, MOUNT_ATTR__ATIME | MOUNT_ATTR_NOSUID, "atime,suid cleared");
	is_int(p->ops[2].attr_set, MOUNT_ATTR_RELATIME, "relatime");
	is_int(p->ops[2].attr_clr, MOUNT_ATTR__ATIME, "relatime replaces the atime field");
	is_int(p->ops[3].attr_set, MOUNT_ATTR_STRICTATIME, "strictatime; sync is not per-mount");
	is_int(p->ops[0].propagation, 0, "no propagation unless asked");
}

static void
test_dev_bound(void)
{
	struct spec_mount mounts[] = { bind_mount("/dev/", "/dev", true, 0, 0) };
	struct spec_device devs[] = { { .path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229 } };
	struct lc_spec s = { .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts) };
	s.linux_.devices = devs;
	s.linux_.n_devices = 1;
	_cleanup_mount_plan_ struct mount_plan *p = NULL;

	int r = mounts_plan_with_mountinfo(&s, "", &p, NULL);
	is_int(r, 0, "host /dev bind plans");
	ok(r == 0 && !p->default_dev, "/dev bound from the host: no default devices");
	is_int(r == 0 ? p->n_ops : 99, 1, "only the bind: nothing is created in the host's /dev");
}

static void
test_errors(void)
{
	struct {
		struct spec_mount m;
		const char *msg;
	} cases[] = {
		{ bind_mount("/x", NULL, false, 0, 0), "config.json: mounts[0].source: required" },
		{ bind_mount("/x", "/nonexistent-strait", false, 0, 0),
		  "config.json: mounts[0].source: \"/nonexistent-strait\": No such file" },
		{ bind_mount("/x", "rel/path", false, 0, 0), "is not an absolute path" },
		{ { .destination = "/x" }, "config.json: mounts[0]: no type and no bind option" },
		{ { .destination = "/x", .type = "tmpfs", .idmap = true }, "idmapped mounts" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct lc_spec s = { .mounts = &cases[i].m, .n_mounts = 1 };
		struct mount_plan *p = NULL;
		struct lc_err err = { 0 };
		int r = mounts_plan_with_mountinfo(&s, "", &p, &err);
		ok(r < 0 && !p, "error case %zu fails", i);
		has_str(err.msg, cases[i].msg, "error case %zu message", i);
	}
}

/* A read-only /dev tmpfs is mounted read-write and sealed read-only after its
 * submounts and device nodes exist; a read-only tmpfs with nothing under it is mounted
 * read-only at once. */
static void
test_late_ro(void)
{
	struct spec_mount mounts[] = {
		fs_mount("/dev", "tmpfs", MS_NOSUID | MS_RDONLY, "mode=755"),
		fs_mount("/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620"),
		fs_mount("/scratch", "tmpfs", MS_RDONLY, NULL),
	};
	struct lc_spec s = { .mounts = mounts, .n_mounts = ARRAY_SIZE(mounts) };
	_cleanup_mount_plan_ struct mount_plan *p = NULL;
	struct lc_err err = { 0 };
	int r = mounts_plan_with_mountinfo(&s, hybrid_mountinfo, &p, &err);
	is_int(r, 0, "read-only /dev plans (%s)", err.msg);
	if (r < 0)
		return;
	is_int(p->ops[0].fs_flags & MS_RDONLY, 0, "/dev is mounted read-write first");
	is_int(p->ops[2].fs_flags & MS_RDONLY, MS_RDONLY, "/scratch, with nothing under it, read-only at once");
	const struct mount_op *last = &p->ops[p->n_ops - 1];
	is_int(last->kind, MOP_SEAL_RO, "the last op seals");
	is_str(last->dest, "/dev", "... /dev");
	is_int(last->attr_set, MOUNT_ATTR_RDONLY, "... read-only");
	size_t seals = 0;
	for (size_t i = 0; i < p->n_ops; i++)
		seals += p->ops[i].kind == MOP_SEAL_RO;
	is_int(seals, 1, "one seal");
}

static void
test_mountinfo_parse(void)
{
	struct mountinfo_line e;
	char l1[] = "36 35 98:0 /mnt\\0401 /a\\040b rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n";
	ok(mountinfo_parse(l1, &e), "mountinfo: a line with optional fields");
	ok(strcmp(e.root, "/mnt 1") == 0 && strcmp(e.mountpoint, "/a b") == 0, "mountinfo: escapes decoded");
	ok(strcmp(e.dev, "98:0") == 0 && strcmp(e.fstype, "ext3") == 0 &&
		   strcmp(e.source, "/dev/root") == 0 && strcmp(e.super, "rw,errors=continue") == 0,
	   "mountinfo: dev, fstype, source, super options");
	char l2[] = "22 1 0:21 / /proc rw - proc proc rw";
	ok(mountinfo_parse(l2, &e) && strcmp(e.fstype, "proc") == 0, "mountinfo: no optional fields");
	char l3[] = "22 1 0:21 / /proc rw proc proc rw";
	ok(!mountinfo_parse(l3, &e), "mountinfo: no separator is malformed");
	char l4[] = "22 1 0:21 /";
	ok(!mountinfo_parse(l4, &e), "mountinfo: a short line is malformed");
}

int
main(void)
{
	snprintf(tmpfile_path, sizeof(tmpfile_path), "/tmp/strait-test-mounts.XXXXXX");
	int fd = mkstemp(tmpfile_path);
	if (fd < 0)
		abort();
	close(fd);
	test_mountinfo_parse();
	test_default_like();
	test_late_ro();
	test_userns_cgroupns();
	test_v2_host();
	test_attrs();
	test_dev_bound();
	test_errors();
	unlink(tmpfile_path);
	return tap_done();
}
