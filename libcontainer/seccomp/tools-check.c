/* `strait seccomp check PROFILE [EVIDENCE...]`: a lint of one profile against the
 * runtime-spec (spec_validate), this libseccomp (names per arch, conflicting and
 * shadowed rules, errnoRet, NOTIFY and its listener) and a list of dangerous
 * allowances; with evidence, which recorded syscalls the compiled profile would block
 * (run through seccomp_prog_eval). Reading the files and the exit code are the CLI's. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "macro.h"
#include "tables.h"
#include "seccomp/internal.h"
#include "seccomp/tools.h"

enum level { LVL_ERROR, LVL_WARNING, LVL_NOTE };

struct check {
	FILE *out;
	const struct spec_seccomp *s;
	struct tools_view v;
	const char **archs; /* effective, sorted */
	size_t n_archs;
	unsigned n[3];
	unsigned blocked;
	unsigned widened; /* recorded denials (enforce mode) the profile lets through */
	bool denials;     /* some evidence is of enforce mode */
};

static void _printf_(3, 4)
finding(struct check *c, enum level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "note" };
	va_list ap;

	c->n[lvl]++;
	fprintf(c->out, "%s: ", names[lvl]);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
}

static bool
takes_errno(enum seccomp_action a)
{
	return a == SCMP_ACT_ERRNO_ || a == SCMP_ACT_TRACE_;
}

/* errnoRet on an action that has none, above the kernel's MAX_ERRNO, or 0 (the syscall
 * then "succeeds" with 0 without running: rarely what anyone meant). */
static void
check_errno(struct check *c, const char *field, enum seccomp_action a, bool has, unsigned e)
{
	const char *name = table_seccomp_action_name(a);

	if (!has)
		return;
	if (!takes_errno(a))
		finding(c, LVL_ERROR, "%s: %s takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)",
			field, name);
	else if (e > SECCOMP_MAX_ERRNO)
		finding(c, LVL_ERROR, "%s: %u is over %u, the largest errno libseccomp accepts",
			field, e, SECCOMP_MAX_ERRNO);
	else if (e == 0 && a == SCMP_ACT_ERRNO_)
		finding(c, LVL_WARNING,
			"%s: 0 makes the syscall return 0 (success) without running it", field);
}

