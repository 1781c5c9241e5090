/* The optimizer (bpf-opt.h): from the partition of bpf-range.c it builds the dispatch
 * (arch, then a balanced search over nr ranges, with shared return instructions), the
 * residual (the original program cut down to the argument-dependent paths, with jumps
 * that only ever go one way removed), assembles both with bpf-asm.c, and checks the
 * result against the original with bpf_eval(). compile.c decides when to use it. */
#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "macro.h"
#include "seccomp/bpf-asm.h"
#include "seccomp/bpf-eval.h"
#include "seccomp/bpf-opt.h"
#include "seccomp/bpf-range.h"

enum cell_kind { C_RET, C_RESIDUAL, C_TREE };

/* A single value with its own outcome inside a range (C_RET or C_RESIDUAL). */
struct point {
	uint32_t v;
	enum cell_kind kind;
	uint32_t ret;
};

/* Up to this many exceptions per range: each costs one JEQ on the range's path, and
 * saves the two range boundaries (two JGE) it would otherwise need. */
#define MAX_EXC 3

/* A range of arch or nr values with one outcome, but for its exceptions. */
struct cell {
	uint32_t lo, hi;
	enum cell_kind kind;
	uint32_t ret;	      /* C_RET */
	size_t label;	      /* C_TREE: the arch's nr section */
	struct cell *nr;      /* C_TREE: its nr ranges */
	size_t n_nr;
	struct point exc[MAX_EXC];
	size_t n_exc;
};

struct shared_ret {
	uint32_t ret;
	size_t label;
};

struct builder {
	struct bpf_asm a;
	struct bpf_range r;
	size_t residual; /* label of the residual's entry */
	struct shared_ret *rets; /* the current section's returns */
	size_t n_rets, cap_rets;
	struct cell *archs;
	size_t n_archs;
};

static void
builder_done(struct builder *b)
{
	bpf_asm_done(&b->a);
	bpf_range_done(&b->r);
	free(b->rets);
	for (size_t i = 0; i < b->n_archs; i++)
		free(b->archs[i].nr);
	free(b->archs);
}

static bool
same_outcome(const struct cell *x, const struct cell *y)
{
	/* C_TREE cells are never alike: each is its own arch's search */
	return x->kind == y->kind &&
	       (x->kind == C_RESIDUAL || (x->kind == C_RET && x->ret == y->ret));
}

static void
set_targets(struct builder *b, size_t insn, size_t jt, size_t jf)
{
	if (insn < b->a.n) {
		b->a.v[insn].jt = jt;
		b->a.v[insn].jf = jf;
	}
}

/* One link of a JEQ chain: A == v goes to jt, anything else to the next link, or to
 * final after the last. *next carries the label between links (SIZE_MAX before the
 * first). */
static void
jeq_link(struct builder *b, size_t *next, uint32_t v, size_t jt, bool last, size_t final)
{
	if (*next != SIZE_MAX)
		bpf_asm_bind(&b->a, *next);
	size_t insn = bpf_asm_insn(&b->a, BPF_JMP | BPF_JEQ | BPF_K, v, 0, 0);
	*next = last ? final : bpf_asm_label(&b->a);
	set_targets(b, insn, jt, *next);
}

static size_t
ret_label(struct builder *b, uint32_t ret)
{
	for (size_t i = 0; i < b->n_rets; i++)
		if (b->rets[i].ret == ret)
			return b->rets[i].label;
	if (!array_grow((void **)&b->rets, &b->cap_rets, b->n_rets + 1, sizeof(*b->rets))) {
		b->a.oom = true;
		return SIZE_MAX;
	}
	b->rets[b->n_rets] = (struct shared_ret){ ret, bpf_asm_label(&b->a) };
	return b->rets[b->n_rets++].label;
}

static size_t
outcome_label(struct builder *b, enum cell_kind kind, uint32_t ret)
{
	return kind == C_RET ? ret_label(b, ret) : b->residual;
}

/* Where control goes for the range c: its outcome, or a JEQ chain for its exceptions
 * emitted here. */
