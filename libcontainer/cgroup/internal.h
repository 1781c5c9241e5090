/* Private to libcontainer/cgroup/: the manager's layout, the per-version vtable that
 * v1.c and v2.c implement, and the small control-file helpers they share with cgroup.c.
 * Nothing outside this directory includes it. */
#ifndef STRAIT_CGROUP_INTERNAL_H
#define STRAIT_CGROUP_INTERNAL_H

#include <stdint.h>
#include "cgroup.h"
#include "error.h"

/* One mounted hierarchy and the container's directory in it. */
struct cg_hier {
	char *controllers;  /* "memory", "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
	char *mount;        /* absolute directory the hierarchy is mounted on */
	char *inner;        /* the container's path inside the hierarchy, "/strait/abc" */
	char *dir;          /* mount + inner */
	unsigned n_created; /* trailing components of inner that this manager created */
	bool unified;       /* cgroup2: the only hierarchy on v2, the extra one on hybrid */
	bool fake;          /* not a cgroup filesystem (unit tests): writes create files */
};

struct cgroup_ops {
	int version;
	/* Runs right after the directories exist: parent cpusets (v1), subtree_control (v2). */
	int (*prepare)(struct cgroup_mgr *m, struct lc_err *err);
	int (*apply)(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err);
	/* Asks for the state once; cgroup.c polls is_frozen until it settles. */
	int (*freeze_write)(struct cgroup_mgr *m, bool frozen, struct lc_err *err);
	int (*is_frozen)(struct cgroup_mgr *m, struct lc_err *err);
	int (*stats)(struct cgroup_mgr *m, struct cgroup_stats *ret, struct lc_err *err);
	/* The hierarchy whose cgroup.procs lists the container's processes. */
	struct cg_hier *(*procs_hier)(struct cgroup_mgr *m);
};

struct cgroup_mgr {
	const struct cgroup_ops *ops;
	char *root;
	struct cg_hier *h;
	size_t n_h;
	/* Set by cgroup_create: the first apply also writes the device rules. A manager
	 * rebuilt by cgroup_load (update) leaves devices alone, as runc update does. */
	bool devices_pending;
	/* The default path: the /strait parent is the runtime's own, like its state root.
	 * A failed create removes it when it made it; a container that existed leaves it
	 * (the state records only the container's own directory), so the next create
	 * does not pay a mkdir and an rmdir in every hierarchy again. */
	bool default_parent;
	/* Split create: the v1 directories and the parents' preparation wait for
	 * cgroup_create_rest. */
	bool rest_pending;
	char *config_path; /* linux.cgroupsPath as given, for errors; NULL for the default */
};

extern const struct cgroup_ops cgroup_v1_ops;
/* v1: the hierarchy for controller, or an error naming the resource (field, below
 * linux.resources) that needs it. */
int v1_need(struct cgroup_mgr *m, const char *controller, const char *field, struct cg_hier **ret,
	    struct lc_err *err);
/* v1-io.c: blockIO, hugepageLimits, network, rdma; checked only (!write) or written. */
int v1_io_apply(struct cgroup_mgr *m, const struct spec_resources *r, bool write,
		struct lc_err *err);
/* v2-io.c: the same for v2 (io, hugetlb, rdma; network has no v2 controller). */
int v2_io_apply(struct cgroup_mgr *m, const struct spec_resources *r, bool write,
		struct lc_err *err);
/* v2: fails, naming the field, unless controller is available for the container. */
int v2_need(struct cgroup_mgr *m, const char *controller, const char *field, struct lc_err *err);
/* rdma.max's line for one device ("mlx5_1 hca_handle=3 hca_object=10000"); false
 * when the entry sets neither limit. */
int cgroup_rdma_line(const struct spec_rdma *d, char *buf, size_t len);
extern const struct cgroup_ops cgroup_v2_ops;

/* Builds a manager without directories for root (absolute; "/sys/fs/cgroup" reads
 * /proc/self/mountinfo, any other root is a fake one listed by directory): picks the
 * version and finds the hierarchies. Each inner path is the runtime's own cgroup there,
 * the base for a relative cgroupsPath. */
