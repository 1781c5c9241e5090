/* strait's entry point: global options, the one command table (dispatch and help come
 * from it), and the error printer. Each subcommand lives in src/cmd-<name>.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "cli.h"
#include "git-commit.h"

#define CREATE_OPTIONS                                                                     \
	"  -b, --bundle DIR        bundle directory (default: current directory)\n"            \
	"      --pid-file FILE     write the container process pid to FILE\n"                  \
	"      --console-socket S  unix socket that receives the pty master\n"                \
	"      --no-pivot          use MS_MOVE + chroot instead of pivot_root\n"               \
	"      --no-new-keyring    keep the caller's session keyring\n"                        \
	"      --preserve-fds N    pass N extra fds (3..3+N-1) to the container\n"            \
	"      --seccomp-mode M    enforce, or log (the permissive logging twin)\n"         \
	"      --seccomp-label L   the run label recorded in the evidence\n"                \
	"      --seccomp-recorder S  the recorder agent's socket (log mode, denials)\n" \
	"      --seccomp-denials D record: enforce, and record every denial; off\n"

static const struct command commands[] = {
	{ "checkpoint", cmd_criu, "[options] <container-id>",
	  "not supported: strait has no CRIU checkpoint/restore (always fails)", NULL },
	{ "create", cmd_create, "[options] <container-id>", "create a container", CREATE_OPTIONS },
	{ "delete", cmd_delete, "[options] <container-id>", "delete a container and its resources",
	  "  -f, --force             kill the container first if it is running\n" },
	{ "events", cmd_events, "[options] <container-id>", "print container stats as JSON events",
	  "      --stats             print one stats event and exit\n"
	  "      --interval D        time between events (default 5s)\n" },
	{ "exec", cmd_exec, "[options] <container-id> [command [args...]]",
	  "run a new process inside a running container",
	  "  -p, --process FILE      the process as an OCI process JSON object\n"
	  "  -t, --tty               allocate a pseudo-terminal\n"
	  "  -d, --detach            return once the process has started\n"
	  "      --pid-file FILE     write the process pid to FILE\n"
	  "      --console-socket S  unix socket that receives the pty master\n"
	  "  -e, --env KEY=VALUE     add or override an environment variable\n"
	  "      --cwd DIR           working directory inside the container\n"
	  "  -u, --user UID[:GID]    run as this user\n"
	  "  -g, --additional-gids G add a supplementary group (repeatable)\n"
	  "  -c, --cap CAP_X         add a capability (repeatable)\n"
	  "      --no-new-privs      set no_new_privs\n"
	  "      --preserve-fds N    pass N extra fds (3..3+N-1)\n"
	  "      --ignore-paused     exec even if the container is paused\n"
	  "      --cgroup [CTL:]PATH run in an existing sub-cgroup of the container's\n"
	  "      --apparmor PROFILE  the AppArmor profile of the process\n"
	  "      --process-label L   the SELinux label of the process\n" },
	{ "features", cmd_features, "", "print the OCI features document (JSON)", NULL },
	{ "kill", cmd_kill, "[options] <container-id> [signal]",
	  "send a signal (default SIGTERM) to the container's init process",
	  "  -a, --all               signal every process in the container's cgroup\n" },
	{ "list", cmd_list, "[options]", "list containers",
	  "  -f, --format FMT        table (default) or json\n"
	  "  -q, --quiet             print only the IDs\n" },
	{ "pause", cmd_pause, "<container-id>", "freeze every process of a container", NULL },
	{ "ps", cmd_ps, "[options] <container-id> [ps options]", "list the processes of a container",
	  "  -f, --format FMT        table (default, through ps -ef) or json (pids)\n" },
	{ "restore", cmd_criu, "[options] <container-id>",
	  "not supported: strait has no CRIU checkpoint/restore (always fails)", NULL },
	{ "resume", cmd_resume, "<container-id>", "thaw a paused container", NULL },
	{ "run", cmd_run, "[options] <container-id>", "create and start a container",
	  CREATE_OPTIONS
	  "  -d, --detach            return after starting, do not wait\n"
	  "      --keep              keep the container's state after it exits\n"
	  "      --no-subreaper      accepted; strait's run never is a subreaper\n"
	  "      --seccomp-evidence F  log mode: record here, in this process\n" },
	{ "seccomp", cmd_seccomp, "SUBCOMMAND [args]", "seccomp profiles and records",
	  "  default                 print the built-in RuntimeDefault profile\n"
	  "  status <container-id>   print the seccomp decision record of a container\n"
	  "  generate [--base P] [-o OUT] [--report R] EVIDENCE...\n"
	  "                          a profile from evidence, with a coverage report\n"
	  "  merge --union|--intersect [-o OUT] A B...  profile algebra\n"
	  "  diff A B                what each allows that the other does not (exit 0 equal,\n"
	  "                          1 different, 2 error)\n"
	  "  check PROFILE [EVIDENCE...]  lint a profile; with evidence, what it would block\n"
	  "                          (exit 0 clean, 1 findings, 2 error)\n" },
	{ "spec", cmd_spec, "[options]", "write a default config.json",
	  "  -b, --bundle DIR        where to write config.json (default: current directory)\n"
	  "      --rootless          a config for a rootless container\n"
	  "      --seccomp-default   embed strait's RuntimeDefault seccomp profile\n" },
	{ "start", cmd_start, "<container-id>", "start a created container", NULL },
	{ "state", cmd_state, "<container-id>", "print the state of a container as JSON", NULL },
	{ "update", cmd_update, "[options] <container-id>", "change the resource limits of a container",
	  "  -r, --resources FILE    a linux.resources JSON object (- for stdin)\n"
	  "      --memory N          memory limit (k, m, g suffixes)\n"
	  "      --memory-reservation N, --memory-swap N\n"
	  "      --cpu-share(s) N, --cpu-quota N, --cpu-period N\n"
	  "      --cpu-rt-period N, --cpu-rt-runtime N\n"
	  "      --cpuset-cpus LIST, --cpuset-mems LIST\n"
	  "      --pids-limit N, --blkio-weight N\n"
	  "      --l3-cache-schema S, --mem-bw-schema S   refused: no Intel RDT\n" },
};

static const struct command *current;
static char **current_argv;

int
cli_help(const struct cli *c)
{
	printf("Usage: strait [global options] %s %s\n\n%s\n", current->name, current->args,
	       current->summary);
	if (current->help)
		printf("\nOptions:\n%s", current->help);
	(void)c;
	return 0;
}

static void
vfail(const char *fmt, va_list ap)
{
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "strait: %s\n", msg);
	lc_log_error_to_file(msg);
}

int
cli_failf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(fmt, ap);
	va_end(ap);
	return 1;
}

int
cli_fail(const struct lc_err *err)
{
	return cli_failf("%s", err->msg[0] ? err->msg : "unknown error");
}

int
cli_getopt_result(const struct cli *c, int opt)
{
	if (opt == 'h') {
		cli_help(c);
		return 0;
	}
	/* getopt is silent (opterr = 0): one line here names the option. */
	const char *arg = optind > 0 ? current_argv[optind - 1] : "?";
	if (opt == ':')
		return cli_failf("%s: option \"%s\" needs a value; see 'strait %s --help'", c->cmd, arg,
				 c->cmd);
	return cli_failf("%s: unknown option \"%s\"; see 'strait %s --help'", c->cmd, arg, c->cmd);
}

