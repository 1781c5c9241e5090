/* Unit tests for libcontainer/cgroup: fake v1 (hybrid, cpu and cpuacct apart) and v2
 * roots in a temp dir, checking the exact file contents written, the path rules, the
 * error messages and that failures leave nothing behind; plus, as root on a hybrid
 * host, one pass over a real cgroup with a forked child. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "macro.h"
#include "cgroup/cgroup.h"
#include "tap.h"

static char root1[64], root2[64];

static void _printf_(2, 3)
vpath(char *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, 4096, fmt, ap);
	va_end(ap);
}

/* Reads a file (trailing newline dropped) into one of a ring of buffers; NULL if absent. */
static const char *_printf_(1, 2)
rd(const char *fmt, ...)
{
	static char ring[8][4096];
	static int next;
	char path[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	char *buf = ring[next++ % 8];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, 4095);
	close(fd);
	if (n < 0)
		return NULL;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return buf;
}

static void _printf_(2, 3)
wr(const char *content, const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, content, strlen(content)) < 0)
		printf("# cannot write %s\n", path);
	if (fd >= 0)
		close(fd);
}

static bool _printf_(1, 2)
ex(const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return access(path, F_OK) == 0;
}

static void _printf_(1, 2)
mk(const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (mkdir(path, 0755) < 0)
		printf("# cannot mkdir %s\n", path);
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(p);
	return 0;
}

static void
rm_rf(const char *p)
{
	nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Number of subdirectories of a directory, -1 if absent. */
static int _printf_(1, 2)
count_subdirs(const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *de; (de = readdir(d));)
		n += de->d_type == DT_DIR && strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

/* The runtime's own cgroup for a v1 controller (or "" for the unified line), parsed
 * here independently of cgroup.c. */
static void
own_path(const char *ctl, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[1024];
	snprintf(out, len, "/");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		if (strcmp(a + 1, ctl) == 0 && (*ctl || strncmp(line, "0:", 2) == 0))
			snprintf(out, len, "%s", b + 1);
	}
	if (f)
		fclose(f);
}

static const char *const v1_dirs[] = { "blkio",   "cpu",  "cpuacct", "cpuset",  "devices",
				       "freezer", "memory", "pids",  "systemd", "unified" };

/* A hybrid-looking root: v1 controllers one per directory, unified with no controllers.
 * Files at a hierarchy's top announce what the fake kernel offers. */
static void
make_v1_root(void)
{
	snprintf(root1, sizeof(root1), "/tmp/strait-cgtest1.XXXXXX");
	if (!mkdtemp(root1))
		abort();
	for (size_t i = 0; i < ARRAY_SIZE(v1_dirs); i++)
		mk("%s/%s", root1, v1_dirs[i]);
	wr("", "%s/unified/cgroup.controllers", root1);
	wr("9223372036854771712", "%s/memory/memory.memsw.limit_in_bytes", root1);
	wr("100", "%s/blkio/blkio.bfq.weight", root1);
	wr("0-3\n", "%s/cpuset/cpuset.cpus", root1);
	wr("0\n", "%s/cpuset/cpuset.mems", root1);
}

static void
make_v2_root(const char *controllers)
{
	snprintf(root2, sizeof(root2), "/tmp/strait-cgtest2.XXXXXX");
	if (!mkdtemp(root2))
		abort();
	wr(controllers, "%s/cgroup.controllers", root2);
	wr("max", "%s/memory.swap.max", root2);
	wr("default 100", "%s/io.weight", root2);
}

static struct lc_spec spec;

static struct cgroup_mgr *
create(const char *root, const char *path, const char *id, bool systemd, int *ret,
       struct lc_err *err)
{
	struct cgroup_mgr *m = NULL;
	spec.linux_.cgroups_path = (char *)path;
	memset(err, 0, sizeof(*err));
	const struct cgroup_create_opts o = { .root = root, .systemd = systemd };
	*ret = cgroup_create(&o, &spec, id, &m, err);
	return m;
}

/* The split create (cgroup_create_opts.split): cgroup2 first, the rest later. */
static struct cgroup_mgr *
create_split(const char *root, const char *path, const char *id, int *ret, struct lc_err *err)
{
	struct cgroup_mgr *m = NULL;
	spec.linux_.cgroups_path = (char *)path;
	memset(err, 0, sizeof(*err));
	const struct cgroup_create_opts o = { .root = root, .split = true };
	*ret = cgroup_create(&o, &spec, id, &m, err);
	return m;
}

