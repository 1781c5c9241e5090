/* A small classic-BPF assembler for the seccomp optimizer (bpf-opt.c): instructions
 * are appended with symbolic jump targets (labels bound to later instructions), and
 * linking lays them out, inserting an unconditional-jump trampoline wherever a
 * conditional jump would reach further than its 8-bit offset allows. */
#ifndef STRAIT_BPF_ASM_H
#define STRAIT_BPF_ASM_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_asm_insn {
	uint16_t code;
	uint32_t k;
	size_t jt, jf; /* labels: conditional jumps use both, BPF_JA uses jt */
};

struct bpf_asm {
	struct bpf_asm_insn *v;
	size_t n, cap;
	size_t *labels; /* label -> instruction index, SIZE_MAX while unbound */
	size_t n_labels, cap_labels;
	bool oom;
};

/* A new, unbound label (SIZE_MAX when out of memory; linking then fails). */
size_t bpf_asm_label(struct bpf_asm *a);
/* Binds label to the next instruction appended. */
void bpf_asm_bind(struct bpf_asm *a, size_t label);
/* Appends an instruction; jt/jf are labels for jumps and ignored otherwise. Returns
 * its index. */
size_t bpf_asm_insn(struct bpf_asm *a, uint16_t code, uint32_t k, size_t jt, size_t jf);
/* Lays the program out into a new array (caller frees). Every jump must go forward to
 * a bound label. -ENOMEM, -EINVAL for a backward or unbound target, -E2BIG when the
 * result exceeds max_len instructions. */
int bpf_asm_link(const struct bpf_asm *a, size_t max_len, struct sock_filter **ret,
		 size_t *ret_n);
void bpf_asm_done(struct bpf_asm *a);

#endif
