/* `strait seccomp check --against BUNDLE|ID PROFILE [EVIDENCE...]`: has anything the
 * profile's evidence was gathered on changed? The facts then come from the evidence
 * files, else from the profile's straitProvenance (tools-facts.c); the facts now from
 * this host (kernel, libseccomp, strait) and the target: a bundle's rootfs and
 * config.json, or a container (its root and, once it runs, its /proc/PID/exe). Every
 * file of the target is opened under its root (RESOLVE_IN_ROOT), never outside it. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "container.h"
#include "error.h"
#include "seccomp/observe.h"
#include "seccomp/seccomp.h"
#include "seccomp/tools.h"
#include "spec.h"
#include "state.h"

struct target {
	char *what;            /* "bundle /srv/b" | "container web-1 (running, pid 42)" */
	struct lc_spec *spec;  /* its config */
	int rootfd;            /* its root (O_PATH) */
	int exefd;             /* running: what its process runs (/proc/PID/exe), else -1 */
};

struct stale {
	FILE *out;
	unsigned compared, stale;
};

static void _printf_(3, 4)
verdict(struct stale *s, bool same, const char *fmt, ...)
{
	va_list ap;

	s->compared++;
	if (same)
		return;
	s->stale++;
	fputs("stale: ", s->out);
	va_start(ap, fmt);
	vfprintf(s->out, fmt, ap);
	va_end(ap);
	fputc('\n', s->out);
}

static bool
set_has(const struct tools_strset *set, const char *v)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i], v))
			return true;
	return false;
}

static void
compare_version(struct stale *s, const char *what, const struct tools_strset *then, const char *now)
{
	if (!then->n) {
		fprintf(s->out, "note: %s: not recorded\n", what);
		return;
	}
	_cleanup_free_ char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);
	for (size_t i = 0; f && i < then->n; i++)
		fprintf(f, "%s%s", i ? ", " : "", then->v[i]);
	if (f)
		fclose(f);
	verdict(s, set_has(then, now), "%s: %s now, recorded on %s", what, now, list ? list : "?");
}

/* In the target's root: path, relative to the process's cwd when it has no leading '/'. */
static int
open_entry(const struct target *t, const char *path)
{
	_cleanup_free_ char *full = NULL;
	const char *cwd = t->spec->process.cwd ? t->spec->process.cwd : "/";

	if (path[0] != '/' && asprintf(&full, "%s/%s", cwd, path) < 0)
		return -ENOMEM;
	return exe_open_under(t->rootfd, full ? full : path);
}

/* sha256 of path under the target's root; false when it is missing or not a file. */
static bool
hash_under(const struct target *t, const char *path, char hex[65])
{
	struct stat st;
	_cleanup_close_ int fd = open_entry(t, path);
	return fd >= 0 && exe_hash_fd(fd, &st, hex) == 0;
}

/* process.args[0] as the execve of process/exec.c names it (and the recorder records
 * it): with a slash, as it is; without, the first executable file along the first PATH
 * of process.env (an empty entry is "."), or the default PATH. */
static char *
resolve_entrypoint(const struct target *t)
{
	const struct spec_process *p = &t->spec->process;
	const char *arg = p->args ? p->args[0] : NULL;
	const char *path = NULL;

	if (!arg || !*arg)
		return NULL;
	if (strchr(arg, '/'))
		return strdup(arg);
	for (char **e = p->env; e && *e && !path; e++)
		if (!strncmp(*e, "PATH=", 5))
			path = *e + 5;
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (const char *d = path; d;) {
		const char *colon = strchr(d, ':');
		size_t len = colon ? (size_t)(colon - d) : strlen(d);
		char *full = NULL;
		struct stat st;
		if (asprintf(&full, "%.*s/%s", (int)len, len ? d : ".", arg) < 0)
			return NULL;
		_cleanup_close_ int fd = open_entry(t, full);
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			return full;
		free(full);
		d = colon ? colon + 1 : NULL;
	}
	return NULL;
}

static const char *
short_sha(const char *sha)
{
	return sha ? sha : "(not hashed)";
}

