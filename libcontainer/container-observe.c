/* Observe mode, runtime side (container-observe.h). The container process goes from
 * loading the twin straight to execve, which the twin notifies: it waits there until
 * a recorder holds the listener, so nothing of strait's runs unrecorded in between and
 * nothing can deadlock on a listener nobody has yet. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "container-observe.h"
#include "error.h"
#include "json.h"
#include "process/process.h"
#include "seccomp/observe.h"

int
observe_take_fd(pid_t pid, int no, struct lc_err *err)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return lc_err_set(err, errno, "seccomp observe: pidfd_open %d", pid);
	for (int i = 0; i < 5000; i++) {
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, no, 0);
		if (fd >= 0) {
			/* pidfd_getfd sets close-on-exec on the new fd. */
			return fd;
		}
		if (errno != EBADF)
			return lc_err_set(err, errno, "seccomp observe: take fd %d of %d", no, pid);
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return lc_err_setx(err, ETIMEDOUT, "seccomp observe: the container process did not load its filter");
}

int
observe_send(int sock, const struct lc_state *st, const char *metadata, int listener,
	     struct lc_err *err)
{
	struct container_ctx ctx = { .st = (struct lc_state *)st };
	_cleanup_free_ char *msg = notify_message(&ctx, metadata);
	if (!msg)
		return lc_err_set(err, ENOMEM, "seccomp recorder message");
	int r = notify_send(sock, msg, listener, err);
	return r < 0 ? lc_err_prefix(err, "seccomp recorder") : 0;
}

int
observe_serve_until_exec(int listener, int fifo, struct evidence *ev,
			 const struct seccomp_prog *base, struct lc_err *err)
{
	char buf[1024];
	size_t got = 0;
	for (;;) {
		struct pollfd p[2] = { { .fd = listener, .events = POLLIN }, { .fd = fifo, .events = POLLIN } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return lc_err_set(err, errno, "poll");
		}
		if (p[0].revents & POLLIN)
			evidence_handle(ev, listener, base);
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(fifo, buf + got, sizeof(buf) - 1 - got);
			if (n > 0) {
				got += n;
				continue;
			}
			if (n == 0)
				break;
		}
		if (p[0].revents & (POLLHUP | POLLERR))
			break; /* every user of the filter is gone */
	}
	if (got) {
		buf[got] = '\0';
		return lc_err_setx(err, EIO, "%s", buf);
	}
	return 0;
}

int
observe_serve_until_exit(int listener, pid_t pid, struct evidence *ev,
			 const struct seccomp_prog *base)
{
	static const int forward[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	sigset_t set;
	int status = 0;
	bool exited = false;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(forward); i++)
		sigaddset(&set, forward[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Until the init exits, and then until the listener hangs up: when the init of a
	 * pid namespace exits the kernel kills the rest, so that comes quickly; bounded
	 * anyway (2 s), after which delete kills what is left. */
	int after_exit = 0;
	while (listener >= 0 && after_exit < 200) {
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = true;
		struct pollfd p[2] = { { .fd = listener, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		if (poll(p, 2, exited ? 10 : 200) < 0 && errno != EINTR)
			break;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (evidence_handle(ev, listener, base) == -EPIPE)
				listener = -1;
		}
		after_exit += exited;
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			if (si.ssi_signo != SIGCHLD)
				kill(pid, si.ssi_signo);
	}
	while (!exited && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int
lc_seccomp_recorder(const char *socket_path, const char *dir, struct lc_err *err)
{
	return seccomp_recorder_run(socket_path, dir, err);
}
