/* Sync message helpers for the runtime <-> container process socketpair (sync.h). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "error.h"
#include "process/sync.h"

int
sync_send(int fd, enum sync_type type)
{
	return sync_send_code(fd, type, 0);
}

int
sync_send_code(int fd, enum sync_type type, int code)
{
	struct sync_msg m = { .type = type, .code = code };
	if (send(fd, &m, offsetof(struct sync_msg, text), MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

int
sync_send_error(int fd, const struct lc_err *err)
{
	struct sync_msg m = { .type = SYNC_ERROR, .code = err->code ? err->code : EIO };
	size_t n = strnlen(err->msg, sizeof(m.text) - 1);
	memcpy(m.text, err->msg, n);
	m.text[n] = '\0';
	if (send(fd, &m, offsetof(struct sync_msg, text) + n + 1, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* recv, again after EINTR, and once after ECONNRESET: a peer that exits with a
 * message of ours unread (CGROUPS sent while it failed) leaves that error pending on
 * our socket, which the next receive reports before what the peer sent first (its
 * ERROR), still queued. */
static ssize_t
recvmsg_retrying(int fd, struct msghdr *mh, int flags)
{
	ssize_t n;
	bool reset = false;
	for (;;) {
		n = recvmsg(fd, mh, flags);
		if (n >= 0 || (errno != EINTR && (errno != ECONNRESET || reset)))
			return n;
		reset |= errno == ECONNRESET;
	}
}

static ssize_t
recv_retrying(int fd, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	return recvmsg_retrying(fd, &mh, 0);
}

int
sync_recv(int fd, struct sync_msg *ret)
{
	ssize_t n;
	memset(ret, 0, sizeof(*ret));
	n = recv_retrying(fd, ret, sizeof(*ret));
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	ret->text[sizeof(ret->text) - 1] = '\0';
	return 1;
}

int
sync_expect(int fd, enum sync_type want, struct lc_err *err)
{
	return sync_expect_code(fd, want, NULL, err);
}

int
sync_expect_code(int fd, enum sync_type want, int *ret_code, struct lc_err *err)
{
	struct sync_msg m;
	int r = sync_recv(fd, &m);
	if (r < 0)
		return lc_err_set(err, r, "sync with container process");
	if (r == 0)
		return lc_err_setx(err, EPIPE, "container process exited during setup");
	if (m.type == SYNC_ERROR)
		return lc_err_setx(err, m.code, "%s", m.text);
	if (m.type != (int)want)
		return lc_err_setx(err, EPROTO, "sync: expected message %d, got %d", want, m.type);
	if (ret_code)
		*ret_code = m.code;
	return 0;
}

int
unix_connect(const char *path, const char *what, struct lc_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return lc_err_setx(err, ENAMETOOLONG, "%s \"%s\": path too long", what, path);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return lc_err_set(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return lc_err_set(err, errno, "%s: dial unix %s: connect", what, path);
	return TAKE_FD(fd);
}

/* One sendmsg of buf with n fds attached (SCM_RIGHTS; none when n is 0). */
static int
send_fds(int sock, const void *buf, size_t len, const int *fds, size_t n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS)] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (n > SYNC_MAX_FDS)
		return -EINVAL;
	if (n) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int
unix_send_fd(int sock, const void *buf, size_t len, int fd)
{
	return send_fds(sock, buf, len, &fd, 1);
}

int
sync_send_fds(int fd, enum sync_type type, const int *fds, size_t n)
{
	struct sync_msg m = { .type = type, .code = (int)n };
	return send_fds(fd, &m, offsetof(struct sync_msg, text), fds, n);
}

int
sync_send_fd(int fd, enum sync_type type, int payload_fd)
{
	return sync_send_fds(fd, type, &payload_fd, 1);
}

int
sync_expect_fds(int fd, enum sync_type want, int *fds, size_t max, size_t *ret_n,
		struct lc_err *err)
{
	struct sync_msg m = { 0 };
	char cbuf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS)];
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t n;
	*ret_n = 0;
	n = recvmsg_retrying(fd, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return lc_err_set(err, errno, "sync with container process");
	if (n == 0)
		return lc_err_setx(err, EPIPE, "container process exited during setup");
	m.text[sizeof(m.text) - 1] = '\0';
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	size_t got = c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
			     ? (c->cmsg_len - CMSG_LEN(0)) / sizeof(int)
			     : 0;
	int in[SYNC_MAX_FDS];
	if (got)
		memcpy(in, CMSG_DATA(c), sizeof(int) * got);
	if (m.type == SYNC_ERROR || m.type != (int)want || got != (size_t)m.code || got > max ||
	    (mh.msg_flags & MSG_CTRUNC)) {
		for (size_t i = 0; i < got; i++)
			close(in[i]);
		if (m.type == SYNC_ERROR)
			return lc_err_setx(err, m.code, "%s", m.text);
		return lc_err_setx(err, EPROTO, "sync: expected message %d with %d fds, got %d", want,
				   m.code, m.type);
	}
	memcpy(fds, in, sizeof(int) * got);
	*ret_n = got;
	return 0;
}

int
sync_expect_fd(int fd, enum sync_type want, struct lc_err *err)
{
	int payload;
	size_t n;
	int r = sync_expect_fds(fd, want, &payload, 1, &n, err);
	if (r < 0)
		return r;
	if (n != 1)
		return lc_err_setx(err, EPROTO, "sync: expected message %d with an fd", want);
	return payload;
}
