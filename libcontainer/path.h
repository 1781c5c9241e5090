/* Safe path resolution inside the container rootfs: never follows a symlink (or "..")
 * out of the root. openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS) with an O_PATH
 * component walk as fallback. Every mount target and created node goes through here. */
#ifndef STRAIT_PATH_H
#define STRAIT_PATH_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include "strait.h"

/* Opens path (absolute or relative, interpreted inside rootfd) with flags (must include
 * O_CLOEXEC; typically O_PATH; O_CREAT is refused). Symlinks and ".." are resolved as if
 * rootfd were "/"; /proc magic links (fd/N, root, cwd, exe, ...) fail with -ELOOP. */
int path_open_in_root(int rootfd, const char *path, int flags, int *ret_fd, struct lc_err *err);

/* Creates every missing directory of path inside rootfd (mode), then returns an O_PATH
 * fd on the final directory. Existing symlinks are followed inside the root only. */
int path_mkdir_in_root(int rootfd, const char *path, mode_t mode, int *ret_fd,
		       struct lc_err *err);

/* Ensures a mount target exists inside rootfd: a directory when is_dir, otherwise an
 * empty regular file (created with O_NOFOLLOW|O_EXCL after its parent is resolved in
 * root). Returns an O_PATH fd on it. */
int path_ensure_target(int rootfd, const char *path, bool is_dir, int *ret_fd,
		       struct lc_err *err);

/* Creates every missing directory above path inside rootfd and returns an O_PATH fd
 * on the parent plus the last component in base (for mknodat/symlinkat, which do not
 * follow it). "." / ".." / "/" cannot be a last component (-EINVAL). */
int path_open_parent_in_root(int rootfd, const char *path, int *ret_dirfd,
			     char base[static NAME_MAX + 1], struct lc_err *err);

/* Test hook: resolve with the O_PATH walk, as if openat2 returned ENOSYS. */
extern bool path_test_no_openat2;

/* Writes "/proc/self/fd/<fd>" into buf (for mount(2) targets on verified fds). */
const char *path_fd_proc(int fd, char buf[static 32]);

#endif
