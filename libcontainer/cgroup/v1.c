/* cgroup v1 behind struct cgroup_ops: linux.resources written to the per-controller
 * hierarchies (cpuset, memory, cpu, pids, devices; blkio, hugetlb, net_cls, net_prio and
 * rdma in v1-io.c), the freezer, and statistics.
 * Directories, pids and the state string are cgroup.c's; on a hybrid host the extra
 * cgroup2 directory only receives the pids and is never written here. */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "log.h"

int
v1_need(struct cgroup_mgr *m, const char *controller, const char *field, struct cg_hier **ret,
     struct lc_err *err)
{
	*ret = cgroup_find(m, controller);
	if (!*ret)
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.%s: the %s cgroup controller is not mounted", field,
				   controller);
	return 0;
}

static int
write_i64(struct cg_hier *h, const char *file, int64_t v, struct lc_err *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cgroup_write(h, h->dir, file, buf, err);
}

/* A new v1 cpuset starts with empty cpus and mems (unless cgroup.clone_children is set),
 * and the kernel refuses tasks in an empty cpuset (ENOSPC). Fill every empty level from
 * its parent, top down, so that the container's own directory can take pids. */
static int
cpuset_fill(struct cg_hier *h, const char *dir, struct lc_err *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	_cleanup_free_ char *parent = strdup(dir);
	if (!parent)
		return lc_err_set(err, ENOMEM, "cgroup");
	*strrchr(parent, '/') = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *cur = NULL, *up = NULL;
		int r = cgroup_read(dir, files[i], &cur);
		if (r == 0 && *cur)
			continue;
		if (r < 0 && r != -ENOENT)
			return lc_err_set(err, r, "cgroup: read %s/%s", dir, files[i]);
		if (cgroup_read(parent, files[i], &up) < 0 || !*up)
			continue;
		if ((r = cgroup_write(h, dir, files[i], up, err)) < 0)
			return r;
	}
	return 0;
}

static int
v1_prepare(struct cgroup_mgr *m, struct lc_err *err)
{
	struct cg_hier *h = cgroup_find(m, "cpuset");
	if (!h)
		return 0;
	_cleanup_free_ char *p = strdup(h->dir);
	if (!p)
		return lc_err_set(err, ENOMEM, "cgroup");
	for (char *c = p + strlen(h->mount) + 1;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char saved = *c;
		*c = '\0';
		int r = cpuset_fill(h, p, err);
		if (r < 0)
			return r;
		*c = saved;
		if (!saved)
			return 0;
	}
}

/* Memory limit and memory+swap must be written in an order that keeps the kernel's
 * rule limit <= memsw.limit true at every step: memsw first when it ends up at or above
 * the current limit, the limit first otherwise. */
static int
write_limit_and_swap(struct cg_hier *h, int64_t limit, int64_t swap, struct lc_err *err)
{
	uint64_t cur;
	if (cgroup_read_u64(h->dir, "memory.limit_in_bytes", &cur) < 0)
		cur = UINT64_MAX;
	bool swap_first = swap == -1 || (uint64_t)swap >= cur;
	int r;
	if (swap_first && (r = write_i64(h, "memory.memsw.limit_in_bytes", swap, err)) < 0)
		return r;
	if ((r = write_i64(h, "memory.limit_in_bytes", limit, err)) < 0)
		return r;
	if (!swap_first && (r = write_i64(h, "memory.memsw.limit_in_bytes", swap, err)) < 0)
		return r;
	return 0;
}

static int
v1_memory(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	/* As runc reads the spec, 0 leaves limit, reservation and swap unset. */
	int64_t limit = r->has_mem_limit ? r->mem_limit : 0;
	int64_t swap = r->has_mem_swap ? r->mem_swap : 0;
	int64_t resv = r->has_mem_reservation ? r->mem_reservation : 0;
	struct cg_hier *h;
	int ret;

	if (r->has_mem_kernel)
		log_debug("linux.resources.memory.kernel is ignored: the kernel no longer limits "
			 "kernel memory separately");
	if (!limit && !swap && !resv && !r->has_mem_swappiness && !r->disable_oom_killer)
		return 0;
	if ((ret = v1_need(m, "memory", "memory", &h, err)) < 0)
		return ret;
	if (swap > 0 && (limit == -1 || (limit > 0 && swap < limit)))
		return lc_err_setx(err, EINVAL,
				   "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64
				   " (swap is the memory+swap total)", swap, limit);
	bool have_memsw = cgroup_has_file(h, "memory.memsw.limit_in_bytes");
	if (swap && !have_memsw)
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.memory.swap: %" PRId64 " needs swap accounting, but "
				   "%s/memory.memsw.limit_in_bytes does not exist (boot with swapaccount=1)",
				   swap, h->dir);
	/* An unlimited memory limit with swap unset makes memory+swap unlimited too. */
	if (limit == -1 && !swap && have_memsw)
		swap = -1;
	if (limit && swap)
		ret = write_limit_and_swap(h, limit, swap, err);
	else if (limit)
		ret = write_i64(h, "memory.limit_in_bytes", limit, err);
	else if (swap)
		ret = write_i64(h, "memory.memsw.limit_in_bytes", swap, err);
	if (ret < 0)
		return ret;
	if (resv && (ret = write_i64(h, "memory.soft_limit_in_bytes", resv, err)) < 0)
		return ret;
	if (r->has_mem_swappiness) {
		if (r->mem_swappiness > 100)
			return lc_err_setx(err, EINVAL,
					   "linux.resources.memory.swappiness: %" PRIu64
					   " is out of range 0-100", r->mem_swappiness);
		if ((ret = write_i64(h, "memory.swappiness", (int64_t)r->mem_swappiness, err)) < 0)
			return ret;
	}
	if (r->disable_oom_killer && (ret = cgroup_write(h, h->dir, "memory.oom_control", "1", err)) < 0)
		return ret;
	return 0;
}