static size_t
leaf_label(struct builder *b, const struct cell *c)
{
	size_t self, next = SIZE_MAX;

	if (c->kind == C_TREE)
		return c->label;
	if (!c->n_exc)
		return outcome_label(b, c->kind, c->ret);
	self = bpf_asm_label(&b->a);
	bpf_asm_bind(&b->a, self);
	for (size_t i = 0; i < c->n_exc; i++)
		jeq_link(b, &next, c->exc[i].v, outcome_label(b, c->exc[i].kind, c->exc[i].ret),
			 i + 1 == c->n_exc, outcome_label(b, c->kind, c->ret));
	return self;
}

/* The section's return instructions, after its search: shared by all its leaves. */
static void
emit_rets(struct builder *b)
{
	for (size_t i = 0; i < b->n_rets; i++) {
		bpf_asm_bind(&b->a, b->rets[i].label);
		bpf_asm_insn(&b->a, BPF_RET | BPF_K, b->rets[i].ret, 0, 0);
	}
	b->n_rets = 0;
}

/* A balanced search over the sorted, adjacent ranges c[0 .. n) of the value in A, in
 * pre-order (every jump goes forward). Returns the label of its entry: its first
 * instruction, or for a single range that range's target. */
static size_t
emit_tree(struct builder *b, const struct cell *c, size_t n)
{
	size_t self, insn;

	if (n == 1)
		return leaf_label(b, c);
	self = bpf_asm_label(&b->a);
	bpf_asm_bind(&b->a, self);
	/* one syscall different from its neighbours on both sides: one JEQ */
	if (n == 3 && c[1].lo == c[1].hi && same_outcome(&c[0], &c[2]) && !c[0].n_exc &&
	    !c[2].n_exc) {
		insn = bpf_asm_insn(&b->a, BPF_JMP | BPF_JEQ | BPF_K, c[1].lo, 0, 0);
		size_t jt = leaf_label(b, &c[1]);
		set_targets(b, insn, jt, leaf_label(b, &c[0]));
		return self;
	}
	insn = bpf_asm_insn(&b->a, BPF_JMP | BPF_JGE | BPF_K, c[n / 2].lo, 0, 0);
	size_t left = emit_tree(b, c, n / 2);
	size_t right = emit_tree(b, c + n / 2, n - n / 2);
	set_targets(b, insn, right, left);
	return self;
}

/* Emits the search over c[0 .. n) where control arrives now: a single range emits
 * nothing of its own, so control jumps to its target. */
static void
emit_search(struct builder *b, const struct cell *c, size_t n)
{
	size_t start = b->a.n, entry = emit_tree(b, c, n);

	if (b->a.n == start)
		bpf_asm_insn(&b->a, BPF_JMP | BPF_JA, 0, entry, 0);
}

/* ---- from boxes to cells ---- */
static int
u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, c = *(const uint32_t *)y;

	return (a > c) - (a < c);
}

static int
box_nr_cmp(const void *x, const void *y)
{
	const struct bpf_box *a = *(const struct bpf_box *const *)x;
	const struct bpf_box *c = *(const struct bpf_box *const *)y;

	return (a->nlo > c->nlo) - (a->nlo < c->nlo);
}

static struct cell
box_cell(const struct bpf_box *x, uint32_t lo, uint32_t hi)
{
	return (struct cell){ .lo = lo, .hi = hi, .kind = x->fixed ? C_RET : C_RESIDUAL,
			      .ret = x->ret };
}

/* Appends c to v[0 .. *n), merged into the last cell when the outcome is the same. */
static void
append_cell(struct cell *v, size_t *n, const struct cell *c)
{
	if (*n && same_outcome(&v[*n - 1], c) && v[*n - 1].hi + 1 == c->lo) {
		v[*n - 1].hi = c->hi;
		return;
	}
	v[(*n)++] = *c;
}

/* Appends nr range c, folding a single value between two ranges of one outcome into
 * the first as an exception. */
