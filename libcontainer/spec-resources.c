/* linux.resources of config.json (and of `update --resources`) -> struct
 * spec_resources: memory, cpu, pids, device rules, blockIO, hugepageLimits, network,
 * rdma and unified. Only the syntax is checked here; whether this host can hold a
 * limit is the cgroup module's question, asked before anything is written. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "spec-internal.h"
#include "tables.h"

/* ---- memory, cpu, devices ---- */

static int
parse_memory(struct spec_ctx *c, const struct json_val *v, const char *path,
	     struct spec_resources *res)
{
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "limit", INT64_MIN, INT64_MAX,
			  &res->has_mem_limit, &res->mem_limit);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "reservation", INT64_MIN, INT64_MAX,
			  &res->has_mem_reservation, &res->mem_reservation);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "swap", INT64_MIN, INT64_MAX,
			  &res->has_mem_swap, &res->mem_swap);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "kernel", INT64_MIN, INT64_MAX,
			  &res->has_mem_kernel, &res->mem_kernel);
	if (r >= 0)
		r = FIELD(spec_read_u64, c, v, path, "swappiness", UINT64_MAX,
			  &res->has_mem_swappiness, &res->mem_swappiness);
	if (r >= 0)
		r = FIELD(spec_read_bool, c, v, path, "disableOOMKiller", &res->disable_oom_killer);
	return r;
}

static int
parse_cpu(struct spec_ctx *c, const struct json_val *v, const char *path,
	  struct spec_resources *res)
{
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = FIELD(spec_read_u64, c, v, path, "shares", UINT64_MAX, &res->has_cpu_shares,
			  &res->cpu_shares);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "quota", INT64_MIN, INT64_MAX,
			  &res->has_cpu_quota, &res->cpu_quota);
	if (r >= 0)
		r = FIELD(spec_read_u64, c, v, path, "period", UINT64_MAX, &res->has_cpu_period,
			  &res->cpu_period);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, v, path, "realtimeRuntime", INT64_MIN, INT64_MAX,
			  &res->has_cpu_rt_runtime, &res->cpu_rt_runtime);
	if (r >= 0)
		r = FIELD(spec_read_u64, c, v, path, "realtimePeriod", UINT64_MAX,
			  &res->has_cpu_rt_period, &res->cpu_rt_period);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "cpus", &res->cpu_cpus);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "mems", &res->cpu_mems);
	return r;
}

static int
parse_dev_rule(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_device_cgroup *d = elem;
	char p[SPEC_PATH_LEN];
	const char *type, *access;
	const struct json_val *allow;
	int r;

	r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	allow = json_get(e, "allow");
	spec_path_key(p, path, "allow");
	r = spec_required(c, allow, p);
	if (r >= 0)
		r = spec_expect(c, allow, p, JSON_BOOL, "boolean");
	if (r < 0)
		return r;
	d->allow = json_bool(allow);
	/* absent type, major, minor or access mean "all" */
	d->type = 'a';
	d->major = d->minor = -1;
	r = spec_member_str(c, e, path, "type", false, &type);
	if (r < 0)
		return r;
	if (type) {
		if (strlen(type) != 1 || !strchr("acb", type[0]))
			return spec_err_unknown(c, spec_path_key(p, path, "type"), "device type",
						type);
		d->type = type[0];
	}
	r = FIELD(spec_read_i64, c, e, path, "major", -1, INT64_MAX, NULL, &d->major);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, e, path, "minor", -1, INT64_MAX, NULL, &d->minor);
	if (r >= 0)
		r = spec_member_str(c, e, path, "access", false, &access);
	if (r < 0)
		return r;
	if (!access) {
		memcpy(d->access, "rwm", 4);
		return 0;
	}
	/* each of r, w, m at most once: the cgroup files take nothing else */
	if (strlen(access) > 3 || strspn(access, "rwm") != strlen(access) ||
	    (strchr(access, 'r') != strrchr(access, 'r')) ||
	    (strchr(access, 'w') != strrchr(access, 'w')) ||
	    (strchr(access, 'm') != strrchr(access, 'm')))
		return spec_err(c, spec_path_key(p, path, "access"),
				"invalid access \"%.16s\" (expected letters from \"rwm\")", access);
	memcpy(d->access, access, strlen(access) + 1);
	return 0;
}

