/* `strait exec`: a new process in an existing container. It reuses the create path's
 * process model: the saved config with every namespace turned into a join of the
 * container's, the container's cgroup and seccomp decision, and the same final steps
 * (limits, identity, capabilities, no_new_privs, seccomp, execve). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "container.h"
#include "error.h"
#include "json.h"
#include "process/process.h"
#include "process/sync.h"
#include "seccomp/policy.h"
#include "seccomp/seccomp.h"
#include "tables.h"
#include "terminal.h"
#include "container-observe.h"
#include "seccomp/observe.h"

static int
read_file(const char *path, char **ret, size_t *ret_len, struct lc_err *err)
{
	struct stat sb;
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0)
		return lc_err_set(err, errno, "--process %s", path);
	char *buf = malloc(sb.st_size + 1);
	if (!buf)
		return lc_err_set(err, ENOMEM, "--process %s", path);
	if (read(fd, buf, sb.st_size) != sb.st_size) {
		free(buf);
		return lc_err_set(err, errno ? errno : EIO, "--process %s", path);
	}
	buf[sb.st_size] = '\0';
	*ret = buf;
	*ret_len = sb.st_size;
	return 0;
}

static char **
strv_copy(char **v, size_t *ret_n)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	char **c = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; c && i < n; i++)
		c[i] = strdup(v[i]);
	if (ret_n)
		*ret_n = n;
	return c;
}

/* Sets KEY=VALUE in a NULL-terminated environment, replacing an existing KEY. */
static int
env_set(char ***env, size_t *n, const char *kv)
{
	size_t klen = strcspn(kv, "=");
	for (size_t i = 0; i < *n; i++) {
		if (!strncmp((*env)[i], kv, klen) && (*env)[i][klen] == '=') {
			free((*env)[i]);
			(*env)[i] = strdup(kv);
			return (*env)[i] ? 0 : -ENOMEM;
		}
	}
	char **ne = realloc(*env, (*n + 2) * sizeof(char *));
	if (!ne)
		return -ENOMEM;
	*env = ne;
	ne[*n] = strdup(kv);
	ne[++*n] = NULL;
	return 0;
}

static int
parse_id(const char *s, const char *what, uint32_t *ret, struct lc_err *err)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > UINT32_MAX - 1)
		return lc_err_setx(err, EINVAL, "exec: %s \"%s\": expected a number", what, s);
	*ret = (uint32_t)v;
	return 0;
}

/* Builds the exec process from the container's own process and the options, as runc
 * does when no --process file is given. */
static int
process_from_opts(const struct spec_process *base, const struct lc_exec_opts *o,
		  struct spec_process *p, struct lc_err *err)
{
	*p = *base;
	p->args = strv_copy(o->args, &p->n_args);
	p->env = strv_copy(base->env, &p->n_env);
	p->cwd = strdup(o->cwd ? o->cwd : base->cwd ? base->cwd : "/");
	p->rlimits = p->n_rlimits ? malloc(p->n_rlimits * sizeof(*p->rlimits)) : NULL;
	if (p->rlimits)
		memcpy(p->rlimits, base->rlimits, p->n_rlimits * sizeof(*p->rlimits));
	/* The container's additionalGids are kept, as runc does; --additional-gids adds. */
	p->user.additional_gids = NULL;
	p->user.n_additional_gids = 0;
	p->user.username = NULL;
	if (base->user.n_additional_gids) {
		p->user.additional_gids = malloc(base->user.n_additional_gids * sizeof(gid_t));
		if (!p->user.additional_gids)
			return lc_err_set(err, ENOMEM, "exec");
		memcpy(p->user.additional_gids, base->user.additional_gids,
		       base->user.n_additional_gids * sizeof(gid_t));
		p->user.n_additional_gids = base->user.n_additional_gids;
	}
	const char *aa = o->apparmor ? o->apparmor : base->apparmor_profile;
	const char *label = o->process_label ? o->process_label : base->selinux_label;
	p->apparmor_profile = aa ? strdup(aa) : NULL;
	p->selinux_label = label ? strdup(label) : NULL;
	if (!p->args || !p->env || !p->cwd)
		return lc_err_set(err, ENOMEM, "exec");
	for (char **e = o->env; e && *e; e++) {
		if (!strchr(*e, '=') || **e == '=')
			return lc_err_setx(err, EINVAL, "exec: --env \"%s\": expected KEY=VALUE", *e);
		if (env_set(&p->env, &p->n_env, *e) < 0)
			return lc_err_set(err, ENOMEM, "exec");
	}
	if (o->user) {
		uint32_t uid, gid = 0;
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", o->user);
		char *colon = strchr(buf, ':');
		if (colon)
			*colon = '\0';
		if (parse_id(buf, "--user", &uid, err) < 0 ||
		    (colon && parse_id(colon + 1, "--user", &gid, err) < 0))
			return -EINVAL;
		p->user.uid = uid;
		p->user.gid = gid;
	}
	for (char **g = o->additional_gids; g && *g; g++) {
		uint32_t gid;
		if (parse_id(*g, "--additional-gids", &gid, err) < 0)
			return -EINVAL;
		gid_t *ng = realloc(p->user.additional_gids, (p->user.n_additional_gids + 1) * sizeof(gid_t));
		if (!ng)
			return lc_err_set(err, ENOMEM, "exec");
		p->user.additional_gids = ng;
		ng[p->user.n_additional_gids++] = gid;
	}
	for (char **c = o->caps; c && *c; c++) {
		int cap = table_cap_from_name(*c);
		if (cap < 0)
			return lc_err_setx(err, EINVAL, "exec: --cap: unknown capability \"%s\"", *c);
		/* Never inheritable (CVE-2022-29162): bounding, effective and permitted, and
		 * ambient only where the process has inheritable capabilities, as runc. */
		p->has_caps = true;
		p->caps[CAPSET_BOUNDING] |= 1ULL << cap;
		p->caps[CAPSET_EFFECTIVE] |= 1ULL << cap;
		p->caps[CAPSET_PERMITTED] |= 1ULL << cap;
		if (base->caps[CAPSET_INHERITABLE])
			p->caps[CAPSET_AMBIENT] |= 1ULL << cap;
	}
	if (o->no_new_privs)
		p->no_new_privileges = true;
	p->terminal = o->tty;
	return 0;
}

