/* sctest: the seccomp test program run inside test containers (static; built for
 * x86_64 as /bin/sctest and for i386 as /bin/sctest32 by seccomp-helpers.bash). It
 * makes raw syscalls and prints one line per call, so that the bats suites can tell
 * an errno returned by a filter from a signal or from the kernel's own answer:
 *   ret=N        the call returned N
 *   errno=N      the call failed with errno N (numeric: errnoRet may be any value)
 * Several commands can be chained with "--"; nothing else is called in between. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
usage(void)
{
	fputs("usage: sctest CMD [-- CMD]...\n"
	      "  sys NR [ARG...]     syscall(NR, ARG...) through libc's syscall()\n"
	      "  int80 NR [ARG...]   the i386 ABI through int $0x80 (also from x86_64), 5 args\n"
	      "  thread NR [ARG...]  the syscall in a second thread; then main-alive=1\n"
	      "  sleep               pause until killed\n",
	      stderr);
	return 2;
}

static void
report(long ret, int err)
{
	if (err)
		printf("errno=%d\n", err);
	else
		printf("ret=%ld\n", ret);
}

static void
parse_args(int argc, char **argv, long *nr, long a[6])
{
	*nr = strtol(argv[0], NULL, 0);
	for (int i = 1; i < argc && i <= 6; i++)
		a[i - 1] = (long)strtoull(argv[i], NULL, 0);
}

static void
do_sys(int argc, char **argv)
{
	long a[6] = { 0 }, nr, r;

	parse_args(argc, argv, &nr, a);
	errno = 0;
	r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	report(r, r == -1 ? errno : 0);
}

/* int $0x80 enters the kernel through the i386 entry: seccomp sees AUDIT_ARCH_I386
 * even when an x86_64 process executes it (the classic filter bypass). Arguments
 * are truncated to 32 bits, as the kernel does; five at most. */
static void
do_int80(int argc, char **argv)
{
	long a[6] = { 0 }, nr;
	int r;

	parse_args(argc, argv, &nr, a);
#if defined(__x86_64__)
	/* The sixth argument (ebp) is not passed: no test needs it. */
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory", "cc", "r8", "r9", "r10", "r11");
#elif defined(__i386__)
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
			 : "memory", "cc");
#else
	(void)a;
	r = -ENOSYS;
	fputs("int80: not an x86 build\n", stderr);
#endif
	report(r, r < 0 && r > -4096 ? -r : 0);
}

struct thread_call {
	int argc;
	char **argv;
};

static void *
thread_main(void *p)
{
	struct thread_call *c = p;

	do_sys(c->argc, c->argv);
	fflush(stdout);
	return NULL;
}

/* SCMP_ACT_KILL_THREAD ends the calling thread only; KILL_PROCESS ends them all. */
static int
do_thread(int argc, char **argv)
{
	struct thread_call c = { argc, argv };
	pthread_t t;

	if (pthread_create(&t, NULL, thread_main, &c) != 0) {
		puts("thread=failed");
		return 1;
	}
	pthread_join(t, NULL);
	puts("main-alive=1");
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	for (int i = 1; i < argc;) {
		int end = i + 1;

		while (end < argc && strcmp(argv[end], "--") != 0)
			end++;
		const char *cmd = argv[i];
		int n = end - i - 1;
		char **args = argv + i + 1;

		if (strcmp(cmd, "sys") == 0 && n >= 1)
			do_sys(n, args);
		else if (strcmp(cmd, "int80") == 0 && n >= 1)
			do_int80(n, args);
		else if (strcmp(cmd, "thread") == 0 && n >= 1)
			do_thread(n, args);
		else if (strcmp(cmd, "sleep") == 0)
			for (;;)
				pause();
		else
			return usage();
		i = end + 1;
	}
	return 0;
}
