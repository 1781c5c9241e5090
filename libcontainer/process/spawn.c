/* Runtime side of the process model: clone the container process with its new
 * namespaces, hand it the maps and cgroup it needs, run the runtime-namespace hooks,
 * and wait until it blocks on exec.fifo. The protocol is drawn in sync.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "cgroup/cgroup.h"
#include "error.h"
#include "namespaces.h"
#include "process/process.h"
#include "process/sync.h"
#include "state.h"
#include "sys.h"
#include "phase.h"

/* clone3; *ret_pidfd gets a pidfd of the child (CLONE_PIDFD), -1 in the child. */
static pid_t
clone_child(unsigned long flags, int cgroup_fd, int *ret_pidfd)
{
	/* With CLONE_PARENT the exit signal must be 0: the child inherits ours. */
	struct clone_args args = {
		.flags = flags | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)ret_pidfd,
		.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
		.cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0,
	};
	*ret_pidfd = -1;
	/* clone3 without a stack behaves like fork: the child continues on a copy of
	 * this stack. Raw syscall: the runtime is single-threaded and needs no atfork. */
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* The intermediate process (user namespace joined by path): joins the namespaces,
 * clones the container process as a sibling (CLONE_PARENT: the runtime stays its
 * parent and reaper), hands the runtime a pidfd of it and exits. Not its pid: clone
 * returns the pid in the intermediate's own pid namespace, which is the container's
 * when a pid namespace is joined (exec), and means nothing on the host. */
_Noreturn static void
intermediate(struct container_ctx *ctx, int fd)
{
	struct lc_err err = { 0 };
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (ns_intermediate_setup(ctx->spec, &err) < 0) {
		sync_send_error(fd, &err);
		_exit(1);
	}
	int pidfd;
	pid_t pid = clone_child(CLONE_PARENT, -1, &pidfd);
	if (pid == 0) {
		ctx->ns_joined = true;
		init_container(ctx, fd);
	}
	if (pid < 0) {
		lc_err_set(&err, errno, "clone container process");
		sync_send_error(fd, &err);
		_exit(1);
	}
	sync_send_fd(fd, SYNC_PID, pidfd);
	_exit(0);
}

/* Runtime: waits for the intermediate's pidfd of the container process, reaps the
 * intermediate, and returns the container process's pid as the kernel shows it to the
 * runtime (the Pid: line of the pidfd's fdinfo in the runtime's /proc). */
static pid_t
await_intermediate(pid_t mid, int fd, int *ret_pidfd, struct lc_err *err)
{
	int pidfd = sync_expect_fd(fd, SYNC_PID, err);
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	if (pidfd < 0)
		return pidfd;
	pid_t pid = pidfd_pid(pidfd);
	if (pid <= 0) {
		close(pidfd);
		return lc_err_setx(err, ESRCH, "container process: no pid in the runtime's pid namespace");
	}
	*ret_pidfd = pidfd;
	return pid;
}