static int
v1_cpu_quota(struct cg_hier *h, int64_t quota, uint64_t period, struct lc_err *err)
{
	int r;
	bool period_pending = false;
	if (period) {
		/* A smaller period can be refused (EINVAL) while the old quota/new period
		 * ratio exceeds the parent's; when a quota comes too, retry after it. */
		struct lc_err e = { 0 };
		r = write_i64(h, "cpu.cfs_period_us", (int64_t)period, &e);
		if (r == -EINVAL && quota)
			period_pending = true;
		else if (r < 0)
			return err ? (*err = e, r) : r;
	}
	if (quota && (r = write_i64(h, "cpu.cfs_quota_us", quota, err)) < 0)
		return r;
	if (period_pending && (r = write_i64(h, "cpu.cfs_period_us", (int64_t)period, err)) < 0)
		return r;
	return 0;
}

static int
v1_cpu(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	uint64_t shares = r->has_cpu_shares ? r->cpu_shares : 0;
	int64_t quota = r->has_cpu_quota ? r->cpu_quota : 0;
	uint64_t period = r->has_cpu_period ? r->cpu_period : 0;
	uint64_t rt_period = r->has_cpu_rt_period ? r->cpu_rt_period : 0;
	int64_t rt_runtime = r->has_cpu_rt_runtime ? r->cpu_rt_runtime : 0;
	struct cg_hier *h;
	int ret;

	if (!shares && !quota && !period && !rt_period && !rt_runtime)
		return 0;
	if ((ret = v1_need(m, "cpu", "cpu", &h, err)) < 0)
		return ret;
	if (shares) {
		uint64_t got;
		if ((ret = write_i64(h, "cpu.shares", (int64_t)shares, err)) < 0)
			return ret;
		/* The kernel clamps shares to 2..262144 without an error. */
		if (cgroup_read_u64(h->dir, "cpu.shares", &got) == 0 && got != shares)
			return lc_err_setx(err, EINVAL,
					   "linux.resources.cpu.shares: %" PRIu64 " is out of range "
					   "(the kernel set %" PRIu64 ")", shares, got);
	}
	if ((ret = v1_cpu_quota(h, quota, period, err)) < 0)
		return ret;
	/* The period first: the runtime must fit in it. */
	if (rt_period || rt_runtime) {
		if (!cgroup_has_file(h, "cpu.rt_runtime_us"))
			return lc_err_setx(err, ENOTSUP,
					   "linux.resources.cpu.realtimeRuntime: %s/cpu.rt_runtime_us "
					   "does not exist (kernel without CONFIG_RT_GROUP_SCHED)", h->dir);
		if (rt_period && (ret = write_i64(h, "cpu.rt_period_us", (int64_t)rt_period, err)) < 0)
			return ret;
		if (rt_runtime && (ret = write_i64(h, "cpu.rt_runtime_us", rt_runtime, err)) < 0)
			return ret;
	}
	return 0;
}

static int
v1_cpuset(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	bool cpus = r->cpu_cpus && *r->cpu_cpus, mems = r->cpu_mems && *r->cpu_mems;
	struct cg_hier *h;
	int ret;
	if (!cpus && !mems)
		return 0;
	if ((ret = v1_need(m, "cpuset", cpus ? "cpu.cpus" : "cpu.mems", &h, err)) < 0)
		return ret;
	if (cpus && (ret = cgroup_put(h, true, "cpu.cpus", "cpuset.cpus", r->cpu_cpus, err)) < 0)
		return ret;
	if (mems && (ret = cgroup_put(h, true, "cpu.mems", "cpuset.mems", r->cpu_mems, err)) < 0)
		return ret;
	return 0;
}

static int
v1_pids(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	struct cg_hier *h;
	int ret;
	if (!r->has_pids_limit)
		return 0;
	if ((ret = v1_need(m, "pids", "pids.limit", &h, err)) < 0)
		return ret;
	/* runc's reading: zero or negative means no limit. */
	if (r->pids_limit <= 0)
		return cgroup_write(h, h->dir, "pids.max", "max", err);
	return write_i64(h, "pids.max", r->pids_limit, err);
}

