/* Name <-> value tables: capabilities, signals, rlimits, namespaces, mount options,
 * seccomp names and namespaced sysctls, as static arrays. Lookups are exact and
 * case-sensitive (OCI names are upper case) except signals, which the CLI accepts in any
 * case. Deciding what a value means for a container is left to spec.c and validate.c. */
#include <ctype.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include "macro.h"
#include "tables.h"

/* ---- capabilities: indexed by number ---- */
static const char *const cap_names[] = {
	[CAP_CHOWN] = "CAP_CHOWN",
	[CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
	[CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
	[CAP_FOWNER] = "CAP_FOWNER",
	[CAP_FSETID] = "CAP_FSETID",
	[CAP_KILL] = "CAP_KILL",
	[CAP_SETGID] = "CAP_SETGID",
	[CAP_SETUID] = "CAP_SETUID",
	[CAP_SETPCAP] = "CAP_SETPCAP",
	[CAP_LINUX_IMMUTABLE] = "CAP_LINUX_IMMUTABLE",
	[CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE",
	[CAP_NET_BROADCAST] = "CAP_NET_BROADCAST",
	[CAP_NET_ADMIN] = "CAP_NET_ADMIN",
	[CAP_NET_RAW] = "CAP_NET_RAW",
	[CAP_IPC_LOCK] = "CAP_IPC_LOCK",
	[CAP_IPC_OWNER] = "CAP_IPC_OWNER",
	[CAP_SYS_MODULE] = "CAP_SYS_MODULE",
	[CAP_SYS_RAWIO] = "CAP_SYS_RAWIO",
	[CAP_SYS_CHROOT] = "CAP_SYS_CHROOT",
	[CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
	[CAP_SYS_PACCT] = "CAP_SYS_PACCT",
	[CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
	[CAP_SYS_BOOT] = "CAP_SYS_BOOT",
	[CAP_SYS_NICE] = "CAP_SYS_NICE",
	[CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE",
	[CAP_SYS_TIME] = "CAP_SYS_TIME",
	[CAP_SYS_TTY_CONFIG] = "CAP_SYS_TTY_CONFIG",
	[CAP_MKNOD] = "CAP_MKNOD",
	[CAP_LEASE] = "CAP_LEASE",
	[CAP_AUDIT_WRITE] = "CAP_AUDIT_WRITE",
	[CAP_AUDIT_CONTROL] = "CAP_AUDIT_CONTROL",
	[CAP_SETFCAP] = "CAP_SETFCAP",
	[CAP_MAC_OVERRIDE] = "CAP_MAC_OVERRIDE",
	[CAP_MAC_ADMIN] = "CAP_MAC_ADMIN",
	[CAP_SYSLOG] = "CAP_SYSLOG",
	[CAP_WAKE_ALARM] = "CAP_WAKE_ALARM",
	[CAP_BLOCK_SUSPEND] = "CAP_BLOCK_SUSPEND",
	[CAP_AUDIT_READ] = "CAP_AUDIT_READ",
	[CAP_PERFMON] = "CAP_PERFMON",
	[CAP_BPF] = "CAP_BPF",
	[CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

int
table_cap_from_name(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (cap_names[i] && strcmp(cap_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
table_cap_name(int cap)
{
	if (cap < 0 || (size_t)cap >= ARRAY_SIZE(cap_names))
		return NULL;
	return cap_names[cap];
}

int
table_cap_last(void)
{
	static int cached = -1;
	char buf[16];
	ssize_t n;
	int fd;

	if (cached >= 0)
		return cached;
	cached = (int)ARRAY_SIZE(cap_names) - 1; /* what this build knows, if /proc is unreadable */
	fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cached;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		char *end;
		buf[n] = '\0';
		long v = strtol(buf, &end, 10);
		if (end != buf && (*end == '\n' || *end == '\0') && v >= 0 && v < 64)
			cached = (int)v;
	}
	return cached;
}

/* ---- signals: names without the SIG prefix, first name per number is canonical ---- */
struct signal_name {
	const char *name;
	int signo;
};

static const struct signal_name signal_names[] = {
	{ "HUP", SIGHUP },	 { "INT", SIGINT },	  { "QUIT", SIGQUIT },
	{ "ILL", SIGILL },	 { "TRAP", SIGTRAP },	  { "ABRT", SIGABRT },
	{ "IOT", SIGIOT },	 { "BUS", SIGBUS },	  { "FPE", SIGFPE },
	{ "KILL", SIGKILL },	 { "USR1", SIGUSR1 },	  { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 },	 { "PIPE", SIGPIPE },	  { "ALRM", SIGALRM },
	{ "TERM", SIGTERM },	 { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },
	{ "CLD", SIGCHLD },	 { "CONT", SIGCONT },	  { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP },	 { "TTIN", SIGTTIN },	  { "TTOU", SIGTTOU },
	{ "URG", SIGURG },	 { "XCPU", SIGXCPU },	  { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },	  { "WINCH", SIGWINCH },
	{ "IO", SIGIO },	 { "POLL", SIGPOLL },	  { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

/* Real-time signal names as `kill -l` prints them: RTMIN+n for the lower half,
 * RTMAX-n for the upper half. */
static const char *const rtmin_names[] = {
	"SIGRTMIN",    "SIGRTMIN+1",  "SIGRTMIN+2",  "SIGRTMIN+3",  "SIGRTMIN+4",  "SIGRTMIN+5",
	"SIGRTMIN+6",  "SIGRTMIN+7",  "SIGRTMIN+8",  "SIGRTMIN+9",  "SIGRTMIN+10", "SIGRTMIN+11",
	"SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15",
};
static const char *const rtmax_names[] = {
	"SIGRTMAX",    "SIGRTMAX-1",  "SIGRTMAX-2",  "SIGRTMAX-3",  "SIGRTMAX-4",
	"SIGRTMAX-5",  "SIGRTMAX-6",  "SIGRTMAX-7",  "SIGRTMAX-8",  "SIGRTMAX-9",
	"SIGRTMAX-10", "SIGRTMAX-11", "SIGRTMAX-12", "SIGRTMAX-13", "SIGRTMAX-14",
};

/* Parses a non-empty run of decimal digits, at most 4 of them; -1 otherwise. */
static int
parse_small_uint(const char *s)
{
	int v = 0;
	size_t n = 0;

	for (; *s; s++, n++) {
		if (!isdigit((unsigned char)*s) || n >= 4)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return n ? v : -1;
}

/* "RTMIN", "RTMIN+3", "RTMAX-2" (already without SIG); -1 when not such a name. */
static int
signal_rt_from_name(const char *s)
{
	int base, sign, off = 0;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = SIGRTMIN;
		sign = 1;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = SIGRTMAX;
		sign = -1;
	} else {
		return -1;
	}
	s += 5;
	if (*s) {
		if ((sign > 0 && *s != '+') || (sign < 0 && *s != '-'))
			return -1;
		off = parse_small_uint(s + 1);
		if (off < 0)
			return -1;
	}
	int signo = base + sign * off;
	if (signo < SIGRTMIN || signo > SIGRTMAX)
		return -1;
	return signo;
}

int
table_signal_from_name(const char *name)
{
	const char *s = name;
	int n;

	if (!name || !*name)
		return -1;
	n = parse_small_uint(s);
	if (n >= 0)
		return n >= 1 && n <= SIGRTMAX ? n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (strcasecmp(signal_names[i].name, s) == 0)
			return signal_names[i].signo;
	return signal_rt_from_name(s);
}

const char *
table_signal_name(int signo)
{
	/* canonical names by number; aliases (IOT, CLD, POLL) only parse */
	static const char *const full[] = {
		[SIGHUP] = "SIGHUP",	   [SIGINT] = "SIGINT",	      [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL",	   [SIGTRAP] = "SIGTRAP",     [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS",	   [SIGFPE] = "SIGFPE",	      [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1",	   [SIGSEGV] = "SIGSEGV",     [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE",	   [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM",
		[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",     [SIGCONT] = "SIGCONT",
		[SIGSTOP] = "SIGSTOP",	   [SIGTSTP] = "SIGTSTP",     [SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU",	   [SIGURG] = "SIGURG",	      [SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ",	   [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH",   [SIGIO] = "SIGIO",	      [SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};

	if (signo > 0 && (size_t)signo < ARRAY_SIZE(full) && full[signo])
		return full[signo];
	if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
		int lo = signo - SIGRTMIN, hi = SIGRTMAX - signo;
		if (lo <= hi && (size_t)lo < ARRAY_SIZE(rtmin_names))
			return rtmin_names[lo];
		if ((size_t)hi < ARRAY_SIZE(rtmax_names))
			return rtmax_names[hi];
	}
	return NULL;
}

int
lc_signal_parse(const char *s)
{
	/* 0: no signal, only the checks (kill ID 0, a liveness probe, as runc takes it) */
	if (s && strcmp(s, "0") == 0)
		return 0;
	int signo = table_signal_from_name(s);

	return signo > 0 ? signo : -EINVAL;
}

/* ---- rlimits ---- */
struct rlimit_name {
	const char *name;
	int resource;
};

static const struct rlimit_name rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int
rlimit_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rlimit_name *)elem)->name);
}

int
table_rlimit_from_name(const char *name)
{
	const struct rlimit_name *r;

	if (!name)
		return -1;
	r = bsearch(name, rlimit_names, ARRAY_SIZE(rlimit_names), sizeof(rlimit_names[0]),
		    rlimit_cmp);
	return r ? r->resource : -1;
}

const char *
table_rlimit_name(int resource)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimit_names); i++)
		if (rlimit_names[i].resource == resource)
			return rlimit_names[i].name;
	return NULL;
}

/* ---- namespaces: indexed by enum ns_type ---- */
struct ns_info {
	const char *oci, *proc;
	int clone_flag;
};

static const struct ns_info ns_infos[NS__COUNT] = {
	[NS_PID] = { "pid", "pid", CLONE_NEWPID },
	[NS_NET] = { "network", "net", CLONE_NEWNET },
	[NS_MNT] = { "mount", "mnt", CLONE_NEWNS },
	[NS_IPC] = { "ipc", "ipc", CLONE_NEWIPC },
	[NS_UTS] = { "uts", "uts", CLONE_NEWUTS },
	[NS_USER] = { "user", "user", CLONE_NEWUSER },
	[NS_CGROUP] = { "cgroup", "cgroup", CLONE_NEWCGROUP },
	[NS_TIME] = { "time", "time", CLONE_NEWTIME },
};

int
table_ns_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < NS__COUNT; i++)
		if (strcmp(ns_infos[i].oci, name) == 0)
			return i;
	return -1;
}

const char *
table_ns_name(enum ns_type t)
{
	return (unsigned)t < NS__COUNT ? ns_infos[t].oci : NULL;
}

const char *
table_ns_proc_name(enum ns_type t)
{
	return (unsigned)t < NS__COUNT ? ns_infos[t].proc : NULL;
}

int
table_ns_clone_flag(enum ns_type t)
{
	return (unsigned)t < NS__COUNT ? ns_infos[t].clone_flag : 0;
}

/* ---- seccomp ---- */
struct seccomp_name {
	const char *name;
	int value;
};

/* sorted by name for bsearch; SCMP_ACT_KILL is the old spelling of KILL_THREAD */
static const struct seccomp_name seccomp_actions[] = {
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW_ },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO_ },
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD_ },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS_ },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD_ },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG_ },
	{ "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY_ },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE_ },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP_ },
};

static const struct seccomp_name seccomp_ops[] = {
	{ "SCMP_CMP_EQ", SCMP_OP_EQ }, { "SCMP_CMP_GE", SCMP_OP_GE },
	{ "SCMP_CMP_GT", SCMP_OP_GT }, { "SCMP_CMP_LE", SCMP_OP_LE },
	{ "SCMP_CMP_LT", SCMP_OP_LT }, { "SCMP_CMP_MASKED_EQ", SCMP_OP_MASKED_EQ },
	{ "SCMP_CMP_NE", SCMP_OP_NE },
};

static int
seccomp_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct seccomp_name *)elem)->name);
}