static void
kill_and_reap(pid_t pid, int pidfd)
{
	pidfd_kill(pidfd, pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static bool
has_runtime_hooks(const struct lc_spec *s)
{
	return s->n_hooks[HOOK_PRESTART] || s->n_hooks[HOOK_CREATE_RUNTIME];
}

/* The split cgroup create (ctx->cgroup_late): the v1 directories, the parents' cpusets
 * and the resources, made while the process sets up its namespaces and first mounts;
 * then the tasks files it writes itself before its first cgroup mount (init.c). */
static int
late_cgroups(struct container_ctx *ctx, struct cgroup_self_attach *ret, struct lc_err *err)
{
	int r = cgroup_create_rest(ctx->cgroup, err);
	/* Always: without resources the default device rules still apply. */
	if (r >= 0)
		r = cgroup_apply_config(ctx->cgroup, ctx->spec, err);
	if (r >= 0)
		r = cgroup_self_attach_open(ctx->cgroup, NULL, ret, err);
	if (r >= 0)
		closep(&ret->v2_dirfd);
	return r;
}

/* A send to the process failed: it may have failed already (joining a namespace, its
 * cgroups), and its error is then still in the socket. */
static int
send_failed(int fd, int r, struct lc_err *err)
{
	if (sync_expect(fd, SYNC_READY, err) < 0)
		return -EIO;
	return lc_err_set(err, r, "sync with container process");
}

/* Runtime half of the handshake, after clone. */
static int
drive_child(struct container_ctx *ctx, pid_t pid, int fd, bool self_attached, int *ret_master,
	    struct lc_err *err)
{
	const struct lc_spec *s = ctx->spec;
	int r;

	if (s->linux_.ns[NS_USER].present && !s->linux_.ns[NS_USER].path) {
		r = userns_write_maps(pid, &s->linux_, err);
		if (r < 0)
			return r;
	}
	/* The process joins its cgroup before it runs anything of the user's: by itself
	 * (cgroup_self_attach) or here. */
	if (ctx->cgroup && !self_attached) {
		r = ctx->exec_cgroups ? cgroup_add_pid_sub(ctx->cgroup, ctx->exec_cgroups, pid, err)
				      : cgroup_add_pid(ctx->cgroup, pid, err);
		if (r < 0)
			return r;
	}
	/* Written from here, not by the container process (see limits.c). */
	r = limits_apply_oom_score_adj(pid, &s->process, err);
	if (r < 0)
		return r;
	/* GO carries the pid as the runtime sees it, for the hooks' state. */
	ctx->st->pid = pid;
	r = sync_send_code(fd, SYNC_GO, pid);
	phase_mark("clone, go sent");
	if (r >= 0 && ctx->cgroup_late) {
		struct cgroup_self_attach late;
		r = late_cgroups(ctx, &late, err);
		if (r < 0)
			return r;
		r = sync_send_fds(fd, SYNC_CGROUPS, late.tasks, late.n_tasks);
		cgroup_self_attach_close(&late);
		phase_mark("cgroups made, written, sent");
	}
	if (r < 0)
		return send_failed(fd, r, err);
	/* The process has its own copy of the /dev/null tree: closing the runtime's
	 * (a detached mount, whose release waits for an RCU grace period) and the rest
	 * of the runtime's own work overlap its set-up. */
	rootfs_fds_close(&ctx->fds);
	if (ctx->while_setup && (r = ctx->while_setup(ctx->while_setup_arg, err)) < 0)
		return r;
	if (has_runtime_hooks(s)) {
		_cleanup_free_ char *state = state_oci_json(ctx->st, ST_CREATING, false);
		if (!state)
			return lc_err_set(err, ENOMEM, "hook state");
		r = sync_expect(fd, SYNC_HOOKS, err);
		if (r < 0)
			return r;
		/* prestart (deprecated) and createRuntime run in the runtime namespace after
		 * the environment exists, before pivot_root. */
		for (enum hook_kind k = HOOK_PRESTART; k <= HOOK_CREATE_RUNTIME; k++) {
			const struct hook_opts in_bundle = { .cwd = s->bundle };
			r = hooks_run(k, s->hooks[k], s->n_hooks[k], state, &in_bundle, err);
			if (r < 0)
				return r;
		}
		r = sync_send(fd, SYNC_HOOKS_DONE);
		if (r < 0)
			return lc_err_set(err, r, "sync with container process");
	}
	if (s->process.terminal && ctx->console_fd < 0) {
		r = sync_expect_fd(fd, SYNC_PTY, err);
		if (r < 0)
			return r;
		*ret_master = r;
	}
	return sync_expect(fd, SYNC_READY, err);
}

int
spawn_container(struct container_ctx *ctx, struct spawn_result *ret, struct lc_err *err)
{
	struct ns_saved saved;
	int sp[2];
	int r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return lc_err_set(err, errno, "socketpair");
	r = ns_runtime_prepare(ctx->spec, &saved, err);
	if (r < 0) {
		ns_runtime_restore(&saved);
		close(sp[0]);
		close(sp[1]);
		return r;
	}
	bool mid = ns_needs_intermediate(ctx->spec);
	/* Not through an intermediate: its clone is not ours. */
	struct cgroup_self_attach self = { .v2_dirfd = -1 };
	bool self_attached = ctx->cgroup && !mid;
	if (self_attached &&
	    (r = cgroup_self_attach_open(ctx->cgroup, ctx->exec_cgroups, &self, err)) < 0) {
		ns_runtime_restore(&saved);
		close(sp[0]);
		close(sp[1]);
		return r;
	}
	int pidfd;
	phase_mark("sync socket, namespaces to join");
	pid_t pid = clone_child(ns_clone_flags(ctx->spec), self.v2_dirfd, &pidfd);
	if (pid == 0) {
		close(sp[0]);
		if (mid)
			intermediate(ctx, sp[1]);
		if (self_attached) {
			struct lc_err aerr = { 0 };
			if (cgroup_self_attach(&self, &aerr) < 0) {
				sync_send_error(sp[1], &aerr);
				_exit(1);
			}
		}
		init_container(ctx, sp[1]);
	}
	int clone_errno = errno;
	cgroup_self_attach_close(&self);
	ns_runtime_restore(&saved);
	close(sp[1]);
	if (pid < 0) {
		close(sp[0]);
		return lc_err_set(err, clone_errno, "clone container process");
	}
	if (mid) {
		closep(&pidfd);
		pid = await_intermediate(pid, sp[0], &pidfd, err);
		if (pid < 0) {
			close(sp[0]);
			return pid;
		}
	}
	ret->pty_master = -1;
	r = drive_child(ctx, pid, sp[0], self_attached, &ret->pty_master, err);
	if (r < 0) {
		kill_and_reap(pid, pidfd);
		closep(&pidfd);
		close(sp[0]);
		closep(&ret->pty_master);
		return r;
	}
	ret->pid = pid;
	ret->pidfd = pidfd;
	ret->sync_fd = sp[0];
	return 0;
}
