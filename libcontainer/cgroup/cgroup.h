/* cgroup management behind one small interface; v1.c and v2.c each implement struct
 * cgroup_ops. cgroup.c picks the version from the mounted hierarchies and owns the
 * path rules (cgroupsPath absolute, relative, or absent -> "/strait/<id>";
 * "slice:prefix:name" is the systemd form, parsed but refused while no systemd runs).
 * All calls run in the runtime process (not in the container). */
#ifndef STRAIT_CGROUP_H
#define STRAIT_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>
#include "spec.h"

struct cgroup_mgr;

/* Counters as the kernel reports them, for `events`; UINT64_MAX means "max" (no
 * limit). On v2 the swap figures are memory+swap, like v1's memsw. Missing files leave
 * 0 (or an empty list). Lists are malloc'd: cgroup_stats_free. */
struct cgroup_u64s {
	uint64_t *v;
	size_t n;
};

struct cgroup_mem_entry {
	uint64_t limit, usage, max, failcnt;
};

/* One line of a blkio (v1) or io.stat (v2) file: "MAJ:MIN [OP] VALUE". */
struct cgroup_blkio_entry {
	uint64_t major, minor, value;
	char op[16];
};

/* The blkio lists, in runc's order of keys. */
enum cgroup_blkio_list {
	CG_BLKIO_SERVICE_BYTES,
	CG_BLKIO_SERVICED,
	CG_BLKIO_QUEUED,
	CG_BLKIO_SERVICE_TIME,
	CG_BLKIO_WAIT_TIME,
	CG_BLKIO_MERGED,
	CG_BLKIO_TIME,
	CG_BLKIO_SECTORS,
	CG_BLKIO_N,
};

struct cgroup_kv {
	char *key;
	uint64_t value;
};

struct cgroup_hugetlb_stat {
	char pagesize[16]; /* "2MB", "1GB" */
	uint64_t usage, max, failcnt;
};

/* cpuset flags, in runc's order of keys */
enum cgroup_cpuset_flag {
	CG_CPUSET_CPU_EXCLUSIVE,
	CG_CPUSET_MEM_HARDWALL,
	CG_CPUSET_MEM_EXCLUSIVE,
	CG_CPUSET_MEMORY_MIGRATE,
	CG_CPUSET_MEMORY_SPREAD_PAGE,
	CG_CPUSET_MEMORY_SPREAD_SLAB,
	CG_CPUSET_MEMORY_PRESSURE,
	CG_CPUSET_SCHED_LOAD_BALANCE,
	CG_CPUSET_N,
};

struct cgroup_stats {
	struct cgroup_mem_entry mem, swap, kmem, kmem_tcp;
	uint64_t mem_cache;
	struct cgroup_kv *mem_raw; /* memory.stat, sorted by key */
	size_t n_mem_raw;
	uint64_t pids_current, pids_limit;
	uint64_t cpu_usage_ns, cpu_user_ns, cpu_system_ns;
	uint64_t cpu_throttled_periods, cpu_throttled_ns, cpu_periods;
	struct cgroup_u64s cpu_percpu, cpu_percpu_kernel, cpu_percpu_user;
	struct cgroup_u64s cpuset_cpus, cpuset_mems;
	uint64_t cpuset_flags[CG_CPUSET_N];
	int64_t cpuset_relax_domain_level;
	struct {
		struct cgroup_blkio_entry *e;
		size_t n;
	} blkio[CG_BLKIO_N];
	struct cgroup_hugetlb_stat *hugetlb;
	size_t n_hugetlb;
};

void cgroup_stats_free(struct cgroup_stats *s);

/* Resolves the cgroup path for a container and creates its directories (every mounted
 * v1 hierarchy plus the hybrid cgroup2 one, or the unified one). root is the cgroupfs
 * mount root ("/sys/fs/cgroup"; tests pass a temp dir), in o. A relative cgroupsPath is taken
 * below the runtime's own cgroup in each hierarchy, as runc's cgroupfs driver does.
 * Errors name config.json's linux.cgroupsPath and the value. On failure nothing created
 * is left behind.
 * split: only the cgroup2 directory is made (on a v2 host with its parents' controller
 * delegation), the one a clone must exist for (CLONE_INTO_CGROUP); cgroup_create_rest
 * makes the v1 ones and copies the parents' cpusets, which a new process can do
 * without until it joins them (spawn.c: while it sets itself up). A failed rest is
 * undone by cgroup_destroy, as the rest of the container is. */
struct cgroup_create_opts {
	const char *root;      /* CGROUP_ROOT, or a test's fake root */
	const char *mountinfo; /* the text of /proc/self/mountinfo, or NULL to read it */
	bool systemd;          /* --systemd-cgroup (refused: no systemd here) */
	bool split;
};
int cgroup_create(const struct cgroup_create_opts *o, const struct lc_spec *s, const char *id,
		  struct cgroup_mgr **ret, struct lc_err *err);
