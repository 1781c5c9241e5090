/* probe: a small static binary run inside test containers. Each subcommand looks at
 * one property of the process it runs as (fds, capabilities, ids, rlimits...) or
 * tries one operation and prints the outcome as plain "key=value" lines, so that the
 * bats suites can grep them. Built by tests/rootfs/build.sh with gcc -static (and
 * -m32 for the 32-bit variant); it uses libc only. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
errname(int e)
{
	static char buf[32];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static int
usage(void)
{
	fputs("usage: probe fds | caps | status [KEY...] | ids | cwd | personality\n"
	      "       probe exe-attack PATH [WAITFILE] | syscall NR [ARG...]\n"
	      "       probe sleep [SECONDS] | write PATH [DATA] | stat PATH\n"
	      "       probe rlimit NAME | setrlimit NAME SOFT HARD | exit N | kill SIG\n"
	      "       probe alloc MIB | forks N\n",
	      stderr);
	return 2;
}

/* Lists the open fds other than the one used to read /proc/self/fd, as "N TARGET". */
static int
cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int self;

	if (!d) {
		printf("error=%s\n", errname(errno));
		return 1;
	}
	self = dirfd(d);
	while ((de = readdir(d))) {
		char path[64], target[PATH_MAX];
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd == self)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			snprintf(target, sizeof(target), "?%s", errname(errno));
		else
			target[n] = '\0';
		printf("%d %s\n", fd, target);
	}
	closedir(d);
	return 0;
}

/* Prints the lines of /proc/self/status whose key is in keys (all when n == 0), or
 * whose key starts with prefix when prefix is set. */
static int
print_status(const char *prefix, char **keys, int n)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[512];

	if (!f) {
		printf("error=%s\n", errname(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t klen = strcspn(line, ":");
		int want = n == 0 && !prefix;

		if (prefix && strncmp(line, prefix, strlen(prefix)) == 0)
			want = 1;
		for (int i = 0; i < n; i++)
			if (strlen(keys[i]) == klen && strncmp(line, keys[i], klen) == 0)
				want = 1;
		if (want)
			fputs(line, stdout);
	}
	fclose(f);
	return 0;
}

static int
cmd_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t groups[256];
	int n = getgroups(256, groups);
	mode_t m = umask(0);

	umask(m);
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("pid=%d\n", (int)getpid());
	printf("uid=%u,%u,%u\n", r, e, s);
	printf("gid=%u,%u,%u\n", gr, ge, gs);
	printf("groups=");
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", groups[i]);
	printf("\numask=%04o\n", (unsigned)m);
	return 0;
}

/* Appends a marker to an fd opened for writing: the attack succeeded. */
static void
deface(int fd, const char *what)
{
	if (lseek(fd, 0, SEEK_END) < 0 || write(fd, "PWNED\n", 6) != 6)
		printf("%s-write=%s\n", what, errname(errno));
	else
		printf("%s-write=OK\n", what);
}

static void
try_reopen(int pathfd, const char *what)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", pathfd);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s=%s\n", what, errname(errno));
		return;
	}
	printf("%s=OK\n", what);
	deface(fd, what);
	close(fd);
}

/* The CVE-2019-5736 pattern: open a binary (typically /proc/PID/exe of a runtime
 * process) for writing directly, and through an O_PATH fd re-opened via /proc/self/fd,
 * again once WAITFILE appears (after the runtime process has moved on). */
static int
cmd_exe_attack(const char *path, const char *waitfile)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int pfd;

	if (fd < 0) {
		printf("open-wronly=%s\n", errname(errno));
	} else {
		printf("open-wronly=OK\n");
		deface(fd, "open-wronly");
		close(fd);
	}
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0) {
		printf("open-path=%s\n", errname(errno));
		return 0;
	}
	printf("open-path=OK\n");
	try_reopen(pfd, "reopen-wronly");
	if (waitfile) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		int i;

		/* Announce that the O_PATH fd is held, then wait for the test's signal. */
		printf("waiting=1\n");
		fflush(stdout);
		for (i = 0; i < 400 && access(waitfile, F_OK) != 0; i++)
			nanosleep(&ts, NULL);
		if (i == 400)
			printf("wait=timeout\n");
		try_reopen(pfd, "reopen-after-wait");
	}
	fflush(stdout);
	return 0;
}

static int
cmd_syscall(int argc, char **argv)
{
	long a[6] = { 0 };
	long nr, ret;

	if (argc < 1 || argc > 7)
		return usage();
	nr = strtol(argv[0], NULL, 0);
	for (int i = 1; i < argc; i++)
		a[i - 1] = strtol(argv[i], NULL, 0);
	errno = 0;
	ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ret == -1 && errno)
		printf("errno=%s\n", errname(errno));
	else
		printf("ret=%ld\n", ret);
	return 0;
}

static int
cmd_write(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(data);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		printf("write=%s\n", errname(errno));
		return 1;
	}
	close(fd);
	printf("write=OK\n");
	return 0;
}

static int
cmd_stat(const char *path)
{
	struct stat st;
	char type = '?';

	if (lstat(path, &st) < 0) {
		printf("stat=%s\n", errname(errno));
		return 1;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFCHR: type = 'c'; break;
	case S_IFBLK: type = 'b'; break;
	case S_IFDIR: type = 'd'; break;
	case S_IFREG: type = 'f'; break;
	case S_IFLNK: type = 'l'; break;
	case S_IFIFO: type = 'p'; break;
	case S_IFSOCK: type = 's'; break;
	}
	printf("type=%c mode=%04o uid=%u gid=%u rdev=%u:%u\n", type,
	       (unsigned)(st.st_mode & 07777), st.st_uid, st.st_gid, major(st.st_rdev),
	       minor(st.st_rdev));
	return 0;
}

