/* Internal contracts between the files of libcontainer/seccomp/. Nothing outside the
 * module includes this: the public surface is seccomp.h. */
#ifndef STRAIT_SECCOMP_INTERNAL_H
#define STRAIT_SECCOMP_INTERNAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include "error.h"
#include "seccomp/seccomp.h"
#include "seccomp/sha256.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The kernel's limit on one filter (BPF_MAXINSNS) and its errno cap (MAX_ERRNO). */
#define SECCOMP_MAX_INSNS 4096
/* The kernel returns errnos up to 4095, but libseccomp 2.5 refuses 4095 itself. */
#define SECCOMP_MAX_ERRNO 4094
/* Bumped whenever compile.c, bpf.c or bpf-opt.c would produce different bytes for the
 * same input, so that cached programs of an older strait are not reused. */
#define SECCOMP_COMPILER_VERSION "strait-seccomp-compiler-3"

/* ---- compile.c ---- */
/* SECCOMP_FILTER_FLAG_* of a flag name; -EINVAL when unknown. */
int seccomp_flag_value(const char *name, unsigned int *ret);
/* The kernel flags for s: its flags plus NEW_LISTENER when an action is NOTIFY (and
 * TSYNC_ESRCH when that meets TSYNC). Errors name the field. */
int seccomp_spec_flags(const struct spec_seccomp *s, unsigned int *ret_flags, bool *ret_notify,
		       struct lc_err *err);
/* The fail_unknown error, naming every skipped name of p. */
int seccomp_unknown_error(const struct seccomp_prog *p, struct lc_err *err);
/* true (the default): compiled programs go through bpf_optimize(). Tests turn it off
 * to compare with libseccomp's own program; nothing else does. */
extern bool seccomp_compile_optimize;
/* The SECCOMP_RET_* value of an action with its errno (EPERM when has_errno is false). */
uint32_t seccomp_action_value(enum seccomp_action a, bool has_errno, unsigned int errno_ret);

/* ---- bpf.c ---- */
/* One range of syscall numbers of one seccomp_data.arch value: numbers in [lo, next
 * segment's lo) above max return ERRNO(ENOSYS). max == SKEW_PASS: never. */
#define SKEW_PASS UINT32_MAX
struct skew_seg {
	uint32_t audit_arch, lo, max;
};
/* Builds the version-skew prologue (see bpf.c) for segs, sorted here. *ret is NULL
 * with *ret_n == 0 when no segment asks for ENOSYS. */
int bpf_skew_prologue(struct skew_seg *segs, size_t n, struct sock_filter **ret, size_t *ret_n);

/* ---- observe.c: pieces the twins share (record-twin.c) ---- */
/* A NULL-terminated copy of v (n entries) without the entries skip() rejects (skip may
 * be NULL); *ret_n is the number kept. */
int strv_copy_filtered(char *const *v, size_t n, bool (*skip)(const char *), char ***ret,
		       size_t *ret_n);
/* Appends to t (whose rules array has room) a copy of rule r with action a, without the
 * names skip() rejects and without errnoRet. A rule left with no names is not added. */
int twin_add_rule(struct spec_seccomp *t, const struct spec_seccomp_rule *r,
		  enum seccomp_action a, bool (*skip)(const char *));
/* Copies base's architectures and flags (without those skip_flag rejects; NULL keeps
 * all) into t and allocates room for base's rules plus extra_rules. */
int twin_start(const struct spec_seccomp *base, struct spec_seccomp *t,
	       bool (*skip_flag)(const char *), size_t extra_rules);
/* SECCOMP_FILTER_FLAG_LOG, which a twin's NOTIFY makes redundant. */
bool is_log_flag(const char *flag);
static inline void
spec_seccomp_freep(struct spec_seccomp **s)
{
	seccomp_spec_free(*s);
}

/* ---- profile.c ---- */
/* Canonical bytes of s: an unambiguous, length-prefixed serialization of every field in
 * order, independent of how the JSON was written. Feeds the profile digest. */
int seccomp_canonical(const struct spec_seccomp *s, char **ret, size_t *ret_len);

/* ---- cache.c ---- */
/* The cache key of a profile on this host: sha256 over a fast hash of its canonical
 * bytes and their length, the libseccomp version, the kernel release, the native arch
 * and the compiler version (cache.c says why the fast hash is enough). */
int seccomp_cache_key(const char *canon, size_t len, uint8_t key[SHA256_DIGEST_SIZE]);
/* 0 with *ret and the profile's sha256 (stored when the entry was written) on a hit,
 * which needs the entry to hold exactly these canonical bytes; -ENOENT on a miss;
 * -EBADMSG when the entry is corrupt, truncated or holds another profile (err says
 * how); other -errno when it could not be read. */
int seccomp_cache_get(int dirfd, const uint8_t key[SHA256_DIGEST_SIZE], const char *canon,
		      size_t canon_len, struct seccomp_prog **ret,
		      uint8_t ret_digest[SHA256_DIGEST_SIZE], struct lc_err *err);
/* Stores p with the canonical bytes and their sha256 under key: a private O_EXCL temp
 * file, then rename(2), so that concurrent writers and readers only ever see complete
 * entries. */
int seccomp_cache_put(int dirfd, const uint8_t key[SHA256_DIGEST_SIZE], const char *canon,
		      size_t canon_len, const uint8_t digest[SHA256_DIGEST_SIZE],
		      const struct seccomp_prog *p, struct lc_err *err);

/* ---- load.c ---- */
/* 1 when the kernel knows the SECCOMP_RET_* action, 0 when not, -errno on failure. */
int seccomp_action_available(uint32_t action);
/* 0 when the kernel takes this exact flag set; else an error naming the flag. */
int seccomp_probe_flags(const struct spec_seccomp *s, unsigned int flags, struct lc_err *err);

#endif
