/* The compiled-filter cache under the state root (<root>/seccomp-cache/<key>.bpf): the
 * key, the entry format and atomic reads and writes. An entry is a header (magic,
 * format, lengths, key, checksum, the profile's sha256), the profile's canonical
 * bytes and a payload; anything that does not check out, or holds another profile's
 * canonical bytes, is reported as corrupt and rebuilt by the caller, never loaded.
 * What goes in (compile) and when (prepare) is decided elsewhere. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "seccomp/internal.h"

#define CACHE_MAGIC "STRAITSC"
#define CACHE_FORMAT 2
#define CACHE_MAX_PAYLOAD (1u << 20)
#define CACHE_MAX_CANON (16u << 20)

struct cache_header {
	char magic[8];
	uint32_t format;
	uint32_t canon_len;
	uint32_t payload_len;
	uint32_t reserved;
	uint8_t key[SHA256_DIGEST_SIZE];
	uint64_t check[2]; /* fast_hash() of everything after it */
	uint8_t profile_sha256[SHA256_DIGEST_SIZE];
};

#define CHECKED_FROM offsetof(struct cache_header, profile_sha256)

/* Payload, host byte order (the key pins the arch): u32 flags, needs_notify, n_rules,
 * n_unknown, bpf_len; n_unknown x (u32 length, bytes); bpf_len bytes of program. */
#define PAYLOAD_FIXED (5 * sizeof(uint32_t))

/* A fast 128-bit hash, not a cryptographic one: it names the entry of a profile and
 * checks entries for corruption. A hit is only taken when the entry's canonical bytes
 * equal the profile's, so a collision, accidental or crafted, costs a recompile and
 * never gives a container another profile's filter; and the sha256 a start records
 * is the one computed when the entry was written from those same bytes. Hashing the
 * bytes this way instead of with sha256 is most of what makes a hit cheap. */
