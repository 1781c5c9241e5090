/* path.c: resolution inside a root with hostile symlinks (absolute, "../..", loops,
 * dangling, /proc magic links), in both modes: openat2 and the O_PATH walk. Needs no
 * privileges: everything lives in a temp dir. */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "path.h"
#include "tap.h"

static char top[PATH_MAX], root[PATH_MAX];

static void
mk(const char *fmt, const char *rel)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (fmt[0] == 'd')
		mkdir(p, 0755);
	else if (fmt[0] == 'f') {
		int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			ssize_t _unused_ w = write(fd, rel, strlen(rel));
			close(fd);
		}
	}
}

static void
ln(const char *target, const char *rel)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (symlink(target, p) < 0)
		perror(p);
}

/* Inode of root/rel (not following a final symlink), 0 when missing. */
static ino_t
ino_in(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &st) < 0 ? 0 : st.st_ino;
}

static ino_t
fd_ino(int fd)
{
	struct stat st;
	return fstat(fd, &st) < 0 ? 0 : st.st_ino;
}

static void
setup(void)
{
	char outside[PATH_MAX + 16];

	snprintf(top, sizeof(top), "/tmp/strait-test-path.XXXXXX");
	if (!mkdtemp(top))
		abort();
	snprintf(root, sizeof(root), "%s/root", top);
	mkdir(root, 0755);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	mkdir(outside, 0755);
	mk("d", "etc");
	mk("f", "etc/passwd");
	mk("d", "dir");
	mk("d", "dir/sub");
	ln("/etc", "abs");                      /* absolute: must stay inside root */
	ln("../../..", "up");                   /* climbs: clamps at root */
	ln("../../../../etc", "dir/sub/updir"); /* deep climb */
	ln("loop2", "loop1");
	ln("loop1", "loop2");
	ln("/newdir/file", "dangling");         /* dangling file target */
	ln("/made/here", "danglingdir");        /* dangling directory target */
	ln("/made/last-openat2", "lastlink-openat2"); /* dangling, as the last component */
	ln("/made/last-walk", "lastlink-walk");
	ln("/etc/hostname-strait-test", "hostfile");
	ln(outside, "toout");                   /* absolute path of a host dir */
	ln("../outside", "relout");             /* relative climb to a host dir */
}

static void
cleanup(void)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup of %s failed\n", top);
}

static int
open_in(int rootfd, const char *path, int flags, ino_t *ret_ino)
{
	int fd = -1;
	struct lc_err err = { 0 };
	int r = path_open_in_root(rootfd, path, flags, &fd, &err);
	if (r >= 0) {
		*ret_ino = fd_ino(fd);
		close(fd);
	} else {
		*ret_ino = 0;
	}
	return r;
}

