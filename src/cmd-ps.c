/* `strait ps [--format table|json] ID [ps options]`: json prints the pids; table runs
 * the host's ps (default -ef) and keeps the rows of the container's processes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "macro.h"

static bool
has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* The first line of what ps wrote on fd (its stderr), for a one-line error. */
static void
first_line(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* Runs ps with args and prints its header and the rows whose PID column is ours. ps's
 * stderr is kept aside: a failing ps becomes one line naming its status and message. */
static int
ps_table(char **args, const pid_t *pids, size_t n)
{
	int p[2], errfd = memfd_create("ps-stderr", MFD_CLOEXEC);
	if (errfd < 0 || pipe2(p, O_CLOEXEC) < 0)
		return cli_failf("ps: pipe failed");
	pid_t child = fork();
	if (child == 0) {
		dup2(p[1], STDOUT_FILENO);
		dup2(errfd, STDERR_FILENO);
		execvp("ps", args);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char *line = NULL;
	size_t cap = 0;
	int pid_col = -1;
	while (f && getline(&line, &cap, f) > 0) {
		_cleanup_free_ char *copy = strdup(line);
		char *save = NULL;
		if (!copy)
			break;
		if (pid_col < 0) {
			int i = 0;
			for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save), i++)
				if (!strcmp(t, "PID"))
					pid_col = i;
			fputs(line, stdout);
			continue;
		}
		char *t = strtok_r(copy, " \t\n", &save);
		for (int i = 0; t && i < pid_col; i++)
			t = strtok_r(NULL, " \t\n", &save);
		if (t && has_pid(pids, n, strtol(t, NULL, 10)))
			fputs(line, stdout);
	}
	free(line);
	if (f)
		fclose(f);
	int status = 0;
	char msg[512];
	waitpid(child, &status, 0);
	first_line(errfd, msg, sizeof(msg));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		close(errfd);
		if (code == 127)
			return cli_failf("ps: cannot run ps (is procps installed?)");
		return cli_failf("ps: ps exited with status %d: %s", code, msg);
	}
	close(errfd);
	if (*msg)
		fprintf(stderr, "%s\n", msg);
	if (pid_col < 0)
		return cli_failf("ps: could not find the PID column in the output of ps");
	return 0;
}

int
cmd_ps(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' }, CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	bool json = false;
	pid_t *pids = NULL;
	size_t n = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "+:f:h", opts, NULL)) != -1) {
		if (opt == 'f' && !strcmp(optarg, "json"))
			json = true;
		else if (opt == 'f' && strcmp(optarg, "table"))
			return cli_failf("ps: --format: unknown format \"%s\" (table or json)", optarg);
		else if (opt != 'f')
			return cli_getopt_result(c, opt);
	}
	if (optind >= argc)
		return cli_failf("ps: missing container ID; see 'strait ps --help'");
	if (lc_container_pids(&c->g, argv[optind], &pids, &n, &err) < 0)
		return cli_fail(&err);
	int r = 0;
	if (json) {
		putchar('[');
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", pids[i]);
		puts("]");
	} else {
		char *dflt[] = { "ps", "-ef", NULL };
		char **args = dflt;
		if (optind + 1 < argc) {
			args = argv + optind; /* argv[optind] (the ID) stands in for argv[0] */
			args[0] = "ps";
		}
		r = ps_table(args, pids, n);
	}
	free(pids);
	return r;
}