static void
compare_entrypoint(struct stale *s, const struct target *t, const struct tools_facts *then)
{
	_cleanup_free_ char *path = resolve_entrypoint(t);
	char hex[65] = "", running[65] = "";
	struct stat st;
	bool have;

	if (!then->entrypoints.n) {
		fprintf(s->out, "note: entrypoint: not recorded\n");
		return;
	}
	/* the file the entrypoint names, as the recorder hashed it (a script, not its
	 * interpreter); a running container's process also counts with the image it runs
	 * (the file may have been replaced or removed since it started) */
	if (t->exefd >= 0 && exe_hash_fd(t->exefd, &st, running) < 0)
		running[0] = '\0';
	have = path && hash_under(t, path, hex);
	if (!have && path && running[0])
		memcpy(hex, running, sizeof(hex));
	have = have || (path && running[0]);
	if (!path || !have) {
		verdict(s, false, "entrypoint %s: not found in the target (recorded: %s)",
			path ? path : t->spec->process.args ? t->spec->process.args[0] : "(none)",
			then->entrypoints.v[0].path);
		return;
	}
	const struct evidence_exe *same_path = NULL;
	for (size_t i = 0; i < then->entrypoints.n; i++) {
		const struct evidence_exe *x = &then->entrypoints.v[i];
		if (strcmp(x->path, path))
			continue;
		same_path = x;
		if (x->sha256 && (!strcmp(x->sha256, hex) || !strcmp(x->sha256, running))) {
			verdict(s, true, "%s", "");
			return;
		}
	}
	if (same_path)
		verdict(s, false, "entrypoint %s: sha256 %s now, recorded %s", path, hex,
			short_sha(same_path->sha256));
	else
		verdict(s, false, "entrypoint %s (sha256 %s): not the recorded one (%s sha256 %s)",
			path, hex, then->entrypoints.v[0].path,
			short_sha(then->entrypoints.v[0].sha256));
}

static void
compare_executables(struct stale *s, const struct target *t, const struct tools_facts *then)
{
	for (size_t i = 0; i < then->exes.n; i++) {
		const struct evidence_exe *x = &then->exes.v[i];
		char hex[65];
		/* /proc/self/exe and friends name no file of the image; the entrypoint has
		 * its own line */
		bool entry = false;
		for (size_t k = 0; k < then->entrypoints.n && !entry; k++)
			entry = !strcmp(then->entrypoints.v[k].path, x->path);
		if (entry || !x->sha256 || !strncmp(x->path, "/proc/", 6) || x->path[0] != '/')
			continue;
		if (!hash_under(t, x->path, hex))
			verdict(s, false, "executable %s: missing now (recorded sha256 %s)", x->path,
				x->sha256);
		else
			verdict(s, !strcmp(hex, x->sha256), "executable %s: sha256 %s now, recorded %s",
				x->path, hex, x->sha256);
	}
}

static void
compare_image(struct stale *s, const struct target *t, const struct tools_facts *then)
{
	const struct lc_spec *sp = t->spec;
	bool any = false;

	if (!then->image.n) {
		fprintf(s->out, "note: image: not recorded\n");
		return;
	}
	for (size_t i = 0; i < sp->n_annotations; i++) {
		const char *k = sp->annotations[i].key, *v = sp->annotations[i].value;
		if (!exe_is_image_key(k))
			continue;
		any = true;
		_cleanup_free_ char *kv = NULL;
		if (asprintf(&kv, "%s=%s", k, v) < 0)
			continue;
		verdict(s, set_has(&then->image, kv), "image %s: \"%s\" now, not among the recorded (%zu image fact%s)",
			k, v, then->image.n, then->image.n == 1 ? "" : "s");
	}
	for (size_t i = 0; !any && i < then->image.n; i++)
		verdict(s, false, "image: the target names none, recorded %s", then->image.v[i]);
}

static void
target_free(struct target *t)
{
	free(t->what);
	if (t->spec)
		spec_free(t->spec);
	if (t->rootfd >= 0)
		close(t->rootfd);
	if (t->exefd >= 0)
		close(t->exefd);
}

