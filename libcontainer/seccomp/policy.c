/* The per-container seccomp decision (policy.h): Kubernetes semantics for privileged
 * containers, the operator's seccomp-policy, and the check that the profile leaves
 * strait's own last syscalls alone. Compilation itself belongs to compile.c/cache.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "error.h"
#include "json.h"
#include "log.h"
#include "seccomp/observe.h"
#include "seccomp/policy.h"
#include "seccomp/seccomp.h"
#include "sys.h"

static const char *const source_names[] = {
	[SECCOMP_SRC_NONE] = "none",
	[SECCOMP_SRC_CONFIG] = "config",
	[SECCOMP_SRC_RUNTIME_DEFAULT] = "runtime-default",
};

static const char *const mode_names[] = {
	[SECCOMP_MODE_UNCONFINED] = "unconfined",
	[SECCOMP_MODE_ENFORCE] = "enforce",
	[SECCOMP_MODE_UNCONFINED_PRIVILEGED] = "unconfined-privileged",
	[SECCOMP_MODE_AUDIT] = "audit",
	[SECCOMP_MODE_LOG] = "log",
};

static const char *const policy_names[] = {
	[LC_POLICY_PERMISSIVE] = "permissive",
	[LC_POLICY_RUNTIME_DEFAULT] = "runtime-default",
	[LC_POLICY_RESTRICTED] = "restricted",
};

static const char *const privileged_names[] = {
	[LC_PRIV_UNCONFINED] = "unconfined",
	[LC_PRIV_REFUSE] = "refuse",
	[LC_PRIV_AUDIT] = "audit",
};

/* The syscalls strait makes after the filter is loaded, by case (docs/seccomp.md).
 * With no_new_privs the filter goes in right before execve; without it, loading needs
 * CAP_SYS_ADMIN, so it happens before the identity and capability changes. */
static const char *const after_load_nnp[] = { "execve", NULL };
static const char *const after_load_privs[] = { "prctl",  "setgroups", "setresgid", "setresuid",
						"capget", "capset",    "umask",     "execve", NULL };

/* Judged on the base profile: in observe mode the twin allows what the base allows,
 * so strait's own last syscalls never reach the evidence. */
static int
check_after_load(const struct seccomp_decision *d, const struct lc_spec *s, struct lc_err *err)
{
	/* Observe mode blocks nothing: what the base would refuse of these is recorded
	 * (strait's own identity calls apart, as runtimeRecords; the entrypoint execve as
	 * the workload's first call), so that a generated profile is enforceable. */
	if (d->base && !d->record)
		return 0;
	/* deny-and-record enforces the base: the recording twin answers as it does */
	const struct seccomp_prog *judge = d->base ? d->base : d->prog;
	const char *const *list = s->process.no_new_privileges ? after_load_nnp : after_load_privs;
	for (; *list; list++) {
		/* umask is only called when process.user.umask is set */
		if (!strcmp(*list, "umask") && !s->process.user.has_umask)
			continue;
		int r = seccomp_prog_check_syscall(judge, *list, NULL, err);
		if (r < 0)
			return lc_err_prefix(err, "config.json: linux.seccomp: strait must call %s after loading the filter (noNewPrivileges=%s)",
					     *list, s->process.no_new_privileges ? "true" : "false");
	}
	/* The NOTIFY listener fd is handed over with one sendmsg before execve (not in
	 * observe mode, where the runtime takes it with pidfd_getfd). */
	if (!d->base && d->prog->needs_notify) {
		int r = seccomp_prog_check_syscall(d->prog, "sendmsg", NULL, err);
		if (r < 0)
			return lc_err_prefix(err, "config.json: linux.seccomp: strait must call sendmsg to hand over the listener fd");
	}
	return 0;
}

