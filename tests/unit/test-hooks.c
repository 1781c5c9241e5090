/* Unit tests for hooks.c: state on stdin, args, env, failures, timeouts and fd hygiene,
 * with /bin/sh scripts that write what they saw into a temporary directory. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sys.h"
#include "tap.h"

static char dir[] = "/tmp/strait-test-hooks-XXXXXX";
static char denv[64];

static char *
slurp(const char *name)
{
	static char buf[65536];
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static bool
exists(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* A /bin/sh -c hook with D=<dir> in its environment. */
static struct spec_hook
sh_hook(const char *script, char **argv_buf, char **env_buf)
{
	argv_buf[0] = "sh";
	argv_buf[1] = "-c";
	argv_buf[2] = (char *)script;
	argv_buf[3] = NULL;
	env_buf[0] = denv;
	env_buf[1] = NULL;
	return (struct spec_hook){ .path = "/bin/sh", .args = argv_buf, .env = env_buf };
}

static void
test_kind_names(void)
{
	is_str(hooks_kind_name(HOOK_PRESTART), "prestart", "kind name prestart");
	is_str(hooks_kind_name(HOOK_CREATE_RUNTIME), "createRuntime", "kind name createRuntime");
	is_str(hooks_kind_name(HOOK_CREATE_CONTAINER), "createContainer",
	       "kind name createContainer");
	is_str(hooks_kind_name(HOOK_START_CONTAINER), "startContainer",
	       "kind name startContainer");
	is_str(hooks_kind_name(HOOK_POSTSTART), "poststart", "kind name poststart");
	is_str(hooks_kind_name(HOOK_POSTSTOP), "poststop", "kind name poststop");
}

static void
test_stdin_args_env(void)
{
	const char *state = "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\","
			    "\"pid\":42,\"bundle\":\"/b\"}";
	struct lc_err err = { 0 };
	char *a0[4], *e0[2];
	struct spec_hook h[3];
	h[0] = sh_hook("cat > \"$D/stdin\"", a0, e0);

	char *a1[] = { "myhook", "-c",
		       "tr '\\000' ' ' < /proc/$$/cmdline > \"$D/cmdline\"; "
		       "printf '%s|%s' \"$0\" \"$1\" > \"$D/args\"",
		       "zero", "one two", NULL };
	h[1] = (struct spec_hook){ .path = "/bin/sh", .args = a1, .env = e0 };

	char *a2[4], *unused[2];
	char *e2[] = { denv, "FOO=bar baz", NULL };
	h[2] = sh_hook("/usr/bin/env | grep -v '^PWD=' | sort > \"$D/env\"; "
		       "printf '%s' \"${HOME-unset}\" > \"$D/home\"",
		       a2, unused);
	h[2].env = e2;

	int r = hooks_run(HOOK_PRESTART, h, 3, state, NULL, &err);
	is_int(r, 0, "three hooks succeed (%s)", r ? err.msg : "");
	is_str(slurp("stdin"), state, "hook reads the state JSON on stdin");
	char want_cmd[512];
	snprintf(want_cmd, sizeof(want_cmd), "myhook -c %s zero one two ", a1[2]);
	is_str(slurp("cmdline"), want_cmd, "argv[0] and args passed as given");
	is_str(slurp("args"), "zero|one two", "args after the script reach the hook");
	char want_env[128];
	snprintf(want_env, sizeof(want_env), "%s\nFOO=bar baz\n", denv);
	is_str(slurp("env"), want_env, "hook sees exactly its env");
	is_str(slurp("home"), "unset", "runtime env does not leak into the hook");
}

