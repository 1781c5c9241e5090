/* `strait start ID` and `strait state ID`: single-argument commands. */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

static int
parse_id_only(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_HELP_OPT, { 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		return cli_getopt_result(c, opt);
	int r = cli_want_args(c, argc, argv, 1);
	return r ? r : -1;
}

int
cmd_start(struct cli *c, int argc, char **argv)
{
	struct lc_err err = { 0 };
	int r = parse_id_only(c, argc, argv);
	if (r >= 0)
		return r;
	if (lc_container_start(&c->g, argv[optind], &err) < 0)
		return cli_fail(&err);
	return 0;
}

int
cmd_state(struct cli *c, int argc, char **argv)
{
	struct lc_err err = { 0 };
	char *json = NULL;
	int r = parse_id_only(c, argc, argv);
	if (r >= 0)
		return r;
	if (lc_container_state(&c->g, argv[optind], &json, &err) < 0)
		return cli_fail(&err);
	puts(json);
	free(json);
	return 0;
}