static void
test_resolution(int rootfd, const char *mode)
{
	ino_t ino;
	int r;

	r = open_in(rootfd, "/etc/passwd", O_PATH | O_CLOEXEC, &ino);
	is_int(r, 0, "%s: plain path", mode);
	is_int(ino, ino_in("etc/passwd"), "%s: plain path is root/etc/passwd", mode);

	r = open_in(rootfd, "abs/passwd", O_PATH | O_CLOEXEC, &ino);
	is_int(r, 0, "%s: absolute symlink resolves", mode);
	is_int(ino, ino_in("etc/passwd"), "%s: absolute symlink /etc lands in root/etc", mode);

	r = open_in(rootfd, "up/up/etc/passwd", O_PATH | O_CLOEXEC, &ino);
	is_int(ino, ino_in("etc/passwd"), "%s: ../../.. symlink clamps at root", mode);

	r = open_in(rootfd, "/dir/sub/updir/passwd", O_PATH | O_CLOEXEC, &ino);
	is_int(ino, ino_in("etc/passwd"), "%s: deep ../ symlink clamps at root", mode);

	r = open_in(rootfd, "../../../../etc/passwd", O_PATH | O_CLOEXEC, &ino);
	is_int(ino, ino_in("etc/passwd"), "%s: literal .. above root clamps", mode);

	r = open_in(rootfd, "/dir/sub/../../etc/./passwd", O_PATH | O_CLOEXEC, &ino);
	is_int(ino, ino_in("etc/passwd"), "%s: .. inside root walks back", mode);

	r = open_in(rootfd, "toout", O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ENOENT, "%s: symlink to a host dir by absolute path does not reach it", mode);
	r = open_in(rootfd, "relout", O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ENOENT, "%s: symlink ../outside does not leave the root", mode);

	r = open_in(rootfd, "loop1", O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ELOOP, "%s: symlink loop is ELOOP", mode);

	r = open_in(rootfd, "etc/passwd/x", O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ENOTDIR, "%s: file used as a directory", mode);

	r = open_in(rootfd, "abs", O_PATH | O_NOFOLLOW | O_CLOEXEC, &ino);
	is_int(ino, ino_in("abs"), "%s: O_NOFOLLOW returns the final symlink itself", mode);

	r = open_in(rootfd, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, &ino);
	is_int(ino, ino_in(""), "%s: / is the root", mode);

	/* Reading through a symlink with real flags. */
	int fd = -1;
	char buf[64] = "";
	r = path_open_in_root(rootfd, "abs/passwd", O_RDONLY | O_CLOEXEC, &fd, NULL);
	is_int(r, 0, "%s: O_RDONLY open through a symlink", mode);
	if (fd >= 0) {
		ssize_t _unused_ n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	is_str(buf, "etc/passwd", "%s: read the root's file", mode);

	struct lc_err err = { 0 };
	r = path_open_in_root(rootfd, "nope/x", O_PATH | O_CLOEXEC, &fd, &err);
	is_int(r, -ENOENT, "%s: missing path", mode);
	has_str(err.msg, "\"nope/x\"", "%s: error names the path", mode);
}

static void
test_magic_links(const char *mode)
{
	int hostroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int dirfd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char p[64];
	ino_t ino;
	int r;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", dirfd);
	r = open_in(hostroot, p, O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ELOOP, "%s: /proc/self/fd/N magic link refused", mode);
	snprintf(p, sizeof(p), "/proc/self/fd/%d/x", dirfd);
	r = open_in(hostroot, p, O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ELOOP, "%s: walking through /proc/self/fd/N refused", mode);
	r = open_in(hostroot, "/proc/self/root/etc", O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ELOOP, "%s: /proc/self/root refused", mode);
	r = open_in(hostroot, "/proc/self/cwd", O_PATH | O_CLOEXEC, &ino);
	is_int(r, -ELOOP, "%s: /proc/self/cwd refused", mode);
	/* /proc/self itself is an ordinary symlink. */
	r = open_in(hostroot, "/proc/self/status", O_RDONLY | O_CLOEXEC, &ino);
	is_int(r, 0, "%s: /proc/self/status is fine", mode);
	close(dirfd);
	close(hostroot);
}

static void
test_create(int rootfd, const char *mode)
{
	char name[64], dpath[128];
	int fd = -1, r;
	struct stat st;

	/* mkdir through an absolute symlink to "/etc" creates root/etc/..., not the host's. */
	snprintf(name, sizeof(name), "strait-test-%d-%s", (int)getpid(), mode);
	snprintf(dpath, sizeof(dpath), "abs/%s/deeper", name);
	r = path_mkdir_in_root(rootfd, dpath, 0755, &fd, NULL);
	is_int(r, 0, "%s: mkdir -p through an absolute symlink", mode);
	char rel[128];
	snprintf(rel, sizeof(rel), "etc/%s/deeper", name);
	is_int(fd >= 0 ? fd_ino(fd) : 0, ino_in(rel), "%s: created inside root/etc", mode);
	snprintf(dpath, sizeof(dpath), "/etc/%s", name);
	ok(stat(dpath, &st) < 0 && errno == ENOENT, "%s: nothing created in the host /etc", mode);
	if (fd >= 0)
		close(fd);

	snprintf(dpath, sizeof(dpath), "up/%s-x/y", mode);
	r = path_mkdir_in_root(rootfd, dpath, 0755, &fd, NULL);
	snprintf(rel, sizeof(rel), "%s-x/y", mode);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in(rel), "%s: mkdir through ../../.. lands in root", mode);
	if (r >= 0)
		close(fd);

	r = path_mkdir_in_root(rootfd, "danglingdir/sub", 0755, &fd, NULL);
	is_int(r, 0, "%s: mkdir through a dangling symlink", mode);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in("made/here/sub"), "%s: its target is created in root",
	       mode);
	if (r >= 0)
		close(fd);

	/* the last component alone missing, and a dangling symlink in its place */
	snprintf(dpath, sizeof(dpath), "lastlink-%s", mode);
	r = path_mkdir_in_root(rootfd, dpath, 0755, &fd, NULL);
	snprintf(rel, sizeof(rel), "made/last-%s", mode);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in(rel), "%s: mkdir of a dangling symlink makes its target in root", mode);
	if (r >= 0)
		close(fd);
	snprintf(dpath, sizeof(dpath), "/made/last-%s", mode);
	ok(stat(dpath, &st) < 0 && errno == ENOENT, "%s: and nothing on the host", mode);

	/* several missing levels */
	snprintf(dpath, sizeof(dpath), "dir/%s-n1/n2/n3", mode);
	r = path_mkdir_in_root(rootfd, dpath, 0755, &fd, NULL);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in(dpath), "%s: mkdir -p of three new levels", mode);
	if (r >= 0)
		close(fd);

	r = path_mkdir_in_root(rootfd, "etc/passwd/x", 0755, &fd, NULL);
	is_int(r, -ENOTDIR, "%s: mkdir under a file fails", mode);
	r = path_mkdir_in_root(rootfd, "etc/passwd", 0755, &fd, NULL);
	is_int(r, -ENOTDIR, "%s: mkdir of an existing file fails", mode);

	r = path_mkdir_in_root(rootfd, "loop1/x", 0755, &fd, NULL);
	is_int(r, -ELOOP, "%s: mkdir through a loop fails", mode);
}

