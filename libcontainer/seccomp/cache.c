/* The compiled-filter cache under the state root (<root>/seccomp-cache/<key>.bpf): the
 * key, the entry format and atomic reads and writes. An entry is a header (magic,
 * format, payload length, key, sha256 of the payload) and a payload; anything that
 * does not check out is reported as corrupt and rebuilt by the caller, never loaded.
 * What goes in (compile) and when (prepare) is decided elsewhere. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "seccomp/internal.h"

#define CACHE_MAGIC "STRAITSC"
#define CACHE_FORMAT 1
#define CACHE_MAX_PAYLOAD (1u << 20)

struct cache_header {
	char magic[8];
	uint32_t format;
	uint32_t payload_len;
	uint8_t key[SHA256_DIGEST_SIZE];
	uint8_t payload_sha256[SHA256_DIGEST_SIZE];
};

/* Payload, host byte order (the key pins the arch): u32 flags, needs_notify, n_rules,
 * n_unknown, bpf_len; n_unknown x (u32 length, bytes); bpf_len bytes of program. */
#define PAYLOAD_FIXED (5 * sizeof(uint32_t))

int
seccomp_cache_key(const uint8_t digest[SHA256_DIGEST_SIZE], uint8_t key[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;
	struct utsname u;
	const char *parts[4];

	if (uname(&u) < 0)
		return -errno;
	parts[0] = seccomp_libseccomp_version();
	parts[1] = u.release;
	parts[2] = seccomp_native_arch_name();
	parts[3] = SECCOMP_COMPILER_VERSION;
	sha256_init(&c);
	sha256_update(&c, "strait-seccomp-cache-key\n", 25);
	sha256_update(&c, digest, SHA256_DIGEST_SIZE);
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

static int
check_header(const struct cache_header *h, const uint8_t key[SHA256_DIGEST_SIZE], size_t size,
	     const uint8_t *payload, struct lc_err *err)
{
	uint8_t sum[SHA256_DIGEST_SIZE];

	if (memcmp(h->magic, CACHE_MAGIC, sizeof(h->magic)) != 0)
		return lc_err_setx(err, EBADMSG, "bad magic");
	if (h->format != CACHE_FORMAT)
		return lc_err_setx(err, EBADMSG, "format %u, expected %u", h->format, CACHE_FORMAT);
	if (memcmp(h->key, key, SHA256_DIGEST_SIZE) != 0)
		return lc_err_setx(err, EBADMSG, "the entry belongs to another key");
	if (h->payload_len != size - sizeof(*h))
		return lc_err_setx(err, EBADMSG, "truncated: %zu payload bytes, header says %u",
				   size - sizeof(*h), h->payload_len);
	sha256(payload, h->payload_len, sum);
	if (memcmp(sum, h->payload_sha256, sizeof(sum)) != 0)
		return lc_err_setx(err, EBADMSG, "checksum mismatch");
	return 0;
}

int
seccomp_cache_get(int dirfd, const uint8_t key[SHA256_DIGEST_SIZE], struct seccomp_prog **ret,
		  struct lc_err *err)
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
	if ((size_t)st.st_size > sizeof(h) + CACHE_MAX_PAYLOAD)
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
	memcpy(&h, buf, sizeof(h));
	r = check_header(&h, key, st.st_size, buf + sizeof(h), err);
	if (r < 0)
		return lc_err_prefix(err, "%s", name);
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	r = parse_payload(buf + sizeof(h), h.payload_len, p, err);
	if (r == -ENOMEM)
		return lc_err_set(err, r, "%s", name);
	if (r < 0)
		return lc_err_prefix(err, "%s", name);
	*ret = TAKE_PTR(p);
	return 0;
}

static int
serialize(const uint8_t key[SHA256_DIGEST_SIZE], const struct seccomp_prog *p, uint8_t **ret,
	  size_t *ret_len)
{
	size_t n_unknown = 0, len = sizeof(struct cache_header) + PAYLOAD_FIXED + p->bpf_len;
	struct cache_header h = { .format = CACHE_FORMAT };
	uint8_t *buf, *w;

	for (char **u = p->unknown; u && *u; u++, n_unknown++)
		len += sizeof(uint32_t) + strlen(*u);
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	w = buf + sizeof(h);
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
	h.payload_len = (uint32_t)(len - sizeof(h));
	sha256(buf + sizeof(h), h.payload_len, h.payload_sha256);
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
seccomp_cache_put(int dirfd, const uint8_t key[SHA256_DIGEST_SIZE], const struct seccomp_prog *p,
		  struct lc_err *err)
{
	_cleanup_free_ uint8_t *buf = NULL;
	char name[80], tmp[128];
	size_t len;
	int fd, r;

	entry_name(key, name);
	r = serialize(key, p, &buf, &len);
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
