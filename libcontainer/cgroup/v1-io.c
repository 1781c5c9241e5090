/* cgroup v1: blockIO (weights, per-device weights, throttles), hugepageLimits,
 * network (net_cls, net_prio) and rdma. Each is first checked for the whole config
 * (write false: controller mounted, control file present) and only then written, so
 * that a limit this host cannot hold fails create or update with nothing changed. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "tables.h"

static const char *const throttle_files[BLKIO_THROTTLE__COUNT] = {
	[BLKIO_READ_BPS] = "blkio.throttle.read_bps_device",
	[BLKIO_WRITE_BPS] = "blkio.throttle.write_bps_device",
	[BLKIO_READ_IOPS] = "blkio.throttle.read_iops_device",
	[BLKIO_WRITE_IOPS] = "blkio.throttle.write_iops_device",
};

/* The first of the candidate files that exists, or an error naming field. */
static int
pick_file(struct cg_hier *h, const char *field, const char *a, const char *b, const char *why,
	  const char **ret, struct lc_err *err)
{
	*ret = cgroup_has_file(h, a) ? a : b && cgroup_has_file(h, b) ? b : NULL;
	if (*ret)
		return 0;
	if (b)
		return lc_err_setx(err, ENOTSUP, "linux.resources.%s: neither %s nor %s exists in %s (%s)",
				   field, a, b, h->dir, why);
	return lc_err_setx(err, ENOTSUP, "linux.resources.%s: %s does not exist in %s (%s)", field,
			   a, h->dir, why);
}

static int
blkio_weights(struct cg_hier *h, const struct spec_resources *r, bool write, struct lc_err *err)
{
	static const char why_w[] = "no CFQ or BFQ I/O scheduler";
	const char *f;
	char field[96], val[64];
	int ret;

	if (r->has_blkio_weight && r->blkio_weight) {
		if ((ret = pick_file(h, "blockIO.weight", "blkio.weight", "blkio.bfq.weight", why_w,
				     &f, err)) < 0)
			return ret;
		snprintf(val, sizeof(val), "%u", r->blkio_weight);
		if (write && (ret = cgroup_put(h, true, "blockIO.weight", f, val, err)) < 0)
			return ret;
	}
	if (r->has_blkio_leaf_weight && r->blkio_leaf_weight) {
		if ((ret = pick_file(h, "blockIO.leafWeight", "blkio.leaf_weight", NULL,
				     "CFQ only, gone since Linux 5.0", &f, err)) < 0)
			return ret;
		snprintf(val, sizeof(val), "%u", r->blkio_leaf_weight);
		if (write && (ret = cgroup_put(h, true, "blockIO.leafWeight", f, val, err)) < 0)
			return ret;
	}
	for (size_t i = 0; i < r->n_blkio_weight_devs; i++) {
		const struct spec_blkio_weight_dev *d = &r->blkio_weight_devs[i];
		if (d->has_weight && d->weight) {
			snprintf(field, sizeof(field), "blockIO.weightDevice[%zu].weight", i);
			if ((ret = pick_file(h, field, "blkio.weight_device", "blkio.bfq.weight_device",
					     why_w, &f, err)) < 0)
				return ret;
			snprintf(val, sizeof(val), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
				 d->weight);
			if (write && (ret = cgroup_put(h, true, field, f, val, err)) < 0)
				return ret;
		}
		if (d->has_leaf_weight && d->leaf_weight) {
			snprintf(field, sizeof(field), "blockIO.weightDevice[%zu].leafWeight", i);
			if ((ret = pick_file(h, field, "blkio.leaf_weight_device", NULL,
					     "CFQ only, gone since Linux 5.0", &f, err)) < 0)
				return ret;
			snprintf(val, sizeof(val), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
				 d->leaf_weight);
			if (write && (ret = cgroup_put(h, true, field, f, val, err)) < 0)
				return ret;
		}
	}
	return 0;
}

static bool
blkio_wanted(const struct spec_resources *r)
{
	size_t n = r->n_blkio_weight_devs;
	for (int t = 0; t < BLKIO_THROTTLE__COUNT; t++)
		n += r->n_blkio_throttle[t];
	return n || (r->has_blkio_weight && r->blkio_weight) ||
	       (r->has_blkio_leaf_weight && r->blkio_leaf_weight);
}

