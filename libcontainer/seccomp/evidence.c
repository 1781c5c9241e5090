/* Observe-mode evidence: the deduplicated record of every syscall the base profile
 * would have stopped, fed by seccomp user notifications (evidence_handle), written as
 * JSON (evidence_write); reading it back is evidence-load.c. The format is
 * docs/seccomp-evidence.md. Deriving the twin is observe.c; the agent is recorder.c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "error.h"
#include "json.h"
#include "log.h"
#include "tables.h"
#include "seccomp/observe.h"
#include "seccomp/internal.h"
#include "seccomp/seccomp.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

/* Distinct records one evidence keeps. A workload can make up syscall numbers at will;
 * past this many distinct ones, further new records are counted as dropped (and the
 * file says how many) instead of growing without bound. */
#define EVIDENCE_MAX_RECORDS 8192
#define EVIDENCE_MAX_EXES 16
#define EVIDENCE_MAX_RUNTIME 16

/* A process that made a recorded call (enforce mode): its pid inside the container's
 * pid namespace and its comm. */
struct ev_proc {
	int pid;     /* in the container's pid namespace */
	int hostpid; /* as notified (the recorder's view), to know it again */
	char comm[16];
};

struct ev_record {
	uint32_t arch; /* seccomp_data.arch */
	int nr;
	uint32_t ret; /* SECCOMP_RET_* of the base, data included */
	unsigned tested; /* enforce mode: the arguments the base tested (bit i: arg i) */
	uint64_t argv[6]; /* their values (0 for the others) */
	uint64_t count;
	struct timespec first, last;
	char *exes[EVIDENCE_MAX_EXES];
	size_t n_exes;
	struct ev_proc procs[EVIDENCE_MAX_EXES];
	size_t n_procs;
};

/* What a record is deduplicated by, past (arch, nr). */
struct rec_key {
	uint32_t ret; /* ret_key() */
	unsigned tested;
	const uint64_t *argv;
};

/* An executable the container ran (facts): its path inside the container and sha256
 * ("" when it could not be hashed); dev/ino/size/mtime spare a second hash. */
#define EVIDENCE_MAX_FACT_EXES 64
struct ev_exe {
	char *path;
	char sha256[65];
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime; /* ctime: no process can set it back */
};

struct evidence {
	char *id, *bundle, *label, *base_sha256, *base_source;
	struct timespec start, end;
	struct ev_record *recs;
	size_t n_recs, cap_recs;
	uint32_t *index; /* open addressing: record index + 1, 0 = empty */
	size_t n_index;	 /* a power of two, > 2 * n_recs */
	uint64_t dropped;
	bool enforce; /* deny-and-record: answers with the base's errno */
	bool dirty;   /* changed since the last evidence_write */
	uint64_t written_ms; /* CLOCK_MONOTONIC of the last evidence_write */
	char **image;        /* "key=value" image identity, NULL-terminated, or NULL */
	struct ev_exe entry; /* the entrypoint (path NULL until its execve is seen) */
	struct ev_exe exes[EVIDENCE_MAX_FACT_EXES];
	size_t n_exes;
	/* strait's own calls after loading the twin (noNewPrivileges=false): a handful of
	 * identity syscalls, kept apart from the workload's records */
	struct ev_record rt[EVIDENCE_MAX_RUNTIME];
	size_t n_rt;
};

/* ---- architectures: seccomp_data.arch <-> OCI name <-> libseccomp token ---- */
struct arch_name {
	uint32_t audit;
	uint32_t token;
	const char *name;
};

