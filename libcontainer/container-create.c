/* The create path: everything the runtime does before and around the clone (spec,
 * validation, seccomp decision, state claim, mount plan, cgroup), shared by `create`
 * and `run`. The lifecycle after it (start, run, kill, delete) is in container.c. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <pwd.h>
#include <time.h>
#include "cgroup/cgroup.h"
#include "container.h"
#include "container-observe.h"
#include "seccomp/observe.h"
#include "error.h"
#include "json.h"
#include "log.h"
#include "mounts.h"
#include "mountinfo.h"
#include "namespaces.h"
#include "process/process.h"
#include "process/sync.h"
#include "seccomp/policy.h"
#include "seccomp/seccomp.h"
#include "spec.h"
#include "state.h"
#include "sys.h"
#include "terminal.h"
#include "phase.h"

static char *
now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64], *out;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	/* RFC 3339 with nanoseconds, trailing zeros dropped (as runc's Go time prints) */
	if (ts.tv_nsec) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%09ld", ts.tv_nsec);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	if (asprintf(&out, "%sZ", buf) < 0)
		return NULL;
	return out;
}

static char **
annotations_strv(const struct lc_spec *s)
{
	char **v = calloc(2 * s->n_annotations + 1, sizeof(char *));
	for (size_t i = 0; v && i < s->n_annotations; i++) {
		v[2 * i] = strdup(s->annotations[i].key);
		v[2 * i + 1] = strdup(s->annotations[i].value);
	}
	return v;
}

static int
write_file_atomic(const char *path, const char *text, size_t len, mode_t mode, struct lc_err *err)
{
	_cleanup_free_ char *tmp = NULL;
	if (asprintf(&tmp, "%s.tmp.%d", path, getpid()) < 0)
		return lc_err_set(err, ENOMEM, "write %s", path);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return lc_err_set(err, errno, "write %s", path);
	if (write(fd, text, len) != (ssize_t)len || rename(tmp, path) < 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return lc_err_set(err, e, "write %s", path);
	}
	return 0;
}

/* Reads <dir>/<name> into a NUL-terminated string (malloc'd), NULL on failure. */
char *
container_read_file(const char *dir, const char *name)
{
	_cleanup_free_ char *path = NULL;
	struct stat sb;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) < 0)
		return NULL;
	char *buf = malloc(sb.st_size + 1);
	if (buf && read(fd, buf, sb.st_size) != sb.st_size) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[sb.st_size] = '\0';
	return buf;
}

int
container_write_pid_file(const char *path, pid_t pid, struct lc_err *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", pid);
	return write_file_atomic(path, buf, n, 0644, err);
}

/* Saves config.json next to the state, so delete can run poststop hooks even if the
 * bundle has changed or gone. */
static int
save_config(const char *dir, const struct lc_spec *s, struct lc_err *err)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	struct json_gen *g = json_gen_new(false);
	size_t len;
	if (!g || asprintf(&path, "%s/config.json", dir) < 0) {
		json_gen_free(g);
		return lc_err_set(err, ENOMEM, "save config");
	}
	json_gen_value(g, s->raw);
	int r = json_gen_finish(g, &text, &len);
	json_gen_free(g);
	if (r < 0)
		return lc_err_set(err, r, "save config");
	return write_file_atomic(path, text, len, 0600, err);
}

/* The saved config and the seccomp record: read only once the container is published,
 * so written while the container process sets itself up (spawn.c). */
static int
save_state_files(void *arg, struct lc_err *err)
{
	struct create_job *j = arg;
	int r = save_config(j->dir, j->spec, err);
	if (r < 0 || !j->st.seccomp_json)
		return r;
	_cleanup_free_ char *rec = NULL;
	if (asprintf(&rec, "%s/%s", j->dir, SECCOMP_RECORD_FILE) < 0)
		return lc_err_set(err, ENOMEM, "create");
	return write_file_atomic(rec, j->st.seccomp_json, strlen(j->st.seccomp_json), 0644, err);
}