static void
check_rules(struct check *c)
{
	const struct spec_seccomp *s = c->s;
	bool notify = false, killable = false;
	char field[64];

	check_errno(c, "defaultErrnoRet", s->default_action, s->has_default_errno_ret,
		    s->default_errno_ret);
	if (s->default_action == SCMP_ACT_NOTIFY_)
		finding(c, LVL_ERROR, "defaultAction: SCMP_ACT_NOTIFY cannot be the default action "
				      "(the listener itself could not run)");
	for (size_t i = 0; i < s->n_rules; i++) {
		const struct spec_seccomp_rule *r = &s->rules[i];

		snprintf(field, sizeof(field), "syscalls[%zu].errnoRet", i);
		check_errno(c, field, r->action, r->has_errno_ret, r->errno_ret);
		if (r->n_names == 0)
			finding(c, LVL_ERROR, "syscalls[%zu].names: empty", i);
		for (size_t k = 0; k < r->n_names; k++)
			if (!r->names[k][0])
				finding(c, LVL_ERROR, "syscalls[%zu].names[%zu]: empty name", i, k);
		for (size_t k = 0; k < r->n_args; k++)
			if (r->args[k].index > 5)
				finding(c, LVL_ERROR,
					"syscalls[%zu].args[%zu].index: %u is over 5 (syscalls have six "
					"arguments)",
					i, k, r->args[k].index);
		if (r->action == SCMP_ACT_NOTIFY_) {
			notify = true;
			if (!s->listener_path)
				finding(c, LVL_ERROR,
					"syscalls[%zu]: SCMP_ACT_NOTIFY without listenerPath: nobody "
					"answers the notification",
					i);
		}
	}
	for (size_t i = 0; i < s->n_flags; i++)
		killable |= strcmp(s->flags[i], "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0;
	if (killable && !notify)
		finding(c, LVL_ERROR, "flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs a "
				      "SCMP_ACT_NOTIFY action");
	if (s->listener_path && !notify)
		finding(c, LVL_WARNING,
			"listenerPath: set, but no rule uses SCMP_ACT_NOTIFY: the listener gets "
			"nothing to decide");
}

static void
check_overlaps(struct check *c)
{
	char x[TOOLS_ACT_LEN], y[TOOLS_ACT_LEN];

	for (size_t i = 0; i < c->v.n_overlaps; i++) {
		const struct tools_overlap *o = &c->v.overlaps[i];
		const struct spec_seccomp_rule *a = &c->s->rules[o->rule_a], *b = &c->s->rules[o->rule_b];
		struct tools_act aa = tools_act_of(a->action, a->has_errno_ret, a->errno_ret);
		struct tools_act ab = tools_act_of(b->action, b->has_errno_ret, b->errno_ret);

		tools_act_format(aa, x, sizeof(x));
		tools_act_format(ab, y, sizeof(y));
		switch (o->kind) {
		case TOOLS_CONFLICT:
			finding(c, LVL_ERROR,
				"syscalls[%zu] (%s) and syscalls[%zu] (%s) conflict on \"%s\": a rule "
				"without argument conditions overrides any other for the syscall, "
				"whatever the order; strait refuses the profile",
				o->rule_a, x, o->rule_b, y, o->name);
			break;
		case TOOLS_CONFLICT_EQ:
			finding(c, LVL_ERROR,
				"syscalls[%zu] (%s) and syscalls[%zu] (%s) conflict on \"%s\": "
				"identical argument conditions, different actions",
				o->rule_a, x, o->rule_b, y, o->name);
			break;
		case TOOLS_SHADOWED:
			finding(c, LVL_WARNING,
				"syscalls[%zu]: \"%s\" is shadowed by syscalls[%zu] (%s without argument "
				"conditions): its conditions have no effect",
				o->rule_b, o->name, o->rule_a, x);
			break;
		case TOOLS_DUPLICATE:
			if (o->rule_a == o->rule_b)
				finding(c, LVL_WARNING, "syscalls[%zu]: lists \"%s\" twice", o->rule_a,
					o->name);
			else
				finding(c, LVL_WARNING,
					"syscalls[%zu]: \"%s\" repeats syscalls[%zu] (same action and "
					"conditions)",
					o->rule_b, o->name, o->rule_a);
			break;
		case TOOLS_NO_EFFECT:
			finding(c, LVL_WARNING,
				"syscalls[%zu]: its action %s is the defaultAction: the rule has no "
				"effect",
				o->rule_a, x);
			break;
		}
	}
}

/* Names per arch: unknown to libseccomp (skipped everywhere), absent from every
 * covered arch (a likely typo), or absent from some (normal for multi-arch profiles:
 * one note per arch). */
static int
check_names(struct check *c)
{
	_cleanup_free_ const char **absent = calloc(c->v.n_sc + 1, sizeof(*absent));
	_cleanup_free_ unsigned *missing = calloc(c->v.n_sc + 1, sizeof(*missing));

	if (!absent || !missing)
		return -ENOMEM;
	for (size_t a = 0; a < c->n_archs; a++)
		if (!tools_arch_token(c->archs[a]))
			finding(c, LVL_ERROR, "architectures: %s is not supported by libseccomp %s",
				c->archs[a], seccomp_libseccomp_version());
	for (size_t a = 0; a < c->n_archs; a++) {
		uint32_t token = tools_arch_token(c->archs[a]);
		size_t n = 0;

		for (size_t i = 0; token && i < c->v.n_sc; i++) {
			if (tools_name_on_arch(token, c->v.sc[i].name) != TOOLS_NOT_ON_ARCH)
				continue;
			absent[n++] = c->v.sc[i].name;
			missing[i]++;
		}
		if (!n)
			continue;
		fprintf(c->out, "note: %s: %zu name%s not a syscall of this arch (ignored there):",
			c->archs[a], n, n == 1 ? " is" : "s are");
		for (size_t i = 0; i < n; i++)
			fprintf(c->out, "%s %s", i ? "," : "", absent[i]);
		fputc('\n', c->out);
		c->n[LVL_NOTE]++;
	}
	uint32_t native = tools_arch_token(seccomp_native_arch_name());
	for (size_t i = 0; i < c->v.n_sc; i++) {
		const struct tools_syscall *sc = &c->v.sc[i];
		if (tools_name_on_arch(native, sc->name) == TOOLS_UNKNOWN_NAME)
			finding(c, LVL_WARNING,
				"syscalls[%zu]: \"%s\" is unknown to libseccomp %s on every "
				"architecture: strait skips it",
				sc->rule, sc->name, seccomp_libseccomp_version());
		else if (missing[i] == c->n_archs)
			finding(c, LVL_WARNING,
				"syscalls[%zu]: \"%s\" is not a syscall of any architecture the profile "
				"covers",
				sc->rule, sc->name);
	}
	return 0;
}

/* Sorted by name: syscalls that widen what a container can reach. */
static const struct danger {
	const char *name, *why;
} dangers[] = {
	{ "add_key", "adds keys to the kernel keyrings, which are not namespaced" },
	{ "bpf", "loads eBPF programs into the kernel" },
	{ "clone", "creates namespaces when given CLONE_NEW* flags" },
	{ "clone3", "creates namespaces; its flags sit behind a pointer seccomp cannot read" },
	{ "delete_module", "unloads kernel modules" },
	{ "finit_module", "loads kernel modules" },
	{ "fsmount", "mounts filesystems (new mount API)" },
	{ "fsopen", "creates filesystem contexts (new mount API)" },
	{ "init_module", "loads kernel modules" },
	{ "kexec_file_load", "replaces the running kernel" },
	{ "kexec_load", "replaces the running kernel" },
	{ "keyctl", "manages the kernel keyrings, which are not namespaced" },
	{ "mount", "mounts filesystems" },
	{ "move_mount", "attaches mounts (new mount API)" },
	{ "open_by_handle_at", "opens files by handle, around path checks (the 'shocker' escape)" },
	{ "open_tree", "clones mount trees (new mount API)" },
	{ "perf_event_open", "exposes kernel and cross-process performance data" },
	{ "ptrace", "reads and controls other processes" },
	{ "request_key", "asks the kernel keyrings for keys, which are not namespaced" },
	{ "setns", "joins other namespaces" },
	{ "umount", "unmounts filesystems" },
	{ "umount2", "unmounts filesystems" },
	{ "unshare", "creates namespaces" },
	{ "userfaultfd", "lets user space stall kernel page faults (a common exploit aid)" },
};

static bool
on_some_arch(const struct check *c, const char *name)
{
	for (size_t a = 0; a < c->n_archs; a++) {
		uint32_t t = tools_arch_token(c->archs[a]);
		if (t && tools_name_on_arch(t, name) == TOOLS_ON_ARCH)
			return true;
	}
	return false;
}

static void
check_dangers(struct check *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(dangers); i++) {
		const struct danger *d = &dangers[i];
		const struct tools_syscall *sc = tools_view_find(&c->v, d->name);
		struct tools_behaviour b = tools_view_behaviour(&c->v, d->name);
		char where[48];

		if (!on_some_arch(c, d->name) || !tools_behaviour_lets_through(&b))
			continue;
		if (sc)
			snprintf(where, sizeof(where), "syscalls[%zu]", sc->rule);
		else
			snprintf(where, sizeof(where), "defaultAction");
		if (!b.n_clauses) {
			finding(c, LVL_WARNING, "dangerous: %s allows \"%s\" unconditionally (%s)",
				where, d->name, d->why);
			continue;
		}
		/* conditions may be exactly the safe form (docker's clone flag mask): the
		 * reader decides, so this is a note */
		fprintf(c->out, "note: %s allows \"%s\" under argument conditions (%s): ", where,
			d->name, d->why);
		tools_behaviour_print(c->out, &b);
		fputc('\n', c->out);
		c->n[LVL_NOTE]++;
	}
}

