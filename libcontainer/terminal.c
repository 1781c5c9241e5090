/* Terminal setup for process.terminal (terminal.h): pty creation inside the container,
 * /dev/console, the console-socket handover, and the runtime's relay for interactive
 * foreground runs. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "error.h"
#include "path.h"
#include "process/sync.h"
#include "terminal.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Sends the master as runc does: one SCM_RIGHTS fd, the payload its name. */
static int
send_master(int sock, int master, struct lc_err *err)
{
	static const char name[] = "/dev/ptmx";
	int r = unix_send_fd(sock, name, sizeof(name) - 1, master);
	return r < 0 ? lc_err_set(err, r, "send the pty master to the console socket") : 0;
}

/* Opens the devpts multiplexer of the container's own /dev/pts and checks it is the
 * real one (char 5:2), so a rootfs cannot hand us something else. */
static int
open_ptmx(int rootfd, struct lc_err *err)
{
	struct stat sb;
	int fd = -1;
	int r = path_open_in_root(rootfd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, &fd, err);
	if (r < 0)
		return lc_err_prefix(err, "process.terminal: open /dev/pts/ptmx");
	if (fstat(fd, &sb) < 0 || !S_ISCHR(sb.st_mode) || major(sb.st_rdev) != 5 || minor(sb.st_rdev) != 2) {
		close(fd);
		return lc_err_setx(err, EPERM, "process.terminal: /dev/pts/ptmx is not the devpts multiplexer");
	}
	return fd;
}

static int
bind_console(int rootfd, int peer, struct lc_err *err)
{
	_cleanup_close_ int target = -1;
	char src[32], dst[32];
	int r = path_ensure_target(rootfd, "/dev/console", false, &target, err);
	if (r < 0)
		return lc_err_prefix(err, "process.terminal: /dev/console");
	/* Both ends are fds: the peer from TIOCGPTPEER, the target verified in root. */
	if (mount(path_fd_proc(peer, src), path_fd_proc(target, dst), NULL, MS_BIND, NULL) < 0)
		return lc_err_set(err, errno, "process.terminal: bind /dev/console");
	return 0;
}

int
terminal_setup(const struct spec_process *p, bool console, int console_fd, int sync_fd,
	       struct lc_err *err)
{
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int master = -1, peer = -1;
	int unlock = 0, r;

	if (rootfd < 0)
		return lc_err_set(err, errno, "open /");
	master = open_ptmx(rootfd, err);
	if (master < 0)
		return master;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return lc_err_set(err, errno, "process.terminal: unlock pty");
	peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return lc_err_set(err, errno, "process.terminal: TIOCGPTPEER");
	if (p->has_console_size) {
		struct winsize ws = { .ws_row = p->console_height, .ws_col = p->console_width };
		if (ioctl(peer, TIOCSWINSZ, &ws) < 0)
			return lc_err_set(err, errno, "process.consoleSize");
	}
	if (console) {
		r = bind_console(rootfd, peer, err);
		if (r < 0)
			return r;
	}
	if (console_fd >= 0)
		r = send_master(console_fd, master, err);
	else if ((r = sync_send_fd(sync_fd, SYNC_PTY, master)) < 0)
		r = lc_err_set(err, r, "send the pty master to the runtime");
	if (r < 0)
		return r;
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(peer, fd) < 0)
			return lc_err_set(err, errno, "process.terminal: stdio");
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return lc_err_set(err, errno, "process.terminal: controlling terminal");
	return 0;
}

static void
copy_winsize(int from, int to)
{
	struct winsize ws;
	/* A size of 0x0 means "unknown" (no real terminal): keep consoleSize then. */
	if (ioctl(from, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Copies what is available from in to out: bytes copied, 0 at EOF, -1 on error
 * (EAGAIN included). */
static ssize_t
pump(int in, int out)
{
	char buf[8192];
	ssize_t n = read(in, buf, sizeof(buf));
	if (n <= 0)
		return n;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(out, buf + off, n - off);
		if (w < 0 && errno != EINTR)
			return -1;
		off += w > 0 ? w : 0;
	}
	return n;
}

int
terminal_relay(pid_t pid, int master)
{
	static const int forward[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct termios saved, raw;
	bool tty = tcgetattr(STDIN_FILENO, &saved) == 0, in_open = true;
	sigset_t set;
	int status = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	for (size_t i = 0; i < ARRAY_SIZE(forward); i++)
		sigaddset(&set, forward[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		copy_winsize(STDIN_FILENO, master);
	}
	for (;;) {
		struct pollfd pf[3] = { { .fd = master, .events = POLLIN },
					{ .fd = sfd, .events = POLLIN },
					{ .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN } };
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (poll(pf, 3, 200) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN)
			pump(master, STDOUT_FILENO);
		if (pf[2].revents & (POLLIN | POLLHUP) && pump(STDIN_FILENO, master) <= 0) {
			/* stdin ended: pass EOF on to the terminal's reader. */
			in_open = false;
			ssize_t _unused_ w = write(master, "\x04", 1);
		}
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGWINCH)
				copy_winsize(STDIN_FILENO, master);
			else if (si.ssi_signo != SIGCHLD)
				kill(pid, si.ssi_signo);
		}
	}
	/* Drain what the process wrote before it exited. */
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	while (pump(master, STDOUT_FILENO) > 0)
		;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
