/* OCI hooks: runs each hook of one kind in order, with the state JSON on stdin, its own
 * args and env, and its timeout. Which hooks run when, and which failure fails which
 * step, is the lifecycle's decision; this file only runs a list and reports. */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/close_range.h>
#include "error.h"
#include "sys.h"

static const char *const hook_names[HOOK__COUNT] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

/* OCI camelCase name of kind; "hook" for an out-of-range value. */
const char *
hooks_kind_name(enum hook_kind kind)
{
	if ((unsigned)kind >= HOOK__COUNT)
		return "hook";
	return hook_names[kind];
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Child side between fork and execve: only async-signal-safe calls. stdin becomes the
 * read end of the state pipe; stdout and stderr stay the runtime's, as with runc. On
 * failure the errno goes up errfd (close-on-exec, so EOF there means execve worked). */
static _Noreturn void
hook_child(const struct spec_hook *h, int rfd, int errfd, const struct hook_opts *opts)
{
	static char *const empty[] = { NULL };
	char *fallback_argv[] = { h->path, NULL };
	char *const *argv = (h->args && h->args[0]) ? h->args : fallback_argv;
	char *const *envp = h->env ? h->env : empty;
	sigset_t all;
	int e;

	/* Ignored dispositions and the signal mask survive execve: give the hook a clean
	 * slate rather than the runtime's (e.g. a blocked SIGCHLD). */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);

	if (rfd == 0) {
		if (fcntl(0, F_SETFD, 0) < 0)
			goto fail;
	} else if (dup2(rfd, 0) < 0) {
		goto fail;
	}
	/* Nothing of the runtime beyond stdio reaches the hook (CVE-2024-21626 class).
	 * Close-on-exec rather than close, so errfd lives until execve succeeds. */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		long max = sysconf(_SC_OPEN_MAX);
		for (long fd = 3; fd < (max > 0 ? max : 65536); fd++)
			fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	}
	if (opts && opts->cwd && chdir(opts->cwd) < 0)
		goto fail;
	if (opts && opts->fn && (e = opts->fn(opts->arg)) < 0) {
		errno = -e;
		goto fail;
	}
	execve(h->path, argv, envp);
fail:
	e = errno;
	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

/* Feeds the state to the hook and waits for it with the timeout, never blocking on a
 * hook that does not read its stdin. On expiry the hook is killed and reaped. Returns
 * 0 with *ret_status filled, or -ETIMEDOUT, or -errno. */
static int
hook_wait(pid_t pid, int pidfd, int *wfd, const char *data, size_t len, int timeout_s,
	  int *ret_status)
{
	int64_t deadline = timeout_s > 0 ? now_ms() + (int64_t)timeout_s * 1000 : -1;
	size_t off = 0;

	for (;;) {
		struct pollfd pfd[2] = { { .fd = pidfd, .events = POLLIN },
					 { .fd = *wfd, .events = POLLOUT } };
		int timeout = -1;
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			timeout = left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
		}
		int n = poll(pfd, *wfd >= 0 ? 2 : 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0)
				kill(pid, SIGKILL);
			while (waitpid(pid, ret_status, 0) < 0 && errno == EINTR)
				;
			return -ETIMEDOUT;
		}
		if (*wfd >= 0 && pfd[1].revents) {
			ssize_t w = write(*wfd, data + off, len - off);
			if (w > 0)
				off += (size_t)w;
			/* EPIPE: the hook closed its stdin without reading it all, which it
			 * is free to do. EAGAIN: the pipe filled up; wait again. */
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == len) {
				close(*wfd);
				*wfd = -1;
			}
		}
		if (pfd[0].revents) {
			pid_t r;
			while ((r = waitpid(pid, ret_status, 0)) < 0 && errno == EINTR)
				;
			return r < 0 ? -errno : 0;
		}
	}
}

static int
hook_run_one(enum hook_kind kind, size_t i, const struct spec_hook *h, const char *state,
	     const struct hook_opts *opts, struct lc_err *err)
{
	const char *kname = hooks_kind_name(kind);
	int state_pipe[2], err_pipe[2];
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	int status = 0, r;

	if (pipe2(state_pipe, O_CLOEXEC) < 0)
		return lc_err_set(err, errno, "%s hook[%zu] %s: pipe", kname, i, h->path);
	_cleanup_close_ int rfd = state_pipe[0], wfd = state_pipe[1];
	if (pipe2(err_pipe, O_CLOEXEC) < 0)
		return lc_err_set(err, errno, "%s hook[%zu] %s: pipe", kname, i, h->path);
	_cleanup_close_ int erfd = err_pipe[0], ewfd = err_pipe[1];
	/* Only the write end: the read end is a separate open file, so the hook's stdin
	 * stays blocking. */
	if (fcntl(wfd, F_SETFL, O_NONBLOCK) < 0)
		return lc_err_set(err, errno, "%s hook[%zu] %s: fcntl", kname, i, h->path);

	pid_t pid = fork();
	if (pid < 0)
		return lc_err_set(err, errno, "%s hook[%zu] %s: fork", kname, i, h->path);
	if (pid == 0)
		hook_child(h, rfd, ewfd, opts);
	close(TAKE_FD(rfd));
	close(TAKE_FD(ewfd));

	/* The child exists and is not reaped yet, so its pid cannot be recycled. */
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return lc_err_set(err, e, "%s hook[%zu] %s: pidfd_open", kname, i, h->path);
	}

	/* A hook that exits without reading stdin must not kill the runtime with SIGPIPE:
	 * ignore it for the duration of the write (the child reset its own). */
	sigaction(SIGPIPE, &ign, &old_pipe);
	r = hook_wait(pid, pidfd, &wfd, state, state ? strlen(state) : 0,
		      h->has_timeout ? h->timeout : 0, &status);
	sigaction(SIGPIPE, &old_pipe, NULL);

	if (r == -ETIMEDOUT)
		return lc_err_setx(err, ETIMEDOUT, "%s hook[%zu] %s: timed out after %ds", kname,
				   i, h->path, h->timeout);
	if (r < 0)
		return lc_err_set(err, r, "%s hook[%zu] %s: wait", kname, i, h->path);

	int child_errno = 0;
	if (read(erfd, &child_errno, sizeof(child_errno)) == sizeof(child_errno))
		return lc_err_set(err, child_errno, "%s hook[%zu] %s: exec", kname, i, h->path);
	if (WIFSIGNALED(status))
		return lc_err_setx(err, ECHILD, "%s hook[%zu] %s: killed by signal %d", kname, i,
				   h->path, WTERMSIG(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return lc_err_setx(err, ECHILD, "%s hook[%zu] %s: exited with status %d", kname,
				   i, h->path, WEXITSTATUS(status));
	return 0;
}

/* Runtime process (createContainer and startContainer: container process, in its
 * namespaces). Runs hooks[0..n) in order; stops at and reports the first failure. */
int
hooks_run(enum hook_kind kind, const struct spec_hook *hooks, size_t n, const char *state_json,
	  const struct hook_opts *opts, struct lc_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int r = hook_run_one(kind, i, &hooks[i], state_json, opts, err);
		if (r < 0)
			return r;
	}
	return 0;
}
