/* cgroup v1 statistics for `events`: what runc's cgroupfs driver reports, from the same
 * files (memory, memsw, kmem, kmem.tcp; cpuacct, cpu.stat; cpuset; pids; blkio;
 * hugetlb). A controller that is not mounted, or a file this kernel lacks, leaves its
 * figures 0. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "macro.h"

/* memory.<prefix>usage_in_bytes and its siblings. */
static void
mem_entry(const char *dir, const char *prefix, struct cgroup_mem_entry *e)
{
	static const char *const files[] = { "usage_in_bytes", "max_usage_in_bytes", "failcnt",
					     "limit_in_bytes" };
	uint64_t *dst[] = { &e->usage, &e->max, &e->failcnt, &e->limit };
	char name[64];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(name, sizeof(name), "memory.%s%s", prefix, files[i]);
		(void)cgroup_read_u64(dir, name, dst[i]);
	}
}

static int
memory(const char *dir, struct cgroup_stats *s)
{
	mem_entry(dir, "", &s->mem);
	mem_entry(dir, "memsw.", &s->swap);
	mem_entry(dir, "kmem.", &s->kmem);
	mem_entry(dir, "kmem.tcp.", &s->kmem_tcp);
	int r = cgroup_read_kv(dir, "memory.stat", &s->mem_raw, &s->n_mem_raw);
	s->mem_cache = cgroup_kv_get(s->mem_raw, s->n_mem_raw, "cache");
	return r;
}

