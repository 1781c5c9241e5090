/* `strait seccomp merge --union|--intersect`: profile algebra. Each input is expanded
 * per syscall (tools-profile.c); the result gives every call the most permissive
 * (union) or most restrictive (intersect) action any input gives it, by the kernel's
 * precedence of actions. Where that cannot be written as OCI rules, or two actions
 * tie, the merge fails naming the syscall: input order never decides. The rules are
 * spelled out in docs/seccomp-tools.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "log.h"
#include "macro.h"
#include "seccomp/seccomp.h"
#include "seccomp/tools.h"

struct merge {
	bool intersect;
	const struct tools_view *v;
	const char *const *what;
	size_t n;
	struct tools_act dflt; /* of the result */
	struct lc_err *err;
	/* the result, collected per name before it is written out */
	struct out_uncond {
		const char *name;
		struct tools_act act;
	} *uncond;
	size_t n_uncond;
	struct out_cond {
		const char *name;
		struct tools_clause c;
	} *cond;
	size_t n_cond;
	bool notify; /* some action of the result is NOTIFY */
};

/* The winner among acts[0..n): the highest (union) or lowest (intersect) rank. Two
 * winners of one rank that differ (ERRNO(1), ERRNO(13)) are ordered by no rank: an
 * action a rule names the syscall for (named[i]; NULL: none is) beats one that comes
 * from a defaultAction; otherwise the function returns -1 with the two in *tie_a and
 * *tie_b. */
static int
fold(bool intersect, const struct tools_act *acts, const bool *named, size_t n,
     struct tools_act *ret, size_t *tie_a, size_t *tie_b)
{
	size_t best = 0, pick = SIZE_MAX;
	bool any_named = false;

	for (size_t i = 1; i < n; i++) {
		int ri = tools_act_rank(acts[i]), rb = tools_act_rank(acts[best]);
		if (intersect ? ri < rb : ri > rb)
			best = i;
	}
	for (size_t i = 0; i < n; i++)
		any_named |= named && named[i] && tools_act_rank(acts[i]) == tools_act_rank(acts[best]);
	for (size_t i = 0; i < n; i++) {
		if (tools_act_rank(acts[i]) != tools_act_rank(acts[best]) ||
		    (any_named && !named[i]))
			continue;
		if (pick == SIZE_MAX) {
			pick = i;
		} else if (!tools_act_eq(acts[i], acts[pick])) {
			*tie_a = pick;
			*tie_b = i;
			return -1;
		}
	}
	*ret = acts[pick];
	return 0;
}

static int
tie_error(struct merge *m, const char *subject, struct tools_act a, size_t ia, struct tools_act b,
	  size_t ib)
{
	char x[TOOLS_ACT_LEN], y[TOOLS_ACT_LEN];

	return lc_err_setx(m->err, EINVAL,
			   "%s: %s in %s and %s in %s: neither is more %s (same kind of action, "
			   "different value); make the inputs agree",
			   subject, tools_act_format(a, x, sizeof(x)), m->what[ia],
			   tools_act_format(b, y, sizeof(y)), m->what[ib],
			   m->intersect ? "restrictive" : "permissive");
}

/* ---- argument cells ----
 * A syscall some input decides by arguments is merged cell by cell. A cell picks, for
 * every input, one of its clauses or none (a call meeting none of that input's clauses
 * gets its fallback); its action is the fold of what each input gives such a call, and
 * it is written as one rule whose conditions are the AND of the chosen clauses'. That
 * rule also matches calls of the cells that pick more clauses, so each written cell
 * must agree with every such superset: libseccomp gives overlapping argument rules no
 * order, and the merge refuses what it cannot write exactly. */
#define MAX_CELLS 4096
#define REST SIZE_MAX

struct cell {
	const size_t *choice;     /* per input: a clause index, or REST */
	struct tools_clause conj; /* the AND of the chosen clauses; act is the cell's */
	bool empty;               /* provably no call falls in it */
	bool one_rule;            /* conj fits one rule: one condition per argument */
};

static int
cell_build(struct merge *m, const char *name, const struct tools_behaviour *b, struct cell *cell,
	   struct tools_act *acts, bool *named)
{
	struct tools_clause *conj = &cell->conj;
	size_t ta, tb;

