/* `strait exec`: runc-compatible options; the command follows the container ID. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

enum { OPT_PID_FILE = 256, OPT_CONSOLE, OPT_CWD, OPT_NNP, OPT_PRESERVE, OPT_IGNORE_PAUSED,
       OPT_CGROUP, OPT_APPARMOR, OPT_LABEL };

/* Appends value to a NULL-terminated vector (the strings are argv's, not copied). */
static int
push(char ***v, char *value)
{
	size_t n = 0;
	while (*v && (*v)[n])
		n++;
	char **nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv)
		return -1;
	nv[n] = value;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

int
cmd_exec(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "tty", no_argument, NULL, 't' },
		{ "detach", no_argument, NULL, 'd' },
		{ "pid-file", required_argument, NULL, OPT_PID_FILE },
		{ "console-socket", required_argument, NULL, OPT_CONSOLE },
		{ "env", required_argument, NULL, 'e' },
		{ "cwd", required_argument, NULL, OPT_CWD },
		{ "user", required_argument, NULL, 'u' },
		{ "additional-gids", required_argument, NULL, 'g' },
		{ "cap", required_argument, NULL, 'c' },
		{ "no-new-privs", no_argument, NULL, OPT_NNP },
		{ "preserve-fds", required_argument, NULL, OPT_PRESERVE },
		{ "ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "apparmor", required_argument, NULL, OPT_APPARMOR },
		{ "process-label", required_argument, NULL, OPT_LABEL },
		CLI_HELP_OPT,
		{ 0 },
	};
	struct lc_exec_opts o = { 0 };
	struct lc_err err = { 0 };
	int opt, status = 0, r;

	/* '+': options stop at the container ID; what follows is the command. */
	while ((opt = getopt_long(argc, argv, "+:p:tde:u:g:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': o.process_file = optarg; break;
		case 't': o.tty = true; break;
		case 'd': o.detach = true; break;
		case OPT_PID_FILE: o.pid_file = optarg; break;
		case OPT_CONSOLE: o.console_socket = optarg; break;
		case 'e': if (push(&o.env, optarg) < 0) return cli_failf("out of memory"); break;
		case OPT_CWD: o.cwd = optarg; break;
		case 'u': o.user = optarg; break;
		case 'g': if (push(&o.additional_gids, optarg) < 0) return cli_failf("out of memory"); break;
		case 'c': if (push(&o.caps, optarg) < 0) return cli_failf("out of memory"); break;
		case OPT_NNP: o.no_new_privs = true; break;
		case OPT_PRESERVE:
			o.preserve_fds = cli_parse_uint("preserve-fds", optarg);
			if (o.preserve_fds < 0)
				return 1;
			break;
		case OPT_IGNORE_PAUSED: o.ignore_paused = true; break;
		case OPT_APPARMOR: o.apparmor = optarg; break;
		case OPT_LABEL: o.process_label = optarg; break;
		case OPT_CGROUP: if (push(&o.cgroups, optarg) < 0) return cli_failf("out of memory"); break;
		default: return cli_getopt_result(c, opt);
		}
	}
	if (optind >= argc)
		return cli_failf("exec: missing container ID; see 'strait exec --help'");
	o.id = argv[optind];
	o.args = argv + optind + 1;
	if (o.process_file && o.args[0])
		return cli_failf("exec: --process and a command are mutually exclusive");
	r = cli_load_config(c);
	if (r)
		return r;
	r = lc_container_exec(&c->g, &o, &status, &err);
	free(o.env);
	free(o.caps);
	free(o.additional_gids);
	free(o.cgroups);
	/* As runc: a failure of the runtime itself exits 255, so that a caller can tell
	 * it from the process's own exit codes. */
	if (r < 0) {
		cli_fail(&err);
		return 255;
	}
	return status;
}
