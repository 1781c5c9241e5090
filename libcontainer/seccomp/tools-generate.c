/* `strait seccomp generate [--base PROFILE] EVIDENCE...`: a profile from evidence. The
 * output is the base (or, without one, an empty allow-list denying with EPERM) plus one
 * ALLOW rule for every recorded syscall the base would not let through. The coverage
 * report that goes with it is tools-report.c's; reading files is the CLI wrapper's. */
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "error.h"
#include "macro.h"
#include "seccomp/seccomp.h"
#include "seccomp/sha256.h"
#include "seccomp/tools.h"

struct gen {
	struct tools_gen_result g;
	struct tools_view bv; /* of the base */
	char **names;         /* recorded names, sorted, unique */
	size_t n_names;
	char **drop; /* names to take out of the base's rules, sorted */
	size_t n_drop;
	char **ev_archs; /* recorded architectures, sorted, unique */
	size_t n_ev_archs;
	char base_sha[65];
};

static void
gen_done(struct gen *x)
{
	strv_freep(&x->g.added);
	strv_freep(&x->g.widened);
	strv_freep(&x->g.overridden);
	strv_freep(&x->g.kept);
	strv_freep(&x->g.archs_added);
	strv_freep(&x->names);
	strv_freep(&x->drop);
	strv_freep(&x->ev_archs);
	tools_view_done(&x->bv);
}

static int _printf_(3, 4)
add_fmt(char ***v, size_t *n, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	return tools_strv_add(v, n, s);
}

static bool
strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The recorded names and arches; a number libseccomp cannot name cannot be allowed
 * by name, and is reported instead. */
static int
gather(struct gen *x)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < x->g.n_seen; i++) {
		const struct tools_seen *s = &x->g.seen[i];
		uint32_t token = tools_arch_token(s->arch);

		if (!token) {
			r = add_fmt(&x->g.kept, &x->g.n_kept,
				    "%s %s: an architecture libseccomp %s does not know", s->arch,
				    s->syscall, seccomp_libseccomp_version());
			continue;
		}
		if (!strv_has(x->ev_archs, x->n_ev_archs, s->arch))
			r = tools_strv_add(&x->ev_archs, &x->n_ev_archs, s->arch);
		if (r < 0)
			break;
		if (strncmp(s->syscall, "nr:", 3) != 0) {
			r = tools_strv_add(&x->names, &x->n_names, s->syscall);
			continue;
		}
		/* a newer libseccomp may name what the recorder's could not */
		char *end;
		long nr = strtol(s->syscall + 3, &end, 10);
		_cleanup_free_ char *name =
			*end || nr < 0 || nr > INT32_MAX ? NULL
							 : seccomp_syscall_resolve_num_arch(token, (int)nr);
		if (name)
			r = tools_strv_add(&x->names, &x->n_names, name);
		else
			r = add_fmt(&x->g.kept, &x->g.n_kept,
				    "%s %s: libseccomp %s has no name for it, and a profile allows "
				    "syscalls by name",
				    s->arch, s->syscall, seccomp_libseccomp_version());
	}
	tools_strv_sort_uniq(x->names, &x->n_names);
	tools_strv_sort_uniq(x->ev_archs, &x->n_ev_archs);
	return r;
}

/* What to do with one recorded name given the base: nothing when the base lets it
 * through or leaves it to its listener; else ALLOW, taking it out of the base rules
 * that decide it otherwise (an unconditional rule would conflict with the ALLOW, and
 * conditions cannot be kept: evidence holds no arguments). */