/* mountinfo: the text of /proc/self/mountinfo, or NULL to read it */
int cgroup_discover(const char *root, const char *mountinfo, struct cgroup_mgr **ret,
		    struct lc_err *err);
/* Appends a hierarchy with inner = own (NULL: "/"); -ENOMEM on failure. */
int cgroup_mgr_add(struct cgroup_mgr *m, const char *controllers, const char *mount,
		   const char *own, bool unified);
static inline void
cgroup_freep(struct cgroup_mgr **m)
{
	cgroup_free(*m);
}

/* Whether the comma-separated list names name. */
bool list_has(const char *list, const char *name);
/* The v1 hierarchy that carries controller (exact name in its comma list), or NULL. */
struct cg_hier *cgroup_find(struct cgroup_mgr *m, const char *controller);

/* Writes value to dir/file (dir inside h). The error reads
 * "cgroup: write VALUE to DIR/FILE: strerror". Fake hierarchies create the file. */
int cgroup_write(const struct cg_hier *h, const char *dir, const char *file, const char *value,
		 struct lc_err *err);
/* One write of value to an open control file (path names it in errors). */
int cgroup_write_fd(int fd, const char *path, const char *value, struct lc_err *err);
/* The two passes of an apply: !write checks that file exists for the container, write
 * writes value; errors name linux.resources.<field>. */
int cgroup_put(const struct cg_hier *h, bool write, const char *field, const char *file,
	       const char *value, struct lc_err *err);
/* Reads dir/file into a malloc'd string without trailing newlines. -errno on failure. */
int cgroup_read(const char *dir, const char *file, char **ret);
/* Parses a number; "max" and "-1" read as UINT64_MAX. */
int cgroup_parse_u64(const char *s, uint64_t *ret);
/* Reads a single number; "max" and "-1" read as UINT64_MAX. */
int cgroup_read_u64(const char *dir, const char *file, uint64_t *ret);
/* Reads the value of "key N" from a flat keyed file (cpu.stat, cgroup.events). */
int cgroup_read_key(const char *dir, const char *file, const char *key, uint64_t *ret);
/* stats.c: readers for `events`; a missing file reads as empty (0 returned), -ENOMEM
 * is the only error. */
int cgroup_u64s_push(struct cgroup_u64s *l, uint64_t v);
int cgroup_read_u64s(const char *dir, const char *file, struct cgroup_u64s *ret);
/* "0-3,8" -> 0 1 2 3 8 */
int cgroup_read_cpu_list(const char *dir, const char *file, struct cgroup_u64s *ret);
/* "key N" lines, sorted by key */
int cgroup_read_kv(const char *dir, const char *file, struct cgroup_kv **ret, size_t *n);
uint64_t cgroup_kv_get(const struct cgroup_kv *kv, size_t n, const char *key);
/* v1 blkio lines ("MAJ:MIN OP N", "MAJ:MIN N") appended to s->blkio[which] */
int cgroup_read_blkio(const char *dir, const char *file, struct cgroup_stats *s,
		      enum cgroup_blkio_list which);
int cgroup_blkio_push(struct cgroup_stats *s, enum cgroup_blkio_list which,
		      const struct cgroup_blkio_entry *e);
/* One entry per huge page size of this host ("2MB", sorted), from hugetlb.<size>.*:
 * usage_in_bytes/max_usage_in_bytes/failcnt (v1), current/events' max (v2). */
int cgroup_read_hugetlb(const char *dir, struct cgroup_stats *s, bool v2);
int v1_stats(struct cgroup_mgr *m, struct cgroup_stats *s, struct lc_err *err);
int v2_stats(struct cgroup_mgr *m, struct cgroup_stats *s, struct lc_err *err);

/* Whether the control file exists for the container's cgroup in h. A fake hierarchy
 * also answers from its mount directory, where tests announce what the "kernel" has. */
bool cgroup_has_file(const struct cg_hier *h, const char *file);
/* The default device allow list (see cgroup.c) and the kernel's text form of a rule:
 * "a" or "c 1:3 rwm" with "*" for a wildcard major or minor. */
extern const struct spec_device_cgroup cgroup_default_devices[];
extern const size_t cgroup_n_default_devices;
void cgroup_device_rule(const struct spec_device_cgroup *d, char *buf, size_t len);

#endif