int
cli_want_args(const struct cli *c, int argc, char **argv, int n)
{
	if (argc - optind == n)
		return 0;
	if (argc - optind < n)
		return cli_failf("%s: missing argument: %s", c->cmd, current->args);
	return cli_failf("%s: unexpected argument \"%s\"", c->cmd, argv[optind + n]);
}

int
cli_parse_uint(const char *name, const char *value)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || *end || end == value || v < 0 || v > 1 << 20) {
		cli_failf("--%s: invalid value \"%s\"", name, value);
		return -1;
	}
	return (int)v;
}

static void
usage(FILE *f)
{
	fprintf(f, "Usage: strait [global options] COMMAND [options] [args]\n\n"
		   "strait is a small, fast OCI container runtime.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nGlobal options:\n"
		   "  --root DIR              state root (default /run/strait)\n"
		   "  --log FILE              append log messages to FILE\n"
		   "  --log-format FMT        text (default) or json\n"
		   "  --debug                 log debug messages\n"
		   "  --systemd-cgroup        manage cgroups through systemd (needs systemd)\n"
		   "  --config FILE           runtime config file (default /etc/strait/strait.conf,\n"
		   "                          or $STRAIT_CONFIG)\n"
		   "  --seccomp-policy P      permissive, runtime-default or restricted\n"
		   "  --privileged-seccomp M  unconfined, refuse or audit\n"
		   "  -v, --version           print the version\n"
		   "  -h, --help              print this help\n\n"
		   "Run 'strait COMMAND --help' for the options of a command.\n");
}

