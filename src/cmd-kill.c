/* `strait kill [--all] ID [SIGNAL]`: signal names with or without SIG, or numbers. */
#include <signal.h>
#include "cli.h"

int
cmd_kill(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' }, CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	bool all = false;
	int opt, signo = SIGTERM;

	while ((opt = getopt_long(argc, argv, ":ah", opts, NULL)) != -1) {
		if (opt == 'a')
			all = true;
		else
			return cli_getopt_result(c, opt);
	}
	if (argc - optind == 2) {
		signo = lc_signal_parse(argv[optind + 1]);
		if (signo < 0)
			return cli_failf("kill: unknown signal \"%s\"", argv[optind + 1]);
	} else {
		int r = cli_want_args(c, argc, argv, 1);
		if (r)
			return r;
	}
	if (lc_container_kill(&c->g, argv[optind], signo, all, &err) < 0)
		return cli_fail(&err);
	return 0;
}