static int
decide(struct gen *x, const char *name)
{
	char b[TOOLS_ACT_LEN];
	int r = 0;

	if (x->g.base) {
		struct tools_behaviour beh = tools_view_behaviour(&x->bv, name);
		const struct tools_syscall *sc = tools_view_find(&x->bv, name);

		if (!beh.n_clauses && tools_act_lets_through(beh.other))
			return add_fmt(&x->g.kept, &x->g.n_kept, "%s: the base already allows it (%s)",
				       name, tools_act_format(beh.other, b, sizeof(b)));
		if (!beh.n_clauses && beh.other.action == SCMP_ACT_NOTIFY_)
			return add_fmt(&x->g.kept, &x->g.n_kept,
				       "%s: left to the base's listener (SCMP_ACT_NOTIFY)", name);
		if (sc && sc->conditional)
			r = add_fmt(&x->g.widened, &x->g.n_widened, "%s (syscalls[%zu])", name,
				    sc->rule);
		else if (sc)
			r = add_fmt(&x->g.overridden, &x->g.n_overridden, "%s (syscalls[%zu]: %s)",
				    name, sc->rule, tools_act_format(sc->act, b, sizeof(b)));
		if (r >= 0 && sc)
			r = tools_strv_add(&x->drop, &x->n_drop, name);
		if (r < 0)
			return r;
	}
	return tools_strv_add(&x->g.added, &x->g.n_added, name);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Takes the names of x->drop out of every rule of out; a rule left without names goes. */
static void
drop_names(struct gen *x, struct spec_seccomp *out)
{
	size_t kept_rules = 0;

	for (size_t i = 0; i < out->n_rules; i++) {
		struct spec_seccomp_rule *r = &out->rules[i];
		size_t k = 0;

		for (size_t j = 0; j < r->n_names; j++) {
			if (x->n_drop && bsearch(&r->names[j], x->drop, x->n_drop, sizeof(char *),
						 strp_cmp)) {
				free(r->names[j]);
				continue;
			}
			r->names[k++] = r->names[j];
		}
		r->names[k] = NULL;
		r->n_names = k;
		if (!k) {
			strv_freep(&r->names);
			free(r->args);
			continue;
		}
		out->rules[kept_rules++] = *r;
	}
	out->n_rules = kept_rules;
	if (out->rules)
		memset(&out->rules[kept_rules], 0, sizeof(*out->rules));
}

/* Architectures: without a base, the recorded ones; with one, the base's plus any
 * recorded arch it does not cover (its syscalls would otherwise kill the process). */
static int
set_archs(struct gen *x, struct spec_seccomp *out)
{
	_cleanup_free_ const char **eff = NULL;
	size_t n_eff;
	int r = 0;

	if (!x->g.base) {
		for (size_t i = 0; r >= 0 && i < x->n_ev_archs; i++)
			r = tools_strv_add(&out->architectures, &out->n_architectures, x->ev_archs[i]);
		return r;
	}
	if (tools_effective_archs(x->g.base, &eff, &n_eff) < 0)
		return -ENOMEM;
	for (size_t i = 0; r >= 0 && i < x->n_ev_archs; i++) {
		bool have = false;
		for (size_t k = 0; k < n_eff; k++)
			have |= strcmp(eff[k], x->ev_archs[i]) == 0;
		if (!have)
			r = tools_strv_add(&x->g.archs_added, &x->g.n_archs_added, x->ev_archs[i]);
	}
	if (r < 0 || !x->g.n_archs_added)
		return r;
	/* an empty list meant "the native arch": keep it when a list appears */
	if (!out->n_architectures)
		r = tools_strv_add(&out->architectures, &out->n_architectures,
				   seccomp_native_arch_name());
	for (size_t i = 0; r >= 0 && i < x->g.n_archs_added; i++)
		r = tools_strv_add(&out->architectures, &out->n_architectures, x->g.archs_added[i]);
	return r;
}

static int
build(struct gen *x, struct spec_seccomp **ret, struct lc_err *err)
{
	struct spec_seccomp *out = x->g.base ? tools_spec_copy(x->g.base) : tools_spec_new();
	int r = out ? gather(x) : -ENOMEM;

	if (r >= 0 && !x->g.base) {
		/* a pure allow-list: what no run used fails with EPERM, as docker's does */
		out->default_action = SCMP_ACT_ERRNO_;
		out->has_default_errno_ret = true;
		out->default_errno_ret = EPERM;
	}
	for (size_t i = 0; r >= 0 && i < x->n_names; i++)
		r = decide(x, x->names[i]);
	if (r >= 0) {
		tools_strv_sort_uniq(x->drop, &x->n_drop);
		drop_names(x, out);
		r = set_archs(x, out);
	}
	if (r >= 0 && x->g.n_added)
		r = tools_spec_add_rule(out, (const char *const *)x->g.added, x->g.n_added,
					tools_act_of(SCMP_ACT_ALLOW_, false, 0), NULL);
	if (r < 0) {
		seccomp_spec_free(out);
		return lc_err_set(err, -r, "seccomp generate");
	}
	*ret = out;
	return 0;
}

int
tools_generate(const struct spec_seccomp *base, struct evidence_doc *const *docs, size_t n_docs,
	       FILE *report, struct spec_seccomp **ret, struct lc_err *err)
{
	_cleanup_free_ struct tools_seen *seen = NULL;
	struct gen x = { .g = { .docs = docs, .n_docs = n_docs, .base = base } };
	struct spec_seccomp *out = NULL;
	struct seccomp_prog *prog = NULL;
	int r;

	if (tools_evidence_collect(docs, n_docs, &seen, &x.g.n_seen) < 0)
		return lc_err_set(err, ENOMEM, "seccomp generate");
	x.g.seen = seen;
	if (base) {
		if (tools_view_build(base, &x.bv) < 0)
			return lc_err_set(err, ENOMEM, "seccomp generate");
		r = tools_view_strict(&x.bv, "--base", err);
		if (r >= 0 && (r = tools_profile_sha256(base, x.base_sha)) < 0)
			lc_err_set(err, -r, "seccomp generate");
		if (r < 0) {
			gen_done(&x);
			return r;
		}
		x.g.base_sha256 = x.base_sha;
	}
	r = build(&x, &out, err);
	/* the output must be a profile strait runs: compile it once (not loaded) */
	if (r >= 0 && (r = seccomp_compile(out, false, &prog, err)) < 0)
		lc_err_prefix(err, "seccomp generate: the generated profile does not compile");
	seccomp_prog_free(prog);
	if (r >= 0) {
		x.g.out = out;
		if (tools_report_write(report, &x.g) < 0)
			r = lc_err_set(err, ENOMEM, "seccomp generate: the coverage report");
	}
	gen_done(&x);
	if (r < 0) {
		seccomp_spec_free(out);
		return r;
	}
	*ret = out;
	return 0;
}

/* The profile remembers where it came from: the report's sha256 and the facts of the
 * runs (straitProvenance; docs/seccomp-tools.md). */
static int
set_provenance(struct spec_seccomp *out, struct evidence_doc *const *docs, size_t n,
	       const char *report)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	char hex[65], now[40];
	struct timespec ts;
	struct tm tm;
	struct tools_facts f;

	sha256(report, strlen(report), digest);
	sha256_hex(digest, hex);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	int r = tools_facts_from_docs(docs, n, &f);
	free(out->provenance);
	out->provenance = NULL;
	if (r >= 0)
		r = tools_provenance_json(&f, hex, now, &out->provenance);
	tools_facts_free(&f);
	return r;
}