static void
append_nr_cell(struct cell *v, size_t *n, const struct cell *c)
{
	struct cell *p = *n >= 2 ? &v[*n - 2] : NULL, *l = *n >= 1 ? &v[*n - 1] : NULL;

	if (p && l->lo == l->hi && !l->n_exc && same_outcome(p, c) && p->n_exc < MAX_EXC) {
		p->exc[p->n_exc++] = (struct point){ l->lo, l->kind, l->ret };
		p->hi = c->hi;
		(*n)--;
		return;
	}
	append_cell(v, n, c);
}

/* The nr ranges of one arch value from the boxes that hold it (bs, n of them, which
 * must cover every nr exactly once). */
static int
nr_cells(struct bpf_box **bs, size_t n, struct cell **ret, size_t *ret_n)
{
	struct cell *v = calloc(n, sizeof(*v));
	size_t k = 0;

	if (!v)
		return -ENOMEM;
	qsort(bs, n, sizeof(*bs), box_nr_cmp);
	for (size_t i = 0; i < n; i++) {
		if (bs[i]->nlo != (i ? bs[i - 1]->nhi + 1 : 0) || (i && bs[i - 1]->nhi == UINT32_MAX)) {
			free(v);
			return -EIO;
		}
		struct cell c = box_cell(bs[i], bs[i]->nlo, bs[i]->nhi);
		append_nr_cell(v, &k, &c);
		bs[i]->to_residual |= !bs[i]->fixed;
	}
	if (bs[n - 1]->nhi != UINT32_MAX) {
		free(v);
		return -EIO;
	}
	*ret = v;
	*ret_n = k;
	return 0;
}

/* One arch cell [lo, hi]: every box holding it decides the same (C_RET, C_RESIDUAL),
 * or a point gets its own nr search (C_TREE), or the whole range goes to the
 * residual. */
static int
arch_cell(struct builder *b, uint32_t lo, uint32_t hi, struct bpf_box **bs, struct cell *ret)
{
	size_t n = 0;
	bool uniform = true;

	for (size_t i = 0; i < b->r.n_boxes; i++) {
		struct bpf_box *x = &b->r.boxes[i];
		if (x->alo <= lo && lo <= x->ahi) {
			bs[n++] = x;
			uniform &= x->fixed == bs[0]->fixed && x->ret == bs[0]->ret;
		}
	}
	if (!n)
		return -EIO;
	*ret = box_cell(bs[0], lo, hi);
	if (uniform && bs[0]->fixed)
		return 0;
	if (lo != hi || uniform) {
		ret->kind = C_RESIDUAL;
		for (size_t i = 0; i < n; i++)
			bs[i]->to_residual = true;
		return 0;
	}
	ret->kind = C_TREE;
	ret->label = bpf_asm_label(&b->a);
	return nr_cells(bs, n, &ret->nr, &ret->n_nr);
}

static int
plan(struct builder *b)
{
	size_t nb = 0, n = b->r.n_boxes;
	_cleanup_free_ uint32_t *bounds = calloc(2 * n + 1, sizeof(*bounds));
	_cleanup_free_ struct bpf_box **bs = calloc(n + 1, sizeof(*bs));
	int r;

	b->archs = calloc(2 * n + 1, sizeof(*b->archs));
	if (!bounds || !bs || !b->archs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		bounds[nb++] = b->r.boxes[i].alo;
		if (b->r.boxes[i].ahi != UINT32_MAX)
			bounds[nb++] = b->r.boxes[i].ahi + 1;
	}
	qsort(bounds, nb, sizeof(*bounds), u32_cmp);
	for (size_t i = 0; i < nb; i++) {
		if (i && bounds[i] == bounds[i - 1])
			continue;
		size_t j = i + 1;
		while (j < nb && bounds[j] == bounds[i])
			j++;
		struct cell c;
		r = arch_cell(b, bounds[i], j < nb ? bounds[j] - 1 : UINT32_MAX, bs, &c);
		if (r < 0)
			return r;
		append_cell(b->archs, &b->n_archs, &c);
	}
	return 0;
}