static int
seccomp_lookup(const struct seccomp_name *tab, size_t n, const char *name)
{
	const struct seccomp_name *e;

	if (!name)
		return -1;
	e = bsearch(name, tab, n, sizeof(tab[0]), seccomp_name_cmp);
	return e ? e->value : -1;
}

int
table_seccomp_action_from_name(const char *name)
{
	return seccomp_lookup(seccomp_actions, ARRAY_SIZE(seccomp_actions), name);
}

const char *
table_seccomp_action_name(enum seccomp_action a)
{
	static const char *const names[] = {
		[SCMP_ACT_KILL_THREAD_] = "SCMP_ACT_KILL_THREAD",
		[SCMP_ACT_KILL_PROCESS_] = "SCMP_ACT_KILL_PROCESS",
		[SCMP_ACT_TRAP_] = "SCMP_ACT_TRAP",
		[SCMP_ACT_ERRNO_] = "SCMP_ACT_ERRNO",
		[SCMP_ACT_TRACE_] = "SCMP_ACT_TRACE",
		[SCMP_ACT_ALLOW_] = "SCMP_ACT_ALLOW",
		[SCMP_ACT_LOG_] = "SCMP_ACT_LOG",
		[SCMP_ACT_NOTIFY_] = "SCMP_ACT_NOTIFY",
	};

	return (size_t)a < ARRAY_SIZE(names) ? names[a] : NULL;
}

