/* Abstract interpretation of a classic-BPF seccomp program over intervals of
 * seccomp_data.arch and seccomp_data.nr (bpf-range.c), for the optimizer (bpf-opt.c).
 * Values are constants, "the arch", "the nr" or unknown; a jump that compares the arch
 * or the nr with a constant splits the interval, so following every path partitions
 * the (arch, nr) plane into boxes, each with one fixed outcome or none (the path reads
 * the arguments or the instruction pointer). */
#ifndef STRAIT_BPF_RANGE_H
#define STRAIT_BPF_RANGE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One box of the partition: arch in [alo, ahi], nr in [nlo, nhi]. */
struct bpf_box {
	uint32_t alo, ahi, nlo, nhi;
	uint32_t ret;	    /* the program's return value, when fixed */
	bool fixed;	    /* false: the outcome depends on the arguments */
	bool to_residual;   /* set by the caller: inputs of this box run the residual */
};

/* Per instruction of the program: what the residual paths use. */
#define BPF_SEEN 1u	/* reached */
#define BPF_SEEN_JT 2u	/* a conditional jump's true branch was taken */
#define BPF_SEEN_JF 4u	/* its false branch was taken */

struct bpf_range {
	const struct sock_filter *prog;
	size_t n;
	struct bpf_box *boxes;
	size_t n_boxes, cap_boxes;
	uint8_t *seen; /* n entries, filled by bpf_range_residual() */
	size_t steps;  /* instructions interpreted, bounded */
};

/* Partitions the plane: fills r->boxes. -EINVAL for an instruction or jump the kernel
 * would refuse in a seccomp filter, -E2BIG over the work bound, -ENOMEM. */
int bpf_range_partition(struct bpf_range *r, const struct sock_filter *prog, size_t n);
/* Follows every path of the boxes marked to_residual, taking both branches of a jump
 * on unknown data, and records in r->seen which instructions and branches they use.
 * Starts with A = X = 0, as the kernel does. */
int bpf_range_residual(struct bpf_range *r);
void bpf_range_done(struct bpf_range *r);

#endif
