/* The OCI seccomp listener protocol: the runtime connects to linux.seccomp.listenerPath
 * before clone; the container process, right after loading its filter, sends the
 * ContainerProcessState JSON with the notify fd (SCM_RIGHTS) in one sendmsg, then
 * execs. Nothing else of strait's runs in between. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "error.h"
#include "json.h"
#include "process/process.h"
#include "state.h"

int
notify_connect(const char *path, const char *what, struct lc_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return lc_err_setx(err, ENAMETOOLONG, "%s \"%s\": path too long", what, path);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return lc_err_set(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return lc_err_set(err, errno, "%s \"%s\": connect", what, path);
	return TAKE_FD(fd);
}

char *
notify_message(const struct container_ctx *ctx, const char *metadata)
{
	_cleanup_free_ char *state = state_oci_json(ctx->st, ST_CREATED, false);
	struct json_gen *g = json_gen_new(false);
	struct json_val *st = NULL;
	char jerr[64], *text = NULL;
	size_t len;

	if (!g || !state || json_parse(state, strlen(state), &st, jerr, sizeof(jerr)) < 0) {
		json_gen_free(g);
		return NULL;
	}
	json_gen_obj_open(g);
	json_gen_key(g, "ociVersion");
	json_gen_string(g, OCI_SPEC_VERSION);
	json_gen_key(g, "fds");
	json_gen_arr_open(g);
	json_gen_string(g, "seccompFd");
	json_gen_arr_close(g);
	json_gen_key(g, "pid");
	json_gen_int(g, ctx->st->pid);
	json_gen_key(g, "metadata");
	json_gen_string(g, metadata ? metadata : "");
	json_gen_key(g, "state");
	json_gen_value(g, st);
	json_gen_obj_close(g);
	if (json_gen_finish(g, &text, &len) < 0)
		text = NULL;
	json_gen_free(g);
	json_free(st);
	return text;
}

int
notify_send(int sock, const char *msg, int notify_fd, struct lc_err *err)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = strlen(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &notify_fd, sizeof(int));
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		return lc_err_set(err, errno, "send seccomp listener fd");
	return 0;
}
