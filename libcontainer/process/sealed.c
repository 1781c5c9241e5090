/* The runtime binary behind a read-only, detached mount (CVE-2019-5736 class). When a
 * strait process is about to be visible to container processes (exec, a joined or no
 * pid namespace, or a created container waiting for start that a later container may
 * join), they could open /proc/<pid>/exe of it; with every capability even a
 * non-dumpable process does not stop them, and an O_PATH fd kept past strait's exit
 * could be reopened for writing. So strait first re-executes itself through a
 * read-only clone of its own mount: open_tree(OPEN_TREE_CLONE) of /proc/self/exe,
 * mount_setattr(MOUNT_ATTR_RDONLY), execveat. Its /proc/<pid>/exe then lives on a
 * mount that is read-only and, once the tree fd closes at exec, no longer mounted
 * anywhere, so it can be neither reopened for writing (EROFS) nor remounted. Nothing
 * is copied. The fast path (a new pid namespace with `run`) does not pay for this. */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "error.h"
#include "process/process.h"
#include "phase.h"

static char **self_argv;

void
lc_set_argv(char **argv)
{
	self_argv = argv;
}

/* True when our own binary sits on a read-only mount (after the re-exec below). */
static bool
running_protected(void)
{
	struct statvfs sv;
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	return fd >= 0 && fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

int
sealed_exe_ensure(struct lc_err *err)
{
	extern char **environ;

	if (running_protected())
		return 0;
	if (!self_argv)
		return lc_err_setx(err, EINVAL, "protected binary: argv unknown");
	_cleanup_close_ int tree = open_tree(AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return lc_err_set(err, errno, "protected binary: clone the mount of /proc/self/exe");
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return lc_err_set(err, errno, "protected binary: make the clone read-only");
	phase_mark("re-exec through a sealed copy");
	syscall(SYS_execveat, tree, "", self_argv, environ, AT_EMPTY_PATH);
	return lc_err_set(err, errno, "protected binary: execveat");
}