	cell->one_rule = true;
	for (size_t i = 0; i < m->n; i++) {
		if (cell->choice[i] == REST) {
			acts[i] = b[i].other;
			named[i] = b[i].named;
			continue;
		}
		const struct tools_clause *c = &b[i].clauses[cell->choice[i]];
		acts[i] = c->act;
		named[i] = true;
		for (size_t k = 0; k < c->n_conds && !cell->empty; k++) {
			int r = tools_conj_add(conj, &c->conds[k]);
			cell->empty |= r < 0;
			cell->one_rule &= r == 0;
		}
		for (size_t j = 0; j < i && !cell->empty; j++)
			if (cell->choice[j] != REST)
				cell->empty = tools_clauses_disjoint(c, &b[j].clauses[cell->choice[j]]);
	}
	/* a call here meeting a clause of an input that picked none belongs to another
	 * cell; when conj implies that clause, no call is left for this one */
	for (size_t i = 0; i < m->n && !cell->empty && cell->one_rule; i++)
		for (size_t k = 0; cell->choice[i] == REST && k < b[i].n_clauses; k++)
			cell->empty |= tools_conj_implies(conj, &b[i].clauses[k]);
	tools_conds_sort(conj);
	if (fold(m->intersect, acts, named, m->n, &conj->act, &ta, &tb) < 0 && !cell->empty)
		return tie_error(m, name, acts[ta], ta, acts[tb], tb);
	return 0;
}

/* T extends S: the same clause wherever S picked one, and one more at least. */
static bool
extends(const struct merge *m, const struct cell *t, const struct cell *s)
{
	bool more = false;

	for (size_t i = 0; i < m->n; i++) {
		if (s->choice[i] != REST && t->choice[i] != s->choice[i])
			return false;
		more |= s->choice[i] == REST && t->choice[i] != REST;
	}
	return more;
}

static int
cell_error(struct merge *m, const char *name, const struct tools_behaviour *b,
	   const struct cell *s, const struct cell *t)
{
	_cleanup_free_ char *text = NULL;
	char a[TOOLS_ACT_LEN];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	fprintf(f, "\"%s\": the %s would need ", name, m->intersect ? "intersection" : "union");
	if (s == t) {
		/* the chosen clauses test one argument in ways no single test combines */
		fprintf(f, "%s where the conditions of ", tools_act_format(s->conj.act, a, sizeof(a)));
		for (size_t i = 0, k = 0; i < m->n; i++) {
			if (s->choice[i] == REST)
				continue;
			fputs(k++ ? " and \"" : "\"", f);
			tools_clause_print(f, &b[i].clauses[s->choice[i]]);
			fprintf(f, "\" (%s)", m->what[i]);
		}
		fputs(" all hold, and one rule cannot test an argument twice",
		      f);
	} else {
		fputc('"', f);
		tools_clause_print(f, &s->conj);
		fputs("\" and, where more conditions hold, \"", f);
		tools_clause_print(f, &t->conj);
		fputs("\"; libseccomp gives overlapping argument rules no order, so OCI rules "
		      "cannot say that",
		      f);
	}
	fputs("; make the inputs agree on this syscall", f);
	if (fclose(f) != 0)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	return lc_err_setx(m->err, EINVAL, "%s", text);
}

static int
conj_cmp(const void *pa, const void *pb)
{
	const struct tools_clause *a = pa, *b = pb;
	int r = tools_clause_cmp(a, b);

	if (r)
		return r;
	if (tools_act_rank(a->act) != tools_act_rank(b->act))
		return tools_act_rank(a->act) > tools_act_rank(b->act) ? -1 : 1;
	return (a->act.errno_ret > b->act.errno_ret) - (a->act.errno_ret < b->act.errno_ret);
}

static int
add_uncond(struct merge *m, const char *name, struct tools_act act)
{
	struct out_uncond *u = realloc(m->uncond, (m->n_uncond + 1) * sizeof(*u));

	if (!u)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	m->uncond = u;
	u[m->n_uncond++] = (struct out_uncond){ name, act };
	m->notify |= act.action == SCMP_ACT_NOTIFY_;
	return 0;
}

