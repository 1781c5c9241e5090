/* The container lifecycle behind the public lc_container_* API after create
 * (container-create.c): start (release exec.fifo), run (= create + start + wait),
 * state, kill, delete and list. `run` reuses create and start; nothing is duplicated. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pwd.h>
#include <unistd.h>
#include <time.h>
#include "cgroup/cgroup.h"
#include "container.h"
#include "container-observe.h"
#include "seccomp/observe.h"
#include "error.h"
#include "json.h"
#include "log.h"
#include "mounts.h"
#include "process/process.h"
#include "process/sync.h"
#include "seccomp/policy.h"
#include "seccomp/seccomp.h"
#include "spec.h"
#include "state.h"
#include "sys.h"
#include "terminal.h"
#include "phase.h"

/* The runtime's end of exec.fifo. After the "0" that says the process saw start, the
 * fifo carries either nothing until EOF (execve closed it: the workload runs), an
 * error text (a step after start failed), or in observe mode "@<listener> <agent>\n"
 * (the fd numbers to take with pidfd_getfd) and then EOF or an error. */
struct fifo_wait {
	int fd;
	bool released;
	int listener_no, agent_no; /* -1 until announced */
	size_t got;
	char buf[1024];
};

/* Reads what is there. Returns 1 at EOF, 0 when more may come, -errno. */
static int
fifo_read(struct fifo_wait *w, const char *fifo)
{
	ssize_t k = read(w->fd, w->buf + w->got, sizeof(w->buf) - 1 - w->got);
	if (k < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (k == 0)
		return w->released ? 1 : 0;
	if (!w->released) {
		w->released = true;
		unlink(fifo);
		memmove(w->buf, w->buf + 1, --k);
	}
	w->got += k;
	w->buf[w->got] = '\0';
	char *nl = w->buf[0] == '@' ? strchr(w->buf, '\n') : NULL;
	if (nl && sscanf(w->buf, "@%d %d", &w->listener_no, &w->agent_no) == 2) {
		w->got -= nl + 1 - w->buf;
		memmove(w->buf, nl + 1, w->got + 1);
	}
	return 0;
}

/* Waits on the fifo until the process execs (0) or, with stop_at_listener, announces
 * an observe-mode listener (1). Fails with the process's own error text, or if it dies
 * before it was released. */
static int
fifo_loop(struct fifo_wait *w, const char *fifo, const struct lc_state *st, bool stop_at_listener,
	  struct lc_err *err)
{
	for (;;) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };
		int n = poll(&p, 1, 100), eof = 0;
		if (n < 0 && errno != EINTR)
			return lc_err_set(err, errno, "poll %s", fifo);
		if (n > 0 && (p.revents & (POLLIN | POLLHUP))) {
			eof = fifo_read(w, fifo);
			if (eof < 0)
				return lc_err_set(err, eof, "read %s", fifo);
		}
		if (w->listener_no >= 0 && stop_at_listener)
			return 1;
		if (eof > 0)
			break;
		if (n > 0 && !(p.revents & POLLHUP))
			continue;
		bool zombie = false;
		if (state_pid_start(st->pid, &zombie) != st->pid_start || zombie) {
			if (w->released)
				break;
			return lc_err_setx(err, ESRCH, "container process exited before start");
		}
	}
	if (w->got)
		return lc_err_setx(err, EIO, "%s", w->buf);
	return 0;
}

/* Releases the process blocked on exec.fifo (see fifo_loop for the result). */
static int
release_fifo(const char *dir, const struct lc_state *st, struct fifo_wait *w, bool stop_at_listener,
	     struct lc_err *err)
{
	_cleanup_free_ char *fifo = NULL;

	*w = (struct fifo_wait){ .fd = -1, .listener_no = -1, .agent_no = -1 };
	if (asprintf(&fifo, "%s/exec.fifo", dir) < 0)
		return lc_err_set(err, ENOMEM, "start");
	w->fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0)
		return lc_err_set(err, errno, "open %s", fifo);
	return fifo_loop(w, fifo, st, stop_at_listener, err);
}

/* Observe mode with an agent: takes the listener and the agent socket out of the
 * container process, sends the listener to the agent, then waits for execve. */