static int
parse_dev_rules(struct spec_ctx *c, const struct json_val *v, const char *path,
		struct spec_resources *res)
{
	return spec_read_array(c, v, path, "array of device rules", sizeof(*res->devices), parse_dev_rule,
			       &res->devices, &res->n_devices);
}

/* ---- blockIO ---- */

static int
read_dev_numbers(struct spec_ctx *c, const struct json_val *e, const char *path, int64_t *major,
		 int64_t *minor)
{
	char p[SPEC_PATH_LEN];
	const char *keys[] = { "major", "minor" };
	int64_t *out[] = { major, minor };
	for (int k = 0; k < 2; k++) {
		const struct json_val *v = json_get(e, keys[k]);
		spec_path_key(p, path, keys[k]);
		int r = spec_required(c, v, p);
		if (r >= 0)
			r = spec_read_i64(c, v, p, 0, UINT32_MAX, NULL, out[k]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
read_weight(struct spec_ctx *c, const struct json_val *obj, const char *path, const char *key,
	    bool *ret_has, uint16_t *ret)
{
	uint64_t w = 0;
	int r = FIELD(spec_read_u64, c, obj, path, key, UINT16_MAX, ret_has, &w);
	*ret = (uint16_t)w;
	return r;
}

static int
parse_weight_dev(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_blkio_weight_dev *d = elem;
	int r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = read_dev_numbers(c, e, path, &d->major, &d->minor);
	if (r >= 0)
		r = read_weight(c, e, path, "weight", &d->has_weight, &d->weight);
	if (r >= 0)
		r = read_weight(c, e, path, "leafWeight", &d->has_leaf_weight, &d->leaf_weight);
	return r;
}

static int
parse_rate(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_blkio_rate *d = elem;
	char p[SPEC_PATH_LEN];
	int r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = read_dev_numbers(c, e, path, &d->major, &d->minor);
	if (r >= 0)
		r = spec_required(c, json_get(e, "rate"), spec_path_key(p, path, "rate"));
	if (r >= 0)
		r = FIELD(spec_read_u64, c, e, path, "rate", UINT64_MAX, NULL, &d->rate);
	return r;
}

static int
parse_blkio(struct spec_ctx *c, const struct json_val *v, const char *path,
	    struct spec_resources *res)
{
	char p[SPEC_PATH_LEN];
	if (spec_absent(v))
		return 0;
	int r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = read_weight(c, v, path, "weight", &res->has_blkio_weight, &res->blkio_weight);
	if (r >= 0)
		r = read_weight(c, v, path, "leafWeight", &res->has_blkio_leaf_weight,
				&res->blkio_leaf_weight);
	if (r >= 0)
		r = spec_read_array(c, json_get(v, "weightDevice"),
				    spec_path_key(p, path, "weightDevice"), "array of objects",
				    sizeof(*res->blkio_weight_devs), parse_weight_dev,
				    &res->blkio_weight_devs, &res->n_blkio_weight_devs);
	for (int t = 0; r >= 0 && t < BLKIO_THROTTLE__COUNT; t++)
		r = spec_read_array(c, json_get(v, table_blkio_throttle_key(t)),
				    spec_path_key(p, path, table_blkio_throttle_key(t)), "array of objects",
				    sizeof(struct spec_blkio_rate), parse_rate, &res->blkio_throttle[t],
				    &res->n_blkio_throttle[t]);
	return r;
}

/* ---- hugepageLimits, network, rdma ---- */

/* "2MB", "1GB", "64KB": what the kernel names hugetlb.<size>.* with. */
static bool
page_size_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && s[0] != '0' &&
	       (!strcmp(s + n, "KB") || !strcmp(s + n, "MB") || !strcmp(s + n, "GB"));
}

static int
parse_hugepage(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_hugepage_limit *h = elem;
	char p[SPEC_PATH_LEN];
	int r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = spec_field_str_req(c, e, path, "pageSize", &h->page_size);
	if (r < 0)
		return r;
	if (!page_size_ok(h->page_size))
		return spec_err(c, spec_path_key(p, path, "pageSize"),
				"invalid page size \"%.32s\" (expected a number and KB, MB or GB, "
				"e.g. \"2MB\")", h->page_size);
	r = spec_required(c, json_get(e, "limit"), spec_path_key(p, path, "limit"));
	if (r >= 0)
		r = FIELD(spec_read_u64, c, e, path, "limit", UINT64_MAX, NULL, &h->limit);
	return r;
}

static int
parse_net_priority(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_net_priority *n = elem;
	int r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = spec_field_str_req(c, e, path, "name", &n->name);
	if (r >= 0)
		r = spec_field_u32_req(c, e, path, "priority", &n->priority);
	return r;
}

static int
parse_network(struct spec_ctx *c, const struct json_val *v, const char *path,
	      struct spec_resources *res)
{
	char p[SPEC_PATH_LEN];
	if (spec_absent(v))
		return 0;
	int r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = FIELD(spec_read_u32, c, v, path, "classID", &res->has_net_classid,
			  &res->net_classid);
	if (r >= 0)
		r = spec_read_array(c, json_get(v, "priorities"),
				    spec_path_key(p, path, "priorities"), "array of objects",
				    sizeof(*res->net_priorities), parse_net_priority,
				    &res->net_priorities, &res->n_net_priorities);
	return r;
}

/* {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}, ...} */
static int
parse_rdma(struct spec_ctx *c, const struct json_val *v, const char *path,
	   struct spec_resources *res)
{
	char p[SPEC_PATH_LEN];
	if (spec_absent(v))
		return 0;
	int r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	size_t n = json_len(v);
	res->rdma = calloc(n + 1, sizeof(*res->rdma));
	if (!res->rdma)
		return spec_oom(c);
	res->n_rdma = n;
	for (size_t i = 0; i < n; i++) {
		struct spec_rdma *d = &res->rdma[i];
		const struct json_val *e = json_value_at(v, i);
		const char *dev = json_key_at(v, i);
		spec_path_map(p, path, dev);
		if (!*dev || strpbrk(dev, " \t\n="))
			return spec_err(c, p, "invalid device name");
		if (!(d->device = strdup(dev)))
			return spec_oom(c);
		r = spec_expect(c, e, p, JSON_OBJECT, "object");
		if (r >= 0)
			r = FIELD(spec_read_u32, c, e, p, "hcaHandles", &d->has_handles, &d->handles);
		if (r >= 0)
			r = FIELD(spec_read_u32, c, e, p, "hcaObjects", &d->has_objects, &d->objects);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- the resources object ---- */

int
spec_parse_resources(struct spec_ctx *c, const struct json_val *v, const char *path,
		     struct spec_resources *res)
{
	const struct json_val *pids;
	char p[SPEC_PATH_LEN];
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	res->present = true;
	r = FIELD(parse_memory, c, v, path, "memory", res);
	if (r >= 0)
		r = FIELD(parse_cpu, c, v, path, "cpu", res);
	if (r >= 0)
		r = FIELD(parse_dev_rules, c, v, path, "devices", res);
	if (r >= 0)
		r = FIELD(spec_read_string_map, c, v, path, "unified", &res->unified);
	if (r >= 0)
		r = FIELD(parse_blkio, c, v, path, "blockIO", res);
	if (r >= 0)
		r = spec_read_array(c, json_get(v, "hugepageLimits"),
				    spec_path_key(p, path, "hugepageLimits"), "array of objects",
				    sizeof(*res->hugepages), parse_hugepage, &res->hugepages,
				    &res->n_hugepages);
	if (r >= 0)
		r = FIELD(parse_network, c, v, path, "network", res);
	if (r >= 0)
		r = FIELD(parse_rdma, c, v, path, "rdma", res);
	if (r < 0)
		return r;

	pids = json_get(v, "pids");
	if (!spec_absent(pids)) {
		spec_path_key(p, path, "pids");
		r = spec_expect(c, pids, p, JSON_OBJECT, "object");
		if (r >= 0)
			r = FIELD(spec_read_i64, c, pids, p, "limit", INT64_MIN, INT64_MAX,
				  &res->has_pids_limit, &res->pids_limit);
		if (r < 0)
			return r;
	}
	return 0;
}

void
spec_resources_free(struct spec_resources *res)
{
	free(res->cpu_cpus);
	free(res->cpu_mems);
	free(res->devices);
	strv_freep(&res->unified);
	free(res->blkio_weight_devs);
	for (int t = 0; t < BLKIO_THROTTLE__COUNT; t++)
		free(res->blkio_throttle[t]);
	for (size_t i = 0; i < res->n_hugepages; i++)
		free(res->hugepages[i].page_size);
	free(res->hugepages);
	for (size_t i = 0; i < res->n_net_priorities; i++)
		free(res->net_priorities[i].name);
	free(res->net_priorities);
	for (size_t i = 0; i < res->n_rdma; i++)
		free(res->rdma[i].device);
	free(res->rdma);
}