static int
add_cond(struct merge *m, const char *name, const struct tools_clause *c, struct tools_act act)
{
	/* identical conditions and action from several inputs: written once */
	for (size_t i = m->n_cond; i-- > 0 && m->cond[i].name == name;)
		if (tools_clause_cmp(&m->cond[i].c, c) == 0 && tools_act_eq(m->cond[i].c.act, act))
			return 0;
	struct out_cond *o = realloc(m->cond, (m->n_cond + 1) * sizeof(*o));
	if (!o)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	m->cond = o;
	o[m->n_cond] = (struct out_cond){ name, *c };
	o[m->n_cond++].c.act = act;
	m->notify |= act.action == SCMP_ACT_NOTIFY_;
	return 0;
}

/* The cell's own calls only: its conditions AND the negation of every clause of the
 * inputs it picks none of, which makes it disjoint from every other cell. 0 with
 * *ret; -1 when no call is left; 1 when one rule cannot say it (a clause with several
 * conditions, a MASKED_EQ, or two tests of one argument). */
static int
cell_exact(const struct merge *m, const struct tools_behaviour *b, const struct cell *cell,
	   struct tools_clause *ret)
{
	*ret = cell->conj;
	if (!cell->one_rule)
		return 1;
	for (size_t i = 0; i < m->n; i++)
		for (size_t k = 0; cell->choice[i] == REST && k < b[i].n_clauses; k++) {
			const struct tools_clause *c = &b[i].clauses[k];
			struct spec_seccomp_arg neg;
			int r;

			if (c->n_conds != 1 || !tools_cond_negate(&c->conds[0], &neg))
				return 1;
			if ((r = tools_conj_add(ret, &neg)) != 0)
				return r;
		}
	tools_conds_sort(ret);
	return 0;
}

/* The argument rules of one name: every cell, checked, written sorted (so that the
 * output does not depend on the input order). */
static int
merge_cells(struct merge *m, const char *name, const struct tools_behaviour *b,
	    struct tools_act rest)
{
	_cleanup_free_ struct cell *cells = NULL;
	_cleanup_free_ size_t *choices = NULL, *cur = calloc(m->n, sizeof(*cur));
	_cleanup_free_ struct tools_act *acts = calloc(m->n, sizeof(*acts));
	_cleanup_free_ bool *named = calloc(m->n, sizeof(*named));
	_cleanup_free_ struct tools_clause *out = NULL;
	size_t n_cells = 1, k = 0, n_out = 0;
	bool all_rest = true;
	int r;