static int
hand_to_agent(const char *root, const struct lc_state *st, struct fifo_wait *w, struct lc_err *err)
{
	_cleanup_close_ int listener = -1, agent = -1;
	_cleanup_free_ char *dir = state_dir(root, st->id), *meta = NULL;
	if (w->agent_no < 0)
		return lc_err_setx(err, EINVAL, "seccomp observe: no recorder for this container");
	listener = observe_take_fd(st->pid, w->listener_no, err);
	if (listener < 0)
		return listener;
	agent = observe_take_fd(st->pid, w->agent_no, err);
	if (agent < 0)
		return agent;
	if (!dir || !(meta = container_read_file(dir, SECCOMP_META_FILE)))
		return lc_err_set(err, errno ? errno : ENOMEM, "seccomp observe: read %s", SECCOMP_META_FILE);
	int r = observe_send(agent, st, meta, listener, err);
	if (r < 0)
		return r;
	closep(&listener);
	return fifo_loop(w, "exec.fifo", st, false, err);
}

static void
run_poststart(const struct lc_spec *s, const struct lc_state *st)
{
	if (!s || !s->n_hooks[HOOK_POSTSTART])
		return;
	struct lc_err err = { 0 };
	_cleanup_free_ char *state = state_oci_json(st, ST_RUNNING, false);
	/* runtime-spec: a failing poststart hook is a warning; the lifecycle goes on. */
	const struct hook_opts in_bundle = { .cwd = st->bundle };
	if (hooks_run(HOOK_POSTSTART, s->hooks[HOOK_POSTSTART], s->n_hooks[HOOK_POSTSTART], state,
		      &in_bundle, &err) < 0)
		log_warn("%s", err.msg);
}

struct lc_spec *
container_saved_spec(const char *root, const struct lc_state *st)
{
	_cleanup_free_ char *dir = state_dir(root, st->id), *path = NULL, *buf = NULL;
	struct lc_spec *s = NULL;
	struct stat sb;
	if (!dir || asprintf(&path, "%s/config.json", dir) < 0)
		return NULL;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || !(buf = malloc(sb.st_size + 1)))
		return NULL;
	if (read(fd, buf, sb.st_size) != sb.st_size)
		return NULL;
	if (spec_parse(buf, sb.st_size, path, st->bundle, &s, NULL) < 0)
		return NULL;
	return s;
}

/* Signals the container's init through a pidfd opened before its start time is
 * checked: a pid recycled since the state was written is never signalled. 0, or
 * -ESRCH when the init is gone, or -errno. */
static int
signal_init(const struct lc_state *st, int signo)
{
	bool zombie = false;
	if (st->pid <= 0)
		return -ESRCH;
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	if (pidfd < 0)
		return -errno;
	if (state_pid_start(st->pid, &zombie) != st->pid_start)
		return -ESRCH;
	return pidfd_kill(pidfd, st->pid, signo) < 0 ? -errno : 0;
}

int
lc_container_start(const struct lc_global *g, const char *id, struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	_cleanup_free_ char *dir = NULL;
	int r = lc_id_validate(id, err);
	if (r < 0)
		return r;
	_cleanup_close_ int lock = state_lock(g->root, id, err);
	if (lock < 0)
		return lock;
	r = state_read(g->root, id, &st, err);
	if (r < 0)
		return r;
	enum ct_status status = state_status(g->root, st);
	if (status != ST_CREATED)
		return lc_err_setx(err, EINVAL, "cannot start container \"%s\": it is %s, not created", id,
				   state_status_name(status));
	dir = state_dir(g->root, id);
	struct fifo_wait w;
	phase_mark("start: state read");
	r = release_fifo(dir, st, &w, true, err);
	if (r == 1) {
		r = hand_to_agent(g->root, st, &w, err);
		/* Without a recorder holding its listener the process would wait in execve
		 * forever: it must not run unrecorded, so it is stopped. */
		if (r < 0)
			signal_init(st, SIGKILL);
	}
	closep(&w.fd);
	if (r < 0)
		return r;
	log_debug("start %s: process %d started", id, st->pid);
	phase_mark("start: workload started (execve)");
	if (!state_may_have_hooks(st, HOOK_POSTSTART))
		return 0;
	_cleanup_spec_ struct lc_spec *s = container_saved_spec(g->root, st);
	run_poststart(s, st);
	return 0;
}

enum ct_status
container_status(const char *root, const struct lc_state *st)
{
	enum ct_status status = state_status(root, st);
	struct cgroup_mgr *cg = NULL;
	if (status != ST_RUNNING || !st->cgroup || cgroup_load(CGROUP_ROOT, st->cgroup, &cg, NULL) < 0)
		return status;
	if (cgroup_is_frozen(cg) == 1)
		status = ST_PAUSED;
	cgroup_free(cg);
	return status;
}