static void
test_v1_create_apply(void)
{
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create(root1, NULL, "c1", false, &r, &err);
	is_int(r, 0, "v1 create: %s", err.msg);
	if (!m)
		return;
	is_int(cgroup_version(m), 1, "fake hybrid root is v1");
	is_str(cgroup_path(m), "/strait/c1", "absent cgroupsPath is /strait/<id>");
	for (size_t i = 0; i < ARRAY_SIZE(v1_dirs); i++)
		ok(ex("%s/%s/strait/c1", root1, v1_dirs[i]), "created in %s", v1_dirs[i]);
	is_str(rd("%s/cpuset/strait/cpuset.cpus", root1), "0-3", "cpuset.cpus copied to the parent");
	is_str(rd("%s/cpuset/strait/c1/cpuset.cpus", root1), "0-3", "cpuset.cpus copied down");
	is_str(rd("%s/cpuset/strait/c1/cpuset.mems", root1), "0", "cpuset.mems copied down");

	struct spec_device_cgroup devs[] = {
		{ false, 'a', -1, -1, "rwm" },
		{ true, 'c', 10, 229, "rwm" },
		{ false, 'c', 1, 3, "w" },
	};
	struct spec_resources res = {
		.present = true,
		.has_mem_limit = true, .mem_limit = 1000000,
		.has_mem_reservation = true, .mem_reservation = 500000,
		.has_mem_swap = true, .mem_swap = 2000000,
		.has_mem_swappiness = true, .mem_swappiness = 10,
		.has_pids_limit = true, .pids_limit = 64,
		.has_cpu_shares = true, .cpu_shares = 512,
		.has_cpu_quota = true, .cpu_quota = 50000,
		.has_cpu_period = true, .cpu_period = 100000,
		.cpu_cpus = "1", .cpu_mems = "0",
		.has_blkio_weight = true, .blkio_weight = 300,
		.devices = devs, .n_devices = ARRAY_SIZE(devs),
	};
	r = cgroup_apply(m, &res, &err);
	is_int(r, 0, "v1 apply: %s", err.msg);
	const char *d = "strait/c1";
	is_str(rd("%s/memory/%s/memory.limit_in_bytes", root1, d), "1000000", "memory limit");
	is_str(rd("%s/memory/%s/memory.memsw.limit_in_bytes", root1, d), "2000000", "memsw");
	is_str(rd("%s/memory/%s/memory.soft_limit_in_bytes", root1, d), "500000", "reservation");
	is_str(rd("%s/memory/%s/memory.swappiness", root1, d), "10", "swappiness");
	is_str(rd("%s/pids/%s/pids.max", root1, d), "64", "pids.max");
	is_str(rd("%s/cpu/%s/cpu.shares", root1, d), "512", "cpu.shares");
	is_str(rd("%s/cpu/%s/cpu.cfs_quota_us", root1, d), "50000", "cfs quota");
	is_str(rd("%s/cpu/%s/cpu.cfs_period_us", root1, d), "100000", "cfs period");
	ok(!ex("%s/cpuacct/%s/cpu.shares", root1, d), "cpu files go to the cpu hierarchy only");
	is_str(rd("%s/cpuset/%s/cpuset.cpus", root1, d), "1", "cpuset.cpus");
	is_str(rd("%s/blkio/%s/blkio.bfq.weight", root1, d), "300", "blkio.bfq.weight fallback");
	ok(!ex("%s/blkio/%s/blkio.weight", root1, d), "no blkio.weight invented");
	is_str(rd("%s/devices/%s/devices.deny", root1, d), "c 1:3 w", "last deny is the spec's");
	is_str(rd("%s/devices/%s/devices.allow", root1, d), "c 10:200 rwm",
	       "default allow list comes after the spec's rules");
	ok(!ex("%s/unified/%s/memory.max", root1, d), "nothing written to unified on hybrid");

	/* A second apply (update) leaves devices alone. */
	wr("untouched", "%s/devices/%s/devices.deny", root1, d);
	struct spec_resources upd = { .present = true, .has_pids_limit = true, .pids_limit = -1 };
	r = cgroup_apply(m, &upd, &err);
	is_int(r, 0, "v1 update: %s", err.msg);
	is_str(rd("%s/pids/%s/pids.max", root1, d), "max", "pids -1 -> max");
	is_str(rd("%s/devices/%s/devices.deny", root1, d), "untouched", "update skips devices");
	upd.pids_limit = 0;
	r = cgroup_apply(m, &upd, &err);
	is_str(rd("%s/pids/%s/pids.max", root1, d), "max", "pids 0 -> max");

	/* Memory limit -1 with swap unset: memsw becomes unlimited too. */
	struct spec_resources unl = { .present = true, .has_mem_limit = true, .mem_limit = -1 };
	r = cgroup_apply(m, &unl, &err);
	is_int(r, 0, "unlimited memory: %s", err.msg);
	is_str(rd("%s/memory/%s/memory.limit_in_bytes", root1, d), "-1", "limit -1");
	is_str(rd("%s/memory/%s/memory.memsw.limit_in_bytes", root1, d), "-1", "memsw -1");

	r = cgroup_add_pid(m, 12345, &err);
	is_int(r, 0, "add pid: %s", err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(v1_dirs); i++)
		is_str(rd("%s/%s/strait/c1/cgroup.procs", root1, v1_dirs[i]), "12345",
		       "pid written in %s", v1_dirs[i]);

	/* pids come from the pids hierarchy, nested cgroups included. */
	wr("1\n2\n", "%s/pids/%s/cgroup.procs", root1, d);
	mk("%s/pids/%s/sub", root1, d);
	wr("3\n", "%s/pids/%s/sub/cgroup.procs", root1, d);
	wr("99\n", "%s/memory/%s/cgroup.procs", root1, d);
	pid_t *pids = NULL;
	size_t n = 0;
	r = cgroup_pids(m, &pids, &n, &err);
	is_int(r, 0, "pids: %s", err.msg);
	is_int(n, 3, "three pids, nested included");
	if (n == 3)
		ok(pids[0] + pids[1] + pids[2] == 6, "pids are 1, 2, 3");
	free(pids);

	r = cgroup_freeze(m, true, &err);
	is_int(r, 0, "freeze: %s", err.msg);
	is_str(rd("%s/freezer/%s/freezer.state", root1, d), "FROZEN", "freezer.state FROZEN");
	is_int(cgroup_is_frozen(m), 1, "is frozen");
	r = cgroup_freeze(m, false, &err);
	is_int(r, 0, "thaw: %s", err.msg);
	is_str(rd("%s/freezer/%s/freezer.state", root1, d), "THAWED", "freezer.state THAWED");
	is_int(cgroup_is_frozen(m), 0, "is thawed");

	wr("4096\n", "%s/memory/%s/memory.usage_in_bytes", root1, d);
	wr("7\n", "%s/memory/%s/memory.failcnt", root1, d);
	wr("2\n", "%s/pids/%s/pids.current", root1, d);
	wr("123456\n", "%s/cpuacct/%s/cpuacct.usage", root1, d);
	wr("user 2\nsystem 3\n", "%s/cpuacct/%s/cpuacct.stat", root1, d);
	wr("nr_periods 5\nnr_throttled 1\nthrottled_time 777\n", "%s/cpu/%s/cpu.stat", root1, d);
	wr("10 20\n", "%s/cpuacct/%s/cpuacct.usage_percpu", root1, d);
	wr("cpu user system\n0 4 6\n1 14 6\n", "%s/cpuacct/%s/cpuacct.usage_all", root1, d);
	wr("rss 5\ncache 9\nactive_anon 1\n", "%s/memory/%s/memory.stat", root1, d);
	wr("0-2,5\n", "%s/cpuset/%s/cpuset.cpus", root1, d);
	wr("1\n", "%s/cpuset/%s/cpuset.sched_load_balance", root1, d);
	wr("-1\n", "%s/cpuset/%s/cpuset.sched_relax_domain_level", root1, d);
	/* BFQ's files hold only the "Total" line: the throttle's recursive ones are used */
	wr("Total 0\n", "%s/blkio/%s/blkio.bfq.io_service_bytes_recursive", root1, d);
	wr("8:0 Read 512\n8:0 Write 0\n8:16 Read 3\nTotal 515\n",
	   "%s/blkio/%s/blkio.throttle.io_service_bytes_recursive", root1, d);
	wr("8:0 Read 1\nTotal 1\n", "%s/blkio/%s/blkio.throttle.io_serviced_recursive", root1, d);
	struct cgroup_stats st;
	r = cgroup_stats(m, &st, &err);
	is_int(r, 0, "stats: %s", err.msg);
	uint64_t tick = 1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK);
	is_int(st.mem.usage, 4096, "mem usage");
	is_int(st.mem.failcnt, 7, "failcnt");
	ok(st.mem.limit == UINT64_MAX, "limit -1 reads as unlimited");
	is_int(st.pids_current, 2, "pids.current");
	ok(st.pids_limit == UINT64_MAX, "pids.max max reads as unlimited");
	is_int(st.cpu_usage_ns, 123456, "cpuacct.usage");
	is_int(st.cpu_user_ns, 2 * tick, "user ticks -> ns");
	is_int(st.cpu_system_ns, 3 * tick, "system ticks -> ns");
	is_int(st.cpu_periods, 5, "nr_periods");
	is_int(st.cpu_throttled_periods, 1, "nr_throttled");
	is_int(st.cpu_throttled_ns, 777, "throttled_time");
	ok(st.cpu_percpu.n == 2 && st.cpu_percpu.v[1] == 20, "usage_percpu");
	ok(st.cpu_percpu_user.n == 2 && st.cpu_percpu_user.v[1] == 14 &&
		   st.cpu_percpu_kernel.n == 2 && st.cpu_percpu_kernel.v[0] == 6,
	   "usage_all: user and system columns per cpu");
	ok(st.n_mem_raw == 3 && strcmp(st.mem_raw[0].key, "active_anon") == 0 &&
		   strcmp(st.mem_raw[2].key, "rss") == 0,
	   "memory.stat sorted by key");
	is_int(st.mem_cache, 9, "cache from memory.stat");
	ok(st.cpuset_cpus.n == 4 && st.cpuset_cpus.v[3] == 5, "cpuset.cpus 0-2,5 expanded");
	is_int(st.cpuset_flags[CG_CPUSET_SCHED_LOAD_BALANCE], 1, "sched_load_balance");
	is_int(st.cpuset_relax_domain_level, -1, "sched_relax_domain_level -1");
	ok(st.blkio[CG_BLKIO_SERVICE_BYTES].n == 3 &&
		   st.blkio[CG_BLKIO_SERVICE_BYTES].e[2].minor == 16 &&
		   strcmp(st.blkio[CG_BLKIO_SERVICE_BYTES].e[0].op, "Read") == 0,
	   "blkio: device lines kept, the Total line left out");
	is_int(st.blkio[CG_BLKIO_SERVICED].n, 1, "blkio: the group's other file too");
	cgroup_stats_free(&st);

	/* The state string rebuilds the manager in a "later process". */
	char *ser = NULL, *ser2 = NULL;
	is_int(cgroup_serialize(m, &ser), 0, "serialize");
	ok(ser && !strchr(ser, '\n'), "one line");
	struct cgroup_mgr *l = NULL;
	r = cgroup_load(root1, ser ? ser : "", &l, &err);
	is_int(r, 0, "load: %s", err.msg);
	if (l) {
		is_str(cgroup_path(l), "/strait/c1", "loaded path");
		is_int(cgroup_version(l), 1, "loaded version");
		cgroup_serialize(l, &ser2);
		is_str(ser2, ser, "serialize(load(s)) == s");
		is_int(cgroup_is_frozen(l), 0, "loaded manager reads the freezer");
		r = cgroup_destroy(l, &err);
		is_int(r, 0, "destroy from the loaded manager: %s", err.msg);
		cgroup_free(l);
	}
	/* The default parent is the runtime's own: a container that existed leaves it. */
	for (size_t i = 0; i < ARRAY_SIZE(v1_dirs); i++) {
		ok(!ex("%s/%s/strait/c1", root1, v1_dirs[i]) && ex("%s/%s/strait", root1, v1_dirs[i]),
		   "%s/strait/c1 removed, %s/strait kept", v1_dirs[i], v1_dirs[i]);
		char q[4096];
		vpath(q, "%s/%s/strait", root1, v1_dirs[i]);
		rm_rf(q);
	}
	ok(ex("%s/cpuset/cpuset.cpus", root1), "hierarchy files untouched");
	free(ser);
	free(ser2);
	r = cgroup_destroy(m, &err);
	is_int(r, 0, "second destroy is a no-op: %s", err.msg);
	cgroup_free(m);
}