	for (size_t i = 0; i < m->n; i++) {
		n_cells *= b[i].n_clauses + 1;
		if (n_cells > MAX_CELLS)
			return lc_err_setx(m->err, E2BIG,
					   "\"%s\": too many argument rules to combine (more than %d "
					   "cells)",
					   name, MAX_CELLS);
	}
	cells = calloc(n_cells, sizeof(*cells));
	choices = calloc(n_cells * m->n, sizeof(*choices));
	out = calloc(n_cells + 1, sizeof(*out));
	if (!cells || !choices || !out || !cur || !acts || !named)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	/* a mixed-radix counter over (clause or REST) per input; all-REST is skipped */
	for (size_t i = 0; i < m->n; i++)
		cur[i] = REST;
	for (;;) {
		size_t i = 0;
		for (; i < m->n; i++) {
			cur[i] = cur[i] == REST ? 0 : cur[i] + 1;
			if (cur[i] < b[i].n_clauses)
				break;
			cur[i] = REST;
		}
		if (i == m->n)
			break;
		struct cell *c = &cells[k];
		memcpy(&choices[k * m->n], cur, m->n * sizeof(*cur));
		c->choice = &choices[k * m->n];
		k++;
		r = cell_build(m, name, b, c, acts, named);
		if (r < 0)
			return r;
		all_rest &= c->empty || tools_act_eq(c->conj.act, rest);
	}
	if (all_rest)
		return tools_act_eq(rest, m->dflt) ? 0 : add_uncond(m, name, rest);
	if (!tools_act_eq(rest, m->dflt)) {
		/* the calls no clause matches must get rest, which only a rule made of the
		 * negations of every clause can give them */
		struct cell none = { .choice = cur, .one_rule = true };
		struct tools_clause ex;
		char x[TOOLS_ACT_LEN], y[TOOLS_ACT_LEN];

		for (size_t i = 0; i < m->n; i++)
			cur[i] = REST;
		r = cell_exact(m, b, &none, &ex);
		if (r > 0)
			return lc_err_setx(m->err, EINVAL,
					   "\"%s\": the %s keeps argument conditions but gives every "
					   "other call %s, and argument rules can only fall back to the "
					   "defaultAction (%s); make the inputs agree on this syscall",
					   name, m->intersect ? "intersection" : "union",
					   tools_act_format(rest, x, sizeof(x)),
					   tools_act_format(m->dflt, y, sizeof(y)));
		ex.act = rest;
		if (r == 0)
			out[n_out++] = ex;
	}
	for (size_t s = 0; s < k; s++) {
		struct cell *c = &cells[s];
		const struct cell *bad = NULL;
		if (c->empty || tools_act_eq(c->conj.act, m->dflt))
			continue;
		/* written as it is, the rule also covers every cell that picks more clauses:
		 * fine when they all agree; else it is narrowed to its own calls */
		for (size_t t = 0; t < k && !bad; t++)
			if (!cells[t].empty && extends(m, &cells[t], c) &&
			    !tools_act_eq(cells[t].conj.act, c->conj.act))
				bad = &cells[t];
		if (c->one_rule && !bad) {
			out[n_out++] = c->conj;
			continue;
		}
		struct tools_clause ex;
		r = cell_exact(m, b, c, &ex);
		if (r > 0)
			return cell_error(m, name, b, c, bad ? bad : c);
		ex.act = c->conj.act;
		if (r == 0)
			out[n_out++] = ex;
	}
	qsort(out, n_out, sizeof(*out), conj_cmp);
	for (size_t i = 0; i < n_out; i++)
		if ((r = add_cond(m, name, &out[i], out[i].act)) < 0)
			return r;
	return 0;
}

/* The result for one name, from its behaviour in every input. */
static int
merge_name(struct merge *m, const char *name)
{
	_cleanup_free_ struct tools_behaviour *b = calloc(m->n, sizeof(*b));
	_cleanup_free_ struct tools_act *other = calloc(m->n, sizeof(*other));
	_cleanup_free_ bool *named = calloc(m->n, sizeof(*named));
	struct tools_act rest;
	size_t ta, tb, n_cl = 0;

	if (!b || !other || !named)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	for (size_t i = 0; i < m->n; i++) {
		b[i] = tools_view_behaviour(&m->v[i], name);
		other[i] = b[i].other;
		named[i] = b[i].named;
		n_cl += b[i].n_clauses;
	}
	/* a call no clause of any input matches */
	if (fold(m->intersect, other, named, m->n, &rest, &ta, &tb) < 0)
		return tie_error(m, name, other[ta], ta, other[tb], tb);
	if (!n_cl)
		return tools_act_eq(rest, m->dflt) ? 0 : add_uncond(m, name, rest);
	return merge_cells(m, name, b, rest);
}

