/* The stats event of `events`, in the shape runc prints it (its types.Stats): the same
 * keys in the same order, the same keys left out when zero or empty, maps (memory.raw,
 * hugetlb) sorted by key. Clients that parse runc's events parse these unchanged. */
#include <errno.h>
#include "cgroup/cgroup.h"
#include "container.h"
#include "json.h"
#include "macro.h"

static void
u64(struct json_gen *g, const char *key, uint64_t v)
{
	json_gen_key(g, key);
	json_gen_uint(g, v);
}

/* a key runc's types leave out when the value is zero */
static void
u64_nz(struct json_gen *g, const char *key, uint64_t v)
{
	if (v)
		u64(g, key, v);
}

static void
u64s_ne(struct json_gen *g, const char *key, const struct cgroup_u64s *l)
{
	if (!l->n)
		return;
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (size_t i = 0; i < l->n; i++)
		json_gen_uint(g, l->v[i]);
	json_gen_arr_close(g);
}

static void
cpu(struct json_gen *g, const struct cgroup_stats *s)
{
	json_gen_key(g, "cpu");
	json_gen_obj_open(g);
	json_gen_key(g, "usage");
	json_gen_obj_open(g);
	u64_nz(g, "total", s->cpu_usage_ns);
	u64s_ne(g, "percpu", &s->cpu_percpu);
	u64s_ne(g, "percpu_kernel", &s->cpu_percpu_kernel);
	u64s_ne(g, "percpu_user", &s->cpu_percpu_user);
	u64(g, "kernel", s->cpu_system_ns);
	u64(g, "user", s->cpu_user_ns);
	json_gen_obj_close(g);
	json_gen_key(g, "throttling");
	json_gen_obj_open(g);
	u64_nz(g, "periods", s->cpu_periods);
	u64_nz(g, "throttledPeriods", s->cpu_throttled_periods);
	u64_nz(g, "throttledTime", s->cpu_throttled_ns);
	json_gen_obj_close(g);
	json_gen_obj_close(g);
}

static void
cpuset(struct json_gen *g, const struct cgroup_stats *s)
{
	static const char *const keys[CG_CPUSET_N] = {
		[CG_CPUSET_CPU_EXCLUSIVE] = "cpu_exclusive",
		[CG_CPUSET_MEM_HARDWALL] = "mem_hardwall",
		[CG_CPUSET_MEM_EXCLUSIVE] = "mem_exclusive",
		[CG_CPUSET_MEMORY_MIGRATE] = "memory_migrate",
		[CG_CPUSET_MEMORY_SPREAD_PAGE] = "memory_spread_page",
		[CG_CPUSET_MEMORY_SPREAD_SLAB] = "memory_spread_slab",
		[CG_CPUSET_MEMORY_PRESSURE] = "memory_pressure",
		[CG_CPUSET_SCHED_LOAD_BALANCE] = "sched_load_balance",
	};
	json_gen_key(g, "cpuset");
	json_gen_obj_open(g);
	u64s_ne(g, "cpus", &s->cpuset_cpus);
	u64(g, keys[CG_CPUSET_CPU_EXCLUSIVE], s->cpuset_flags[CG_CPUSET_CPU_EXCLUSIVE]);
	u64s_ne(g, "mems", &s->cpuset_mems);
	for (size_t i = CG_CPUSET_MEM_HARDWALL; i < CG_CPUSET_N; i++)
		u64(g, keys[i], s->cpuset_flags[i]);
	json_gen_key(g, "sched_relax_domain_level");
	json_gen_int(g, s->cpuset_relax_domain_level);
	json_gen_obj_close(g);
}

static void
mem_entry(struct json_gen *g, const char *key, const struct cgroup_mem_entry *e)
{
	json_gen_key(g, key);
	json_gen_obj_open(g);
	u64(g, "limit", e->limit);
	u64_nz(g, "usage", e->usage);
	u64_nz(g, "max", e->max);
	u64(g, "failcnt", e->failcnt);
	json_gen_obj_close(g);
}