static const struct arch_name arch_names[] = {
	{ AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64" },
	{ AUDIT_ARCH_I386, SCMP_ARCH_X86, "SCMP_ARCH_X86" },
	{ AUDIT_ARCH_AARCH64, SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64" },
	{ AUDIT_ARCH_ARM, SCMP_ARCH_ARM, "SCMP_ARCH_ARM" },
	{ AUDIT_ARCH_MIPS, SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS" },
	{ AUDIT_ARCH_MIPS64, SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64" },
	{ AUDIT_ARCH_MIPS64N32, SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32" },
	{ AUDIT_ARCH_MIPSEL, SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL" },
	{ AUDIT_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64" },
	{ AUDIT_ARCH_MIPSEL64N32, SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32" },
	{ AUDIT_ARCH_PPC, SCMP_ARCH_PPC, "SCMP_ARCH_PPC" },
	{ AUDIT_ARCH_PPC64, SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64" },
	{ AUDIT_ARCH_PPC64LE, SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE" },
	{ AUDIT_ARCH_S390, SCMP_ARCH_S390, "SCMP_ARCH_S390" },
	{ AUDIT_ARCH_S390X, SCMP_ARCH_S390X, "SCMP_ARCH_S390X" },
	{ AUDIT_ARCH_PARISC, SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC" },
	{ AUDIT_ARCH_PARISC64, SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64" },
	{ AUDIT_ARCH_RISCV64, SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64" },
};

/* x32 shares AUDIT_ARCH_X86_64 with x86_64; its numbers carry __X32_SYSCALL_BIT. */
static const struct arch_name arch_x32 = { AUDIT_ARCH_X86_64, SCMP_ARCH_X32, "SCMP_ARCH_X32" };

static const struct arch_name *
arch_lookup(uint32_t audit, int nr)
{
	if (audit == AUDIT_ARCH_X86_64 && (nr & __X32_SYSCALL_BIT))
		return &arch_x32;
	for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++)
		if (arch_names[i].audit == audit)
			return &arch_names[i];
	return NULL;
}

/* The OCI name of the arch ("SCMP_ARCH_X86_64"), or "audit:0x..." in buf. */
static const char *
arch_name(uint32_t audit, int nr, char buf[32])
{
	const struct arch_name *a = arch_lookup(audit, nr);

	if (a)
		return a->name;
	snprintf(buf, 32, "audit:0x%08" PRIx32, audit);
	return buf;
}

/* The syscall name on that arch (malloc'd), "nr:<n>" when libseccomp has none. */
static char *
syscall_name(uint32_t audit, int nr)
{
	const struct arch_name *a = arch_lookup(audit, nr);
	char *s = a ? seccomp_syscall_resolve_num_arch(a->token, nr) : NULL;

	if (!s && asprintf(&s, "nr:%d", nr) < 0)
		s = NULL;
	return s;
}

/* ---- SECCOMP_RET_* -> OCI action ---- */
static enum seccomp_action
ret_action(uint32_t ret, bool *ret_has_errno, unsigned *ret_errno)
{
	*ret_has_errno = false;
	*ret_errno = 0;
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS_;
	case SECCOMP_RET_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD_;
	case SECCOMP_RET_TRAP:
		return SCMP_ACT_TRAP_;
	case SECCOMP_RET_ERRNO:
		*ret_has_errno = true;
		*ret_errno = ret & SECCOMP_RET_DATA & 0xffff;
		return SCMP_ACT_ERRNO_;
	case SECCOMP_RET_TRACE:
		*ret_has_errno = true;
		*ret_errno = ret & SECCOMP_RET_DATA & 0xffff;
		return SCMP_ACT_TRACE_;
	case SECCOMP_RET_LOG:
		return SCMP_ACT_LOG_;
	case SECCOMP_RET_USER_NOTIF:
		return SCMP_ACT_NOTIFY_;
	case SECCOMP_RET_ALLOW:
		return SCMP_ACT_ALLOW_;
	}
	/* an unknown action value: the kernel treats it as KILL_PROCESS */
	return SCMP_ACT_KILL_PROCESS_;
}

/* The dedup key of a record: the action with its errno, no other data bits. */
static uint32_t
ret_key(uint32_t ret)
{
	bool has;
	unsigned e;
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	ret_action(ret, &has, &e);
	return has ? act | e : act;
}

/* ---- time ---- */
static void
format_time(const struct timespec *ts, char buf[40])
{
	struct tm tm;
	time_t t = ts->tv_sec;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, 40, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	snprintf(buf, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts->tv_nsec);
}

/* ---- the evidence ---- */
static int
strdup_opt(const char *s, char **ret)
{
	*ret = NULL;
	if (s && !(*ret = strdup(s)))
		return -ENOMEM;
	return 0;
}

struct evidence *
evidence_new(const struct evidence_meta *m)
{
	struct evidence *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	if (m && (strdup_opt(m->id, &ev->id) < 0 || strdup_opt(m->bundle, &ev->bundle) < 0 ||
		  strdup_opt(m->label, &ev->label) < 0 ||
		  strdup_opt(m->base_sha256, &ev->base_sha256) < 0 ||
		  strdup_opt(m->base_source, &ev->base_source) < 0)) {
		evidence_free(ev);
		return NULL;
	}
	ev->enforce = m && m->enforce;
	size_t n_img = 0;
	while (m && m->image && m->image[n_img])
		n_img++;
	if (n_img && strv_copy_filtered(m->image, n_img, NULL, &ev->image, &n_img) < 0) {
		evidence_free(ev);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &ev->start);
	return ev;
}

void
evidence_free(struct evidence *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->n_recs; i++)
		for (size_t k = 0; k < ev->recs[i].n_exes; k++)
			free(ev->recs[i].exes[k]);
	free(ev->recs);
	free(ev->index);
	strv_freep(&ev->image);
	free(ev->entry.path);
	for (size_t i = 0; i < ev->n_exes; i++)
		free(ev->exes[i].path);
	free(ev->id);
	free(ev->bundle);
	free(ev->label);
	free(ev->base_sha256);
	free(ev->base_source);
	free(ev);
}

size_t
evidence_n_records(const struct evidence *ev)
{
	return ev ? ev->n_recs : 0;
}

static size_t
rec_hash(uint32_t arch, int nr, const struct rec_key *k)
{
	uint64_t h =
		((uint64_t)arch << 32) ^ (uint32_t)nr ^ ((uint64_t)k->ret * 0x9e3779b97f4a7c15ull);

	for (unsigned i = 0; i < 6; i++)
		if (k->tested & (1u << i))
			h = (h ^ k->argv[i] ^ i) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (size_t)h;
}

static int
index_grow(struct evidence *ev)
{
	size_t n = ev->n_index ? ev->n_index * 2 : 64;
	uint32_t *idx = calloc(n, sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < ev->n_recs; i++) {
		const struct ev_record *r = &ev->recs[i];
		struct rec_key k = { ret_key(r->ret), r->tested, r->argv };
		size_t h = rec_hash(r->arch, r->nr, &k) & (n - 1);
		while (idx[h])
			h = (h + 1) & (n - 1);
		idx[h] = (uint32_t)i + 1;
	}
	free(ev->index);
	ev->index = idx;
	ev->n_index = n;
	return 0;
}

static bool
key_equal(const struct ev_record *r, const struct rec_key *k)
{
	if (ret_key(r->ret) != k->ret || r->tested != k->tested)
		return false;
	for (unsigned i = 0; i < 6; i++)
		if ((k->tested & (1u << i)) && r->argv[i] != k->argv[i])
			return false;
	return true;
}

/* The record of (arch, nr, action+errno, tested arguments), created when new; NULL
 * when the cap is hit or memory ran out. */
static struct ev_record *
record_get(struct evidence *ev, uint32_t arch, int nr, uint32_t ret, unsigned tested,
	   const uint64_t argv[6])
{
	struct rec_key key = { ret_key(ret), tested, argv };
	size_t h;

	if (ev->n_index) {
		for (h = rec_hash(arch, nr, &key) & (ev->n_index - 1); ev->index[h];
		     h = (h + 1) & (ev->n_index - 1)) {
			struct ev_record *r = &ev->recs[ev->index[h] - 1];
			if (r->arch == arch && r->nr == nr && key_equal(r, &key))
				return r;
		}
	}
	if (ev->n_recs >= EVIDENCE_MAX_RECORDS)
		return NULL;
	if ((ev->n_recs + 1) * 2 >= ev->n_index && index_grow(ev) < 0)
		return NULL;
	if (ev->n_recs == ev->cap_recs) {
		size_t cap = ev->cap_recs ? ev->cap_recs * 2 : 32;
		struct ev_record *p = realloc(ev->recs, cap * sizeof(*p));
		if (!p)
			return NULL;
		ev->recs = p;
		ev->cap_recs = cap;
	}
	struct ev_record *r = &ev->recs[ev->n_recs];
	*r = (struct ev_record){ .arch = arch, .nr = nr, .ret = ret, .tested = tested };
	for (unsigned i = 0; i < 6; i++)
		r->argv[i] = tested & (1u << i) ? argv[i] : 0;
	for (h = rec_hash(arch, nr, &key) & (ev->n_index - 1); ev->index[h];
	     h = (h + 1) & (ev->n_index - 1))
		;
	ev->index[h] = (uint32_t)++ev->n_recs;
	return r;
}

/* One call, as judged: tested/argv are the arguments the base read (enforce mode
 * only; 0 otherwise); proc is the caller, NULL when unknown or not wanted. */
static void
record_hit(struct evidence *ev, uint32_t arch, int nr, uint32_t ret, unsigned tested,
	   const uint64_t argv[6], const char *exe, const struct ev_proc *proc)
{
	struct timespec now;
	struct ev_record *r;

	clock_gettime(CLOCK_REALTIME, &now);
	ev->dirty = true;
	r = record_get(ev, arch, nr, ret, tested, argv);
	if (!r) {
		ev->dropped++;
		return;
	}
	if (r->count++ == 0)
		r->first = now;
	r->last = now;
	bool seen = false;
	for (size_t k = 0; proc && k < r->n_procs && !seen; k++)
		seen = r->procs[k].hostpid == proc->hostpid;
	if (proc && !seen && r->n_procs < EVIDENCE_MAX_EXES)
		r->procs[r->n_procs++] = *proc;
	if (!exe || r->n_exes == EVIDENCE_MAX_EXES)
		return;
	for (size_t k = 0; k < r->n_exes; k++)
		if (strcmp(r->exes[k], exe) == 0)
			return;
	if ((r->exes[r->n_exes] = strdup(exe)))
		r->n_exes++;
}

/* Whether the record of this call would keep a new caller pid: reading its status is
 * only worth it then (a storm of one denial by one process reads it once). */
static bool
record_wants_proc(struct evidence *ev, uint32_t arch, int nr, uint32_t ret, unsigned tested,
		  const uint64_t argv[6], int hostpid)
{
	struct rec_key key = { ret_key(ret), tested, argv };

	if (!ev->n_index)
		return true;
	for (size_t h = rec_hash(arch, nr, &key) & (ev->n_index - 1); ev->index[h];
	     h = (h + 1) & (ev->n_index - 1)) {
		const struct ev_record *r = &ev->recs[ev->index[h] - 1];
		if (r->arch != arch || r->nr != nr || !key_equal(r, &key))
			continue;
		if (r->n_procs == EVIDENCE_MAX_EXES)
			return false;
		for (size_t k = 0; k < r->n_procs; k++)
			if (r->procs[k].hostpid == hostpid)
				return false;
		return true;
	}
	return true;
}

/* A call made by strait itself (the process image is still strait's): kept apart. */
static void
runtime_hit(struct evidence *ev, uint32_t arch, int nr, uint32_t ret)
{
	struct timespec now;
	struct ev_record *r = NULL;

	clock_gettime(CLOCK_REALTIME, &now);
	for (size_t i = 0; i < ev->n_rt && !r; i++)
		if (ev->rt[i].arch == arch && ev->rt[i].nr == nr && ret_key(ev->rt[i].ret) == ret_key(ret))
			r = &ev->rt[i];
	if (!r && ev->n_rt < EVIDENCE_MAX_RUNTIME) {
		r = &ev->rt[ev->n_rt++];
		*r = (struct ev_record){ .arch = arch, .nr = nr, .ret = ret, .first = now };
	}
	ev->dirty = true;
	if (r) {
		r->count++;
		r->last = now;
	}
}

/* The calls strait itself makes after loading the filter (docs/seccomp.md): made by
 * the process while its image is still strait's, they are strait's own. Anything else
 * from that image (execve of the entrypoint above all) is the workload's. */
static bool
is_runtime_syscall(uint32_t arch, int nr)
{
	static const char *const own[] = { "prctl",  "setgroups", "setresgid", "setresuid",
					   "capget", "capset",    "umask",     "sendmsg" };
	const struct arch_name *a = arch_lookup(arch, nr);
	for (size_t i = 0; a && i < ARRAY_SIZE(own); i++)
		if (nr == seccomp_syscall_resolve_name_arch(a->token, own[i]))
			return true;
	return false;
}

/* ---- facts: the executables that ran ---- */
/* Which argument of (arch, nr) is an exec's path: 0 for execve, 1 for execveat (whose
 * dirfd, argument 0, must then be AT_FDCWD for us to follow it); -1 otherwise. The
 * numbers are resolved once per arch. */
static int
exec_path_arg(uint32_t arch, int nr)
{
	/* x32 shares x86_64's audit arch; its numbers carry bit 30 */
	unsigned abi = (unsigned)nr & 0x40000000u;
	static struct {
		uint32_t arch;
		unsigned abi;
		int execve, execveat;
	} cache[4];
	static size_t n;

	for (size_t i = 0; i < n; i++)
		if (cache[i].arch == arch && cache[i].abi == abi)
			return nr == cache[i].execve ? 0 : nr == cache[i].execveat ? 1 : -1;
	const struct arch_name *a = arch_lookup(arch, nr);
	if (!a || n == ARRAY_SIZE(cache))
		return -1;
	cache[n].arch = arch;
	cache[n].abi = abi;
	cache[n].execve = seccomp_syscall_resolve_name_arch(a->token, "execve");
	cache[n].execveat = seccomp_syscall_resolve_name_arch(a->token, "execveat");
	n++;
	return exec_path_arg(arch, nr);
}

/* Fills x from the file behind pathfd (hashing only when it is not the same file as
 * a known one: same dev, inode, size and mtime). */
static void
exe_fill(struct evidence *ev, struct ev_exe *x, int pathfd)
{
	struct stat st;
	char hex[65];

	if (fstat(pathfd, &st) == 0) {
		const struct ev_exe *all[EVIDENCE_MAX_FACT_EXES + 1];
		size_t n = 0;
		all[n++] = &ev->entry;
		for (size_t i = 0; i < ev->n_exes; i++)
			all[n++] = &ev->exes[i];
		for (size_t i = 0; i < n; i++) {
			const struct ev_exe *o = all[i];
			if (o != x && o->path && o->sha256[0] && o->dev == st.st_dev &&
			    o->ino == st.st_ino && o->size == st.st_size &&
			    o->mtime.tv_sec == st.st_mtim.tv_sec && o->mtime.tv_nsec == st.st_mtim.tv_nsec &&
			    o->ctime.tv_sec == st.st_ctim.tv_sec && o->ctime.tv_nsec == st.st_ctim.tv_nsec) {
				memcpy(x->sha256, o->sha256, sizeof(x->sha256));
				return;
			}
		}
	}
	if (exe_hash_fd(pathfd, &st, hex) < 0)
		return;
	memcpy(x->sha256, hex, sizeof(hex));
	x->dev = st.st_dev;
	x->ino = st.st_ino;
	x->size = st.st_size;
	x->mtime = st.st_mtim;
	x->ctime = st.st_ctim;
}

/* The fact slot for path: the entrypoint's, a known one (NULL: nothing to do), or a
 * new one (NULL when the table is full). */
static struct ev_exe *
exe_slot(struct evidence *ev, const char *path, bool entrypoint)
{
	if (entrypoint)
		return ev->entry.path ? NULL : &ev->entry;
	for (size_t i = 0; i < ev->n_exes; i++)
		if (!strcmp(ev->exes[i].path, path))
			return NULL;
	return ev->n_exes < EVIDENCE_MAX_FACT_EXES ? &ev->exes[ev->n_exes] : NULL;
}

static void
exe_commit(struct evidence *ev, struct ev_exe *x, const char *path)
{
	if (!(x->path = strdup(path)))
		return;
	if (x != &ev->entry)
		ev->n_exes++;
	ev->dirty = true;
}

/* An exec notification: the path it names, and what that file hashes to. Trusted only
 * when the notification is still alive after reading (the target waits for us). */
static void
fact_exec(struct evidence *ev, int notify_fd, const struct seccomp_notif *req, int arg,
	  bool entrypoint)
{
	char path[4096];

	if (arg == 1 && (int)req->data.args[0] != AT_FDCWD)
		return;
	if (exe_read_path((pid_t)req->pid, req->data.args[arg], path, sizeof(path)) < 0)
		return;
	struct ev_exe *x = exe_slot(ev, path, entrypoint);
	if (!x)
		return;
	*x = (struct ev_exe){ 0 };
	int fd;
	if (!strcmp(path, "/proc/self/exe")) {
		/* a re-exec of the caller's own image (busybox does it): that file */
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)req->pid);
		fd = open(link, O_PATH | O_CLOEXEC);
	} else {
		fd = exe_open_in((pid_t)req->pid, path, NULL);
	}
	if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (fd >= 0) {
		exe_fill(ev, x, fd);
		close(fd);
	}
	exe_commit(ev, x, path);
	/* the entrypoint also counts among the executables that ran */
	if (entrypoint && (x = exe_slot(ev, path, false))) {
		*x = ev->entry;
		x->path = NULL;
		exe_commit(ev, x, path);
	}
}

/* A recorded call by an executable not yet among the facts: its image, through the
 * /proc/PID/exe magic link (the process's own file, whatever its namespace). */
static void
fact_caller(struct evidence *ev, int notify_fd, const struct seccomp_notif *req, const char *exe)
{
	char link[64];
	struct ev_exe *x = exe_slot(ev, exe, false);

	if (!x)
		return;
	*x = (struct ev_exe){ 0 };
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)req->pid);
	_cleanup_close_ int fd = open(link, O_PATH | O_CLOEXEC);
	if (fd < 0 || ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return;
	exe_fill(ev, x, fd);
	exe_commit(ev, x, exe);
}

/* ---- notifications ---- */
static long
sys_seccomp(unsigned int op, unsigned int flags, void *arg)
{
	return syscall(SYS_seccomp, op, flags, arg);
}

/* The kernel's sizes of struct seccomp_notif and seccomp_notif_resp, never smaller
 * than ours (the kernel may add fields: RECV then needs a larger zeroed buffer). */
static void
notif_sizes(size_t *ret_notif, size_t *ret_resp)
{
	static size_t notif, resp;

	if (!notif) {
		struct seccomp_notif_sizes sz = { 0 };
		if (sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
			sz = (struct seccomp_notif_sizes){ 0 };
		notif = sz.seccomp_notif > sizeof(struct seccomp_notif)
				? sz.seccomp_notif
				: sizeof(struct seccomp_notif);
		resp = sz.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)
			       ? sz.seccomp_notif_resp
			       : sizeof(struct seccomp_notif_resp);
	}
	*ret_notif = notif;
	*ret_resp = resp;
}

/* True when path is the strait binary itself: the container process goes from loading
 * the twin straight to the workload's execve, so that one execve is made while its
 * image is still strait's. The call is the workload's (its entrypoint) and is
 * recorded; strait's binary is not a workload executable and is not listed. */
static bool
is_runtime_binary(const char *path)
{
	static struct stat self;
	static bool have_self;
	struct stat sb;
	if (!have_self)
		have_self = stat("/proc/self/exe", &self) == 0;
	return have_self && stat(path, &sb) == 0 && sb.st_dev == self.st_dev && sb.st_ino == self.st_ino;
}

/* readlink /proc/<pid>/exe into buf; false when it cannot be read or is strait's. */
static bool
pid_exe(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (is_runtime_binary(path))
		return false;
	n = readlink(path, buf, len - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* The caller's pid in its own (innermost) pid namespace and its comm, from
 * /proc/<pid>/status; false when it cannot be read. */
static bool
pid_proc(pid_t pid, struct ev_proc *ret)
{
	char path[64], buf[2048];
	bool name = false, nspid = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	*ret = (struct ev_proc){ .pid = pid, .hostpid = pid };
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(line, "Name:\t", 6)) {
			snprintf(ret->comm, sizeof(ret->comm), "%s", line + 6);
			name = true;
		} else if (!strncmp(line, "NSpid:", 6)) {
			const char *last = strrchr(line, '\t');
			ret->pid = last ? atoi(last + 1) : pid;
			nspid = true;
		}
	}
	return name && nspid;
}

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

void
evidence_listener_setup(int notify_fd)
{
	/* Linux 6.6+: the kernel switches between target and recorder on one CPU. Older
	 * kernels refuse the ioctl (EINVAL/ENOTTY); notifications work the same, slower. */
	if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0)
		log_debug("seccomp recorder: synchronous wake-up not available: %m");
}

/* Answers a notification: CONTINUE (the call runs), or fails it with -error (error 0:
 * "succeeds" with 0 without running, as SECCOMP_RET_ERRNO with errno 0 does). */
static int
notif_answer(int fd, uint64_t id, size_t resp_size, bool cont, int error)
{
	union {
		struct seccomp_notif_resp r;
		char pad[512];
	} stack = { 0 };
	_cleanup_free_ void *heap = NULL;
	struct seccomp_notif_resp *resp = &stack.r;

	if (resp_size > sizeof(stack)) {
		if (!(heap = calloc(1, resp_size)))
			return -ENOMEM;
		resp = heap;
	}
	resp->id = id;
	resp->error = cont ? 0 : -error;
	resp->val = 0;
	resp->flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0)
		return -errno;
	return 0;
}

int
evidence_handle(struct evidence *ev, int notify_fd, const struct seccomp_prog *base)
{
	union {
		struct seccomp_notif n;
		char pad[512];
	} stack;
	_cleanup_free_ void *heap = NULL;
	struct seccomp_notif *req = &stack.n;
	size_t notif_size, resp_size;
	struct pollfd pfd = { .fd = notify_fd, .events = POLLIN };
	char exe[4096];
	bool have_exe;
	int r;

	/* RECV blocks while nothing is pending: look first, so that a caller with a stale
	 * readiness (or a dead fd) never stalls every other container it serves. */
	r = poll(&pfd, 1, 0);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (!(pfd.revents & POLLIN))
		return pfd.revents & (POLLHUP | POLLERR | POLLNVAL) ? -EPIPE : 0;

	notif_sizes(&notif_size, &resp_size);
	if (notif_size > sizeof(stack)) {
		if (!(heap = calloc(1, notif_size)))
			return -ENOMEM;
		req = heap;
	} else {
		/* the kernel refuses a RECV buffer that is not zeroed */
		memset(&stack, 0, sizeof(stack));
	}
	if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		/* ENOENT: the target was interrupted (killed, signalled) after poll */
		if (errno == ENOENT || errno == EINTR)
			return 0;
		return -errno;
	}

	/* The pid may have been reused between the syscall and readlink: the name is
	 * trusted only when the notification is still alive afterwards, which pins the
	 * target (it waits in the kernel for our answer). */
	char procexe[64];
	snprintf(procexe, sizeof(procexe), "/proc/%d/exe", (int)req->pid);
	bool by_runtime = req->pid > 0 && is_runtime_binary(procexe);
	uint64_t args[6];
	for (size_t i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	unsigned tested = 0;
	uint32_t ret = seccomp_prog_eval_tested(base, req->data.arch, req->data.nr, args, &tested);
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;
	if (!ev->enforce)
		tested = 0;

	have_exe = pid_exe((pid_t)req->pid, exe, sizeof(exe));
	struct ev_proc proc;
	bool have_proc = ev->enforce && req->pid > 0 &&
			 record_wants_proc(ev, req->data.arch, req->data.nr, ret, tested, args,
					   (int)req->pid) &&
			 pid_proc((pid_t)req->pid, &proc);
	if ((have_exe || by_runtime || have_proc) &&
	    ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		have_exe = by_runtime = have_proc = false;
	/* Before its execve the process is still strait: what it calls then is strait's
	 * own (identity changes with noNewPrivileges=false), kept apart; the execve is the
	 * workload's entrypoint and is the workload's record. */
	int exec_arg = req->pid > 0 ? exec_path_arg(req->data.arch, req->data.nr) : -1;
	if (exec_arg >= 0)
		fact_exec(ev, notify_fd, req, exec_arg, by_runtime);
	else if (have_exe)
		fact_caller(ev, notify_fd, req, exe);
	if (act == SECCOMP_RET_ALLOW || (ev->enforce && act == SECCOMP_RET_LOG))
		;
	else if (by_runtime && is_runtime_syscall(req->data.arch, req->data.nr))
		runtime_hit(ev, req->data.arch, req->data.nr, ret);
	else
		record_hit(ev, req->data.arch, req->data.nr, ret, tested, args,
			   have_exe ? exe : NULL, have_proc ? &proc : NULL);

	/* Observe mode blocks nothing. Enforce mode gives the base's answer: its errno;
	 * a kill only reaches the recorder through the hand-off execve (record-twin.c),
	 * and the recorder can only give it as SIGKILL. */
	bool cont = !ev->enforce || act == SECCOMP_RET_ALLOW || act == SECCOMP_RET_LOG;
	int error = act == SECCOMP_RET_ERRNO ? (int)(ret & SECCOMP_RET_DATA) : EPERM;
	if (!cont && act != SECCOMP_RET_ERRNO && req->pid > 0 &&
	    ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) == 0)
		kill((pid_t)req->pid, SIGKILL);
	r = notif_answer(notify_fd, req->id, resp_size, cont, error);
	if (r < 0 && r != -ENOENT)
		return r;
	return 1;
}

/* ---- writing ---- */
struct sorted_rec {
	const struct ev_record *r;
	const char *arch;
	char *name;
	char archbuf[32];
};

static int
sorted_cmp(const void *a, const void *b)
{
	const struct sorted_rec *x = a, *y = b;
	int c = strcmp(x->arch, y->arch);

	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = (ret_key(x->r->ret) > ret_key(y->r->ret)) -
		    (ret_key(x->r->ret) < ret_key(y->r->ret));
	if (!c)
		c = (x->r->tested > y->r->tested) - (x->r->tested < y->r->tested);
	for (unsigned i = 0; i < 6 && !c; i++)
		c = (x->r->argv[i] > y->r->argv[i]) - (x->r->argv[i] < y->r->argv[i]);
	return c;
}

static void
gen_kv(struct json_gen *g, const char *k, const char *v)
{
	json_gen_key(g, k);
	json_gen_string(g, v);
}

static void
gen_time(struct json_gen *g, const char *k, const struct timespec *ts)
{
	char buf[40];

	format_time(ts, buf);
	gen_kv(g, k, buf);
}

static void
gen_record(struct json_gen *g, const struct sorted_rec *s)
{
	const struct ev_record *r = s->r;
	bool has_errno;
	unsigned e;
	enum seccomp_action a = ret_action(r->ret, &has_errno, &e);

	json_gen_obj_open(g);
	gen_kv(g, "syscall", s->name);
	gen_kv(g, "arch", s->arch);
	json_gen_key(g, "nr");
	json_gen_int(g, r->nr);
	gen_kv(g, "action", table_seccomp_action_name(a));
	if (has_errno) {
		json_gen_key(g, "errnoRet");
		json_gen_uint(g, e);
	}
	json_gen_key(g, "count");
	json_gen_uint(g, r->count);
	if (r->tested) {
		/* the arguments the profile's rules tested, as the call had them */
		json_gen_key(g, "args");
		json_gen_arr_open(g);
		for (unsigned i = 0; i < 6; i++) {
			if (!(r->tested & (1u << i)))
				continue;
			json_gen_obj_open(g);
			json_gen_key(g, "index");
			json_gen_uint(g, i);
			json_gen_key(g, "value");
			json_gen_uint(g, r->argv[i]);
			json_gen_obj_close(g);
		}
		json_gen_arr_close(g);
	}
	gen_time(g, "first", &r->first);
	gen_time(g, "last", &r->last);
	json_gen_key(g, "executables");
	json_gen_arr_open(g);
	for (size_t k = 0; k < r->n_exes; k++)
		json_gen_string(g, r->exes[k]);
	json_gen_arr_close(g);
	if (r->n_procs) {
		json_gen_key(g, "processes");
		json_gen_arr_open(g);
		for (size_t k = 0; k < r->n_procs; k++) {
			json_gen_obj_open(g);
			json_gen_key(g, "pid");
			json_gen_int(g, r->procs[k].pid);
			gen_kv(g, "comm", r->procs[k].comm);
			json_gen_obj_close(g);
		}
		json_gen_arr_close(g);
	}
	json_gen_obj_close(g);
}

static void
gen_exe(struct json_gen *g, const struct ev_exe *x)
{
	json_gen_obj_open(g);
	gen_kv(g, "path", x->path);
	gen_kv(g, "sha256", x->sha256[0] ? x->sha256 : NULL);
	json_gen_obj_close(g);
}

/* What the evidence was gathered on, beyond the versions: the entrypoint and every
 * executable seen, with their sha256, and the image identity the client gave. */
static void
gen_facts(struct json_gen *g, const struct evidence *ev)
{
	json_gen_key(g, "facts");
	json_gen_obj_open(g);
	json_gen_key(g, "entrypoint");
	if (ev->entry.path)
		gen_exe(g, &ev->entry);
	else
		json_gen_null(g);
	json_gen_key(g, "executables");
	json_gen_arr_open(g);
	for (size_t i = 0; i < ev->n_exes; i++)
		gen_exe(g, &ev->exes[i]);
	json_gen_arr_close(g);
	json_gen_key(g, "image");
	json_gen_obj_open(g);
	for (char **kv = ev->image; kv && *kv; kv++) {
		const char *eq = strchr(*kv, '=');
		if (!eq)
			continue;
		_cleanup_free_ char *k = strndup(*kv, (size_t)(eq - *kv));
		if (k)
			gen_kv(g, k, eq + 1);
	}
	json_gen_obj_close(g);
	json_gen_obj_close(g);
}

static void
gen_header(struct json_gen *g, const struct evidence *ev)
{
	struct utsname u;

	json_gen_key(g, "straitEvidence");
	json_gen_int(g, EVIDENCE_FORMAT_VERSION);
	/* observe: the twin blocked nothing; enforce: the profile was enforced and these
	 * are its denials (--seccomp-denials=record) */
	gen_kv(g, "mode", ev->enforce ? "enforce" : "observe");
	json_gen_key(g, "container");
	json_gen_obj_open(g);
	gen_kv(g, "id", ev->id);
	gen_kv(g, "bundle", ev->bundle);
	gen_kv(g, "label", ev->label);
	json_gen_obj_close(g);
	json_gen_key(g, "baseProfile");
	json_gen_obj_open(g);
	gen_kv(g, "sha256", ev->base_sha256);
	gen_kv(g, "source", ev->base_source);
	json_gen_obj_close(g);
	gen_time(g, "start", &ev->start);
	gen_time(g, "end", &ev->end);
	json_gen_key(g, "versions");
	json_gen_obj_open(g);
	gen_kv(g, "strait", PACKAGE_VERSION);
	gen_kv(g, "libseccomp", seccomp_libseccomp_version());
	gen_kv(g, "kernel", uname(&u) == 0 ? u.release : NULL);
	json_gen_obj_close(g);
	gen_facts(g, ev);
	json_gen_key(g, "recordsDropped");
	json_gen_uint(g, ev->dropped);
}

/* Sorted records of one table, with names resolved (names malloc'd, freed by caller). */
static int
sorted_records(const struct ev_record *recs, size_t n, struct sorted_rec *s)
{
	for (size_t i = 0; i < n; i++) {
		s[i].r = &recs[i];
		s[i].arch = arch_name(recs[i].arch, recs[i].nr, s[i].archbuf);
		s[i].name = syscall_name(recs[i].arch, recs[i].nr);
		if (!s[i].name)
			return -ENOMEM;
	}
	qsort(s, n, sizeof(*s), sorted_cmp);
	return 0;
}

static void
gen_records(struct json_gen *g, const char *key, const struct sorted_rec *s, size_t n)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (size_t i = 0; i < n; i++)
		gen_record(g, &s[i]);
	json_gen_arr_close(g);
}

int
evidence_json(const struct evidence *ev, char **ret_text, size_t *ret_len)
{
	_cleanup_free_ struct sorted_rec *s = calloc(ev->n_recs + ev->n_rt + 1, sizeof(*s));
	struct sorted_rec *rt = s ? s + ev->n_recs : NULL;
	struct json_gen *g;
	int r;

	if (!s)
		return -ENOMEM;
	r = sorted_records(ev->recs, ev->n_recs, s);
	if (r >= 0)
		r = sorted_records(ev->rt, ev->n_rt, rt);
	g = r < 0 ? NULL : json_gen_new(true);
	if (g) {
		json_gen_obj_open(g);
		gen_header(g, ev);
		gen_records(g, "records", s, ev->n_recs);
		/* strait's own calls under the twin (docs/seccomp-evidence.md) */
		gen_records(g, "runtimeRecords", rt, ev->n_rt);
		json_gen_obj_close(g);
		r = json_gen_finish(g, ret_text, ret_len);
		json_gen_free(g);
	} else if (r >= 0) {
		r = -ENOMEM;
	}
	for (size_t i = 0; i < ev->n_recs + ev->n_rt; i++)
		free(s[i].name);
	return r;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
evidence_snapshot(struct evidence *ev, const char *path, bool force)
{
	struct timespec mono;

	if (!ev || !path || !ev->dirty)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	uint64_t now = (uint64_t)mono.tv_sec * 1000 + (uint64_t)mono.tv_nsec / 1000000;
	uint64_t due = ev->written_ms + EVIDENCE_SNAPSHOT_MS;
	if (!force && now < due)
		return (int)(due - now);
	struct lc_err err = { 0 };
	/* a snapshot that cannot be written (the state dir is being deleted) is not an
	 * error of the container's; the final write reports its own */
	if (evidence_write(ev, path, &err) < 0)
		log_debug("seccomp denials: %s", err.msg);
	return -1;
}

int
evidence_write(struct evidence *ev, const char *path, struct lc_err *err)
{
	_cleanup_free_ char *text = NULL, *tmp = NULL;
	_cleanup_close_ int fd = -1;
	size_t len;
	int r;

	struct timespec mono;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	ev->written_ms = (uint64_t)mono.tv_sec * 1000 + (uint64_t)mono.tv_nsec / 1000000;
	clock_gettime(CLOCK_REALTIME, &ev->end);
	ev->dirty = false;
	r = evidence_json(ev, &text, &len);
	if (r < 0)
		return lc_err_set(err, -r, "seccomp evidence %s", path);
	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return lc_err_set(err, ENOMEM, "seccomp evidence %s", path);
	/* a private temp file in the same directory, renamed over the target: a reader
	 * sees the old file or the complete new one, never a partial write */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return lc_err_set(err, errno, "seccomp evidence %s: create a temporary file", path);
	r = write_all(fd, text, len);
	if (r == 0 && write_all(fd, "\n", 1) == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return lc_err_set(err, -r, "seccomp evidence %s: write", path);
	}
	return 0;
}
