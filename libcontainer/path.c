/* Safe path resolution inside a container rootfs. openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) does the work when the kernel has it; otherwise a userspace
 * O_PATH walk gives the same guarantee: symlinks and ".." are resolved as if rootfd
 * were "/", and nothing is ever opened outside it. Mounting is left to rootfs.c. */
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "path.h"

#define MAX_SYMLINKS 40
#define PROC_ROOT_INO 1

bool path_test_no_openat2;

/* The directories walked so far; stack[0] is (a dup of) the root. Holding an fd per
 * level makes ".." pop to the directory we actually came through, so a concurrent
 * rename cannot walk us above the root. */
struct walk {
	int stack[PATH_MAX / 2];
	size_t depth; /* index of the current directory */
	unsigned links;
};

static void
walk_pop_to(struct walk *w, size_t depth)
{
	while (w->depth > depth)
		close(w->stack[w->depth--]);
}

static void
walk_freep(struct walk **w)
{
	if (*w) {
		walk_pop_to(*w, 0);
		close((*w)->stack[0]);
		free(*w);
	}
}

/* Magic links (fd/N, exe, cwd, root, ns/N, map_files/N) live in per-task procfs
 * directories; the only plain symlinks of procfs (self, thread-self, mounts, net ...)
 * sit in its root directory. Refusing links under any other procfs directory is the
 * fallback's stand-in for RESOLVE_NO_MAGICLINKS. */
