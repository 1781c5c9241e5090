/* /dev content in the container process: linux.devices and the default nodes (mknod,
 * or a bind of the host node inside a user namespace, where mknod is refused), the
 * /dev links and directories. Every name is created under a parent resolved inside
 * the root and never followed; which ops exist is mounts.c's decision. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "mounts.h"
#include "path.h"

#define CFG "config.json"

static mode_t
device_type(const struct spec_device *d)
{
	switch (d->type) {
	case 'b':
		return S_IFBLK;
	case 'p':
		return S_IFIFO;
	default: /* 'c', 'u' */
		return S_IFCHR;
	}
}

static int
mknod_device(int dirfd, const char *base, const struct spec_device *d, struct lc_err *err)
{
	mode_t mode = d->has_file_mode ? d->file_mode & 07777 : 0666;
	dev_t rdev = makedev((unsigned)d->major, (unsigned)d->minor);

	/* mknodat does not follow a symlink at base: an existing entry, whatever it is,
	 * is left alone (it is inside the root, and is never opened through here). */
	if (mknodat(dirfd, base, device_type(d) | mode, d->type == 'p' ? 0 : rdev) < 0) {
		if (errno == EEXIST) {
			log_debug("device %s exists, kept", d->path);
			return 0;
		}
		return lc_err_set(err, errno, "mknod");
	}
	if ((d->has_uid || d->has_gid) &&
	    fchownat(dirfd, base, d->has_uid ? d->uid : (uid_t)-1, d->has_gid ? d->gid : (gid_t)-1,
		     AT_SYMLINK_NOFOLLOW) < 0)
		return lc_err_set(err, errno, "chown");
	return 0;
}

/* User namespace: the host node with the same path is bound onto an empty file. */
static int
bind_device(int dirfd, const char *base, const struct mount_op *op, struct lc_err *err)
{
	const struct spec_device *d = op->dev;
	_cleanup_close_ int host = open(d->path, O_PATH | O_CLOEXEC);
	_cleanup_close_ int target = -1;
	struct stat st;

	if (host < 0 || fstat(host, &st) < 0)
		return lc_err_set(err, errno, "open host %s", d->path);
	if ((st.st_mode & S_IFMT) != device_type(d) || major(st.st_rdev) != (unsigned)d->major ||
	    minor(st.st_rdev) != (unsigned)d->minor)
		return lc_err_setx(err, ENODEV, "host %s is not the %c %lld:%lld device", d->path,
				   d->type, (long long)d->major, (long long)d->minor);
	int fd = openat(dirfd, base, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0 && errno != EEXIST)
		return lc_err_set(err, errno, "create mount point");
	if (fd >= 0)
		close(fd);
	target = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0 || fstat(target, &st) < 0)
		return lc_err_set(err, errno, "open mount point");
	if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
		return lc_err_setx(err, EEXIST, "a %s is in the way",
				   S_ISLNK(st.st_mode) ? "symlink" : "directory");
	return rootfs_bind_fd(host, target, op, NULL, err);
}

static int
apply_device(int rootfd, const struct mount_op *op, struct lc_err *err)
{
	const struct spec_device *d = op->dev;
	_cleanup_close_ int dirfd = -1;
	char base[NAME_MAX + 1];
	int r;

	r = path_open_parent_in_root(rootfd, d->path, &dirfd, base, err);
	if (r >= 0)
		r = op->dev_bind ? bind_device(dirfd, base, op, err) : mknod_device(dirfd, base, d, err);
	if (r < 0)
		return lc_err_prefix(err, "device %s", d->path);
	return 0;
}

static int
apply_symlink(int rootfd, const struct mount_op *op, struct lc_err *err)
{
	_cleanup_close_ int dirfd = -1;
	char base[NAME_MAX + 1];
	int r;

	r = path_open_parent_in_root(rootfd, op->link_path, &dirfd, base, err);
	if (r < 0)
		return lc_err_prefix(err, "symlink %s", op->link_path);
	/* An existing entry stays: it lives inside the root and is not followed here. */
	if (symlinkat(op->link_target, dirfd, base) < 0 && errno != EEXIST)
		return lc_err_set(err, errno, "symlink %s -> %s", op->link_path, op->link_target);
	return 0;
}

int
devices_apply_op(int rootfd, const struct mount_op *op, struct lc_err *err)
{
	_cleanup_close_ int fd = -1;

	switch (op->kind) {
	case MOP_DEVICE:
		return apply_device(rootfd, op, err);
	case MOP_SYMLINK:
		return apply_symlink(rootfd, op, err);
	case MOP_MKDIR:
		return path_mkdir_in_root(rootfd, op->dest, 0755, &fd, err);
	default:
		return lc_err_setx(err, EINVAL, "mount plan: op %d is not a /dev op", (int)op->kind);
	}
}