/* ---- emitting ---- */
/* ld [arch]; then a JEQ chain over the arch values with their own outcome when every
 * other arch value shares one (the usual case: kill for an arch not in the filter),
 * else a search over all arch ranges. */
static void
emit_arch_dispatch(struct builder *b)
{
	const struct cell *rest = NULL;
	bool chain = true;

	bpf_asm_insn(&b->a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	for (size_t i = 0; i < b->n_archs; i++) {
		const struct cell *c = &b->archs[i];
		if (c->lo == c->hi)
			continue;
		if (!rest)
			rest = c;
		else if (!same_outcome(rest, c))
			chain = false;
	}
	if (!chain || !rest) {
		emit_search(b, b->archs, b->n_archs);
		return;
	}
	/* Highest arch value first: AUDIT_ARCH values of 64-bit arches carry bit 31
	 * (__AUDIT_ARCH_64BIT), and a 64-bit process mostly makes 64-bit calls. */
	size_t n = 0, k = 0, next = SIZE_MAX;
	for (size_t i = 0; i < b->n_archs; i++)
		n += b->archs[i].lo == b->archs[i].hi && !same_outcome(&b->archs[i], rest);
	if (!n)
		bpf_asm_insn(&b->a, BPF_JMP | BPF_JA, 0, leaf_label(b, rest), 0);
	for (size_t i = b->n_archs; i-- > 0;) {
		const struct cell *c = &b->archs[i];
		if (c->lo == c->hi && !same_outcome(c, rest))
			jeq_link(b, &next, c->lo, leaf_label(b, c), ++k == n, leaf_label(b, rest));
	}
}

static void
emit_nr_sections(struct builder *b)
{
	for (size_t i = 0; i < b->n_archs; i++) {
		const struct cell *c = &b->archs[i];
		if (c->kind != C_TREE)
			continue;
		bpf_asm_bind(&b->a, c->label);
		bpf_asm_insn(&b->a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0,
			     0);
		emit_search(b, c->nr, c->n_nr);
		emit_rets(b);
	}
}

/* Where control really goes from instruction pc on the residual paths: through
 * BPF_JA, and through conditional jumps only one of whose branches is ever taken. */
static size_t
resolve(const struct bpf_range *r, size_t pc)
{
	for (;;) {
		const struct sock_filter *in = &r->prog[pc];
		uint8_t s = r->seen[pc];

		if (in->code == (BPF_JMP | BPF_JA))
			pc += 1 + in->k;
		else if (BPF_CLASS(in->code) == BPF_JMP && !(s & BPF_SEEN_JF))
			pc += 1 + in->jt;
		else if (BPF_CLASS(in->code) == BPF_JMP && !(s & BPF_SEEN_JT))
			pc += 1 + in->jf;
		else
			return pc;
	}
}

/* The original program cut down to the instructions and branches the residual paths
 * use. They were followed from A = X = 0; the dispatch leaves the nr in A, so the
 * residual starts by clearing it (X is never written before). */
static int
emit_residual(struct builder *b)
{
	const struct bpf_range *r = &b->r;
	_cleanup_free_ size_t *labels = calloc(r->n, sizeof(*labels));
	size_t fall = resolve(r, 0);

	if (!labels)
		return -ENOMEM;
	for (size_t pc = 0; pc < r->n; pc++)
		labels[pc] = bpf_asm_label(&b->a);
	bpf_asm_bind(&b->a, b->residual);
	bpf_asm_insn(&b->a, BPF_LD | BPF_IMM, 0, 0, 0);
	for (size_t pc = 0; pc < r->n; pc++) {
		const struct sock_filter *in = &r->prog[pc];

		if (!(r->seen[pc] & BPF_SEEN) || resolve(r, pc) != pc)
			continue;
		if (fall != SIZE_MAX && fall < pc)
			return -EIO;
		if (fall != SIZE_MAX && fall != pc)
			bpf_asm_insn(&b->a, BPF_JMP | BPF_JA, 0, labels[fall], 0);
		bpf_asm_bind(&b->a, labels[pc]);
		if (BPF_CLASS(in->code) == BPF_JMP) {
			bpf_asm_insn(&b->a, in->code, in->k, labels[resolve(r, pc + 1 + in->jt)],
				     labels[resolve(r, pc + 1 + in->jf)]);
			fall = SIZE_MAX;
			continue;
		}
		bpf_asm_insn(&b->a, in->code, in->k, 0, 0);
		fall = BPF_CLASS(in->code) == BPF_RET ? SIZE_MAX : resolve(r, pc + 1);
	}
	return fall == SIZE_MAX ? 0 : -EIO;
}

/* ---- the check ---- */
static bool
agree(const struct sock_filter *p, size_t n, const struct sock_filter *q, size_t qn,
      uint32_t arch, uint32_t nr)
{
	static const uint64_t patterns[] = { 0, UINT64_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
		uint64_t args[6];
		for (size_t k = 0; k < 6; k++)
			args[k] = patterns[i];
		if (bpf_eval(p, n * sizeof(*p), (int)nr, arch, args) !=
		    bpf_eval(q, qn * sizeof(*q), (int)nr, arch, args))
			return false;
	}
	return true;
}

/* On every arch value the program tests (the ends of every arch range): each nr range
 * boundary, and for a single arch value also the first 1024 numbers of both x86-64
 * ABIs (native and x32, bit 30). */
static bool
check(const struct builder *b, const struct sock_filter *q, size_t qn)
{
	const struct bpf_range *r = &b->r;
	_cleanup_free_ uint32_t *as = calloc(2 * r->n_boxes + 1, sizeof(*as));
	size_t na = 0;

	if (!as)
		return false;
	for (size_t i = 0; i < r->n_boxes; i++) {
		as[na++] = r->boxes[i].alo;
		as[na++] = r->boxes[i].ahi;
	}
	qsort(as, na, sizeof(*as), u32_cmp);
	for (size_t k = 0; k < na; k++) {
		bool point = false;

		if (k && as[k] == as[k - 1])
			continue;
		for (size_t j = 0; j < r->n_boxes; j++) {
			const struct bpf_box *x = &r->boxes[j];
			if (x->alo > as[k] || as[k] > x->ahi)
				continue;
			point |= x->alo == x->ahi;
			if (!agree(r->prog, r->n, q, qn, as[k], x->nlo) ||
			    !agree(r->prog, r->n, q, qn, as[k], x->nhi))
				return false;
		}
		for (uint32_t nr = 0; point && nr < 1024; nr++)
			if (!agree(r->prog, r->n, q, qn, as[k], nr) ||
			    !agree(r->prog, r->n, q, qn, as[k], nr | 0x40000000u))
				return false;
	}
	return true;
}

int
bpf_optimize(const struct sock_filter *prog, size_t n, size_t max_len, struct sock_filter **ret,
	     size_t *ret_n)
{
	struct builder b __attribute__((cleanup(builder_done))) = { 0 };
	_cleanup_free_ struct sock_filter *q = NULL;
	bool residual = false;
	size_t qn = 0;
	int r;

	r = bpf_range_partition(&b.r, prog, n);
	if (r < 0)
		return r;
	b.residual = bpf_asm_label(&b.a);
	r = plan(&b);
	if (r < 0)
		return r;
	emit_arch_dispatch(&b);
	emit_rets(&b);
	emit_nr_sections(&b);
	for (size_t i = 0; i < b.r.n_boxes; i++)
		residual |= b.r.boxes[i].to_residual;
	if (residual) {
		r = bpf_range_residual(&b.r);
		if (r >= 0)
			r = emit_residual(&b);
		if (r < 0)
			return r;
	}
	r = bpf_asm_link(&b.a, max_len, &q, &qn);
	if (r < 0)
		return r;
	if (!check(&b, q, qn))
		return -EIO;
	*ret = TAKE_PTR(q);
	*ret_n = qn;
	return 0;
}
