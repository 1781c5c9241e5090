/* --no-pivot: MS_MOVE + chroot leaves the old root's mounts in the container's mount
 * namespace, under the chroot. The kernel lets a nested user namespace mount a new
 * proc or sysfs only when a fully visible one already exists in its mount namespace
 * (mount_too_revealing): the host's /proc and /sys, still there, would let a process
 * with CAP_SETFCAP mount an unmasked /proc. So every proc and sysfs mount outside the
 * rootfs is detached first, or covered with an empty tmpfs where it is locked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "error.h"
#include "log.h"
#include "macro.h"
#include "mounts.h"
#include "mountinfo.h"

/* path is dir or below it. */
static bool
path_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
}

static int
hide_one(const char *mp, struct lc_err *err)
{
	/* The tree is rslave already (rootfs_prepare); made a slave here too, so that the
	 * detach can never reach a peer group of the host whatever came before. */
	if (mount(NULL, mp, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
		if (errno == ENOENT || errno == EINVAL)
			return 0; /* gone with a mount detached before it */
		return lc_err_set(err, errno, "no-pivot: make %s a slave", mp);
	}
	if (umount2(mp, MNT_DETACH) == 0)
		return 0;
	if (errno != EINVAL && errno != EPERM)
		return lc_err_set(err, errno, "no-pivot: detach %s", mp);
	/* Locked (inherited by a user namespace): cover it instead. */
	if (mount("tmpfs", mp, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0)
		return lc_err_set(err, errno, "no-pivot: cover %s", mp);
	return 0;
}

int
rootfs_hide_host_procfs(const char *root_path, struct lc_err *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	_cleanup_strv_ char **todo = calloc(1, sizeof(char *));
	size_t cap = 0, n = 0;
	int r;

	if (!f)
		return lc_err_set(err, errno, "no-pivot: open /proc/self/mountinfo");
	if (!todo)
		return -ENOMEM;
	/* Collected first: detaching while reading would change the file under us. */
	while (getline(&line, &cap, f) > 0) {
		struct mountinfo_line e;
		if (!mountinfo_parse(line, &e) ||
		    (strcmp(e.fstype, "proc") != 0 && strcmp(e.fstype, "sysfs") != 0))
			continue;
		if (path_below(e.mountpoint, root_path) || path_below(root_path, e.mountpoint))
			continue;
		char **t = reallocarray(todo, n + 2, sizeof(char *));
		if (!t)
			return -ENOMEM;
		todo = t;
		todo[n + 1] = NULL;
		if (!(todo[n++] = strdup(e.mountpoint)))
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		log_debug("no-pivot: hiding the host's %s", todo[i]);
		r = hide_one(todo[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
