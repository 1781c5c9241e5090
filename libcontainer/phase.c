/* Phase marks (phase.h). The fd is close-on-exec: the container process, a clone of
 * the runtime, marks its own set-up through it and loses it at execve. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "strait.h"
#include "phase.h"

static int phase_fd = -1;

void
lc_phase_init(void)
{
	const char *path = getenv("STRAIT_PHASES");
	if (path && *path)
		phase_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	phase_mark("main");
}

void
phase_mark(const char *name)
{
	if (phase_fd < 0)
		return;
	struct timespec t;
	char line[96];
	clock_gettime(CLOCK_MONOTONIC, &t);
	int n = snprintf(line, sizeof(line), "%d %lld %s\n", (int)getpid(),
			 (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000, name);
	/* one write per line: O_APPEND keeps the runtime's and the container's apart */
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(phase_fd, line, (size_t)n);
}
