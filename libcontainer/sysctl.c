/* linux.sysctl: writes each value under /proc/sys in the container, resolved so that no
 * symlink or ".." can take the write out of /proc/sys. Which keys are namespaced (and so
 * allowed) is decided earlier by validate.c through tables.c. */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "error.h"
#include "sys.h"

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward". A key that already contains '/' uses
 * '/' as its separator, so that dots in interface names ("eth0.100") survive. */
static char *
sysctl_key_to_path(const char *key)
{
	char *path = strdup(key);
	if (!path || strchr(key, '/'))
		return path;
	for (char *c = path; *c; c++)
		if (*c == '.')
			*c = '/';
	return path;
}

static int
sysctl_open(int dirfd, const char *rel)
{
	struct open_how how = {
		.flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	/* Kernels before 5.6: refuse what RESOLVE_BENEATH would have refused, then let
	 * O_NOFOLLOW guard the last component (/proc/sys itself holds no symlinks). */
	if (rel[0] == '/' || strstr(rel, "..")) {
		errno = EXDEV;
		return -1;
	}
	return openat(dirfd, rel, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
}

/* Container process, after pivot_root, with the container's /proc mounted: the files
 * under /proc/sys/net belong to the network namespace of the writer, so this must run
 * inside the container's namespaces. */
int
sysctl_apply(const struct spec_linux *l, struct lc_err *err)
{
	static const char what[] = "linux.sysctl";
	if (l->n_sysctl == 0)
		return 0;

	_cleanup_close_ int dirfd = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return lc_err_set(err, errno, "linux.sysctl: open /proc/sys");
	struct statfs sfs;
	if (fstatfs(dirfd, &sfs) < 0)
		return lc_err_set(err, errno, "linux.sysctl: statfs /proc/sys");
	if (sfs.f_type != PROC_SUPER_MAGIC)
		return lc_err_setx(err, EXDEV, "linux.sysctl: /proc/sys is not on procfs");

	for (size_t i = 0; i < l->n_sysctl; i++) {
		const char *key = l->sysctl[i].key, *value = l->sysctl[i].value;
		_cleanup_free_ char *rel = sysctl_key_to_path(key);
		if (!rel)
			return lc_err_set(err, ENOMEM, "linux.sysctl");
		_cleanup_close_ int fd = sysctl_open(dirfd, rel);
		if (fd < 0 && (errno == EXDEV || errno == ELOOP))
			return lc_err_setx(err, errno,
					   "%s \"%s\" = \"%s\": /proc/sys/%s leaves /proc/sys or "
					   "goes through a symlink",
					   what, key, value, rel);
		if (fd < 0)
			return lc_err_set(err, errno, "%s \"%s\" = \"%s\": open /proc/sys/%s", what,
					  key, value, rel);
		size_t len = strlen(value);
		ssize_t w = write(fd, value, len);
		if (w != (ssize_t)len)
			return lc_err_set(err, w < 0 ? errno : EIO,
					  "%s \"%s\" = \"%s\": write /proc/sys/%s", what, key,
					  value, rel);
	}
	return 0;
}