static void
memory(struct json_gen *g, const struct cgroup_stats *s)
{
	json_gen_key(g, "memory");
	json_gen_obj_open(g);
	u64_nz(g, "cache", s->mem_cache);
	mem_entry(g, "usage", &s->mem);
	mem_entry(g, "swap", &s->swap);
	mem_entry(g, "kernel", &s->kmem);
	mem_entry(g, "kernelTCP", &s->kmem_tcp);
	if (s->n_mem_raw) {
		json_gen_key(g, "raw");
		json_gen_obj_open(g);
		for (size_t i = 0; i < s->n_mem_raw; i++)
			u64(g, s->mem_raw[i].key, s->mem_raw[i].value);
		json_gen_obj_close(g);
	}
	json_gen_obj_close(g);
}

static void
blkio(struct json_gen *g, const struct cgroup_stats *s)
{
	static const char *const keys[CG_BLKIO_N] = {
		[CG_BLKIO_SERVICE_BYTES] = "ioServiceBytesRecursive",
		[CG_BLKIO_SERVICED] = "ioServicedRecursive",
		[CG_BLKIO_QUEUED] = "ioQueueRecursive",
		[CG_BLKIO_SERVICE_TIME] = "ioServiceTimeRecursive",
		[CG_BLKIO_WAIT_TIME] = "ioWaitTimeRecursive",
		[CG_BLKIO_MERGED] = "ioMergedRecursive",
		[CG_BLKIO_TIME] = "ioTimeRecursive",
		[CG_BLKIO_SECTORS] = "sectorsRecursive",
	};
	json_gen_key(g, "blkio");
	json_gen_obj_open(g);
	for (size_t l = 0; l < CG_BLKIO_N; l++) {
		if (!s->blkio[l].n)
			continue;
		json_gen_key(g, keys[l]);
		json_gen_arr_open(g);
		for (size_t i = 0; i < s->blkio[l].n; i++) {
			const struct cgroup_blkio_entry *e = &s->blkio[l].e[i];
			json_gen_obj_open(g);
			u64_nz(g, "major", e->major);
			u64_nz(g, "minor", e->minor);
			if (e->op[0]) {
				json_gen_key(g, "op");
				json_gen_string(g, e->op);
			}
			u64_nz(g, "value", e->value);
			json_gen_obj_close(g);
		}
		json_gen_arr_close(g);
	}
	json_gen_obj_close(g);
}

static void
hugetlb(struct json_gen *g, const struct cgroup_stats *s)
{
	json_gen_key(g, "hugetlb");
	json_gen_obj_open(g);
	for (size_t i = 0; i < s->n_hugetlb; i++) {
		json_gen_key(g, s->hugetlb[i].pagesize);
		json_gen_obj_open(g);
		u64_nz(g, "usage", s->hugetlb[i].usage);
		u64(g, "max", s->hugetlb[i].max);
		u64(g, "failcnt", s->hugetlb[i].failcnt);
		json_gen_obj_close(g);
	}
	json_gen_obj_close(g);
}

int
stats_event_json(const char *id, const struct cgroup_stats *s, char **ret)
{
	struct json_gen *g = json_gen_new(false);
	size_t len;
	if (!g)
		return -ENOMEM;
	json_gen_obj_open(g);
	json_gen_key(g, "type");
	json_gen_string(g, "stats");
	json_gen_key(g, "id");
	json_gen_string(g, id);
	json_gen_key(g, "data");
	json_gen_obj_open(g);
	cpu(g, s);
	cpuset(g, s);
	memory(g, s);
	json_gen_key(g, "pids");
	json_gen_obj_open(g);
	u64_nz(g, "current", s->pids_current);
	if (s->pids_limit != UINT64_MAX) /* "max": runc leaves the field out */
		u64_nz(g, "limit", s->pids_limit);
	json_gen_obj_close(g);
	blkio(g, s);
	hugetlb(g, s);
	json_gen_key(g, "intel_rdt"); /* RDT is not supported: empty, as runc without it */
	json_gen_obj_open(g);
	json_gen_obj_close(g);
	json_gen_key(g, "network_interfaces");
	json_gen_null(g);
	json_gen_obj_close(g);
	json_gen_obj_close(g);
	int r = json_gen_finish(g, ret, &len);
	json_gen_free(g);
	return r;
}
