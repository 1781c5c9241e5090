/* cgroup v2 statistics for `events`, in the same fields as v1's: memory.current/max/
 * peak/events and memory.stat, memory+swap like v1's memsw (runc does the same, so that
 * consumers see one meaning on both versions), cpu.stat, pids, io.stat, hugetlb. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "macro.h"

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." per device. */
static int
io_stat(const char *dir, struct cgroup_stats *s)
{
	static const struct {
		const char *key, *op;
		enum cgroup_blkio_list list;
	} fields[] = {
		{ "rbytes", "Read", CG_BLKIO_SERVICE_BYTES },
		{ "wbytes", "Write", CG_BLKIO_SERVICE_BYTES },
		{ "rios", "Read", CG_BLKIO_SERVICED },
		{ "wios", "Write", CG_BLKIO_SERVICED },
	};
	_cleanup_free_ char *text = NULL;

	if (cgroup_read(dir, "io.stat", &text) < 0)
		return 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		uint64_t major, minor;
		int off = 0;
		if (sscanf(l, "%" SCNu64 ":%" SCNu64 "%n", &major, &minor, &off) != 2)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
			char pat[16];
			snprintf(pat, sizeof(pat), " %s=", fields[i].key);
			const char *at = strstr(l + off, pat);
			struct cgroup_blkio_entry e = { .major = major, .minor = minor };
			if (!at || sscanf(at + strlen(pat), "%" SCNu64, &e.value) != 1)
				continue;
			snprintf(e.op, sizeof(e.op), "%s", fields[i].op);
			if (cgroup_blkio_push(s, fields[i].list, &e) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

int
v2_stats(struct cgroup_mgr *m, struct cgroup_stats *s, struct lc_err *err)
{
	const char *dir = m->h[0].dir;
	uint64_t swap = 0, swap_max = 0, v;
	int r;

	(void)cgroup_read_u64(dir, "memory.current", &s->mem.usage);
	(void)cgroup_read_u64(dir, "memory.max", &s->mem.limit);
	(void)cgroup_read_u64(dir, "memory.peak", &s->mem.max);
	(void)cgroup_read_key(dir, "memory.events", "max", &s->mem.failcnt);
	if (cgroup_read_u64(dir, "memory.swap.current", &swap) == 0)
		s->swap.usage = sat_add(swap, s->mem.usage);
	if (cgroup_read_u64(dir, "memory.swap.max", &swap_max) == 0)
		s->swap.limit = sat_add(swap_max, s->mem.limit);
	if ((r = cgroup_read_kv(dir, "memory.stat", &s->mem_raw, &s->n_mem_raw)) < 0)
		goto fail;
	s->mem_cache = cgroup_kv_get(s->mem_raw, s->n_mem_raw, "file");
	(void)cgroup_read_u64(dir, "pids.current", &s->pids_current);
	(void)cgroup_read_u64(dir, "pids.max", &s->pids_limit);
	if (cgroup_read_key(dir, "cpu.stat", "usage_usec", &v) == 0)
		s->cpu_usage_ns = v * 1000;
	if (cgroup_read_key(dir, "cpu.stat", "user_usec", &v) == 0)
		s->cpu_user_ns = v * 1000;
	if (cgroup_read_key(dir, "cpu.stat", "system_usec", &v) == 0)
		s->cpu_system_ns = v * 1000;
	if (cgroup_read_key(dir, "cpu.stat", "throttled_usec", &v) == 0)
		s->cpu_throttled_ns = v * 1000;
	(void)cgroup_read_key(dir, "cpu.stat", "nr_periods", &s->cpu_periods);
	(void)cgroup_read_key(dir, "cpu.stat", "nr_throttled", &s->cpu_throttled_periods);
	if ((r = io_stat(dir, s)) < 0 || (r = cgroup_read_hugetlb(dir, s, true)) < 0)
		goto fail;
	return 0;
fail:
	cgroup_stats_free(s);
	return lc_err_set(err, r, "cgroup: stats");
}
