/* The typed form of config.json. spec.c is the only code that reads the JSON; every
 * later stage (validate, mounts, cgroup, seccomp, process) works on these structs and
 * never compares spec strings. Everything is owned by the struct lc_spec and freed by
 * spec_free(). Absent optional values are flagged with has_* or NULL pointers. */
#ifndef STRAIT_SPEC_H
#define STRAIT_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "strait.h"

struct json_val; /* json.h */

/* ---- namespaces ---- */
enum ns_type {
	NS_PID,
	NS_NET,
	NS_MNT,
	NS_IPC,
	NS_UTS,
	NS_USER,
	NS_CGROUP,
	NS_TIME,
	NS__COUNT
};

struct spec_ns {
	bool present;  /* listed in linux.namespaces */
	char *path;    /* NULL: create a new one; else join this file */
};

struct spec_id_map {
	uint32_t container_id, host_id, size;
};

/* ---- process ---- */
enum cap_set { CAPSET_BOUNDING, CAPSET_EFFECTIVE, CAPSET_INHERITABLE, CAPSET_PERMITTED,
	       CAPSET_AMBIENT, CAPSET__COUNT };

struct spec_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

struct spec_user {
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *additional_gids;
	size_t n_additional_gids;
	char *username; /* Windows-only in the spec; kept for exec -u parsing */
};

struct spec_process {
	bool present;
	bool terminal;
	bool has_console_size;
	unsigned console_height, console_width;
	struct spec_user user;
	char **args; /* NULL-terminated */
	size_t n_args;
	char **env;  /* NULL-terminated */
	size_t n_env;
	char *cwd;
	/* capability sets as bitmasks over CAP_* numbers (0..63) */
	bool has_caps;
	uint64_t caps[CAPSET__COUNT];
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	char *apparmor_profile;
	char *selinux_label;
};

/* ---- mounts ---- */
/* Propagation requested by a mount option, applied after the mount. */
enum mnt_propagation { PROP_NONE = 0, PROP_PRIVATE, PROP_RPRIVATE, PROP_SHARED, PROP_RSHARED,
		       PROP_SLAVE, PROP_RSLAVE, PROP_UNBINDABLE, PROP_RUNBINDABLE };

struct spec_mount {
	char *destination; /* absolute inside the container */
	char *type;        /* may be NULL (bind) */
	char *source;      /* may be NULL; relative sources are relative to the bundle */
	char **options;    /* original option strings, NULL-terminated (for state/debug) */
	size_t n_options;
	/* parsed from options by spec.c: */
	unsigned long flags;       /* MS_* to set */
	unsigned long clear_flags; /* MS_* explicitly cleared (rw, suid, dev, exec, ...) */
	bool bind, rbind;
	bool rro; /* recursive read-only via mount_setattr */
	bool tmpcopyup;     /* tmpfs: copy the destination's old content into it */
	bool idmap, ridmap; /* idmapped mount (ridmap: recursively) */
	enum mnt_propagation propagation;
	char *data; /* remaining fs-specific options joined with ',' (e.g. "size=64k,mode=755") */
	struct spec_id_map *uid_mappings, *gid_mappings; /* idmapped mounts; may be NULL */
	size_t n_uid_mappings, n_gid_mappings;
};

/* ---- devices ---- */
struct spec_device {
	char *path;
	char type; /* 'c', 'b', 'u', 'p' */
	int64_t major, minor;
	bool has_file_mode;
	mode_t file_mode;
	bool has_uid, has_gid;
	uid_t uid;
	gid_t gid;
};

struct spec_device_cgroup {
	bool allow;
	char type; /* 'a', 'c', 'b' */
	int64_t major, minor; /* -1: wildcard */
	char access[4];       /* subset of "rwm" */
};

/* ---- cgroup resources ---- */
struct spec_blkio_weight_dev {
	int64_t major, minor;
	bool has_weight, has_leaf_weight;
	uint16_t weight, leaf_weight;
};

/* throttleReadBpsDevice, throttleWriteBpsDevice, throttleReadIOPSDevice, throttleWriteIOPSDevice */
enum blkio_throttle { BLKIO_READ_BPS, BLKIO_WRITE_BPS, BLKIO_READ_IOPS, BLKIO_WRITE_IOPS,
		      BLKIO_THROTTLE__COUNT };

