/* `strait delete [--force] ID`. */
#include "cli.h"

int
cmd_delete(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	bool force = false;
	int opt;

	while ((opt = getopt_long(argc, argv, ":fh", opts, NULL)) != -1) {
		if (opt == 'f')
			force = true;
		else
			return cli_getopt_result(c, opt);
	}
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	if (lc_container_delete(&c->g, argv[optind], force, &err) < 0)
		return cli_fail(&err);
	return 0;
}