static int
target_open(const struct lc_global *g, const char *arg, struct target *t, struct lc_err *err)
{
	struct stat st;
	int r;

	*t = (struct target){ .rootfd = -1, .exefd = -1 };
	/* A bare name can be both a directory here and a container ID: refused rather
	 * than guessed ("./NAME" is the bundle). A name with a '/' is always a path. */
	bool is_dir = stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
	bool bare = !strchr(arg, '/') && strcmp(arg, ".") && strcmp(arg, "..");
	if (is_dir && bare && lc_id_validate(arg, NULL) >= 0) {
		_cleanup_free_ char *sdir = state_dir(g->root, arg);
		if (!sdir)
			return lc_err_set(err, ENOMEM, "check --against");
		if (stat(sdir, &st) == 0)
			return lc_err_setx(err, EINVAL, "--against %s: both a bundle directory here and a container; write ./%s for the bundle",
					   arg, arg);
	}
	if (is_dir) {
		r = spec_load(arg, &t->spec, err);
		if (r < 0)
			return r;
		if (asprintf(&t->what, "bundle %s", arg) < 0)
			return lc_err_set(err, ENOMEM, "check --against");
	} else {
		_cleanup_state_ struct lc_state *sts = NULL;
		r = container_load(g, arg, &sts, err);
		if (r < 0)
			return lc_err_prefix(err, "--against %s: neither a bundle directory nor a container", arg);
		t->spec = container_saved_spec(g->root, sts);
		if (!t->spec)
			return lc_err_setx(err, EIO, "container \"%s\": saved config is unreadable", arg);
		enum ct_status status = container_status(g->root, sts);
		/* before start the process image is still strait's: use the rootfs. A running
		 * one is read through its /proc/PID, taken before its start time is checked
		 * again: a dead process's directory resolves nothing, so a recycled pid
		 * cannot lend its root */
		if (status == ST_RUNNING || status == ST_PAUSED) {
			char dir[32];
			bool zombie = false;
			snprintf(dir, sizeof(dir), "/proc/%d", (int)sts->pid);
			_cleanup_close_ int pdir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (pdir < 0 || state_pid_start(sts->pid, &zombie) != sts->pid_start || zombie)
				return lc_err_setx(err, ESRCH, "--against %s: the container's process is gone",
						   arg);
			t->rootfd = openat(pdir, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (t->rootfd < 0)
				return lc_err_set(err, errno, "--against %s: %s/root", arg, dir);
			t->exefd = openat(pdir, "exe", O_PATH | O_CLOEXEC);
		}
		if (asprintf(&t->what, "container %s (%s%s)", arg, state_status_name(status),
			     t->rootfd >= 0 ? ", its files through /proc/PID/root" : "") < 0)
			return lc_err_set(err, ENOMEM, "check --against");
		if (t->rootfd >= 0)
			return 0;
	}
	const char *rootpath = t->spec->root_path;
	if (!rootpath)
		return lc_err_setx(err, EINVAL, "--against %s: the config has no root.path", arg);
	t->rootfd = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->rootfd < 0)
		return lc_err_set(err, errno, "--against %s: root %s", arg, rootpath);
	return 0;
}

int
lc_seccomp_check_against(const struct lc_global *g, const char *against, const char *profile,
			 char *const *evidence, size_t n_evidence, char **ret_text,
			 struct lc_err *err)
{
	_cleanup_free_ char *text = NULL;
	struct evidence_doc **docs = NULL;
	struct spec_seccomp *s = NULL;
	struct tools_facts then = { 0 };
	struct target t = { .rootfd = -1 };
	struct utsname u;
	size_t len = 0;
	FILE *f = NULL;
	int r;

	r = tools_profile_load(profile, &s, err);
	if (r >= 0 && n_evidence)
		r = tools_evidence_load(evidence, n_evidence, &docs, err);
	if (r >= 0 && n_evidence && tools_facts_from_docs(docs, n_evidence, &then) < 0)
		r = lc_err_set(err, ENOMEM, "check --against");
	if (r >= 0 && !n_evidence) {
		if (!s->provenance)
			r = lc_err_setx(err, EINVAL, "%s: no straitProvenance (not written by `strait seccomp generate`) and no evidence given: nothing to compare with",
					profile);
		else if ((r = tools_facts_from_provenance(s->provenance, &then)) < 0)
			r = r == -ENOMEM ? lc_err_set(err, ENOMEM, "check --against")
					 : lc_err_setx(err, EINVAL, "%s: straitProvenance: not valid JSON",
						       profile);
	}
	if (r >= 0)
		r = target_open(g, against, &t, err);
	if (r >= 0 && !(f = open_memstream(&text, &len)))
		r = lc_err_set(err, errno, "check --against");
	if (r >= 0) {
		struct stale st = { .out = f };
		uname(&u);
		fprintf(f, "against: %s\n", t.what);
		fprintf(f, "recorded: %zu run%s, the last ending %s (facts from %s)\n", then.runs,
			then.runs == 1 ? "" : "s", then.last ? then.last : "?",
			n_evidence ? "the evidence" : "the profile's straitProvenance");
		compare_version(&st, "kernel", &then.kernels, u.release);
		compare_version(&st, "libseccomp", &then.libseccomps, seccomp_libseccomp_version());
		compare_version(&st, "strait", &then.straits, PACKAGE_VERSION);
		compare_entrypoint(&st, &t, &then);
		compare_executables(&st, &t, &then);
		compare_image(&st, &t, &then);
		fprintf(f, "summary: %u of %u facts stale\n", st.stale, st.compared);
		if (fclose(f) != 0)
			r = lc_err_set(err, ENOMEM, "check --against");
		else
			r = st.stale ? 1 : 0;
	}
	target_free(&t);
	tools_facts_free(&then);
	if (docs)
		tools_evidence_free(docs, n_evidence);
	seccomp_spec_free(s);
	if (r >= 0)
		*ret_text = TAKE_PTR(text);
	return r;
}