void
create_job_cleanup(struct create_job *j, const struct lc_global *g, bool failed)
{
	if (failed && j->ctx.cgroup)
		cgroup_destroy(j->ctx.cgroup, NULL);
	if (failed && j->claimed)
		state_remove(g->root, j->st.id);
	if (j->ctx.cgroup)
		cgroup_free(j->ctx.cgroup);
	if (j->ctx.plan)
		mounts_plan_free(j->ctx.plan);
	rootfs_fds_close(&j->ctx.fds);
	closep(&j->ctx.listener_fd);
	closep(&j->ctx.console_fd);
	closep(&j->ctx.state_dirfd);
	closep(&j->ctx.recorder_fd);
	seccomp_decision_release(&j->seccomp);
	free(j->st.seccomp_json);
	free(j->st.created);
	free(j->st.cgroup);
	strv_freep(&j->st.annotations);
	free(j->dir);
	if (j->spec)
		spec_free(j->spec);
}

/* The seccomp decision and, with NOTIFY rules, the listener connection: both in the
 * runtime before clone, so the container process only loads bytes and sends one fd. */
/* Observe mode needs a recorder: `run --seccomp-evidence` records itself; otherwise
 * the agent (--seccomp-recorder or strait.conf) must be reachable now, not later. */
static int
prepare_observe(const struct lc_global *g, const struct lc_create_opts *o, enum create_mode mode,
		struct create_job *j, struct lc_err *err)
{
	const char *agent = o->seccomp_recorder ? o->seccomp_recorder : g->config.seccomp_recorder;

	j->ctx.observe = true;
	j->ctx.record = j->seccomp.record;
	j->ctx.seccomp_base = j->seccomp.base;
	if (o->seccomp_evidence) {
		if (mode != RUN_FOREGROUND)
			return lc_err_setx(err, EINVAL, "--seccomp-evidence needs a foreground run");
		j->evidence_path = o->seccomp_evidence;
		j->serve_self = true;
		return 0;
	}
	/* Recording denials: a foreground run serves them itself unless an agent is set. */
	if (j->seccomp.record && mode == RUN_FOREGROUND && !agent[0]) {
		j->serve_self = true;
		return 0;
	}
	if (!agent[0])
		return lc_err_setx(err, EINVAL, "%s needs a recorder: --seccomp-evidence FILE (run in the foreground), --seccomp-recorder SOCKET or seccomp-recorder in strait.conf",
				   j->seccomp.record ? "seccomp-denials=record" : "seccomp log mode");
	j->recorder_path = agent;
	j->ctx.recorder_fd = unix_connect(agent, "seccomp recorder", err);
	return j->ctx.recorder_fd < 0 ? j->ctx.recorder_fd : 0;
}

/* The seccomp decision and, with NOTIFY rules, the listener connection: both in the
 * runtime before clone, so the container process only loads bytes and sends one fd. */
static int
prepare_seccomp(const struct lc_global *g, const struct lc_create_opts *o, enum create_mode mode,
		struct create_job *j, struct lc_err *err)
{
	_cleanup_free_ char *cache = NULL;
	int r = 0;
	enum lc_seccomp_mode want = seccomp_wanted_mode(j->spec, &g->config, o->seccomp_mode, err, &r);
	if (r < 0)
		return r;
	/* The operator's choice alone (flag, else strait.conf): no annotation turns the
	 * recording of denials on or off. */
	bool record = g->config.seccomp_denials_record;
	if (o->seccomp_denials) {
		if (strcmp(o->seccomp_denials, "record") && strcmp(o->seccomp_denials, "off"))
			return lc_err_setx(err, EINVAL, "--seccomp-denials: unknown value \"%s\" (record or off)",
					   o->seccomp_denials);
		record = !strcmp(o->seccomp_denials, "record");
	}
	if (record && want == LC_MODE_ENFORCE)
		want = LC_MODE_RECORD;
	if (asprintf(&cache, "%s/@seccomp-cache", g->root) < 0)
		return lc_err_set(err, ENOMEM, "seccomp");
	/* The cache lives under the state root, which may not exist yet. */
	r = state_root_ensure(g->root);
	if (r < 0)
		return lc_err_set(err, r, "create state root %s", g->root);
	r = seccomp_decide(j->spec, &g->config, want, cache, &j->seccomp, err);
	if (r < 0)
		return r;
	if (o->seccomp_label)
		j->seccomp.label = o->seccomp_label;
	j->ctx.seccomp = j->seccomp.prog;
	j->ctx.seccomp_profile = j->seccomp.profile;
	j->st.seccomp_json = seccomp_decision_json(&j->seccomp, &g->config);
	if (!j->st.seccomp_json)
		return lc_err_set(err, ENOMEM, "seccomp record");
	if (j->seccomp.base) {
		r = prepare_observe(g, o, mode, j, err);
		/* Said once the container will run that way: a refusal stays one line. */
		if (r >= 0 && j->seccomp.mode == SECCOMP_MODE_AUDIT)
			log_warn("privileged container: seccomp runs in audit mode (privileged-seccomp=audit): nothing is blocked, calls are recorded");
		return r;
	}
	if (o->seccomp_evidence)
		return lc_err_setx(err, EINVAL, "--seccomp-evidence needs seccomp log mode (--seccomp-mode=log)");
	if (j->seccomp.prog && j->seccomp.prog->needs_notify) {
		if (!j->seccomp.profile->listener_path)
			return lc_err_setx(err, EINVAL, "config.json: linux.seccomp: SCMP_ACT_NOTIFY requires listenerPath");
		j->ctx.listener_fd = unix_connect(j->seccomp.profile->listener_path, LISTENER_CONNECT, err);
		if (j->ctx.listener_fd < 0)
			return j->ctx.listener_fd;
	}
	return 0;
}

