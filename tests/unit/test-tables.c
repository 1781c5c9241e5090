/* tables.c: capability, signal, rlimit, namespace, seccomp, mount option and sysctl
 * tables, both directions, plus lc_signal_parse(). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include "strait.h"
#include "tables.h"
#include "tap.h"

static void
test_caps(void)
{
	is_int(table_cap_from_name("CAP_CHOWN"), 0, "CAP_CHOWN");
	is_int(table_cap_from_name("CAP_SYS_ADMIN"), 21, "CAP_SYS_ADMIN");
	is_int(table_cap_from_name("CAP_CHECKPOINT_RESTORE"), 40, "CAP_CHECKPOINT_RESTORE");
	is_int(table_cap_from_name("CAP_FOO"), -1, "unknown capability");
	is_int(table_cap_from_name("cap_chown"), -1, "names are case-sensitive");
	is_int(table_cap_from_name("SYS_ADMIN"), -1, "the CAP_ prefix is required");
	is_str(table_cap_name(21), "CAP_SYS_ADMIN", "21 -> name");
	ok(table_cap_name(41) == NULL && table_cap_name(-1) == NULL, "out of range -> NULL");
	for (int c = 0; c <= 40; c++) {
		const char *n = table_cap_name(c);
		if (!n || table_cap_from_name(n) != c) {
			ok(0, "capability %d round trip (%s)", c, n ? n : "null");
			return;
		}
	}
	ok(1, "all 41 capabilities round trip");

	/* the kernel's own answer, read independently */
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int want = 40;
	if (f) {
		if (fscanf(f, "%d", &want) != 1)
			want = 40;
		fclose(f);
	}
	is_int(table_cap_last(), want, "cap_last_cap");
	is_int(table_cap_last(), want, "cap_last_cap (cached)");
}

static void
test_signals(void)
{
	is_int(table_signal_from_name("KILL"), SIGKILL, "KILL");
	is_int(table_signal_from_name("SIGKILL"), SIGKILL, "SIGKILL");
	is_int(table_signal_from_name("kill"), SIGKILL, "kill");
	is_int(table_signal_from_name("sigterm"), SIGTERM, "sigterm");
	is_int(table_signal_from_name("9"), 9, "9");
	is_int(table_signal_from_name("15"), 15, "15");
	is_int(table_signal_from_name("64"), 64, "64");
	is_int(table_signal_from_name("65"), -1, "65 is out of range");
	is_int(table_signal_from_name("0"), -1, "0 is not a signal");
	is_int(table_signal_from_name("-9"), -1, "negative number");
	is_int(table_signal_from_name("9x"), -1, "trailing junk");
	is_int(table_signal_from_name(""), -1, "empty");
	is_int(table_signal_from_name("SIG"), -1, "bare SIG");
	is_int(table_signal_from_name("FOO"), -1, "unknown name");
	is_int(table_signal_from_name("SIGCHLD"), SIGCHLD, "SIGCHLD");
	is_int(table_signal_from_name("CLD"), SIGCHLD, "alias CLD");
	is_int(table_signal_from_name("IOT"), SIGABRT, "alias IOT");
	is_int(table_signal_from_name("SIGWINCH"), SIGWINCH, "SIGWINCH");
	is_int(table_signal_from_name("SIGRTMIN"), SIGRTMIN, "SIGRTMIN");
	is_int(table_signal_from_name("SIGRTMIN+1"), SIGRTMIN + 1, "SIGRTMIN+1");
	is_int(table_signal_from_name("rtmin+3"), SIGRTMIN + 3, "rtmin+3");
	is_int(table_signal_from_name("SIGRTMAX"), SIGRTMAX, "SIGRTMAX");
	is_int(table_signal_from_name("RTMAX-2"), SIGRTMAX - 2, "RTMAX-2");
	is_int(table_signal_from_name("SIGRTMIN-1"), -1, "RTMIN-1 refused");
	is_int(table_signal_from_name("SIGRTMAX+1"), -1, "RTMAX+1 refused");
	is_int(table_signal_from_name("SIGRTMIN+99"), -1, "RTMIN+99 refused");
	is_int(table_signal_from_name("SIGRTMIN+"), -1, "RTMIN+ without number");
	is_str(table_signal_name(SIGKILL), "SIGKILL", "9 -> SIGKILL");
	is_str(table_signal_name(SIGCHLD), "SIGCHLD", "canonical name over alias");
	is_str(table_signal_name(SIGRTMIN), "SIGRTMIN", "SIGRTMIN name");
	is_str(table_signal_name(SIGRTMIN + 2), "SIGRTMIN+2", "SIGRTMIN+2 name");
	is_str(table_signal_name(SIGRTMAX - 1), "SIGRTMAX-1", "SIGRTMAX-1 name");
	ok(table_signal_name(0) == NULL && table_signal_name(65) == NULL, "no name out of range");
	/* every name we print parses back to its number */
	int bad = 0;
	for (int s = 1; s <= SIGRTMAX; s++) {
		const char *n = table_signal_name(s);
		if (n && table_signal_from_name(n) != s)
			bad = s;
	}
	is_int(bad, 0, "signal names round trip");

	is_int(lc_signal_parse("TERM"), SIGTERM, "lc_signal_parse TERM");
	is_int(lc_signal_parse("sighup"), SIGHUP, "lc_signal_parse sighup");
	is_int(lc_signal_parse("SIGFOO"), -EINVAL, "lc_signal_parse unknown -> -EINVAL");
	is_int(lc_signal_parse("0"), 0, "lc_signal_parse 0 -> 0 (kill ID 0: a liveness check)");
	is_int(lc_signal_parse("00x"), -EINVAL, "lc_signal_parse 00x -> -EINVAL");
}

