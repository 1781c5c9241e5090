/* The runtime side of observe mode (--seccomp-mode=log, privileged-seccomp=audit):
 * taking the twin's listener out of the container process, handing it to the recorder
 * agent, or serving it in-process for `run --seccomp-evidence`. */
#ifndef STRAIT_CONTAINER_OBSERVE_H
#define STRAIT_CONTAINER_OBSERVE_H

#include <sys/types.h>
#include "state.h"

/* Saved in the state dir at create, for `start` and the recorder agent. */
#define SECCOMP_META_FILE "seccomp-meta.json"
/* Deny-and-record: the container's denials so far (evidence format), in the state dir,
 * rewritten by the recorder as they change; `strait seccomp denials ID` reads it. */
#define SECCOMP_DENIALS_FILE "seccomp-denials.json"

struct seccomp_prog;
struct lc_spec;
struct evidence;

/* The image identity annotations of s as "key=value" (NULL-terminated; NULL when out
 * of memory), for evidence facts. */
char **observe_image(const struct lc_spec *s);

/* Takes fd number no of pid (pidfd_getfd), waiting up to ~5 s for it to appear (the
 * container process announces the number just before the seccomp() call makes it). */
int observe_take_fd(pid_t pid, int no, struct lc_err *err);
/* Sends the OCI ContainerProcessState (metadata as given) with listener over sock. */
int observe_send(int sock, const struct lc_state *st, const char *metadata, int listener,
		 struct lc_err *err);
/* Serves notifications until fifo reads EOF (execve done: returns 0) or an error text
 * (returned as the error). */
int observe_serve_until_exec(int listener, int fifo, struct evidence *ev,
			     const struct seccomp_prog *base, struct lc_err *err);
/* Serves notifications and forwards signals until pid exits; returns its exit code or
 * 128+signal. live: where to keep a snapshot of the records (NULL: nowhere). */
int observe_serve_until_exit(int listener, pid_t pid, struct evidence *ev,
			     const struct seccomp_prog *base, const char *live);

#endif
