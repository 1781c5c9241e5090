/* Name <-> value tables: capabilities, signals, rlimits, namespaces, mount options,
 * seccomp actions/operators, namespaced sysctls. Sorted static arrays in tables.c. */
#ifndef STRAIT_TABLES_H
#define STRAIT_TABLES_H

#include <stdbool.h>
#include "spec.h"

/* "CAP_SYS_ADMIN" -> 21; -1 when unknown. */
int table_cap_from_name(const char *name);
/* 21 -> "CAP_SYS_ADMIN"; NULL when unknown. */
const char *table_cap_name(int cap);
/* Highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap, cached). */
int table_cap_last(void);

/* "SIGKILL"/"KILL"/"kill"/"9" -> 9; -1 when unknown. */
int table_signal_from_name(const char *name);
const char *table_signal_name(int signo); /* "SIGKILL" */

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -1 when unknown. */
int table_rlimit_from_name(const char *name);
const char *table_rlimit_name(int resource);

/* "pid" -> NS_PID (OCI names: pid network mount ipc uts user cgroup time); -1 unknown. */
int table_ns_from_name(const char *name);
const char *table_ns_name(enum ns_type t);      /* OCI name, "network" */
const char *table_ns_proc_name(enum ns_type t); /* /proc/self/ns/<x>: "net", "mnt" */
int table_ns_clone_flag(enum ns_type t);
/* linux.resources.blockIO key of a throttle list: "throttleReadBpsDevice" ... */
const char *table_blkio_throttle_key(enum blkio_throttle t);         /* CLONE_NEWPID ... */

/* seccomp names: "SCMP_ACT_ERRNO", "SCMP_CMP_EQ", "SCMP_ARCH_X86_64", flags. */
int table_seccomp_action_from_name(const char *name);
const char *table_seccomp_action_name(enum seccomp_action a);
int table_seccomp_op_from_name(const char *name);
const char *table_seccomp_op_name(enum seccomp_op op);

/* Architecture ("SCMP_ARCH_X86_64") and filter flag ("SECCOMP_FILTER_FLAG_LOG") names
 * the OCI spec defines; NULL-terminated lists for `strait features`. */
bool table_seccomp_arch_known(const char *name);
bool table_seccomp_flag_known(const char *name);
extern const char *const table_seccomp_arch_names[];
extern const char *const table_seccomp_flag_names[];

/* What a known mount option ("nosuid", "rbind", "private", "rro", ...) does. */
enum mount_opt_kind { MOPT_FLAG, MOPT_BIND, MOPT_RBIND, MOPT_RRO, MOPT_RRW, MOPT_PROPAGATION,
		      MOPT_TMPCOPYUP, MOPT_IDMAP, MOPT_RIDMAP };
struct table_mount_opt {
	const char *name;
	enum mount_opt_kind kind;
	unsigned long set, clear; /* MS_* (MOPT_FLAG, MOPT_BIND, MOPT_RBIND) */
	enum mnt_propagation prop; /* MOPT_PROPAGATION */
};
/* NULL when name is not a generic option (it then belongs to the fs-specific data). */
const struct table_mount_opt *table_mount_opt_from_name(const char *name);
/* MS_PRIVATE, MS_SHARED|MS_REC, ... for a propagation; 0 for PROP_NONE. */
unsigned long table_propagation_flags(enum mnt_propagation p);

/* True when sysctl key is namespaced and allowed given which namespaces are new. */
bool table_sysctl_allowed(const char *key, const struct spec_linux *l);

/* The i-th known mount option name (sorted), NULL past the end: for `strait features`. */
const char *table_mount_opt_name_at(size_t i);

#endif
