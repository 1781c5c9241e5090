/* State directory handling: claim, atomic state.json writes, reads, live status and
 * the OCI state JSON. The lifecycle (container.c) decides when to call what. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include "error.h"
#include "json.h"
#include "state.h"

char *
state_dir(const char *root, const char *id)
{
	char *p;
	if (asprintf(&p, "%s/%s", root, id) < 0)
		return NULL;
	return p;
}

/* mkdir -p for the state root only (it is ours: 0700). */
int
state_root_ensure(const char *root)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", root) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
state_claim(const char *root, const char *id, struct lc_err *err)
{
	_cleanup_free_ char *dir = state_dir(root, id);
	int r;

	if (!dir)
		return lc_err_set(err, ENOMEM, "state dir");
	r = state_root_ensure(root);
	if (r < 0)
		return lc_err_set(err, r, "create state root %s", root);
	/* mkdir is the atomic claim: of two concurrent creates exactly one succeeds. */
	if (mkdir(dir, 0711) < 0) {
		if (errno == EEXIST)
			return lc_err_setx(err, EEXIST, "container \"%s\" already exists", id);
		return lc_err_set(err, errno, "create state dir %s", dir);
	}
	return 0;
}

static int
remove_tree_at(int dfd)
{
	_cleanup_closedir_ DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			continue;
		if (errno != EISDIR && errno != EPERM)
			continue;
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			remove_tree_at(sub);
		unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	return 0;
}

int
state_remove(const char *root, const char *id)
{
	_cleanup_free_ char *dir = state_dir(root, id);
	if (!dir)
		return -ENOMEM;
	/* A recorder may still write a last snapshot of denials into the directory as
	 * the container's processes exit: a file that appears meanwhile gets one more
	 * pass. */
	for (int pass = 0;; pass++) {
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT ? 0 : -errno;
		remove_tree_at(fd);
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != ENOTEMPTY || pass == 3)
			return -errno;
	}
}

static void
gen_annotations(struct json_gen *g, char **ann)
{
	json_gen_obj_open(g);
	for (char **a = ann; a && a[0] && a[1]; a += 2) {
		json_gen_key(g, a[0]);
		json_gen_string(g, a[1]);
	}
	json_gen_obj_close(g);
}

int
state_write(const char *root, const struct lc_state *st, struct lc_err *err)
{
	_cleanup_free_ char *dir = state_dir(root, st->id), *tmp = NULL, *dst = NULL, *text = NULL;
	struct json_gen *g = json_gen_new(false);
	size_t len;
	int r;

	if (!dir || !g)
		return lc_err_set(err, ENOMEM, "write state");
	json_gen_obj_open(g);
	json_gen_key(g, "id");
	json_gen_string(g, st->id);
	json_gen_key(g, "bundle");
	json_gen_string(g, st->bundle);
	json_gen_key(g, "rootfs");
	json_gen_string(g, st->rootfs);
	json_gen_key(g, "pid");
	json_gen_int(g, st->pid);
	json_gen_key(g, "pidStart");
	json_gen_uint(g, st->pid_start);
	json_gen_key(g, "created");
	json_gen_string(g, st->created);
	json_gen_key(g, "owner");
	json_gen_uint(g, st->owner);
	json_gen_key(g, "cgroup");
	json_gen_string(g, st->cgroup);
	json_gen_key(g, "seccomp");
	json_gen_string(g, st->seccomp_json);
	if (st->hooks_known) {
		json_gen_key(g, "hookKinds");
		json_gen_uint(g, st->hooks);
	}
	json_gen_key(g, "annotations");
	gen_annotations(g, st->annotations);
	json_gen_obj_close(g);
	r = json_gen_finish(g, &text, &len);
	json_gen_free(g);
	if (r < 0)
		return lc_err_set(err, r, "encode state");

	if (asprintf(&tmp, "%s/.state.json.tmp", dir) < 0 || asprintf(&dst, "%s/state.json", dir) < 0)
		return lc_err_set(err, ENOMEM, "write state");
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return lc_err_set(err, errno, "write %s", tmp);
	if (write(fd, text, len) != (ssize_t)len)
		return lc_err_set(err, errno ? errno : EIO, "write %s", tmp);
	if (rename(tmp, dst) < 0)
		return lc_err_set(err, errno, "rename %s", dst);
	return 0;
}

static char *
dup_str(const struct json_val *v)
{
	const char *s = json_string(v);
	return s ? strdup(s) : NULL;
}

