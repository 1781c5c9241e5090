/* The process model: spawn.c (runtime side: clone, sync, hooks), init.c (container
 * side: the ordered setup up to execve), exec.c (the final executable lookup and its
 * checks), sync.c (the message protocol). The order of steps is drawn in sync.h. */
#ifndef STRAIT_PROCESS_H
#define STRAIT_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>
#include "spec.h"
#include "mounts.h"

struct cgroup_mgr;
struct seccomp_prog;
struct lc_state;

/* Everything the container process needs, prepared by the runtime before clone. The
 * child gets a copy of this memory with the clone and only applies it. */
struct container_ctx {
	const struct lc_spec *spec;
	char *const *exec_cgroups; /* exec --cgroup: sub-cgroups of the container's, or NULL */
	const char *id;
	const char *root;      /* state root */
	int state_dirfd; /* <root>/<id>, O_PATH, opened by the runtime: the container's root in a
			  * user namespace may not traverse the 0700 state root */
	struct mount_plan *plan;
	struct rootfs_fds fds;
	struct cgroup_mgr *cgroup;
	/* cgroup_create split: the runtime makes the v1 directories and writes the
	 * resources after GO, and sends their tasks files (SYNC_CGROUPS) to the process,
	 * which joins them before its first cgroup mount or device node (not with an
	 * intermediate process). */
	bool cgroup_late;
	struct seccomp_prog *seccomp; /* NULL: unconfined */
	const struct spec_seccomp *seccomp_profile;
	int listener_fd; /* connected to listenerPath when the filter has NOTIFY, else -1 */
	bool observe;    /* the filter is a logging twin: hand its listener to the runtime */
	bool record;     /* ... a recording twin (deny-and-record): exec through the hand-off page */
	struct seccomp_prog *seccomp_base; /* deny-and-record: the enforced profile (for hooks) */
	int recorder_fd; /* observe mode with an agent: connected to it (taken by start), else -1 */
	bool no_pivot;
	bool no_new_keyring;
	int preserve_fds;
	const char *console_socket;
	int console_fd; /* connected --console-socket, or -1 (the master goes to the runtime) */
	dev_t self_dev; /* the strait binary, for the exec-chain check */
	ino_t self_ino;
	struct lc_state *st; /* id, bundle, annotations; pid is filled in after clone */
	/* Runtime work the container process does not wait for (files of the state dir),
	 * done while it sets itself up, after GO; NULL for none. A failure kills it. */
	int (*while_setup)(void *arg, struct lc_err *err);
	void *while_setup_arg;
	bool ns_joined; /* set in the container process when an intermediate joined them */
	int sync_fd;    /* set in the container process: its end of the sync socket */
	/* exec into an existing container reuses this with these set: */
	bool is_exec;
	pid_t target_pid;
};

struct spawn_result {
	pid_t pid;      /* as the runtime's pid namespace sees it */
	int pidfd;      /* of the same process: signals never reach a recycled pid */
	int pty_master; /* terminal without console socket: the master, else -1 */
	int sync_fd; /* kept open by `run` until execve (EOF == the workload started) */
};

/* Runtime process: clones the container process, writes uid/gid maps, joins it to its
 * cgroup, runs prestart/createRuntime hooks when asked, and returns once the process
 * waits on exec.fifo. On failure the child is killed and reaped. */
int spawn_container(struct container_ctx *ctx, struct spawn_result *ret, struct lc_err *err);

/* pidfd helpers (pidfd.c). pidfd_pid: the pid of a pidfd's process in the runtime's
 * pid namespace (0 when it has none there, -1 on error). pidfd_kill: signals through
 * the pidfd when there is one (>= 0), else kill(pid); 0 or -1 with errno. */
pid_t pidfd_pid(int pidfd);
int pidfd_kill(int pidfd, pid_t pid, int signo);

/* Container process, after pivot_root: adds HOME (the uid's home in the container's
 * /etc/passwd, else "/") when the environment has none, as runc does. */
int exec_env_home(struct spec_process *p, struct lc_err *err);

/* Container process entry: never returns. */
_Noreturn void init_container(struct container_ctx *ctx, int sync_fd);

/* Container process, after pivot_root: resolves args[0] through PATH of env inside the
 * new root and checks that neither it nor its interpreter chain is the strait binary
 * (CVE-2019-5736 class). Returns the path to execve in ret_path (malloc'd). */
int exec_resolve(const struct container_ctx *ctx, char *const *argv, char *const *envp,
		 char **ret_path, struct lc_err *err);

/* sealed.c: re-executes the runtime from a sealed memfd copy unless it already runs
 * from one (returns 0 then). Called before any side effect, in the runtime. */
int sealed_exe_ensure(struct lc_err *err);

/* notify.c: the OCI seccomp listener protocol (the runtime connects with unix_connect);
 * notify_message and notify_send in the container process around the filter load. */
char *notify_message(const struct container_ctx *ctx, const char *metadata);
int notify_send(int sock, const char *msg, int notify_fd, struct lc_err *err);

#endif
