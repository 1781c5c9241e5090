/* Container side of the process model: the ordered setup from clone to execve. It
 * only applies data the runtime prepared; the order and its reasons are below and in
 * sync.h. Runs in the cloned child, already inside its new namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "error.h"
#include "log.h"
#include "mounts.h"
#include "namespaces.h"
#include "path.h"
#include "process/process.h"
#include "process/sync.h"
#include "seccomp/observe.h"
#include "seccomp/seccomp.h"
#include "state.h"
#include "sys.h"
#include "terminal.h"
#include "phase.h"

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

static int
set_identity_names(const struct lc_spec *s, struct lc_err *err)
{
	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return lc_err_set(err, errno, "config.json: hostname \"%s\"", s->hostname);
	if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return lc_err_set(err, errno, "config.json: domainname \"%s\"", s->domainname);
	return 0;
}

static int
join_session_keyring(const char *id, struct lc_err *err)
{
	/* A fresh session keyring keeps the host's keys out of the container. Kernels
	 * without keyrings (ENOSYS) or hosts that forbid them (EACCES in some userns
	 * setups) have nothing to leak, so those are not fatal. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, id) < 0 && errno != ENOSYS &&
	    errno != EACCES && errno != EDQUOT)
		return lc_err_set(err, errno, "join session keyring");
	return 0;
}

/* A startContainer hook runs a binary of the container's image (its author's choice)
 * inside the container: its child loads the container's filter right before its own
 * execve, with no_new_privs when the process has it, as the workload will. */
