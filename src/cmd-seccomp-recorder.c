/* `strait seccomp recorder --socket PATH --dir DIR`: the observe-mode agent that takes
 * notify fds over the OCI listener protocol and writes one evidence file per container. */
#include "cli.h"

int
cmd_seccomp_recorder(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		CLI_HELP_OPT,
		{ 0 },
	};
	struct lc_err err = { 0 };
	const char *sock = NULL, *dir = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, ":s:d:h", opts, NULL)) != -1) {
		if (opt == 's')
			sock = optarg;
		else if (opt == 'd')
			dir = optarg;
		else
			return cli_getopt_result(c, opt);
	}
	if (!sock || !dir)
		return cli_failf("seccomp recorder: --socket PATH and --dir DIR are required");
	if (lc_seccomp_recorder(sock, dir, &err) < 0)
		return cli_fail(&err);
	return 0;
}
