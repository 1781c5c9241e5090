/* The rootfs setup of the container process: mounts.c turns the spec into a plan (an
 * array of ops, pure data, unit-testable without root); rootfs.c applies the plan in
 * the container's new mount namespace, pivots, then masks and sets read-only paths;
 * devices.c creates device nodes and /dev links. */
#ifndef STRAIT_MOUNTS_H
#define STRAIT_MOUNTS_H

#include "spec.h"

enum mount_op_kind {
	MOP_MOUNT,   /* a filesystem mount (proc, tmpfs, sysfs, mqueue, devpts, ...) */
	MOP_BIND,    /* bind / rbind of a host source */
	MOP_DEVICE,  /* create (mknod) or bind a device node */
	MOP_SYMLINK, /* /dev/fd, /dev/stdin, ... */
	MOP_MKDIR,   /* a directory that must exist (/dev/pts, /dev/shm) */
	MOP_CGROUP,  /* one cgroup hierarchy: cgroupfs in a cgroup ns, else our own dir bound */
	MOP_SEAL_RO, /* make the mount at dest read-only once its content exists */
};

/* The filesystems rootfs.c treats specially; everything else is MFS_OTHER. */
enum mount_fs { MFS_OTHER, MFS_PROC, MFS_SYSFS, MFS_TMPFS, MFS_DEVPTS, MFS_MQUEUE };

/* A host cgroup hierarchy, read from mountinfo by the runtime. */
struct mount_cgroup_hier {
	char *mountpoint;  /* host mount point, e.g. /sys/fs/cgroup/cpu; NULL: not mounted */
	char *root;        /* the mount's root inside the hierarchy, usually "/" */
	char *controllers; /* v1: "cpu", "cpu,cpuacct", "name=systemd"; v2: "" */
	bool v2;
};

struct mount_op {
	enum mount_op_kind kind;
	const char *dest;              /* every kind: absolute path inside the rootfs */
	const struct spec_mount *m;    /* MOP_MOUNT/BIND/CGROUP/SEAL_RO: spec entry, or NULL */
	size_t index;                  /* m's index in config.json mounts[] (messages) */
	const struct spec_device *dev; /* MOP_DEVICE */
	const char *link_target, *link_path; /* MOP_SYMLINK (link_path == dest) */
	char *source;     /* owned: MOP_BIND absolute host path; MOP_MOUNT mount(2) source */
	bool dest_is_dir; /* create a directory (else an empty file) as target */

	/* MOP_MOUNT, and MOP_CGROUP when it mounts cgroupfs: the mount(2) arguments */
	enum mount_fs fs;
	const char *fstype;       /* "proc", "cgroup", "cgroup2", ... */
	unsigned long fs_flags;   /* MS_RDONLY, MS_NOSUID, ... (no bind/propagation bits) */
	char *data;               /* owned, may be NULL */
	char *data_fallback;      /* owned: devpts data without gid= (retry in a userns) */

	/* MOP_BIND, MOP_DEVICE (bind), MOP_CGROUP (bind), MOP_SEAL_RO: MOUNT_ATTR_* set
	 * and cleared with mount_setattr() on the detached copy, before it is attached */
	uint64_t attr_set, attr_clr;
	bool recursive; /* rbind */
	/* MOP_BIND in a user namespace: a detached clone of the source made by the runtime
	 * (mounts_open_bind_sources), > 2; 0 when the child opens the source itself */
	int src_tree;
	bool rro;       /* MOUNT_ATTR_RDONLY on every submount too */

	/* every mount kind: propagation applied once the mount is attached */
	unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE or 0 */
	bool propagation_rec;

	bool dev_bind; /* MOP_DEVICE: bind the host node (user namespace: no mknod) */
	const struct mount_cgroup_hier *hier; /* MOP_CGROUP */
	bool cgroupns;                        /* MOP_CGROUP: the container has a cgroup ns */
};

struct mount_plan {
	struct mount_op *ops;
	size_t n_ops;
	bool default_dev; /* /dev is not bound from the host: create devices and links */
	bool userns;      /* the container has a user namespace */
	struct mount_cgroup_hier *cgroup_hiers;
	size_t n_cgroup_hiers;
	char **strings; /* owned storage for synthesized paths */
	size_t n_strings;
};

