/* Sync message helpers for the runtime <-> container process socketpair (sync.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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

int
sync_recv(int fd, struct sync_msg *ret)
{
	ssize_t n;
	memset(ret, 0, sizeof(*ret));
	do
		n = recv(fd, ret, sizeof(*ret), 0);
	while (n < 0 && errno == EINTR);
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

int
unix_send_fd(int sock, const void *buf, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

int
sync_send_fd(int fd, enum sync_type type, int payload_fd)
{
	struct sync_msg m = { .type = type };
	return unix_send_fd(fd, &m, offsetof(struct sync_msg, text), payload_fd);
}

int
sync_expect_fd(int fd, enum sync_type want, struct lc_err *err)
{
	struct sync_msg m = { 0 };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t n;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return lc_err_set(err, errno, "sync with container process");
	if (n == 0)
		return lc_err_setx(err, EPIPE, "container process exited during setup");
	m.text[sizeof(m.text) - 1] = '\0';
	if (m.type == SYNC_ERROR)
		return lc_err_setx(err, m.code, "%s", m.text);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (m.type != (int)want || !c || c->cmsg_type != SCM_RIGHTS)
		return lc_err_setx(err, EPROTO, "sync: expected message %d with an fd, got %d", want, m.type);
	int payload;
	memcpy(&payload, CMSG_DATA(c), sizeof(int));
	return payload;
}