static void
version(void)
{
	/* runc's lines; "c:" is the analogue of its "go:" (the toolchain that built it) */
#ifdef __clang__
	const char *cc = "clang ";
#else
	const char *cc = "gcc ";
#endif
	printf("strait version %s\ncommit: %s\nspec: %s\nc: %s%s\nlibseccomp: %s\n", PACKAGE_VERSION,
	       GIT_COMMIT, OCI_SPEC_VERSION, cc, __VERSION__, lc_libseccomp_version());
}

static void
add_override(struct cli *c, const char *key, char *value)
{
	size_t i = 0;
	while (c->overrides[i])
		i += 2;
	if (i + 2 < sizeof(c->overrides) / sizeof(c->overrides[0])) {
		c->overrides[i] = (char *)key;
		c->overrides[i + 1] = value;
	}
}

int
cli_load_config(struct cli *c)
{
	struct lc_err err = { 0 };
	if (lc_config_load(&c->g, c->overrides, &err) < 0)
		return cli_fail(&err);
	return 0;
}

static int
open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		cli_failf("--log %s: %s", path, strerror(errno));
	return fd;
}

int
main(int argc, char **argv)
{
	lc_phase_init();
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'F' },
		{ "debug", no_argument, NULL, 'D' },
		{ "systemd-cgroup", no_argument, NULL, 'S' },
		{ "config", required_argument, NULL, 'C' },
		{ "seccomp-policy", required_argument, NULL, 'P' },
		{ "privileged-seccomp", required_argument, NULL, 'p' },
		{ "rootless", required_argument, NULL, 'R' },
		{ "criu", required_argument, NULL, 'c' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli c = { .g = { .root = "/run/strait" } };
	const char *log_path = NULL;
	enum lc_log_format fmt = LC_LOG_TEXT;
	bool debug = false;
	int opt;

	/* Other processes of a container must not reach this process's memory, fds or
	 * /proc/<pid>/exe while it works inside the container's namespaces
	 * (CVE-2019-5736 class). execve of the workload resets it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	lc_set_argv(argv);

	opterr = 0;
	c.g.config_path = getenv("STRAIT_CONFIG");
	while ((opt = getopt_long(argc, argv, "+:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': c.g.root = optarg; break;
		case 'l': log_path = optarg; break;
		case 'F':
			if (!strcmp(optarg, "json"))
				fmt = LC_LOG_JSON;
			else if (strcmp(optarg, "text"))
				return cli_failf("--log-format: unknown format \"%s\" (text or json)", optarg);
			break;
		case 'D': debug = true; break;
		case 'S': c.g.systemd_cgroup = true; break;
		case 'C': c.g.config_path = optarg; break;
		case 'P': add_override(&c, "seccomp-policy", optarg); break;
		case 'p': add_override(&c, "privileged-seccomp", optarg); break;
		case 'R': case 'c': break; /* accepted for runc compatibility */
		case 'v': version(); return 0;
		case 'h': usage(stdout); return 0;
		case ':':
			return cli_failf("global option \"%s\" needs a value", argv[optind - 1]);
		default:
			return cli_failf("unknown global option \"%s\"; see 'strait --help'", argv[optind - 1]);
		}
	}
	if (c.g.root[0] != '/')
		return cli_failf("--root: \"%s\" is not an absolute path", c.g.root);
	int log_fd = -1;
	if (log_path && (log_fd = open_log(log_path)) < 0)
		return 1;
	/* As runc: with --log, warnings and debug go to that file only. Clients such as
	 * podman read the runtime's stderr as its error message. */
	lc_log_setup(log_fd, fmt, log_fd < 0, debug);
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	c.cmd = argv[optind];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, c.cmd))
			continue;
		current = &commands[i];
		argc -= optind;
		argv += optind;
		optind = 1;
		current_argv = argv;
		return commands[i].run(&c, argc, argv);
	}
	return cli_failf("unknown command \"%s\"; see 'strait --help'", c.cmd);
}
