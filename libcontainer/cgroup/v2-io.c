/* cgroup v2: the per-device and per-size limits of linux.resources. blockIO's
 * per-device weights go to io.bfq.weight (or io.weight, converted) and its throttles to
 * io.max; hugepageLimits to hugetlb.<size>.max; rdma to rdma.max. v2 has no leaf
 * weights and no net_cls or net_prio: those fields are refused, never dropped. As in
 * v1-io.c, everything is checked (!write) before anything is written. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "tables.h"

static const char *const io_max_keys[BLKIO_THROTTLE__COUNT] = {
	[BLKIO_READ_BPS] = "rbps", [BLKIO_WRITE_BPS] = "wbps",
	[BLKIO_READ_IOPS] = "riops", [BLKIO_WRITE_IOPS] = "wiops",
};

static int
no_v2(const char *field, const char *what, struct lc_err *err)
{
	return lc_err_setx(err, ENOTSUP, "linux.resources.%s: cgroup v2 has no %s", field, what);
}

static int
v2_blkio_devs(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	char field[96], val[96];
	int ret;

	if (r->has_blkio_leaf_weight && r->blkio_leaf_weight)
		return no_v2("blockIO.leafWeight", "leaf weights", err);
	/* blockIO.weight itself is v2.c's; checked here so that it fails before any write */
	if (!write && r->has_blkio_weight && r->blkio_weight) {
		if ((ret = v2_need(m, "io", "blockIO.weight", err)) < 0)
			return ret;
		if (!cgroup_has_file(&m->h[0], "io.weight") && !cgroup_has_file(&m->h[0], "io.bfq.weight"))
			return lc_err_setx(err, ENOTSUP,
					   "linux.resources.blockIO.weight: neither io.weight nor "
					   "io.bfq.weight exists in %s", m->h[0].dir);
	}
	for (size_t i = 0; i < r->n_blkio_weight_devs; i++) {
		const struct spec_blkio_weight_dev *d = &r->blkio_weight_devs[i];
		snprintf(field, sizeof(field), "blockIO.weightDevice[%zu]", i);
		if (d->has_leaf_weight && d->leaf_weight)
			return no_v2(field, "leaf weights", err);
		if (!d->has_weight || !d->weight)
			continue;
		if ((ret = v2_need(m, "io", field, err)) < 0)
			return ret;
		/* BFQ takes blkio's 1..1000 scale; io.weight 1..10000 a converted one */
		bool bfq = cgroup_has_file(&m->h[0], "io.bfq.weight");
		snprintf(val, sizeof(val), "%" PRId64 ":%" PRId64 " %d", d->major, d->minor,
			 bfq ? d->weight : 1 + ((int)d->weight - 10) * 9999 / 990);
		const char *file = bfq ? "io.bfq.weight" : "io.weight";
		if ((ret = cgroup_put(&m->h[0], write, field, file, val, err)) < 0)
			return ret;
	}
	for (int t = 0; t < BLKIO_THROTTLE__COUNT; t++) {
		for (size_t i = 0; i < r->n_blkio_throttle[t]; i++) {
			const struct spec_blkio_rate *d = &r->blkio_throttle[t][i];
			snprintf(field, sizeof(field), "blockIO.%s[%zu]", table_blkio_throttle_key(t), i);
			snprintf(val, sizeof(val), "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d->major,
				 d->minor, io_max_keys[t], d->rate);
			if ((ret = v2_need(m, "io", field, err)) < 0 ||
			    (ret = cgroup_put(&m->h[0], write, field, "io.max", val, err)) < 0)
				return ret;
		}
	}
	return 0;
}

int
v2_io_apply(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	char field[96], file[96], val[160];
	int ret;

	if ((ret = v2_blkio_devs(m, r, write, err)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_hugepages; i++) {
		const struct spec_hugepage_limit *p = &r->hugepages[i];
		snprintf(field, sizeof(field), "hugepageLimits[%zu]", i);
		snprintf(file, sizeof(file), "hugetlb.%s.max", p->page_size);
		snprintf(val, sizeof(val), "%" PRIu64, p->limit);
		if ((ret = v2_need(m, "hugetlb", field, err)) < 0)
			return ret;
		if (!write && !cgroup_has_file(&m->h[0], file))
			return lc_err_setx(err, ENOTSUP,
					   "linux.resources.%s.pageSize: \"%s\" is not a huge page size "
					   "of this kernel (no %s in %s)", field, p->page_size, file,
					   m->h[0].dir);
		if ((ret = cgroup_put(&m->h[0], write, field, file, val, err)) < 0)
			return ret;
	}
	if (r->has_net_classid && r->net_classid)
		return no_v2("network.classID", "net_cls controller", err);
	if (r->n_net_priorities)
		return no_v2("network.priorities", "net_prio controller", err);
	for (size_t i = 0; i < r->n_rdma; i++) {
		snprintf(field, sizeof(field), "rdma[\"%s\"]", r->rdma[i].device);
		if (!cgroup_rdma_line(&r->rdma[i], val, sizeof(val)))
			continue;
		if ((ret = v2_need(m, "rdma", field, err)) < 0 ||
		    (ret = cgroup_put(&m->h[0], write, field, "rdma.max", val, err)) < 0)
			return ret;
	}
	return 0;
}
