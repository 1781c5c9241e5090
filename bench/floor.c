/* floor: the least a container start can cost, as the benchmark's baseline. It clones
 * with the namespaces of strait's default spec (pid, net, ipc, uts, mount, cgroup);
 * the child makes the mount tree private, binds the rootfs, pivot_roots into it,
 * detaches the old root and execs the command. No cgroups, no /proc, no devices.
 *   floor ROOTFS [CMD [ARG...]]      (default CMD: /bin/true)
 * Exits with the command's status, or 128+N when it died of signal N. */
#ifndef _GNU_SOURCE /* config.h already defines it in the automake build */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct child_args {
	const char *rootfs;
	char **argv;
};

static int
die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	return 127;
}

static int
child(void *p)
{
	const struct child_args *a = p;
	static char *envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", NULL };

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return die("make / private");
	if (mount(a->rootfs, a->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return die("bind rootfs");
	if (chdir(a->rootfs) < 0)
		return die("chdir rootfs");
	/* pivot_root(".", "."): the old root ends up stacked on the new one and is
	 * detached right away (pivot_root(2)). */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return die("umount old root");
	if (chdir("/") < 0)
		return die("chdir /");
	execve(a->argv[0], a->argv, envp);
	return die(a->argv[0]);
}

int
main(int argc, char **argv)
{
	static char *def[] = { "/bin/true", NULL };
	struct child_args a = { argc > 1 ? argv[1] : NULL, argc > 2 ? argv + 2 : def };
	const int flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS |
			  CLONE_NEWCGROUP | SIGCHLD;
	const size_t stack_size = 64 * 1024;
	char *stack;
	pid_t pid;
	int status;

	if (!a.rootfs) {
		fputs("usage: floor ROOTFS [CMD [ARG...]]\n", stderr);
		return 2;
	}
	stack = malloc(stack_size);
	if (!stack)
		return die("malloc");
	pid = clone(child, stack + stack_size, flags, &a);
	if (pid < 0)
		return die("clone");
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return die("waitpid");
	free(stack);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
