/* strait's built-in RuntimeDefault profile, written from the kernel's syscall tables
 * (arch/x86/entry/syscalls/syscall_{64,32}.tbl) up to futex_requeue (456), the newest
 * syscall Debian 12's libseccomp 2.5.4 knows (a name it does not know would only be
 * skipped with a warning). Default: SCMP_ACT_ERRNO(EPERM); newer syscalls get ENOSYS
 * from the version-skew rule (bpf.c). Groups below say why each family is in or out. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include "seccomp/internal.h"

/* Files and directories: descriptors, paths, metadata, xattrs, locks, sync. */
static const char *const allow_files[] = {
	"access", "chdir", "chmod", "chown", "close", "close_range", "copy_file_range", "creat",
	"dup", "dup2", "dup3", "faccessat", "faccessat2", "fadvise64", "fallocate", "fchdir",
	"fchmod", "fchmodat", "fchmodat2", "fchown", "fchownat", "fcntl", "fdatasync",
	"fgetxattr", "flistxattr", "flock", "fremovexattr", "fsetxattr", "fstat", "fstatfs",
	"fsync", "ftruncate", "futimesat", "getcwd", "getdents", "getdents64", "getxattr",
	"lchown", "lgetxattr", "link", "linkat", "listxattr", "llistxattr", "lremovexattr",
	"lseek", "lsetxattr", "lstat", "mkdir", "mkdirat", "newfstatat", "open", "openat",
	"openat2", "pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read",
	"readahead", "readlink", "readlinkat", "readv", "removexattr", "rename", "renameat",
	"renameat2", "rmdir", "sendfile", "setxattr", "splice", "stat", "statfs", "statx",
	"symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "tee", "truncate", "umask",
	"unlink", "unlinkat", "utime", "utimensat", "utimes", "vmsplice", "write", "writev",
	/* name_to_handle_at only encodes a handle; opening one (open_by_handle_at) is
	 * what escapes a mount namespace and stays denied */
	"name_to_handle_at",
	/* device nodes: the devices cgroup and the mount's nodev decide what they open */
	"mknod", "mknodat",
	/* build roots and package managers chroot; the mount namespace confines it */
	"chroot",
	NULL,
};

/* Memory, threads, futexes, scheduling of the caller's own tasks. */
static const char *const allow_memory[] = {
	"arch_prctl", "brk", "cachestat", "futex", "futex_requeue", "futex_wait", "futex_waitv",
	"futex_wake", "get_mempolicy", "get_robust_list", "get_thread_area", "getcpu",
	"madvise", "map_shadow_stack", "mbind", "membarrier", "memfd_create", "memfd_secret",
	"mincore", "mlock", "mlock2", "mlockall", "mmap", "mprotect", "mremap", "msync",
	"munlock", "munlockall", "munmap", "pkey_alloc", "pkey_free", "pkey_mprotect",
	"remap_file_pages", "rseq", "sched_get_priority_max", "sched_get_priority_min",
	"sched_getaffinity", "sched_getattr", "sched_getparam", "sched_getscheduler",
	"sched_rr_get_interval", "sched_setaffinity", "sched_setattr", "sched_setparam",
	"sched_setscheduler", "sched_yield", "set_mempolicy", "set_mempolicy_home_node",
	"set_robust_list", "set_thread_area", "set_tid_address",
	/* 16-bit segments: wine, dosemu and old i386 threading */
	"modify_ldt",
	NULL,
};

/* Processes, signals, credentials (the capability set bounds what they can do),
 * limits and the process's own attributes. */
static const char *const allow_process[] = {
	"alarm", "capget", "capset", "execve", "execveat", "exit", "exit_group", "fork",
	"getegid", "geteuid", "getgid", "getgroups", "getitimer", "getpgid", "getpgrp", "getpid",
	"getppid", "getpriority", "getresgid", "getresuid", "getrlimit", "getrusage", "getsid",
	"gettid", "getuid", "ioprio_get", "ioprio_set", "kill", "pause", "pidfd_getfd",
	"pidfd_open", "pidfd_send_signal", "prctl", "prlimit64", "process_madvise",
	"process_mrelease", "restart_syscall", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_tgsigqueueinfo", "setfsgid", "setfsuid", "setgid", "setgroups",
	"setitimer", "setpgid", "setpriority", "setregid", "setresgid", "setresuid", "setreuid",
	"setrlimit", "setsid", "setuid", "sigaltstack", "tgkill", "tkill", "times", "vfork",
	"wait4", "waitid",
	/* since Linux 4.8 seccomp runs again after a tracer changes a syscall, so
	 * debuggers and tracers cannot be used to step around the filter */
	"kcmp", "process_vm_readv", "process_vm_writev", "ptrace",
	/* sandboxing only ever narrows what the caller can do */
	"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "seccomp",
	NULL,
};

