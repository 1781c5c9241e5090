/* Shared declarations of the CLI: the command table entry type, the context every
 * command gets, and the one error printer. */
#ifndef STRAIT_CLI_H
#define STRAIT_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdbool.h>
#include "strait.h"

struct cli {
	struct lc_global g;
	const char *cmd;        /* the subcommand name, for usage messages */
	char *overrides[9];     /* strait.conf settings given as global flags: k, v, ..., NULL */
};

/* Loads strait.conf and the flag overrides into c->g.config; returns 0 or an exit code. */
int cli_load_config(struct cli *c);

struct command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *args;    /* "[options] <container-id>" */
	const char *summary; /* one line */
	const char *help;    /* option lines, may be NULL */
};

/* Prints "strait: <msg>" to stderr and logs it to the --log file; returns 1. */
int cli_fail(const struct lc_err *err);
/* Same for a message built here. */
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage of the current command to stdout (help) and returns 0. */
int cli_help(const struct cli *c);
/* Handles a getopt error or --help: returns -1 to continue, else the exit code. */
int cli_getopt_result(const struct cli *c, int opt);
/* Requires exactly n positional arguments after optind; returns 0 or an exit code. */
int cli_want_args(const struct cli *c, int argc, char **argv, int n);
/* Parses a non-negative int option value for option name; returns -1 on error. */
int cli_parse_uint(const char *name, const char *value);

#define CLI_HELP_OPT { "help", no_argument, NULL, 'h' }

int cmd_spec(struct cli *c, int argc, char **argv);
int cmd_create(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_start(struct cli *c, int argc, char **argv);
int cmd_state(struct cli *c, int argc, char **argv);
int cmd_kill(struct cli *c, int argc, char **argv);
int cmd_delete(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_exec(struct cli *c, int argc, char **argv);
int cmd_pause(struct cli *c, int argc, char **argv);
int cmd_resume(struct cli *c, int argc, char **argv);
int cmd_ps(struct cli *c, int argc, char **argv);
int cmd_update(struct cli *c, int argc, char **argv);
int cmd_events(struct cli *c, int argc, char **argv);
int cmd_features(struct cli *c, int argc, char **argv);
int cmd_criu(struct cli *c, int argc, char **argv);
int cmd_seccomp(struct cli *c, int argc, char **argv);
int cmd_seccomp_recorder(struct cli *c, int argc, char **argv);
int cmd_seccomp_generate(struct cli *c, int argc, char **argv);
int cmd_seccomp_merge(struct cli *c, int argc, char **argv);
int cmd_seccomp_diff(struct cli *c, int argc, char **argv);
int cmd_seccomp_check(struct cli *c, int argc, char **argv);

#endif