static int
uncond_cmp(const void *pa, const void *pb)
{
	const struct out_uncond *a = pa, *b = pb;
	int ra = tools_act_rank(a->act), rb = tools_act_rank(b->act);

	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (a->act.errno_ret != b->act.errno_ret)
		return a->act.errno_ret < b->act.errno_ret ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Unconditional names grouped by action (most permissive first), then one rule per
 * conditional clause in name order. */
static int
write_rules(struct merge *m, struct spec_seccomp *out)
{
	_cleanup_free_ const char **names = calloc(m->n_uncond + 1, sizeof(*names));
	int r = 0;

	if (!names)
		return -ENOMEM;
	if (m->n_uncond)
		qsort(m->uncond, m->n_uncond, sizeof(*m->uncond), uncond_cmp);
	for (size_t g = 0, e; r >= 0 && g < m->n_uncond; g = e) {
		size_t k = 0;
		for (e = g; e < m->n_uncond && tools_act_eq(m->uncond[e].act, m->uncond[g].act); e++)
			names[k++] = m->uncond[e].name;
		r = tools_spec_add_rule(out, names, k, m->uncond[g].act, NULL);
	}
	for (size_t i = 0; r >= 0 && i < m->n_cond; i++)
		r = tools_spec_add_rule(out, &m->cond[i].name, 1, m->cond[i].c.act, &m->cond[i].c);
	return r;
}

/* Architectures: none when no input lists any; else each input's effective set (the
 * native arch plus its list), united or intersected. */
static int
merge_archs(struct merge *m, struct spec_seccomp *out)
{
	_cleanup_free_ const char ***sets = calloc(m->n, sizeof(*sets));
	_cleanup_free_ size_t *ns = calloc(m->n, sizeof(*ns));
	bool any = false, differ = false;
	int r = 0;

	for (size_t i = 0; i < m->n; i++)
		any |= m->v[i].s->n_architectures > 0;
	if (!any)
		return 0;
	if (!sets || !ns)
		return -ENOMEM;
	for (size_t i = 0; r >= 0 && i < m->n; i++)
		r = tools_effective_archs(m->v[i].s, &sets[i], &ns[i]);
	for (size_t i = 0; r >= 0 && i < m->n; i++)
		for (size_t a = 0; r >= 0 && a < ns[i]; a++) {
			size_t have = 0;
			for (size_t j = 0; j < m->n; j++)
				for (size_t b = 0; b < ns[j]; b++)
					have += strcmp(sets[i][a], sets[j][b]) == 0;
			differ |= have != m->n;
			if (!m->intersect || have == m->n)
				r = tools_strv_add(&out->architectures, &out->n_architectures,
						   sets[i][a]);
		}
	for (size_t i = 0; i < m->n; i++)
		free(sets[i]);
	if (r < 0)
		return r;
	tools_strv_sort_uniq(out->architectures, &out->n_architectures);
	if (differ && !m->intersect)
		log_warn("seccomp merge: the inputs cover different architectures; OCI rules are "
			 "not per architecture, so each merged rule applies to all of them");
	return 0;
}

/* Flags: SPEC_ALLOW weakens a mitigation, so the union keeps it when any input has it
 * and the intersection only when all do; the others change no decision and are kept
 * when any input has them (WAIT_KILLABLE_RECV only while a NOTIFY action remains). */
static int
merge_flags(struct merge *m, struct spec_seccomp *out)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < m->n; i++)
		for (size_t k = 0; r >= 0 && k < m->v[i].s->n_flags; k++) {
			const char *f = m->v[i].s->flags[k];
			size_t have = 0;

			for (size_t j = 0; j < m->n; j++)
				for (size_t q = 0; q < m->v[j].s->n_flags; q++)
					if (strcmp(m->v[j].s->flags[q], f) == 0) {
						have++;
						break;
					}
			if (strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0 && m->intersect &&
			    have != m->n)
				continue;
			if (strcmp(f, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0 && !m->notify)
				continue;
			r = tools_strv_add(&out->flags, &out->n_flags, f);
		}
	tools_strv_sort_uniq(out->flags, &out->n_flags);
	return r;
}