static int
exec_process(const struct lc_spec *s, const struct lc_exec_opts *o, struct spec_process *p,
	     struct lc_err *err)
{
	if (o->process_file) {
		_cleanup_free_ char *buf = NULL;
		size_t len = 0;
		int r = read_file(o->process_file, &buf, &len, err);
		if (r < 0)
			return r;
		r = spec_parse_process(buf, len, o->process_file, p, err);
		if (r >= 0 && (!p->cwd || p->cwd[0] != '/'))
			return lc_err_setx(err, EINVAL, "%s: cwd: \"%s\" is not an absolute path",
					   o->process_file, p->cwd ? p->cwd : "");
		return r;
	}
	if (!o->args || !o->args[0])
		return lc_err_setx(err, EINVAL, "exec: no command given (and no --process)");
	int r = process_from_opts(&s->process, o, p, err);
	/* As in config.json: a relative cwd is refused, never resolved from somewhere. */
	if (r >= 0 && p->cwd[0] != '/')
		return lc_err_setx(err, EINVAL, "exec: --cwd \"%s\": not an absolute path", p->cwd);
	return r;
}

/* Turns every namespace of the container into a join of the init process's. */
static int
join_namespaces_of(struct lc_spec *s, pid_t pid, struct lc_err *err)
{
	for (int t = 0; t < NS__COUNT; t++) {
		if (!s->linux_.ns[t].present)
			continue;
		free(s->linux_.ns[t].path);
		if (asprintf(&s->linux_.ns[t].path, "/proc/%d/ns/%s", pid, table_ns_proc_name(t)) < 0)
			return lc_err_set(err, ENOMEM, "exec");
	}
	/* Time offsets were applied when the namespace was made. */
	s->linux_.n_time_offsets = 0;
	return 0;
}

struct exec_job {
	struct lc_state *st;
	struct lc_spec *spec;
	struct seccomp_decision seccomp;
	struct cgroup_mgr *cgroup;
	struct container_ctx ctx;
	size_t saved_hooks[HOOK__COUNT];
};

static void
exec_job_cleanup(struct exec_job *j)
{
	if (j->spec) {
		memcpy(j->spec->n_hooks, j->saved_hooks, sizeof(j->saved_hooks));
		spec_free(j->spec);
	}
	seccomp_decision_release(&j->seccomp);
	cgroup_free(j->cgroup);
	closep(&j->ctx.listener_fd);
	closep(&j->ctx.console_fd);
	closep(&j->ctx.recorder_fd);
	state_free(j->st);
}

/* The agent a container in observe or record mode was created with (its metadata's
 * "recorderSocket"), else strait.conf's; NULL when neither names one. */