int
state_read(const char *root, const char *id, struct lc_state **ret, struct lc_err *err)
{
	_cleanup_free_ char *dir = state_dir(root, id), *path = NULL, *buf = NULL;
	char jerr[256];
	struct json_val *doc = NULL;
	struct stat sb;

	if (!dir || asprintf(&path, "%s/state.json", dir) < 0)
		return lc_err_set(err, ENOMEM, "read state");
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return lc_err_setx(err, ENOENT, "container \"%s\" does not exist", id);
		return lc_err_set(err, errno, "read %s", path);
	}
	if (fstat(fd, &sb) < 0 || !(buf = malloc(sb.st_size + 1)))
		return lc_err_set(err, errno ? errno : ENOMEM, "read %s", path);
	ssize_t n = read(fd, buf, sb.st_size);
	if (n != sb.st_size)
		return lc_err_set(err, n < 0 ? errno : EIO, "read %s", path);
	buf[n] = '\0';
	if (json_parse(buf, n, &doc, jerr, sizeof(jerr)) < 0)
		return lc_err_setx(err, EINVAL, "%s: %s", path, jerr);

	struct lc_state *st = calloc(1, sizeof(*st));
	if (!st) {
		json_free(doc);
		return lc_err_set(err, ENOMEM, "read state");
	}
	int64_t i64 = 0;
	uint64_t u64 = 0;
	st->id = dup_str(json_get(doc, "id"));
	st->bundle = dup_str(json_get(doc, "bundle"));
	st->rootfs = dup_str(json_get(doc, "rootfs"));
	st->created = dup_str(json_get(doc, "created"));
	st->cgroup = dup_str(json_get(doc, "cgroup"));
	st->seccomp_json = dup_str(json_get(doc, "seccomp"));
	if (json_int64(json_get(doc, "pid"), &i64) >= 0)
		st->pid = (pid_t)i64;
	if (json_uint64(json_get(doc, "pidStart"), &u64) >= 0)
		st->pid_start = u64;
	if (json_uint64(json_get(doc, "owner"), &u64) >= 0)
		st->owner = (uid_t)u64;
	if (json_uint64(json_get(doc, "hookKinds"), &u64) >= 0 && u64 <= UINT_MAX) {
		st->hooks = (unsigned)u64;
		st->hooks_known = true;
	}
	const struct json_val *ann = json_get(doc, "annotations");
	size_t na = json_len(ann);
	st->annotations = calloc(2 * na + 1, sizeof(char *));
	for (size_t i = 0; st->annotations && i < na; i++) {
		st->annotations[2 * i] = strdup(json_key_at(ann, i));
		st->annotations[2 * i + 1] = dup_str(json_value_at(ann, i));
	}
	json_free(doc);
	if (!st->id || !st->bundle || !st->annotations) {
		state_free(st);
		return lc_err_setx(err, EINVAL, "%s: incomplete state file", path);
	}
	*ret = st;
	return 0;
}

void
state_free(struct lc_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->cgroup);
	free(st->seccomp_json);
	strv_freep(&st->annotations);
	free(st);
}

uint64_t
state_pid_start(pid_t pid, bool *ret_zombie)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may contain spaces and parentheses: fields start after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	p += 2; /* field 3: state */
	if (ret_zombie)
		*ret_zombie = (*p == 'Z' || *p == 'X');
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

enum ct_status
state_status(const char *root, const struct lc_state *st)
{
	bool zombie = false;
	if (st->pid <= 0)
		return ST_STOPPED;
	uint64_t start = state_pid_start(st->pid, &zombie);
	if (start == 0 || zombie || start != st->pid_start)
		return ST_STOPPED;
	_cleanup_free_ char *dir = state_dir(root, st->id), *fifo = NULL;
	if (dir && asprintf(&fifo, "%s/exec.fifo", dir) >= 0 && access(fifo, F_OK) == 0)
		return ST_CREATED;
	return ST_RUNNING;
}

const char *
state_status_name(enum ct_status s)
{
	static const char *const names[] = {
		[ST_CREATING] = "creating", [ST_CREATED] = "created", [ST_RUNNING] = "running",
		[ST_PAUSED] = "paused",     [ST_STOPPED] = "stopped",
	};
	return names[s];
}

char *
state_oci_json(const struct lc_state *st, enum ct_status status, bool pretty)
{
	struct json_gen *g = json_gen_new(pretty);
	char *text = NULL;
	size_t len;

	if (!g)
		return NULL;
	json_gen_obj_open(g);
	json_gen_key(g, "ociVersion");
	json_gen_string(g, OCI_SPEC_VERSION);
	json_gen_key(g, "id");
	json_gen_string(g, st->id);
	json_gen_key(g, "status");
	json_gen_string(g, state_status_name(status));
	json_gen_key(g, "pid");
	json_gen_int(g, status == ST_STOPPED ? 0 : st->pid);
	json_gen_key(g, "bundle");
	json_gen_string(g, st->bundle);
	if (st->rootfs) {
		json_gen_key(g, "rootfs");
		json_gen_string(g, st->rootfs);
	}
	if (st->created) {
		json_gen_key(g, "created");
		json_gen_string(g, st->created);
	}
	json_gen_key(g, "owner");
	json_gen_string(g, "");
	json_gen_key(g, "annotations");
	gen_annotations(g, st->annotations);
	json_gen_obj_close(g);
	if (json_gen_finish(g, &text, &len) < 0)
		text = NULL;
	json_gen_free(g);
	return text;
}

int
state_lock(const char *root, const char *id, struct lc_err *err)
{
	_cleanup_free_ char *dir = state_dir(root, id);
	if (!dir)
		return lc_err_set(err, ENOMEM, "lock");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return lc_err_setx(err, ENOENT, "container \"%s\" does not exist", id);
		return lc_err_set(err, errno, "open %s", dir);
	}
	if (flock(fd, LOCK_EX) < 0) {
		int e = errno;
		close(fd);
		return lc_err_set(err, e, "lock %s", dir);
	}
	return fd;
}