static int
confine_hook(const void *arg)
{
	const struct container_ctx *ctx = arg;
	struct lc_err err = { 0 };
	if (ctx->spec->process.no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* a hook has no recorder: with denials recorded, it gets the profile itself */
	int r = ctx->record ? seccomp_prog_load_hook(ctx->seccomp_base, false, &err)
			    : seccomp_prog_load_hook(ctx->seccomp, ctx->observe, &err);
	return r < 0 ? r : 0;
}

static int
run_hooks(struct container_ctx *ctx, enum hook_kind kind, enum ct_status status,
	  struct lc_err *err)
{
	const struct lc_spec *s = ctx->spec;
	if (!s->n_hooks[kind])
		return 0;
	_cleanup_free_ char *state = state_oci_json(ctx->st, status, false);
	if (!state)
		return lc_err_set(err, ENOMEM, "hook state");
	const struct hook_opts confine = { .fn = confine_hook, .arg = ctx };
	bool filtered = kind == HOOK_START_CONTAINER && ctx->seccomp;
	return hooks_run(kind, s->hooks[kind], s->n_hooks[kind], state, filtered ? &confine : NULL,
			 err);
}

static int
enter_cwd(const char *cwd, struct lc_err *err)
{
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int fd = -1;
	int r;

	if (rootfd < 0)
		return lc_err_set(err, errno, "open /");
	/* Resolved inside the new root without magic links: a cwd such as
	 * /proc/self/fd/N naming a runtime fd is refused (CVE-2024-21626 class). */
	r = path_open_in_root(rootfd, cwd ? cwd : "/", O_PATH | O_DIRECTORY | O_CLOEXEC, &fd, err);
	if (r < 0)
		return lc_err_prefix(err, "config.json: process.cwd \"%s\"", cwd);
	if (fchdir(fd) < 0)
		return lc_err_set(err, errno, "config.json: process.cwd \"%s\"", cwd);
	return 0;
}

/* The runtime makes the v1 cgroups while this process sets up its namespaces and first
 * mounts (spawn.c late_cgroups). It joins them before the first mount or device node
 * that depends on them (rootfs_prepare), so that the cgroup mounts, the devices
 * cgroup's rule over mknod, the cgroup namespace and everything it runs are the
 * container's; then it unshares that namespace, whose root is the container's cgroup. */
static int
enter_cgroups(void *arg, struct lc_err *err)
{
	struct container_ctx *ctx = arg;
	if (ctx->cgroup_late) {
		struct cgroup_self_attach a = { .v2_dirfd = -1 };
		int r = sync_expect_fds(ctx->sync_fd, SYNC_CGROUPS, a.tasks, ARRAY_SIZE(a.tasks),
					&a.n_tasks, err);
		if (r < 0 || (r = cgroup_self_attach(&a, err)) < 0)
			return r;
		phase_mark("container: in its cgroups");
	}
	return ns_child_finish(ctx->spec, err);
}

/* exec: the container already exists; join it (every namespace is given by path) and
 * resolve the executable inside it. */
static int
setup_exec_until_ready(struct container_ctx *ctx, int fd, char **ret_path, struct lc_err *err)
{
	const struct lc_spec *s = ctx->spec;
	int pid = 0;
	int r = sync_expect_code(fd, SYNC_GO, &pid, err);
	if (r < 0)
		return r;
	ctx->st->pid = pid;
	/* setns(mnt) also moves root and cwd to the container's (pivoted) root. With a user
	 * namespace the intermediate joined everything already; the paths would now be
	 * resolved in the container's /proc. */
	r = ctx->ns_joined ? ns_child_finish(s, err) : ns_child_setup(s, err);
	if (r < 0)
		return r;
	if (setsid() < 0)
		return lc_err_set(err, errno, "setsid");
	if (s->process.terminal) {
		r = terminal_setup(&s->process, false, ctx->console_fd, fd, err);
		if (r < 0)
			return r;
	}
	r = enter_cwd(s->process.cwd, err);
	if (r < 0)
		return r;
	r = exec_env_home((struct spec_process *)&s->process, err);
	if (r < 0)
		return r;
	return exec_resolve(ctx, s->process.args, s->process.env, ret_path, err);
}

/* Everything up to READY: the environment is complete and the executable resolved. */
static int
setup_until_ready(struct container_ctx *ctx, int fd, int *ret_statefd, char **ret_path,
		  struct lc_err *err)
{
	const struct lc_spec *s = ctx->spec;
	const struct spec_ns *ns = s->linux_.ns;
	int r;

	int pid = 0;
	r = sync_expect_code(fd, SYNC_GO, &pid, err);
	if (r < 0)
		return r;
	ctx->st->pid = pid;
	r = ctx->ns_joined ? 0 : ns_child_join(s, err);
	if (r < 0)
		return r;
	if (setsid() < 0)
		return lc_err_set(err, errno, "setsid");
	if (ns[NS_UTS].present) {
		r = set_identity_names(s, err);
		if (r < 0)
			return r;
	}
	if (ns[NS_NET].present && !ns[NS_NET].path) {
		r = netlink_loopback_up(err);
		if (r < 0)
			return r;
	}
	if (!ctx->no_new_keyring) {
		r = join_session_keyring(ctx->id, err);
		if (r < 0)
			return r;
	}
	phase_mark("container: namespaces, hostname, loopback, keyring");
	const struct rootfs_hook cgroups = { .fn = enter_cgroups, .arg = ctx };
	r = rootfs_prepare(s, ctx->plan, &ctx->fds, &cgroups, err);
	if (r < 0)
		return r;
	if (s->n_hooks[HOOK_PRESTART] || s->n_hooks[HOOK_CREATE_RUNTIME]) {
		r = sync_send(fd, SYNC_HOOKS);
		if (r < 0)
			return lc_err_set(err, r, "sync with runtime");
		r = sync_expect(fd, SYNC_HOOKS_DONE, err);
		if (r < 0)
			return r;
	}
	/* createContainer: container namespaces, before pivot_root (runtime-spec). */
	r = run_hooks(ctx, HOOK_CREATE_CONTAINER, ST_CREATING, err);
	if (r < 0)
		return r;
	/* The state dir fd (O_PATH, from the runtime) is only used to open exec.fifo, and
	 * closed well before execve. */
	*ret_statefd = TAKE_FD(ctx->state_dirfd);
	phase_mark("container: mounts");
	r = rootfs_pivot(s, ctx->no_pivot, err);
	if (r < 0)
		return r;
	phase_mark("container: pivot_root");
	/* sysctls before finalize: readonlyPaths makes /proc/sys read-only. */
	r = sysctl_apply(&s->linux_, err);
	if (r < 0)
		return r;
	r = rootfs_finalize(s, &ctx->fds, err);
	if (r < 0)
		return r;
	phase_mark("container: sysctls, masks, read-only paths");
	if (s->process.terminal) {
		r = terminal_setup(&s->process, true, ctx->console_fd, fd, err);
		if (r < 0)
			return r;
	}
	r = enter_cwd(s->process.cwd, err);
	if (r < 0)
		return r;
	r = exec_env_home((struct spec_process *)&s->process, err);
	if (r < 0)
		return r;
	return exec_resolve(ctx, s->process.args, s->process.env, ret_path, err);
}

/* Blocks until `strait start` opens the fifo for reading, then keeps it open: it is
 * close-on-exec, so start reads EOF once execve succeeded, or the text of the error
 * that stopped the process before it (a startContainer hook, a capability...). */
static int
wait_for_start(int statefd, int *ret_fifo, struct lc_err *err)
{
	int fifo = openat(statefd, "exec.fifo", O_WRONLY | O_CLOEXEC);
	if (fifo < 0)
		return lc_err_set(err, errno, "open exec.fifo");
	*ret_fifo = fifo;
	if (write(fifo, "0", 1) != 1)
		return lc_err_set(err, errno, "write exec.fifo");
	return 0;
}

static int
prepare_fds(int preserve, struct lc_err *err)
{
	/* Only stdio and the preserved fds survive execve (CVE-2024-21626 class). */
	for (int fd = 3; fd < 3 + preserve; fd++) {
		int fl = fcntl(fd, F_GETFD);
		if (fl >= 0 && fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
			return lc_err_set(err, errno, "preserve fd %d", fd);
	}
	if (syscall(SYS_close_range, 3 + preserve, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return lc_err_set(err, errno, "close_range");
	return 0;
}

/* Loads the prepared filter and hands the listener fd over when it has NOTIFY rules.
 * Everything after this runs under the workload's filter; docs/seccomp.md lists it. */
static int
load_seccomp(struct container_ctx *ctx, const char *notify_msg, int fifo, struct lc_err *err)
{
	int notify_fd = -1, want = -1;
	if (ctx->observe) {
		/* Observe mode: no syscall of ours may run between the load and execve
		 * unrecorded, and none may wait for a listener nobody holds yet. So the
		 * runtime learns the fd number the listener will get (the lowest free one)
		 * through exec.fifo now, and takes it with pidfd_getfd after the load; execve
		 * is notified by the twin and waits there until the recorder holds it. */
		want = fcntl(ctx->sync_fd, F_DUPFD_CLOEXEC, 0); /* exec has no fifo */
		if (want < 0)
			return lc_err_set(err, errno, "seccomp: reserve listener fd");
		close(want);
		char line[64];
		int n = snprintf(line, sizeof(line), "@%d %d\n", want, ctx->recorder_fd);
		/* exec has no fifo: its runtime waits on the sync socket. */
		if (ctx->is_exec ? sync_send_code(ctx->sync_fd, SYNC_LISTENER, want) < 0
				 : write(fifo, line, n) != n)
			return lc_err_set(err, errno, "seccomp: announce listener");
	}
	int r = seccomp_prog_load(ctx->seccomp, &notify_fd, err);
	if (r < 0)
		return r;
	if (ctx->observe) {
		if (notify_fd != want)
			return lc_err_setx(err, EBADFD, "seccomp: listener fd %d, announced %d", notify_fd, want);
		return 0; /* kept open until execve closes it (close-on-exec) */
	}
	if (notify_fd >= 0) {
		r = notify_send(ctx->listener_fd, notify_msg, notify_fd, err);
		close(notify_fd);
	}
	return r;
}

/* Deny-and-record: the entrypoint's path, copied to the page the recording twin knows
 * (record-twin.c), so that this execve, and no other, waits for the recorder. */
static const char *
handoff_path(const char *path, struct lc_err *err)
{
	size_t len = strlen(path);
	if (len >= SECCOMP_HANDOFF_SIZE) {
		lc_err_setx(err, ENAMETOOLONG, "seccomp denials: the entrypoint path is too long");
		return NULL;
	}
	void *page = mmap((void *)(uintptr_t)SECCOMP_HANDOFF_ADDR, SECCOMP_HANDOFF_SIZE,
			  PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			  -1, 0);
	if (page == MAP_FAILED || page != (void *)(uintptr_t)SECCOMP_HANDOFF_ADDR) {
		lc_err_set(err, page == MAP_FAILED ? errno : EEXIST,
			   "seccomp denials: map the hand-off page at %#llx", SECCOMP_HANDOFF_ADDR);
		return NULL;
	}
	memcpy(page, path, len + 1);
	return page;
}

/* After start: the last steps, in an order dictated by privilege. Limits and the
 * startContainer hooks need root; identity drops it. The filter goes in last: with
 * no_new_privs right before execve, so that nothing of strait's runs under it but
 * execve; without no_new_privs loading needs CAP_SYS_ADMIN, so right before the
 * identity and capability changes that drop it. */
static int
final_steps(struct container_ctx *ctx, const char *path, int fifo, struct lc_err *err)
{
	const struct lc_spec *s = ctx->spec;
	const struct spec_process *p = &s->process;
	_cleanup_free_ char *notify_msg = NULL;
	int r;

	if (!ctx->is_exec) {
		r = run_hooks(ctx, HOOK_START_CONTAINER, ST_CREATED, err);
		if (r < 0)
			return r;
	}
	r = limits_apply_rlimits(p, err);
	if (r < 0)
		return r;
	r = limits_apply_personality(&s->linux_, err);
	if (r < 0)
		return r;
	if (ctx->seccomp && ctx->seccomp->needs_notify && !ctx->observe &&
	    !(notify_msg = notify_message(ctx, ctx->seccomp_profile->listener_metadata)))
		return lc_err_set(err, ENOMEM, "seccomp listener message");
	r = lsm_apply_exec(p, err);
	if (r < 0)
		return r;
	r = prepare_fds(ctx->preserve_fds, err);
	if (r < 0)
		return r;
	if (ctx->record && !(path = handoff_path(path, err)))
		return -EINVAL;
	/* the last mark: nothing of strait's runs under the workload's filter */
	phase_mark("container: started; hooks, rlimits, personality, fds");
	if (!p->no_new_privileges && ctx->seccomp) {
		r = load_seccomp(ctx, notify_msg, fifo, err);
		if (r < 0)
			return r;
	}
	r = caps_apply_identity(p, err);
	if (r < 0)
		return r;
	if (p->no_new_privileges) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return lc_err_set(err, errno, "set no_new_privs");
		if (ctx->seccomp) {
			r = load_seccomp(ctx, notify_msg, fifo, err);
			if (r < 0)
				return r;
		}
	}
	execve(path, p->args, p->env);
	return lc_err_set(err, errno, "exec \"%s\"", p->args[0]);
}

_Noreturn void
init_container(struct container_ctx *ctx, int sync_fd)
{
	struct lc_err err = { 0 };
	_cleanup_free_ char *path = NULL;
	int statefd = -1, fifo = -1;
	int r;

	phase_mark("container: running");
	/* Die with the runtime while it still drives the setup. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	ctx->sync_fd = sync_fd;
	if (ctx->is_exec)
		r = setup_exec_until_ready(ctx, sync_fd, &path, &err);
	else
		r = setup_until_ready(ctx, sync_fd, &statefd, &path, &err);
	if (r >= 0) {
		/* create exits after READY: the process must survive it. */
		prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
		r = sync_send(sync_fd, SYNC_READY);
		if (r < 0)
			lc_err_set(&err, r, "sync with runtime");
	}
	phase_mark("container: cwd, executable resolved, waiting for start");
	if (r >= 0 && !ctx->is_exec)
		r = wait_for_start(statefd, &fifo, &err);
	closep(&statefd);
	if (r >= 0)
		r = final_steps(ctx, path, fifo, &err);
	/* Only failures get here. The error goes to whoever is listening: `start` through
	 * exec.fifo, `run`/`exec`/`create` through the sync socket; stderr only when
	 * nobody is. */
	bool told = false;
	if (fifo >= 0) {
		size_t len = strlen(err.msg);
		told = write(fifo, err.msg, len) == (ssize_t)len;
	}
	if (sync_send_error(sync_fd, &err) >= 0)
		told = true;
	if (!told)
		dprintf(STDERR_FILENO, "strait: %s\n", err.msg);
	_exit(127);
}