/* One rule to devices.allow or devices.deny. Each write(2) to these files is one rule,
 * so on cgroupfs both stay open for the whole list (fds[0]: deny, fds[1]: allow); a
 * test's fake hierarchy gets one file per write, as cgroup_write makes it. */
static int
v1_device_rule(const struct cg_hier *h, int fds[2], bool allow, const char *rule,
	       struct lc_err *err)
{
	const char *file = allow ? "devices.allow" : "devices.deny";
	char path[PATH_MAX];

	if (h->fake)
		return cgroup_write(h, h->dir, file, rule, err);
	snprintf(path, sizeof(path), "%s/%s", h->dir, file);
	if (fds[allow] < 0 && (fds[allow] = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return lc_err_set(err, errno, "cgroup: write %s to %s", rule, path);
	return cgroup_write_fd(fds[allow], path, rule, err);
}

/* Deny everything, then the spec's rules in order, then the default allow list, which
 * is appended as runc does: callers such as containerd send only a deny-all rule and
 * count on /dev/null and friends staying usable. */
static int
v1_devices(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	struct cg_hier *h = cgroup_find(m, "devices");
	int fds[2] = { -1, -1 };
	char rule[64];
	int ret;
	if (!h) {
		if (r->n_devices)
			return lc_err_setx(err, ENOTSUP,
					   "linux.resources.devices: the devices cgroup controller is "
					   "not mounted");
		log_debug("cgroup: no devices hierarchy; device access is not restricted");
		return 0;
	}
	ret = v1_device_rule(h, fds, false, "a", err);
	for (size_t i = 0; ret >= 0 && i < r->n_devices + cgroup_n_default_devices; i++) {
		const struct spec_device_cgroup *d = i < r->n_devices
							     ? &r->devices[i]
							     : &cgroup_default_devices[i - r->n_devices];
		cgroup_device_rule(d, rule, sizeof(rule));
		ret = v1_device_rule(h, fds, d->allow, rule, err);
		if (ret < 0 && i < r->n_devices)
			lc_err_prefix(err, "linux.resources.devices[%zu]", i);
	}
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ret < 0 ? ret : 0;
}

static int
v1_apply(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	int ret;
	if (r->unified && r->unified[0])
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.unified: \"%s\" needs cgroup v2, and this host "
				   "uses cgroup v1", r->unified[0]);
	/* What v1-io.c writes is checked first: a limit this host cannot hold changes
	 * nothing. */
	if ((ret = v1_io_apply(m, r, false, err)) < 0)
		return ret;
	if ((ret = v1_cpuset(m, r, err)) < 0 || (ret = v1_memory(m, r, err)) < 0 ||
	    (ret = v1_cpu(m, r, err)) < 0 || (ret = v1_pids(m, r, err)) < 0 ||
	    (ret = v1_io_apply(m, r, true, err)) < 0)
		return ret;
	if (m->devices_pending && (ret = v1_devices(m, r, err)) < 0)
		return ret;
	return 0;
}

static int
v1_freeze_write(struct cgroup_mgr *m, bool frozen, struct lc_err *err)
{
	struct cg_hier *h = cgroup_find(m, "freezer");
	if (!h)
		return lc_err_setx(err, ENOTSUP, "cgroup: the freezer controller is not mounted");
	return cgroup_write(h, h->dir, "freezer.state", frozen ? "FROZEN" : "THAWED", err);
}

/* FREEZING (still on the way) counts as not frozen. */
static int
v1_is_frozen(struct cgroup_mgr *m, struct lc_err *err)
{
	struct cg_hier *h = cgroup_find(m, "freezer");
	_cleanup_free_ char *state = NULL;
	if (!h)
		return lc_err_setx(err, ENOTSUP, "cgroup: the freezer controller is not mounted");
	int r = cgroup_read(h->dir, "freezer.state", &state);
	if (r < 0)
		return lc_err_set(err, r, "cgroup: read %s/freezer.state", h->dir);
	return strcmp(state, "FROZEN") == 0;
}

/* pids, else freezer, else the first v1 hierarchy. */
static struct cg_hier *
v1_procs_hier(struct cgroup_mgr *m)
{
	struct cg_hier *h = cgroup_find(m, "pids");
	if (!h)
		h = cgroup_find(m, "freezer");
	for (size_t i = 0; !h && i < m->n_h; i++)
		if (!m->h[i].unified)
			h = &m->h[i];
	return h ? h : &m->h[0];
}

const struct cgroup_ops cgroup_v1_ops = {
	.version = 1,
	.prepare = v1_prepare,
	.apply = v1_apply,
	.freeze_write = v1_freeze_write,
	.is_frozen = v1_is_frozen,
	.stats = v1_stats,
	.procs_hier = v1_procs_hier,
};
