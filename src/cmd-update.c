/* `strait update [--resources FILE|-] [runc's resource flags] ID`. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

enum { OPT_MEM = 256, OPT_MEM_RES, OPT_MEM_SWAP, OPT_CPU_SHARES, OPT_CPU_QUOTA, OPT_CPU_PERIOD,
       OPT_CPUS, OPT_MEMS, OPT_PIDS, OPT_BLKIO, OPT_RESOURCES, OPT_RT_PERIOD, OPT_RT_RUNTIME,
       OPT_L3, OPT_MBW };

static char *
read_all(FILE *f)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* "512k", "10M", "1g", "-1" -> bytes (runc's RAM units: powers of 1024). */
static int
parse_bytes(const char *flag, const char *s, long long *ret)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s)
		return cli_failf("update: --%s: invalid value \"%s\"", flag, s), -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': v <<= 10; end++; break;
	case 'm': v <<= 20; end++; break;
	case 'g': v <<= 30; end++; break;
	case '\0': break;
	default: return cli_failf("update: --%s: invalid value \"%s\"", flag, s), -1;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end)
		return cli_failf("update: --%s: invalid value \"%s\"", flag, s), -1;
	*ret = v;
	return 0;
}

struct res_flags {
	const char *mem, *mem_res, *mem_swap, *shares, *quota, *period, *cpus, *mems, *pids, *blkio;
	const char *rt_period, *rt_runtime;
};

/* A decimal integer flag (a sign only where allowed), copied into the JSON as is. */
static bool
number_ok(const char *flag, const char *s, bool sign)
{
	const char *p = s + (sign && *s == '-');
	if (*p && strspn(p, "0123456789") == strlen(p) && strlen(p) < 20)
		return true;
	cli_failf("update: --%s: invalid value \"%s\" (expected %sinteger)", flag, s,
		  sign ? "an " : "a non-negative ");
	return false;
}

/* Builds a linux.resources object from the flags. */
static int
flags_json(const struct res_flags *f, char *buf, size_t len)
{
	char mem[256] = "", cpu[512] = "", other[256] = "";
	long long v;
	size_t o = 0;
#define ADD(dst, fmt, ...) snprintf(dst + strlen(dst), sizeof(dst) - strlen(dst), "%s" fmt, dst[0] ? "," : "", __VA_ARGS__)
	if (f->mem && !parse_bytes("memory", f->mem, &v))
		ADD(mem, "\"limit\":%lld", v);
	else if (f->mem)
		return -1;
	if (f->mem_res && !parse_bytes("memory-reservation", f->mem_res, &v))
		ADD(mem, "\"reservation\":%lld", v);
	else if (f->mem_res)
		return -1;
	if (f->mem_swap && !parse_bytes("memory-swap", f->mem_swap, &v))
		ADD(mem, "\"swap\":%lld", v);
	else if (f->mem_swap)
		return -1;
	const struct {
		const char *flag, *v;
		bool sign;
	} nums[] = { { "cpu-shares", f->shares, false },	{ "cpu-quota", f->quota, true },
		     { "cpu-period", f->period, false },	{ "pids-limit", f->pids, true },
		     { "blkio-weight", f->blkio, false },	{ "cpu-rt-period", f->rt_period, false },
		     { "cpu-rt-runtime", f->rt_runtime, true } };
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (nums[i].v && !number_ok(nums[i].flag, nums[i].v, nums[i].sign))
			return -1;
	if (f->shares)
		ADD(cpu, "\"shares\":%s", f->shares);
	if (f->rt_period)
		ADD(cpu, "\"realtimePeriod\":%s", f->rt_period);
	if (f->rt_runtime)
		ADD(cpu, "\"realtimeRuntime\":%s", f->rt_runtime);
	if (f->quota)
		ADD(cpu, "\"quota\":%s", f->quota);
	if (f->period)
		ADD(cpu, "\"period\":%s", f->period);
	/* cpu lists: digits, commas and ranges only (they go into the JSON as strings) */
	const char *lists[][2] = { { "cpus", f->cpus }, { "mems", f->mems } };
	for (size_t i = 0; i < 2; i++)
		if (lists[i][1] && strspn(lists[i][1], "0123456789,-") != strlen(lists[i][1]))
			return cli_failf("update: --cpuset-%s: invalid list \"%s\"", lists[i][0],
					 lists[i][1]), -1;
	if (f->cpus)
		ADD(cpu, "\"cpus\":\"%s\"", f->cpus);
	if (f->mems)
		ADD(cpu, "\"mems\":\"%s\"", f->mems);
	if (f->pids)
		ADD(other, "\"pids\":{\"limit\":%s}", f->pids);
	if (f->blkio)
		ADD(other, "\"blockIO\":{\"weight\":%s}", f->blkio);
#undef ADD
	o += snprintf(buf + o, len - o, "{");
	if (mem[0])
		o += snprintf(buf + o, len - o, "\"memory\":{%s}", mem);
	if (cpu[0])
		o += snprintf(buf + o, len - o, "%s\"cpu\":{%s}", o > 1 ? "," : "", cpu);
	if (other[0])
		o += snprintf(buf + o, len - o, "%s%s", o > 1 ? "," : "", other);
	snprintf(buf + o, len - o, "}");
	return 0;
}

