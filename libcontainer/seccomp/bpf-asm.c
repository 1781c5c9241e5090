/* The assembler behind bpf-opt.c (see bpf-asm.h): label bookkeeping and the layout of
 * conditional jumps whose targets lie more than 255 instructions ahead. It knows
 * nothing about seccomp; what to emit is bpf-opt.c's. */
#include <errno.h>
#include <stdlib.h>
#include "macro.h"
#include "seccomp/bpf-asm.h"

size_t
bpf_asm_label(struct bpf_asm *a)
{
	if (!array_grow((void **)&a->labels, &a->cap_labels, a->n_labels + 1, sizeof(*a->labels))) {
		a->oom = true;
		return SIZE_MAX;
	}
	a->labels[a->n_labels] = SIZE_MAX;
	return a->n_labels++;
}

void
bpf_asm_bind(struct bpf_asm *a, size_t label)
{
	if (label < a->n_labels)
		a->labels[label] = a->n;
}

size_t
bpf_asm_insn(struct bpf_asm *a, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
	if (!array_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v))) {
		a->oom = true;
		return SIZE_MAX;
	}
	a->v[a->n] = (struct bpf_asm_insn){ code, k, jt, jf };
	return a->n++;
}

void
bpf_asm_done(struct bpf_asm *a)
{
	free(a->v);
	free(a->labels);
	*a = (struct bpf_asm){ 0 };
}

static bool
is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

/* The instruction index a label stands for, or SIZE_MAX unless it lies ahead of i. */
static size_t
target(const struct bpf_asm *a, size_t i, size_t label)
{
	if (label >= a->n_labels || a->labels[label] >= a->n || a->labels[label] <= i)
		return SIZE_MAX;
	return a->labels[label];
}

/* Layout: pos[i] is where instruction i lands; tramp[i] bit 0 (jt) and bit 1 (jf) say
 * which of its targets go through a trampoline (a BPF_JA right after it, jt's first).
 * A trampoline only ever lengthens other jumps, so inserting them until none is
 * missing terminates. */
static int
layout(const struct bpf_asm *a, size_t *pos, uint8_t *tramp, size_t *ret_len)
{
	bool changed = true;
	size_t p = 0;

	for (size_t i = 0; i < a->n; i++) {
		if (!is_cond_jump(a->v[i].code) && BPF_CLASS(a->v[i].code) != BPF_JMP)
			continue;
		if (target(a, i, a->v[i].jt) == SIZE_MAX ||
		    (is_cond_jump(a->v[i].code) && target(a, i, a->v[i].jf) == SIZE_MAX))
			return -EINVAL;
	}
	while (changed) {
		changed = false;
		p = 0;
		for (size_t i = 0; i < a->n; i++) {
			pos[i] = p;
			p += 1 + (tramp[i] & 1) + (tramp[i] >> 1);
		}
		for (size_t i = 0; i < a->n; i++) {
			if (!is_cond_jump(a->v[i].code))
				continue;
			if (!(tramp[i] & 1) && pos[target(a, i, a->v[i].jt)] - pos[i] - 1 > 255)
				tramp[i] |= 1, changed = true;
			if (!(tramp[i] & 2) && pos[target(a, i, a->v[i].jf)] - pos[i] - 1 > 255)
				tramp[i] |= 2, changed = true;
		}
	}
	*ret_len = p;
	return 0;
}

int
bpf_asm_link(const struct bpf_asm *a, size_t max_len, struct sock_filter **ret, size_t *ret_n)
{
	_cleanup_free_ size_t *pos = calloc(a->n + 1, sizeof(*pos));
	_cleanup_free_ uint8_t *tramp = calloc(a->n + 1, 1);
	_cleanup_free_ struct sock_filter *f = NULL;
	size_t len = 0, o = 0;
	int r;

	if (a->oom || !pos || !tramp)
		return -ENOMEM;
	r = layout(a, pos, tramp, &len);
	if (r < 0)
		return r;
	if (len > max_len)
		return -E2BIG;
	f = calloc(len ? len : 1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		const struct bpf_asm_insn *in = &a->v[i];
		struct sock_filter *x = &f[o++];

		*x = (struct sock_filter){ .code = in->code, .k = in->k };
		if (BPF_CLASS(in->code) != BPF_JMP)
			continue;
		size_t t = pos[target(a, i, in->jt)];
		if (!is_cond_jump(in->code)) {
			x->k = (uint32_t)(t - pos[i] - 1);
			continue;
		}
		size_t e = pos[target(a, i, in->jf)];
		/* [jump] [ja -> jt]? [ja -> jf]? */
		x->jt = (tramp[i] & 1) ? 0 : (uint8_t)(t - pos[i] - 1);
		x->jf = (tramp[i] & 2) ? (uint8_t)(tramp[i] & 1) : (uint8_t)(e - pos[i] - 1);
		if (tramp[i] & 1) {
			f[o] = (struct sock_filter){ .code = BPF_JMP | BPF_JA,
						     .k = (uint32_t)(t - o - 1) };
			o++;
		}
		if (tramp[i] & 2) {
			f[o] = (struct sock_filter){ .code = BPF_JMP | BPF_JA,
						     .k = (uint32_t)(e - o - 1) };
			o++;
		}
	}
	*ret = TAKE_PTR(f);
	*ret_n = len;
	return 0;
}
