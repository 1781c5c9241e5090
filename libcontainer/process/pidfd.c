/* pidfds: the runtime signals the processes it made through them, so that a signal
 * never reaches a recycled pid, and learns their host pid from the kernel. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "process/process.h"

pid_t
pidfd_pid(int pidfd)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long pid = -1;
	/* "Pid:" is the pid in the pid namespace of the /proc read: the runtime's. */
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Pid: %ld", &pid) == 1)
			break;
	fclose(f);
	return (pid_t)pid;
}

int
pidfd_kill(int pidfd, pid_t pid, int signo)
{
	if (pidfd >= 0)
		return (int)syscall(SYS_pidfd_send_signal, pidfd, signo, NULL, 0);
	return kill(pid, signo);
}
