/* Unit tests for caps.c, netlink.c, userns.c, sysctl.c, lsm.c and limits.c. Each step
 * that changes the calling process runs in a forked child, which sends back its result
 * (return code, error text, what it observed) for the parent to check. Needs root. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sys.h"
#include "tables.h"
#include "tap.h"

#define BIT(c) (UINT64_C(1) << (c))

struct child_res {
	int rc, rc2;
	char msg[1024], msg2[1024];
	char out[4096];
};

typedef void (*child_fn)(void *arg, struct child_res *res);

/* Runs fn in a forked child and collects its result. Returns the child's wait status. */
static int
run_in_child(child_fn fn, void *arg, struct child_res *res)
{
	int p[2];
	memset(res, 0, sizeof(*res));
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		static struct child_res r;
		close(p[0]);
		fn(arg, &r);
		(void)!write(p[1], &r, sizeof(r));
		_exit(0);
	}
	close(p[1]);
	size_t got = 0;
	while (got < sizeof(*res)) {
		ssize_t n = read(p[0], (char *)res + got, sizeof(*res) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	int status = -1;
	waitpid(pid, &status, 0);
	if (got != sizeof(*res))
		snprintf(res->msg, sizeof(res->msg), "child sent %zu bytes", got);
	return status;
}

static void
append_file(char *out, size_t outlen, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t o = strlen(out);
	if (fd < 0)
		return;
	ssize_t n = read(fd, out + o, outlen - o - 1);
	if (n > 0)
		out[o + (size_t)n] = '\0';
	close(fd);
}

/* Value of "Key:" in a /proc/<pid>/status dump, trimmed; "" when absent. */
static const char *
status_field(const char *status, const char *key)
{
	static char val[256];
	val[0] = '\0';
	char pat[32];
	snprintf(pat, sizeof(pat), "\n%s:", key);
	const char *p = strstr(status, pat);
	if (!p)
		return val;
	p += strlen(pat);
	while (*p == '\t' || *p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	if (n >= sizeof(val))
		n = sizeof(val) - 1;
	memcpy(val, p, n);
	while (n > 0 && (val[n - 1] == ' ' || val[n - 1] == '\t'))
		n--;
	val[n] = '\0';
	return val;
}

static uint64_t
status_hex(const char *status, const char *key)
{
	return strtoull(status_field(status, key), NULL, 16);
}

/* Removes cap from the effective and permitted sets of the calling process. */
static int
drop_cap(cap_value_t cap)
{
	cap_t c = cap_get_proc();
	if (!c)
		return -1;
	int r = cap_set_flag(c, CAP_EFFECTIVE, 1, &cap, CAP_CLEAR);
	r = r ?: cap_set_flag(c, CAP_PERMITTED, 1, &cap, CAP_CLEAR);
	r = r ?: cap_set_proc(c);
	cap_free(c);
	return r;
}

/* ---- caps.c ---- */

static void
child_identity(void *arg, struct child_res *res)
{
	const struct spec_process *p = arg;
	struct lc_err err = { 0 };
	res->rc = caps_apply_identity(p, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", res->rc ? err.msg : "");
	mode_t old = umask(0);
	res->rc2 = (int)old;
	snprintf(res->msg2, sizeof(res->msg2), "%d", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	res->out[0] = '\n';
	append_file(res->out, sizeof(res->out), "/proc/self/status");
}

static void
test_caps_small_set(void)
{
	gid_t gids[] = { 10, 20 };
	struct spec_process p = { .has_caps = true };
	p.user = (struct spec_user){ .uid = 1000, .gid = 1001, .has_umask = true, .umask = 027,
				     .additional_gids = gids, .n_additional_gids = 2 };
	uint64_t nbs = BIT(CAP_NET_BIND_SERVICE), kill_ = BIT(CAP_KILL);
	p.caps[CAPSET_BOUNDING] = nbs | kill_ | BIT(CAP_CHOWN);
	p.caps[CAPSET_EFFECTIVE] = nbs | kill_;
	p.caps[CAPSET_PERMITTED] = nbs | kill_;
	p.caps[CAPSET_INHERITABLE] = nbs;
	p.caps[CAPSET_AMBIENT] = nbs;

	struct child_res res;
	run_in_child(child_identity, &p, &res);
	is_int(res.rc, 0, "caps_apply_identity to uid 1000 with a small set (%s)", res.msg);
	const char *st = res.out;
	is_str(status_field(st, "Uid"), "1000\t1000\t1000\t1000", "uid 1000 everywhere");
	is_str(status_field(st, "Gid"), "1001\t1001\t1001\t1001", "gid 1001 everywhere");
	is_str(status_field(st, "Groups"), "10 20", "additional gids");
	is_int(status_hex(st, "CapBnd"), nbs | kill_ | BIT(CAP_CHOWN), "CapBnd");
	is_int(status_hex(st, "CapPrm"), nbs | kill_, "CapPrm");
	is_int(status_hex(st, "CapEff"), nbs | kill_, "CapEff");
	is_int(status_hex(st, "CapInh"), nbs, "CapInh");
	is_int(status_hex(st, "CapAmb"), nbs, "CapAmb");
	is_int(res.rc2, 027, "umask applied");
	is_str(res.msg2, "0", "PR_SET_KEEPCAPS reset");
}

static void
test_caps_none(void)
{
	struct spec_process p = { .has_caps = false };
	struct child_res res;
	run_in_child(child_identity, &p, &res);
	is_int(res.rc, 0, "no process.capabilities, uid 0 (%s)", res.msg);
	const char *st = res.out;
	is_str(status_field(st, "Uid"), "0\t0\t0\t0", "still uid 0");
	is_str(status_field(st, "Groups"), "", "supplementary groups cleared");
	is_int(status_hex(st, "CapBnd"), 0, "CapBnd empty");
	is_int(status_hex(st, "CapPrm"), 0, "CapPrm empty");
	is_int(status_hex(st, "CapEff"), 0, "CapEff empty even for uid 0");
	is_int(status_hex(st, "CapInh"), 0, "CapInh empty");
	is_int(status_hex(st, "CapAmb"), 0, "CapAmb empty");
}

static void
child_identity_without_setuid(void *arg, struct child_res *res)
{
	if (drop_cap(CAP_SETUID) < 0) {
		res->rc = -999;
		return;
	}
	child_identity(arg, res);
}

/* Raises CAP_KILL into the ambient set before applying the identity. */
static void
child_identity_with_ambient(void *arg, struct child_res *res)
{
	cap_t c = cap_get_proc();
	cap_value_t kill_ = CAP_KILL;
	if (!c || cap_set_flag(c, CAP_INHERITABLE, 1, &kill_, CAP_SET) < 0 ||
	    cap_set_proc(c) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0) < 0) {
		res->rc = -999;
		return;
	}
	cap_free(c);
	child_identity(arg, res);
}

static void
test_caps_stale_ambient(void)
{
	/* CAP_KILL stays permitted and inheritable, so only an explicit clear removes
	 * the ambient bit the runtime side may have carried in. */
	struct spec_process p = { .has_caps = true };
	p.caps[CAPSET_BOUNDING] = p.caps[CAPSET_PERMITTED] = BIT(CAP_KILL);
	p.caps[CAPSET_INHERITABLE] = BIT(CAP_KILL);
	struct child_res res;
	run_in_child(child_identity_with_ambient, &p, &res);
	is_int(res.rc, 0, "identity over a raised ambient cap (%s)", res.msg);
	is_int(status_hex(res.out, "CapInh"), BIT(CAP_KILL), "CapInh kept");
	is_int(status_hex(res.out, "CapAmb"), 0, "stale ambient capability cleared");
}

static void
test_caps_errors(void)
{
	struct spec_process p = { .has_caps = true };
	p.user.uid = 1000;
	p.user.gid = 1000;
	struct child_res res;
	run_in_child(child_identity_without_setuid, &p, &res);
	is_int(res.rc, -EPERM, "setresuid without CAP_SETUID fails");
	is_str(res.msg, "setresuid 1000: Operation not permitted", "message names step and uid");

	/* Inheritable may not exceed the bounding set. */
	struct spec_process q = { .has_caps = true };
	q.caps[CAPSET_BOUNDING] = BIT(CAP_KILL);
	q.caps[CAPSET_INHERITABLE] = BIT(CAP_NET_RAW);
	q.caps[CAPSET_PERMITTED] = BIT(CAP_KILL);
	run_in_child(child_identity, &q, &res);
	is_int(res.rc, -EPERM, "inheritable outside bounding fails");
	has_str(res.msg, "capset (effective 0x0, permitted 0x20, inheritable 0x2000",
		"capset message shows the sets");

	/* Ambient needs permitted and inheritable. Like runc (whose default spec asks for
	 * ambient capabilities without inheritable ones), strait skips such a capability
	 * with a warning instead of refusing the bundle: the ambient set stays empty. */
	struct spec_process a = { .has_caps = true };
	a.caps[CAPSET_BOUNDING] = a.caps[CAPSET_PERMITTED] = BIT(CAP_NET_RAW);
	a.caps[CAPSET_AMBIENT] = BIT(CAP_NET_RAW);
	run_in_child(child_identity, &a, &res);
	is_int(res.rc, 0, "ambient without inheritable is skipped, not fatal");
	has_str(res.out, "CapAmb:\t0000000000000000", "the skipped capability is not ambient");
}

static void
test_caps_privileged(void)
{
	char why[160];
	int last = table_cap_last();
	ok(last >= 40, "table_cap_last() is sane (%d)", last);
	uint64_t own = caps_own_bounding();
	ok(own & BIT(CAP_SYS_ADMIN), "the test runs with CAP_SYS_ADMIN in its bounding set");
	struct spec_process p = { .has_caps = true };
	p.caps[CAPSET_BOUNDING] = last >= 63 ? UINT64_MAX : BIT(last + 1) - 1;
	ok(caps_is_privileged(&p, why, sizeof(why)), "every capability the kernel knows is privileged");
	has_str(why, "runtime's own bounding set (CapBnd", "the rule is named");
	p.caps[CAPSET_BOUNDING] = own;
	ok(caps_is_privileged(&p, NULL, 0), "exactly the runtime's own bounding set is privileged");
	for (int c = 0; c <= last; c++) {
		if (!(own & BIT(c)))
			continue;
		p.caps[CAPSET_BOUNDING] = own & ~BIT(c);
		if (caps_is_privileged(&p, why, sizeof(why)))
			ok(0, "one capability (%d) short of the runtime's is privileged", c);
	}
	ok(1, "one capability short of the runtime's own is never privileged");
	p.caps[CAPSET_BOUNDING] = UINT64_MAX & ~BIT(CAP_SYS_ADMIN);
	ok(!caps_is_privileged(&p, why, sizeof(why)) && why[0] == '\0', "bounding without CAP_SYS_ADMIN is not");
	p.caps[CAPSET_BOUNDING] = UINT64_MAX;
	p.has_caps = false;
	ok(!caps_is_privileged(&p, NULL, 0), "no capabilities object is not privileged");
}

/* ---- netlink.c ---- */

static int
lo_flags(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	int r = ioctl(s, SIOCGIFFLAGS, &ifr);
	close(s);
	return r < 0 ? -errno : ifr.ifr_flags;
}

static void
child_loopback(void *arg, struct child_res *res)
{
	struct lc_err err = { 0 };
	if (unshare(CLONE_NEWNET) < 0) {
		res->rc = -errno;
		snprintf(res->msg, sizeof(res->msg), "unshare: %s", strerror(errno));
		return;
	}
	res->rc2 = lo_flags();
	res->rc = netlink_loopback_up(&err);
	snprintf(res->msg, sizeof(res->msg), "%s", res->rc ? err.msg : "");
	snprintf(res->out, sizeof(res->out), "%d", lo_flags());
}

static void
test_loopback(void)
{
	struct child_res res;
	run_in_child(child_loopback, NULL, &res);
	ok(res.rc2 >= 0 && !(res.rc2 & IFF_UP), "lo is down in a new netns (flags %#x)", res.rc2);
	is_int(res.rc, 0, "netlink_loopback_up (%s)", res.msg);
	int flags = atoi(res.out);
	ok(flags > 0 && (flags & IFF_UP), "lo is up afterwards (flags %#x)", flags);
}

/* ---- userns.c ---- */

/* Forks a child that enters a new user namespace, says so on ready, and waits for a
 * byte on go (then runs fn if given). */
static pid_t
fork_userns_child(int *ret_ready, int *ret_go, child_fn fn, int result_fd)
{
	int ready[2], go[2];
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c = unshare(CLONE_NEWUSER) == 0 ? 'u' : 'e';
		(void)!write(ready[1], &c, 1);
		if (read(go[0], &c, 1) == 1 && fn) {
			static struct child_res r;
			fn(NULL, &r);
			(void)!write(result_fd, &r, sizeof(r));
		}
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	*ret_ready = ready[0];
	*ret_go = go[1];
	return pid;
}

static void
read_proc(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	buf[0] = '\0';
	append_file(buf, len, path);
	/* Collapse the kernel's column padding: "         0     100000      65536". */
	char *w = buf;
	bool space = true;
	for (char *r = buf; *r; r++) {
		if (*r == ' ' || *r == '\t') {
			if (!space)
				*w++ = ' ';
			space = true;
		} else {
			if (*r == '\n' && w > buf && w[-1] == ' ')
				w--;
			*w++ = *r;
			space = *r == '\n';
		}
	}
	*w = '\0';
}

static void
test_userns_privileged(void)
{
	struct spec_id_map um[] = { { 0, 100000, 65536 } };
	struct spec_id_map gm[] = { { 0, 200000, 1000 }, { 1000, 300000, 10 } };
	struct spec_linux l = { .uid_mappings = um, .n_uid_mappings = 1, .gid_mappings = gm,
				.n_gid_mappings = 2 };
	int ready, go;
	char c = 0, buf[256];
	struct lc_err err = { 0 };

	pid_t pid = fork_userns_child(&ready, &go, NULL, -1);
	ok(pid > 0 && read(ready, &c, 1) == 1 && c == 'u', "child entered a user namespace");
	int r = userns_write_maps(pid, &l, &err);
	is_int(r, 0, "userns_write_maps as root (%s)", r ? err.msg : "");
	read_proc(pid, "uid_map", buf, sizeof(buf));
	is_str(buf, "0 100000 65536\n", "uid_map written");
	read_proc(pid, "gid_map", buf, sizeof(buf));
	is_str(buf, "0 200000 1000\n1000 300000 10\n", "gid_map written with two lines");
	read_proc(pid, "setgroups", buf, sizeof(buf));
	is_str(buf, "allow\n", "privileged runtime leaves setgroups allowed");

	r = userns_write_maps(pid, &l, &err);
	is_int(r, -EPERM, "maps can be written only once");
	char want[128];
	snprintf(want, sizeof(want), "write /proc/%d/uid_map \"0 100000 65536\": Operation not "
		 "permitted", (int)pid);
	has_str(err.msg, want, "error names the file and the mapping");

	(void)!write(go, "g", 1);
	close(go);
	close(ready);
	waitpid(pid, NULL, 0);
}

static void
grandchild_setgroups(void *arg, struct child_res *res)
{
	struct lc_err err = { 0 };
	gid_t g[] = { 0 };
	/* Asking for groups where setgroups is denied must fail with a clear message ... */
	struct spec_process p = { .has_caps = true };
	p.user.additional_gids = g;
	p.user.n_additional_gids = 1;
	res->rc2 = caps_apply_identity(&p, &err);
	snprintf(res->msg2, sizeof(res->msg2), "%s", err.msg);
	/* ... while no groups is fine. */
	struct spec_process q = { .has_caps = true };
	q.caps[CAPSET_BOUNDING] = q.caps[CAPSET_PERMITTED] = q.caps[CAPSET_EFFECTIVE] =
		BIT(CAP_CHOWN);
	res->rc = caps_apply_identity(&q, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", res->rc ? err.msg : "");
}

/* As uid 1000 without capabilities: maps our own ids, which needs setgroups "deny". */
static void
child_unprivileged_runtime(void *arg, struct child_res *res)
{
	struct spec_id_map um[] = { { 0, 1000, 1 } }, gm[] = { { 0, 1000, 1 } };
	struct spec_linux l = { .uid_mappings = um, .n_uid_mappings = 1, .gid_mappings = gm,
				.n_gid_mappings = 1 };
	struct lc_err err = { 0 };
	int ready, go, result[2];
	char c = 0;

	if (setgroups(0, NULL) < 0 || setresgid(1000, 1000, 1000) < 0 ||
	    setresuid(1000, 1000, 1000) < 0 || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0 ||
	    pipe2(result, O_CLOEXEC) < 0) {
		res->rc = -999;
		snprintf(res->msg, sizeof(res->msg), "setup: %s", strerror(errno));
		return;
	}
	pid_t pid = fork_userns_child(&ready, &go, grandchild_setgroups, result[1]);
	close(result[1]);
	if (pid < 0 || read(ready, &c, 1) != 1 || c != 'u') {
		res->rc = -998;
		snprintf(res->msg, sizeof(res->msg), "user namespace child failed");
		return;
	}
	res->rc = userns_write_maps(pid, &l, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", res->rc ? err.msg : "");
	char buf[256];
	read_proc(pid, "setgroups", buf, sizeof(buf));
	read_proc(pid, "gid_map", res->out, sizeof(res->out));
	strncat(res->out, buf, sizeof(res->out) - strlen(res->out) - 1);
	(void)!write(go, "g", 1);
	struct child_res gc = { 0 };
	if (read(result[0], &gc, sizeof(gc)) == (ssize_t)sizeof(gc)) {
		res->rc2 = gc.rc2;
		snprintf(res->msg2, sizeof(res->msg2), "%d|%s|%s", gc.rc, gc.msg, gc.msg2);
	}
	waitpid(pid, NULL, 0);
}

static void
test_userns_unprivileged(void)
{
	struct child_res res;
	run_in_child(child_unprivileged_runtime, NULL, &res);
	is_int(res.rc, 0, "unprivileged userns_write_maps of its own ids (%s)", res.msg);
	is_str(res.out, "0 1000 1\ndeny\n", "gid_map written after setgroups deny");
	is_int(res.rc2, -EPERM, "additionalGids refused where setgroups is denied");
	has_str(res.msg2, "0||setgroups 0: additionalGids cannot be set in a user namespace "
			  "where setgroups is denied",
		"no-groups identity works there; asking for groups gets a clear message");
}

/* ---- sysctl.c ---- */

static char sysctl_victim[] = "/tmp/strait-test-sysctl-XXXXXX";

static void
child_sysctl(void *arg, struct child_res *res)
{
	struct lc_err err = { 0 };
	if (unshare(CLONE_NEWNET) < 0) {
		res->rc = -999;
		return;
	}
	struct spec_sysctl ok_s[] = { { "net.ipv4.ip_forward", "1" },
				      { "net/ipv4/ip_default_ttl", "77" } };
	struct spec_linux l = { .sysctl = ok_s, .n_sysctl = 2 };
	res->rc = sysctl_apply(&l, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", res->rc ? err.msg : "");
	append_file(res->out, sizeof(res->out), "/proc/sys/net/ipv4/ip_forward");
	append_file(res->out, sizeof(res->out), "/proc/sys/net/ipv4/ip_default_ttl");

	/* A '/' key is used as is, so ".." must be stopped by the resolution itself. */
	char escape[256];
	snprintf(escape, sizeof(escape), "../..%s", sysctl_victim);
	struct spec_sysctl bad[] = { { escape, "pwned" } };
	l = (struct spec_linux){ .sysctl = bad, .n_sysctl = 1 };
	res->rc2 = sysctl_apply(&l, &err);
	snprintf(res->msg2, sizeof(res->msg2), "%s", err.msg);
}

static void
child_sysctl_missing(void *arg, struct child_res *res)
{
	struct lc_err err = { 0 };
	struct spec_sysctl s[] = { { "net.ipv4.no_such_key", "1" } };
	struct spec_linux l = { .sysctl = s, .n_sysctl = 1 };
	if (unshare(CLONE_NEWNET) < 0) {
		res->rc = -999;
		return;
	}
	res->rc = sysctl_apply(&l, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", err.msg);
}

static void
test_sysctl(void)
{
	int fd = mkstemp(sysctl_victim);
	ok(fd >= 0 && write(fd, "orig", 4) == 4, "victim file created");
	close(fd);

	struct child_res res;
	run_in_child(child_sysctl, NULL, &res);
	is_int(res.rc, 0, "sysctl_apply in a new netns (%s)", res.msg);
	is_str(res.out, "1\n77\n", "dotted and slashed keys written");
	ok(res.rc2 < 0, "key escaping /proc/sys is refused");
	has_str(res.msg2, "leaves /proc/sys or goes through a symlink", "escape message");
	char buf[16] = "";
	append_file(buf, sizeof(buf), sysctl_victim);
	is_str(buf, "orig", "file outside /proc/sys untouched");
	unlink(sysctl_victim);

	run_in_child(child_sysctl_missing, NULL, &res);
	is_int(res.rc, -ENOENT, "unknown key fails");
	is_str(res.msg, "linux.sysctl \"net.ipv4.no_such_key\" = \"1\": open "
			"/proc/sys/net/ipv4/no_such_key: No such file or directory",
	       "error names key and value");
}

/* ---- lsm.c ---- */

static void
child_lsm_apply(void *arg, struct child_res *res)
{
	struct lc_err err = { 0 };
	struct spec_process p = { .apparmor_profile = "strait-test" };
	res->rc = lsm_apply_exec(&p, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", err.msg);
}

static void
test_lsm(void)
{
	struct lc_spec s = { 0 };
	struct lc_err err = { 0 };
	bool apparmor = access("/sys/kernel/security/apparmor", F_OK) == 0;
	bool selinux = access("/sys/fs/selinux/enforce", F_OK) == 0;

	is_int(lsm_check(&s, &err), 0, "no labels: nothing to check");
	s.process.apparmor_profile = "";
	is_int(lsm_check(&s, &err), 0, "empty apparmorProfile counts as unset");
	is_int(lsm_apply_exec(&s.process, &err), 0, "nothing to apply");

	if (apparmor) {
		printf("# AppArmor is active here: refusal not testable\n");
	} else {
		s.process.apparmor_profile = "x";
		is_int(lsm_check(&s, &err), -EINVAL, "apparmorProfile refused");
		is_str(err.msg, "config.json: process.apparmorProfile \"x\": AppArmor is not "
				"enabled on this host",
		       "apparmor refusal text");
		struct child_res res;
		run_in_child(child_lsm_apply, NULL, &res);
		ok(res.rc < 0, "applying a profile without AppArmor fails");
		has_str(res.msg, "apply AppArmor profile \"strait-test\": write /proc/self/attr/",
			"apply error names the profile and file");
		s.process.apparmor_profile = NULL;
	}
	if (selinux) {
		printf("# SELinux is active here: refusal not testable\n");
	} else {
		s.process.selinux_label = "system_u:system_r:container_t:s0";
		is_int(lsm_check(&s, &err), -EINVAL, "selinuxLabel refused");
		is_str(err.msg, "config.json: process.selinuxLabel "
				"\"system_u:system_r:container_t:s0\": SELinux is not enabled "
				"on this host",
		       "selinux refusal text");
		s.process.selinux_label = NULL;
		s.linux_.mount_label = "system_u:object_r:container_file_t:s0";
		is_int(lsm_check(&s, &err), -EINVAL, "mountLabel refused");
		is_str(err.msg, "config.json: linux.mountLabel "
				"\"system_u:object_r:container_file_t:s0\": SELinux is not "
				"enabled on this host",
		       "mountLabel refusal text");
	}
}

/* ---- limits.c ---- */

static void
child_limits(void *arg, struct child_res *res)
{
	struct lc_err err = { 0 };
	struct spec_rlimit rl[] = { { RLIMIT_NOFILE, 512, 1024 }, { RLIMIT_CORE, 0, 0 } };
	struct spec_process p = { .rlimits = rl, .n_rlimits = 2, .has_oom_score_adj = true,
				  .oom_score_adj = 500 };
	struct spec_linux l = { .has_personality = true, .personality = PER_LINUX32 };
	struct rlimit nofile, core;
	struct utsname u;

	/* Make the CAP_SYS_RESOURCE failures below deterministic. */
	drop_cap(CAP_SYS_RESOURCE);
	res->rc = limits_apply_rlimits(&p, &err);
	res->rc = res->rc ?: limits_apply_oom_score_adj(0, &p, &err);
	res->rc = res->rc ?: limits_apply_personality(&l, &err);
	snprintf(res->msg, sizeof(res->msg), "%s", res->rc ? err.msg : "");
	getrlimit(RLIMIT_NOFILE, &nofile);
	getrlimit(RLIMIT_CORE, &core);
	uname(&u);
	int o = snprintf(res->out, sizeof(res->out), "%llu %llu %llu|%d|%s|",
			 (unsigned long long)nofile.rlim_cur, (unsigned long long)nofile.rlim_max,
			 (unsigned long long)core.rlim_max,
			 personality(0xffffffff) & PER_MASK, u.machine);
	append_file(res->out + o, sizeof(res->out) - (size_t)o, "/proc/self/oom_score_adj");

	rl[0].hard = 2048;
	p.n_rlimits = 1;
	res->rc2 = limits_apply_rlimits(&p, &err);
	snprintf(res->msg2, sizeof(res->msg2), "%s", err.msg);
	p.oom_score_adj = -500;
	int r = limits_apply_oom_score_adj(0, &p, &err);
	o = (int)strlen(res->out);
	snprintf(res->out + o, sizeof(res->out) - (size_t)o, "|%d|%s", r, err.msg);
}

static void
test_limits(void)
{
	struct child_res res;
	run_in_child(child_limits, NULL, &res);
	is_int(res.rc, 0, "rlimits, oom_score_adj and personality applied (%s)", res.msg);
	char want[512];
	snprintf(want, sizeof(want),
		 "512 1024 0|%d|i686|500\n|%d|process.oomScoreAdj -500: write "
		 "/proc/self/oom_score_adj: Permission denied (lowering it needs "
		 "CAP_SYS_RESOURCE)",
		 PER_LINUX32, -EACCES);
	is_str(res.out, want, "limits observed; lowering oom_score_adj refused with the value");
	is_int(res.rc2, -EPERM, "raising a hard rlimit without CAP_SYS_RESOURCE fails");
	is_str(res.msg2, "setrlimit RLIMIT_NOFILE soft 512 hard 2048: Operation not permitted "
			 "(the hard limit is 1024; raising it needs CAP_SYS_RESOURCE)",
	       "rlimit error names the limit and the capability");

	struct spec_process none = { 0 };
	struct spec_linux nol = { 0 };
	struct lc_err err = { 0 };
	is_int(limits_apply_rlimits(&none, &err), 0, "no rlimits: no-op");
	is_int(limits_apply_oom_score_adj(0, &none, &err), 0, "no oomScoreAdj: no-op");
	is_int(limits_apply_personality(&nol, &err), 0, "no personality: no-op");
}

int
main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	test_caps_small_set();
	test_caps_none();
	test_caps_stale_ambient();
	test_caps_errors();
	test_caps_privileged();
	test_loopback();
	test_userns_privileged();
	test_userns_unprivileged();
	test_sysctl();
	test_lsm();
	test_limits();
	return tap_done();
}