static void
expect_apply_error(const struct spec_resources *res, const char *want, const char *what)
{
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create(root1, NULL, "e1", false, &r, &err);
	if (!m) {
		ok(0, "%s: create failed: %s", what, err.msg);
		return;
	}
	memset(&err, 0, sizeof(err));
	r = cgroup_apply(m, res, &err);
	ok(r < 0, "%s fails", what);
	has_str(err.msg, want, "%s: message", what);
	cgroup_destroy(m, NULL);
	cgroup_free(m);
}

static void
test_v1_errors(void)
{
	char want[512];
	struct spec_resources swap_low = { .present = true, .has_mem_limit = true, .mem_limit = 2000,
					   .has_mem_swap = true, .mem_swap = 1000 };
	expect_apply_error(&swap_low, "linux.resources.memory.swap: 1000 is below memory.limit 2000",
			   "swap below limit");
	struct spec_resources rt = { .present = true, .has_cpu_rt_runtime = true, .cpu_rt_runtime = 5 };
	expect_apply_error(&rt, "linux.resources.cpu.realtimeRuntime", "rt without the file");
	char *uni[] = { "memory.high", "1000", NULL };
	struct spec_resources u = { .present = true, .unified = uni };
	expect_apply_error(&u, "linux.resources.unified: \"memory.high\" needs cgroup v2", "unified on v1");
	struct spec_resources sw = { .present = true, .has_mem_swappiness = true, .mem_swappiness = 101 };
	expect_apply_error(&sw, "swappiness: 101 is out of range", "swappiness 101");

	/* Swap asked without memsw files. */
	char p[4096];
	vpath(p, "%s/memory/memory.memsw.limit_in_bytes", root1);
	remove(p);
	struct spec_resources swap = { .present = true, .has_mem_limit = true, .mem_limit = 1000,
				       .has_mem_swap = true, .mem_swap = 2000 };
	expect_apply_error(&swap, "linux.resources.memory.swap: 2000 needs swap accounting",
			   "swap without memsw");
	wr("9223372036854771712", "%s", p);

	/* blkio with neither weight file. */
	vpath(p, "%s/blkio/blkio.bfq.weight", root1);
	remove(p);
	struct spec_resources bw = { .present = true, .has_blkio_weight = true, .blkio_weight = 100 };
	expect_apply_error(&bw, "linux.resources.blockIO.weight: neither blkio.weight nor "
				"blkio.bfq.weight", "blkio weight unsupported");
	wr("100", "%s", p);

	/* A controller that is not mounted at all. */
	char saved[4096];
	vpath(p, "%s/pids", root1);
	vpath(saved, "%s/.pids-away", root1);
	rename(p, saved);
	struct spec_resources pl = { .present = true, .has_pids_limit = true, .pids_limit = 5 };
	expect_apply_error(&pl, "linux.resources.pids.limit: the pids cgroup controller is not mounted",
			   "pids not mounted");
	rename(saved, p);

	/* A write error names the value and the file. */
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create(root1, NULL, "e2", false, &r, &err);
	if (m) {
		mk("%s/memory/strait/e2/memory.limit_in_bytes", root1);
		struct spec_resources ml = { .present = true, .has_mem_limit = true, .mem_limit = 1000 };
		r = cgroup_apply(m, &ml, &err);
		snprintf(want, sizeof(want),
			 "cgroup: write 1000 to %s/memory/strait/e2/memory.limit_in_bytes: Is a directory",
			 root1);
		is_str(err.msg, want, "write error names value and file");
		is_int(r, -EISDIR, "write error code");
		vpath(p, "%s/memory/strait/e2/memory.limit_in_bytes", root1);
		rmdir(p);
		cgroup_destroy(m, NULL);
		cgroup_free(m);
	}
}

static void
expect_path_error(const char *path, bool systemd, const char *want, const char *what)
{
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create(root1, path, path || systemd ? "pe" : "a/b", systemd, &r, &err);
	ok(r < 0 && !m, "%s refused", what);
	has_str(err.msg, want, "%s: message", what);
	is_int(count_subdirs("%s/memory", root1), 0, "%s: nothing created", what);
	cgroup_free(m);
}

