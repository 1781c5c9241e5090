/* The rootfs setup of the container process: mounts.c turns the spec into a plan (an
 * array of ops, pure data, unit-testable without root); rootfs.c applies the plan in
 * the container's new mount namespace, pivots, then masks and sets read-only paths. */
#ifndef STRAIT_MOUNTS_H
#define STRAIT_MOUNTS_H

#include "spec.h"

enum mount_op_kind {
	MOP_MOUNT,   /* a filesystem mount (proc, tmpfs, sysfs, mqueue, devpts, cgroup, ...) */
	MOP_BIND,    /* bind / rbind of a host source */
	MOP_DEVICE,  /* create (mknod) or bind a device node */
	MOP_SYMLINK, /* /dev/fd, /dev/stdin, ... */
};

struct mount_op {
	enum mount_op_kind kind;
	const struct spec_mount *m;   /* MOP_MOUNT/MOP_BIND: the spec entry (may be synthesized) */
	const struct spec_device *dev; /* MOP_DEVICE */
	const char *link_target, *link_path; /* MOP_SYMLINK */
	char *source;                 /* absolute host path for binds (bundle-resolved) */
	bool dest_is_dir;             /* create a directory (else a file) as target */
};

struct mount_plan {
	struct mount_op *ops;
	size_t n_ops;
	bool default_dev;  /* the spec mounts a tmpfs on /dev: create default devices/links */
	/* storage for synthesized entries */
	struct spec_mount *extra_mounts;
	size_t n_extra_mounts;
	struct spec_device *extra_devices;
	size_t n_extra_devices;
};

/* Builds the plan. Runs in the runtime, before clone. */
int mounts_plan(const struct lc_spec *s, struct mount_plan **ret, struct lc_err *err);
void mounts_plan_free(struct mount_plan *p);

/* Fds the runtime opens before clone and hands to the container process. */
struct rootfs_fds {
	int devnull; /* host /dev/null, O_PATH, verified to be the 1:3 char device */
};
/* Opens and verifies the host-side fds (runtime process). */
int rootfs_fds_open(struct rootfs_fds *ret, struct lc_err *err);
void rootfs_fds_close(struct rootfs_fds *f);

/* Container process, new mount namespace, before pivot_root: sets rootfs propagation,
 * makes the rootfs a mount point, applies the plan (mounts, devices, links). Refuses a
 * rootfs whose /proc or /sys is a symlink. */
int rootfs_prepare(const struct lc_spec *s, const struct mount_plan *p,
		   const struct rootfs_fds *fds, struct lc_err *err);
/* pivot_root into the rootfs (or MS_MOVE + chroot with no_pivot); cwd becomes "/". */
int rootfs_pivot(const struct lc_spec *s, bool no_pivot, struct lc_err *err);
/* After pivot: readonlyPaths, maskedPaths (with the verified /dev/null fd), root
 * readonly, and the final rootfs propagation. */
int rootfs_finalize(const struct lc_spec *s, const struct rootfs_fds *fds, struct lc_err *err);

#endif