/* cpuacct.usage_all: a "cpu user system" header, then one line per cpu. */
static int
percpu_split(const char *dir, struct cgroup_stats *s)
{
	_cleanup_free_ char *text = NULL;
	if (cgroup_read(dir, "cpuacct.usage_all", &text) < 0)
		return 0;
	char *save = NULL, *l = strtok_r(text, "\n", &save);
	while ((l = strtok_r(NULL, "\n", &save))) {
		unsigned long long cpu, user, sys;
		if (sscanf(l, "%llu %llu %llu", &cpu, &user, &sys) != 3)
			continue;
		if (cgroup_u64s_push(&s->cpu_percpu_kernel, sys) < 0 ||
		    cgroup_u64s_push(&s->cpu_percpu_user, user) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int
cpuacct(const char *dir, struct cgroup_stats *s)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t user = 0, sys = 0;
	(void)cgroup_read_u64(dir, "cpuacct.usage", &s->cpu_usage_ns);
	(void)cgroup_read_key(dir, "cpuacct.stat", "user", &user);
	(void)cgroup_read_key(dir, "cpuacct.stat", "system", &sys);
	/* cpuacct.stat counts USER_HZ ticks. */
	if (hz > 0) {
		s->cpu_user_ns = user * (1000000000ULL / (uint64_t)hz);
		s->cpu_system_ns = sys * (1000000000ULL / (uint64_t)hz);
	}
	int r = cgroup_read_u64s(dir, "cpuacct.usage_percpu", &s->cpu_percpu);
	return r < 0 ? r : percpu_split(dir, s);
}

static int
cpuset(const char *dir, struct cgroup_stats *s)
{
	static const char *const flags[CG_CPUSET_N] = {
		[CG_CPUSET_CPU_EXCLUSIVE] = "cpuset.cpu_exclusive",
		[CG_CPUSET_MEM_HARDWALL] = "cpuset.mem_hardwall",
		[CG_CPUSET_MEM_EXCLUSIVE] = "cpuset.mem_exclusive",
		[CG_CPUSET_MEMORY_MIGRATE] = "cpuset.memory_migrate",
		[CG_CPUSET_MEMORY_SPREAD_PAGE] = "cpuset.memory_spread_page",
		[CG_CPUSET_MEMORY_SPREAD_SLAB] = "cpuset.memory_spread_slab",
		[CG_CPUSET_MEMORY_PRESSURE] = "cpuset.memory_pressure",
		[CG_CPUSET_SCHED_LOAD_BALANCE] = "cpuset.sched_load_balance",
	};
	_cleanup_free_ char *lvl = NULL;
	int r;

	for (size_t i = 0; i < CG_CPUSET_N; i++)
		(void)cgroup_read_u64(dir, flags[i], &s->cpuset_flags[i]);
	if (cgroup_read(dir, "cpuset.sched_relax_domain_level", &lvl) == 0)
		s->cpuset_relax_domain_level = strtoll(lvl, NULL, 10);
	if ((r = cgroup_read_cpu_list(dir, "cpuset.cpus", &s->cpuset_cpus)) < 0)
		return r;
	return cgroup_read_cpu_list(dir, "cpuset.mems", &s->cpuset_mems);
}

/* The first group whose first file has entries is reported, as runc does: BFQ with
 * debug files, BFQ, CFQ, the throttle's recursive files, the throttle's own. */
static int
blkio(const char *dir, struct cgroup_stats *s)
{
	struct stat_file {
		const char *file;
		enum cgroup_blkio_list list;
	};
#define CFQ_LIKE(p)                                                                               \
	{ p "sectors_recursive", CG_BLKIO_SECTORS },                                              \
		{ p "io_service_time_recursive", CG_BLKIO_SERVICE_TIME },                         \
		{ p "io_wait_time_recursive", CG_BLKIO_WAIT_TIME },                               \
		{ p "io_merged_recursive", CG_BLKIO_MERGED },                                     \
		{ p "io_queued_recursive", CG_BLKIO_QUEUED },                                     \
		{ p "time_recursive", CG_BLKIO_TIME },                                            \
		{ p "io_serviced_recursive", CG_BLKIO_SERVICED },                                 \
		{ p "io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES },                       \
	{                                                                                         \
		NULL, 0                                                                           \
	}
	static const struct stat_file bfq_debug[] = { CFQ_LIKE("blkio.bfq.") };
	static const struct stat_file cfq[] = { CFQ_LIKE("blkio.") };
#undef CFQ_LIKE
	static const struct stat_file bfq[] = {
		{ "blkio.bfq.io_serviced_recursive", CG_BLKIO_SERVICED },
		{ "blkio.bfq.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES },
		{ NULL, 0 },
	};
	static const struct stat_file throttle_rec[] = {
		{ "blkio.throttle.io_serviced_recursive", CG_BLKIO_SERVICED },
		{ "blkio.throttle.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES },
		{ NULL, 0 },
	};
	static const struct stat_file throttle[] = {
		{ "blkio.throttle.io_serviced", CG_BLKIO_SERVICED },
		{ "blkio.throttle.io_service_bytes", CG_BLKIO_SERVICE_BYTES },
		{ NULL, 0 },
	};
	static const struct stat_file *const groups[] = { bfq_debug, bfq, cfq, throttle_rec,
							  throttle };

	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		const struct stat_file *f = groups[g];
		int r = cgroup_read_blkio(dir, f[0].file, s, f[0].list);
		if (r < 0)
			return r;
		if (!s->blkio[f[0].list].n)
			continue;
		for (f++; f->file; f++)
			if ((r = cgroup_read_blkio(dir, f->file, s, f->list)) < 0)
				return r;
		return 0;
	}
	return 0;
}

int
v1_stats(struct cgroup_mgr *m, struct cgroup_stats *s, struct lc_err *err)
{
	struct cg_hier *h;
	int r = 0;

	if ((h = cgroup_find(m, "memory")) && (r = memory(h->dir, s)) < 0)
		goto fail;
	if ((h = cgroup_find(m, "pids"))) {
		(void)cgroup_read_u64(h->dir, "pids.current", &s->pids_current);
		(void)cgroup_read_u64(h->dir, "pids.max", &s->pids_limit);
	}
	if ((h = cgroup_find(m, "cpuacct")) && (r = cpuacct(h->dir, s)) < 0)
		goto fail;
	if ((h = cgroup_find(m, "cpu"))) {
		(void)cgroup_read_key(h->dir, "cpu.stat", "nr_periods", &s->cpu_periods);
		(void)cgroup_read_key(h->dir, "cpu.stat", "nr_throttled", &s->cpu_throttled_periods);
		(void)cgroup_read_key(h->dir, "cpu.stat", "throttled_time", &s->cpu_throttled_ns);
	}
	if ((h = cgroup_find(m, "cpuset")) && (r = cpuset(h->dir, s)) < 0)
		goto fail;
	if ((h = cgroup_find(m, "blkio")) && (r = blkio(h->dir, s)) < 0)
		goto fail;
	if ((h = cgroup_find(m, "hugetlb")) && (r = cgroup_read_hugetlb(h->dir, s, false)) < 0)
		goto fail;
	return 0;
fail:
	cgroup_stats_free(s);
	return lc_err_set(err, r, "cgroup: stats");
}