int
table_seccomp_op_from_name(const char *name)
{
	return seccomp_lookup(seccomp_ops, ARRAY_SIZE(seccomp_ops), name);
}

const char *
table_seccomp_op_name(enum seccomp_op op)
{
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_ops); i++)
		if (seccomp_ops[i].value == (int)op)
			return seccomp_ops[i].name;
	return NULL;
}

/* The architectures of runtime-spec 1.3.0 (defs-linux.json SeccompArch). */
const char *const table_seccomp_arch_names[] = {
	"SCMP_ARCH_X86",	 "SCMP_ARCH_X86_64",	  "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64",	 "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64",	 "SCMP_ARCH_MIPS64N32",	  "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",	  "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_S390",	 "SCMP_ARCH_S390X",	  "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
	"SCMP_ARCH_PARISC",	 "SCMP_ARCH_PARISC64",	  "SCMP_ARCH_RISCV64", NULL,
};

const char *const table_seccomp_flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	NULL,
};

static bool
strv_contains(const char *const *v, const char *s)
{
	if (!s)
		return false;
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

bool
table_seccomp_arch_known(const char *name)
{
	return strv_contains(table_seccomp_arch_names, name);
}

bool
table_seccomp_flag_known(const char *name)
{
	return strv_contains(table_seccomp_flag_names, name);
}

/* ---- mount options, sorted by name ---- */
static const struct table_mount_opt mount_opts[] = {
	{ "async", MOPT_FLAG, 0, MS_SYNCHRONOUS, PROP_NONE },
	{ "atime", MOPT_FLAG, 0, MS_NOATIME, PROP_NONE },
	{ "bind", MOPT_BIND, MS_BIND, 0, PROP_NONE },
	{ "dev", MOPT_FLAG, 0, MS_NODEV, PROP_NONE },
	{ "diratime", MOPT_FLAG, 0, MS_NODIRATIME, PROP_NONE },
	{ "dirsync", MOPT_FLAG, MS_DIRSYNC, 0, PROP_NONE },
	{ "exec", MOPT_FLAG, 0, MS_NOEXEC, PROP_NONE },
	{ "idmap", MOPT_IDMAP, 0, 0, PROP_NONE },
	{ "mand", MOPT_FLAG, MS_MANDLOCK, 0, PROP_NONE },
	{ "noatime", MOPT_FLAG, MS_NOATIME, 0, PROP_NONE },
	{ "nodev", MOPT_FLAG, MS_NODEV, 0, PROP_NONE },
	{ "nodiratime", MOPT_FLAG, MS_NODIRATIME, 0, PROP_NONE },
	{ "noexec", MOPT_FLAG, MS_NOEXEC, 0, PROP_NONE },
	{ "nomand", MOPT_FLAG, 0, MS_MANDLOCK, PROP_NONE },
	{ "norelatime", MOPT_FLAG, 0, MS_RELATIME, PROP_NONE },
	{ "nostrictatime", MOPT_FLAG, 0, MS_STRICTATIME, PROP_NONE },
	{ "nosuid", MOPT_FLAG, MS_NOSUID, 0, PROP_NONE },
	{ "private", MOPT_PROPAGATION, 0, 0, PROP_PRIVATE },
	{ "rbind", MOPT_RBIND, MS_BIND | MS_REC, 0, PROP_NONE },
	{ "relatime", MOPT_FLAG, MS_RELATIME, 0, PROP_NONE },
	{ "remount", MOPT_FLAG, MS_REMOUNT, 0, PROP_NONE },
	{ "ridmap", MOPT_RIDMAP, 0, 0, PROP_NONE },
	{ "ro", MOPT_FLAG, MS_RDONLY, 0, PROP_NONE },
	{ "rprivate", MOPT_PROPAGATION, 0, 0, PROP_RPRIVATE },
	{ "rro", MOPT_RRO, 0, 0, PROP_NONE },
	{ "rrw", MOPT_RRW, 0, 0, PROP_NONE },
	{ "rshared", MOPT_PROPAGATION, 0, 0, PROP_RSHARED },
	{ "rslave", MOPT_PROPAGATION, 0, 0, PROP_RSLAVE },
	{ "runbindable", MOPT_PROPAGATION, 0, 0, PROP_RUNBINDABLE },
	{ "rw", MOPT_FLAG, 0, MS_RDONLY, PROP_NONE },
	{ "shared", MOPT_PROPAGATION, 0, 0, PROP_SHARED },
	{ "slave", MOPT_PROPAGATION, 0, 0, PROP_SLAVE },
	{ "strictatime", MOPT_FLAG, MS_STRICTATIME, 0, PROP_NONE },
	{ "suid", MOPT_FLAG, 0, MS_NOSUID, PROP_NONE },
	{ "sync", MOPT_FLAG, MS_SYNCHRONOUS, 0, PROP_NONE },
	{ "tmpcopyup", MOPT_TMPCOPYUP, 0, 0, PROP_NONE },
	{ "unbindable", MOPT_PROPAGATION, 0, 0, PROP_UNBINDABLE },
};

static int
mount_opt_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct table_mount_opt *)elem)->name);
}