static void
test_rlimits_ns(void)
{
	is_int(table_rlimit_from_name("RLIMIT_NOFILE"), RLIMIT_NOFILE, "RLIMIT_NOFILE");
	is_int(table_rlimit_from_name("RLIMIT_AS"), RLIMIT_AS, "RLIMIT_AS (first)");
	is_int(table_rlimit_from_name("RLIMIT_STACK"), RLIMIT_STACK, "RLIMIT_STACK (last)");
	is_int(table_rlimit_from_name("RLIMIT_RTTIME"), RLIMIT_RTTIME, "RLIMIT_RTTIME");
	is_int(table_rlimit_from_name("NOFILE"), -1, "prefix required");
	is_int(table_rlimit_from_name("RLIMIT_FOO"), -1, "unknown rlimit");
	is_str(table_rlimit_name(RLIMIT_CORE), "RLIMIT_CORE", "name of RLIMIT_CORE");
	int bad = -1;
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (!table_rlimit_name(r) || table_rlimit_from_name(table_rlimit_name(r)) != r)
			bad = r;
	is_int(bad, -1, "every RLIMIT_* round trips");

	is_int(table_ns_from_name("pid"), NS_PID, "pid");
	is_int(table_ns_from_name("network"), NS_NET, "network");
	is_int(table_ns_from_name("net"), -1, "net is not an OCI name");
	is_int(table_ns_from_name("time"), NS_TIME, "time");
	is_str(table_ns_name(NS_MNT), "mount", "mount name");
	is_str(table_ns_proc_name(NS_MNT), "mnt", "mnt proc name");
	is_str(table_ns_proc_name(NS_NET), "net", "net proc name");
	is_int(table_ns_clone_flag(NS_USER), CLONE_NEWUSER, "CLONE_NEWUSER");
	is_int(table_ns_clone_flag(NS_TIME), 0x80, "CLONE_NEWTIME");
	is_int(table_ns_clone_flag(NS_MNT), CLONE_NEWNS, "CLONE_NEWNS");
	for (int t = 0; t < NS__COUNT; t++)
		if (table_ns_from_name(table_ns_name((enum ns_type)t)) != t)
			bad = t;
	is_int(bad, -1, "namespace names round trip");
}

