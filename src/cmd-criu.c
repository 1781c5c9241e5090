/* `strait checkpoint` and `strait restore`: runc's CRIU commands. strait does not
 * implement checkpoint/restore; both refuse with one line (runc fails too when CRIU is
 * not installed), so a client gets a clear error instead of "unknown command". */
#include <string.h>
#include "cli.h"

int
cmd_criu(struct cli *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_help(c);
	return cli_failf("%s: not supported: strait has no CRIU checkpoint/restore", c->cmd);
}