static bool
is_magic_link_dir(int dirfd)
{
	struct statfs sfs;
	struct stat st;

	if (fstatfs(dirfd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return false;
	return fstat(dirfd, &st) < 0 || st.st_ino != PROC_ROOT_INO;
}

/* Replaces *rest with "<target>/<rest>" and moves to the root for an absolute target. */
static int
walk_expand_link(struct walk *w, int dirfd, const char *name, char **rest)
{
	char target[PATH_MAX];
	ssize_t n;

	if (++w->links > MAX_SYMLINKS)
		return -ELOOP;
	if (is_magic_link_dir(dirfd))
		return -ELOOP;
	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (target[0] == '/')
		walk_pop_to(w, 0);

	char *joined;
	if (asprintf(&joined, "%s/%s", target, *rest) < 0)
		return -ENOMEM;
	free(*rest);
	*rest = joined;
	return 0;
}

/* Pops the next component of *pos into comp; returns false at the end. *last tells
 * whether nothing but slashes follows it. */
static bool
next_component(char **pos, char comp[static NAME_MAX + 2], bool *last)
{
	char *p = *pos;
	size_t len;

	while (*p == '/')
		p++;
	if (!*p)
		return false;
	len = strcspn(p, "/");
	if (len > NAME_MAX)
		len = NAME_MAX + 1; /* openat reports ENAMETOOLONG */
	memcpy(comp, p, len);
	comp[len] = '\0';
	p += strcspn(p, "/");
	*pos = p;
	while (*p == '/')
		p++;
	*last = !*p;
	return true;
}

/* Reopens the current directory of the walk with the caller's flags. */
static int
walk_finish_dir(struct walk *w, int flags, int *ret_fd)
{
	int fd = openat(w->stack[w->depth], ".", flags);
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

/* One component that is not "." or "..": descend, expand a symlink, or finish. */
static int
walk_step(struct walk *w, const char *comp, bool last, int flags, bool mkdirs, mode_t mode,
	  char **rest, int *ret_fd)
{
	int dirfd = w->stack[w->depth];
	bool follow = !last || !(flags & O_NOFOLLOW);
	struct stat st;

	for (int tries = 0;; tries++) {
		_cleanup_close_ int fd = openat(dirfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && mkdirs && tries < 3) {
			/* EEXIST: created concurrently, or a dangling symlink (expanded next). */
			if (mkdirat(dirfd, comp, mode) < 0 && errno != EEXIST)
				return -errno;
			continue;
		}
		if (fd < 0)
			return -errno;
		if (fstat(fd, &st) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode) && follow)
			return walk_expand_link(w, dirfd, comp, rest);
		if (!last) {
			if (!S_ISDIR(st.st_mode))
				return -ENOTDIR;
			if (w->depth + 1 >= ARRAY_SIZE(w->stack))
				return -ENAMETOOLONG;
			w->stack[++w->depth] = TAKE_FD(fd);
			return 0;
		}
		if ((flags & ~(O_NOFOLLOW | O_CLOEXEC)) == O_PATH) {
			*ret_fd = TAKE_FD(fd);
			return 1;
		}
		/* Reopen with the caller's flags; O_NOFOLLOW and the inode check catch a
		 * swap of the entry between the two opens. */
		_cleanup_close_ int real = openat(dirfd, comp, flags | O_NOFOLLOW);
		struct stat st2;
		if (real < 0)
			return -errno;
		if (fstat(real, &st2) < 0)
			return -errno;
		if (st2.st_dev != st.st_dev || st2.st_ino != st.st_ino)
			return -EAGAIN;
		*ret_fd = TAKE_FD(real);
		return 1;
	}
}

/* The userspace walk: resolves path below rootfd like RESOLVE_IN_ROOT, optionally
 * creating missing directories (mkdirs) on the way. */
static int
walk_in_root(int rootfd, const char *path, int flags, bool mkdirs, mode_t mode, int *ret_fd)
{
	__attribute__((cleanup(walk_freep))) struct walk *w = calloc(1, sizeof(*w));
	_cleanup_free_ char *rest = strdup(path);
	char comp[NAME_MAX + 2];
	bool last;
	int r;

	if (!w || !rest)
		return -ENOMEM;
	w->stack[0] = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (w->stack[0] < 0) {
		w->stack[0] = -1;
		return -errno;
	}
	for (;;) {
		char *pos = rest;
		if (!next_component(&pos, comp, &last))
			return walk_finish_dir(w, flags, ret_fd);
		/* Keep only what follows comp in rest (comp itself is consumed). */
		memmove(rest, pos, strlen(pos) + 1);
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			if (comp[1] == '.' && w->depth > 0)
				walk_pop_to(w, w->depth - 1);
			if (last)
				return walk_finish_dir(w, flags, ret_fd);
			continue;
		}
		r = walk_step(w, comp, last, flags, mkdirs, mode, &rest, ret_fd);
		if (r != 0)
			return r < 0 ? r : 0;
	}
}

static int
open_in_root_raw(int rootfd, const char *path, int flags, int *ret_fd)
{
	struct open_how how = {
		.flags = (uint64_t)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int r = -EAGAIN;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return -EINVAL;
	/* openat2 returns EAGAIN when a rename or mount raced with ".." resolution. */
	for (int i = 0; i < 32 && r == -EAGAIN; i++) {
		if (path_test_no_openat2) {
			r = -ENOSYS;
		} else {
			long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
			if (fd >= 0) {
				*ret_fd = (int)fd;
				return 0;
			}
			r = -errno;
		}
		if (r == -ENOSYS || r == -EPERM) /* old kernel, or a seccomp filter */
			r = walk_in_root(rootfd, path, flags, false, 0, ret_fd);
	}
	return r;
}

int
path_open_in_root(int rootfd, const char *path, int flags, int *ret_fd, struct lc_err *err)
{
	int r = open_in_root_raw(rootfd, path, flags, ret_fd);
	if (r < 0)
		return lc_err_set(err, r, "open \"%s\" in the container rootfs", path);
	return 0;
}

static int split_parent(const char *path, char **ret_dir, char base[static NAME_MAX + 1]);

/* The usual missing directory: its parent resolves (or is made the same way) and the
 * last component is created there and opened without following anything. A symlink
 * or another non-directory in its place, ".", ".." or a race returns -EXDEV, and the
 * caller takes the walk, which resolves such entries inside the root. */
static int
mkdir_last(int rootfd, const char *path, mode_t mode, int depth, int *ret_fd)
{
	_cleanup_free_ char *dir = NULL;
	_cleanup_close_ int dirfd = -1;
	char base[NAME_MAX + 1];
	int r;

	if (depth > 16 || split_parent(path, &dir, base) < 0)
		return -EXDEV;
	r = open_in_root_raw(rootfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, &dirfd);
	if (r == -ENOENT)
		r = mkdir_last(rootfd, dir, mode, depth + 1, &dirfd);
	if (r < 0)
		return r;
	if (mkdirat(dirfd, base, mode) < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(dirfd, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR || errno == ENOENT || errno == ELOOP ? -EXDEV : -errno;
	*ret_fd = fd;
	return 0;
}

static int
mkdir_in_root_raw(int rootfd, const char *path, mode_t mode, int *ret_fd)
{
	int r = open_in_root_raw(rootfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC, ret_fd);
	if (r != -ENOENT)
		return r;
	r = mkdir_last(rootfd, path, mode, 0, ret_fd);
	if (r != -EXDEV)
		return r;
	for (int i = 0; i < 32; i++) {
		r = walk_in_root(rootfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC, true, mode,
				 ret_fd);
		if (r != -EAGAIN)
			break;
	}
	return r;
}

int
path_mkdir_in_root(int rootfd, const char *path, mode_t mode, int *ret_fd, struct lc_err *err)
{
	int r = mkdir_in_root_raw(rootfd, path, mode, ret_fd);
	if (r < 0)
		return lc_err_set(err, r, "create directory \"%s\" in the container rootfs", path);
	return 0;
}

/* Splits path into a parent (malloc'd) and its last component (pointer into path).
 * Trailing slashes are ignored; "." and ".." cannot name a file. */
static int
split_parent(const char *path, char **ret_dir, char base[static NAME_MAX + 1])
{
	size_t end = strlen(path), start;

	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end == start || end - start > NAME_MAX)
		return end == start ? -EINVAL : -ENAMETOOLONG;
	memcpy(base, path + start, end - start);
	base[end - start] = '\0';
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -EINVAL;
	*ret_dir = start > 0 ? strndup(path, start) : strdup(".");
	return *ret_dir ? 0 : -ENOMEM;
}

static int
ensure_file_raw(int rootfd, const char *path, int *ret_fd)
{
	_cleanup_free_ char *cur = strdup(path);
	if (!cur)
		return -ENOMEM;

	for (int links = 0; links <= MAX_SYMLINKS; links++) {
		_cleanup_free_ char *dir = NULL;
		_cleanup_close_ int dirfd = -1;
		char base[NAME_MAX + 1], target[PATH_MAX];
		int r;

		r = open_in_root_raw(rootfd, cur, O_PATH | O_CLOEXEC, ret_fd);
		if (r != -ENOENT)
			return r;
		r = split_parent(cur, &dir, base);
		if (r < 0)
			return r;
		r = mkdir_in_root_raw(rootfd, dir, 0755, &dirfd);
		if (r < 0)
			return r;
		/* O_EXCL|O_NOFOLLOW: never write through whatever appeared at base. */
		int fd = openat(dirfd, base, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC,
				0644);
		if (fd >= 0) {
			close(fd);
			fd = openat(dirfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				return -errno;
			*ret_fd = fd;
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
		/* It exists but did not resolve: a dangling symlink. Create its target, still
		 * interpreted inside the root. */
		ssize_t n = readlinkat(dirfd, base, target, sizeof(target) - 1);
		if (n < 0)
			return errno == EINVAL ? -EAGAIN : -errno;
		target[n] = '\0';
		if (is_magic_link_dir(dirfd))
			return -ELOOP;
		char *next;
		if (target[0] == '/')
			next = strdup(target);
		else if (asprintf(&next, "%s/%s", dir, target) < 0)
			next = NULL;
		if (!next)
			return -ENOMEM;
		free(cur);
		cur = next;
	}
	return -ELOOP;
}

int
path_ensure_target(int rootfd, const char *path, bool is_dir, int *ret_fd, struct lc_err *err)
{
	int r;

	if (is_dir)
		return path_mkdir_in_root(rootfd, path, 0755, ret_fd, err);
	for (int i = 0; i < 8; i++) {
		r = ensure_file_raw(rootfd, path, ret_fd);
		if (r != -EAGAIN)
			break;
	}
	if (r < 0)
		return lc_err_set(err, r, "create \"%s\" in the container rootfs", path);
	return 0;
}

const char *
path_fd_proc(int fd, char buf[static 32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

int
path_open_parent_in_root(int rootfd, const char *path, int *ret_dirfd,
			 char base[static NAME_MAX + 1], struct lc_err *err)
{
	_cleanup_free_ char *dir = NULL;
	int r = split_parent(path, &dir, base);

	if (r < 0)
		return lc_err_set(err, r, "\"%s\" in the container rootfs", path);
	return path_mkdir_in_root(rootfd, dir, 0755, ret_dirfd, err);
}
