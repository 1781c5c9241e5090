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
	void *bpf;          /* struct sock_filter[], the ENOSYS prologue included */
	size_t bpf_len;     /* bytes (a multiple of 8) */
	unsigned int flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2), NEW_LISTENER included */
	bool needs_notify;  /* a NOTIFY action: load returns a listener fd */
	char sha256[65];    /* hex sha256 of the canonical profile (every field counts) */
	size_t n_rules;     /* libseccomp rules added (a syscall with one condition set) */
	char **unknown;     /* syscall names skipped (NULL-terminated), NULL when none */
	bool cache_hit;
};

/* Runtime process, before clone: compiles s, or takes it from the cache under
 * cache_dir (created 0700 if missing; NULL disables caching). Probes the kernel for
 * every flag and action the profile uses: an unsupported one is an error naming it.
 * Unknown syscall names are skipped and listed in (*ret)->unknown; nothing is printed:
 * the caller logs ONE warning from seccomp_unknown_list(). With fail_unknown they are
 * an error naming them all. Errors start with the field ("linux.seccomp.syscalls[2]:
 * ..."); the caller prefixes the source ("config.json: "). */
int seccomp_prepare(const struct spec_seccomp *s, const char *cache_dir, bool fail_unknown,
		    struct seccomp_prog **ret, struct lc_err *err);
/* The compiler behind seccomp_prepare, without cache and without kernel probes. */
int seccomp_compile(const struct spec_seccomp *s, bool fail_unknown, struct seccomp_prog **ret,
		    struct lc_err *err);
void seccomp_prog_free(struct seccomp_prog *p);
static inline void
seccomp_prog_freep(struct seccomp_prog **p)
{
	seccomp_prog_free(*p);
}
#define _cleanup_seccomp_prog_ _cleanup_(seccomp_prog_freep)

/* "a, b, c" (malloc'd) of the skipped names, or NULL when there are none. */
char *seccomp_unknown_list(const struct seccomp_prog *p);

/* (Not seccomp_load: libseccomp exports that name.)
 * Container process, last step before execve: seccomp(SECCOMP_SET_MODE_FILTER) with
 * the ready bytes, no libseccomp call. no_new_privs is the caller's business (without
 * it the process needs CAP_SYS_ADMIN). Returns 0; *ret_notify_fd is the listener fd
 * (O_CLOEXEC) when p->needs_notify, else -1. Errors name the cause. */
int seccomp_prog_load(const struct seccomp_prog *p, int *ret_notify_fd, struct lc_err *err);

/* A startContainer hook's child, last step before its execve: the same program with
 * the same flags, but without a listener of its own (nobody would serve it): NOTIFY
 * outcomes become LOG in observe mode (the twin blocks nothing; what it would have
 * blocked goes to the kernel audit log, as hook evidence, not into the workload's) and
 * ERRNO(ENOSYS) otherwise, which is what the kernel answers without a listener. */
int seccomp_prog_load_hook(const struct seccomp_prog *p, bool observe, struct lc_err *err);

/* Runs the filter in user space (a classic-BPF interpreter) for one syscall, as the
 * kernel would: returns the SECCOMP_RET_* value. arch is an AUDIT_ARCH_* value
 * (0: the native one); args may be NULL (all zero). For tests and for checking, before
 * the load, that the runtime's own last syscalls are not denied. */
uint32_t seccomp_prog_eval(const struct seccomp_prog *p, uint32_t arch, int nr,
			   const uint64_t *args);
/* The same, with the arguments the program read (bit i for argument i) in *ret_tested. */
uint32_t seccomp_prog_eval_tested(const struct seccomp_prog *p, uint32_t arch, int nr,
				  const uint64_t *args, unsigned *ret_tested);
/* 0 when the filter lets the native syscall name through (ALLOW, LOG, or NOTIFY which
 * the listener decides), else -EPERM with "the seccomp profile denies <name> (<what it
 * does instead>)"; the caller says why it matters. */
int seccomp_prog_check_syscall(const struct seccomp_prog *p, const char *name,
			       const uint64_t *args, struct lc_err *err);

/* ---- kernel and library facts, for `strait features` and the governance record ---- */
/* 1 when this kernel accepts the filter flag ("SECCOMP_FILTER_FLAG_LOG"), 0 when not,
 * -EINVAL for a name strait does not know, other -errno when probing failed. The
 * probe is seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL): EFAULT means the flag passed
 * the kernel's flag check, EINVAL that it did not. Results are cached per process. */
int seccomp_flag_supported(const char *name);
/* NULL-terminated static lists of the OCI names strait (and this libseccomp) handles. */
const char *const *seccomp_known_actions(void);
const char *const *seccomp_known_operators(void);
const char *const *seccomp_known_archs(void);
const char *const *seccomp_known_flags(void);
const char *seccomp_libseccomp_version(void); /* "2.5.4", of the library in use */
const char *seccomp_native_arch_name(void);   /* "SCMP_ARCH_X86_64" */

/* ---- the built-in RuntimeDefault profile (default-profile.c) ---- */
#define SECCOMP_DEFAULT_PROFILE_VERSION "strait-runtime-default-1"
/* A freshly allocated typed profile (free with seccomp_spec_free). Its architectures
 * are the native arch and its compat arches (x86_64: x86_64, x86, x32). */
int seccomp_default_profile(struct spec_seccomp **ret);
/* The same profile as OCI linux.seccomp JSON text (malloc'd, pretty). */
int seccomp_default_profile_json(char **ret_json);
/* Any typed profile as OCI linux.seccomp JSON (malloc'd). */
int seccomp_spec_to_json(const struct spec_seccomp *s, bool pretty, char **ret_json);
/* Frees a profile allocated by this module (not one owned by a struct lc_spec). */
void seccomp_spec_free(struct spec_seccomp *s);

#endif