static char *
container_recorder(const struct lc_global *g, const struct lc_state *st)
{
	_cleanup_free_ char *dir = state_dir(g->root, st->id), *meta = NULL;
	struct json_val *v = NULL;
	char *agent = NULL;
	char jerr[64];

	if (dir && (meta = container_read_file(dir, SECCOMP_META_FILE)) &&
	    json_parse(meta, strlen(meta), &v, jerr, sizeof(jerr)) == 0) {
		const char *s = json_string(json_get(v, "recorderSocket"));
		if (s && *s)
			agent = strdup(s);
		json_free(v);
	}
	if (!agent && g->config.seccomp_recorder[0])
		agent = strdup(g->config.seccomp_recorder);
	return agent;
}

static int
exec_prepare(const struct lc_global *g, const struct lc_exec_opts *o, struct exec_job *j,
	     struct lc_err *err)
{
	struct spec_process p = { 0 };
	struct stat self;
	int r = lc_id_validate(o->id, err);
	if (r < 0)
		return r;
	/* exec enters a pid namespace with container processes in it. */
	r = sealed_exe_ensure(err);
	if (r < 0)
		return r;
	r = state_read(g->root, o->id, &j->st, err);
	if (r < 0)
		return r;
	enum ct_status status = container_status(g->root, j->st);
	/* A created container can take processes, as with runc: its namespaces, root and
	 * cgroup are complete while its init waits for start. */
	if (status == ST_STOPPED || (status == ST_PAUSED && !o->ignore_paused))
		return lc_err_setx(err, EINVAL, "cannot exec in container \"%s\": it is %s", o->id,
				   state_status_name(status));
	j->spec = container_saved_spec(g->root, j->st);
	if (!j->spec)
		return lc_err_setx(err, EIO, "container \"%s\": saved config is unreadable", o->id);
	/* The seccomp decision is the container's (its init's privilege), as for create. */
	_cleanup_free_ char *cache = NULL;
	if (asprintf(&cache, "%s/@seccomp-cache", g->root) < 0)
		return lc_err_set(err, ENOMEM, "exec");
	/* Observe mode and the recording of denials follow the container's own record. */
	const char *rec = j->st->seccomp_json;
	enum lc_seccomp_mode want = LC_MODE_ENFORCE;
	if (rec && strstr(rec, "\"mode\":\"log\""))
		want = LC_MODE_LOG;
	else if (rec && strstr(rec, "\"denials\":\"record\""))
		want = LC_MODE_RECORD;
	r = seccomp_decide(j->spec, &g->config, want, cache, &j->seccomp, err);
	if (r < 0)
		return r;
	r = exec_process(j->spec, o, &p, err);
	if (r < 0) {
		spec_process_free(&p);
		return r;
	}
	spec_process_free(&j->spec->process);
	j->spec->process = p;
	r = join_namespaces_of(j->spec, j->st->pid, err);
	if (r < 0)
		return r;
	memcpy(j->saved_hooks, j->spec->n_hooks, sizeof(j->saved_hooks));
	memset(j->spec->n_hooks, 0, sizeof(j->spec->n_hooks));
	if (j->st->cgroup) {
		r = cgroup_load(CGROUP_ROOT, j->st->cgroup, &j->cgroup, err);
		if (r < 0)
			return r;
	}
	if (o->cgroups && !j->cgroup)
		return lc_err_setx(err, EINVAL, "exec: --cgroup %s: container \"%s\" has no cgroup",
				   o->cgroups[0], o->id);
	if (stat("/proc/self/exe", &self) < 0)
		return lc_err_set(err, errno, "stat /proc/self/exe");
	j->ctx = (struct container_ctx){
		.spec = j->spec,
		.id = o->id,
		.root = g->root,
		.cgroup = j->cgroup,
		.seccomp = j->seccomp.prog,
		.seccomp_profile = j->seccomp.profile,
		.listener_fd = -1,
		.console_fd = -1,
		.state_dirfd = -1,
		.recorder_fd = -1,
		.preserve_fds = o->preserve_fds,
		.console_socket = o->console_socket,
		.self_dev = self.st_dev,
		.self_ino = self.st_ino,
		.st = j->st,
		.is_exec = true,
		.target_pid = j->st->pid,
		.exec_cgroups = o->cgroups,
	};
	if (o->console_socket && (!j->spec->process.terminal || !o->detach))
		return lc_err_setx(err, EINVAL, "exec: --console-socket %s: cannot use a console "
				   "socket unless the process is detached (--detach) and has a "
				   "terminal (--tty)", o->console_socket);
	if (j->spec->process.terminal) {
		if (o->console_socket)
			j->ctx.console_fd = unix_connect(o->console_socket, "--console-socket", err);
		else if (o->detach)
			j->ctx.console_fd = lc_err_setx(err, EINVAL, "exec: --tty with --detach needs --console-socket");
		if (j->ctx.console_fd < 0 && (o->console_socket || o->detach))
			return j->ctx.console_fd;
	}
	if (j->seccomp.base) {
		/* The exec'd process is recorded by the agent, like the container's: the one
		 * it was created with, else strait.conf's. */
		_cleanup_free_ char *agent = container_recorder(g, j->st);
		if (!agent)
			return lc_err_setx(err, EINVAL, "exec into a container in %s needs a recorder: seccomp-recorder in strait.conf",
					   j->seccomp.record ? "seccomp-denials=record" : "seccomp log/audit mode");
		j->ctx.observe = true;
		j->ctx.record = j->seccomp.record;
		j->ctx.seccomp_base = j->seccomp.base;
		j->ctx.recorder_fd = unix_connect(agent, "seccomp recorder", err);
		if (j->ctx.recorder_fd < 0)
			return j->ctx.recorder_fd;
	} else if (j->seccomp.prog && j->seccomp.prog->needs_notify) {
		j->ctx.listener_fd = unix_connect(j->seccomp.profile->listener_path, LISTENER_CONNECT, err);
		if (j->ctx.listener_fd < 0)
			return j->ctx.listener_fd;
	}
	return 0;
}