/* Builds the plan: spec mounts in order (a "cgroup" mount expands into a tmpfs and
 * one op per hierarchy), then linux.devices and, unless /dev is bound from the host,
 * the default devices, /dev links and directories. Checks bind sources on the host.
 * Runs in the runtime, before clone. */
int mounts_plan(const struct lc_spec *s, struct mount_plan **ret, struct lc_err *err);
/* Same, reading the host cgroup layout from mountinfo (the text of a
 * /proc/self/mountinfo: create's, read once, or a test's) instead of the host's. */
int mounts_plan_with_mountinfo(const struct lc_spec *s, const char *mountinfo,
			       struct mount_plan **ret, struct lc_err *err);
void mounts_plan_free(struct mount_plan *p);
static inline void
mounts_plan_freep(struct mount_plan **p)
{
	if (*p)
		mounts_plan_free(*p);
}
#define _cleanup_mount_plan_ __attribute__((cleanup(mounts_plan_freep)))

/* Runtime, host mount namespace, before clone (user namespace containers): clones each
 * bind source as a detached mount, as runc opens them before joining the user
 * namespace: the mapped root may not be able to reach the path. Closed by
 * mounts_plan_free. */
int mounts_open_bind_sources(struct mount_plan *p, struct lc_err *err);

/* Fds the runtime opens before clone and hands to the container process. */
struct rootfs_fds {
	/* host /dev/null, verified to be the 1:3 char device, as a detached mount
	 * (open_tree clone): a mount made in the host namespace cannot be bound from
	 * the container's, but a detached one can be attached there (move_mount). */
	int devnull;
};
/* Opens and verifies the host-side fds (runtime process, host mount namespace, needs
 * CAP_SYS_ADMIN). On failure nothing stays open. */
int rootfs_fds_open(struct rootfs_fds *ret, struct lc_err *err);
void rootfs_fds_close(struct rootfs_fds *f);

/* Called once by rootfs_prepare before the first op that depends on the process's
 * cgroups (a cgroup mount, a device node: the devices cgroup rules mknod), or after
 * the last op when there is none. */
struct rootfs_hook {
	int (*fn)(void *arg, struct lc_err *err);
	void *arg;
};

/* Container process, new mount namespace, before pivot_root: sets rootfs propagation,
 * makes the rootfs a mount point, applies the plan (mounts, devices, links), calling
 * cgroups (may be NULL) on the way. Refuses a rootfs whose /proc or /sys is a
 * symlink. */
int rootfs_prepare(const struct lc_spec *s, const struct mount_plan *p,
		   const struct rootfs_fds *fds, const struct rootfs_hook *cgroups,
		   struct lc_err *err);
/* pivot_root into the rootfs (or MS_MOVE + chroot with no_pivot); cwd becomes "/". */
int rootfs_pivot(const struct lc_spec *s, bool no_pivot, struct lc_err *err);

/* For no_pivot, before the move: detaches (or covers, where locked) every proc and sysfs
 * mount outside root_path (canonical), so no fully visible one stays in the namespace. */
int rootfs_hide_host_procfs(const char *root_path, struct lc_err *err);
/* After pivot: readonlyPaths, maskedPaths (with the verified /dev/null fd), root
 * readonly, and the final rootfs propagation. Needs no /proc: every step works on
 * fds (open_tree, mount_setattr, fsmount, move_mount). */
int rootfs_finalize(const struct lc_spec *s, const struct rootfs_fds *fds, struct lc_err *err);

/* ---- shared by rootfs.c and devices.c (container process) ---- */
/* Attaches a clone of the mount at srcfd (a verified host object; recursive: with
 * its submounts) onto the verified target fd, after applying the op's attributes to
 * the detached copy. Returns the attached mount's fd in *ret_fd when non-NULL. */
int rootfs_bind_fd(int srcfd, int targetfd, const struct mount_op *op, int *ret_fd,
		   struct lc_err *err);
/* devices.c: MOP_DEVICE, MOP_SYMLINK and MOP_MKDIR ops, relative to rootfd. */
int devices_apply_op(int rootfd, const struct mount_op *op, struct lc_err *err);

#endif
