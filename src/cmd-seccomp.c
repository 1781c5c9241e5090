/* `strait seccomp SUBCOMMAND`: the built-in profile and per-container records. Later
 * profile tools (generate, merge, diff, check) join this table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int
sc_default(struct cli *c, int argc, char **argv)
{
	struct lc_err err = { 0 };
	char *json = NULL;
	int r = cli_want_args(c, argc, argv, 0);
	if (r)
		return r;
	if (lc_seccomp_default_json(&json, &err) < 0)
		return cli_fail(&err);
	puts(json);
	free(json);
	return 0;
}

static int
sc_status(struct cli *c, int argc, char **argv)
{
	struct lc_err err = { 0 };
	char *json = NULL;
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	if (lc_seccomp_status(&c->g, argv[optind], &json, &err) < 0)
		return cli_fail(&err);
	puts(json);
	free(json);
	return 0;
}

static int
sc_denials(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "json", no_argument, NULL, 'j' }, CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	bool json = false;
	char *text = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt != 'j')
			return cli_getopt_result(c, opt);
		json = true;
	}
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	if (lc_seccomp_denials(&c->g, argv[optind], json, &text, &err) < 0)
		return cli_fail(&err);
	fputs(text, stdout);
	if (*text && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	free(text);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *usage;
} subcommands[] = {
	{ "default", sc_default, "default              print the built-in RuntimeDefault profile" },
	{ "status", sc_status, "status <container-id> print the seccomp decision of a container" },
	{ "denials", sc_denials, "denials [--json] <container-id>  what the enforced profile denied (seccomp-denials=record)" },
	{ "recorder", cmd_seccomp_recorder, "recorder --socket PATH --dir DIR  the observe-mode recorder agent" },
	{ "generate", cmd_seccomp_generate, "generate [--base P] [-o OUT] [--report R] EVIDENCE...  a profile from evidence" },
	{ "merge", cmd_seccomp_merge, "merge --union|--intersect [-o OUT] A B...  profile algebra" },
	{ "diff", cmd_seccomp_diff, "diff A B  what each profile allows that the other does not" },
	{ "check", cmd_seccomp_check, "check [--against BUNDLE|ID] PROFILE [EVIDENCE...]  lint a profile, test it on evidence; or what changed since its evidence" },
};

int
cmd_seccomp(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_HELP_OPT, { 0 } };
	int opt;

	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1)
		return cli_getopt_result(c, opt);
	if (optind >= argc)
		return cli_failf("seccomp: missing subcommand; see 'strait seccomp --help'");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (strcmp(argv[optind], subcommands[i].name))
			continue;
		optind++;
		return subcommands[i].run(c, argc, argv);
	}
	return cli_failf("seccomp: unknown subcommand \"%s\"; see 'strait seccomp --help'", argv[optind]);
}
