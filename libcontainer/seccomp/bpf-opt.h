/* The seccomp program optimizer: rewrites a finished classic-BPF seccomp program (the
 * skew prologue plus libseccomp's code) into an equivalent one that dispatches on
 * ranges of syscall numbers. The kernel's cost of installing a filter (conversion to
 * eBPF and JIT, both linear in the program's length) is most of the cost of a cached
 * filter on `run`; see docs/performance-seccomp.md. */
#ifndef STRAIT_BPF_OPT_H
#define STRAIT_BPF_OPT_H

#include <linux/filter.h>
#include <stddef.h>

/* Computes, by abstract interpretation of prog over (arch, nr) intervals, every
 * outcome that does not depend on the syscall arguments, and emits:
 *
 *   ld [arch]; a dispatch on the arch values prog tests
 *   per arch: ld [nr]; a balanced search over the nr ranges with one outcome each
 *   the residual: prog reduced to the paths the argument-dependent ranges can take
 *
 * The result is checked against prog with bpf_eval() on every range boundary before
 * it is returned. Returns 0 with *ret (caller frees) and *ret_n; -E2BIG when the
 * result would be longer than max_len, or prog is too complex to analyse in bounds;
 * -EINVAL for a program the kernel would refuse; -EIO when the check failed (a bug:
 * the caller must keep prog); -ENOMEM. */
int bpf_optimize(const struct sock_filter *prog, size_t n, size_t max_len,
		 struct sock_filter **ret, size_t *ret_n);

#endif