int cgroup_create_rest(struct cgroup_mgr *m, struct lc_err *err);
/* Writes linux.resources (memory, pids, cpu, cpuset, blkio, devices, unified); r may be
 * NULL. Device rules are written only by the first apply of a manager from
 * cgroup_create (a loaded manager, as for update, leaves them). Errors name the field
 * ("linux.resources.pids.limit: ...") or the file and value written. */
int cgroup_apply(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err);
/* create: cgroup_apply of the config's linux.resources, its errors prefixed "config.json". */
int cgroup_apply_config(struct cgroup_mgr *m, const struct lc_spec *s, struct lc_err *err);
/* Moves pid into the container's cgroup in every hierarchy (cgroup.procs). */
int cgroup_add_pid(struct cgroup_mgr *m, pid_t pid, struct lc_err *err);
/* A new process joins the container's cgroups by itself: the runtime opens, before the
 * clone, each v1 hierarchy's "tasks" file and the cgroup2 directory; the clone goes
 * into the cgroup2 one (CLONE_INTO_CGROUP) and the new process writes "0" (itself) to
 * each tasks file. Neither takes the global threadgroup lock that a write of a pid to
 * cgroup.procs takes, whose first use after a quiet while waits for an RCU grace
 * period (about 10 ms on this kind of host, per create). */
struct cgroup_self_attach {
	int tasks[16];
	size_t n_tasks;
	int v2_dirfd; /* for clone3's cgroup, or -1 */
};
/* subs: exec --cgroup entries (as for cgroup_add_pid_sub), or NULL. Before
 * cgroup_create_rest only the cgroup2 directory is opened (no tasks file). */
int cgroup_self_attach_open(struct cgroup_mgr *m, char *const *subs,
			    struct cgroup_self_attach *ret, struct lc_err *err);
/* In the new process (single-threaded): joins every v1 hierarchy, closes the fds. */
int cgroup_self_attach(struct cgroup_self_attach *a, struct lc_err *err);
void cgroup_self_attach_close(struct cgroup_self_attach *a);
/* exec --cgroup: moves pid into a sub-cgroup of the container's cgroup. Each entry is
 * "CONTROLLER:PATH" (v1: that hierarchy; on v2 the controller is ignored) or "PATH"
 * (every hierarchy without an entry of its own); PATH is relative to the container's
 * cgroup and must exist. Hierarchies no entry names get the container's cgroup. */
int cgroup_add_pid_sub(struct cgroup_mgr *m, char *const *subs, pid_t pid, struct lc_err *err);
/* Serialized form for the state file (one line, no newline), and the reverse. */
int cgroup_serialize(const struct cgroup_mgr *m, char **ret);
int cgroup_load(const char *root, const char *serialized, struct cgroup_mgr **ret,
		struct lc_err *err);
/* Every pid in the container's cgroup and its sub-cgroups (malloc'd array). */
int cgroup_pids(struct cgroup_mgr *m, pid_t **ret, size_t *ret_n, struct lc_err *err);
/* Freezes or thaws (v1 freezer.state, v2 cgroup.freeze); waits until settled. */
int cgroup_freeze(struct cgroup_mgr *m, bool frozen, struct lc_err *err);
/* Returns 1 when frozen, 0 when not (v1 FREEZING counts as not), -errno when the
 * freezer cannot be read. */
int cgroup_is_frozen(struct cgroup_mgr *m);
int cgroup_stats(struct cgroup_mgr *m, struct cgroup_stats *ret, struct lc_err *err);
/* Removes the directories this container's create made, sub-cgroups first, retrying
 * EBUSY for ~100 ms; parents shared with other containers stay. It never kills: with
 * tasks left it fails with -EBUSY naming the directory. Missing dirs are fine. */
int cgroup_destroy(struct cgroup_mgr *m, struct lc_err *err);
void cgroup_free(struct cgroup_mgr *m);
/* The path inside the hierarchy, e.g. "/strait/abc" (for /proc/self/cgroup checks). */
const char *cgroup_path(const struct cgroup_mgr *m);
/* The controllers a container can be limited by on this host, sorted, space-separated
 * ("blkio cpu cpuacct ..."): the mounted v1 hierarchies' (name= ones left out), or on a
 * unified-only host the root's cgroup.controllers. root as for cgroup_create. */
int cgroup_usable_controllers(const char *root, char **ret, struct lc_err *err);
/* 1 for v1 (hybrid included), 2 for unified-only. */
int cgroup_version(const struct cgroup_mgr *m);

#endif