const struct table_mount_opt *
table_mount_opt_from_name(const char *name)
{
	if (!name)
		return NULL;
	return bsearch(name, mount_opts, ARRAY_SIZE(mount_opts), sizeof(mount_opts[0]),
		       mount_opt_cmp);
}

unsigned long
table_propagation_flags(enum mnt_propagation p)
{
	switch (p) {
	case PROP_PRIVATE:
		return MS_PRIVATE;
	case PROP_RPRIVATE:
		return MS_PRIVATE | MS_REC;
	case PROP_SHARED:
		return MS_SHARED;
	case PROP_RSHARED:
		return MS_SHARED | MS_REC;
	case PROP_SLAVE:
		return MS_SLAVE;
	case PROP_RSLAVE:
		return MS_SLAVE | MS_REC;
	case PROP_UNBINDABLE:
		return MS_UNBINDABLE;
	case PROP_RUNBINDABLE:
		return MS_UNBINDABLE | MS_REC;
	case PROP_NONE:
		break;
	}
	return 0;
}

/* ---- namespaced sysctls ---- */
struct sysctl_rule {
	const char *key;
	bool prefix; /* key is a prefix ("net.") rather than a full name */
	enum ns_type ns;
};

/* Only these are per-namespace in the kernel; writing anything else would change the
 * host, whatever namespaces the container has. */
