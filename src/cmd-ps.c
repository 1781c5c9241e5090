/* `strait ps [--format table|json] ID [ps options]`: json prints the pids; table runs
 * the host's ps (default -ef) and keeps the rows of the container's processes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"

static bool
has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Runs ps with args and prints its header and the rows whose PID column is ours. */
static int
ps_table(char **args, const pid_t *pids, size_t n)
{
	int p[2];
	if (pipe(p) < 0)
		return cli_failf("ps: pipe failed");
	pid_t child = fork();
	if (child == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execvp("ps", args);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char line[4096];
	int pid_col = -1;
	while (f && fgets(line, sizeof(line), f)) {
		char copy[4096], *save = NULL;
		strcpy(copy, line);
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
	if (f)
		fclose(f);
	int status = 0;
	waitpid(child, &status, 0);
	if (pid_col < 0)
		return cli_failf("ps: could not find the PID column in the output of ps");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
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
