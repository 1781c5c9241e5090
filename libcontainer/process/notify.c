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
#include "process/sync.h"
#include "state.h"

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
	int r = unix_send_fd(sock, msg, strlen(msg), notify_fd);
	return r < 0 ? lc_err_set(err, r, "send seccomp listener fd") : 0;
}
