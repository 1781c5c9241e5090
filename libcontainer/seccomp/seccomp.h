/* seccomp: compile (runtime, before clone), cache (under the state root), load
 * (container process, the last step before execve). compile.c turns struct
 * spec_seccomp into BPF bytes via libseccomp; cache.c stores them keyed by a hash of
 * the canonical profile + libseccomp version + kernel release + arch; load.c installs
 * ready bytes with seccomp(2) and nothing else. */
#ifndef STRAIT_SECCOMP_H
#define STRAIT_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "spec.h"

struct seccomp_prog {
	void *bpf;          /* struct sock_filter[] */
	size_t bpf_len;     /* bytes */
	unsigned int flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
	bool needs_notify;  /* a NOTIFY rule: load returns a listener fd */
	char sha256[65];    /* of the canonical profile */
	size_t n_rules;
	char **unknown;     /* syscall names skipped (NULL-terminated), may be NULL */
	bool cache_hit;
};

/* Runtime process, before clone: compiles s (or loads it from the cache under
 * cache_dir, which may be NULL to disable caching). Unknown syscall names are skipped
 * with one warning listing them all unless fail_unknown. */
int seccomp_prepare(const struct spec_seccomp *s, const char *cache_dir, bool fail_unknown,
		    struct seccomp_prog **ret, struct lc_err *err);
void seccomp_prog_free(struct seccomp_prog *p);

/* Container process, last step before execve. Returns the notify fd (>= 0) when the
 * filter has NOTIFY rules, else 0 ... (-errno on failure, with the syscall named). */
int seccomp_load(const struct seccomp_prog *p, int *ret_notify_fd, struct lc_err *err);

#endif
