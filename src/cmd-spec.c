/* `strait spec [--bundle DIR] [--rootless] [--seccomp-default]`: writes the default
 * config.json runc spec writes; --seccomp-default embeds the RuntimeDefault profile. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int
cmd_spec(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'R' },
		{ "seccomp-default", no_argument, NULL, 'S' },
		CLI_HELP_OPT,
		{ 0 },
	};
	struct lc_err err = { 0 };
	const char *bundle = ".";
	bool rootless = false, seccomp = false;
	char *json = NULL, path[4096];
	int opt;

	while ((opt = getopt_long(argc, argv, ":b:h", opts, NULL)) != -1) {
		if (opt == 'b')
			bundle = optarg;
		else if (opt == 'R')
			rootless = true;
		else if (opt == 'S')
			seccomp = true;
		else
			return cli_getopt_result(c, opt);
	}
	int r = cli_want_args(c, argc, argv, 0);
	if (r)
		return r;
	if (lc_spec_default(rootless, seccomp, &json, &err) < 0)
		return cli_fail(&err);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	/* Like runc: never overwrite an existing config.json. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		free(json);
		if (e == EEXIST)
			return cli_failf("spec: %s already exists", path);
		return cli_failf("spec: %s: %s", path, strerror(e));
	}
	size_t len = strlen(json);
	bool ok = write(fd, json, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
	close(fd);
	free(json);
	return ok ? 0 : cli_failf("spec: write %s: %s", path, strerror(errno));
}
