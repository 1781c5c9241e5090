/* Semantic checks on a parsed struct lc_spec, and container id validation. Pure functions:
 * no syscalls, no filesystem access. Type errors and unknown names were already refused
 * by spec.c; what the kernel says about a valid-looking spec is left to the stage that
 * applies it. Every message names config.json, the field path and the value. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include "error.h"
#include "tables.h"

#define FILE_NAME "config.json"
#define ID_MAX 1024

static int verr(struct lc_err *err, const char *fmt, ...) _printf_(2, 3);

/* "config.json: <formatted>", -EINVAL */
static int
verr(struct lc_err *err, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return lc_err_setx(err, EINVAL, FILE_NAME ": %s", msg);
}

/* Quotes a value for a message: one line, at most ~100 visible characters. */
static const char *
q(const char *s, char buf[static 160])
{
	size_t o = 0, n = 0;

	buf[o++] = '"';
	for (; s && *s && o < 150; s++, n++) {
		unsigned char ch = (unsigned char)*s;
		if (n == 100) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(buf + o, 160 - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static int need_abs(const char *path, struct lc_err *err, const char *fmt, ...) _printf_(3, 4);

/* Refuses a path that is not absolute; fmt names the field. */
static int
need_abs(const char *path, struct lc_err *err, const char *fmt, ...)
{
	char field[256], b[160];
	va_list ap;

	if (path && path[0] == '/')
		return 0;
	va_start(ap, fmt);
	vsnprintf(field, sizeof(field), fmt, ap);
	va_end(ap);
	return verr(err, "%s: %s is not an absolute path", field, q(path, b));
}

static int
check_process(const struct spec_process *p, struct lc_err *err)
{
	char b[160];
	int r;

	if (!p->present)
		return 0;
	if (p->n_args == 0)
		return verr(err, "process.args: must not be empty");
	if (p->args[0][0] == '\0')
		return verr(err, "process.args[0]: must not be an empty string");
	r = need_abs(p->cwd, err, "process.cwd");
	if (r < 0)
		return r;
	if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
		return verr(err, "process.oomScoreAdj: %d is outside [-1000, 1000]",
			    p->oom_score_adj);
	if (p->user.has_umask && p->user.umask > 0777)
		return verr(err, "process.user.umask: %#o is not a permission mask", p->user.umask);
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *rl = &p->rlimits[i];
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rl->resource)
				return verr(err, "process.rlimits[%zu].type: duplicate rlimit %s",
					    i, q(table_rlimit_name(rl->resource), b));
		if (rl->soft > rl->hard)
			return verr(
				err,
				"process.rlimits[%zu]: soft limit %llu is above hard limit %llu", i,
				(unsigned long long)rl->soft, (unsigned long long)rl->hard);
	}
	return 0;
}

static int
check_mounts(const struct lc_spec *s, struct lc_err *err)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		int r = need_abs(s->mounts[i].destination, err, "mounts[%zu].destination", i);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *const hook_keys[HOOK__COUNT] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

static int
check_hooks(const struct lc_spec *s, struct lc_err *err)
{
	for (int k = 0; k < HOOK__COUNT; k++) {
		for (size_t i = 0; i < s->n_hooks[k]; i++) {
			const struct spec_hook *h = &s->hooks[k][i];
			int r = need_abs(h->path, err, "hooks.%s[%zu].path", hook_keys[k], i);
			if (r < 0)
				return r;
			if (h->has_timeout && h->timeout <= 0)
				return verr(err, "hooks.%s[%zu].timeout: must be positive, got %d",
					    hook_keys[k], i, h->timeout);
		}
	}
	return 0;
}

static int
check_paths(const char *const *v, size_t n, const char *field, struct lc_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int r = need_abs(v[i], err, "%s[%zu]", field, i);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Namespace settings that only make sense with (or in) a given namespace. */
static int
check_namespaces(const struct lc_spec *s, struct lc_err *err)
{
	const struct spec_linux *l = &s->linux_;
	char b[160];

	for (int t = 0; t < NS__COUNT; t++) {
		if (!l->ns[t].present || !l->ns[t].path)
			continue;
		if (l->ns[t].path[0] != '/')
			return verr(err,
				    "linux.namespaces: path %s of the %s namespace is not absolute",
				    q(l->ns[t].path, b), table_ns_name((enum ns_type)t));
	}
	if ((l->n_uid_mappings || l->n_gid_mappings) && !l->ns[NS_USER].present)
		return verr(err, "linux.%s: mappings need a user namespace in linux.namespaces",
			    l->n_uid_mappings ? "uidMappings" : "gidMappings");
	/* a new user namespace without maps would run everything as the overflow id */
	if (l->ns[NS_USER].present && !l->ns[NS_USER].path &&
	    (!l->n_uid_mappings || !l->n_gid_mappings))
		return verr(err, "linux.%s: a new user namespace needs uid and gid mappings",
			    l->n_uid_mappings ? "gidMappings" : "uidMappings");
	for (size_t i = 0; i < l->n_uid_mappings + l->n_gid_mappings; i++) {
		bool uid = i < l->n_uid_mappings;
		const struct spec_id_map *m =
			uid ? &l->uid_mappings[i] : &l->gid_mappings[i - l->n_uid_mappings];
		if (m->size == 0)
			return verr(err, "linux.%s[%zu].size: must not be 0",
				    uid ? "uidMappings" : "gidMappings",
				    uid ? i : i - l->n_uid_mappings);
	}
	/* offsets can only be written before the first process enters a new time namespace */
	if (l->n_time_offsets && (!l->ns[NS_TIME].present || l->ns[NS_TIME].path))
		return verr(err,
			    "linux.timeOffsets: need a new time namespace in linux.namespaces");
	for (size_t i = 0; i < l->n_time_offsets; i++)
		if (l->time_offsets[i].nanosecs >= 1000000000u)
			return verr(err, "linux.timeOffsets: nanosecs %u is not below 1000000000",
				    l->time_offsets[i].nanosecs);
	/* the container's hostname would otherwise be the host's */
	if (s->hostname && !l->ns[NS_UTS].present)
		return verr(err, "hostname: %s needs a uts namespace in linux.namespaces",
			    q(s->hostname, b));
	if (s->domainname && !l->ns[NS_UTS].present)
		return verr(err, "domainname: %s needs a uts namespace in linux.namespaces",
			    q(s->domainname, b));
	return 0;
}

/* Only per-namespace sysctls, and only for namespaces the container has: any other
 * write under /proc/sys would change the host. */
static int
check_sysctl(const struct spec_linux *l, struct lc_err *err)
{
	struct spec_linux one = { 0 };
	char b[160];

	for (size_t i = 0; i < l->n_sysctl; i++) {
		const char *key = l->sysctl[i].key;
		if (table_sysctl_allowed(key, l))
			continue;
		for (int t = 0; t < NS__COUNT; t++) {
			memset(&one, 0, sizeof(one));
			one.ns[t].present = true;
			if (table_sysctl_allowed(key, &one))
				return verr(err,
					    "linux.sysctl: %s needs %s %s namespace in "
					    "linux.namespaces",
					    q(key, b), t == NS_IPC ? "an" : "a",
					    table_ns_name((enum ns_type)t));
		}
		return verr(err, "linux.sysctl: %s is not namespaced", q(key, b));
	}
	return 0;
}

/* errnoRet only means something for actions that return an errno to the caller. */
static bool
action_takes_errno(enum seccomp_action a)
{
	return a == SCMP_ACT_ERRNO_ || a == SCMP_ACT_TRACE_;
}

static int
check_seccomp(const struct spec_seccomp *sc, struct lc_err *err)
{
	if (!sc->present)
		return 0;
	if (sc->has_default_errno_ret && !action_takes_errno(sc->default_action))
		return verr(err,
			    "linux.seccomp.defaultErrnoRet: not allowed with defaultAction %s "
			    "(only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno)",
			    table_seccomp_action_name(sc->default_action));
	if (sc->default_action == SCMP_ACT_NOTIFY_)
		return verr(err,
			    "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default "
			    "action");
	if (sc->listener_metadata && !sc->listener_path)
		return verr(err, "linux.seccomp.listenerMetadata: set without listenerPath");
	for (size_t i = 0; i < sc->n_rules; i++) {
		const struct spec_seccomp_rule *rule = &sc->rules[i];
		if (rule->n_names == 0)
			return verr(err, "linux.seccomp.syscalls[%zu].names: must not be empty", i);
		for (size_t n = 0; n < rule->n_names; n++)
			if (rule->names[n][0] == '\0')
				return verr(err,
					    "linux.seccomp.syscalls[%zu].names[%zu]: empty name", i,
					    n);
		if (rule->has_errno_ret && !action_takes_errno(rule->action))
			return verr(err,
				    "linux.seccomp.syscalls[%zu].errnoRet: not allowed with "
				    "action %s (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an "
				    "errno)",
				    i, table_seccomp_action_name(rule->action));
		if (rule->action == SCMP_ACT_NOTIFY_ && !sc->listener_path)
			return verr(err,
				    "linux.seccomp.syscalls[%zu].action: SCMP_ACT_NOTIFY needs "
				    "linux.seccomp.listenerPath",
				    i);
		/* the listener's own replies (and the runtime's hand-over) write */
		for (size_t n = 0; rule->action == SCMP_ACT_NOTIFY_ && n < rule->n_names; n++)
			if (strcmp(rule->names[n], "write") == 0)
				return verr(err,
					    "linux.seccomp.syscalls[%zu].names[%zu]: SCMP_ACT_NOTIFY "
					    "cannot be used for the write syscall", i, n);
		for (size_t a = 0; a < rule->n_args; a++)
			if (rule->args[a].index > 5)
				return verr(err,
					    "linux.seccomp.syscalls[%zu].args[%zu].index: %u is "
					    "above 5 (syscalls have 6 arguments)",
					    i, a, rule->args[a].index);
	}
	return 0;
}

static int
check_linux(const struct lc_spec *s, struct lc_err *err)
{
	const struct spec_linux *l = &s->linux_;
	int r;

	r = check_namespaces(s, err);
	if (r >= 0)
		r = check_sysctl(l, err);
	if (r >= 0)
		r = check_paths((const char *const *)l->masked_paths, l->n_masked_paths,
				"linux.maskedPaths", err);
	if (r >= 0)
		r = check_paths((const char *const *)l->readonly_paths, l->n_readonly_paths,
				"linux.readonlyPaths", err);
	for (size_t i = 0; r >= 0 && i < l->n_devices; i++)
		r = need_abs(l->devices[i].path, err, "linux.devices[%zu].path", i);
	if (r < 0)
		return r;
	if (l->has_personality && (l->personality & PER_MASK) != PER_LINUX &&
	    (l->personality & PER_MASK) != PER_LINUX32)
		return verr(err, "linux.personality.domain: unknown domain %#lx",
			    l->personality & PER_MASK);
	return check_seccomp(&l->seccomp, err);
}

int
spec_validate(const struct lc_spec *s, struct lc_err *err)
{
	int r;

	if (!s->oci_version)
		return verr(err, "ociVersion: missing required field");
	if (!s->root_path)
		return verr(err, "root.path: missing required field");
	r = check_process(&s->process, err);
	if (r >= 0)
		r = check_mounts(s, err);
	if (r >= 0)
		r = check_hooks(s, err);
	if (r >= 0)
		r = check_linux(s, err);
	return r;
}

int
lc_id_validate(const char *id, struct lc_err *err)
{
	char b[160];
	size_t len;

	if (!id || !*id)
		return lc_err_setx(err, EINVAL, "invalid container id \"\": must not be empty");
	len = strlen(id);
	if (len > ID_MAX)
		return lc_err_setx(err, EINVAL, "invalid container id %s: longer than %d bytes",
				   q(id, b), ID_MAX);
	/* the id names a directory under the state root: it must stay one component */
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return lc_err_setx(err, EINVAL, "invalid container id %s: reserved name", q(id, b));
	for (const char *p = id; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		/* ASCII only, whatever the locale */
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '+' || ch == '.' || ch == '-')
			continue;
		if (ch == '/')
			return lc_err_setx(err, EINVAL, "invalid container id %s: contains '/'",
					   q(id, b));
		if (ch < 0x20 || ch == 0x7f)
			return lc_err_setx(err, EINVAL,
					   "invalid container id %s: contains a control character",
					   q(id, b));
		if (ch >= 0x80)
			return lc_err_setx(err, EINVAL,
					   "invalid container id %s: contains a non-ASCII byte "
					   "(allowed: letters, digits, '_', '+', '.', '-')",
					   q(id, b));
		return lc_err_setx(err, EINVAL,
				   "invalid container id %s: contains '%c' (allowed: letters, "
				   "digits, '_', '+', '.', '-')",
				   q(id, b), ch);
	}
	return 0;
}
