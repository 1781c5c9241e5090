/* The per-syscall view of a profile that generate, merge, diff and check compare:
 * actions as the kernel ranks them, argument clauses, and what a profile does with each
 * name. It follows compile.c's reading of a profile (split rules, skipped
 * default-action rules, conflicts); names are resolved per arch through libseccomp. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "macro.h"
#include "tables.h"
#include "seccomp/seccomp.h"
#include "seccomp/tools.h"

/* ---- actions ---- */
static bool
takes_errno(enum seccomp_action a)
{
	return a == SCMP_ACT_ERRNO_ || a == SCMP_ACT_TRACE_;
}

struct tools_act
tools_act_of(enum seccomp_action a, bool has_errno, unsigned errno_ret)
{
	/* runtime-spec: errnoRet defaults to EPERM; compile.c applies the same rule */
	if (!takes_errno(a))
		return (struct tools_act){ a, 0 };
	return (struct tools_act){ a, has_errno ? errno_ret : EPERM };
}

bool
tools_act_eq(struct tools_act a, struct tools_act b)
{
	return a.action == b.action && a.errno_ret == b.errno_ret;
}

int
tools_act_rank(struct tools_act a)
{
	/* seccomp(2): with several filters the kernel applies the action of highest
	 * precedence: KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW */
	static const int rank[] = {
		[SCMP_ACT_KILL_PROCESS_] = 0, [SCMP_ACT_KILL_THREAD_] = 1, [SCMP_ACT_TRAP_] = 2,
		[SCMP_ACT_ERRNO_] = 3,        [SCMP_ACT_NOTIFY_] = 4,      [SCMP_ACT_TRACE_] = 5,
		[SCMP_ACT_LOG_] = 6,          [SCMP_ACT_ALLOW_] = 7,
	};
	return (size_t)a.action < ARRAY_SIZE(rank) ? rank[a.action] : 0;
}

bool
tools_act_lets_through(struct tools_act a)
{
	return a.action == SCMP_ACT_ALLOW_ || a.action == SCMP_ACT_LOG_;
}

const char *
tools_act_format(struct tools_act a, char *buf, size_t len)
{
	const char *name = table_seccomp_action_name(a.action);

	if (!takes_errno(a.action)) {
		snprintf(buf, len, "%s", name);
		return buf;
	}
	const char *e = a.errno_ret ? strerrorname_np((int)a.errno_ret) : NULL;
	if (e)
		snprintf(buf, len, "%s(%s)", name, e);
	else
		snprintf(buf, len, "%s(%u)", name, a.errno_ret);
	return buf;
}

/* ---- clauses ---- */
static int
cond_cmp(const struct spec_seccomp_arg *a, const struct spec_seccomp_arg *b)
{
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->value_two != b->value_two)
		return a->value_two < b->value_two ? -1 : 1;
	return 0;
}

static int
cond_qcmp(const void *a, const void *b)
{
	return cond_cmp(a, b);
}

int
tools_clause_cmp(const struct tools_clause *a, const struct tools_clause *b)
{
	if (a->n_conds != b->n_conds)
		return a->n_conds < b->n_conds ? -1 : 1;
	for (size_t i = 0; i < a->n_conds; i++) {
		int r = cond_cmp(&a->conds[i], &b->conds[i]);
		if (r)
			return r;
	}
	return 0;
}