int
container_load(const struct lc_global *g, const char *id, struct lc_state **ret,
	       struct lc_err *err)
{
	int r = lc_id_validate(id, err);
	return r < 0 ? r : state_read(g->root, id, ret, err);
}

int
lc_container_state(const struct lc_global *g, const char *id, char **ret_json, struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	int r = container_load(g, id, &st, err);
	if (r < 0)
		return r;
	*ret_json = state_oci_json(st, container_status(g->root, st), true);
	return *ret_json ? 0 : lc_err_set(err, ENOMEM, "state");
}

static int
load_cgroup(const struct lc_state *st, struct cgroup_mgr **ret, struct lc_err *err)
{
	if (!st->cgroup) {
		*ret = NULL;
		return 0;
	}
	return cgroup_load(CGROUP_ROOT, st->cgroup, ret, err);
}

/* Signals every process of cgroup cg. Freeze first so that no new process escapes the
 * snapshot, signal, then thaw (a frozen process only acts on the signal once thawed).
 * An empty cgroup, the usual case at delete, needs none of it. */
static int
kill_in(struct cgroup_mgr *cg, int signo, struct lc_err *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int r = cgroup_pids(cg, &pids, &n, err);
	if (r >= 0 && n > 0) {
		free(pids);
		pids = NULL;
		bool frozen = cgroup_freeze(cg, true, NULL) >= 0;
		r = cgroup_pids(cg, &pids, &n, err);
		for (size_t i = 0; r >= 0 && i < n; i++)
			kill(pids[i], signo);
		if (frozen)
			cgroup_freeze(cg, false, NULL);
	}
	return r;
}

/* Signals every process of the container's cgroup (kill --all, delete --force). */
static int
kill_all(const struct lc_state *st, int signo, struct lc_err *err)
{
	struct cgroup_mgr *cg = NULL;
	int r = load_cgroup(st, &cg, err);
	if (r < 0)
		return r;
	if (!cg) {
		r = signal_init(st, signo);
		return r < 0 && r != -ESRCH ? lc_err_set(err, -r, "kill") : 0;
	}
	r = kill_in(cg, signo, err);
	cgroup_free(cg);
	return r;
}

int
lc_container_kill(const struct lc_global *g, const char *id, int signo, bool all,
		  struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	int r = container_load(g, id, &st, err);
	if (r < 0)
		return r;
	enum ct_status status = state_status(g->root, st);
	if (status == ST_STOPPED && !all)
		return lc_err_setx(err, ESRCH, "container \"%s\" is not running", id);
	if (all)
		return kill_all(st, signo, err);
	r = signal_init(st, signo);
	if (r < 0)
		return lc_err_set(err, -r, "kill container \"%s\" (pid %d)", id, st->pid);
	return 0;
}