/* Time reading and timers (setting the clock is out, see below). */
static const char *const allow_time[] = {
	"clock_getres", "clock_gettime", "clock_nanosleep", "gettimeofday", "nanosleep",
	"time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
	"timer_settime", "timerfd_create", "timerfd_gettime", "timerfd_settime",
	NULL,
};

/* Sockets, polling, events, pipes, SysV and POSIX IPC (namespaced by the ipc ns),
 * async I/O, notification of file changes, host names of the uts namespace. */
static const char *const allow_io[] = {
	"accept", "accept4", "bind", "connect", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old",
	"eventfd", "eventfd2", "fanotify_init", "fanotify_mark", "getpeername", "getrandom",
	"getsockname", "getsockopt", "inotify_add_watch", "inotify_init", "inotify_init1",
	"inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
	"io_setup", "io_submit", "ioctl", "listen", "mq_getsetattr", "mq_notify", "mq_open",
	"mq_timedreceive", "mq_timedsend", "mq_unlink", "msgctl", "msgget", "msgrcv", "msgsnd",
	"pipe", "pipe2", "poll", "ppoll", "pselect6", "recvfrom", "recvmmsg", "recvmsg",
	"select", "semctl", "semget", "semop", "semtimedop", "sendmmsg", "sendmsg", "sendto",
	"setdomainname", "sethostname", "setsockopt", "shmat", "shmctl", "shmdt", "shmget",
	"shutdown", "signalfd", "signalfd4", "socket", "socketpair", "sysinfo", "uname",
	"ustat", "sysfs",
	NULL,
};

/* i386 (and x32-reachable) spellings: 32-bit ids, 64-bit offsets and time64 calls of
 * the same operations as above, and the socketcall/ipc multiplexers. */
static const char *const allow_compat[] = {
	"_llseek", "_newselect", "chown32", "clock_getres_time64", "clock_gettime64",
	"clock_nanosleep_time64", "fadvise64_64", "fchown32", "fcntl64", "fstat64",
	"fstatat64", "fstatfs64", "ftruncate64", "futex_time64", "getegid32", "geteuid32",
	"getgid32", "getgroups32", "getresgid32", "getresuid32", "getuid32", "io_pgetevents_time64",
	"ipc", "lchown32", "lstat64", "mmap2", "mq_timedreceive_time64", "mq_timedsend_time64",
	"nice", "oldfstat", "oldlstat", "oldolduname", "oldstat", "olduname", "ppoll_time64",
	"pselect6_time64", "readdir", "recvmmsg_time64", "rt_sigtimedwait_time64",
	"sched_rr_get_interval_time64", "semtimedop_time64", "sendfile64", "setfsgid32",
	"setfsuid32", "setgid32", "setgroups32", "setregid32", "setresgid32", "setresuid32",
	"setreuid32", "setuid32", "sgetmask", "sigaction", "signal", "sigpending",
	"sigprocmask", "sigreturn", "sigsuspend", "socketcall", "ssetmask", "stat64",
	"statfs64", "timer_gettime64", "timer_settime64", "timerfd_gettime64",
	"timerfd_settime64", "truncate64", "ugetrlimit", "utimensat_time64", "waitpid",
	NULL,
};

/* Not listed, so denied with EPERM by the default action:
 *  - mounts: mount, umount, umount2, pivot_root, move_mount, open_tree, fsopen,
 *    fsconfig, fsmount, fspick, mount_setattr (the container's view of the fs is
 *    fixed by the runtime), and quotactl, quotactl_fd;
 *  - kernel code and state: kexec_load, kexec_file_load, init_module, finit_module,
 *    delete_module, bpf, perf_event_open, iopl, ioperm, syslog, acct, lookup_dcookie,
 *    vhangup, _sysctl, uselib, vm86, vm86old;
 *  - the kernel keyring (not namespaced): keyctl, add_key, request_key;
 *  - namespaces: setns (and unshare/clone with CLONE_NEW*, below);
 *  - the host clock: clock_settime(64), settimeofday, stime, adjtimex, clock_adjtime(64);
 *  - swapon, swapoff, reboot; open_by_handle_at (CVE-2014-3519 class escapes);
 *    userfaultfd (stalls kernel threads on a fault: a race-widening primitive);
 *  - other processes' memory placement: migrate_pages, move_pages. */

/* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. clone's low byte is the
 * exit signal, so CLONE_NEWTIME (0x80) is only reachable through unshare and clone3. */
#define CLONE_NS_MASK 0x7e020000ull
#define UNSHARE_NS_MASK (CLONE_NS_MASK | 0x80ull)

/* personality(2) takes an unsigned int: compare the low 32 bits only, as the kernel
 * reads them. PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32, and 0xffffffff,
 * which queries the persona without changing it. */
static const uint64_t personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

/* Denied with ENOSYS rather than EPERM, so that callers take their fallback:
 * clone3 passes its flags in memory the filter cannot read (libc falls back to clone,
 * whose flags it can); io_uring runs file and socket operations in the kernel where
 * no seccomp filter sees them (libraries fall back to plain syscalls). */
