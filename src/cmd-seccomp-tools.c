/* `strait seccomp generate|merge|diff|check`: argv and output of the profile tools
 * (docs/seccomp-tools.md); the work is libcontainer's (lc_seccomp_*). diff and check
 * exit 0 (equal / clean), 1 (different / findings) or 2 (could not tell). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* text to path (atomically), or to stdout when path is NULL or "-" */
static int
emit(const char *path, const char *text, FILE *std)
{
	struct lc_err err = { 0 };

	if (!path || strcmp(path, "-") == 0) {
		fputs(text, std);
		return fflush(std) == 0 ? 0 : cli_failf("writing the output failed");
	}
	if (lc_seccomp_write_file(path, text, &err) < 0)
		return cli_fail(&err);
	return 0;
}

int
cmd_seccomp_generate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "report", required_argument, NULL, 'r' },
		CLI_HELP_OPT,
		{ 0 },
	};
	const char *base = NULL, *output = NULL, *report_path = NULL;
	char *profile = NULL, *report = NULL;
	struct lc_err err = { 0 };
	int opt, r;

	while ((opt = getopt_long(argc, argv, ":b:o:h", opts, NULL)) != -1) {
		if (opt == 'b')
			base = optarg;
		else if (opt == 'o')
			output = optarg;
		else if (opt == 'r')
			report_path = optarg;
		else
			return cli_getopt_result(c, opt);
	}
	if (optind >= argc)
		return cli_failf("seccomp generate: missing EVIDENCE file(s); see 'strait seccomp "
				 "--help'");
	if (lc_seccomp_generate(base, argv + optind, (size_t)(argc - optind), &profile, &report,
				&err) < 0)
		return cli_fail(&err);
	/* the report first: it says how far to trust the profile */
	r = emit(report_path ? report_path : NULL, report, report_path ? stdout : stderr);
	if (!r)
		r = emit(output, profile, stdout);
	free(profile);
	free(report);
	return r;
}

int
cmd_seccomp_merge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "union", no_argument, NULL, 'u' },
		{ "intersect", no_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		CLI_HELP_OPT,
		{ 0 },
	};
	const char *output = NULL;
	struct lc_err err = { 0 };
	char *profile = NULL;
	int opt, mode = 0, r;

	while ((opt = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		if (opt == 'u' || opt == 'i') {
			if (mode && mode != opt)
				return cli_failf("seccomp merge: --union and --intersect exclude each "
						 "other");
			mode = opt;
		} else if (opt == 'o') {
			output = optarg;
		} else {
			return cli_getopt_result(c, opt);
		}
	}
	if (!mode)
		return cli_failf("seccomp merge: say --union or --intersect");
	if (argc - optind < 2)
		return cli_failf("seccomp merge: needs at least two profiles");
	if (lc_seccomp_merge(mode == 'i', argv + optind, (size_t)(argc - optind), &profile, &err) < 0)
		return cli_fail(&err);
	r = emit(output, profile, stdout);
	free(profile);
	return r;
}

int
cmd_seccomp_diff(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	char *text = NULL;
	int opt, r;

	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		return opt == 'h' ? cli_getopt_result(c, opt) : (cli_getopt_result(c, opt), 2);
	if (argc - optind != 2) {
		cli_failf("seccomp diff: needs two profiles, A and B");
		return 2;
	}
	r = lc_seccomp_diff(argv[optind], argv[optind + 1], &text, &err);
	if (r < 0) {
		cli_fail(&err);
		return 2;
	}
	if (emit(NULL, text, stdout))
		r = 2;
	free(text);
	return r;
}

int
cmd_seccomp_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { "against", required_argument, NULL, 'a' },
					      CLI_HELP_OPT, { 0 } };
	struct lc_err err = { 0 };
	const char *against = NULL;
	char *text = NULL;
	int opt, r;

	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt == 'a') {
			against = optarg;
			continue;
		}
		return opt == 'h' ? cli_getopt_result(c, opt) : (cli_getopt_result(c, opt), 2);
	}
	if (optind >= argc) {
		cli_failf("seccomp check: missing PROFILE");
		return 2;
	}
	size_t n = (size_t)(argc - optind - 1);
	if (against)
		r = lc_seccomp_check_against(&c->g, against, argv[optind], argv + optind + 1, n, &text,
					     &err);
	else
		r = lc_seccomp_check(argv[optind], argv + optind + 1, n, &text, &err);
	if (r < 0) {
		cli_fail(&err);
		return 2;
	}
	if (emit(NULL, text, stdout))
		r = 2;
	free(text);
	/* --against: 3 says "stale", apart from the lint findings' 1 */
	return against && r == 1 ? 3 : r;
}