static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static void
fast_hash(const void *data, size_t len, uint64_t out[2])
{
	const unsigned char *p = data;
	uint64_t a = 0x243f6a8885a308d3ull ^ len, b = 0x13198a2e03707344ull ^ rotl64(len, 32);
	uint64_t t[2] = { 0, 0 };
	size_t n = len;

	for (; n >= 16; p += 16, n -= 16) {
		uint64_t w0, w1;
		memcpy(&w0, p, 8);
		memcpy(&w1, p + 8, 8);
		a = rotl64(a ^ (w0 * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full + w1;
		b = rotl64(b ^ (w1 * 0x4cf5ad432745937full), 33) * 0x87c37b91114253d5ull + w0;
	}
	memcpy(t, p, n);
	a = mix64(a ^ t[0] ^ n);
	b = mix64(b ^ t[1] ^ a);
	out[0] = mix64(a + b);
	out[1] = mix64(b ^ rotl64(a, 17));
}

int
seccomp_cache_key(const char *canon, size_t len, uint8_t key[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;
	struct utsname u;
	const char *parts[4];
	uint64_t h[3];

	if (uname(&u) < 0)
		return -errno;
	fast_hash(canon, len, h);
	h[2] = len;
	parts[0] = seccomp_libseccomp_version();
	parts[1] = u.release;
	parts[2] = seccomp_native_arch_name();
	parts[3] = SECCOMP_COMPILER_VERSION;
	sha256_init(&c);
	sha256_update(&c, "strait-seccomp-cache-key-v2\n", 28);
	sha256_update(&c, h, sizeof(h));
	/* NUL-separated: no part can run into the next */
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		sha256_update(&c, parts[i], strlen(parts[i]) + 1);
	sha256_final(&c, key);
	return 0;
}

static void
entry_name(const uint8_t key[SHA256_DIGEST_SIZE], char name[80])
{
	char hex[2 * SHA256_DIGEST_SIZE + 1];

	sha256_hex(key, hex);
	snprintf(name, 80, "%s.bpf", hex);
}

/* A bounds-checked reader over the payload. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static bool
take(struct cursor *c, void *out, size_t n)
{
	if (c->left < n)
		return false;
	memcpy(out, c->p, n);
	c->p += n, c->left -= n;
	return true;
}

static int
parse_payload(const uint8_t *buf, size_t len, struct seccomp_prog *p, struct lc_err *err)
{
	struct cursor c = { buf, len };
	uint32_t v[5];

	if (!take(&c, v, sizeof(v)))
		return lc_err_setx(err, EBADMSG, "payload too short");
	p->flags = v[0], p->needs_notify = v[1] != 0, p->n_rules = v[2];
	if (v[3] > 4096 || v[4] == 0 || v[4] % sizeof(struct sock_filter) ||
	    v[4] / sizeof(struct sock_filter) > SECCOMP_MAX_INSNS)
		return lc_err_setx(err, EBADMSG, "implausible counts (%u names, %u program bytes)",
				   v[3], v[4]);
	if (v[3]) {
		p->unknown = calloc(v[3] + 1, sizeof(char *));
		if (!p->unknown)
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < v[3]; i++) {
		uint32_t n;
		if (!take(&c, &n, sizeof(n)) || n > c.left || n > 4096)
			return lc_err_setx(err, EBADMSG, "unknown name %u is cut off", i);
		p->unknown[i] = strndup((const char *)c.p, n);
		if (!p->unknown[i])
			return -ENOMEM;
		c.p += n, c.left -= n;
	}
	if (c.left != v[4])
		return lc_err_setx(err, EBADMSG, "program is %zu bytes, header says %u", c.left, v[4]);
	p->bpf = malloc(v[4]);
	if (!p->bpf)
		return -ENOMEM;
	memcpy(p->bpf, c.p, v[4]);
	p->bpf_len = v[4];
	return 0;
}

static int
read_all(int fd, void *buf, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = read(fd, (char *)buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EBADMSG;
		off += n;
	}
	return 0;
}

/* Checks the entry in buf and copies out its header (buf may be unaligned). */
static int
check_entry(const uint8_t *buf, size_t size, const uint8_t key[SHA256_DIGEST_SIZE],
	    const char *canon, size_t canon_len, struct cache_header *ret, struct lc_err *err)
{
	struct cache_header h;
	uint64_t sum[2];

	memcpy(&h, buf, sizeof(h));
	*ret = h;
	if (memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0)
		return lc_err_setx(err, EBADMSG, "bad magic");
	if (h.format != CACHE_FORMAT)
		return lc_err_setx(err, EBADMSG, "format %u, expected %u", h.format, CACHE_FORMAT);
	if (memcmp(h.key, key, SHA256_DIGEST_SIZE) != 0)
		return lc_err_setx(err, EBADMSG, "the entry belongs to another key");
	if ((uint64_t)h.canon_len + h.payload_len != size - sizeof(h))
		return lc_err_setx(err, EBADMSG, "truncated: %zu bytes after the header, it says %llu",
				   size - sizeof(h), (unsigned long long)h.canon_len + h.payload_len);
	fast_hash(buf + CHECKED_FROM, size - CHECKED_FROM, sum);
	if (memcmp(sum, h.check, sizeof(sum)) != 0)
		return lc_err_setx(err, EBADMSG, "checksum mismatch");
	if (h.canon_len != canon_len || memcmp(buf + sizeof(h), canon, canon_len) != 0)
		return lc_err_setx(err, EBADMSG, "the entry holds another profile (a key collision)");
	return 0;
}

int
seccomp_cache_get(int dirfd, const uint8_t key[SHA256_DIGEST_SIZE], const char *canon,
		  size_t canon_len, struct seccomp_prog **ret,
		  uint8_t ret_digest[SHA256_DIGEST_SIZE], struct lc_err *err)
{
	_cleanup_seccomp_prog_ struct seccomp_prog *p = NULL;
	_cleanup_free_ uint8_t *buf = NULL;
	_cleanup_close_ int fd = -1;
	struct cache_header h;
	struct stat st;
	char name[80];
	int r;

	entry_name(key, name);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : lc_err_set(err, errno, "opening %s", name);
	if (fstat(fd, &st) < 0)
		return lc_err_set(err, errno, "fstat %s", name);
	if (!S_ISREG(st.st_mode))
		return lc_err_setx(err, EBADMSG, "%s: not a regular file", name);
	if ((size_t)st.st_size < sizeof(h))
		return lc_err_setx(err, EBADMSG, "%s: truncated: %lld bytes, shorter than the header",
				   name, (long long)st.st_size);
	if ((size_t)st.st_size > sizeof(h) + CACHE_MAX_CANON + CACHE_MAX_PAYLOAD)
		return lc_err_setx(err, EBADMSG, "%s: %lld bytes is too large", name,
				   (long long)st.st_size);
	buf = malloc(st.st_size);
	if (!buf)
		return -ENOMEM;
	r = read_all(fd, buf, st.st_size);
	if (r == -EBADMSG)
		return lc_err_setx(err, EBADMSG, "%s: truncated while reading", name);
	if (r < 0)
		return lc_err_set(err, r, "reading %s", name);
	r = check_entry(buf, st.st_size, key, canon, canon_len, &h, err);
	if (r < 0)
		return lc_err_prefix(err, "%s", name);
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	r = parse_payload(buf + sizeof(h) + h.canon_len, h.payload_len, p, err);
	if (r == -ENOMEM)
		return lc_err_set(err, r, "%s", name);
	if (r < 0)
		return lc_err_prefix(err, "%s", name);
	memcpy(ret_digest, h.profile_sha256, SHA256_DIGEST_SIZE);
	*ret = TAKE_PTR(p);
	return 0;
}

static int
serialize(const uint8_t key[SHA256_DIGEST_SIZE], const char *canon, size_t canon_len,
	  const uint8_t digest[SHA256_DIGEST_SIZE], const struct seccomp_prog *p, uint8_t **ret,
	  size_t *ret_len)
{
	size_t n_unknown = 0, len = sizeof(struct cache_header) + canon_len + PAYLOAD_FIXED +
				    p->bpf_len;
	struct cache_header h = { .format = CACHE_FORMAT };
	uint8_t *buf, *w;

	if (canon_len > CACHE_MAX_CANON)
		return -E2BIG;
	for (char **u = p->unknown; u && *u; u++, n_unknown++)
		len += sizeof(uint32_t) + strlen(*u);
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	w = buf + sizeof(h);
	memcpy(w, canon, canon_len), w += canon_len;
	uint32_t v[5] = { p->flags, p->needs_notify, (uint32_t)p->n_rules, (uint32_t)n_unknown,
			  (uint32_t)p->bpf_len };
	memcpy(w, v, sizeof(v)), w += sizeof(v);
	for (char **u = p->unknown; u && *u; u++) {
		uint32_t n = (uint32_t)strlen(*u);
		memcpy(w, &n, sizeof(n)), w += sizeof(n);
		memcpy(w, *u, n), w += n;
	}
	memcpy(w, p->bpf, p->bpf_len);
	memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
	memcpy(h.key, key, SHA256_DIGEST_SIZE);
	memcpy(h.profile_sha256, digest, SHA256_DIGEST_SIZE);
	h.canon_len = (uint32_t)canon_len;
	h.payload_len = (uint32_t)(len - sizeof(h) - canon_len);
	/* the check covers the header's profile_sha256: header in, hash, header again */
	memcpy(buf, &h, sizeof(h));
	fast_hash(buf + CHECKED_FROM, len - CHECKED_FROM, h.check);
	memcpy(buf, &h, sizeof(h));
	*ret = buf;
	*ret_len = len;
	return 0;
}

static int
write_all(int fd, const void *buf, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (const char *)buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += n;
	}
	return 0;
}

/* A temp name no other writer uses: pid, a per-process counter and the clock. */
static int
open_temp(int dirfd, const char *entry, char tmp[128])
{
	static unsigned long counter;

	for (int tries = 0; tries < 16; tries++) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(tmp, 128, ".%.16s.%d.%lu.%ld.tmp", entry, (int)getpid(), counter++,
			 ts.tv_nsec);
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

int
seccomp_cache_put(int dirfd, const uint8_t key[SHA256_DIGEST_SIZE], const char *canon,
		  size_t canon_len, const uint8_t digest[SHA256_DIGEST_SIZE],
		  const struct seccomp_prog *p, struct lc_err *err)
{
	_cleanup_free_ uint8_t *buf = NULL;
	char name[80], tmp[128];
	size_t len;
	int fd, r;

	entry_name(key, name);
	r = serialize(key, canon, canon_len, digest, p, &buf, &len);
	if (r < 0)
		return lc_err_set(err, r, "seccomp cache");
	fd = open_temp(dirfd, name, tmp);
	if (fd < 0)
		return lc_err_set(err, fd, "creating a temporary file for %s", name);
	/* No fsync: a crash can leave a short entry, which the header check catches. The
	 * rename makes the entry appear whole or not at all for concurrent readers, and
	 * concurrent writers of one key write identical bytes, so the last one wins. */
	r = write_all(fd, buf, len);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return lc_err_set(err, r, "writing %s", name);
	}
	return 0;
}