/* ---- evidence ---- */
/* The action of a SECCOMP_RET_* value, for printing. */
static struct tools_act
act_of_ret(uint32_t ret)
{
	unsigned data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return (struct tools_act){ SCMP_ACT_KILL_PROCESS_, 0 };
	case SECCOMP_RET_KILL_THREAD:
		return (struct tools_act){ SCMP_ACT_KILL_THREAD_, 0 };
	case SECCOMP_RET_TRAP:
		return (struct tools_act){ SCMP_ACT_TRAP_, 0 };
	case SECCOMP_RET_ERRNO:
		return (struct tools_act){ SCMP_ACT_ERRNO_, data };
	case SECCOMP_RET_TRACE:
		return (struct tools_act){ SCMP_ACT_TRACE_, data };
	case SECCOMP_RET_USER_NOTIF:
		return (struct tools_act){ SCMP_ACT_NOTIFY_, 0 };
	case SECCOMP_RET_LOG:
		return (struct tools_act){ SCMP_ACT_LOG_, 0 };
	case SECCOMP_RET_ALLOW:
		return (struct tools_act){ SCMP_ACT_ALLOW_, 0 };
	}
	return (struct tools_act){ SCMP_ACT_KILL_PROCESS_, 0 };
}

/* The syscall number of a recorded (arch, name): as recorded, else resolved; -1 when
 * it has none this filter can be asked about (a multiplexed pseudo number). */
