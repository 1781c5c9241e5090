/* cgroup v2 (unified only) behind struct cgroup_ops: enabling controllers down the
 * tree, linux.resources converted to the v2 files (memory.max, cpu.weight, cpu.max, ...)
 * plus linux.resources.unified verbatim, cgroup.freeze and statistics. Device rules
 * need an eBPF program on v2, which strait does not load yet: only the default set is
 * accepted (and not enforced). Directories and pids are cgroup.c's. */
#include <inttypes.h>
#include <string.h>
#include "internal.h"
#include "log.h"

/* The controllers available at dir: its cgroup.controllers, or the nearest ancestor's
 * below the mount (fake hierarchies keep the file only at the root). */
static int
available(const struct cg_hier *h, const char *dir, char **ret)
{
	_cleanup_free_ char *p = strdup(dir);
	size_t mlen = strlen(h->mount);
	if (!p)
		return -ENOMEM;
	for (;;) {
		int r = cgroup_read(p, "cgroup.controllers", ret);
		if (r != -ENOENT || strlen(p) <= mlen)
			return r;
		*strrchr(p, '/') = '\0';
	}
}

static bool
word_in(const char *list, const char *word, size_t len)
{
	for (const char *p = list; *p;) {
		p += strspn(p, " +");
		size_t n = strcspn(p, " ");
		if (n == len && strncmp(p, word, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* Enables in dir's cgroup.subtree_control every available controller not yet on. One
 * write for all; if the kernel refuses it, one at a time, skipping the refused ones (a
 * parent holding processes cannot enable domain controllers): a resource that then
 * lacks its controller fails later with its own name. */
static int
enable_controllers(struct cg_hier *h, const char *dir, struct lc_err *err)
{
	_cleanup_free_ char *avail = NULL, *on = NULL, *want = NULL;
	int r = available(h, dir, &avail);
	if (r < 0)
		return lc_err_set(err, r, "cgroup: read %s/cgroup.controllers", dir);
	if (cgroup_read(dir, "cgroup.subtree_control", &on) < 0 && !(on = strdup("")))
		return lc_err_set(err, ENOMEM, "cgroup");
	size_t cap = 2 * strlen(avail) + 2, len = 0;
	if (!(want = calloc(1, cap)))
		return lc_err_set(err, ENOMEM, "cgroup");
	for (const char *p = avail; *p;) {
		p += strspn(p, " ");
		size_t n = strcspn(p, " ");
		if (n && !word_in(on, p, n))
			len += (size_t)snprintf(want + len, cap - len, "%s+%.*s", len ? " " : "", (int)n, p);
		p += n;
	}
	if (!len || cgroup_write(h, dir, "cgroup.subtree_control", want, NULL) == 0)
		return 0;
	for (char *save = NULL, *t = strtok_r(want, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		struct lc_err e = { 0 };
		if (cgroup_write(h, dir, "cgroup.subtree_control", t, &e) < 0)
			log_debug("%s", e.msg);
	}
	return 0;
}

/* Every level from the mount down to the container's parent delegates its controllers. */
static int
v2_prepare(struct cgroup_mgr *m, struct lc_err *err)
{
	struct cg_hier *h = &m->h[0];
	_cleanup_free_ char *p = strdup(h->dir);
	if (!p)
		return lc_err_set(err, ENOMEM, "cgroup");
	for (char *c = p + strlen(h->mount); *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		int r = enable_controllers(h, p, err);
		*c = '/';
		if (r < 0)
			return r;
	}
	return 0;
}

int
v2_need(struct cgroup_mgr *m, const char *controller, const char *field, struct lc_err *err)
{
	struct cg_hier *h = &m->h[0];
	_cleanup_free_ char *avail = NULL;
	int r = available(h, h->dir, &avail);
	if (r < 0)
		return lc_err_set(err, r, "linux.resources.%s: read %s/cgroup.controllers", field,
				  h->dir);
	if (!word_in(avail, controller, strlen(controller)))
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.%s: the %s controller is not available in %s "
				   "(cgroup.controllers: \"%s\")", field, controller, h->dir, avail);
	return 0;
}

static int
write_i64(struct cgroup_mgr *m, const char *file, int64_t v, struct lc_err *err)
{
	char buf[32];
	if (v < 0)
		snprintf(buf, sizeof(buf), "max");
	else
		snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cgroup_write(&m->h[0], m->h[0].dir, file, buf, err);
}

/* OCI's swap is the memory+swap total (the v1 memsw meaning); memory.swap.max is swap
 * alone, so it gets swap - limit. */
static int
v2_memory(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	int64_t limit = r->has_mem_limit ? r->mem_limit : 0;
	int64_t swap = r->has_mem_swap ? r->mem_swap : 0;
	int64_t resv = r->has_mem_reservation ? r->mem_reservation : 0;
	int ret;

	if (r->has_mem_kernel)
		log_debug("linux.resources.memory.kernel is ignored: cgroup v2 has no separate "
			 "kernel memory limit");
	if (r->has_mem_swappiness)
		log_warn("linux.resources.memory.swappiness is ignored: cgroup v2 has no "
			 "per-cgroup swappiness");
	if (r->disable_oom_killer)
		log_warn("linux.resources.memory.disableOOMKiller is ignored on cgroup v2");
	if (!limit && !swap && !resv)
		return 0;
	if ((ret = v2_need(m, "memory", "memory", err)) < 0)
		return ret;
	if (swap > 0 && limit <= 0)
		return lc_err_setx(err, EINVAL,
				   "linux.resources.memory.swap: %" PRId64 " needs memory.limit set "
				   "(cgroup v2 limits swap apart from memory)", swap);
	if (swap > 0 && swap < limit)
		return lc_err_setx(err, EINVAL,
				   "linux.resources.memory.swap: %" PRId64 " is below memory.limit %" PRId64
				   " (swap is the memory+swap total)", swap, limit);
	if (swap && !cgroup_has_file(&m->h[0], "memory.swap.max"))
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.memory.swap: %" PRId64 " needs swap accounting, but "
				   "%s/memory.swap.max does not exist", swap, m->h[0].dir);
	if (swap && (ret = write_i64(m, "memory.swap.max", swap < 0 ? -1 : swap - limit, err)) < 0)
		return ret;
	if (limit && (ret = write_i64(m, "memory.max", limit, err)) < 0)
		return ret;
	if (resv && (ret = write_i64(m, "memory.low", resv, err)) < 0)
		return ret;
	return 0;
}

static int
v2_cpu(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	uint64_t shares = r->has_cpu_shares ? r->cpu_shares : 0;
	int64_t quota = r->has_cpu_quota ? r->cpu_quota : 0;
	uint64_t period = r->has_cpu_period ? r->cpu_period : 0;
	char buf[64];
	int ret;

	if ((r->has_cpu_rt_runtime && r->cpu_rt_runtime) || (r->has_cpu_rt_period && r->cpu_rt_period))
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.cpu.realtimeRuntime/realtimePeriod: real-time "
				   "group scheduling is not available on cgroup v2");
	if (!shares && !quota && !period)
		return 0;
	if ((ret = v2_need(m, "cpu", "cpu", err)) < 0)
		return ret;
	if (shares) {
		if (shares < 2 || shares > 262144)
			return lc_err_setx(err, EINVAL,
					   "linux.resources.cpu.shares: %" PRIu64
					   " is out of range 2-262144", shares);
		/* Maps the v1 range 2..262144 onto cpu.weight's 1..10000. */
		uint64_t weight = 1 + ((shares - 2) * 9999) / 262142;
		snprintf(buf, sizeof(buf), "%" PRIu64, weight);
		if ((ret = cgroup_write(&m->h[0], m->h[0].dir, "cpu.weight", buf, err)) < 0)
			return ret;
	}
	if (quota || period) {
		int n = quota > 0 ? snprintf(buf, sizeof(buf), "%" PRId64, quota)
				  : snprintf(buf, sizeof(buf), "max");
		if (period)
			snprintf(buf + n, sizeof(buf) - (size_t)n, " %" PRIu64, period);
		if ((ret = cgroup_write(&m->h[0], m->h[0].dir, "cpu.max", buf, err)) < 0)
			return ret;
	}
	return 0;
}

static int
v2_simple(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	struct cg_hier *h = &m->h[0];
	bool cpus = r->cpu_cpus && *r->cpu_cpus, mems = r->cpu_mems && *r->cpu_mems;
	int ret;

	if (r->has_pids_limit) {
		if ((ret = v2_need(m, "pids", "pids.limit", err)) < 0)
			return ret;
		/* runc's reading: zero or negative means no limit. */
		if ((ret = write_i64(m, "pids.max", r->pids_limit > 0 ? r->pids_limit : -1, err)) < 0)
			return ret;
	}
	if (cpus || mems) {
		if ((ret = v2_need(m, "cpuset", cpus ? "cpu.cpus" : "cpu.mems", err)) < 0)
			return ret;
		if (cpus && (ret = cgroup_put(h, true, "cpu.cpus", "cpuset.cpus", r->cpu_cpus, err)) < 0)
			return ret;
		if (mems && (ret = cgroup_put(h, true, "cpu.mems", "cpuset.mems", r->cpu_mems, err)) < 0)
			return ret;
	}
	if (r->has_blkio_weight && r->blkio_weight) {
		if ((ret = v2_need(m, "io", "blockIO.weight", err)) < 0)
			return ret;
		/* io.weight (1..10000) takes the converted value; BFQ's io.bfq.weight uses
		 * blkio's own 1..1000 scale. */
		if (cgroup_has_file(h, "io.weight"))
			return write_i64(m, "io.weight", 1 + ((int64_t)r->blkio_weight - 10) * 9999 / 990,
					 err);
		if (cgroup_has_file(h, "io.bfq.weight"))
			return write_i64(m, "io.bfq.weight", r->blkio_weight, err);
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.blockIO.weight: neither io.weight nor io.bfq.weight "
				   "exists in %s", h->dir);
	}
	return 0;
}

static bool
covered_by_default(const struct spec_device_cgroup *d)
{
	for (size_t i = 0; i < cgroup_n_default_devices; i++) {
		const struct spec_device_cgroup *a = &cgroup_default_devices[i];
		const char *acc = d->access[0] ? d->access : "rwm";
		if (a->type == d->type && (a->major < 0 || a->major == d->major) &&
		    (a->minor < 0 || a->minor == d->minor) && strspn(acc, a->access) == strlen(acc))
			return true;
	}
	return false;
}

/* Without a BPF device program v2 cannot restrict devices. A deny-all rule and allows
 * inside the default set ask for nothing beyond the defaults and pass; anything else
 * is refused rather than silently not enforced. */
static int
v2_devices(const struct spec_resources *r, struct lc_err *err)
{
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct spec_device_cgroup *d = &r->devices[i];
		char rule[64];
		if ((!d->allow && d->type == 'a') || (d->allow && covered_by_default(d)))
			continue;
		cgroup_device_rule(d, rule, sizeof(rule));
		return lc_err_setx(err, ENOTSUP,
				   "linux.resources.devices[%zu]: %s \"%s\" needs eBPF device control "
				   "on cgroup v2, which strait does not implement yet", i,
				   d->allow ? "allow" : "deny", rule);
	}
	return 0;
}