static void
test_default_argv0_and_empty_env(void)
{
	char script[256];
	snprintf(script, sizeof(script), "%s/hook.sh", dir);
	int fd = open(script, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	const char body[] = "#!/bin/sh\n"
			    "printf '%s|%s' \"$0\" \"${HOME-unset}\" "
			    "> \"$(dirname \"$0\")/argv0\"\n";
	ok(fd >= 0 && write(fd, body, sizeof(body) - 1) == (ssize_t)(sizeof(body) - 1),
	   "write hook script");
	close(fd);

	struct spec_hook h = { .path = script };
	struct lc_err err = { 0 };
	int r = hooks_run(HOOK_CREATE_RUNTIME, &h, 1, "{}", NULL, &err);
	is_int(r, 0, "hook without args or env runs (%s)", r ? err.msg : "");
	char want[300];
	snprintf(want, sizeof(want), "%s|unset", script);
	is_str(slurp("argv0"), want, "argv[0] defaults to the path; env is empty");
}

static void
test_failures(void)
{
	struct lc_err err = { 0 };
	char *a0[4], *e0[2], *a1[4], *e1[2], *a2[4], *e2[2];
	struct spec_hook h[3];
	h[0] = sh_hook("exit 0", a0, e0);
	h[1] = sh_hook("exit 3", a1, e1);
	h[2] = sh_hook("touch \"$D/after-failure\"", a2, e2);

	int r = hooks_run(HOOK_PRESTART, h, 3, "{}", NULL, &err);
	ok(r < 0, "non-zero exit fails the list");
	is_str(err.msg, "prestart hook[1] /bin/sh: exited with status 3",
	       "exit status message names kind, index and path");
	ok(!exists("after-failure"), "hooks after the failing one do not run");

	h[0] = sh_hook("kill -TERM $$", a0, e0);
	r = hooks_run(HOOK_POSTSTOP, h, 1, "{}", NULL, &err);
	ok(r < 0, "hook killed by a signal fails");
	is_str(err.msg, "poststop hook[0] /bin/sh: killed by signal 15", "signal message");

	struct spec_hook missing = { .path = "/nonexistent/strait-hook" };
	r = hooks_run(HOOK_CREATE_RUNTIME, &missing, 1, "{}", NULL, &err);
	is_int(r, -ENOENT, "missing hook binary: -ENOENT");
	is_str(err.msg, "createRuntime hook[0] /nonexistent/strait-hook: exec: "
			"No such file or directory",
	       "exec failure message");

	is_int(hooks_run(HOOK_PRESTART, NULL, 0, "{}", NULL, &err), 0, "empty list succeeds");
}

static void
test_timeout(void)
{
	struct lc_err err = { 0 };
	char *a[4], *e[2];
	struct spec_hook h = sh_hook("exec sleep 10", a, e);
	h.has_timeout = true;
	h.timeout = 1;

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = hooks_run(HOOK_POSTSTART, &h, 1, "{}", NULL, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_int(r, -ETIMEDOUT, "hook past its timeout fails");
	is_str(err.msg, "poststart hook[0] /bin/sh: timed out after 1s", "timeout message");
	ok(secs >= 0.9 && secs < 5, "killed after about 1s (took %.2fs)", secs);
	ok(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "killed hook was reaped");

	/* A hook that never reads a state bigger than the pipe buffer must not make the
	 * runtime block past the timeout, nor kill it with SIGPIPE when it exits. */
	size_t big = 256 * 1024;
	char *state = malloc(big + 1);
	memset(state, 'x', big);
	state[big] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = hooks_run(HOOK_POSTSTART, &h, 1, state, NULL, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_int(r, -ETIMEDOUT, "non-reading hook with a big state still times out");
	ok(secs < 5, "no blocking on a full pipe (took %.2fs)", secs);

	struct spec_hook quick = sh_hook("exit 0", a, e);
	r = hooks_run(HOOK_POSTSTART, &quick, 1, state, NULL, &err);
	is_int(r, 0, "hook that exits without reading a big state succeeds (%s)",
	       r ? err.msg : "");
	struct sigaction sa;
	sigaction(SIGPIPE, NULL, &sa);
	ok(sa.sa_handler == SIG_DFL, "SIGPIPE disposition restored");
	free(state);
}

static void
test_no_fd_leak(void)
{
	/* Deliberately without O_CLOEXEC: the hook must still not get it. */
	int leak = open("/dev/null", O_RDONLY);
	struct lc_err err = { 0 };
	char *a[4], *e[2];
	/* The listing is made by a grandchild so that no redirection of the hook's own
	 * shell shows up in it. */
	struct spec_hook h = sh_hook("sh -c 'ls /proc/$PPID/fd > \"$D/fds\"'; exit 0", a, e);
	int r = hooks_run(HOOK_CREATE_CONTAINER, &h, 1, "{}", NULL, &err);
	is_int(r, 0, "fd listing hook runs (%s)", r ? err.msg : "");
	const char *fds = slurp("fds");
	int extra = -1, n = 0;
	for (const char *p = fds; p && *p;) {
		int fd = atoi(p);
		if (fd >= 3 && extra < 0)
			extra = fd;
		n++;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	ok(fds && n >= 1, "hook listed its fds");
	is_int(extra, -1, "hook has no fd beyond stdio (runtime leaked fd %d)", leak);
	close(leak);
}

int
main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(denv, sizeof(denv), "D=%s", dir);

	test_kind_names();
	test_stdin_args_env();
	test_default_argv0_and_empty_env();
	test_failures();
	test_timeout();
	test_no_fd_leak();

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
