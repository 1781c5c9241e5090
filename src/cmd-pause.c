/* `strait pause ID` and `strait resume ID`: freeze and thaw the container's cgroup. */
#include "cli.h"

static int
pause_or_resume(struct cli *c, int argc, char **argv, bool pause)
{
	static const struct option opts[] = { CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		return cli_getopt_result(c, opt);
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	if (lc_container_pause(&c->g, argv[optind], pause, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int
cmd_pause(struct cli *c, int argc, char **argv)
{
	return pause_or_resume(c, argc, argv, true);
}

int
cmd_resume(struct cli *c, int argc, char **argv)
{
	return pause_or_resume(c, argc, argv, false);
}