static bool
fail_unknown_syscalls(const struct lc_spec *s)
{
	const char *v = spec_annotation(s, "run.oci.seccomp_fail_unknown_syscall");
	return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

enum lc_seccomp_mode
seccomp_wanted_mode(const struct lc_spec *s, const struct lc_config *cfg, const char *flag,
		    struct lc_err *err, int *ret_r)
{
	const char *ann = spec_annotation(s, "org.strait.seccomp.mode");
	const char *v = flag, *where = "--seccomp-mode";

	*ret_r = 0;
	if (!v && ann) {
		/* A workload must not switch itself to log: only when the operator allows. */
		if (cfg->allow_mode_annotation) {
			v = ann;
			where = "config.json: annotations[\"org.strait.seccomp.mode\"]";
		} else {
			log_warn("annotation org.strait.seccomp.mode=%s ignored: strait.conf does not set allow-mode-annotation = true",
				 ann);
		}
	}
	if (!v)
		return cfg->seccomp_mode;
	if (!strcmp(v, "log"))
		return LC_MODE_LOG;
	if (!strcmp(v, "enforce"))
		return LC_MODE_ENFORCE;
	*ret_r = lc_err_setx(err, EINVAL, "%s: unknown seccomp mode \"%s\" (enforce or log)", where, v);
	return LC_MODE_ENFORCE;
}

/* Observe mode: the base compiled to judge with, and its logging twin to load;
 * deny-and-record: the base and its recording twin. */
static int
prepare_twin(struct seccomp_decision *d, const char *cache_dir, bool fail_unknown,
	     struct lc_err *err)
{
	int r = seccomp_prepare(d->profile, cache_dir, fail_unknown, &d->base, err);
	if (r < 0)
		return r;
	r = d->record ? seccomp_record_twin(d->profile, &d->twin, err)
		      : seccomp_observe_twin(d->profile, &d->twin, err);
	if (r < 0)
		return r;
	return seccomp_prepare(d->twin, cache_dir, false, &d->prog, err);
}

static int
use_default_profile(struct seccomp_decision *d, struct lc_err *err)
{
	int r = seccomp_default_profile(&d->owned_profile);
	if (r < 0)
		return lc_err_set(err, r, "built-in seccomp profile");
	d->profile = d->owned_profile;
	d->source = SECCOMP_SRC_RUNTIME_DEFAULT;
	return 0;
}

int
seccomp_decide(const struct lc_spec *s, const struct lc_config *cfg, enum lc_seccomp_mode want,
	       const char *cache_dir, struct seccomp_decision *d, struct lc_err *err)
{
	bool fail_unknown = fail_unknown_syscalls(s);
	int r;

	memset(d, 0, sizeof(*d));
	d->label = spec_annotation(s, "org.strait.seccomp.label");
	d->privileged = caps_is_privileged(&s->process, d->privileged_rule, sizeof(d->privileged_rule));
	if (s->linux_.seccomp.present) {
		d->source = SECCOMP_SRC_CONFIG;
		d->profile = &s->linux_.seccomp;
	}
	if (cfg->seccomp_policy == LC_POLICY_RESTRICTED) {
		if (d->privileged)
			return lc_err_setx(err, EPERM, "seccomp-policy=restricted refuses privileged containers (the bounding set holds every capability of the runtime's own)");
		if (!d->profile)
			return lc_err_setx(err, EPERM, "seccomp-policy=restricted requires a seccomp profile: config.json has no linux.seccomp");
	}
	if (d->privileged) {
		/* Kubernetes: a privileged container always runs Unconfined. */
		switch (cfg->privileged_seccomp) {
		case LC_PRIV_REFUSE:
			return lc_err_setx(err, EPERM, "privileged-seccomp=refuse: the container is privileged (the bounding set holds every capability of the runtime's own)");
		case LC_PRIV_AUDIT:
			/* The logging twin of its profile, or of the runtime default. */
			if (!d->profile && (r = use_default_profile(d, err)) < 0)
				return r;
			d->mode = SECCOMP_MODE_AUDIT;
			r = prepare_twin(d, cache_dir, fail_unknown, err);
			return r < 0 ? lc_err_prefix(err, "seccomp audit") : check_after_load(d, s, err);
		case LC_PRIV_UNCONFINED:
			break;
		}
		d->mode = SECCOMP_MODE_UNCONFINED_PRIVILEGED;
		if (d->profile)
			log_warn("privileged container: its seccomp profile is not applied (privileged-seccomp=unconfined)");
		return 0;
	}
	if (!d->profile && (cfg->seccomp_policy == LC_POLICY_RUNTIME_DEFAULT || want == LC_MODE_LOG)) {
		r = use_default_profile(d, err);
		if (r < 0)
			return r;
	}
	if (!d->profile) {
		d->mode = SECCOMP_MODE_UNCONFINED;
		return 0;
	}
	const char *src = d->source == SECCOMP_SRC_CONFIG ? "config.json" : "built-in profile";
	if (want == LC_MODE_LOG) {
		d->mode = SECCOMP_MODE_LOG;
		r = prepare_twin(d, cache_dir, fail_unknown, err);
	} else if (want == LC_MODE_RECORD) {
		d->mode = SECCOMP_MODE_ENFORCE;
		d->record = true;
		r = prepare_twin(d, cache_dir, fail_unknown, err);
	} else {
		d->mode = SECCOMP_MODE_ENFORCE;
		r = seccomp_prepare(d->profile, cache_dir, fail_unknown, &d->prog, err);
	}
	if (r < 0)
		return lc_err_prefix(err, "%s", src);
	const struct seccomp_prog *base = d->base ? d->base : d->prog;
	_cleanup_free_ char *unknown = seccomp_unknown_list(base);
	/* normal for profiles newer than libseccomp (Docker's): debug, and recorded */
	if (unknown)
		log_debug("seccomp: syscalls unknown to libseccomp %s skipped: %s",
			 seccomp_libseccomp_version(), unknown);
	return check_after_load(d, s, err);
}

void
seccomp_decision_release(struct seccomp_decision *d)
{
	seccomp_prog_free(d->prog);
	d->prog = NULL;
	seccomp_prog_free(d->base);
	d->base = NULL;
	if (d->twin)
		seccomp_spec_free(d->twin);
	d->twin = NULL;
	if (d->owned_profile)
		seccomp_spec_free(d->owned_profile);
	d->owned_profile = NULL;
}

/* Where the profile came from, when `seccomp generate` wrote it: the evidence's report
 * (its sha256), when, from how many runs, the last of them ending when. */
static void
gen_provenance(struct json_gen *g, const struct spec_seccomp *p)
{
	static const char *const keys[] = { "reportSha256", "generated", "runs", "lastRun" };
	struct json_val *v = NULL;
	char jerr[64];

	if (!p || !p->provenance ||
	    json_parse(p->provenance, strlen(p->provenance), &v, jerr, sizeof(jerr)) < 0)
		return;
	json_gen_key(g, "provenance");
	json_gen_obj_open(g);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct json_val *x = json_get(v, keys[i]);
		if (!x)
			continue;
		json_gen_key(g, keys[i]);
		json_gen_value(g, x);
	}
	json_gen_obj_close(g);
	json_free(v);
}