static void
test_paths(void)
{
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create(root1, "//a/./b/", "x", false, &r, &err);
	is_int(r, 0, "absolute path: %s", err.msg);
	if (m) {
		is_str(cgroup_path(m), "/a/b", "normalized absolute path");
		ok(ex("%s/memory/a/b", root1) && ex("%s/unified/a/b", root1), "used below each hierarchy");
		cgroup_destroy(m, NULL);
		ok(!ex("%s/memory/a", root1), "created parents removed");
		cgroup_free(m);
	}

	/* Relative: below the runtime's own cgroup in each hierarchy (runc's cgroupfs rule). */
	m = create(root1, "rel/x", "x", false, &r, &err);
	is_int(r, 0, "relative path: %s", err.msg);
	if (m) {
		char own[1024], want[2048];
		own_path("pids", own, sizeof(own));
		snprintf(want, sizeof(want), "%s/rel/x", strcmp(own, "/") ? own : "");
		is_str(cgroup_path(m), want, "relative to our own pids cgroup");
		own_path("memory", own, sizeof(own));
		ok(ex("%s/memory%s/rel/x", root1, strcmp(own, "/") ? own : ""),
		   "relative to our own memory cgroup (%s)", own);
		own_path("", own, sizeof(own));
		ok(ex("%s/unified%s/rel/x", root1, strcmp(own, "/") ? own : ""),
		   "relative to our own unified cgroup (%s)", own);
		cgroup_destroy(m, NULL);
		is_int(count_subdirs("%s/memory", root1), 0, "relative dirs removed");
		cgroup_free(m);
	}

	expect_path_error("/a/../b", false, "linux.cgroupsPath: \"/a/../b\" must not contain \"..\"",
			  "dotdot");
	expect_path_error("../b", false, "must not contain \"..\"", "leading dotdot");
	expect_path_error("/", false, "\"/\" names the root cgroup", "root cgroup");
	expect_path_error("/a\nb", false, "control character", "newline");
	expect_path_error("system.slice:strait:abc", false,
			  "linux.cgroupsPath: \"system.slice:strait:abc\" is the systemd form "
			  "slice:prefix:name; it needs --systemd-cgroup", "colon form without systemd");
	bool sd = access("/run/systemd/system", F_OK) == 0;
	expect_path_error("system.slice:strait:abc", true,
			  sd ? "strait has no systemd cgroup driver" : "needs systemd, and no systemd is running",
			  "systemd form refused");
	expect_path_error("machine.slice:pfx:abc", true, "unit \"pfx-abc.scope\"", "systemd parse");
	expect_path_error(NULL, true, "\"system.slice:strait:pe\"", "systemd default path");
	expect_path_error("/abs/path", true, "is not of the form slice:prefix:name", "systemd + cgroupfs path");
	expect_path_error("bad:pfx:abc", true, "the slice must end in \".slice\"", "bad slice");
	expect_path_error("a.slice:pfx:", true, "the name must be set", "empty name");
	expect_path_error(NULL, false, "invalid container id", "bad id");
}

static void
test_failed_create(void)
{
	struct lc_err err;
	int r;
	/* memory/strait exists already (not ours); pids/strait is a file: mkdir fails in
	 * pids after blkio..memory were made. */
	mk("%s/memory/strait", root1);
	wr("", "%s/pids/strait", root1);
	struct cgroup_mgr *m = create(root1, NULL, "f1", false, &r, &err);
	ok(r < 0 && !m, "create fails on a file in the way");
	char want[512];
	snprintf(want, sizeof(want), "cgroup: create %s/pids/strait: Not a directory", root1);
	is_str(err.msg, want, "message names the path");
	ok(!ex("%s/blkio/strait", root1) && !ex("%s/cpu/strait", root1) &&
		   !ex("%s/freezer/strait", root1),
	   "directories created before the failure are gone");
	ok(!ex("%s/cpuset/strait", root1), "cpuset parent with copied files is gone");
	ok(ex("%s/memory/strait", root1) && !ex("%s/memory/strait/f1", root1),
	   "pre-existing parent kept, our child removed");
	ok(ex("%s/pids/strait", root1), "the file in the way is untouched");
	ok(!ex("%s/unified/strait", root1), "nothing in unified");
	char p[4096];
	vpath(p, "%s/pids/strait", root1);
	remove(p);
	vpath(p, "%s/memory/strait", root1);
	rmdir(p);
	cgroup_free(m);

	/* Two containers share /strait: the first destroy keeps it for the second. */
	struct cgroup_mgr *a = create(root1, NULL, "sa", false, &r, &err);
	struct cgroup_mgr *b = create(root1, NULL, "sb", false, &r, &err);
	if (a && b) {
		is_int(cgroup_destroy(a, &err), 0, "destroy a: %s", err.msg);
		ok(ex("%s/memory/strait/sb", root1), "b untouched by a's destroy");
		is_int(cgroup_destroy(b, &err), 0, "destroy b: %s", err.msg);
		ok(!ex("%s/memory/strait/sb", root1), "b removed");
	}
	cgroup_free(a);
	cgroup_free(b);
	/* /strait was a's: after b's destroy nobody removes it; clean up for later tests. */
	for (size_t i = 0; i < ARRAY_SIZE(v1_dirs); i++) {
		char q[4096];
		vpath(q, "%s/%s/strait", root1, v1_dirs[i]);
		rm_rf(q);
	}
}

static void
test_load_errors(void)
{
	struct lc_err err = { 0 };
	struct cgroup_mgr *m = NULL;
	char s[4096];
	snprintf(s, sizeof(s), "v1 memory:/etc:/x:1");
	ok(cgroup_load(root1, s, &m, &err) < 0 && !m, "state outside root refused");
	has_str(err.msg, "bad hierarchy", "message");
	snprintf(s, sizeof(s), "v1 memory:%s/memory:/a/../../x:1", root1);
	ok(cgroup_load(root1, s, &m, &err) < 0, "dotdot in state refused");
	snprintf(s, sizeof(s), "v1 memory:%s/memory:/a:5", root1);
	ok(cgroup_load(root1, s, &m, &err) < 0, "created count beyond the path refused");
	ok(cgroup_load(root1, "v9 x", &m, &err) < 0, "unknown version refused");
	snprintf(s, sizeof(s), "v1 name%%3Dsys%%20x:%s/memory:/a%%3Ab:1", root1);
	ok(cgroup_load(root1, s, &m, &err) == 0, "escaped fields load: %s", err.msg);
	if (m) {
		is_str(cgroup_path(m), "/a:b", "decoded path");
		char *out = NULL;
		cgroup_serialize(m, &out);
		snprintf(s, sizeof(s), "v1 name=sys%%20x:%s/memory:/a%%3Ab:1", root1);
		is_str(out, s, "re-encoded");
		free(out);
		struct cgroup_stats st;
		ok(cgroup_stats(m, &st, &err) < 0, "stats on a missing cgroup fail");
		cgroup_free(m);
	}
}

