/* Observe mode, runtime side (container-observe.h). The container process goes from
 * loading the twin straight to execve, which the twin notifies: it waits there until
 * a recorder holds the listener, so nothing of strait's runs unrecorded in between and
 * nothing can deadlock on a listener nobody has yet. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "container-observe.h"
#include "error.h"
#include "json.h"
#include "process/process.h"
#include "seccomp/observe.h"
#include "seccomp/tools.h"
#include "container.h"
#include "state.h"

char **
observe_image(const struct lc_spec *s)
{
	char **v = calloc(s->n_annotations + 1, sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; v && i < s->n_annotations; i++) {
		if (!exe_is_image_key(s->annotations[i].key))
			continue;
		if (asprintf(&v[n], "%s=%s", s->annotations[i].key, s->annotations[i].value) < 0) {
			v[n] = NULL;
			strv_freep(&v);
			return NULL;
		}
		n++;
	}
	return v;
}

int
observe_take_fd(pid_t pid, int no, struct lc_err *err)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return lc_err_set(err, errno, "seccomp observe: pidfd_open %d", pid);
	for (int i = 0; i < 5000; i++) {
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, no, 0);
		if (fd >= 0) {
			/* pidfd_getfd sets close-on-exec on the new fd. */
			return fd;
		}
		if (errno != EBADF)
			return lc_err_set(err, errno, "seccomp observe: take fd %d of %d", no, pid);
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return lc_err_setx(err, ETIMEDOUT, "seccomp observe: the container process did not load its filter");
}

int
observe_send(int sock, const struct lc_state *st, const char *metadata, int listener,
	     struct lc_err *err)
{
	struct container_ctx ctx = { .st = (struct lc_state *)st };
	_cleanup_free_ char *msg = notify_message(&ctx, metadata);
	if (!msg)
		return lc_err_set(err, ENOMEM, "seccomp recorder message");
	int r = notify_send(sock, msg, listener, err);
	return r < 0 ? lc_err_prefix(err, "seccomp recorder") : 0;
}

int
observe_serve_until_exec(int listener, int fifo, struct evidence *ev,
			 const struct seccomp_prog *base, struct lc_err *err)
{
	char buf[1024];
	size_t got = 0;
	for (;;) {
		struct pollfd p[2] = { { .fd = listener, .events = POLLIN }, { .fd = fifo, .events = POLLIN } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return lc_err_set(err, errno, "poll");
		}
		if (p[0].revents & POLLIN)
			evidence_handle(ev, listener, base);
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(fifo, buf + got, sizeof(buf) - 1 - got);
			if (n > 0) {
				got += n;
				continue;
			}
			if (n == 0)
				break;
		}
		if (p[0].revents & (POLLHUP | POLLERR))
			break; /* every user of the filter is gone */
	}
	if (got) {
		buf[got] = '\0';
		return lc_err_setx(err, EIO, "%s", buf);
	}
	return 0;
}

