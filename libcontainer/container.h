/* Helpers shared by the lifecycle files (container.c, container-exec.c, and the
 * later ps/pause/update/events code): the saved config, pid files, foreground waits. */
#ifndef STRAIT_CONTAINER_H
#define STRAIT_CONTAINER_H

#include <sys/types.h>
#include "spec.h"
#include "process/process.h"
#include "seccomp/policy.h"
#include "state.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Validates id and reads its state (errors name the container). */
int container_load(const struct lc_global *g, const char *id, struct lc_state **ret,
		   struct lc_err *err);
/* The config.json saved at create (NULL when unreadable). */
struct lc_spec *container_saved_spec(const char *root, const struct lc_state *st);
int container_write_pid_file(const char *path, pid_t pid, struct lc_err *err);
/* Waits for our child pid, forwarding signals; returns its exit code or 128+signal. */
int container_wait_foreground(pid_t pid);
/* Live status, including paused (frozen cgroup). */
enum ct_status container_status(const char *root, const struct lc_state *st);

/* create, shared by lc_container_create and lc_container_run (container-create.c). */
enum create_mode { CREATE_ONLY, RUN_DETACHED, RUN_FOREGROUND };

struct create_job {
	struct lc_spec *spec;
	struct seccomp_decision seccomp;
	struct container_ctx ctx;
	struct lc_state st;
	char *dir;
	bool claimed;
	const char *evidence_path; /* observe mode recorded by `run` itself */
	bool serve_self;           /* `run` serves the twin's listener itself */
	const char *recorder_path; /* the recorder agent's socket, when one is used */
};

/* Everything create does, up to a container process waiting on exec.fifo. */
int create_container(const struct lc_global *g, const struct lc_create_opts *o,
		     enum create_mode mode, struct create_job *j, struct spawn_result *ret,
		     struct lc_err *err);
/* Writes state.json and the pid file: the container becomes visible. */
int publish(const struct lc_global *g, const struct lc_create_opts *o, struct create_job *j,
	    struct lc_err *err);
/* Frees the job; with failed, also removes the cgroup and the state dir it made. */
void create_job_cleanup(struct create_job *j, const struct lc_global *g, bool failed);
/* Reads <dir>/<name> into a NUL-terminated string (malloc'd), NULL on failure. */
char *container_read_file(const char *dir, const char *name);

struct cgroup_stats;
/* stats-json.c: the `events` stats object for container id, in runc's shape. */
int stats_event_json(const char *id, const struct cgroup_stats *s, char **ret);

#endif
