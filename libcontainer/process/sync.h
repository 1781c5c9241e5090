/* The runtime <-> container process protocol over a SOCK_SEQPACKET socketpair. One
 * message per packet: a type and, for ERROR, a text. The sequence:
 *
 *   runtime                                  container process
 *   (user ns joined by path: an intermediate process joins the namespaces, clones the
 *    container process with CLONE_PARENT, sends PID <pid>, and exits)
 *   clone3 (into the cgroup2 dir) ---------> (wait; exec: joins its v1 cgroups itself)
 *   uid/gid maps (cgroup.procs only for an intermediate's clone or exec --cgroup)
 *   GO ------------------------------------> setns, hostname, lo, rootfs_prepare:
 *   (create/run) v1 cgroups made, written     its first mounts, then
 *   CGROUPS + their tasks fds -------------> (before a cgroup mount or device) joins
 *                                             them, cgroup ns; the rest of the mounts
 *          <-------------------------------- HOOKS       (only with prestart/createRuntime hooks)
 *   run prestart, createRuntime
 *   HOOKS_DONE ----------------------------> createContainer hooks, pivot, finalize, sysctl, cwd,
 *                                            resolve the executable
 *          <-------------------------------- PTY + fd    (terminal with no console socket)
 *          <-------------------------------- READY
 *   (create exits / run opens exec.fifo)     block on exec.fifo; then startContainer hooks,
 *                                            limits, identity, caps, seccomp, execve
 *          <-------------------------------- ERROR "text" (any step), or EOF at execve
 */
#ifndef STRAIT_SYNC_H
#define STRAIT_SYNC_H

#include "strait.h"

enum sync_type { SYNC_GO = 1, SYNC_HOOKS, SYNC_HOOKS_DONE, SYNC_READY, SYNC_ERROR, SYNC_PTY, SYNC_PID, SYNC_LISTENER, SYNC_CGROUPS };

/* the most fds one message carries (CGROUPS: one tasks file per v1 hierarchy) */
#define SYNC_MAX_FDS 16

struct sync_msg {
	int type;
	int code;       /* errno for ERROR */
	char text[1024];
};

int sync_send(int fd, enum sync_type type);
/* Sends a message carrying one integer (GO carries the container pid as the runtime sees it). */
int sync_send_code(int fd, enum sync_type type, int code);
int sync_send_error(int fd, const struct lc_err *err);
/* Unix-socket plumbing shared by the sync socket, the console socket and the seccomp
 * listener protocol: a SOCK_STREAM connect (errors name what and path), and one
 * sendmsg of buf with fd attached (SCM_RIGHTS; 0 or -errno). */
int unix_connect(const char *path, const char *what, struct lc_err *err);
/* what for the seccomp listener, in runc's words (clients match them) */
#define LISTENER_CONNECT                                                                          \
	"config.json: linux.seccomp.listenerPath: failed to connect with seccomp agent "          \
	"specified in the seccomp profile"
int unix_send_fd(int sock, const void *buf, size_t len, int fd);

/* Sends a message of type with one fd attached (SCM_RIGHTS). */
int sync_send_fd(int fd, enum sync_type type, int payload_fd);
/* Waits for a message of type want carrying an fd; returns the fd (close-on-exec). */
int sync_expect_fd(int fd, enum sync_type want, struct lc_err *err);
/* The same with n fds (0..SYNC_MAX_FDS; the message's integer says how many). */
int sync_send_fds(int fd, enum sync_type type, const int *fds, size_t n);
int sync_expect_fds(int fd, enum sync_type want, int *fds, size_t max, size_t *ret_n,
		    struct lc_err *err);
/* Receives one message. Returns 0 on EOF (peer closed), 1 on a message, -errno. */
int sync_recv(int fd, struct sync_msg *ret);
/* Waits for a message of type want. An ERROR message becomes err; EOF is reported as
 * "container process exited during setup" (with wait status when who > 0). */
int sync_expect(int fd, enum sync_type want, struct lc_err *err);
/* Same, returning the message's integer in *ret_code. */
int sync_expect_code(int fd, enum sync_type want, int *ret_code, struct lc_err *err);

#endif