int
observe_serve_until_exit(int listener, pid_t pid, struct evidence *ev,
			 const struct seccomp_prog *base, const char *live)
{
	static const int forward[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	sigset_t set;
	int status = 0;
	bool exited = false;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(forward); i++)
		sigaddset(&set, forward[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	_cleanup_close_ int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Until the init exits, and then until the listener hangs up: when the init of a
	 * pid namespace exits the kernel kills the rest, so that comes quickly; bounded
	 * anyway (2 s), after which delete kills what is left. */
	int after_exit = 0;
	while (listener >= 0 && after_exit < 200) {
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = true;
		struct pollfd p[2] = { { .fd = listener, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		int due = evidence_snapshot(ev, live, false);
		int timeout = exited ? 10 : 200;
		if (poll(p, 2, due >= 0 && due < timeout ? due : timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (evidence_handle(ev, listener, base) == -EPIPE)
				listener = -1;
		}
		after_exit += exited;
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			if (si.ssi_signo != SIGCHLD)
				kill(pid, si.ssi_signo);
	}
	while (!exited && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int
lc_seccomp_recorder(const char *socket_path, const char *dir, struct lc_err *err)
{
	return seccomp_recorder_run(socket_path, dir, err);
}

/* ---- `strait seccomp denials ID` ---- */
static int
denials_json(const struct lc_state *st, const char *dir, char **ret, struct lc_err *err)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	size_t len;

	if (asprintf(&path, "%s/%s", dir, SECCOMP_DENIALS_FILE) < 0)
		return lc_err_set(err, ENOMEM, "seccomp denials");
	if (access(path, F_OK) == 0) {
		int r = observe_read_file(path, 64u << 20, &text, &len, err);
		if (r < 0)
			return r;
		*ret = TAKE_PTR(text);
		return 0;
	}
	/* nothing denied yet: an evidence file with no records */
	struct evidence_meta m = { .id = st->id, .bundle = st->bundle, .enforce = true };
	_cleanup_evidence_ struct evidence *ev = evidence_new(&m);
	if (!ev || evidence_json(ev, ret, &len) < 0)
		return lc_err_set(err, ENOMEM, "seccomp denials");
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The exec'd processes' files (seccomp-denials.exec-<pid>.json), sorted. */
static int
exec_files(const char *dir, char ***ret, size_t *ret_n)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	char **v = NULL;
	size_t n = 0;
	struct dirent *e;

	*ret = NULL;
	*ret_n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "seccomp-denials.exec-", 21) || len < 26 ||
		    strcmp(e->d_name + len - 5, ".json"))
			continue;
		char **p = reallocarray(v, n + 2, sizeof(*v));
		if (!p || !(p[n] = strdup(e->d_name))) {
			free(p ? p : v);
			return -ENOMEM;
		}
		v = p;
		v[++n] = NULL;
	}
	if (n)
		qsort(v, n, sizeof(*v), name_cmp);
	*ret = v;
	*ret_n = n;
	return 0;
}

static int
denials_print(FILE *f, const char *dir, const char *name, const char *who, struct lc_err *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_evidence_doc_ struct evidence_doc *doc = NULL;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return lc_err_set(err, ENOMEM, "seccomp denials");
	if (access(path, F_OK) < 0) {
		fprintf(f, "%s: no denials\n", who);
		return 0;
	}
	int r = evidence_load(path, &doc, err);
	if (r < 0)
		return r;
	tools_denials_print(f, doc, who);
	return 0;
}

int
lc_seccomp_denials(const struct lc_global *g, const char *id, bool json, char **ret_text,
		   struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	_cleanup_free_ char *dir = NULL, *buf = NULL;
	_cleanup_strv_ char **execs = NULL;
	size_t n_execs, len = 0;
	int r = container_load(g, id, &st, err);

	if (r < 0)
		return r;
	if (!st->seccomp_json || !strstr(st->seccomp_json, "\"denials\":\"record\""))
		return lc_err_setx(err, EINVAL, "container \"%s\" does not record its seccomp denials (create it with --seccomp-denials=record, or seccomp-denials = record in strait.conf)",
				   id);
	if (!(dir = state_dir(g->root, id)))
		return lc_err_set(err, ENOMEM, "seccomp denials");
	if (json)
		return denials_json(st, dir, ret_text, err);
	r = exec_files(dir, &execs, &n_execs);
	if (r < 0)
		return lc_err_set(err, -r, "seccomp denials: %s", dir);
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return lc_err_set(err, errno, "seccomp denials");
	fprintf(f, "container %s: the enforced profile's denials (sha256 of the profile in strait seccomp status)\n", id);
	r = denials_print(f, dir, SECCOMP_DENIALS_FILE, "init", err);
	for (size_t i = 0; r >= 0 && i < n_execs; i++) {
		char who[64];
		snprintf(who, sizeof(who), "exec'd process %d", atoi(execs[i] + 21));
		r = denials_print(f, dir, execs[i], who, err);
	}
	if (fclose(f) != 0 && r >= 0)
		r = lc_err_set(err, ENOMEM, "seccomp denials");
	if (r < 0)
		return r;
	*ret_text = TAKE_PTR(buf);
	return 0;
}
