/* Abstract interpretation of seccomp programs over (arch, nr) intervals: the partition
 * into boxes with fixed outcomes, and the paths the argument-dependent boxes take (see
 * bpf-range.h). What to build from them is bpf-opt.c's. Programs only jump forward, so
 * every path ends; the work is still bounded (STEP_LIMIT), because a JEQ on a wide
 * interval splits it in two and each half runs on. */
#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "macro.h"
#include "seccomp/bpf-range.h"

#define STEP_LIMIT (1u << 22)
#define BOX_LIMIT (1u << 16)

enum { V_CONST, V_NR, V_ARCH, V_UNK };

struct aval {
	uint32_t kind, k;
};

/* Only uint32_t members: no padding, so states compare and hash as bytes. */
struct astate {
	uint32_t pc, alo, ahi, nlo, nhi;
	struct aval a, x, mem[BPF_MEMWORDS];
};

struct stack {
	struct astate *v;
	size_t n, cap;
};

/* The states the residual paths have reached (open addressing). */
struct memo {
	struct astate *v;
	uint8_t *used;
	size_t n, cap;
};

static int
push(struct stack *s, const struct astate *st)
{
	if (!array_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v)))
		return -ENOMEM;
	s->v[s->n++] = *st;
	return 0;
}

static uint64_t
state_hash(const struct astate *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < sizeof(*s); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static int memo_add(struct memo *m, const struct astate *s);

static int
memo_grow(struct memo *m)
{
	struct memo g = { .cap = m->cap ? m->cap * 2 : 256 };

	g.v = malloc(g.cap * sizeof(*g.v));
	g.used = calloc(g.cap, 1);
	if (!g.v || !g.used) {
		free(g.v);
		free(g.used);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->used[i])
			memo_add(&g, &m->v[i]);
	free(m->v);
	free(m->used);
	*m = g;
	return 0;
}

/* 1 when s is new, 0 when it was reached before. */
static int
memo_add(struct memo *m, const struct astate *s)
{
	if (2 * (m->n + 1) > m->cap && memo_grow(m) < 0)
		return -ENOMEM;
	for (size_t i = state_hash(s) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->used[i]) {
			m->used[i] = 1;
			m->v[i] = *s;
			m->n++;
			return 1;
		}
		if (memcmp(&m->v[i], s, sizeof(*s)) == 0)
			return 0;
	}
}

static bool
concrete(const struct astate *s, struct aval v, uint32_t *k)
{
	switch (v.kind) {
	case V_CONST:
		*k = v.k;
		return true;
	case V_NR:
		*k = s->nlo;
		return s->nlo == s->nhi;
	case V_ARCH:
		*k = s->alo;
		return s->alo == s->ahi;
	}
	return false;
}

static struct aval
cval(uint32_t k)
{
	return (struct aval){ V_CONST, k };
}

static const struct aval unknown = { V_UNK, 0 };

static int
alu(struct astate *s, const struct sock_filter *in)
{
	uint32_t a, v = in->k;
	bool known = concrete(s, s->a, &a) &&
		     (BPF_SRC(in->code) == BPF_K || concrete(s, s->x, &v));

	if (BPF_OP(in->code) == BPF_NEG) {
		s->a = concrete(s, s->a, &a) ? cval(-a) : unknown;
		return 0;
	}
	if (!known) {
		s->a = unknown;
		return 0;
	}
	switch (BPF_OP(in->code)) {
	case BPF_ADD: a += v; break;
	case BPF_SUB: a -= v; break;
	case BPF_MUL: a *= v; break;
	case BPF_DIV: if (!v) return -EINVAL; a /= v; break;
	case BPF_AND: a &= v; break;
	case BPF_OR: a |= v; break;
	case BPF_XOR: a ^= v; break;
	case BPF_LSH: a = v < 32 ? a << v : 0; break;
	case BPF_RSH: a = v < 32 ? a >> v : 0; break;
	default: return -EINVAL;
	}
	s->a = cval(a);
	return 0;
}

