/* rusage: runs a command and appends one line to OUTFILE with its wall time, peak RSS
 * and exit status, so that bench/run.sh needs no GNU time:
 *   rusage OUTFILE CMD [ARG...]      ->  "<wall_us> <maxrss_kib> <status>"
 * With STRAIT_PHASES set it also appends the marks "fork" and "reaped" to that file,
 * in strait's phase format (libcontainer/phase.h), for bench/phases.sh.
 * maxrss is what wait4() reports for the child: the largest of its own peak RSS and
 * those of the descendants it reaped. Exits with the command's status. */
#ifndef _GNU_SOURCE /* config.h already defines it in the automake build */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	int status, code;
	FILE *out;
	pid_t pid;

	if (argc < 3) {
		fputs("usage: rusage OUTFILE CMD [ARG...]\n", stderr);
		return 2;
	}
	out = fopen(argv[1], "ae");
	if (!out) {
		fprintf(stderr, "rusage: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	const char *phases = getenv("STRAIT_PHASES");
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rusage: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rusage: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "rusage: wait4: %s\n", strerror(errno));
			return 2;
		}
	t1 = now_us();
	code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	fprintf(out, "%lld %ld %d\n", t1 - t0, ru.ru_maxrss, code);
	fclose(out);
	FILE *ph = phases && *phases ? fopen(phases, "ae") : NULL;
	if (ph) {
		fprintf(ph, "%d %lld fork\n%d %lld reaped\n", (int)pid, t0, (int)pid, t1);
		fclose(ph);
	}
	return code;
}
