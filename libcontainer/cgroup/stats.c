/* Readers for the statistics files behind `events` (lists of numbers, cpu lists, flat
 * keyed files, blkio lines), shared by v1-stats.c and v2-stats.c, and the page sizes
 * hugetlb files are named by. A missing file reads as empty. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "macro.h"

int
cgroup_u64s_push(struct cgroup_u64s *l, uint64_t v)
{
	uint64_t *n = reallocarray(l->v, l->n + 1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	l->v = n;
	l->v[l->n++] = v;
	return 0;
}

int
cgroup_read_u64s(const char *dir, const char *file, struct cgroup_u64s *ret)
{
	_cleanup_free_ char *s = NULL;
	if (cgroup_read(dir, file, &s) < 0)
		return 0;
	for (char *save = NULL, *t = strtok_r(s, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
		uint64_t v;
		if (cgroup_parse_u64(t, &v) == 0 && cgroup_u64s_push(ret, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
cgroup_read_cpu_list(const char *dir, const char *file, struct cgroup_u64s *ret)
{
	_cleanup_free_ char *s = NULL;
	if (cgroup_read(dir, file, &s) < 0)
		return 0;
	for (char *save = NULL, *t = strtok_r(s, ",\n", &save); t; t = strtok_r(NULL, ",\n", &save)) {
		char *end;
		uint64_t lo = strtoull(t, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtoull(end + 1, &end, 10);
		if (*end || hi < lo || hi - lo > 65535)
			continue;
		for (uint64_t c = lo; c <= hi; c++)
			if (cgroup_u64s_push(ret, c) < 0)
				return -ENOMEM;
	}
	return 0;
}

static int
cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct cgroup_kv *)a)->key, ((const struct cgroup_kv *)b)->key);
}

int
cgroup_read_kv(const char *dir, const char *file, struct cgroup_kv **ret, size_t *n)
{
	_cleanup_free_ char *s = NULL;
	if (cgroup_read(dir, file, &s) < 0)
		return 0;
	for (char *save = NULL, *l = strtok_r(s, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');
		uint64_t v;
		if (!sp || cgroup_parse_u64(sp + 1, &v) < 0)
			continue;
		struct cgroup_kv *kv = reallocarray(*ret, *n + 1, sizeof(*kv));
		if (!kv)
			return -ENOMEM;
		*ret = kv;
		if (!(kv[*n].key = strndup(l, (size_t)(sp - l))))
			return -ENOMEM;
		kv[(*n)++].value = v;
	}
	/* sorted, as a client decoding into a map prints it */
	if (*n)
		qsort(*ret, *n, sizeof(**ret), cmp_kv);
	return 0;
}

uint64_t
cgroup_kv_get(const struct cgroup_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return 0;
}

int
cgroup_blkio_push(struct cgroup_stats *s, enum cgroup_blkio_list which,
		  const struct cgroup_blkio_entry *e)
{
	struct cgroup_blkio_entry *n =
		reallocarray(s->blkio[which].e, s->blkio[which].n + 1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	s->blkio[which].e = n;
	n[s->blkio[which].n++] = *e;
	return 0;
}

/* "MAJ:MIN OP VALUE" or "MAJ:MIN VALUE"; the closing "Total N" line has no device. */
int
cgroup_read_blkio(const char *dir, const char *file, struct cgroup_stats *s,
		  enum cgroup_blkio_list which)
{
	_cleanup_free_ char *text = NULL;
	if (cgroup_read(dir, file, &text) < 0)
		return 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct cgroup_blkio_entry e = { 0 };
		char op[16] = "", val[32] = "";
		int n = sscanf(l, "%" SCNu64 ":%" SCNu64 " %15s %31s", &e.major, &e.minor, op, val);
		if (n == 3) {
			memcpy(val, op, sizeof(op));
			op[0] = '\0';
		} else if (n != 4) {
			continue;
		}
		if (cgroup_parse_u64(val, &e.value) < 0)
			continue;
		memcpy(e.op, op, sizeof(e.op));
		if (cgroup_blkio_push(s, which, &e) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int
cmp_name16(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
cgroup_hugepage_sizes(char (*ret)[16], size_t max, size_t *n)
{
	_cleanup_closedir_ DIR *d = opendir("/sys/kernel/mm/hugepages");
	struct dirent *de;

	*n = 0;
	if (!d)
		return 0;
	while ((de = readdir(d)) && *n < max) {
		unsigned long long kb;
		if (sscanf(de->d_name, "hugepages-%llukB", &kb) != 1)
			continue;
		/* the kernel's names for hugetlb files: 2MB, 1GB, 64KB */
		static const char *const units[] = { "KB", "MB", "GB", "TB" };
		size_t u = 0;
		while (kb >= 1024 && kb % 1024 == 0 && u + 1 < ARRAY_SIZE(units)) {
			kb /= 1024;
			u++;
		}
		snprintf(ret[(*n)++], 16, "%llu%s", kb, units[u]);
	}
	qsort(ret, *n, sizeof(*ret), cmp_name16); /* as a map's keys print */
	return 0;
}

int
cgroup_read_hugetlb(const char *dir, struct cgroup_stats *s, bool v2)
{
	char sizes[8][16], name[64];
	size_t n;

	(void)cgroup_hugepage_sizes(sizes, ARRAY_SIZE(sizes), &n);
	if (!n)
		return 0;
	if (!(s->hugetlb = calloc(n, sizeof(*s->hugetlb))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct cgroup_hugetlb_stat *h = &s->hugetlb[s->n_hugetlb++];
		memcpy(h->pagesize, sizes[i], sizeof(h->pagesize));
		snprintf(name, sizeof(name), "hugetlb.%s.%s", sizes[i], v2 ? "current" : "usage_in_bytes");
		(void)cgroup_read_u64(dir, name, &h->usage);
		/* v2 has no peak: hugetlb.<size>.max is the limit */
		snprintf(name, sizeof(name), "hugetlb.%s.max_usage_in_bytes", sizes[i]);
		if (!v2)
			(void)cgroup_read_u64(dir, name, &h->max);
		snprintf(name, sizeof(name), "hugetlb.%s.%s", sizes[i], v2 ? "events" : "failcnt");
		if (v2)
			(void)cgroup_read_key(dir, name, "max", &h->failcnt);
		else
			(void)cgroup_read_u64(dir, name, &h->failcnt);
	}
	return 0;
}

void
cgroup_stats_free(struct cgroup_stats *s)
{
	for (size_t i = 0; i < s->n_mem_raw; i++)
		free(s->mem_raw[i].key);
	free(s->mem_raw);
	free(s->cpu_percpu.v);
	free(s->cpu_percpu_kernel.v);
	free(s->cpu_percpu_user.v);
	free(s->cpuset_cpus.v);
	free(s->cpuset_mems.v);
	for (size_t i = 0; i < CG_BLKIO_N; i++)
		free(s->blkio[i].e);
	free(s->hugetlb);
	*s = (struct cgroup_stats){ 0 };
}
