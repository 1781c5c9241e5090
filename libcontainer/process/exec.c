/* The executable of the workload: PATH lookup inside the new root, and a check that
 * the file, its #! interpreter chain and its ELF interpreter are not the strait binary.
 * Executing the runtime's own image from inside the container is how CVE-2019-5736
 * reached the host binary; the runtime is never re-executed, so refusing that chain
 * (plus a non-dumpable runtime) keeps /proc/<pid>/exe of strait out of reach. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "error.h"
#include "process/process.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define MAX_CHAIN 5 /* the kernel allows 4 levels of interpreters */

static const char *
env_path(char *const *envp)
{
	for (char *const *e = envp; e && *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			return *e + 5;
	return DEFAULT_PATH;
}

static bool
is_executable_file(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0111);
}

static int
lookup_path(const char *name, char *const *envp, char **ret)
{
	if (strchr(name, '/')) {
		*ret = strdup(name);
		return *ret ? 0 : -ENOMEM;
	}
	const char *p = env_path(envp);
	while (p) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		_cleanup_free_ char *cand = NULL;
		if (asprintf(&cand, "%.*s/%s", (int)len, len ? p : ".", name) < 0)
			return -ENOMEM;
		if (is_executable_file(cand)) {
			*ret = TAKE_PTR(cand);
			return 0;
		}
		p = colon ? colon + 1 : NULL;
	}
	return -ENOENT;
}

/* Reads the PT_INTERP path of an ELF file into buf; returns 1 if found, 0 if none. */
static int
elf_interp(int fd, const unsigned char *hdr, size_t hlen, char *buf, size_t buflen)
{
	uint64_t phoff, off = 0, size = 0;
	unsigned phnum, phentsize;
	bool is64 = hdr[EI_CLASS] == ELFCLASS64;

	if (hlen < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return 0;
	if (is64) {
		const Elf64_Ehdr *eh = (const Elf64_Ehdr *)hdr;
		phoff = eh->e_phoff, phnum = eh->e_phnum, phentsize = eh->e_phentsize;
	} else {
		const Elf32_Ehdr *eh = (const Elf32_Ehdr *)hdr;
		phoff = eh->e_phoff, phnum = eh->e_phnum, phentsize = eh->e_phentsize;
	}
	for (unsigned i = 0; i < phnum && i < 128; i++) {
		union {
			Elf64_Phdr p64;
			Elf32_Phdr p32;
		} ph;
		size_t want = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
		if (phentsize < want || pread(fd, &ph, want, phoff + (uint64_t)i * phentsize) != (ssize_t)want)
			return 0;
		uint32_t type = is64 ? ph.p64.p_type : ph.p32.p_type;
		if (type != PT_INTERP)
			continue;
		off = is64 ? ph.p64.p_offset : ph.p32.p_offset;
		size = is64 ? ph.p64.p_filesz : ph.p32.p_filesz;
		if (size == 0 || size >= buflen)
			return 0;
		if (pread(fd, buf, size, off) != (ssize_t)size)
			return 0;
		buf[size] = '\0';
		return 1;
	}
	return 0;
}

/* Checks one file of the chain and returns its interpreter in next (or "" if none). */
static int
check_one(const struct container_ctx *ctx, const char *path, char *next, size_t nextlen,
	  struct lc_err *err)
{
	unsigned char hdr[sizeof(Elf64_Ehdr) > 256 ? sizeof(Elf64_Ehdr) : 256];
	struct stat sb;

	next[0] = '\0';
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lc_err_set(err, errno, "open \"%s\"", path);
	if (fstat(fd, &sb) < 0)
		return lc_err_set(err, errno, "stat \"%s\"", path);
	if (sb.st_dev == ctx->self_dev && sb.st_ino == ctx->self_ino)
		return lc_err_setx(err, EPERM, "\"%s\" resolves to the strait binary: refused", path);
	ssize_t n = pread(fd, hdr, sizeof(hdr) - 1, 0);
	if (n < 0)
		return lc_err_set(err, errno, "read \"%s\"", path);
	hdr[n] = '\0';
	if (n >= 2 && hdr[0] == '#' && hdr[1] == '!') {
		const char *p = (const char *)hdr + 2;
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, " \t\n");
		if (len >= nextlen)
			len = nextlen - 1;
		memcpy(next, p, len);
		next[len] = '\0';
	} else if (n >= SELFMAG && !memcmp(hdr, ELFMAG, SELFMAG)) {
		elf_interp(fd, hdr, n, next, nextlen);
	}
	return 0;
}

int
exec_resolve(const struct container_ctx *ctx, char *const *argv, char *const *envp,
	     char **ret_path, struct lc_err *err)
{
	_cleanup_free_ char *path = NULL;
	char cur[4096], next[4096];
	int r;

	if (!argv || !argv[0])
		return lc_err_setx(err, EINVAL, "config.json: process.args: empty");
	r = lookup_path(argv[0], envp, &path);
	if (r == -ENOENT)
		return lc_err_setx(err, ENOENT, "config.json: process.args[0]: exec: \"%s\": executable file not found in $PATH",
				   argv[0]);
	if (r < 0)
		return lc_err_set(err, r, "config.json: process.args[0] \"%s\"", argv[0]);
	snprintf(cur, sizeof(cur), "%s", path);
	for (int depth = 0; depth < MAX_CHAIN && cur[0]; depth++) {
		r = check_one(ctx, cur, next, sizeof(next), err);
		if (r < 0)
			return lc_err_prefix(err, "config.json: process.args[0]");
		memcpy(cur, next, sizeof(cur));
	}
	*ret_path = TAKE_PTR(path);
	return 0;
}