/* Observe mode: the base profile and the agent's metadata, next to the state. */
static int
save_observe_files(struct create_job *j, struct lc_err *err)
{
	_cleanup_free_ char *base = NULL, *meta = NULL, *path = NULL;
	struct json_gen *g;
	size_t len;
	int r;

	if (!j->seccomp.base)
		return 0;
	if (seccomp_spec_to_json(j->seccomp.profile, false, &base) < 0 ||
	    asprintf(&path, "%s/%s", j->dir, SECCOMP_BASE_FILE) < 0)
		return lc_err_set(err, ENOMEM, "seccomp observe");
	r = write_file_atomic(path, base, strlen(base), 0600, err);
	if (r < 0)
		return r;
	if (!(g = json_gen_new(false)))
		return lc_err_set(err, ENOMEM, "seccomp observe");
	json_gen_obj_open(g);
	json_gen_key(g, "baseProfile");
	json_gen_string(g, path);
	json_gen_key(g, "label");
	json_gen_string(g, j->seccomp.label ? j->seccomp.label : "");
	json_gen_key(g, "id");
	json_gen_string(g, j->st.id);
	json_gen_key(g, "baseSource");
	json_gen_string(g, j->seccomp.source == SECCOMP_SRC_CONFIG ? "config" : "runtime-default");
	json_gen_key(g, "image");
	json_gen_obj_open(g);
	for (size_t i = 0; i < j->spec->n_annotations; i++) {
		if (!exe_is_image_key(j->spec->annotations[i].key))
			continue;
		json_gen_key(g, j->spec->annotations[i].key);
		json_gen_string(g, j->spec->annotations[i].value);
	}
	json_gen_obj_close(g);
	if (j->ctx.recorder_fd >= 0) {
		/* for exec, which records its processes with the same agent */
		json_gen_key(g, "recorderSocket");
		json_gen_string(g, j->recorder_path);
	}
	if (j->seccomp.record) {
		_cleanup_free_ char *live = NULL;
		if (asprintf(&live, "%s/%s", j->dir, SECCOMP_DENIALS_FILE) < 0) {
			json_gen_free(g);
			return lc_err_set(err, ENOMEM, "seccomp denials");
		}
		json_gen_key(g, "mode");
		json_gen_string(g, "record");
		json_gen_key(g, "denialsFile");
		json_gen_string(g, live);
	}
	json_gen_obj_close(g);
	r = json_gen_finish(g, &meta, &len);
	json_gen_free(g);
	free(path);
	path = NULL;
	if (r < 0 || asprintf(&path, "%s/%s", j->dir, SECCOMP_META_FILE) < 0)
		return lc_err_set(err, ENOMEM, "seccomp observe");
	return write_file_atomic(path, meta, len, 0600, err);
}

/* Everything create does before the clone, in the runtime. */
static int
create_prepare(const struct lc_global *g, const struct lc_create_opts *o, enum create_mode mode,
	       struct create_job *j, struct lc_err *err)
{
	struct stat self;
	int r;