static void
test_ensure(int rootfd)
{
	int fd = -1, r;
	struct stat st;

	r = path_ensure_target(rootfd, "dangling", false, &fd, NULL);
	is_int(r, 0, "ensure file through a dangling symlink");
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in("newdir/file"), "created root/newdir/file");
	ok(r >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode), "it is a regular file");
	if (r >= 0)
		close(fd);

	r = path_ensure_target(rootfd, "hostfile", false, &fd, NULL);
	is_int(r, 0, "ensure file through a symlink to a host path");
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in("etc/hostname-strait-test"),
	       "created as root/etc/hostname-strait-test");
	ok(stat("/etc/hostname-strait-test", &st) < 0, "host /etc untouched");
	if (r >= 0)
		close(fd);

	r = path_ensure_target(rootfd, "/etc/passwd", false, &fd, NULL);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in("etc/passwd"), "existing file is reused");
	if (r >= 0)
		close(fd);

	r = path_ensure_target(rootfd, "/a/b/c/", true, &fd, NULL);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in("a/b/c"), "ensure directory creates parents");
	if (r >= 0)
		close(fd);

	struct lc_err err = { 0 };
	r = path_ensure_target(rootfd, "/nonexistent/..", false, &fd, &err);
	is_int(r, -EINVAL, "a file target cannot be ..");
	r = path_ensure_target(rootfd, "loop1", false, &fd, &err);
	is_int(r, -ELOOP, "a file target through a loop fails");
	has_str(err.msg, "loop1", "error names the path");

	char base[NAME_MAX + 1];
	r = path_open_parent_in_root(rootfd, "abs/sub2/leaf", &fd, base, NULL);
	is_int(r >= 0 ? fd_ino(fd) : 0, ino_in("etc/sub2"), "parent of a path is created in root");
	is_str(base, "leaf", "last component returned");
	if (r >= 0)
		close(fd);
}

int
main(void)
{
	char buf[32];

	setup();
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		abort();
	for (int fallback = 0; fallback < 2; fallback++) {
		const char *mode = fallback ? "walk" : "openat2";
		path_test_no_openat2 = fallback;
		test_resolution(rootfd, mode);
		test_magic_links(mode);
		test_create(rootfd, mode);
	}
	path_test_no_openat2 = false;
	test_ensure(rootfd);
	is_str(path_fd_proc(7, buf), "/proc/self/fd/7", "path_fd_proc");
	close(rootfd);
	cleanup();
	return tap_done();
}