/* linux.resources.unified: each key is a file in the container's directory, written
 * verbatim after everything else; the controller it belongs to must be enabled. */
static int
v2_unified(struct cgroup_mgr *m, char **kv, bool write, struct lc_err *err)
{
	for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2) {
		const char *key = kv[i];
		if (!*key || strchr(key, '/') || strcmp(key, ".") == 0 || strcmp(key, "..") == 0)
			return lc_err_setx(err, EINVAL,
					   "linux.resources.unified: key \"%s\" must be a file name in "
					   "the cgroup directory", key);
		size_t n = strcspn(key, ".");
		_cleanup_free_ char *ctl = strndup(key, n), *field = NULL;
		if (!ctl || asprintf(&field, "unified.%s", key) < 0)
			return lc_err_set(err, ENOMEM, "cgroup");
		int r = strcmp(ctl, "cgroup") == 0 ? 0 : v2_need(m, ctl, field, err);
		if (r >= 0 && write)
			r = cgroup_write(&m->h[0], m->h[0].dir, key, kv[i + 1], err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
v2_apply(struct cgroup_mgr *m, const struct spec_resources *r, struct lc_err *err)
{
	int ret;
	/* Check everything that can be checked before the first write. */
	if ((ret = v2_unified(m, r->unified, false, err)) < 0)
		return ret;
	if (m->devices_pending && (ret = v2_devices(r, err)) < 0)
		return ret;
	if ((ret = v2_io_apply(m, r, false, err)) < 0)
		return ret;
	if ((ret = v2_memory(m, r, err)) < 0 || (ret = v2_cpu(m, r, err)) < 0 ||
	    (ret = v2_simple(m, r, err)) < 0 || (ret = v2_io_apply(m, r, true, err)) < 0)
		return ret;
	return v2_unified(m, r->unified, true, err);
}

static int
v2_freeze_write(struct cgroup_mgr *m, bool frozen, struct lc_err *err)
{
	return cgroup_write(&m->h[0], m->h[0].dir, "cgroup.freeze", frozen ? "1" : "0", err);
}

/* cgroup.events "frozen 1" once every task has stopped; cgroup.freeze only says what
 * was asked, so it is the fallback when events are missing. */
static int
v2_is_frozen(struct cgroup_mgr *m, struct lc_err *err)
{
	const char *dir = m->h[0].dir;
	uint64_t v;
	int r = cgroup_read_key(dir, "cgroup.events", "frozen", &v);
	if (r == -ENOENT)
		r = cgroup_read_u64(dir, "cgroup.freeze", &v);
	if (r < 0)
		return lc_err_set(err, r, "cgroup: read %s/cgroup.events", dir);
	return v == 1;
}

static struct cg_hier *
v2_procs_hier(struct cgroup_mgr *m)
{
	return &m->h[0];
}

const struct cgroup_ops cgroup_v2_ops = {
	.version = 2,
	.prepare = v2_prepare,
	.apply = v2_apply,
	.freeze_write = v2_freeze_write,
	.is_frozen = v2_is_frozen,
	.stats = v2_stats,
	.procs_hier = v2_procs_hier,
};
