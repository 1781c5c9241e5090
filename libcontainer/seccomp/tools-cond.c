/* Argument conditions as sets of values: whether a value meets a test, the AND of two
 * tests of one argument, negation, disjoint clauses. The merge (tools-algebra.c) builds
 * its rules from these; a result is only ever a test libseccomp can load, and
 * anything this file cannot decide is reported as "needs two tests" or "may overlap",
 * never guessed. */
#include <stdlib.h>
#include <string.h>
#include "macro.h"
#include "seccomp/tools.h"

/* Whether argument value x meets condition c. */
bool
tools_cond_holds(const struct spec_seccomp_arg *c, uint64_t x)
{
	switch (c->op) {
	case SCMP_OP_NE:
		return x != c->value;
	case SCMP_OP_LT:
		return x < c->value;
	case SCMP_OP_LE:
		return x <= c->value;
	case SCMP_OP_EQ:
		return x == c->value;
	case SCMP_OP_GE:
		return x >= c->value;
	case SCMP_OP_GT:
		return x > c->value;
	case SCMP_OP_MASKED_EQ:
		return (x & c->value) == c->value_two;
	}
	return true;
}

/* The values an ordering test (EQ, LT, LE, GE, GT) accepts, as [lo, hi]; false for
 * the others (NE, MASKED_EQ) and for a test nothing meets (LT 0, GT max). */
static bool
cond_range(const struct spec_seccomp_arg *c, uint64_t *lo, uint64_t *hi)
{
	*lo = 0, *hi = UINT64_MAX;
	switch (c->op) {
	case SCMP_OP_EQ:
		*lo = *hi = c->value;
		return true;
	case SCMP_OP_LT:
		*hi = c->value - 1;
		return c->value > 0;
	case SCMP_OP_LE:
		*hi = c->value;
		return true;
	case SCMP_OP_GE:
		*lo = c->value;
		return true;
	case SCMP_OP_GT:
		*lo = c->value + 1;
		return c->value < UINT64_MAX;
	default:
		return false;
	}
}

/* ANDs two tests of one argument. -1: no value meets both; 0: *ret is one test that
 * says the same; 1: it takes two tests. */
int
tools_cond_and(const struct spec_seccomp_arg *px, const struct spec_seccomp_arg *py,
	 struct spec_seccomp_arg *ret)
{
	/* ret may be px: work on copies */
	const struct spec_seccomp_arg cx = *px, cy = *py, *x = &cx, *y = &cy;
	uint64_t xl, xh, yl, yh;

	if (x->op == y->op && x->value == y->value && x->value_two == y->value_two) {
		*ret = *x;
		return 0;
	}
	if (x->op == SCMP_OP_EQ || y->op == SCMP_OP_EQ) {
		const struct spec_seccomp_arg *e = x->op == SCMP_OP_EQ ? x : y, *o = e == x ? y : x;
		*ret = *e;
		return tools_cond_holds(o, e->value) ? 0 : -1;
	}
	if (x->op == SCMP_OP_MASKED_EQ && y->op == SCMP_OP_MASKED_EQ && x->value == y->value)
		return -1; /* same mask, different results */
	if (x->op == SCMP_OP_NE && y->op == SCMP_OP_NE)
		return 1;
	if (x->op == SCMP_OP_NE || y->op == SCMP_OP_NE) {
		/* a range without v is the range; one that ends at v loses that end */
		const struct spec_seccomp_arg *ne = x->op == SCMP_OP_NE ? x : y, *o = ne == x ? y : x;
		if (!cond_range(o, &xl, &xh))
			return 1;
		if (ne->value < xl || ne->value > xh) {
			*ret = *o;
			return 0;
		}
		if (xl == xh)
			return -1;
		yl = ne->value == xl ? xl + 1 : 0;
		yh = ne->value == xh ? xh - 1 : UINT64_MAX;
		if (ne->value != xl && ne->value != xh)
			return 1;
	} else if (!cond_range(x, &xl, &xh) || !cond_range(y, &yl, &yh)) {
		return 1;
	}
	uint64_t lo = xl > yl ? xl : yl, hi = xh < yh ? xh : yh;
	if (lo > hi)
		return -1;
	*ret = (struct spec_seccomp_arg){ .index = x->index };
	if (lo == hi)
		ret->op = SCMP_OP_EQ, ret->value = lo;
	else if (hi == UINT64_MAX)
		ret->op = SCMP_OP_GE, ret->value = lo;
	else if (lo == 0)
		ret->op = SCMP_OP_LE, ret->value = hi;
	else
		return 1;
	return 0;
}

/* True when no call can meet both clauses: some argument has tests in both that no
 * value meets together. Anything subtler counts as a possible overlap. */
bool
tools_clauses_disjoint(const struct tools_clause *a, const struct tools_clause *b)
{
	struct spec_seccomp_arg tmp;

	for (size_t i = 0; i < a->n_conds; i++)
		for (size_t j = 0; j < b->n_conds; j++)
			if (a->conds[i].index == b->conds[j].index &&
			    tools_cond_and(&a->conds[i], &b->conds[j], &tmp) < 0)
				return true;
	return false;
}

static bool
cond_same(const struct spec_seccomp_arg *a, const struct spec_seccomp_arg *b)
{
	return a->index == b->index && a->op == b->op && a->value == b->value &&
	       a->value_two == b->value_two;
}

/* ANDs condition a into conj: -1 when both cannot hold, 0 when merged or added, 1 when
 * an argument would need two tests (no single rule can say that). */
int
tools_conj_add(struct tools_clause *conj, const struct spec_seccomp_arg *a)
{
	for (size_t i = 0; i < conj->n_conds; i++)
		if (conj->conds[i].index == a->index)
			return tools_cond_and(&conj->conds[i], a, &conj->conds[i]);
	if (conj->n_conds >= TOOLS_MAX_CONDS)
		return 1;
	conj->conds[conj->n_conds++] = *a;
	return 0;
}

/* True when every call meeting conj meets clause c. */
bool
tools_conj_implies(const struct tools_clause *conj, const struct tools_clause *c)
{
	for (size_t k = 0; k < c->n_conds; k++) {
		bool ok = false;
		for (size_t i = 0; i < conj->n_conds && !ok; i++) {
			const struct spec_seccomp_arg *y = &conj->conds[i];
			ok = cond_same(y, &c->conds[k]) ||
			     (y->index == c->conds[k].index && y->op == SCMP_OP_EQ &&
			      tools_cond_holds(&c->conds[k], y->value));
		}
		if (!ok)
			return false;
	}
	return true;
}

/* The negation of one test, when a single test can say it (MASKED_EQ has none). */
bool
tools_cond_negate(const struct spec_seccomp_arg *c, struct spec_seccomp_arg *ret)
{
	static const int neg[] = {
		[SCMP_OP_NE] = SCMP_OP_EQ, [SCMP_OP_EQ] = SCMP_OP_NE, [SCMP_OP_LT] = SCMP_OP_GE,
		[SCMP_OP_GE] = SCMP_OP_LT, [SCMP_OP_LE] = SCMP_OP_GT, [SCMP_OP_GT] = SCMP_OP_LE,
		[SCMP_OP_MASKED_EQ] = -1,
	};

	if ((size_t)c->op >= ARRAY_SIZE(neg) || neg[c->op] < 0)
		return false;
	*ret = *c;
	ret->op = (enum seccomp_op)neg[c->op];
	ret->value_two = 0;
	return true;
}

