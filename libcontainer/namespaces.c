/* Namespace plumbing for the process model (namespaces.h). Which steps run in the
 * runtime and which in the container process follows from kernel rules noted inline. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "error.h"
#include "log.h"
#include "namespaces.h"
#include "tables.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static bool
ns_new(const struct lc_spec *s, enum ns_type t)
{
	return s->linux_.ns[t].present && !s->linux_.ns[t].path;
}

unsigned long
ns_clone_flags(const struct lc_spec *s)
{
	const struct spec_ns *ns = s->linux_.ns;
	unsigned long flags = 0;

	/* A new pid namespace must come from clone (unshare would only affect children). */
	/* When joining a user namespace by path, the new namespaces must be owned by it:
	 * an intermediate process joins it and makes them (ns_intermediate_setup). */
	if (ns[NS_USER].present && ns[NS_USER].path)
		return 0;
	if (ns_new(s, NS_PID))
		flags |= CLONE_NEWPID;
	static const enum ns_type at_clone[] = { NS_USER, NS_NET, NS_MNT, NS_IPC, NS_UTS };
	for (size_t i = 0; i < ARRAY_SIZE(at_clone); i++)
		if (ns_new(s, at_clone[i]))
			flags |= table_ns_clone_flag(at_clone[i]);
	/* cgroup: unshared by the child after it was moved into its cgroup, so the
	 * namespace root is the container's cgroup. time: prepared by the runtime. */
	return flags;
}

static bool
same_file(const char *x, const char *y)
{
	struct stat a, b;
	/* unreadable paths are reported when they are opened */
	return stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

int
ns_check_shared(struct lc_spec *s, struct lc_err *err)
{
	struct spec_ns *ns = s->linux_.ns;
	char own[64];

	for (int t = 0; t < NS__COUNT; t++) {
		if (!ns[t].present || !ns[t].path)
			continue;
		const char *name = table_ns_proc_name((enum ns_type)t);
		snprintf(own, sizeof(own), "/proc/self/ns/%s", name);
		if (same_file(ns[t].path, own)) {
			log_debug("linux.namespaces: %s path %s is the runtime's own namespace: "
				  "shared", table_ns_name((enum ns_type)t), ns[t].path);
			free(ns[t].path);
			ns[t].path = NULL;
			ns[t].present = false;
			continue;
		}
		/* the root file system is set up in the mount namespace joined: never the
		 * one of the pid namespace's init */
		if (t == NS_MNT && same_file(ns[t].path, "/proc/1/ns/mnt"))
			return lc_err_setx(err, EINVAL,
					   "config.json: linux.namespaces: mount path \"%s\" is "
					   "the mount namespace of pid 1: strait never sets up a "
					   "root file system there", ns[t].path);
	}
	/* Setting up the root file system (propagation, binds, masks, pivot_root) in the
	 * caller's mount namespace would take the host's root away from every process
	 * that shares it. */
	if (!ns[NS_MNT].present)
		return lc_err_setx(err, EINVAL,
				   "config.json: linux.namespaces: no \"mount\" namespace: strait "
				   "sets up the root file system only in a mount namespace of the "
				   "container's own, never in the caller's");
	return 0;
}

static int
open_ns(const char *path, enum ns_type t, struct lc_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lc_err_set(err, errno, "config.json: linux.namespaces: %s path \"%s\"",
				  table_ns_name(t), path);
	return fd;
}

static int
write_time_offsets(const struct spec_linux *l, struct lc_err *err)
{
	char buf[256];
	size_t off = 0;

	for (size_t i = 0; i < l->n_time_offsets; i++) {
		const struct spec_time_offset *o = &l->time_offsets[i];
		off += snprintf(buf + off, sizeof(buf) - off, "%s %lld %u\n",
				o->clock == CLOCK_BOOTTIME ? "boottime" : "monotonic",
				(long long)o->secs, o->nanosecs);
	}
	if (!off)
		return 0;
	_cleanup_close_ int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, off) != (ssize_t)off)
		return lc_err_set(err, errno, "config.json: linux.timeOffsets: write /proc/self/timens_offsets");
	return 0;
}

int
ns_runtime_prepare(const struct lc_spec *s, struct ns_saved *saved, struct lc_err *err)
{
	const struct spec_ns *ns = s->linux_.ns;
	int r;

	saved->pid_fd = saved->time_fd = -1;
	if (ns[NS_TIME].present && !ns[NS_TIME].path) {
		/* Offsets can only be written before any process enters the namespace, so the
		 * runtime creates it for its children, writes them, then clones. */
		saved->time_fd = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		if (saved->time_fd < 0)
			return lc_err_set(err, errno, "open /proc/self/ns/time");
		if (unshare(CLONE_NEWTIME) < 0)
			return lc_err_set(err, errno, "config.json: linux.namespaces: new time namespace");
		r = write_time_offsets(&s->linux_, err);
		if (r < 0)
			return r;
	}
	if (ns[NS_PID].present && ns[NS_PID].path) {
		saved->pid_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		if (saved->pid_fd < 0)
			return lc_err_set(err, errno, "open /proc/self/ns/pid");
		_cleanup_close_ int fd = open_ns(ns[NS_PID].path, NS_PID, err);
		if (fd < 0)
			return fd;
		if (setns(fd, CLONE_NEWPID) < 0)
			return lc_err_set(err, errno, "config.json: linux.namespaces: join pid namespace \"%s\"",
					  ns[NS_PID].path);
	}
	return 0;
}