struct spec_blkio_rate {
	int64_t major, minor;
	uint64_t rate;
};

struct spec_hugepage_limit {
	char *page_size; /* "2MB", "1GB": as in hugetlb.<size>.limit_in_bytes */
	uint64_t limit;
};

struct spec_net_priority {
	char *name;
	uint32_t priority;
};

struct spec_rdma {
	char *device;
	bool has_handles, has_objects;
	uint32_t handles, objects;
};

struct spec_resources {
	bool present;
	/* memory */
	bool has_mem_limit, has_mem_reservation, has_mem_swap, has_mem_swappiness;
	int64_t mem_limit, mem_reservation, mem_swap;
	uint64_t mem_swappiness;
	bool has_mem_kernel;
	int64_t mem_kernel;
	bool disable_oom_killer;
	/* pids */
	bool has_pids_limit;
	int64_t pids_limit;
	/* cpu */
	bool has_cpu_shares, has_cpu_quota, has_cpu_period, has_cpu_rt_runtime, has_cpu_rt_period;
	uint64_t cpu_shares, cpu_period, cpu_rt_period;
	int64_t cpu_quota, cpu_rt_runtime;
	char *cpu_cpus; /* cpuset */
	char *cpu_mems;
	/* blockIO */
	bool has_blkio_weight, has_blkio_leaf_weight;
	uint16_t blkio_weight, blkio_leaf_weight;
	struct spec_blkio_weight_dev *blkio_weight_devs;
	size_t n_blkio_weight_devs;
	struct spec_blkio_rate *blkio_throttle[BLKIO_THROTTLE__COUNT];
	size_t n_blkio_throttle[BLKIO_THROTTLE__COUNT];
	/* hugetlb, net_cls, net_prio, rdma */
	struct spec_hugepage_limit *hugepages;
	size_t n_hugepages;
	bool has_net_classid;
	uint32_t net_classid;
	struct spec_net_priority *net_priorities;
	size_t n_net_priorities;
	struct spec_rdma *rdma;
	size_t n_rdma;
	/* devices */
	struct spec_device_cgroup *devices;
	size_t n_devices;
	/* unified (v2 key/value), NULL-terminated pairs: k0,v0,k1,v1,...,NULL */
	char **unified;
};

/* ---- hooks ---- */
enum hook_kind { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER,
		 HOOK_START_CONTAINER, HOOK_POSTSTART, HOOK_POSTSTOP, HOOK__COUNT };

struct spec_hook {
	char *path;
	char **args; /* NULL-terminated, may be NULL */
	char **env;  /* NULL-terminated, may be NULL */
	bool has_timeout;
	int timeout; /* seconds, > 0 */
};

/* ---- seccomp ---- */
enum seccomp_action { SCMP_ACT_KILL_THREAD_ = 0, /* "SCMP_ACT_KILL" and "SCMP_ACT_KILL_THREAD" */
		      SCMP_ACT_KILL_PROCESS_, SCMP_ACT_TRAP_, SCMP_ACT_ERRNO_, SCMP_ACT_TRACE_,
		      SCMP_ACT_ALLOW_, SCMP_ACT_LOG_, SCMP_ACT_NOTIFY_ };
enum seccomp_op { SCMP_OP_NE = 0, SCMP_OP_LT, SCMP_OP_LE, SCMP_OP_EQ, SCMP_OP_GE, SCMP_OP_GT,
		  SCMP_OP_MASKED_EQ };

struct spec_seccomp_arg {
	unsigned index;
	uint64_t value, value_two;
	enum seccomp_op op;
};

struct spec_seccomp_rule {
	char **names; /* NULL-terminated */
	size_t n_names;
	enum seccomp_action action;
	bool has_errno_ret;
	unsigned errno_ret;
	struct spec_seccomp_arg *args;
	size_t n_args;
};

