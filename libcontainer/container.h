/* Helpers shared by the lifecycle files (container.c, container-exec.c, and the
 * later ps/pause/update/events code): the saved config, pid files, foreground waits. */
#ifndef STRAIT_CONTAINER_H
#define STRAIT_CONTAINER_H

#include <sys/types.h>
#include "spec.h"
#include "state.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* The config.json saved at create (NULL when unreadable). */
struct lc_spec *container_saved_spec(const char *root, const struct lc_state *st);
int container_write_pid_file(const char *path, pid_t pid, struct lc_err *err);
/* Waits for our child pid, forwarding signals; returns its exit code or 128+signal. */
int container_wait_foreground(pid_t pid);
/* Live status, including paused (frozen cgroup). */
enum ct_status container_status(const char *root, const struct lc_state *st);

#endif