static int
record_nr(const struct tools_seen *s, uint32_t token)
{
	if (s->nr >= 0)
		return s->nr;
	if (strncmp(s->syscall, "nr:", 3) == 0) {
		char *end;
		long v = strtol(s->syscall + 3, &end, 10);
		return *end || v < 0 || v > INT32_MAX ? -1 : (int)v;
	}
	int nr = seccomp_syscall_resolve_name_arch(token, s->syscall);
	return nr >= 0 ? nr : -1;
}

static void
eval_one(struct check *c, const struct seccomp_prog *prog, const struct tools_seen *s)
{
	uint32_t token = tools_arch_token(s->arch);
	int nr = token ? record_nr(s, token) : -1;
	char b[TOOLS_ACT_LEN];

	if (nr < 0) {
		finding(c, LVL_NOTE, "%s %s: not evaluated (no syscall number for it on this arch)",
			s->arch, s->syscall);
		return;
	}
	/* x32 syscalls arrive as AUDIT_ARCH_X86_64 with bit 30 set in nr (which
	 * libseccomp's x32 numbers already carry) */
	uint32_t audit = token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token;
	struct tools_act act = act_of_ret(seccomp_prog_eval(prog, audit, nr, NULL));
	if (tools_act_lets_through(act))
		return;
	if (act.action == SCMP_ACT_NOTIFY_) {
		finding(c, LVL_NOTE, "%s %s: left to the listener (SCMP_ACT_NOTIFY)", s->arch,
			s->syscall);
		return;
	}
	const struct tools_syscall *sc = tools_view_find(&c->v, s->syscall);
	fprintf(c->out, "blocked: %s %s: %s (%zu run%s, %llu call%s)%s\n", s->arch, s->syscall,
		tools_act_format(act, b, sizeof(b)), s->runs, s->runs == 1 ? "" : "s",
		(unsigned long long)s->calls, s->calls == 1 ? "" : "s",
		sc && sc->conditional ? " (argument conditions decide; shown for all-zero "
					"arguments)"
				      : "");
	c->blocked++;
}

/* Denials recorded in enforce mode (--seccomp-denials=record) hold the arguments the
 * enforced profile tested: each is run through the proposed profile with them, and
 * those it would now let through are listed ("allows:"), so that a widening says which
 * of the production denials it answers. */
static void
check_denials(struct check *c, const struct seccomp_prog *prog, struct evidence_doc *const *docs,
	      size_t n_docs)
{
	for (size_t i = 0; i < n_docs; i++) {
		if (!docs[i]->enforce)
			continue;
		c->denials = true;
		for (size_t k = 0; k < docs[i]->n_records; k++) {
			const struct evidence_record *r = &docs[i]->records[k];
			struct tools_seen s = { .arch = r->arch, .syscall = r->syscall, .nr = r->nr };
			uint32_t token = tools_arch_token(r->arch);
			int nr = token ? record_nr(&s, token) : -1;
			if (nr < 0 || r->by_runtime)
				continue;
			uint32_t audit = token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token;
			struct tools_act now = act_of_ret(seccomp_prog_eval(prog, audit, nr, r->argv));
			if (!tools_act_lets_through(now))
				continue;
			char was[TOOLS_ACT_LEN];
			tools_act_format(tools_act_of(r->action, r->has_errno_ret, r->errno_ret), was,
					 sizeof(was));
			fprintf(c->out, "allows: %s %s", r->arch, r->syscall);
			for (unsigned a = 0; a < 6; a++)
				if (r->tested & (1u << a))
					fprintf(c->out, " arg%u=%#llx", a, (unsigned long long)r->argv[a]);
			fprintf(c->out, ": denied (%s) %llu time%s in %s, the profile lets it through\n",
				was, (unsigned long long)r->count, r->count == 1 ? "" : "s",
				docs[i]->path);
			c->widened++;
		}
	}
}

