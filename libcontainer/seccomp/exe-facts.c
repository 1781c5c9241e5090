/* Facts about the executables a container ran, for evidence (docs/seccomp-evidence.md,
 * "facts"): the path an execve names, read from the caller's memory, and the sha256 of
 * the file it names, opened as the caller would see it but never outside its root (the
 * recorder runs on the host: a symlink out of the container must not make it hash a
 * host file). Also used by `seccomp check --against` for a bundle's entrypoint. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "error.h"
#include "path.h"
#include "seccomp/observe.h"
#include "seccomp/sha256.h"

/* Files larger than this are not hashed (the record says so by a null sha256). */
#define EXE_HASH_MAX (512u << 20)

int
exe_read_path(pid_t pid, uint64_t addr, char *buf, size_t len)
{
	char mem[64];
	size_t got = 0;

	snprintf(mem, sizeof(mem), "/proc/%d/mem", (int)pid);
	_cleanup_close_ int fd = open(mem, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* page by page: a string near the end of a mapping must not fail the whole read */
	while (got < len - 1) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		if (chunk > len - 1 - got)
			chunk = len - 1 - got;
		ssize_t n = pread(fd, buf + got, chunk, (off_t)(addr + got));
		if (n <= 0)
			return n < 0 ? -errno : -EFAULT;
		if (memchr(buf + got, '\0', (size_t)n))
			return 0;
		got += (size_t)n;
	}
	return -ENAMETOOLONG;
}

static int
openat2_path(int dirfd, const char *path, uint64_t resolve)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = resolve };
	int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

int
exe_open_in(pid_t pid, const char *path, const char *base)
{
	char dir[64];

	if (!*path)
		return -ENOENT;
	/* absolute: from the caller's root, as if it were "/"; relative: from its cwd
	 * (or base, a directory the caller named), beneath it */
	if (path[0] == '/')
		snprintf(dir, sizeof(dir), "/proc/%d/root", (int)pid);
	else
		snprintf(dir, sizeof(dir), "/proc/%d/%s", (int)pid, base ? base : "cwd");
	_cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (path[0] == '/')
		return exe_open_under(dfd, path);
	/* beneath the cwd: a ".." or an absolute symlink there leaves the fact unhashed */
	return openat2_path(dfd, path, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
}

int
exe_open_under(int rootfd, const char *path)
{
	/* path.c's resolution: openat2(RESOLVE_IN_ROOT), retried on a race, and the O_PATH
	 * walk where openat2 is missing or filtered */
	int fd = -1;
	struct lc_err err;
	int r = path_open_in_root(rootfd, path, O_PATH | O_CLOEXEC, &fd, &err);
	return r < 0 ? r : fd;
}

int
exe_hash_fd(int pathfd, struct stat *st, char hex[65])
{
	char proc[64];
	uint8_t digest[SHA256_DIGEST_SIZE];
	static char buf[1 << 16];
	struct sha256_ctx ctx;

	if (fstat(pathfd, st) < 0)
		return -errno;
	/* only regular files are read: opening a fifo or a device could block or act */
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	if ((uint64_t)st->st_size > EXE_HASH_MAX)
		return -EFBIG;
	/* a FUSE file's reads are served by a process the container may own, which could
	 * hold the (single-threaded) recorder forever */
	struct statfs sf;
	if (fstatfs(pathfd, &sf) < 0)
		return -errno;
	if (sf.f_type == FUSE_SUPER_MAGIC)
		return -EPERM;
	path_fd_proc(pathfd, proc);
	_cleanup_close_ int fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	sha256_init(&ctx);
	/* the size fstat gave, no more: a file that keeps growing cannot keep us here (one
	 * that changed while it was read hashes to what was read) */
	for (off_t left = st->st_size; left > 0;) {
		ssize_t n = read(fd, buf, left < (off_t)sizeof(buf) ? (size_t)left : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		sha256_update(&ctx, buf, (size_t)n);
		left -= n;
	}
	sha256_final(&ctx, digest);
	sha256_hex(digest, hex);
	return 0;
}

bool
exe_is_image_key(const char *key)
{
	/* the OCI image annotations, and the image names containerd's CRI and podman set */
	static const char *const exact[] = { "io.kubernetes.cri.image-name",
					     "io.containerd.image.name", "io.podman.annotations.image" };
	if (!strncmp(key, "org.opencontainers.image.", 25))
		return true;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(key, exact[i]))
			return true;
	return false;
}