/* The listener: every input that names one must name the same. */
static int
merge_listener(struct merge *m, struct spec_seccomp *out)
{
	size_t first = SIZE_MAX;

	for (size_t i = 0; i < m->n; i++) {
		const struct spec_seccomp *s = m->v[i].s;
		if (!s->listener_path)
			continue;
		if (first == SIZE_MAX) {
			first = i;
			continue;
		}
		const struct spec_seccomp *f = m->v[first].s;
		bool same_meta = (!s->listener_metadata && !f->listener_metadata) ||
				 (s->listener_metadata && f->listener_metadata &&
				  strcmp(s->listener_metadata, f->listener_metadata) == 0);
		if (strcmp(s->listener_path, f->listener_path) != 0 || !same_meta)
			return lc_err_setx(m->err, EINVAL,
					   "listenerPath: %s and %s name different listeners (\"%s\", "
					   "\"%s\"); a profile has one",
					   m->what[first], m->what[i], f->listener_path,
					   s->listener_path);
	}
	if (first == SIZE_MAX)
		return 0;
	out->listener_path = strdup(m->v[first].s->listener_path);
	if (m->v[first].s->listener_metadata)
		out->listener_metadata = strdup(m->v[first].s->listener_metadata);
	if (!out->listener_path ||
	    (m->v[first].s->listener_metadata && !out->listener_metadata))
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	return 0;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
merge_all(struct merge *m, struct spec_seccomp *out)
{
	_cleanup_free_ struct tools_act *d = calloc(m->n, sizeof(*d));
	_cleanup_free_ const char **names = NULL;
	size_t total = 0, n = 0, ta, tb;
	int r;

	if (!d)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	for (size_t i = 0; i < m->n; i++) {
		d[i] = m->v[i].dflt;
		total += m->v[i].n_sc;
	}
	if (fold(m->intersect, d, NULL, m->n, &m->dflt, &ta, &tb) < 0)
		return tie_error(m, "defaultAction", d[ta], ta, d[tb], tb);
	out->default_action = m->dflt.action;
	if (m->dflt.action == SCMP_ACT_ERRNO_ || m->dflt.action == SCMP_ACT_TRACE_) {
		out->has_default_errno_ret = true;
		out->default_errno_ret = m->dflt.errno_ret;
	}
	names = calloc(total + 1, sizeof(*names));
	if (!names)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	for (size_t i = 0; i < m->n; i++)
		for (size_t k = 0; k < m->v[i].n_sc; k++)
			names[n++] = m->v[i].sc[k].name;
	qsort(names, n, sizeof(*names), strp_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(names[i - 1], names[i]) == 0)
			continue;
		r = merge_name(m, names[i]);
		if (r < 0)
			return r;
	}
	r = merge_listener(m, out);
	if (r < 0)
		return r;
	if (write_rules(m, out) < 0 || merge_archs(m, out) < 0 || merge_flags(m, out) < 0)
		return lc_err_set(m->err, ENOMEM, "seccomp merge");
	return 0;
}

int
tools_merge(bool intersect, const struct spec_seccomp *const *in, const char *const *what,
	    size_t n, struct spec_seccomp **ret, struct lc_err *err)
{
	_cleanup_free_ struct tools_view *v = calloc(n ? n : 1, sizeof(*v));
	struct merge m = { .intersect = intersect, .v = v, .what = what, .n = n, .err = err };
	struct spec_seccomp *out = NULL;
	int r = 0;

	if (n == 0)
		return lc_err_setx(err, EINVAL, "seccomp merge: no profiles to merge");
	if (!v)
		return lc_err_set(err, ENOMEM, "seccomp merge");
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if (tools_view_build(in[i], &v[i]) < 0)
			r = lc_err_set(err, ENOMEM, "seccomp merge");
		else
			r = tools_view_strict(&v[i], what[i], err);
	}
	if (r >= 0 && !(out = tools_spec_new()))
		r = lc_err_set(err, ENOMEM, "seccomp merge");
	if (r >= 0)
		r = merge_all(&m, out);
	for (size_t i = 0; i < n; i++)
		tools_view_done(&v[i]);
	free(m.uncond);
	free(m.cond);
	if (r < 0) {
		seccomp_spec_free(out);
		return r;
	}
	*ret = out;
	return 0;
}

int
lc_seccomp_merge(bool intersect, char *const *profiles, size_t n, char **ret_profile,
		 struct lc_err *err)
{
	_cleanup_free_ struct spec_seccomp **in = calloc(n ? n : 1, sizeof(*in));
	struct spec_seccomp *out = NULL;
	struct seccomp_prog *prog = NULL;
	int r = 0;

	if (!in)
		return lc_err_set(err, ENOMEM, "seccomp merge");
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = tools_profile_load(profiles[i], &in[i], err);
	if (r >= 0)
		r = tools_merge(intersect, (const struct spec_seccomp *const *)in,
				(const char *const *)profiles, n, &out, err);
	/* the result must be a profile strait runs: compile it once (not loaded) */
	if (r >= 0 && (r = seccomp_compile(out, false, &prog, err)) < 0)
		lc_err_prefix(err, "seccomp merge: the merged profile does not compile");
	if (r >= 0 && (r = tools_spec_json(out, ret_profile)) < 0)
		lc_err_set(err, -r, "seccomp merge");
	seccomp_prog_free(prog);
	seccomp_spec_free(out);
	for (size_t i = 0; i < n; i++)
		seccomp_spec_free(in[i]);
	return r < 0 ? r : 0;
}