static void
test_seccomp(void)
{
	static const char *const actions[] = { "SCMP_ACT_KILL",		"SCMP_ACT_KILL_THREAD",
					       "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
					       "SCMP_ACT_ERRNO",	"SCMP_ACT_TRACE",
					       "SCMP_ACT_ALLOW",	"SCMP_ACT_LOG",
					       "SCMP_ACT_NOTIFY" };
	static const char *const ops[] = { "SCMP_CMP_NE",	"SCMP_CMP_LT", "SCMP_CMP_LE",
					   "SCMP_CMP_EQ",	"SCMP_CMP_GE", "SCMP_CMP_GT",
					   "SCMP_CMP_MASKED_EQ" };

	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		ok(table_seccomp_action_from_name(actions[i]) >= 0, "action %s", actions[i]);
	is_int(table_seccomp_action_from_name("SCMP_ACT_KILL"), SCMP_ACT_KILL_THREAD_,
	       "KILL is KILL_THREAD");
	is_int(table_seccomp_action_from_name("SCMP_ACT_ERRNO"), SCMP_ACT_ERRNO_, "ERRNO");
	is_int(table_seccomp_action_from_name("SCMP_ACT_NOTIFY"), SCMP_ACT_NOTIFY_, "NOTIFY");
	is_int(table_seccomp_action_from_name("SCMP_ACT_FOO"), -1, "unknown action");
	is_int(table_seccomp_action_from_name("scmp_act_allow"), -1, "case-sensitive");
	is_str(table_seccomp_action_name(SCMP_ACT_LOG_), "SCMP_ACT_LOG", "LOG name");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int op = table_seccomp_op_from_name(ops[i]);
		ok(op >= 0 && strcmp(table_seccomp_op_name((enum seccomp_op)op), ops[i]) == 0,
		   "operator %s round trips", ops[i]);
	}
	is_int(table_seccomp_op_from_name("SCMP_CMP_MASKED_EQ"), SCMP_OP_MASKED_EQ, "MASKED_EQ");
	is_int(table_seccomp_op_from_name("SCMP_CMP_XX"), -1, "unknown operator");
	ok(table_seccomp_arch_known("SCMP_ARCH_X86_64"), "x86_64 arch");
	ok(table_seccomp_arch_known("SCMP_ARCH_RISCV64"), "riscv64 arch");
	ok(!table_seccomp_arch_known("SCMP_ARCH_PDP11"), "unknown arch");
	ok(table_seccomp_flag_known("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), "flag");
	ok(!table_seccomp_flag_known("SECCOMP_FILTER_FLAG_NEW_LISTENER"), "not an OCI flag");
}

static void
test_mount_opts(void)
{
	const struct table_mount_opt *o;

	o = table_mount_opt_from_name("nosuid");
	ok(o && o->kind == MOPT_FLAG && o->set == MS_NOSUID && !o->clear, "nosuid");
	o = table_mount_opt_from_name("rw");
	ok(o && o->clear == MS_RDONLY && !o->set, "rw clears MS_RDONLY");
	o = table_mount_opt_from_name("rbind");
	ok(o && o->kind == MOPT_RBIND && o->set == (MS_BIND | MS_REC), "rbind");
	o = table_mount_opt_from_name("rslave");
	ok(o && o->kind == MOPT_PROPAGATION && o->prop == PROP_RSLAVE, "rslave");
	ok(table_mount_opt_from_name("async") && table_mount_opt_from_name("unbindable"),
	   "first and last entries are found (table sorted)");
	ok(table_mount_opt_from_name("size=64k") == NULL, "fs data is not a generic option");
	/* bsearch needs the table sorted: check every neighbour, and that each name is found */
	size_t n = 0, unsorted = 0, lost = 0;
	for (const char *name, *prev = NULL; (name = table_mount_opt_name_at(n)); prev = name, n++) {
		if (prev && strcmp(prev, name) >= 0)
			unsorted++;
		if (!table_mount_opt_from_name(name) ||
		    strcmp(table_mount_opt_from_name(name)->name, name) != 0)
			lost++;
	}
	ok(n >= 37 && unsorted == 0 && lost == 0, "%zu mount options, sorted, all found", n);
	is_int(table_propagation_flags(PROP_RSHARED), MS_SHARED | MS_REC, "rshared flags");
	is_int(table_propagation_flags(PROP_PRIVATE), MS_PRIVATE, "private flags");
	is_int(table_propagation_flags(PROP_NONE), 0, "no propagation");
}

static void
test_sysctl(void)
{
	struct spec_linux l = { 0 };

	ok(!table_sysctl_allowed("net.ipv4.ip_forward", &l), "net.* needs a network namespace");
	l.ns[NS_NET].present = true;
	ok(table_sysctl_allowed("net.ipv4.ip_forward", &l), "net.* with a network namespace");
	ok(!table_sysctl_allowed("kernel.shmmax", &l), "kernel.shmmax needs ipc");
	l.ns[NS_IPC].present = true;
	ok(table_sysctl_allowed("kernel.shmmax", &l), "kernel.shmmax with ipc");
	ok(table_sysctl_allowed("kernel.msgmnb", &l), "kernel.msg* with ipc");
	ok(table_sysctl_allowed("kernel.sem", &l), "kernel.sem with ipc");
	ok(table_sysctl_allowed("fs.mqueue.msg_max", &l), "fs.mqueue.* with ipc");
	ok(!table_sysctl_allowed("kernel.hostname", &l), "kernel.hostname needs uts");
	l.ns[NS_UTS].present = true;
	ok(table_sysctl_allowed("kernel.domainname", &l), "kernel.domainname with uts");
	ok(!table_sysctl_allowed("kernel.core_pattern", &l), "kernel.core_pattern never");
	ok(!table_sysctl_allowed("vm.overcommit_memory", &l), "vm.* never");
	ok(!table_sysctl_allowed("kernel.semaphore", &l), "kernel.sem is exact");
	ok(!table_sysctl_allowed("net.x/../../kernel.core_pattern", &l), "slash refused");
	ok(!table_sysctl_allowed("net..ipv4", &l), "empty component refused");
	ok(!table_sysctl_allowed("net.ipv4.", &l), "trailing dot refused");
	ok(!table_sysctl_allowed("net.ipv4.conf.all.forwarding\n", &l), "control char refused");
	ok(!table_sysctl_allowed("", &l), "empty key refused");
}

int
main(void)
{
	test_caps();
	test_signals();
	test_rlimits_ns();
	test_seccomp();
	test_mount_opts();
	test_sysctl();
	return tap_done();
}