/* Loads and stores; -EINVAL for what a seccomp filter may not contain. */
static int
load_store(struct astate *s, const struct sock_filter *in)
{
	switch (in->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		if (in->k & 3 || in->k >= sizeof(struct seccomp_data))
			return -EINVAL;
		s->a = in->k == offsetof(struct seccomp_data, nr)     ? (struct aval){ V_NR, 0 }
		       : in->k == offsetof(struct seccomp_data, arch) ? (struct aval){ V_ARCH, 0 }
								      : unknown;
		return 0;
	case BPF_LD | BPF_W | BPF_LEN:
		s->a = cval(sizeof(struct seccomp_data));
		return 0;
	case BPF_LDX | BPF_W | BPF_LEN:
		s->x = cval(sizeof(struct seccomp_data));
		return 0;
	case BPF_LD | BPF_IMM:
		s->a = cval(in->k);
		return 0;
	case BPF_LDX | BPF_IMM:
		s->x = cval(in->k);
		return 0;
	case BPF_MISC | BPF_TAX:
		s->x = s->a;
		return 0;
	case BPF_MISC | BPF_TXA:
		s->a = s->x;
		return 0;
	}
	if (in->k >= BPF_MEMWORDS)
		return -EINVAL;
	switch (in->code) {
	case BPF_LD | BPF_MEM: s->a = s->mem[in->k]; return 0;
	case BPF_LDX | BPF_MEM: s->x = s->mem[in->k]; return 0;
	case BPF_ST: s->mem[in->k] = s->a; return 0;
	case BPF_STX: s->mem[in->k] = s->x; return 0;
	}
	return -EINVAL;
}

enum branch { B_TRUE, B_FALSE, B_SPLIT, B_UNKNOWN };

/* How the conditional jump at s->pc goes. For B_SPLIT, out[0] is the true part (when
 * *n_out > 0 it is first and out_true[i] says which) and the parts of the interval
 * the jump compares are written to out[0 .. *n_out). */
static int
branch(const struct astate *s, const struct sock_filter *in, struct astate out[3],
       bool out_true[3], size_t *n_out, enum branch *ret)
{
	uint16_t op = BPF_OP(in->code);
	uint32_t a, v = in->k, lo, hi, tlo, thi;

	if (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET)
		return -EINVAL;
	if (BPF_SRC(in->code) == BPF_X && !concrete(s, s->x, &v)) {
		*ret = B_UNKNOWN;
		return 0;
	}
	if (concrete(s, s->a, &a)) {
		bool t = op == BPF_JEQ ? a == v : op == BPF_JGT ? a > v : op == BPF_JGE ? a >= v
											: (a & v) != 0;
		*ret = t ? B_TRUE : B_FALSE;
		return 0;
	}
	if ((s->a.kind != V_NR && s->a.kind != V_ARCH) || op == BPF_JSET) {
		*ret = B_UNKNOWN;
		return 0;
	}
	if (op == BPF_JGT && v == UINT32_MAX) {
		*ret = B_FALSE;
		return 0;
	}
	lo = s->a.kind == V_NR ? s->nlo : s->alo;
	hi = s->a.kind == V_NR ? s->nhi : s->ahi;
	tlo = op == BPF_JGT ? v + 1 : v;
	thi = op == BPF_JEQ ? v : UINT32_MAX;
	uint32_t parts[3][2];
	bool truth[3];
	size_t n = 0;
	if (tlo <= hi && thi >= lo)
		parts[n][0] = tlo > lo ? tlo : lo, parts[n][1] = thi < hi ? thi : hi,
		truth[n++] = true;
	if (tlo > lo)
		parts[n][0] = lo, parts[n][1] = tlo - 1 < hi ? tlo - 1 : hi, truth[n++] = false;
	if (thi < hi)
		parts[n][0] = thi + 1 > lo ? thi + 1 : lo, parts[n][1] = hi, truth[n++] = false;
	for (size_t i = 0; i < n; i++) {
		out[i] = *s;
		out_true[i] = truth[i];
		out[i].pc = s->pc + 1 + (truth[i] ? in->jt : in->jf);
		if (s->a.kind == V_NR)
			out[i].nlo = parts[i][0], out[i].nhi = parts[i][1];
		else
			out[i].alo = parts[i][0], out[i].ahi = parts[i][1];
	}
	*n_out = n;
	*ret = B_SPLIT;
	return 0;
}

static int
add_box(struct bpf_range *r, const struct astate *s, bool fixed, uint32_t ret)
{
	if (r->n_boxes == BOX_LIMIT)
		return -E2BIG;
	if (!array_grow((void **)&r->boxes, &r->cap_boxes, r->n_boxes + 1, sizeof(*r->boxes)))
		return -ENOMEM;
	r->boxes[r->n_boxes++] = (struct bpf_box){ s->alo, s->ahi, s->nlo, s->nhi, ret, fixed,
						   false };
	return 0;
}

/* Pushes a successor; on the residual walk only states not reached before. */
static int
follow(struct bpf_range *r, struct stack *st, struct memo *m, const struct astate *s)
{
	int k;

	if (s->pc >= r->n)
		return -EINVAL;
	if (!m)
		return push(st, s);
	k = memo_add(m, s);
	return k < 0 ? k : k ? push(st, s) : 0;
}