struct spec_seccomp {
	bool present;
	enum seccomp_action default_action;
	bool has_default_errno_ret;
	unsigned default_errno_ret;
	char **architectures; /* "SCMP_ARCH_X86_64" ..., NULL-terminated; may be NULL */
	size_t n_architectures;
	char **flags; /* "SECCOMP_FILTER_FLAG_*", NULL-terminated; may be NULL */
	size_t n_flags;
	char *listener_path;
	char *listener_metadata;
	/* "straitProvenance" (strait's extension; the runtime-spec has runtimes ignore
	 * unknown properties): where `seccomp generate` got the profile from, kept as JSON
	 * text. Not part of the profile's identity (its sha256). */
	char *provenance;
	struct spec_seccomp_rule *rules;
	size_t n_rules;
};

struct spec_sysctl {
	char *key, *value;
};

struct spec_time_offset {
	int clock; /* CLOCK_MONOTONIC or CLOCK_BOOTTIME */
	int64_t secs;
	uint32_t nanosecs;
};

struct spec_linux {
	struct spec_ns ns[NS__COUNT];
	struct spec_id_map *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	struct spec_time_offset *time_offsets;
	size_t n_time_offsets;
	struct spec_device *devices;
	size_t n_devices;
	char *cgroups_path;
	struct spec_resources resources;
	struct spec_sysctl *sysctl;
	size_t n_sysctl;
	char **masked_paths;   /* NULL-terminated */
	size_t n_masked_paths;
	char **readonly_paths; /* NULL-terminated */
	size_t n_readonly_paths;
	bool has_rootfs_propagation;
	unsigned long rootfs_propagation; /* MS_SHARED|MS_REC, MS_PRIVATE, ... */
	char *mount_label;
	bool has_personality;
	unsigned long personality; /* PER_LINUX or PER_LINUX32 */
	struct spec_seccomp seccomp;
};

struct spec_annotation {
	char *key, *value;
};

struct lc_spec {
	char *oci_version;
	char *bundle;    /* absolute, canonical */
	char *root_path; /* absolute: bundle-relative paths are resolved by spec.c */
	bool root_readonly;
	struct spec_process process;
	char *hostname;
	char *domainname;
	struct spec_mount *mounts;
	size_t n_mounts;
	struct spec_hook *hooks[HOOK__COUNT];
	size_t n_hooks[HOOK__COUNT];
	struct spec_annotation *annotations;
	size_t n_annotations;
	struct spec_linux linux_;
	struct json_val *raw; /* the parsed document, kept for fields passed through */
};

/* Loads <bundle>/config.json into a freshly allocated spec. Errors name the file,
 * the JSON field path (e.g. "linux.namespaces[2].type") and the offending value.
 * Runs in the runtime process, before any namespace or fork. */
int spec_load(const char *bundle, struct lc_spec **ret, struct lc_err *err);
/* Parses a JSON text (for tests and for exec --process). what names the source in errors. */
int spec_parse(const char *json, size_t len, const char *what, const char *bundle,
	       struct lc_spec **ret, struct lc_err *err);
/* Parses just a process object (exec --process FILE). */
int spec_parse_process(const char *json, size_t len, const char *what,
		       struct spec_process *ret, struct lc_err *err);
void spec_process_free(struct spec_process *p);
void spec_free(struct lc_spec *s);
static inline void
spec_freep(struct lc_spec **s)
{
	if (*s)
		spec_free(*s);
}
#define _cleanup_spec_ __attribute__((cleanup(spec_freep)))

/* Returns the annotation value for key, or NULL. */
const char *spec_annotation(const struct lc_spec *s, const char *key);

/* Semantic checks with no syscalls: absolute paths, duplicate namespaces, namespaced
 * sysctls only, user-ns mapping consistency, hook paths, etc. Errors name the file
 * (config.json), the field and the value. */
int spec_validate(const struct lc_spec *s, struct lc_err *err);

/* Default config.json text for `strait spec` (malloc'd). */
int spec_default_json(bool rootless, char **ret_json, struct lc_err *err);
/* Seccomp hook point of spec_default_json(): when set (by the seccomp module, before
 * `strait spec` runs), it returns the built-in profile as linux.seccomp JSON text
 * (malloc'd), which the default config embeds as "linux.seccomp". NULL: no seccomp. */
extern int (*spec_default_seccomp_json)(char **ret_json, struct lc_err *err);

#endif