char *
seccomp_decision_json(const struct seccomp_decision *d, const struct lc_config *cfg)
{
	struct json_gen *g = json_gen_new(false);
	struct utsname u;
	char *text = NULL;
	size_t len;

	if (!g)
		return NULL;
	uname(&u);
	json_gen_obj_open(g);
	json_gen_key(g, "source");
	json_gen_string(g, source_names[d->source]);
	json_gen_key(g, "mode");
	json_gen_string(g, mode_names[d->mode]);
	json_gen_key(g, "privileged");
	json_gen_bool(g, d->privileged);
	if (d->privileged) {
		json_gen_key(g, "privilegedRule");
		json_gen_string(g, d->privileged_rule);
	}
	/* The base profile's digest and rules: in observe mode the twin is derived. */
	const struct seccomp_prog *base = d->base ? d->base : d->prog;
	json_gen_key(g, "sha256");
	json_gen_string(g, base ? base->sha256 : NULL);
	json_gen_key(g, "rules");
	json_gen_uint(g, base ? base->n_rules : 0);
	json_gen_key(g, "denials");
	json_gen_string(g, d->record ? "record" : "off");
	if (d->base) {
		json_gen_key(g, "twinSha256");
		json_gen_string(g, d->prog->sha256);
		json_gen_key(g, "label");
		json_gen_string(g, d->label ? d->label : "");
	}
	gen_provenance(g, d->profile);
	json_gen_key(g, "unknownSkipped");
	json_gen_arr_open(g);
	for (char **n = base ? base->unknown : NULL; n && *n; n++)
		json_gen_string(g, *n);
	json_gen_arr_close(g);
	json_gen_key(g, "cacheHit");
	json_gen_bool(g, d->prog && d->prog->cache_hit);
	json_gen_key(g, "seccompPolicy");
	json_gen_string(g, policy_names[cfg->seccomp_policy]);
	json_gen_key(g, "privilegedSeccomp");
	json_gen_string(g, privileged_names[cfg->privileged_seccomp]);
	if (d->source == SECCOMP_SRC_RUNTIME_DEFAULT) {
		json_gen_key(g, "profileVersion");
		json_gen_string(g, SECCOMP_DEFAULT_PROFILE_VERSION);
	}
	json_gen_key(g, "libseccomp");
	json_gen_string(g, seccomp_libseccomp_version());
	json_gen_key(g, "kernel");
	json_gen_string(g, u.release);
	json_gen_obj_close(g);
	if (json_gen_finish(g, &text, &len) < 0)
		text = NULL;
	json_gen_free(g);
	return text;
}


