/* `strait features`: the OCI features document. */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

int
cmd_features(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	char *json = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		return cli_getopt_result(c, opt);
	int r = cli_want_args(c, argc, argv, 0);
	if (r)
		return r;
	if (lc_features_json(&json, &err) < 0)
		return cli_fail(&err);
	puts(json);
	free(json);
	return 0;
}