	r = lc_id_validate(o->id, err);
	if (r < 0)
		return r;
	/* The container process runs the runtime's image until execve. It is visible to
	 * other processes when its pid namespace already has some (joined, or none), and
	 * after `create` while it waits for `start` (a container created later may join
	 * its pid namespace). Then it must be a sealed copy, not the host binary (see
	 * sealed.c): `create` re-executes before it reads the config (the new process
	 * reads it anyway). `run` starts it at once and publishes its pid only after
	 * execve. */
	if (mode == CREATE_ONLY && (r = sealed_exe_ensure(err)) < 0)
		return r;
	r = spec_load(o->bundle ? o->bundle : ".", &j->spec, err);
	if (r < 0)
		return r;
	phase_mark("config read");
	r = ns_check_shared(j->spec, err);
	if (r < 0)
		return r;
	r = spec_validate(j->spec, err);
	if (r < 0)
		return r;
	const struct spec_ns *pidns = &j->spec->linux_.ns[NS_PID];
	if (mode != CREATE_ONLY && (!pidns->present || pidns->path)) {
		r = sealed_exe_ensure(err);
		if (r < 0)
			return r;
	}
	if (!j->spec->process.present || !j->spec->process.args)
		return lc_err_setx(err, EINVAL, "config.json: process: required to create a container");
	/* As runc: a console socket only goes with a terminal of a detached process; taken
	 * silently, the container would keep the caller's stdio instead. */
	if (o->console_socket && (!j->spec->process.terminal || mode == RUN_FOREGROUND))
		return lc_err_setx(err, EINVAL, "--console-socket %s: cannot use a console socket "
				   "unless the process is detached and has a terminal (config.json: "
				   "process.terminal is %s)", o->console_socket,
				   j->spec->process.terminal ? "true" : "false");
	if (j->spec->process.terminal && !o->console_socket && mode != RUN_FOREGROUND)
		return lc_err_setx(err, EINVAL, "config.json: process.terminal is true: --console-socket is required unless run in the foreground");
	r = lsm_check(j->spec, err);
	if (r < 0)
		return r;
	/* Before the claim: a refusal by policy or a bad profile leaves nothing behind. */
	r = prepare_seccomp(g, o, mode, j, err);
	if (r < 0)
		return r;
	phase_mark("config checked, seccomp prepared");
	r = state_claim(g->root, o->id, err);
	if (r < 0)
		return r;
	j->claimed = true;
	j->dir = state_dir(g->root, o->id);
	j->st.id = (char *)o->id;
	j->st.bundle = j->spec->bundle;
	j->st.rootfs = j->spec->root_path;
	j->st.owner = getuid();
	j->st.created = now_rfc3339();
	j->st.annotations = annotations_strv(j->spec);
	for (int k = 0; k < HOOK__COUNT; k++)
		if (j->spec->n_hooks[k])
			j->st.hooks |= 1u << k;
	j->st.hooks_known = true;
	if (!j->dir || !j->st.created || !j->st.annotations)
		return lc_err_set(err, ENOMEM, "create");
	j->ctx.while_setup = save_state_files;
	j->ctx.while_setup_arg = j;
	r = save_observe_files(j, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *fifo = NULL;
	if (asprintf(&fifo, "%s/exec.fifo", j->dir) < 0)
		return lc_err_set(err, ENOMEM, "create");
	/* Writable by the container's root even when a user namespace maps it to an
	 * unprivileged host uid (chmod: mkfifo's mode is filtered by the umask). */
	if (mkfifo(fifo, 0622) < 0 || chmod(fifo, 0622) < 0)
		return lc_err_set(err, errno, "mkfifo %s", fifo);
	phase_mark("state dir claimed, exec.fifo made");
	/* read once, for the mount plan's cgroup layout and the cgroup discovery */
	_cleanup_free_ char *mountinfo = mountinfo_read_self();
	if (!mountinfo)
		return lc_err_set(err, errno, "read /proc/self/mountinfo");
	r = mounts_plan_with_mountinfo(j->spec, mountinfo, &j->ctx.plan, err);
	if (r < 0)
		return r;
	r = rootfs_fds_open(&j->ctx.fds, err);
	if (r < 0)
		return r;
	if (j->ctx.plan->userns) {
		r = mounts_open_bind_sources(j->ctx.plan, err);
		if (r < 0)
			return r;
	}
	phase_mark("mount plan, /dev/null verified");
	/* The v1 cgroups are made while the container process sets up its namespaces,
	 * unless an intermediate process clones it (its cgroups are joined by pid, before
	 * GO). */
	j->ctx.cgroup_late = !ns_needs_intermediate(j->spec);
	const struct cgroup_create_opts cg = { .root = CGROUP_ROOT, .mountinfo = mountinfo,
					       .systemd = g->systemd_cgroup,
					       .split = j->ctx.cgroup_late };
	r = cgroup_create(&cg, j->spec, o->id, &j->ctx.cgroup, err);
	if (r < 0)
		return r;
	phase_mark("cgroups created");
	/* Always: without resources the default device rules still apply. */
	if (!j->ctx.cgroup_late && (r = cgroup_apply_config(j->ctx.cgroup, j->spec, err)) < 0)
		return r;
	if (stat("/proc/self/exe", &self) < 0)
		return lc_err_set(err, errno, "stat /proc/self/exe");
	j->ctx.spec = j->spec;
	j->ctx.id = o->id;
	j->ctx.root = g->root;
	j->ctx.state_dirfd = open(j->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (j->ctx.state_dirfd < 0)
		return lc_err_set(err, errno, "open %s", j->dir);
	j->ctx.st = &j->st;
	j->ctx.no_pivot = o->no_pivot;
	j->ctx.no_new_keyring = o->no_new_keyring;
	j->ctx.preserve_fds = o->preserve_fds;
	j->ctx.console_socket = o->console_socket;
	if (j->spec->process.terminal && o->console_socket) {
		j->ctx.console_fd = unix_connect(o->console_socket, "--console-socket", err);
		if (j->ctx.console_fd < 0)
			return j->ctx.console_fd;
	}
	j->ctx.self_dev = self.st_dev;
	j->ctx.self_ino = self.st_ino;
	return 0;
}

/* create, shared by lc_container_create and lc_container_run. On success the process
 * waits on exec.fifo and *ret holds its pid and the sync socket. */
/* Publishes the container: state.json and the pid file. */
int
publish(const struct lc_global *g, const struct lc_create_opts *o, struct create_job *j,
	struct lc_err *err)
{
	int r = state_write(g->root, &j->st, err);
	if (r >= 0 && o->pid_file)
		r = container_write_pid_file(o->pid_file, j->st.pid, err);
	return r;
}

int
create_container(const struct lc_global *g, const struct lc_create_opts *o, enum create_mode mode,
		 struct create_job *j, struct spawn_result *ret, struct lc_err *err)
{
	int r = create_prepare(g, o, mode, j, err);
	if (r < 0)
		return r;
	log_debug("create %s: bundle %s, cgroup %s, seccomp %s", o->id, j->spec->bundle,
		  j->ctx.cgroup ? cgroup_path(j->ctx.cgroup) : "-", j->st.seccomp_json);
	phase_mark("cgroups written, state dir opened");
	r = spawn_container(&j->ctx, ret, err);
	if (r < 0)
		return r;
	phase_mark("container ready");
	if (cgroup_serialize(j->ctx.cgroup, &j->st.cgroup) < 0)
		r = lc_err_set(err, ENOMEM, "cgroup state");
	log_debug("create %s: container process %d is waiting for start", o->id, ret->pid);
	j->st.pid = ret->pid;
	j->st.pid_start = state_pid_start(ret->pid, NULL);
	if (r >= 0 && mode == CREATE_ONLY) {
		r = publish(g, o, j, err);
		phase_mark("state.json written");
	}
	if (r < 0) {
		pidfd_kill(ret->pidfd, ret->pid, SIGKILL);
		waitpid(ret->pid, NULL, 0);
		close(ret->sync_fd);
		closep(&ret->pty_master);
		closep(&ret->pidfd);
	}
	return r;
}

int
lc_container_create(const struct lc_global *g, const struct lc_create_opts *o, struct lc_err *err)
{
	struct create_job j = { .ctx.listener_fd = -1, .ctx.console_fd = -1, .ctx.state_dirfd = -1, .ctx.recorder_fd = -1 };
	struct spawn_result sr;
	int r = create_container(g, o, CREATE_ONLY, &j, &sr, err);
	if (r >= 0) {
		close(sr.sync_fd);
		close(sr.pidfd);
	}
	create_job_cleanup(&j, g, r < 0);
	return r;
}

