/* sysloop: times one syscall in a tight loop, for bench/seccomp-bench.sh. Runs inside
 * a container (static, libc only). Each of ROUNDS rounds makes N raw calls between
 * two clock_gettime(CLOCK_MONOTONIC) reads (vDSO: no syscall, so the filter does not
 * see the clock). Printed: "NAME ns_per_call=MIN median=MEDIAN" over the rounds; the
 * minimum is the figure least disturbed by other load on the machine.
 *   getppid      no arguments: the cost of reaching an ALLOW in the filter
 *   personality  personality(0xffffffff), a query: profiles allow it only for some
 *                argument values, so the filter compares the argument first */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	double per[64];
	long nr, arg = 0;

	if (argc < 2 || n <= 0 || rounds <= 0 || rounds > 64) {
		fputs("usage: sysloop getppid|personality [N [ROUNDS]]\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "getppid") == 0) {
		nr = SYS_getppid;
	} else if (strcmp(argv[1], "personality") == 0) {
		nr = SYS_personality;
		arg = 0xffffffffL;
	} else {
		fprintf(stderr, "sysloop: unknown syscall %s\n", argv[1]);
		return 2;
	}
	/* a denied call would make the figure meaningless */
	if (syscall(nr, arg) < 0) {
		perror(argv[1]);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++)
			syscall(nr, arg);
		per[r] = (now_ns() - t0) / (double)n;
	}
	qsort(per, (size_t)rounds, sizeof(per[0]), cmp_double);
	printf("%s ns_per_call=%.2f median=%.2f\n", argv[1], per[0], per[rounds / 2]);
	return 0;
}