static const struct {
	const char *name;
	int res;
} rlimits[] = {
	{ "AS", RLIMIT_AS },	     { "CORE", RLIMIT_CORE },
	{ "CPU", RLIMIT_CPU },	     { "DATA", RLIMIT_DATA },
	{ "FSIZE", RLIMIT_FSIZE },   { "LOCKS", RLIMIT_LOCKS },
	{ "MEMLOCK", RLIMIT_MEMLOCK }, { "MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "NICE", RLIMIT_NICE },     { "NOFILE", RLIMIT_NOFILE },
	{ "NPROC", RLIMIT_NPROC },   { "RSS", RLIMIT_RSS },
	{ "RTPRIO", RLIMIT_RTPRIO }, { "RTTIME", RLIMIT_RTTIME },
	{ "SIGPENDING", RLIMIT_SIGPENDING }, { "STACK", RLIMIT_STACK },
};

static int
rlimit_lookup(const char *name)
{
	if (strncmp(name, "RLIMIT_", 7) == 0)
		name += 7;
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++)
		if (strcmp(rlimits[i].name, name) == 0)
			return rlimits[i].res;
	return -1;
}

static void
print_lim(rlim_t v)
{
	if (v == RLIM_INFINITY)
		printf("unlimited");
	else
		printf("%llu", (unsigned long long)v);
}

static rlim_t
parse_lim(const char *s)
{
	return strcmp(s, "unlimited") == 0 ? RLIM_INFINITY : strtoull(s, NULL, 0);
}

static int
cmd_rlimit(int argc, char **argv)
{
	struct rlimit rl;
	int res;

	if (argc < 1 || (res = rlimit_lookup(argv[0])) < 0)
		return usage();
	if (argc == 3) {
		rl.rlim_cur = parse_lim(argv[1]);
		rl.rlim_max = parse_lim(argv[2]);
		if (setrlimit(res, &rl) < 0) {
			printf("setrlimit=%s\n", errname(errno));
			return 1;
		}
		printf("setrlimit=OK\n");
		return 0;
	}
	if (getrlimit(res, &rl) < 0) {
		printf("rlimit=%s\n", errname(errno));
		return 1;
	}
	printf("soft=");
	print_lim(rl.rlim_cur);
	printf(" hard=");
	print_lim(rl.rlim_max);
	printf("\n");
	return 0;
}

/* Allocates and touches mib MiB, one MiB at a time, reporting progress. */
static int
cmd_alloc(long mib)
{
	for (long i = 0; i < mib; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED) {
			printf("alloc=%s after=%ld\n", errname(errno), i);
			return 1;
		}
		memset(p, 1, 1 << 20);
	}
	printf("allocated=%ld\n", mib);
	return 0;
}

/* Forks up to n children that wait, reports how many forks worked and why the first
 * one failed, then ends them. */
static int
cmd_forks(int n)
{
	pid_t pids[256];
	int ok = 0, err = 0;

	if (n > 256)
		n = 256;
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			err = errno;
			break;
		}
		pids[ok++] = p;
	}
	printf("forked=%d error=%s\n", ok, err ? errname(err) : "none");
	for (int i = 0; i < ok; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char buf[PATH_MAX];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "fds") == 0)
		return cmd_fds();
	if (strcmp(cmd, "caps") == 0)
		return print_status("Cap", NULL, 0);
	if (strcmp(cmd, "status") == 0)
		return print_status(NULL, argv + 2, argc - 2);
	if (strcmp(cmd, "ids") == 0)
		return cmd_ids();
	if (strcmp(cmd, "cwd") == 0) {
		if (!getcwd(buf, sizeof(buf))) {
			printf("cwd=%s\n", errname(errno));
			return 1;
		}
		printf("%s\n", buf);
		return 0;
	}
	if (strcmp(cmd, "personality") == 0) {
		printf("personality=0x%x\n", (unsigned)personality(0xffffffff));
		return 0;
	}
	if (strcmp(cmd, "exe-attack") == 0 && (argc == 3 || argc == 4))
		return cmd_exe_attack(argv[2], argc == 4 ? argv[3] : NULL);
	if (strcmp(cmd, "syscall") == 0)
		return cmd_syscall(argc - 2, argv + 2);
	if (strcmp(cmd, "sleep") == 0) {
		if (argc > 2) {
			struct timespec ts = { atoi(argv[2]), 0 };
			nanosleep(&ts, NULL);
			return 0;
		}
		for (;;)
			pause();
	}
	if (strcmp(cmd, "write") == 0 && (argc == 3 || argc == 4))
		return cmd_write(argv[2], argc == 4 ? argv[3] : "probe\n");
	if (strcmp(cmd, "stat") == 0 && argc == 3)
		return cmd_stat(argv[2]);
	if (strcmp(cmd, "rlimit") == 0 || strcmp(cmd, "setrlimit") == 0)
		return cmd_rlimit(argc - 2, argv + 2);
	if (strcmp(cmd, "alloc") == 0 && argc == 3)
		return cmd_alloc(atol(argv[2]));
	if (strcmp(cmd, "forks") == 0 && argc == 3)
		return cmd_forks(atoi(argv[2]));
	if (strcmp(cmd, "exit") == 0 && argc == 3)
		return atoi(argv[2]);
	if (strcmp(cmd, "kill") == 0 && argc == 3) {
		int sig = atoi(argv[2]);

		signal(sig, SIG_DFL);
		raise(sig);
		return 100;
	}
	return usage();
}
