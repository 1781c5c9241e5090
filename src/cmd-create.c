/* `strait create`: option parsing shared with `run` (cmd-run.c) and the create call. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

enum { OPT_PID_FILE = 256, OPT_CONSOLE, OPT_NO_PIVOT, OPT_NO_KEYRING, OPT_PRESERVE, OPT_KEEP,
       OPT_SC_MODE, OPT_SC_LABEL, OPT_SC_RECORDER, OPT_SC_EVIDENCE, OPT_SC_DENIALS, OPT_NO_SUBREAPER };

/* Parses create's options (and run's extra -d/--keep when run is set). Returns -1 to
 * go on, or an exit code. */
int cli_parse_create(struct cli *c, int argc, char **argv, bool run, struct lc_create_opts *o);

int
cli_parse_create(struct cli *c, int argc, char **argv, bool run, struct lc_create_opts *o)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, OPT_PID_FILE },
		{ "console-socket", required_argument, NULL, OPT_CONSOLE },
		{ "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
		{ "no-new-keyring", no_argument, NULL, OPT_NO_KEYRING },
		{ "preserve-fds", required_argument, NULL, OPT_PRESERVE },
		{ "detach", no_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
		{ "seccomp-mode", required_argument, NULL, OPT_SC_MODE },
		{ "seccomp-label", required_argument, NULL, OPT_SC_LABEL },
		{ "seccomp-recorder", required_argument, NULL, OPT_SC_RECORDER },
		{ "seccomp-evidence", required_argument, NULL, OPT_SC_EVIDENCE },
		{ "seccomp-denials", required_argument, NULL, OPT_SC_DENIALS },
		CLI_HELP_OPT,
		{ 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, run ? ":b:dh" : ":b:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': o->bundle = optarg; break;
		case OPT_PID_FILE: o->pid_file = optarg; break;
		case OPT_CONSOLE: o->console_socket = optarg; break;
		case OPT_NO_PIVOT: o->no_pivot = true; break;
		case OPT_NO_KEYRING: o->no_new_keyring = true; break;
		case OPT_PRESERVE:
			o->preserve_fds = cli_parse_uint("preserve-fds", optarg);
			if (o->preserve_fds < 0)
				return 1;
			break;
		case OPT_SC_MODE: o->seccomp_mode = optarg; break;
		case OPT_SC_LABEL: o->seccomp_label = optarg; break;
		case OPT_SC_RECORDER: o->seccomp_recorder = optarg; break;
		case OPT_SC_DENIALS: o->seccomp_denials = optarg; break;
		case 'd':
		case OPT_KEEP:
		case OPT_NO_SUBREAPER: /* strait's run is never a subreaper */
		case OPT_SC_EVIDENCE:
			if (!run)
				return cli_getopt_result(c, '?');
			if (opt == 'd')
				o->detach = true;
			else if (opt == OPT_KEEP)
				o->keep = true;
			else if (opt == OPT_SC_EVIDENCE)
				o->seccomp_evidence = optarg;
			break;
		default: return cli_getopt_result(c, opt);
		}
	}
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	o->id = argv[optind];
	return -1;
}

int
cmd_create(struct cli *c, int argc, char **argv)
{
	struct lc_create_opts o = { 0 };
	struct lc_err err = { 0 };
	int r = cli_parse_create(c, argc, argv, false, &o);
	if (r >= 0)
		return r;
	r = cli_load_config(c);
	if (r)
		return r;
	if (lc_container_create(&c->g, &o, &err) < 0)
		return cli_fail(&err);
	return 0;
}