static void
test_v2(void)
{
	struct lc_err err;
	int r;
	make_v2_root("cpuset cpu io memory pids");
	struct cgroup_mgr *m = create(root2, NULL, "c2", false, &r, &err);
	is_int(r, 0, "v2 create: %s", err.msg);
	if (!m)
		return;
	is_int(cgroup_version(m), 2, "cgroup.controllers at the root means v2");
	is_str(cgroup_path(m), "/strait/c2", "v2 path");
	is_str(rd("%s/cgroup.subtree_control", root2), "+cpuset +cpu +io +memory +pids",
	       "root delegates every controller");
	is_str(rd("%s/strait/cgroup.subtree_control", root2), "+cpuset +cpu +io +memory +pids",
	       "parent delegates every controller");
	ok(!ex("%s/strait/c2/cgroup.subtree_control", root2), "leaf keeps its controllers");
	{
		/* split: the parents delegate before the clone (the new cgroup still empty) */
		struct cgroup_mgr *sm = create_split(root2, "/split/a", "s", &r, &err);
		is_int(r, 0, "v2 split create: %s", err.msg);
		is_str(rd("%s/split/cgroup.subtree_control", root2), "+cpuset +cpu +io +memory +pids",
		       "v2 split: the parent delegates before the rest");
		if (sm) {
			is_int(cgroup_create_rest(sm, &err), 0, "v2 split rest: %s", err.msg);
			cgroup_destroy(sm, NULL);
			ok(!ex("%s/split", root2), "v2 split: removed");
			cgroup_free(sm);
		}
	}

	struct spec_device_cgroup devs[] = { { false, 'a', -1, -1, "rwm" },
					     { true, 'c', 1, 3, "rw" },
					     { true, 'c', 136, 4, "" } };
	char *uni[] = { "memory.high", "900000", NULL };
	struct spec_resources res = {
		.present = true,
		.has_mem_limit = true, .mem_limit = 1000000,
		.has_mem_reservation = true, .mem_reservation = 400000,
		.has_mem_swap = true, .mem_swap = 3000000,
		.has_pids_limit = true, .pids_limit = -1,
		.has_cpu_shares = true, .cpu_shares = 1024,
		.has_cpu_quota = true, .cpu_quota = 50000,
		.has_cpu_period = true, .cpu_period = 100000,
		.cpu_cpus = "0-1", .cpu_mems = "0",
		.has_blkio_weight = true, .blkio_weight = 500,
		.devices = devs, .n_devices = ARRAY_SIZE(devs),
		.unified = uni,
	};
	r = cgroup_apply(m, &res, &err);
	is_int(r, 0, "v2 apply: %s", err.msg);
	const char *d = "strait/c2";
	is_str(rd("%s/%s/memory.max", root2, d), "1000000", "memory.max");
	is_str(rd("%s/%s/memory.low", root2, d), "400000", "memory.low");
	is_str(rd("%s/%s/memory.swap.max", root2, d), "2000000", "swap.max = swap - limit");
	is_str(rd("%s/%s/pids.max", root2, d), "max", "pids.max");
	is_str(rd("%s/%s/cpu.weight", root2, d), "39", "shares 1024 -> weight 39");
	is_str(rd("%s/%s/cpu.max", root2, d), "50000 100000", "cpu.max");
	is_str(rd("%s/%s/cpuset.cpus", root2, d), "0-1", "cpuset.cpus");
	is_str(rd("%s/%s/io.weight", root2, d), "4950", "blkio 500 -> io.weight 4950");
	is_str(rd("%s/%s/memory.high", root2, d), "900000", "unified written verbatim");

	struct spec_resources q = { .present = true, .has_cpu_period = true, .cpu_period = 20000,
				    .has_cpu_quota = true, .cpu_quota = -1,
				    .has_cpu_shares = true, .cpu_shares = 2 };
	r = cgroup_apply(m, &q, &err);
	is_int(r, 0, "v2 update: %s", err.msg);
	is_str(rd("%s/%s/cpu.max", root2, d), "max 20000", "unlimited quota");
	is_str(rd("%s/%s/cpu.weight", root2, d), "1", "shares 2 -> weight 1");
	q = (struct spec_resources){ .present = true, .has_cpu_shares = true, .cpu_shares = 262144 };
	cgroup_apply(m, &q, &err);
	is_str(rd("%s/%s/cpu.weight", root2, d), "10000", "shares 262144 -> weight 10000");

	struct spec_resources bad[] = {
		{ .present = true, .has_cpu_shares = true, .cpu_shares = 1 },
		{ .present = true, .has_mem_swap = true, .mem_swap = 5000 },
		{ .present = true, .has_cpu_rt_runtime = true, .cpu_rt_runtime = 10 },
		{ .present = true, .unified = (char *[]){ "../x", "1", NULL } },
		{ .present = true, .unified = (char *[]){ "hugetlb.2MB.max", "1", NULL } },
	};
	const char *bad_msg[] = {
		"linux.resources.cpu.shares: 1 is out of range 2-262144",
		"linux.resources.memory.swap: 5000 needs memory.limit set",
		"real-time group scheduling is not available on cgroup v2",
		"linux.resources.unified: key \"../x\" must be a file name",
		"linux.resources.unified.hugetlb.2MB.max: the hugetlb controller is not available",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&err, 0, sizeof(err));
		ok(cgroup_apply(m, &bad[i], &err) < 0, "v2 bad resource %zu refused", i);
		has_str(err.msg, bad_msg[i], "v2 bad resource %zu message", i);
	}

	r = cgroup_add_pid(m, 777, &err);
	is_str(rd("%s/%s/cgroup.procs", root2, d), "777", "v2 add pid");

	wr("populated 1\nfrozen 1\n", "%s/%s/cgroup.events", root2, d);
	is_int(cgroup_freeze(m, true, &err), 0, "v2 freeze: %s", err.msg);
	is_str(rd("%s/%s/cgroup.freeze", root2, d), "1", "cgroup.freeze 1");
	is_int(cgroup_is_frozen(m), 1, "v2 frozen from cgroup.events");
	wr("populated 1\nfrozen 0\n", "%s/%s/cgroup.events", root2, d);
	is_int(cgroup_freeze(m, false, &err), 0, "v2 thaw: %s", err.msg);
	is_str(rd("%s/%s/cgroup.freeze", root2, d), "0", "cgroup.freeze 0");
	/* events never say frozen: give up after 2 s and thaw back. */
	r = cgroup_freeze(m, true, &err);
	ok(r < 0, "freeze that never settles fails");
	has_str(err.msg, "did not settle", "timeout message");
	is_str(rd("%s/%s/cgroup.freeze", root2, d), "0", "thawed back after the timeout");

	wr("100\n", "%s/%s/memory.current", root2, d);
	wr("max\n", "%s/%s/memory.max", root2, d);
	wr("10\n", "%s/%s/memory.swap.current", root2, d);
	wr("50\n", "%s/%s/memory.swap.max", root2, d);
	wr("low 0\nhigh 0\nmax 4\noom 1\n", "%s/%s/memory.events", root2, d);
	wr("usage_usec 5\nuser_usec 3\nsystem_usec 2\nnr_periods 9\nnr_throttled 4\nthrottled_usec 6\n",
	   "%s/%s/cpu.stat", root2, d);
	struct cgroup_stats st;
	is_int(cgroup_stats(m, &st, &err), 0, "v2 stats: %s", err.msg);
	is_int(st.mem.usage, 100, "memory.current");
	ok(st.mem.limit == UINT64_MAX, "memory.max max");
	is_int(st.mem.failcnt, 4, "memory.events max");
	is_int(st.swap.usage, 110, "swap usage reported as memory+swap");
	ok(st.swap.limit == UINT64_MAX, "swap limit saturates");
	is_int(st.cpu_usage_ns, 5000, "usage_usec -> ns");
	is_int(st.cpu_user_ns, 3000, "user_usec -> ns");
	is_int(st.cpu_system_ns, 2000, "system_usec -> ns");
	is_int(st.cpu_throttled_ns, 6000, "throttled_usec -> ns");
	is_int(st.cpu_periods, 9, "nr_periods");
	is_int(st.cpu_throttled_periods, 4, "nr_throttled");
	cgroup_stats_free(&st);

	char *ser = NULL;
	cgroup_serialize(m, &ser);
	struct cgroup_mgr *l = NULL;
	r = cgroup_load(root2, ser ? ser : "", &l, &err);
	is_int(r, 0, "v2 load: %s", err.msg);
	if (l) {
		is_int(cgroup_version(l), 2, "loaded v2");
		struct spec_resources dv = { .present = true, .devices = devs + 1, .n_devices = 1 };
		is_int(cgroup_apply(l, &dv, &err), 0, "update ignores devices");
		is_int(cgroup_destroy(l, &err), 0, "v2 destroy: %s", err.msg);
		cgroup_free(l);
	}
	free(ser);
	ok(!ex("%s/strait/c2", root2) && ex("%s/strait", root2),
	   "v2: the container's dir removed, the runtime's own parent kept");
	ok(ex("%s/cgroup.controllers", root2), "root untouched");
	char q2[4096];
	vpath(q2, "%s/strait", root2);
	rm_rf(q2);
	cgroup_free(m);

	/* Device rules beyond the default set are refused on v2. */
	m = create(root2, NULL, "c3", false, &r, &err);
	if (m) {
		struct spec_device_cgroup fuse[] = { { true, 'c', 10, 229, "rwm" } };
		struct spec_resources fr = { .present = true, .devices = fuse, .n_devices = 1 };
		ok(cgroup_apply(m, &fr, &err) < 0, "non-default device on v2 refused");
		has_str(err.msg, "linux.resources.devices[0]: allow \"c 10:229 rwm\" needs eBPF",
			"v2 device message");
		cgroup_destroy(m, NULL);
		cgroup_free(m);
	}
	rm_rf(root2);

	/* A controller not delegated, and swap without swap accounting. */
	make_v2_root("cpu memory");
	char p[4096];
	vpath(p, "%s/memory.swap.max", root2);
	remove(p);
	m = create(root2, "/k8s/pod", "c4", false, &r, &err);
	is_int(r, 0, "v2 create with a path: %s", err.msg);
	if (m) {
		is_str(rd("%s/cgroup.subtree_control", root2), "+cpu +memory", "only what exists");
		struct spec_resources pl = { .present = true, .has_pids_limit = true, .pids_limit = 3 };
		ok(cgroup_apply(m, &pl, &err) < 0, "pids without the controller");
		has_str(err.msg, "linux.resources.pids.limit: the pids controller is not available in",
			"names the resource");
		struct spec_resources sw = { .present = true, .has_mem_limit = true, .mem_limit = 10,
					     .has_mem_swap = true, .mem_swap = 20 };
		ok(cgroup_apply(m, &sw, &err) < 0, "swap without memory.swap.max");
		has_str(err.msg, "memory.swap.max does not exist", "swap message");
		cgroup_destroy(m, NULL);
		ok(!ex("%s/k8s", root2), "absolute path parents removed");
		cgroup_free(m);
	}
	rm_rf(root2);
}

