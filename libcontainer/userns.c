/* User namespace id maps: the runtime writes /proc/<pid>/{uid_map,setgroups,gid_map} for
 * the cloned child while it waits for GO. Which mappings are consistent is validate.c's
 * job; the kernel has the last word on which ids this runtime may map. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include "error.h"
#include "sys.h"

/* Formats maps as "c h s\n" lines into a malloc'd buffer. */
static int
userns_format(const struct spec_id_map *m, size_t n, char **ret, size_t *ret_len)
{
	/* 3 x 10 digits, 2 spaces and a newline per line. */
	size_t cap = n * 33 + 1, o = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		o += snprintf(buf + o, cap - o, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
			      m[i].container_id, m[i].host_id, m[i].size);
	*ret = buf;
	*ret_len = o;
	return 0;
}

/* Writes content with one write(2): the kernel accepts a map file only once and only
 * as a single write. */
static int
userns_write_file(pid_t pid, const char *name, const char *content, size_t len,
		  struct lc_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return lc_err_set(err, errno, "open %s", path);
	ssize_t w = write(fd, content, len);
	if (w == (ssize_t)len)
		return 0;
	int e = w < 0 ? errno : EIO;

	/* Show the lines on one line: "0 1000 1, 1 100000 65536". */
	char shown[256];
	size_t o = 0;
	for (size_t i = 0; i < len && o + 3 < sizeof(shown); i++) {
		if (content[i] != '\n') {
			shown[o++] = content[i];
		} else if (i + 1 < len) {
			shown[o++] = ',';
			shown[o++] = ' ';
		}
	}
	shown[o] = '\0';
	if (e == EPERM)
		return lc_err_setx(err, e,
				   "write %s \"%s\": Operation not permitted (the runtime may only "
				   "map ids it owns, or needs CAP_SETUID/CAP_SETGID)",
				   path, shown);
	return lc_err_set(err, e, "write %s \"%s\"", path, shown);
}

/* An unprivileged runtime (no CAP_SETGID) may only write gid_map after it has denied
 * setgroups(2) in the new namespace: the kernel's guard against dropping groups used
 * as negative permissions (CVE-2014-8989). A privileged one leaves setgroups alone so
 * that the container can set additionalGids. */
static bool
userns_runtime_privileged(void)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;
	if (c) {
		cap_get_flag(c, CAP_SETGID, CAP_EFFECTIVE, &v);
		cap_free(c);
	}
	return v == CAP_SET;
}

/* Runtime process: pid is the cloned child, already in its new user namespace and
 * waiting. Writes uid_map, then (unprivileged runtimes only) setgroups "deny", then
 * gid_map. Empty mapping lists are skipped. */
int
userns_write_maps(pid_t pid, const struct spec_linux *l, struct lc_err *err)
{
	int r;

	if (l->n_uid_mappings > 0) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		if (userns_format(l->uid_mappings, l->n_uid_mappings, &buf, &len) < 0)
			return lc_err_set(err, ENOMEM, "uid_map");
		r = userns_write_file(pid, "uid_map", buf, len, err);
		if (r < 0)
			return r;
	}
	if (l->n_gid_mappings > 0) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		if (!userns_runtime_privileged()) {
			r = userns_write_file(pid, "setgroups", "deny", 4, err);
			if (r < 0)
				return r;
		}
		if (userns_format(l->gid_mappings, l->n_gid_mappings, &buf, &len) < 0)
			return lc_err_set(err, ENOMEM, "gid_map");
		r = userns_write_file(pid, "gid_map", buf, len, err);
		if (r < 0)
			return r;
	}
	return 0;
}
