/* Small kernel-facing helpers used by the process model. Each lives in its own file:
 * caps.c, netlink.c, userns.c, hooks.c, sysctl.c, lsm.c, limits.c. The comment on each
 * function says in which process it runs. */
#ifndef STRAIT_SYS_H
#define STRAIT_SYS_H

#include <stdbool.h>
#include <sys/types.h>
#include "spec.h"

/* caps.c, container process, just before seccomp/execve, still uid 0:
 * sets groups (additionalGids), gid, uid (keeping capabilities across setuid), then the
 * bounding, effective, permitted, inheritable and ambient sets exactly as p->caps says.
 * Without process.capabilities every set is emptied. Nothing is inheritable unless the
 * spec asks. */
int caps_apply_identity(const struct spec_process *p, struct lc_err *err);
/* True when the bounding set in p holds every capability of the runtime's own bounding
 * set (which must include CAP_SYS_ADMIN); why (may be NULL) then names the rule. */
bool caps_is_privileged(const struct spec_process *p, char *why, size_t len);
uint64_t caps_own_bounding(void);

/* netlink.c, container process (in its new network namespace): brings "lo" up via
 * rtnetlink (libmnl). */
int netlink_loopback_up(struct lc_err *err);

/* userns.c, runtime process: writes /proc/<pid>/uid_map and gid_map for the child. */
int userns_write_maps(pid_t pid, const struct spec_linux *l, struct lc_err *err);

/* hooks.c, runtime process (or container process for createContainer/startContainer):
 * runs each hook in order with state_json on stdin, its args and env, and its timeout
 * (killed on expiry). The first failing hook stops the list and fails with an error
 * naming the hook kind, index and path, and its exit status. */
struct hook_opts {
	/* Runs in each hook's child as its last step before execve; a negative errno
	 * fails the hook. startContainer hooks load the container's filter here. */
	int (*fn)(const void *arg);
	const void *arg;
	/* The hook's working directory when set: the bundle for the hooks that run in
	 * the runtime's namespaces, as runc runs them. */
	const char *cwd;
};
int hooks_run(enum hook_kind kind, const struct spec_hook *hooks, size_t n,
	      const char *state_json, const struct hook_opts *opts, struct lc_err *err);
const char *hooks_kind_name(enum hook_kind kind); /* "prestart", "createRuntime", ... */

/* sysctl.c, container process after pivot (with /proc mounted): writes linux.sysctl
 * under /proc/sys, resolved safely. */
int sysctl_apply(const struct spec_linux *l, struct lc_err *err);

/* lsm.c: lsm_check (runtime) refuses apparmorProfile / selinuxLabel when that LSM is not
 * active, naming the field; lsm_apply_exec (container process, just before execve) sets
 * the exec label. */
bool lsm_apparmor_active(void);
bool lsm_selinux_active(void);
int lsm_check(const struct lc_spec *s, struct lc_err *err);
int lsm_apply_exec(const struct spec_process *p, struct lc_err *err);

/* limits.c: rlimits and personality in the container process; oom_score_adj from the
 * runtime on the container's pid (before GO). oom_score_adj < 0
 * needs CAP_SYS_RESOURCE; its failure is an error naming the value. */
int limits_apply_rlimits(const struct spec_process *p, struct lc_err *err);
/* pid 0: the calling process. */
int limits_apply_oom_score_adj(pid_t pid, const struct spec_process *p, struct lc_err *err);
int limits_apply_personality(const struct spec_linux *l, struct lc_err *err);

#endif
