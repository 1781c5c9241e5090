/* obsloop: times one syscall in a tight loop inside a container, for
 * bench/observe-bench.sh (observe mode: a syscall the base allows against one it
 * denies, enforced and recorded). Static, libc only.
 *   obsloop getppid|getpgid N ROUNDS
 * Each round makes N raw calls between two clock_gettime(CLOCK_MONOTONIC) reads (vDSO:
 * the filter never sees the clock). Prints one line per round, "round ns_per_call=X",
 * then "calls=TOTAL failed=F errno=E": F calls returned -1 (the last errno E), so the
 * script can tell a denied call (enforce: every call fails with EPERM) from a recorded
 * one (log: the twin lets it through, none fail), and check the evidence's count. */
#define _GNU_SOURCE
#include <errno.h>
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

int
main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0, nr, failed = 0;
	int rounds = argc > 3 ? atoi(argv[3]) : 0, last_errno = 0;

	if (argc != 4 || n <= 0 || rounds <= 0) {
		fputs("usage: obsloop getppid|getpgid N ROUNDS\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "getppid") == 0) {
		nr = SYS_getppid;
	} else if (strcmp(argv[1], "getpgid") == 0) {
		nr = SYS_getpgid; /* getpgid(0): the caller's group, no side effect */
	} else {
		fprintf(stderr, "obsloop: unknown syscall %s\n", argv[1]);
		return 2;
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++) {
			if (syscall(nr, 0L) < 0) {
				failed++;
				last_errno = errno;
			}
		}
		printf("round ns_per_call=%.2f\n", (now_ns() - t0) / (double)n);
	}
	printf("calls=%ld failed=%ld errno=%d\n", n * rounds, failed, last_errno);
	return 0;
}
