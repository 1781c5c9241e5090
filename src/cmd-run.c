/* `strait run`: create + start; in the foreground it exits with the container's code. */
#include "cli.h"

int cli_parse_create(struct cli *c, int argc, char **argv, bool run, struct lc_create_opts *o);

int
cmd_run(struct cli *c, int argc, char **argv)
{
	struct lc_create_opts o = { 0 };
	struct lc_err err = { 0 };
	int status = 0;
	int r = cli_parse_create(c, argc, argv, true, &o);
	if (r >= 0)
		return r;
	r = cli_load_config(c);
	if (r)
		return r;
	if (lc_container_run(&c->g, &o, &status, &err) < 0)
		return cli_fail(&err);
	return status;
}