static void
wait_gone(const struct lc_state *st)
{
	/* Not our child (after create the caller reaps it): poll until it is a zombie or
	 * gone. Bounded: SIGKILL is not blockable. */
	for (int i = 0; i < 1000; i++) {
		bool zombie = false;
		if (state_pid_start(st->pid, &zombie) != st->pid_start || zombie)
			return;
		struct timespec ts = { 0, 2 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* Destroys what create made: processes (when forced), cgroup, poststop hooks, state.
 * spec: the container's config when the caller has it (run), else NULL: the copy saved
 * in the state dir is read. */
static int
destroy(const struct lc_global *g, struct lc_state *st, const struct lc_spec *spec,
	enum ct_status status, struct lc_err *err)
{
	struct cgroup_mgr *cg = NULL;
	int r;

	if (status != ST_STOPPED) {
		kill_all(st, SIGKILL, NULL);
		signal_init(st, SIGKILL);
		wait_gone(st);
	}
	r = load_cgroup(st, &cg, err);
	if (r < 0)
		return r;
	if (cg) {
		/* Remaining processes (e.g. double-forked ones) would keep the cgroup busy. */
		kill_in(cg, SIGKILL, NULL);
		r = cgroup_destroy(cg, err);
		cgroup_free(cg);
		if (r < 0)
			return r;
	}
	phase_mark("cgroups removed");
	_cleanup_spec_ struct lc_spec *saved = spec || !state_may_have_hooks(st, HOOK_POSTSTOP)
							? NULL
							: container_saved_spec(g->root, st);
	const struct lc_spec *s = spec ? spec : saved;
	if (s && s->n_hooks[HOOK_POSTSTOP]) {
		struct lc_err herr = { 0 };
		_cleanup_free_ char *state = state_oci_json(st, ST_STOPPED, false);
		/* runtime-spec: a failing poststop hook is a warning. */
		const struct hook_opts in_bundle = { .cwd = st->bundle };
		if (hooks_run(HOOK_POSTSTOP, s->hooks[HOOK_POSTSTOP], s->n_hooks[HOOK_POSTSTOP], state,
			      &in_bundle, &herr) < 0)
			log_warn("%s", herr.msg);
	}
	phase_mark("saved config read, poststop hooks");
	r = state_remove(g->root, st->id);
	if (r < 0)
		return lc_err_set(err, r, "remove state of \"%s\"", st->id);
	return 0;
}

int
lc_container_delete(const struct lc_global *g, const char *id, bool force, struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	int r = lc_id_validate(id, err);
	if (r < 0)
		return r;
	_cleanup_close_ int lock = state_lock(g->root, id, err);
	/* podman's cleanup relies on delete --force of a missing container succeeding. */
	if (lock == -ENOENT && force)
		return 0;
	if (lock < 0)
		return lock;
	r = state_read(g->root, id, &st, err);
	if (r == -ENOENT && force)
		return 0;
	if (r < 0)
		return r;
	enum ct_status status = container_status(g->root, st);
	/* A created container never ran user code: deleting it is always allowed. */
	if (!force && status != ST_STOPPED && status != ST_CREATED)
		return lc_err_setx(err, EBUSY,
				   "cannot delete container \"%s\": it is %s (use --force)", id,
				   state_status_name(status));
	log_debug("delete %s: status %s%s", id, state_status_name(status), force ? " (forced)" : "");
	phase_mark("delete: state read");
	return destroy(g, st, NULL, status, err);
}

static int forward_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };

int
container_wait_foreground(pid_t pid)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(forward_sigs); i++)
		sigaddset(&set, forward_sigs[i]);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		int status;
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			if (WIFSIGNALED(status))
				return 128 + WTERMSIG(status);
		} else if (w < 0 && errno != EINTR) {
			return 255;
		}
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		if (sig > 0 && sig != SIGCHLD)
			kill(pid, sig);
	}
}

int
lc_container_run(const struct lc_global *g, const struct lc_create_opts *o, int *ret_status,
		 struct lc_err *err)
{
	struct create_job j = { .ctx.listener_fd = -1, .ctx.console_fd = -1, .ctx.state_dirfd = -1, .ctx.recorder_fd = -1 };
	struct spawn_result sr;
	int r = create_container(g, o, o->detach ? RUN_DETACHED : RUN_FOREGROUND, &j, &sr, err);
	if (r < 0) {
		create_job_cleanup(&j, g, true);
		return r;
	}
	_cleanup_close_ int syncfd = sr.sync_fd;
	_cleanup_close_ int listener = -1;
	struct evidence *ev = NULL;
	_cleanup_free_ char *live = NULL;
	struct fifo_wait w;
	/* The state file exists but is not written yet: the fifo wait reads the pid from
	 * j.st, and the pid is published once the workload runs. */
	r = release_fifo(j.dir, &j.st, &w, true, err);
	if (r == 1 && j.serve_self) {
		/* Observe mode or denials recorded by run itself: serve the twin's listener
		 * from the first notification on (the entrypoint's execve included). */
		struct evidence_meta meta = { .id = o->id, .bundle = j.spec->bundle,
					      .label = j.seccomp.label,
					      .base_sha256 = j.seccomp.base->sha256,
					      .base_source = j.seccomp.source == SECCOMP_SRC_CONFIG ? "config" : "runtime-default",
					      .enforce = j.seccomp.record };
		if (j.seccomp.record && asprintf(&live, "%s/%s", j.dir, SECCOMP_DENIALS_FILE) < 0)
			live = NULL;
		_cleanup_strv_ char **image = observe_image(j.spec);
		meta.image = image;
		ev = evidence_new(&meta);
		listener = ev ? observe_take_fd(sr.pid, w.listener_no, err) : lc_err_set(err, ENOMEM, "evidence");
		if (listener >= 0)
			evidence_listener_setup(listener);
		r = listener < 0 ? listener : observe_serve_until_exec(listener, w.fd, ev, j.seccomp.base, err);
	} else if (r == 1) {
		r = hand_to_agent(g->root, &j.st, &w, err);
	}
	phase_mark("workload started (execve)");
	closep(&w.fd);
	if (r >= 0)
		r = publish(g, o, &j, err);
	phase_mark("state.json written");
	if (r >= 0)
		run_poststart(j.spec, &j.st);
	else
		pidfd_kill(sr.pidfd, sr.pid, SIGKILL);
	closep(&sr.pidfd);
	if (o->detach && r >= 0) {
		create_job_cleanup(&j, g, false);
		*ret_status = 0;
		return 0;
	}
	int status;
	if (ev && listener >= 0)
		status = observe_serve_until_exit(listener, sr.pid, ev, j.seccomp.base, live);
	else if (sr.pty_master >= 0)
		status = terminal_relay(sr.pid, sr.pty_master);
	else
		status = container_wait_foreground(sr.pid);
	closep(&sr.pty_master);
	if (r >= 0)
		*ret_status = status;
	phase_mark("workload exited");
	if (ev) {
		struct lc_err everr = { 0 };
		evidence_snapshot(ev, live, true);
		if (j.evidence_path && evidence_write(ev, j.evidence_path, &everr) < 0 && r >= 0)
			r = lc_err_setx(err, everr.code, "%s", everr.msg);
		evidence_free(ev);
	}
	if (!o->keep || r < 0) {
		struct lc_err derr = { 0 };
		if (destroy(g, &j.st, j.spec, ST_STOPPED, &derr) < 0 && r >= 0)
			r = lc_err_setx(err, derr.code, "%s", derr.msg);
	}
	phase_mark("cgroups, state dir removed");
	create_job_cleanup(&j, g, false);
	return r;
}