static const struct sysctl_rule sysctl_rules[] = {
	{ "kernel.msg", true, NS_IPC },		 { "kernel.sem", false, NS_IPC },
	{ "kernel.sem_next_id", false, NS_IPC }, { "kernel.shm", true, NS_IPC },
	{ "fs.mqueue.", true, NS_IPC },		 { "net.", true, NS_NET },
	{ "kernel.hostname", false, NS_UTS },	 { "kernel.domainname", false, NS_UTS },
};

/* A key becomes a path under /proc/sys: refuse anything that could climb out of it. */
static bool
sysctl_key_sane(const char *key)
{
	size_t len = strlen(key);

	if (len == 0 || key[0] == '.' || key[len - 1] == '.')
		return false;
	if (strstr(key, "..") || strchr(key, '/'))
		return false;
	for (const char *p = key; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

bool
table_sysctl_allowed(const char *key, const struct spec_linux *l)
{
	if (!key || !sysctl_key_sane(key))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(sysctl_rules); i++) {
		const struct sysctl_rule *r = &sysctl_rules[i];
		bool match = r->prefix ? strncmp(key, r->key, strlen(r->key)) == 0
				       : strcmp(key, r->key) == 0;
		/* a joined namespace (path) counts: it is the container's, not the host's,
		 * unless the operator chose otherwise */
		if (match)
			return l && l->ns[r->ns].present;
	}
	return false;
}

const char *
table_mount_opt_name_at(size_t i)
{
	return i < ARRAY_SIZE(mount_opts) ? mount_opts[i].name : NULL;
}

const char *
table_blkio_throttle_key(enum blkio_throttle t)
{
	static const char *const keys[BLKIO_THROTTLE__COUNT] = {
		[BLKIO_READ_BPS] = "throttleReadBpsDevice",
		[BLKIO_WRITE_BPS] = "throttleWriteBpsDevice",
		[BLKIO_READ_IOPS] = "throttleReadIOPSDevice",
		[BLKIO_WRITE_IOPS] = "throttleWriteIOPSDevice",
	};
	return (unsigned)t < BLKIO_THROTTLE__COUNT ? keys[t] : NULL;
}