static const char *const enosys_names[] = {
	"clone3", "io_uring_enter", "io_uring_register", "io_uring_setup", NULL,
};

struct builder {
	struct spec_seccomp *s;
	size_t cap;
};

static struct spec_seccomp_rule *
new_rule(struct builder *b, enum seccomp_action a)
{
	if (b->s->n_rules == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct spec_seccomp_rule *r = realloc(b->s->rules, cap * sizeof(*r));
		if (!r)
			return NULL;
		b->s->rules = r, b->cap = cap;
	}
	struct spec_seccomp_rule *r = &b->s->rules[b->s->n_rules++];
	*r = (struct spec_seccomp_rule){ .action = a };
	return r;
}

static int
strv_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(char *));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -ENOMEM;
	nv[++*n] = NULL;
	return 0;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One ALLOW rule with every unconditional name, sorted: one entry reads best. */
static int
add_allow_all(struct builder *b)
{
	static const char *const *const groups[] = { allow_files, allow_memory, allow_process,
						      allow_time,  allow_io,	allow_compat };
	struct spec_seccomp_rule *r = new_rule(b, SCMP_ACT_ALLOW_);

	if (!r)
		return -ENOMEM;
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++)
		for (const char *const *n = groups[g]; *n; n++)
			if (strv_push(&r->names, &r->n_names, *n) < 0)
				return -ENOMEM;
	qsort(r->names, r->n_names, sizeof(char *), strp_cmp);
	return 0;
}

/* An ALLOW rule for name when (arg0 & mask) == value. */
static int
add_masked(struct builder *b, const char *name, uint64_t mask, uint64_t value)
{
	struct spec_seccomp_rule *r = new_rule(b, SCMP_ACT_ALLOW_);

	if (!r || strv_push(&r->names, &r->n_names, name) < 0)
		return -ENOMEM;
	r->args = calloc(1, sizeof(*r->args));
	if (!r->args)
		return -ENOMEM;
	r->n_args = 1;
	r->args[0] = (struct spec_seccomp_arg){ .index = 0, .value = mask, .value_two = value,
						.op = SCMP_OP_MASKED_EQ };
	return 0;
}

static int
add_rules(struct builder *b)
{
	struct spec_seccomp_rule *r;

	if (add_allow_all(b) < 0 || add_masked(b, "clone", CLONE_NS_MASK, 0) < 0 ||
	    add_masked(b, "unshare", UNSHARE_NS_MASK, 0) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(personalities); i++)
		if (add_masked(b, "personality", 0xffffffffull, personalities[i]) < 0)
			return -ENOMEM;
	r = new_rule(b, SCMP_ACT_ERRNO_);
	if (!r)
		return -ENOMEM;
	r->has_errno_ret = true;
	r->errno_ret = ENOSYS;
	for (const char *const *n = enosys_names; *n; n++)
		if (strv_push(&r->names, &r->n_names, *n) < 0)
			return -ENOMEM;
	return 0;
}

/* The native arch and the ones its kernel also runs (compat syscalls must be filtered,
 * not merely refused by the bad-arch action, for 32-bit programs to work). */
static int
add_architectures(struct spec_seccomp *s)
{
	static const struct {
		uint32_t native;
		const char *names[4];
	} families[] = {
		{ SCMP_ARCH_X86_64, { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL } },
		{ SCMP_ARCH_AARCH64, { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL } },
		{ SCMP_ARCH_PPC64LE, { "SCMP_ARCH_PPC64LE", NULL } },
		{ SCMP_ARCH_S390X, { "SCMP_ARCH_S390X", "SCMP_ARCH_S390", NULL } },
		{ SCMP_ARCH_RISCV64, { "SCMP_ARCH_RISCV64", NULL } },
	};
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		if (families[i].native != native)
			continue;
		for (const char *const *n = families[i].names; *n; n++)
			if (strv_push(&s->architectures, &s->n_architectures, *n) < 0)
				return -ENOMEM;
		return 0;
	}
	return strv_push(&s->architectures, &s->n_architectures, seccomp_native_arch_name());
}

int
seccomp_default_profile(struct spec_seccomp **ret)
{
	struct spec_seccomp *s = calloc(1, sizeof(*s));
	struct builder b = { .s = s };

	if (!s)
		return -ENOMEM;
	s->present = true;
	s->default_action = SCMP_ACT_ERRNO_;
	s->has_default_errno_ret = true;
	s->default_errno_ret = EPERM;
	if (add_architectures(s) < 0 || add_rules(&b) < 0) {
		seccomp_spec_free(s);
		return -ENOMEM;
	}
	*ret = s;
	return 0;
}

int
seccomp_default_profile_json(char **ret_json)
{
	struct spec_seccomp *s;
	int r = seccomp_default_profile(&s);

	if (r < 0)
		return r;
	r = seccomp_spec_to_json(s, true, ret_json);
	seccomp_spec_free(s);
	return r;
}