/* The container's recorder metadata for an exec'd process: its denials go to a file
 * of their own next to the init's (seccomp-denials.exec-<pid>.json), not over it. */
static char *
exec_meta(const char *meta, pid_t pid)
{
	static const char name[] = SECCOMP_DENIALS_FILE "\"";
	const char *at = strstr(meta, name);
	char *out = NULL;

	if (!at)
		return strdup(meta);
	if (asprintf(&out, "%.*sseccomp-denials.exec-%d.json%s", (int)(at - meta), meta, (int)pid,
		     at + sizeof(name) - 2) < 0)
		return NULL;
	return out;
}

static int
hand_exec_listener(const struct lc_global *g, struct exec_job *j, pid_t pid, int no,
		   struct lc_err *err)
{
	_cleanup_free_ char *dir = state_dir(g->root, j->st->id), *meta = NULL;
	_cleanup_close_ int listener = observe_take_fd(pid, no, err);
	if (listener < 0)
		return listener;
	if (!dir || !(meta = container_read_file(dir, SECCOMP_META_FILE)))
		return lc_err_set(err, errno ? errno : ENOMEM, "seccomp observe: read %s",
				  SECCOMP_META_FILE);
	_cleanup_free_ char *own = exec_meta(meta, pid);
	if (!own)
		return lc_err_set(err, ENOMEM, "seccomp observe");
	return observe_send(j->ctx.recorder_fd, j->st, own, listener, err);
}

int
lc_container_exec(const struct lc_global *g, const struct lc_exec_opts *o, int *ret_status,
		  struct lc_err *err)
{
	struct exec_job j = { .ctx.listener_fd = -1, .ctx.console_fd = -1, .ctx.state_dirfd = -1, .ctx.recorder_fd = -1 };
	struct spawn_result sr;
	int r = exec_prepare(g, o, &j, err);
	if (r >= 0)
		r = spawn_container(&j.ctx, &sr, err);
	if (r < 0) {
		exec_job_cleanup(&j);
		return r;
	}
	_cleanup_close_ int syncfd = sr.sync_fd;
	struct sync_msg m;
	/* EOF: execve happened; ERROR: a step before it failed; LISTENER: observe mode,
	 * the twin's listener goes to the agent before execve can go on. */
	while (r >= 0 && sync_recv(syncfd, &m) > 0) {
		if (m.type == SYNC_ERROR)
			r = lc_err_setx(err, m.code, "%s", m.text);
		else if (m.type == SYNC_LISTENER)
			r = hand_exec_listener(g, &j, sr.pid, m.code, err);
	}
	if (r >= 0 && o->pid_file)
		r = container_write_pid_file(o->pid_file, sr.pid, err);
	if (r < 0) {
		/* A process the caller cannot track must not run: stop it. */
		pidfd_kill(sr.pidfd, sr.pid, SIGKILL);
		while (waitpid(sr.pid, NULL, 0) < 0 && errno == EINTR)
			;
	} else if (o->detach) {
		*ret_status = 0;
	} else {
		int status = sr.pty_master >= 0 ? terminal_relay(sr.pid, sr.pty_master)
						: container_wait_foreground(sr.pid);
		if (r >= 0)
			*ret_status = status;
	}
	closep(&sr.pty_master);
	closep(&sr.pidfd);
	exec_job_cleanup(&j);
	return r;
}