int
lc_seccomp_default_json(char **ret_json, struct lc_err *err)
{
	int r = seccomp_default_profile_json(ret_json);
	return r < 0 ? lc_err_set(err, r, "built-in seccomp profile") : 0;
}

int
lc_spec_default(bool rootless, bool seccomp, char **ret_json, struct lc_err *err)
{
	/* `strait spec` writes runc's shape; --seccomp-default embeds the built-in
	 * RuntimeDefault profile. */
	spec_default_seccomp_json = seccomp ? lc_seccomp_default_json : NULL;
	return spec_default_json(rootless, ret_json, err);
}

int
lc_seccomp_status(const struct lc_global *g, const char *id, char **ret_json, struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	int r = container_load(g, id, &st, err);
	if (r < 0)
		return r;
	if (!st->seccomp_json)
		return lc_err_setx(err, ENOENT, "container \"%s\" has no seccomp record", id);
	*ret_json = TAKE_PTR(st->seccomp_json);
	return 0;
}

void
lc_list_free(struct lc_list_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].id);
		free(e[i].status);
		free(e[i].bundle);
		free(e[i].rootfs);
		free(e[i].created);
		free(e[i].owner);
	}
	free(e);
}

static char *
owner_name(uid_t uid)
{
	char buf[1024], *out = NULL;
	struct passwd pw, *res = NULL;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		return strdup(res->pw_name);
	if (asprintf(&out, "#%u", uid) < 0)
		return NULL;
	return out;
}

int
lc_container_list(const struct lc_global *g, struct lc_list_entry **ret_entries, size_t *ret_n,
		  struct lc_err *err)
{
	_cleanup_closedir_ DIR *d = opendir(g->root);
	struct lc_list_entry *e = NULL;
	size_t n = 0;
	struct dirent *de;

	*ret_entries = NULL;
	*ret_n = 0;
	if (!d)
		return errno == ENOENT ? 0 : lc_err_set(err, errno, "open %s", g->root);
	while ((de = readdir(d))) {
		struct lc_state *st = NULL;
		if (de->d_name[0] == '.' || state_read(g->root, de->d_name, &st, NULL) < 0)
			continue;
		struct lc_list_entry *ne = realloc(e, (n + 1) * sizeof(*e));
		if (!ne) {
			state_free(st);
			lc_list_free(e, n);
			return lc_err_set(err, ENOMEM, "list");
		}
		e = ne;
		enum ct_status status = container_status(g->root, st);
		e[n] = (struct lc_list_entry){
			.id = strdup(st->id),
			.pid = status == ST_STOPPED ? 0 : st->pid,
			.status = strdup(state_status_name(status)),
			.bundle = strdup(st->bundle),
			.rootfs = st->rootfs ? strdup(st->rootfs) : NULL,
			.created = st->created ? strdup(st->created) : NULL,
			.owner = owner_name(st->owner),
		};
		n++;
		state_free(st);
	}
	*ret_entries = e;
	*ret_n = n;
	return 0;
}
