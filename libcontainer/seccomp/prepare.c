/* seccomp_prepare: what the runtime does with a profile before the clone. It checks
 * the kernel supports every flag and action the profile uses, then takes the compiled
 * filter from the cache or compiles and stores it. A cache that cannot be used is a
 * warning, never a failure: the filter is then compiled for this start only. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "log.h"
#include "tables.h"
#include "seccomp/internal.h"

static int
probe_action(enum seccomp_action a, bool has, unsigned int e, const char *field,
	     unsigned int *seen, struct lc_err *err)
{
	struct utsname u;
	int r;

	if (*seen & (1u << a))
		return 0;
	*seen |= 1u << a;
	r = seccomp_action_available(seccomp_action_value(a, has, e));
	if (r < 0)
		return lc_err_set(err, r, "seccomp: probing the actions of this kernel");
	if (r == 0)
		return lc_err_setx(err, EOPNOTSUPP, "%s: %s is not supported by this kernel (%s)",
				   field, table_seccomp_action_name(a),
				   uname(&u) == 0 ? u.release : "unknown");
	return 0;
}

static int
probe_actions(const struct spec_seccomp *s, struct lc_err *err)
{
	unsigned int seen = 0;
	char field[64];
	int r;

	r = probe_action(s->default_action, s->has_default_errno_ret, s->default_errno_ret,
			 "linux.seccomp.defaultAction", &seen, err);
	for (size_t i = 0; i < s->n_rules && r >= 0; i++) {
		snprintf(field, sizeof(field), "linux.seccomp.syscalls[%zu].action", i);
		r = probe_action(s->rules[i].action, s->rules[i].has_errno_ret,
				 s->rules[i].errno_ret, field, &seen, err);
	}
	return r;
}

/* The cache directory, created 0700 (its parent, the state root, must exist). */
static int
open_cache_dir(const char *dir, struct lc_err *err)
{
	int fd;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return lc_err_set(err, errno, "creating %s", dir);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return lc_err_set(err, errno, "opening %s", dir);
	return fd;
}

/* Cache lookup. 0 with *ret and *digest on a hit, else 1 (compile); warnings are
 * logged here. */
static int
lookup(int dirfd, const char *dir, const uint8_t key[SHA256_DIGEST_SIZE], const char *canon,
       size_t len, struct seccomp_prog **ret, uint8_t digest[SHA256_DIGEST_SIZE])
{
	struct lc_err cerr = { 0 };
	int r = seccomp_cache_get(dirfd, key, canon, len, ret, digest, &cerr);

	if (r == 0)
		return 0;
	if (r == -EBADMSG)
		log_warn("seccomp cache %s: %s; rebuilding it", dir, cerr.msg);
	else if (r != -ENOENT)
		log_warn("seccomp cache %s: %s; compiling the filter instead", dir, cerr.msg);
	return 1;
}

int
seccomp_prepare(const struct spec_seccomp *s, const char *cache_dir, bool fail_unknown,
		struct seccomp_prog **ret, struct lc_err *err)
{
	_cleanup_seccomp_prog_ struct seccomp_prog *p = NULL;
	_cleanup_free_ char *canon = NULL;
	_cleanup_close_ int dirfd = -1;
	uint8_t digest[SHA256_DIGEST_SIZE], key[SHA256_DIGEST_SIZE];
	unsigned int flags;
	bool notify;
	size_t len;
	int r;

	if (!s || !s->present)
		return lc_err_setx(err, EINVAL, "linux.seccomp: no profile to prepare");
	r = seccomp_canonical(s, &canon, &len);
	if (r < 0)
		return lc_err_set(err, r, "seccomp");
	/* Kernel support first: a flag or action this kernel lacks is an error even when
	 * a cached program exists (it may come from a copied state root). */
	r = seccomp_spec_flags(s, &flags, &notify, err);
	if (r < 0)
		return r;
	r = seccomp_probe_flags(s, flags, err);
	if (r < 0)
		return r;
	r = probe_actions(s, err);
	if (r < 0)
		return r;
	if (cache_dir) {
		struct lc_err cerr = { 0 };
		dirfd = open_cache_dir(cache_dir, &cerr);
		if (dirfd < 0)
			log_warn("seccomp cache: %s; compiling the filter without it", cerr.msg);
		else if (seccomp_cache_key(canon, len, key) < 0)
			closep(&dirfd), dirfd = -1;
	}
	if (dirfd >= 0 && lookup(dirfd, cache_dir, key, canon, len, &p, digest) == 0) {
		if (fail_unknown && p->unknown)
			return seccomp_unknown_error(p, err);
		p->cache_hit = true;
	} else {
		/* the digest of the record; a hit takes it from the entry instead */
		sha256(canon, len, digest);
		r = seccomp_compile(s, fail_unknown, &p, err);
		if (r < 0)
			return r;
		struct lc_err cerr = { 0 };
		if (dirfd >= 0 && seccomp_cache_put(dirfd, key, canon, len, digest, p, &cerr) < 0)
			log_warn("seccomp cache %s: %s", cache_dir, cerr.msg);
	}
	sha256_hex(digest, p->sha256);
	*ret = TAKE_PTR(p);
	return 0;
}