/* Conditions, then rank, then errno: a total order, so sorted clause lists compare. */
static int
clause_full_cmp(const void *pa, const void *pb)
{
	const struct tools_clause *a = pa, *b = pb;
	int r = tools_clause_cmp(a, b);

	if (r)
		return r;
	if (tools_act_rank(a->act) != tools_act_rank(b->act))
		return tools_act_rank(a->act) > tools_act_rank(b->act) ? -1 : 1;
	if (a->act.errno_ret != b->act.errno_ret)
		return a->act.errno_ret < b->act.errno_ret ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

void
tools_conds_sort(struct tools_clause *c)
{
	qsort(c->conds, c->n_conds, sizeof(c->conds[0]), cond_qcmp);
}

static struct spec_seccomp_arg
norm_cond(const struct spec_seccomp_arg *a)
{
	struct spec_seccomp_arg c = *a;

	/* libseccomp reads valueTwo only for SCMP_CMP_MASKED_EQ */
	if (c.op != SCMP_OP_MASKED_EQ)
		c.value_two = 0;
	return c;
}

static void
print_value(FILE *f, uint64_t v, bool hex)
{
	if (hex || v > 0xffff)
		fprintf(f, "%#llx", (unsigned long long)v);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

void
tools_clause_print(FILE *f, const struct tools_clause *c)
{
	static const char *const ops[] = {
		[SCMP_OP_NE] = "!=", [SCMP_OP_LT] = "<",  [SCMP_OP_LE] = "<=", [SCMP_OP_EQ] = "==",
		[SCMP_OP_GE] = ">=", [SCMP_OP_GT] = ">",  [SCMP_OP_MASKED_EQ] = "==",
	};
	char b[TOOLS_ACT_LEN];

	fprintf(f, "%s if ", tools_act_format(c->act, b, sizeof(b)));
	for (size_t i = 0; i < c->n_conds; i++) {
		const struct spec_seccomp_arg *a = &c->conds[i];

		fprintf(f, "%sarg%u ", i ? " && " : "", a->index);
		if (a->op == SCMP_OP_MASKED_EQ) {
			fputs("& ", f);
			print_value(f, a->value, true);
			fputs(" == ", f);
			print_value(f, a->value_two, true);
			continue;
		}
		fprintf(f, "%s ", (size_t)a->op < ARRAY_SIZE(ops) ? ops[a->op] : "?");
		print_value(f, a->value, false);
	}
}

void
tools_behaviour_print(FILE *f, const struct tools_behaviour *b)
{
	char buf[TOOLS_ACT_LEN];

	for (size_t i = 0; i < b->n_clauses; i++) {
		tools_clause_print(f, &b->clauses[i]);
		fputs("; ", f);
	}
	fprintf(f, "%s%s", b->n_clauses ? "else " : "", tools_act_format(b->other, buf, sizeof(buf)));
}

bool
tools_behaviour_eq(const struct tools_behaviour *a, const struct tools_behaviour *b)
{
	if (!tools_act_eq(a->other, b->other) || a->n_clauses != b->n_clauses)
		return false;
	for (size_t i = 0; i < a->n_clauses; i++)
		if (tools_clause_cmp(&a->clauses[i], &b->clauses[i]) != 0 ||
		    !tools_act_eq(a->clauses[i].act, b->clauses[i].act))
			return false;
	return true;
}

bool
tools_behaviour_lets_through(const struct tools_behaviour *b)
{
	bool lets = tools_act_lets_through(b->other);

	for (size_t i = 0; i < b->n_clauses; i++)
		lets |= tools_act_lets_through(b->clauses[i].act);
	return lets;
}

/* ---- the view ---- */
struct name_ref {
	const char *name;
	size_t rule;
};

static int
name_ref_cmp(const void *pa, const void *pb)
{
	const struct name_ref *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	return r ? r : (a->rule > b->rule) - (a->rule < b->rule);
}

static struct tools_act
rule_act(const struct spec_seccomp_rule *r)
{
	return tools_act_of(r->action, r->has_errno_ret, r->errno_ret);
}

static int
overlap_add(struct tools_view *v, enum tools_overlap_kind kind, const char *name, size_t a,
	    size_t b)
{
	struct tools_overlap *o = realloc(v->overlaps, (v->n_overlaps + 1) * sizeof(*o));

	if (!o)
		return -ENOMEM;
	v->overlaps = o;
	o[v->n_overlaps++] = (struct tools_overlap){ kind, name, a < b ? a : b, a < b ? b : a };
	return 0;
}

/* The clauses of rule r (one per condition when an index repeats, as compile.c splits
 * such a rule into an OR) appended to *cl. */
static int
rule_clauses(const struct spec_seccomp *s, size_t r, struct tools_clause **cl, size_t *n)
{
	const struct spec_seccomp_rule *rule = &s->rules[r];
	unsigned seen = 0;
	bool split = false;

	if (rule->n_args > TOOLS_MAX_CONDS)
		split = true;
	for (size_t k = 0; k < rule->n_args && !split; k++) {
		unsigned bit = 1u << (rule->args[k].index & 31);
		split = (seen & bit) != 0;
		seen |= bit;
	}
	size_t add = split ? rule->n_args : 1;
	struct tools_clause *p = realloc(*cl, (*n + add) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	*cl = p;
	for (size_t j = 0; j < add; j++) {
		struct tools_clause *c = &p[(*n)++];

		*c = (struct tools_clause){ .act = rule_act(rule), .rule = r };
		for (size_t k = 0; k < rule->n_args; k++) {
			if (split && k != j)
				continue;
			c->conds[c->n_conds++] = norm_cond(&rule->args[k]);
		}
		tools_conds_sort(c);
	}
	return 0;
}

/* One name: refs[g..e) are its (name, rule) pairs, sorted by rule. */
static int
view_name(struct tools_view *v, const struct name_ref *refs, size_t g, size_t e)
{
	const struct spec_seccomp *s = v->s;
	struct tools_syscall *sc = &v->sc[v->n_sc++];
	const struct spec_seccomp_rule *u = NULL;
	size_t ui = 0;
	int r;

	*sc = (struct tools_syscall){ .name = refs[g].name, .rule = refs[g].rule };
	for (size_t k = g; k < e; k++) {
		if (k > g && refs[k].rule == refs[k - 1].rule) {
			r = overlap_add(v, TOOLS_DUPLICATE, sc->name, refs[k].rule, refs[k].rule);
			if (r < 0)
				return r;
			continue;
		}
		if (!u && s->rules[refs[k].rule].n_args == 0)
			u = &s->rules[refs[k].rule], ui = refs[k].rule;
	}
	if (u) {
		/* libseccomp lets an unconditional rule swallow every other rule of the
		 * syscall (see compile.c check_conflicts): the same action makes the others
		 * redundant, a different one is refused */
		for (size_t k = g; k < e; k++) {
			const struct spec_seccomp_rule *o = &s->rules[refs[k].rule];
			enum tools_overlap_kind kind;

			if (refs[k].rule == ui || (k > g && refs[k].rule == refs[k - 1].rule))
				continue;
			if (!tools_act_eq(rule_act(o), rule_act(u)))
				kind = TOOLS_CONFLICT;
			else
				kind = o->n_args ? TOOLS_SHADOWED : TOOLS_DUPLICATE;
			r = overlap_add(v, kind, sc->name, ui, refs[k].rule);
			if (r < 0)
				return r;
		}
		sc->act = rule_act(u);
		return 0;
	}

	for (size_t k = g; k < e; k++) {
		if (k > g && refs[k].rule == refs[k - 1].rule)
			continue;
		r = rule_clauses(s, refs[k].rule, &sc->clauses, &sc->n_clauses);
		if (r < 0)
			return r;
	}
	/* compile.c skips a rule with the default action: it can neither act nor conflict */
	size_t out = 0;
	for (size_t i = 0; i < sc->n_clauses; i++)
		if (!tools_act_eq(sc->clauses[i].act, v->dflt))
			sc->clauses[out++] = sc->clauses[i];
	sc->n_clauses = out;
	qsort(sc->clauses, sc->n_clauses, sizeof(*sc->clauses), clause_full_cmp);
	out = 0;
	for (size_t i = 0; i < sc->n_clauses; i++) {
		struct tools_clause *c = &sc->clauses[i];
		struct tools_clause *prev = out ? &sc->clauses[out - 1] : NULL;

		if (prev && tools_clause_cmp(prev, c) == 0) {
			/* identical conditions: libseccomp refuses other actions (EEXIST) */
			bool same = tools_act_eq(prev->act, c->act);
			if (prev->rule != c->rule) {
				r = overlap_add(v, same ? TOOLS_DUPLICATE : TOOLS_CONFLICT_EQ, sc->name,
						prev->rule, c->rule);
				if (r < 0)
					return r;
			}
			continue;
		}
		sc->clauses[out++] = *c;
	}
	sc->n_clauses = out;
	sc->conditional = out > 0;
	sc->act = v->dflt;
	return 0;
}

int
tools_view_build(const struct spec_seccomp *s, struct tools_view *ret)
{
	_cleanup_free_ struct name_ref *refs = NULL;
	struct tools_view v = { .s = s };
	size_t n = 0, total = 0;
	int r = 0;

	v.dflt = tools_act_of(s->default_action, s->has_default_errno_ret, s->default_errno_ret);
	for (size_t i = 0; i < s->n_rules; i++)
		total += s->rules[i].n_names;
	refs = calloc(total ? total : 1, sizeof(*refs));
	v.sc = calloc(total ? total : 1, sizeof(*v.sc));
	if (!refs || !v.sc) {
		free(v.sc);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n_rules; i++) {
		for (size_t k = 0; k < s->rules[i].n_names; k++)
			refs[n++] = (struct name_ref){ s->rules[i].names[k], i };
		if (r >= 0 && tools_act_eq(rule_act(&s->rules[i]), v.dflt) && s->rules[i].n_names)
			r = overlap_add(&v, TOOLS_NO_EFFECT, s->rules[i].names[0], i, i);
	}
	qsort(refs, n, sizeof(*refs), name_ref_cmp);
	for (size_t g = 0, e; r >= 0 && g < n; g = e) {
		for (e = g; e < n && strcmp(refs[e].name, refs[g].name) == 0; e++)
			;
		r = view_name(&v, refs, g, e);
	}
	if (r < 0) {
		tools_view_done(&v);
		return r;
	}
	*ret = v;
	return 0;
}

void
tools_view_done(struct tools_view *v)
{
	for (size_t i = 0; v->sc && i < v->n_sc; i++)
		free(v->sc[i].clauses);
	free(v->sc);
	free(v->overlaps);
	*v = (struct tools_view){ 0 };
}

int
tools_view_strict(const struct tools_view *v, const char *what, struct lc_err *err)
{
	for (size_t i = 0; i < v->n_overlaps; i++) {
		const struct tools_overlap *o = &v->overlaps[i];

		if (o->kind != TOOLS_CONFLICT && o->kind != TOOLS_CONFLICT_EQ)
			continue;
		/* a name libseccomp does not know is skipped by the compiler: no conflict */
		if (seccomp_syscall_resolve_name(o->name) == __NR_SCMP_ERROR)
			continue;
		return lc_err_setx(err, EINVAL,
				   "%s: syscalls[%zu] and syscalls[%zu] give \"%s\" different "
				   "actions %s; strait refuses to compile such a profile (see "
				   "`strait seccomp check`)",
				   what, o->rule_a, o->rule_b, o->name,
				   o->kind == TOOLS_CONFLICT ? "and one has no argument conditions"
							     : "under identical argument conditions");
	}
	return 0;
}

static int
sc_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tools_syscall *)elem)->name);
}