int
lc_seccomp_generate(const char *base, char *const *evidence, size_t n_evidence,
		    char **ret_profile, char **ret_report, struct lc_err *err)
{
	_cleanup_free_ char *report = NULL;
	struct spec_seccomp *b = NULL, *out = NULL;
	struct evidence_doc **docs = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int r = 0;

	if (base)
		r = tools_profile_load(base, &b, err);
	if (r >= 0)
		r = tools_evidence_load(evidence, n_evidence, &docs, err);
	if (r >= 0 && !(f = open_memstream(&report, &len)))
		r = lc_err_set(err, errno, "seccomp generate");
	if (r >= 0) {
		r = tools_generate(b, docs, n_evidence, f, &out, err);
		if (fclose(f) != 0 && r >= 0)
			r = lc_err_set(err, ENOMEM, "seccomp generate");
	}
	if (r >= 0 && (r = set_provenance(out, docs, n_evidence, report)) < 0)
		lc_err_set(err, -r, "seccomp generate");
	if (r >= 0 && (r = tools_spec_json(out, ret_profile)) < 0)
		lc_err_set(err, -r, "seccomp generate");
	if (docs)
		tools_evidence_free(docs, n_evidence);
	seccomp_spec_free(b);
	seccomp_spec_free(out);
	if (r >= 0)
		*ret_report = TAKE_PTR(report);
	return r < 0 ? r : 0;
}
