/* A user-space evaluator for compiled seccomp programs (classic BPF over struct
 * seccomp_data). The runtime uses it before clone to learn what the filter will do to
 * the few syscalls strait itself makes after loading it, and tests use it to check
 * compiled programs without loading them. */
#ifndef STRAIT_BPF_EVAL_H
#define STRAIT_BPF_EVAL_H

#include <stddef.h>
#include <stdint.h>

/* Runs prog (bpf_len bytes of struct sock_filter) on a syscall. Returns the filter's
 * 32-bit return value (SECCOMP_RET_ACTION_FULL | data), or SECCOMP_RET_KILL_PROCESS
 * for a malformed program (as the kernel would refuse it). */
uint32_t bpf_eval(const void *prog, size_t bpf_len, int nr, uint32_t arch,
		  const uint64_t args[6]);
/* The same, and *ret_tested gets a bit (1 << i) for each argument i the program read
 * on the way to its answer: the arguments its rules test for this call. */
uint32_t bpf_eval_tested(const void *prog, size_t bpf_len, int nr, uint32_t arch,
			 const uint64_t args[6], unsigned *ret_tested);

#endif