int
cmd_update(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "resources", required_argument, NULL, 'r' },
		{ "memory", required_argument, NULL, OPT_MEM },
		{ "memory-reservation", required_argument, NULL, OPT_MEM_RES },
		{ "memory-swap", required_argument, NULL, OPT_MEM_SWAP },
		{ "cpu-shares", required_argument, NULL, OPT_CPU_SHARES },
		{ "cpu-quota", required_argument, NULL, OPT_CPU_QUOTA },
		{ "cpu-period", required_argument, NULL, OPT_CPU_PERIOD },
		{ "cpuset-cpus", required_argument, NULL, OPT_CPUS },
		{ "cpuset-mems", required_argument, NULL, OPT_MEMS },
		{ "pids-limit", required_argument, NULL, OPT_PIDS },
		{ "blkio-weight", required_argument, NULL, OPT_BLKIO },
		{ "cpu-rt-period", required_argument, NULL, OPT_RT_PERIOD },
		{ "cpu-rt-runtime", required_argument, NULL, OPT_RT_RUNTIME },
		{ "l3-cache-schema", required_argument, NULL, OPT_L3 },
		{ "mem-bw-schema", required_argument, NULL, OPT_MBW },
		CLI_HELP_OPT,
		{ 0 },
	};
	struct res_flags f = { 0 };
	struct lc_err err = { 0 };
	const char *resources = NULL;
	char *json = NULL, flagbuf[2048];
	int opt;

	while ((opt = getopt_long(argc, argv, ":r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': resources = optarg; break;
		case OPT_MEM: f.mem = optarg; break;
		case OPT_MEM_RES: f.mem_res = optarg; break;
		case OPT_MEM_SWAP: f.mem_swap = optarg; break;
		case OPT_CPU_SHARES: f.shares = optarg; break;
		case OPT_CPU_QUOTA: f.quota = optarg; break;
		case OPT_CPU_PERIOD: f.period = optarg; break;
		case OPT_CPUS: f.cpus = optarg; break;
		case OPT_MEMS: f.mems = optarg; break;
		case OPT_PIDS: f.pids = optarg; break;
		case OPT_BLKIO: f.blkio = optarg; break;
		case OPT_RT_PERIOD: f.rt_period = optarg; break;
		case OPT_RT_RUNTIME: f.rt_runtime = optarg; break;
		case OPT_L3:
		case OPT_MBW:
			return cli_failf("update: --%s: Intel RDT (linux.intelRdt) is not supported by strait",
					 opt == OPT_L3 ? "l3-cache-schema" : "mem-bw-schema");
		default: return cli_getopt_result(c, opt);
		}
	}
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	if (resources) {
		FILE *in = strcmp(resources, "-") ? fopen(resources, "re") : stdin;
		if (!in)
			return cli_failf("update: --resources %s: %s", resources, strerror(errno));
		json = read_all(in);
		if (in != stdin)
			fclose(in);
		if (!json)
			return cli_failf("update: --resources %s: read failed", resources);
	} else {
		if (flags_json(&f, flagbuf, sizeof(flagbuf)) < 0)
			return 1;
		json = strdup(flagbuf);
	}
	r = lc_container_update(&c->g, argv[optind], json, &err);
	free(json);
	return r < 0 ? cli_fail(&err) : 0;
}