void
ns_runtime_restore(struct ns_saved *saved)
{
	if (saved->pid_fd >= 0) {
		(void)!setns(saved->pid_fd, CLONE_NEWPID);
		closep(&saved->pid_fd);
		saved->pid_fd = -1;
	}
	if (saved->time_fd >= 0) {
		(void)!setns(saved->time_fd, CLONE_NEWTIME);
		closep(&saved->time_fd);
		saved->time_fd = -1;
	}
}

/* In a joined user namespace: become its root when 0 is mapped there (it usually is);
 * otherwise stay as mapped. */
static int
become_joined_root(void)
{
	if (setresgid(0, 0, 0) == 0)
		(void)!setresuid(0, 0, 0);
	return 0;
}

static int
become_ns_root(const struct spec_linux *l, struct lc_err *err)
{
	/* Files created from here on need a mapped fsuid; root of the new namespace is the
	 * natural owner for the setup steps. Only when 0 is mapped. */
	bool uid0 = false, gid0 = false;
	for (size_t i = 0; i < l->n_uid_mappings; i++)
		uid0 |= l->uid_mappings[i].container_id == 0;
	for (size_t i = 0; i < l->n_gid_mappings; i++)
		gid0 |= l->gid_mappings[i].container_id == 0;
	if (gid0 && setresgid(0, 0, 0) < 0)
		return lc_err_set(err, errno, "setresgid 0 in user namespace");
	if (uid0 && setresuid(0, 0, 0) < 0)
		return lc_err_set(err, errno, "setresuid 0 in user namespace");
	return 0;
}

/* Joins and unshares (everything but cgroup). */
static int
ns_join_all(const struct lc_spec *s, bool unshare_pid, struct lc_err *err)
{
	const struct spec_ns *ns = s->linux_.ns;
	/* user first: the namespaces joined or created after it are then owned by it;
	 * mount last, so that the other paths are still opened in the host view. */
	static const enum ns_type order[] = { NS_USER, NS_IPC, NS_UTS, NS_NET, NS_CGROUP, NS_TIME, NS_MNT };
	int fds[NS__COUNT];
	int r = 0;

	for (size_t i = 0; i < NS__COUNT; i++)
		fds[i] = -1;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		enum ns_type t = order[i];
		if (ns[t].present && ns[t].path) {
			fds[t] = open_ns(ns[t].path, t, err);
			if (fds[t] < 0) {
				r = fds[t];
				goto out;
			}
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		enum ns_type t = order[i];
		if (fds[t] < 0)
			continue;
		if (setns(fds[t], table_ns_clone_flag(t)) < 0) {
			r = lc_err_set(err, errno, "config.json: linux.namespaces: join %s namespace \"%s\"",
				       table_ns_name(t), ns[t].path);
			goto out;
		}
	}
	if (ns[NS_USER].present && ns[NS_USER].path) {
		unsigned long flags = 0;
		static const enum ns_type later[] = { NS_NET, NS_MNT, NS_IPC, NS_UTS };
		for (size_t i = 0; i < ARRAY_SIZE(later); i++)
			if (ns_new(s, later[i]))
				flags |= table_ns_clone_flag(later[i]);
		if (unshare_pid && ns_new(s, NS_PID))
			flags |= CLONE_NEWPID;
		if (flags && unshare(flags) < 0) {
			r = lc_err_set(err, errno, "unshare namespaces in joined user namespace");
			goto out;
		}
	}
	if (ns[NS_USER].present && ns[NS_USER].path)
		r = become_joined_root();
	else if (ns_new(s, NS_USER))
		r = become_ns_root(&s->linux_, err);
out:
	for (size_t i = 0; i < NS__COUNT; i++)
		closep(&fds[i]);
	return r;
}

int
ns_child_finish(const struct lc_spec *s, struct lc_err *err)
{
	if (ns_new(s, NS_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		return lc_err_set(err, errno, "unshare cgroup namespace");
	return 0;
}

int
ns_child_join(const struct lc_spec *s, struct lc_err *err)
{
	return ns_join_all(s, false, err);
}

int
ns_child_setup(const struct lc_spec *s, struct lc_err *err)
{
	int r = ns_child_join(s, err);
	return r < 0 ? r : ns_child_finish(s, err);
}

bool
ns_needs_intermediate(const struct lc_spec *s)
{
	return s->linux_.ns[NS_USER].present && s->linux_.ns[NS_USER].path;
}

int
ns_intermediate_setup(const struct lc_spec *s, struct lc_err *err)
{
	return ns_join_all(s, true, err);
}