static int
check_evidence(struct check *c, struct evidence_doc *const *docs, size_t n_docs)
{
	_cleanup_free_ struct tools_seen *seen = NULL;
	struct seccomp_prog *prog = NULL;
	struct lc_err cerr = { 0 };
	size_t n = 0;

	if (tools_evidence_collect(docs, n_docs, &seen, &n) < 0)
		return -ENOMEM;
	if (seccomp_compile(c->s, false, &prog, &cerr) < 0) {
		finding(c, LVL_ERROR,
			"the profile does not compile (%s): the evidence was not evaluated", cerr.msg);
		return 0;
	}
	finding(c, LVL_NOTE,
		"evidence: %zu distinct syscall%s from %zu run%s, checked per syscall: evidence "
		"holds no arguments, so each runs through the compiled filter with arguments 0",
		n, n == 1 ? "" : "s", n_docs, n_docs == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		eval_one(c, prog, &seen[i]);
	check_denials(c, prog, docs, n_docs);
	if (c->denials)
		finding(c, LVL_NOTE, "denials recorded in enforce mode are also run through it "
			"with the arguments the enforced profile tested");
	seccomp_prog_free(prog);
	return 0;
}

int
tools_check(const struct spec_seccomp *s, const char *invalid, struct evidence_doc *const *docs,
	    size_t n_docs, FILE *out, struct lc_err *err)
{
	struct check c = { .out = out, .s = s };
	int r;

	if (tools_view_build(s, &c.v) < 0)
		return lc_err_set(err, ENOMEM, "seccomp check");
	r = tools_effective_archs(s, &c.archs, &c.n_archs);
	if (r >= 0) {
		check_rules(&c);
		/* spec_validate stops at its first error, which check_rules has then
		 * reported in its own words; anything else it finds is added here */
		if (invalid && c.n[LVL_ERROR] == 0)
			finding(&c, LVL_ERROR, "%s", invalid);
		check_overlaps(&c);
		r = check_names(&c);
	}
	if (r >= 0) {
		check_dangers(&c);
		if (n_docs)
			r = check_evidence(&c, docs, n_docs);
	}
	if (r >= 0) {
		fprintf(out, "summary: %u error%s, %u warning%s, %u note%s", c.n[LVL_ERROR],
			c.n[LVL_ERROR] == 1 ? "" : "s", c.n[LVL_WARNING],
			c.n[LVL_WARNING] == 1 ? "" : "s", c.n[LVL_NOTE], c.n[LVL_NOTE] == 1 ? "" : "s");
		if (n_docs)
			fprintf(out, ", %u recorded syscall%s blocked", c.blocked,
				c.blocked == 1 ? "" : "s");
		if (c.denials)
			fprintf(out, ", %u recorded denial%s allowed", c.widened,
				c.widened == 1 ? "" : "s");
		fputc('\n', out);
	}
	free(c.archs);
	tools_view_done(&c.v);
	if (r < 0)
		return lc_err_set(err, -r, "seccomp check");
	return c.n[LVL_ERROR] || c.n[LVL_WARNING] || c.blocked ? 1 : 0;
}

int
lc_seccomp_check(const char *profile, char *const *evidence, size_t n_evidence, char **ret_text,
		 struct lc_err *err)
{
	_cleanup_free_ char *invalid = NULL, *text = NULL;
	struct evidence_doc **docs = NULL;
	struct spec_seccomp *s = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int r;

	r = tools_profile_load_lenient(profile, &s, &invalid, err);
	if (r >= 0)
		r = tools_evidence_load(evidence, n_evidence, &docs, err);
	if (r >= 0 && !(f = open_memstream(&text, &len)))
		r = lc_err_set(err, errno, "seccomp check");
	if (r >= 0) {
		r = tools_check(s, invalid, docs, n_evidence, f, err);
		if (fclose(f) != 0 && r >= 0)
			r = lc_err_set(err, ENOMEM, "seccomp check");
	}
	if (docs)
		tools_evidence_free(docs, n_evidence);
	seccomp_spec_free(s);
	if (r >= 0)
		*ret_text = TAKE_PTR(text);
	return r;
}