/* ---- the real hybrid host ---- */

/* Its hierarchies, as mounted under /sys/fs/cgroup. */
static const char *const real_names[] = { "cpu", "cpuacct", "cpuset", "memory", "devices",
					  "freezer", "blkio", "pids", "systemd", "unified" };

static bool
real_hybrid(void)
{
	return getuid() == 0 && access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0 &&
	       access("/sys/fs/cgroup/cgroup.controllers", F_OK) != 0;
}

static void
test_real(void)
{
	if (!real_hybrid()) {
		printf("ok %d # SKIP needs root on a hybrid cgroup v1 host\n", ++tap_n);
		return;
	}
	char id[64], dir[256];
	snprintf(id, sizeof(id), "strait-unit-%d", (int)getpid());
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create("/sys/fs/cgroup", NULL, id, false, &r, &err);
	is_int(r, 0, "real create: %s", err.msg);
	if (!m)
		return;
	char *ser = NULL;
	cgroup_serialize(m, &ser);
	has_str(ser, "cpuacct:/sys/fs/cgroup/cpuacct:", "mountinfo found cpuacct apart");
	has_str(ser, "name=systemd:/sys/fs/cgroup/systemd:", "and name=systemd");
	has_str(ser, " :/sys/fs/cgroup/unified:/strait/", "and the unified mount");
	free(ser);
	ok(ex("/sys/fs/cgroup/memory/strait/%s", id) && ex("/sys/fs/cgroup/unified/strait/%s", id),
	   "real dirs exist");

	bool memsw = ex("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
	/* Without CFQ or BFQ (this kernel's blk-mq default) blkio has no weight file: a
	 * weight must then be an error, never silently dropped. BFQ's file exists only
	 * below the root, so the container's own directory tells. */
	bool bw = ex("/sys/fs/cgroup/blkio/strait/%s/blkio.weight", id) ||
		  ex("/sys/fs/cgroup/blkio/strait/%s/blkio.bfq.weight", id);
	if (!bw) {
		struct spec_resources w = { .present = true, .has_blkio_weight = true, .blkio_weight = 200 };
		is_int(cgroup_apply(m, &w, &err), -EOPNOTSUPP, "real apply of an unsupported blkio weight fails");
		has_str(err.msg, "linux.resources.blockIO.weight: neither blkio.weight nor", "and names the field");
	}
	struct spec_device_cgroup devs[] = { { false, 'a', -1, -1, "rwm" },
					     { true, 'c', 10, 229, "rwm" } };
	struct spec_resources res = { .present = true,
				      .has_mem_limit = true, .mem_limit = 64 << 20,
				      .has_mem_swap = memsw, .mem_swap = 128 << 20,
				      .has_pids_limit = true, .pids_limit = 16,
				      .has_cpu_shares = true, .cpu_shares = 256,
				      .has_blkio_weight = bw, .blkio_weight = 200,
				      .devices = devs, .n_devices = 2 };
	r = cgroup_apply(m, &res, &err);
	is_int(r, 0, "real apply: %s", err.msg);
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/memory/strait/%s", id);
	is_str(rd("%s/memory.limit_in_bytes", dir), "67108864", "real memory limit");
	is_str(rd("/sys/fs/cgroup/pids/strait/%s/pids.max", id), "16", "real pids.max");
	const char *list = rd("/sys/fs/cgroup/devices/strait/%s/devices.list", id);
	has_str(list, "c 10:229 rwm", "spec device allowed");
	has_str(list, "c 1:3 rwm", "default /dev/null allowed");
	ok(list && !strstr(list, "a *:* rwm"), "not everything allowed");

	if (memsw) {
		/* Lowering both needs limit first, raising needs memsw first. */
		struct spec_resources low = { .present = true, .has_mem_limit = true, .mem_limit = 32 << 20,
					      .has_mem_swap = true, .mem_swap = 48 << 20 };
		is_int(cgroup_apply(m, &low, &err), 0, "lower limit and swap: %s", err.msg);
		struct spec_resources high = { .present = true, .has_mem_limit = true,
					       .mem_limit = 256 << 20, .has_mem_swap = true,
					       .mem_swap = 512LL << 20 };
		is_int(cgroup_apply(m, &high, &err), 0, "raise limit and swap: %s", err.msg);
		is_str(rd("%s/memory.memsw.limit_in_bytes", dir), "536870912", "real memsw");
	}

	pid_t child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	r = cgroup_add_pid(m, child, &err);
	is_int(r, 0, "real add pid: %s", err.msg);
	char want[256];
	const char *pc = rd("/proc/%d/cgroup", (int)child);
	snprintf(want, sizeof(want), ":memory:/strait/%s\n", id);
	has_str(pc, want, "child in the memory cgroup");
	snprintf(want, sizeof(want), "0::/strait/%s", id);
	has_str(pc, want, "child in the unified cgroup");
	pid_t *pids = NULL;
	size_t n = 0;
	r = cgroup_pids(m, &pids, &n, &err);
	ok(r == 0 && n == 1 && pids[0] == child, "cgroup_pids finds the child (%zu)", n);
	free(pids);

	is_int(cgroup_freeze(m, true, &err), 0, "real freeze: %s", err.msg);
	is_int(cgroup_is_frozen(m), 1, "real frozen");
	is_str(rd("/sys/fs/cgroup/freezer/strait/%s/freezer.state", id), "FROZEN", "freezer.state");
	is_int(cgroup_freeze(m, false, &err), 0, "real thaw: %s", err.msg);
	is_int(cgroup_is_frozen(m), 0, "real thawed");

	struct cgroup_stats st;
	is_int(cgroup_stats(m, &st, &err), 0, "real stats: %s", err.msg);
	is_int(st.pids_current, 1, "real pids.current");
	is_int(st.pids_limit, 16, "real pids limit");
	ok(st.mem.limit == (memsw ? 256u << 20 : 64u << 20), "real memory limit in stats");
	ok(st.n_mem_raw > 0 && st.cpu_percpu.n > 0, "real memory.stat and per-cpu usage");
	cgroup_stats_free(&st);

	/* destroy only rmdirs: with the child alive it must fail with EBUSY. */
	r = cgroup_destroy(m, &err);
	ok(r == -EBUSY, "destroy with a live task fails: %s", err.msg);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	r = cgroup_destroy(m, &err);
	is_int(r, 0, "destroy after the kill: %s", err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(real_names); i++)
		ok(!ex("/sys/fs/cgroup/%s/strait/%s", real_names[i], id), "real %s dir gone", real_names[i]);
	cgroup_free(m);
}

/* The split create on the real host: only cgroup2's directory before the rest; the rest
 * makes the v1 ones, whose tasks files a new process then joins itself. */
static void
test_real_split(void)
{
	if (!real_hybrid()) {
		printf("ok %d # SKIP needs root on a hybrid cgroup v1 host\n", ++tap_n);
		return;
	}
	char path[128], bad[160];
	snprintf(path, sizeof(path), "/strait-unit-split-%d/c", (int)getpid());
	struct lc_err err;
	int r;
	struct cgroup_mgr *m = create_split("/sys/fs/cgroup", path, "x", &r, &err);
	is_int(r, 0, "split create: %s", err.msg);
	if (!m)
		return;
	ok(ex("/sys/fs/cgroup/unified%s", path), "split: cgroup2's directory made");
	ok(!ex("/sys/fs/cgroup/memory%s", path) && !ex("/sys/fs/cgroup/cpuset%s", path),
	   "split: no v1 directory yet");
	struct cgroup_self_attach a;
	is_int(cgroup_self_attach_open(m, NULL, &a, &err), 0, "split: open before the rest: %s", err.msg);
	ok(a.n_tasks == 0 && a.v2_dirfd >= 0, "split: only the cgroup2 directory is opened");
	cgroup_self_attach_close(&a);
	is_int(cgroup_create_rest(m, &err), 0, "split: rest: %s", err.msg);
	ok(ex("/sys/fs/cgroup/memory%s", path) && ex("/sys/fs/cgroup/freezer%s", path),
	   "split: the rest made the v1 directories");
	const char *cpus = rd("/sys/fs/cgroup/cpuset%s/cpuset.cpus", path);
	ok(cpus && *cpus, "split: the rest copied the parents' cpuset (%s)", cpus ? cpus : "-");
	is_int(cgroup_self_attach_open(m, NULL, &a, &err), 0, "split: open after the rest: %s", err.msg);
	ok(a.n_tasks >= 9, "split: a tasks file per v1 hierarchy (%zu)", a.n_tasks);
	closep(&a.v2_dirfd);
	pid_t child = fork();
	if (child == 0) {
		struct lc_err e = { 0 };
		if (cgroup_self_attach(&a, &e) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	cgroup_self_attach_close(&a);
	char want[256];
	for (int i = 0; i < 100; i++) {
		const char *pc = rd("/proc/%d/cgroup", (int)child);
		snprintf(want, sizeof(want), ":memory:%s\n", path);
		if (pc && strstr(pc, want))
			break;
		usleep(10000);
	}
	has_str(rd("/proc/%d/cgroup", (int)child), want, "split: the process joined its memory cgroup itself");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	is_int(cgroup_destroy(m, &err), 0, "split: destroy: %s", err.msg);
	snprintf(want, sizeof(want), "/strait-unit-split-%d", (int)getpid());
	ok(!ex("/sys/fs/cgroup/unified%s", want) && !ex("/sys/fs/cgroup/memory%s", want),
	   "split: every level removed");
	cgroup_free(m);

	/* "tasks" is a file in a v1 cgroup, not in cgroup2: the rest fails after cgroup2's
	 * directory was made, and names the config's path; nothing stays. */
	snprintf(bad, sizeof(bad), "%s/tasks", path);
	m = create_split("/sys/fs/cgroup", bad, "x", &r, &err);
	is_int(r, 0, "split create through a tasks file: %s", err.msg);
	if (!m)
		return;
	ok(cgroup_create_rest(m, &err) == -ENOTDIR, "split: the rest fails on the tasks file");
	snprintf(want, sizeof(want), "config.json: linux.cgroupsPath: \"%s\": create /sys/fs/cgroup/", bad);
	has_str(err.msg, want, "split: the error names cgroupsPath");
	cgroup_destroy(m, NULL);
	cgroup_free(m);
	snprintf(want, sizeof(want), "/strait-unit-split-%d", (int)getpid());
	for (size_t i = 0; i < ARRAY_SIZE(real_names); i++)
		ok(!ex("/sys/fs/cgroup/%s%s", real_names[i], want), "split failure: nothing left in %s", real_names[i]);
}

/* blockIO beyond weight, hugepageLimits, network and rdma on v1: refused with the field
 * and the controller when it is not mounted, before anything is written; written to
 * the right files when the fake kernel has them. */
static void
test_v1_io(void)
{
	struct lc_err err;
	int r;
	struct spec_hugepage_limit hp[] = { { "2MB", 1 << 21 } };
	struct spec_net_priority prio[] = { { "eth0", 5 } };
	struct spec_rdma rdma[] = { { "mlx5_1", true, true, 3, 10000 } };
	struct spec_blkio_rate rbps[] = { { 8, 0, 1048576 } }, wiops[] = { { 8, 16, 300 } };
	struct spec_blkio_weight_dev wd[] = { { 8, 0, true, false, 700, 0 } };
	struct spec_resources want[] = {
		{ .present = true, .has_pids_limit = true, .pids_limit = 7, .hugepages = hp, .n_hugepages = 1 },
		{ .present = true, .has_pids_limit = true, .pids_limit = 7, .has_net_classid = true, .net_classid = 0x100001 },
		{ .present = true, .has_pids_limit = true, .pids_limit = 7, .net_priorities = prio, .n_net_priorities = 1 },
		{ .present = true, .has_pids_limit = true, .pids_limit = 7, .rdma = rdma, .n_rdma = 1 },
		{ .present = true, .has_pids_limit = true, .pids_limit = 7, .has_blkio_leaf_weight = true, .blkio_leaf_weight = 10 },
	};
	const char *msg[] = {
		"linux.resources.hugepageLimits: the hugetlb cgroup controller is not mounted",
		"linux.resources.network.classID: the net_cls cgroup controller is not mounted",
		"linux.resources.network.priorities: the net_prio cgroup controller is not mounted",
		"linux.resources.rdma: the rdma cgroup controller is not mounted",
		"linux.resources.blockIO.leafWeight: blkio.leaf_weight does not exist in",
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct cgroup_mgr *m = create(root1, NULL, "io1", false, &r, &err);
		if (!m)
			continue;
		memset(&err, 0, sizeof(err));
		is_int(cgroup_apply(m, &want[i], &err), -ENOTSUP, "v1 io %zu refused", i);
		has_str(err.msg, msg[i], "v1 io %zu: names the field and what is missing", i);
		ok(!ex("%s/pids/strait/io1/pids.max", root1), "v1 io %zu: nothing written first", i);
		cgroup_destroy(m, NULL);
		cgroup_free(m);
	}
	struct spec_resources zero = { .present = true, .has_net_classid = true, .net_classid = 0 };
	struct cgroup_mgr *m = create(root1, NULL, "io2", false, &r, &err);
	if (m) {
		is_int(cgroup_apply(m, &zero, &err), 0, "classID 0 is unset, as runc reads it");
		cgroup_destroy(m, NULL);
		cgroup_free(m);
	}

	/* The fake kernel grows the controllers and files. */
	static const char *const extra[] = { "hugetlb", "net_cls", "net_prio", "rdma" };
	for (size_t i = 0; i < ARRAY_SIZE(extra); i++)
		mk("%s/%s", root1, extra[i]);
	wr("0", "%s/hugetlb/hugetlb.2MB.limit_in_bytes", root1);
	wr("0", "%s/net_cls/net_cls.classid", root1);
	wr("", "%s/net_prio/net_prio.ifpriomap", root1);
	wr("", "%s/rdma/rdma.max", root1);
	wr("", "%s/blkio/blkio.throttle.read_bps_device", root1);
	wr("", "%s/blkio/blkio.throttle.write_iops_device", root1);
	wr("", "%s/blkio/blkio.bfq.weight_device", root1);
	struct spec_resources all = {
		.present = true, .hugepages = hp, .n_hugepages = 1,
		.has_net_classid = true, .net_classid = 0x100001,
		.net_priorities = prio, .n_net_priorities = 1, .rdma = rdma, .n_rdma = 1,
		.blkio_weight_devs = wd, .n_blkio_weight_devs = 1,
		.blkio_throttle = { [BLKIO_READ_BPS] = rbps, [BLKIO_WRITE_IOPS] = wiops },
		.n_blkio_throttle = { [BLKIO_READ_BPS] = 1, [BLKIO_WRITE_IOPS] = 1 },
	};
	m = create(root1, NULL, "io3", false, &r, &err);
	if (m) {
		is_int(cgroup_apply(m, &all, &err), 0, "v1 io apply: %s", err.msg);
		const char *d = "strait/io3";
		is_str(rd("%s/hugetlb/%s/hugetlb.2MB.limit_in_bytes", root1, d), "2097152", "hugetlb limit");
		is_str(rd("%s/net_cls/%s/net_cls.classid", root1, d), "1048577", "net_cls.classid");
		is_str(rd("%s/net_prio/%s/net_prio.ifpriomap", root1, d), "eth0 5", "ifpriomap");
		is_str(rd("%s/rdma/%s/rdma.max", root1, d), "mlx5_1 hca_handle=3 hca_object=10000", "rdma.max");
		is_str(rd("%s/blkio/%s/blkio.throttle.read_bps_device", root1, d), "8:0 1048576", "read bps");
		is_str(rd("%s/blkio/%s/blkio.throttle.write_iops_device", root1, d), "8:16 300", "write iops");
		is_str(rd("%s/blkio/%s/blkio.bfq.weight_device", root1, d), "8:0 700", "bfq weight_device");
		/* A page size the kernel does not have: refused before the pids write. */
		struct spec_hugepage_limit gb[] = { { "1GB", 1 << 30 } };
		struct spec_resources big = { .present = true, .has_pids_limit = true, .pids_limit = 9,
					      .hugepages = gb, .n_hugepages = 1 };
		is_int(cgroup_apply(m, &big, &err), -ENOTSUP, "unknown page size refused");
		has_str(err.msg, "linux.resources.hugepageLimits[0].pageSize: \"1GB\" is not a huge page "
			"size of this kernel (no hugetlb.1GB.limit_in_bytes", "and named");
		ok(!ex("%s/pids/%s/pids.max", root1, d), "nothing written before the refusal");
		cgroup_destroy(m, NULL);
		cgroup_free(m);
	}
	for (size_t i = 0; i < ARRAY_SIZE(extra); i++) {
		char p[4096];
		vpath(p, "%s/%s", root1, extra[i]);
		rm_rf(p);
	}
}

/* The same fields on v2: io.max, io.bfq.weight / io.weight, hugetlb.<size>.max and
 * rdma.max; leaf weights and network refused (v2 has neither). */
static void
test_v2_io(void)
{
	struct lc_err err;
	int r;
	struct spec_hugepage_limit hp[] = { { "2MB", 4 << 21 } };
	struct spec_rdma rdma[] = { { "mlx5_1", true, false, 3, 0 } };
	struct spec_blkio_rate rbps[] = { { 8, 0, 1048576 } };
	struct spec_blkio_weight_dev wd[] = { { 8, 0, true, false, 500, 0 } };
	make_v2_root("cpuset cpu io memory pids");
	wr("", "%s/io.max", root2);
	wr("", "%s/hugetlb.2MB.max", root2);
	wr("", "%s/rdma.max", root2);
	struct cgroup_mgr *m = create(root2, NULL, "io4", false, &r, &err);
	if (!m) {
		rm_rf(root2);
		return;
	}
	const char *d = "strait/io4";
	struct spec_resources nohuge = { .present = true, .has_pids_limit = true, .pids_limit = 3,
					 .hugepages = hp, .n_hugepages = 1 };
	is_int(cgroup_apply(m, &nohuge, &err), -ENOTSUP, "v2 hugetlb without the controller");
	has_str(err.msg, "linux.resources.hugepageLimits[0]: the hugetlb controller is not available",
		"names the field and controller");
	ok(!ex("%s/%s/pids.max", root2, d), "v2: nothing written before the refusal");
	struct spec_resources net = { .present = true, .has_net_classid = true, .net_classid = 7 };
	is_int(cgroup_apply(m, &net, &err), -ENOTSUP, "v2 classID refused");
	has_str(err.msg, "linux.resources.network.classID: cgroup v2 has no net_cls controller", "named");
	struct spec_resources leaf = { .present = true, .has_blkio_leaf_weight = true, .blkio_leaf_weight = 9 };
	is_int(cgroup_apply(m, &leaf, &err), -ENOTSUP, "v2 leafWeight refused");
	cgroup_destroy(m, NULL);
	cgroup_free(m);

	wr("cpuset cpu io memory pids hugetlb rdma", "%s/cgroup.controllers", root2);
	m = create(root2, NULL, "io5", false, &r, &err);
	if (!m) {
		rm_rf(root2);
		return;
	}
	d = "strait/io5";
	struct spec_resources all = {
		.present = true, .hugepages = hp, .n_hugepages = 1, .rdma = rdma, .n_rdma = 1,
		.blkio_weight_devs = wd, .n_blkio_weight_devs = 1,
		.blkio_throttle = { [BLKIO_READ_BPS] = rbps }, .n_blkio_throttle = { [BLKIO_READ_BPS] = 1 },
	};
	is_int(cgroup_apply(m, &all, &err), 0, "v2 io apply: %s", err.msg);
	is_str(rd("%s/%s/hugetlb.2MB.max", root2, d), "8388608", "hugetlb.2MB.max");
	is_str(rd("%s/%s/rdma.max", root2, d), "mlx5_1 hca_handle=3", "rdma.max, only the set key");
	is_str(rd("%s/%s/io.max", root2, d), "8:0 rbps=1048576", "io.max");
	is_str(rd("%s/%s/io.weight", root2, d), "8:0 4950", "weightDevice -> io.weight, converted");
	cgroup_destroy(m, NULL);
	cgroup_free(m);
	rm_rf(root2);
}

int
main(void)
{
	make_v1_root();
	test_v1_create_apply();
	test_v1_errors();
	test_paths();
	test_failed_create();
	test_load_errors();
	test_v1_io();
	rm_rf(root1);
	test_v2();
	test_v2_io();
	test_real();
	test_real_split();
	return tap_done();
}