const struct tools_syscall *
tools_view_find(const struct tools_view *v, const char *name)
{
	if (!v->n_sc)
		return NULL;
	return bsearch(name, v->sc, v->n_sc, sizeof(*v->sc), sc_name_cmp);
}

struct tools_behaviour
tools_view_behaviour(const struct tools_view *v, const char *name)
{
	const struct tools_syscall *sc = tools_view_find(v, name);

	if (!sc)
		return (struct tools_behaviour){ .other = v->dflt };
	if (!sc->conditional)
		return (struct tools_behaviour){ .other = sc->act, .named = true };
	return (struct tools_behaviour){ sc->clauses, sc->n_clauses, v->dflt, false };
}

/* ---- architectures ---- */
uint32_t
tools_arch_token(const char *name)
{
	char lower[32];
	size_t i = 0;

	/* libseccomp names arches as the OCI names do, lower case, without the prefix */
	if (!name || strncmp(name, "SCMP_ARCH_", 10) != 0)
		return 0;
	for (const char *p = name + 10; *p && i + 1 < sizeof(lower); p++)
		lower[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

enum tools_on_arch
tools_name_on_arch(uint32_t token, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(token, name);

	if (nr == __NR_SCMP_ERROR)
		return TOOLS_UNKNOWN_NAME;
	/* __PNR_* values from -10000 down mark a syscall the arch does not have; the few
	 * above (-101 socket, -201 semop, ...) are reached through socketcall/ipc */
	if (nr >= 0 || nr > -10000)
		return TOOLS_ON_ARCH;
	return TOOLS_NOT_ON_ARCH;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
tools_effective_archs(const struct spec_seccomp *s, const char ***ret, size_t *ret_n)
{
	const char **v = calloc(s->n_architectures + 2, sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	v[n++] = seccomp_native_arch_name();
	for (size_t i = 0; i < s->n_architectures; i++)
		v[n++] = s->architectures[i];
	qsort(v, n, sizeof(*v), strp_cmp);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (!out || strcmp(v[out - 1], v[i]) != 0)
			v[out++] = v[i];
	v[out] = NULL;
	*ret = v;
	*ret_n = out;
	return 0;
}