static int
v1_blkio(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	struct cg_hier *h;
	char field[96], val[64];
	int ret;

	if (!blkio_wanted(r))
		return 0;
	if ((ret = v1_need(m, "blkio", "blockIO", &h, err)) < 0 ||
	    (ret = blkio_weights(h, r, write, err)) < 0)
		return ret;
	for (int t = 0; t < BLKIO_THROTTLE__COUNT; t++) {
		for (size_t i = 0; i < r->n_blkio_throttle[t]; i++) {
			const struct spec_blkio_rate *d = &r->blkio_throttle[t][i];
			snprintf(field, sizeof(field), "blockIO.%s[%zu]", table_blkio_throttle_key(t), i);
			snprintf(val, sizeof(val), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major,
				 d->minor, d->rate);
			if ((ret = cgroup_put(h, write, field, throttle_files[t], val, err)) < 0)
				return ret;
		}
	}
	return 0;
}

static int
v1_hugetlb(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	struct cg_hier *h;
	char field[64], file[96], val[32];
	int ret;

	if (!r->n_hugepages)
		return 0;
	if ((ret = v1_need(m, "hugetlb", "hugepageLimits", &h, err)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_hugepages; i++) {
		const struct spec_hugepage_limit *p = &r->hugepages[i];
		snprintf(field, sizeof(field), "hugepageLimits[%zu]", i);
		snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", p->page_size);
		snprintf(val, sizeof(val), "%" PRIu64, p->limit);
		if (!write && !cgroup_has_file(h, file))
			return lc_err_setx(err, ENOTSUP,
					   "linux.resources.%s.pageSize: \"%s\" is not a huge page size "
					   "of this kernel (no %s in %s)", field, p->page_size, file, h->dir);
		if ((ret = cgroup_put(h, write, field, file, val, err)) < 0)
			return ret;
	}
	return 0;
}

static int
v1_network(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	struct cg_hier *h;
	char field[64], val[128];
	int ret;

	/* runc's reading: classID 0 leaves the class unset */
	if (r->has_net_classid && r->net_classid) {
		if ((ret = v1_need(m, "net_cls", "network.classID", &h, err)) < 0)
			return ret;
		snprintf(val, sizeof(val), "%" PRIu32, r->net_classid);
		if ((ret = cgroup_put(h, write, "network.classID", "net_cls.classid", val, err)) < 0)
			return ret;
	}
	if (!r->n_net_priorities)
		return 0;
	if ((ret = v1_need(m, "net_prio", "network.priorities", &h, err)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_net_priorities; i++) {
		snprintf(field, sizeof(field), "network.priorities[%zu]", i);
		snprintf(val, sizeof(val), "%s %" PRIu32, r->net_priorities[i].name,
			 r->net_priorities[i].priority);
		if ((ret = cgroup_put(h, write, field, "net_prio.ifpriomap", val, err)) < 0)
			return ret;
	}
	return 0;
}

int
cgroup_rdma_line(const struct spec_rdma *d, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", d->device);
	if (d->has_handles)
		n += snprintf(buf + n, len - n, " hca_handle=%" PRIu32, d->handles);
	if (d->has_objects)
		n += snprintf(buf + n, len - n, " hca_object=%" PRIu32, d->objects);
	return d->has_handles || d->has_objects;
}

static int
v1_rdma(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	struct cg_hier *h;
	char field[96], val[160];
	int ret;

	if (!r->n_rdma)
		return 0;
	if ((ret = v1_need(m, "rdma", "rdma", &h, err)) < 0)
		return ret;
	for (size_t i = 0; i < r->n_rdma; i++) {
		snprintf(field, sizeof(field), "rdma[\"%s\"]", r->rdma[i].device);
		if (cgroup_rdma_line(&r->rdma[i], val, sizeof(val)) &&
		    (ret = cgroup_put(h, write, field, "rdma.max", val, err)) < 0)
			return ret;
	}
	return 0;
}

int
v1_io_apply(struct cgroup_mgr *m, const struct spec_resources *r, bool write, struct lc_err *err)
{
	int ret;
	if ((ret = v1_blkio(m, r, write, err)) < 0 || (ret = v1_hugetlb(m, r, write, err)) < 0 ||
	    (ret = v1_network(m, r, write, err)) < 0 || (ret = v1_rdma(m, r, write, err)) < 0)
		return ret;
	return 0;
}
