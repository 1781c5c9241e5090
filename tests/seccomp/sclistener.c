/* sclistener: a minimal OCI seccomp agent for the NOTIFY tests (runs on the host).
 * It listens on a unix socket (linux.seccomp.listenerPath), takes ONE connection,
 * reads the ContainerProcessState JSON and the notify fd (SCM_RIGHTS) and writes:
 *   OUT.json   the JSON exactly as received
 *   OUT.log    "fds=N" (fds received), then one "nr=N arg0=N pid=N" line per
 *              notification, then "hangup" when the filter's last user is gone
 * and answers every notification as MODE says:
 *   val:N      the syscall returns N          errno:N   it fails with errno N
 *   continue   the kernel runs it (SECCOMP_USER_NOTIF_FLAG_CONTINUE)
 * SOCK.ready appears once the socket accepts connections. It exits after a hangup,
 * or after TIMEOUT seconds (default 30) with status 3. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int
die(const char *what)
{
	fprintf(stderr, "sclistener: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		die(path);
	return close(fd);
}

/* One recvmsg: the runtime sends the state and the fd together. Returns the fd. */
static int
receive(int conn, const char *out, FILE *log)
{
	static char buf[1 << 16];
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	char path[4096];
	int nfd = 0, fd = -1;
	ssize_t n;

	n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		die("recvmsg");
	snprintf(path, sizeof(path), "%s.json", out);
	write_file(path, buf, (size_t)n);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nfd += (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	fprintf(log, "fds=%d\n", nfd);
	fflush(log);
	return fd;
}

static void
answer(int nfd, const char *mode, FILE *log)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		if (errno == ENOENT || errno == EINTR)
			return; /* the caller went away (e.g. killed) */
		die("SECCOMP_IOCTL_NOTIF_RECV");
	}
	fprintf(log, "nr=%d arg0=%llu pid=%u\n", req.data.nr, (unsigned long long)req.data.args[0],
		req.pid);
	fflush(log);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	if (strncmp(mode, "val:", 4) == 0)
		resp.val = strtoll(mode + 4, NULL, 0);
	else if (strncmp(mode, "errno:", 6) == 0)
		resp.error = -atoi(mode + 6);
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
		die("SECCOMP_IOCTL_NOTIF_SEND");
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[4096];
	FILE *log;
	int s, conn, nfd;

	if (argc < 4) {
		fputs("usage: sclistener SOCK OUT val:N|errno:N|continue [TIMEOUT]\n", stderr);
		return 2;
	}
	alarm(argc > 4 ? (unsigned)atoi(argv[4]) : 30);
	if (strlen(argv[1]) >= sizeof(sa.sun_path))
		return fputs("sclistener: socket path too long\n", stderr), 2;
	strcpy(sa.sun_path, argv[1]);
	snprintf(path, sizeof(path), "%s.log", argv[2]);
	log = fopen(path, "we");
	if (!log)
		die(path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket");
	unlink(argv[1]);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 4) < 0)
		die("bind/listen");
	snprintf(path, sizeof(path), "%s.ready", argv[1]);
	write_file(path, "1\n", 2);
	conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		die("accept");
	nfd = receive(conn, argv[2], log);
	if (nfd < 0) {
		fputs("sclistener: no fd received\n", stderr);
		return 1;
	}
	for (;;) {
		struct pollfd p = { nfd, POLLIN, 0 };

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p.revents & POLLIN)
			answer(nfd, argv[3], log);
		else if (p.revents & (POLLHUP | POLLERR)) {
			fputs("hangup\n", log);
			fclose(log);
			return 0;
		}
	}
}