/* Runs one path from s to its end or to its next split (successors pushed). With m
 * (the residual walk) jumps on unknown data take both branches and r->seen is filled;
 * without it (the partition), such a path ends in a box without a fixed outcome. */
static int
step_path(struct bpf_range *r, struct astate s, struct stack *st, struct memo *m)
{
	for (;;) {
		const struct sock_filter *in;
		struct astate out[3];
		bool out_true[3];
		size_t n_out = 0;
		enum branch b;
		uint32_t k;
		int rc;

		if (s.pc >= r->n)
			return -EINVAL;
		if (++r->steps > STEP_LIMIT)
			return -E2BIG;
		in = &r->prog[s.pc];
		if (m)
			r->seen[s.pc] |= BPF_SEEN;
		switch (BPF_CLASS(in->code)) {
		case BPF_RET:
			if (m)
				return 0;
			if (in->code == (BPF_RET | BPF_K))
				return add_box(r, &s, true, in->k);
			if (in->code == (BPF_RET | BPF_A))
				return concrete(&s, s.a, &k) ? add_box(r, &s, true, k)
							     : add_box(r, &s, false, 0);
			return -EINVAL;
		case BPF_ALU:
			rc = alu(&s, in);
			if (rc < 0)
				return rc;
			s.pc++;
			continue;
		case BPF_JMP:
			break;
		default:
			rc = load_store(&s, in);
			if (rc < 0)
				return rc;
			s.pc++;
			continue;
		}
		if (BPF_OP(in->code) == BPF_JA) {
			s.pc += 1 + in->k;
			continue;
		}
		rc = branch(&s, in, out, out_true, &n_out, &b);
		if (rc < 0)
			return rc;
		if (b == B_UNKNOWN && !m)
			return add_box(r, &s, false, 0);
		if (b == B_UNKNOWN) {
			out[0] = s, out[0].pc = s.pc + 1 + in->jt, out_true[0] = true;
			out[1] = s, out[1].pc = s.pc + 1 + in->jf, out_true[1] = false;
			n_out = 2;
		}
		if (b == B_TRUE || b == B_FALSE) {
			if (m)
				r->seen[s.pc] |= b == B_TRUE ? BPF_SEEN_JT : BPF_SEEN_JF;
			s.pc += 1 + (b == B_TRUE ? in->jt : in->jf);
			continue;
		}
		for (size_t i = 0; i < n_out; i++) {
			if (m)
				r->seen[s.pc] |= out_true[i] ? BPF_SEEN_JT : BPF_SEEN_JF;
			rc = follow(r, st, m, &out[i]);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
}

static int
walk(struct bpf_range *r, const struct astate *start, struct memo *m)
{
	struct stack st = { 0 };
	int rc = push(&st, start);

	while (rc >= 0 && st.n > 0) {
		struct astate s = st.v[--st.n];
		rc = step_path(r, s, &st, m);
	}
	free(st.v);
	return rc;
}

static struct astate
start_state(uint32_t alo, uint32_t ahi, uint32_t nlo, uint32_t nhi)
{
	struct astate s;

	memset(&s, 0, sizeof(s));
	s.alo = alo, s.ahi = ahi, s.nlo = nlo, s.nhi = nhi;
	s.a = s.x = cval(0);
	for (size_t i = 0; i < BPF_MEMWORDS; i++)
		s.mem[i] = unknown;
	return s;
}

int
bpf_range_partition(struct bpf_range *r, const struct sock_filter *prog, size_t n)
{
	struct astate s = start_state(0, UINT32_MAX, 0, UINT32_MAX);

	*r = (struct bpf_range){ .prog = prog, .n = n };
	if (!n)
		return -EINVAL;
	return walk(r, &s, NULL);
}

int
bpf_range_residual(struct bpf_range *r)
{
	struct memo m = { 0 };
	int rc = 0;

	r->seen = calloc(r->n, 1);
	if (!r->seen)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_boxes && rc >= 0; i++) {
		const struct bpf_box *b = &r->boxes[i];
		struct astate s;

		if (!b->to_residual)
			continue;
		s = start_state(b->alo, b->ahi, b->nlo, b->nhi);
		rc = memo_add(&m, &s);
		if (rc > 0)
			rc = walk(r, &s, &m);
	}
	free(m.v);
	free(m.used);
	return rc < 0 ? rc : 0;
}

void
bpf_range_done(struct bpf_range *r)
{
	free(r->boxes);
	free(r->seen);
	r->boxes = NULL;
	r->seen = NULL;
}
