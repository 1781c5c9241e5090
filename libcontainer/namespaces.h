/* Namespace creation and joining. The runtime computes clone flags and prepares the
 * namespaces that only affect its children (time offsets, pid join); the container
 * process joins path namespaces and unshares the ones that must come after GO. */
#ifndef STRAIT_NAMESPACES_H
#define STRAIT_NAMESPACES_H

#include "spec.h"

/* Runtime, before validation: a namespace path that names the caller's own namespace
 * of that type (/proc/self/ns/uts, /proc/1/ns/net from the host) shares the caller's,
 * exactly as if the entry were absent. It is made absent, so that the rules for
 * shared namespaces (no hostname, no sysctl, no root file system set-up) apply.
 * Then, for create: no mount namespace, or a mount namespace path naming pid 1's, is
 * refused (the root file system is never set up in the caller's). */
int ns_check_shared(struct lc_spec *s, struct lc_err *err);

/* Flags for clone3 of the container process. */
unsigned long ns_clone_flags(const struct lc_spec *s);

struct ns_saved {
	int pid_fd, time_fd; /* the runtime's own namespaces, -1 when untouched */
};
/* Runtime, before clone: new time namespace with offsets (children only) and joining a
 * pid namespace by path (children only). ns_runtime_restore undoes both after clone,
 * so that hooks the runtime runs later stay in the host namespaces. */
int ns_runtime_prepare(const struct lc_spec *s, struct ns_saved *saved, struct lc_err *err);
void ns_runtime_restore(struct ns_saved *saved);

/* Container process, after GO: setns into every namespace given by path (user first),
 * unshare what could not be created by clone, and become root of a new user ns; then
 * (ns_child_finish) unshare the cgroup namespace, once it is in its cgroups.
 * ns_child_setup is both; ns_child_join the first only. */
int ns_child_setup(const struct lc_spec *s, struct lc_err *err);
int ns_child_join(const struct lc_spec *s, struct lc_err *err);
/* True when the container process needs an intermediate process: a user namespace
 * joined by path must own the new pid namespace, so it is joined before that is made. */
bool ns_needs_intermediate(const struct lc_spec *s);
/* The intermediate: joins every path namespace, unshares the new ones (pid for its
 * children); the container process then only unshares cgroup (ns_child_setup with
 * the joins done: call ns_child_finish). */
int ns_intermediate_setup(const struct lc_spec *s, struct lc_err *err);
int ns_child_finish(const struct lc_spec *s, struct lc_err *err);

#endif
