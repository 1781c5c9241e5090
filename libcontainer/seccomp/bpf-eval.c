/* Classic BPF interpreter for seccomp programs (bpf-eval.h). Only the instructions the
 * kernel accepts in a seccomp filter are implemented; anything else is malformed. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include "seccomp/bpf-eval.h"

static int
load_word(const struct seccomp_data *d, uint32_t off, uint32_t *ret, unsigned *tested)
{
	const uint32_t args_at = offsetof(struct seccomp_data, args);

	/* The kernel only allows aligned 32-bit loads inside struct seccomp_data. */
	if (off & 3 || off + 4 > sizeof(*d))
		return -1;
	memcpy(ret, (const char *)d + off, 4);
	if (off >= args_at)
		*tested |= 1u << ((off - args_at) / 8);
	return 0;
}

static int
alu(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: *a += v; break;
	case BPF_SUB: *a -= v; break;
	case BPF_MUL: *a *= v; break;
	case BPF_DIV: if (!v) return -1; *a /= v; break;
	case BPF_MOD: if (!v) return -1; *a %= v; break;
	case BPF_AND: *a &= v; break;
	case BPF_OR: *a |= v; break;
	case BPF_XOR: *a ^= v; break;
	case BPF_LSH: *a = v < 32 ? *a << v : 0; break;
	case BPF_RSH: *a = v < 32 ? *a >> v : 0; break;
	case BPF_NEG: *a = -*a; break;
	default: return -1;
	}
	return 0;
}

static int
jump_taken(uint16_t op, uint32_t a, uint32_t v, int *ret)
{
	switch (op) {
	case BPF_JEQ: *ret = a == v; break;
	case BPF_JGT: *ret = a > v; break;
	case BPF_JGE: *ret = a >= v; break;
	case BPF_JSET: *ret = (a & v) != 0; break;
	default: return -1;
	}
	return 0;
}

uint32_t
bpf_eval(const void *prog, size_t bpf_len, int nr, uint32_t arch, const uint64_t args[6])
{
	unsigned tested;

	return bpf_eval_tested(prog, bpf_len, nr, arch, args, &tested);
}

uint32_t
bpf_eval_tested(const void *prog, size_t bpf_len, int nr, uint32_t arch, const uint64_t args[6],
		unsigned *ret_tested)
{
	const struct sock_filter *f = prog;
	size_t n = bpf_len / sizeof(*f);
	struct seccomp_data d = { .nr = nr, .arch = arch };
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	*ret_tested = 0;
	for (int i = 0; i < 6; i++)
		d.args[i] = args ? args[i] : 0;
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *in = &f[pc];
		uint16_t cls = BPF_CLASS(in->code);
		uint32_t v;
		int taken;

		switch (cls) {
		case BPF_LD:
			if (in->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (load_word(&d, in->k, &a, ret_tested) < 0)
					return SECCOMP_RET_KILL_PROCESS;
			} else if (in->code == (BPF_LD | BPF_IMM)) {
				a = in->k;
			} else if (in->code == (BPF_LD | BPF_MEM) && in->k < BPF_MEMWORDS) {
				a = mem[in->k];
			} else if (in->code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = sizeof(d);
			} else {
				return SECCOMP_RET_KILL_PROCESS;
			}
			break;
		case BPF_LDX:
			if (in->code == (BPF_LDX | BPF_IMM))
				x = in->k;
			else if (in->code == (BPF_LDX | BPF_MEM) && in->k < BPF_MEMWORDS)
				x = mem[in->k];
			else if (in->code == (BPF_LDX | BPF_W | BPF_LEN))
				x = sizeof(d);
			else
				return SECCOMP_RET_KILL_PROCESS;
			break;
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				return SECCOMP_RET_KILL_PROCESS;
			mem[in->k] = cls == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			v = BPF_SRC(in->code) == BPF_X ? x : in->k;
			if (alu(BPF_OP(in->code), &a, v) < 0)
				return SECCOMP_RET_KILL_PROCESS;
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				pc += in->k;
				break;
			}
			v = BPF_SRC(in->code) == BPF_X ? x : in->k;
			if (jump_taken(BPF_OP(in->code), a, v, &taken) < 0)
				return SECCOMP_RET_KILL_PROCESS;
			pc += taken ? in->jt : in->jf;
			break;
		case BPF_RET:
			if (BPF_RVAL(in->code) == BPF_K)
				return in->k;
			if (BPF_RVAL(in->code) == BPF_A)
				return a;
			return SECCOMP_RET_KILL_PROCESS;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return SECCOMP_RET_KILL_PROCESS;
		}
	}
	/* Falling off the end is invalid; the kernel's checker refuses such programs. */
	return SECCOMP_RET_KILL_PROCESS;
}
