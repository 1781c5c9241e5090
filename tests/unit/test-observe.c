/* Unit tests for observe mode: the logging twin (its shape, and its compiled program
 * against the base's, syscall by syscall), real notifications from a child under the
 * twin handled by evidence_handle (records, counts, errnos, executables, nothing
 * blocked, the record cap), evidence_write/evidence_load, and the recorder agent with
 * a good client and misbehaving ones. Needs root on x86_64 (real seccomp filters). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "json.h"
#include "macro.h"
#include "spec.h"
#include "seccomp/observe.h"
#include "seccomp/seccomp.h"
#include "tap.h"

/* ---- hand-made profiles ---- */
struct prof {
	struct spec_seccomp s;
	struct spec_seccomp_rule rules[16];
	char *names[16][12];
	struct spec_seccomp_arg args[16][4];
	char *archs[8], *flags[8];
};

static void
prof_init(struct prof *p, enum seccomp_action def)
{
	memset(p, 0, sizeof(*p));
	p->s.present = true;
	p->s.default_action = def;
	p->s.rules = p->rules;
}

static struct spec_seccomp_rule *
prof_rule(struct prof *p, enum seccomp_action a, const char *const *names)
{
	size_t i = p->s.n_rules++;
	struct spec_seccomp_rule *r = &p->rules[i];

	r->action = a;
	r->names = p->names[i];
	for (; *names; names++)
		p->names[i][r->n_names++] = (char *)*names;
	r->args = p->args[i];
	return r;
}

#define RULE(p, a, ...) prof_rule(p, a, (const char *const[]){ __VA_ARGS__, NULL })

static void
rule_arg(struct spec_seccomp_rule *r, unsigned idx, enum seccomp_op op, uint64_t v)
{
	r->args[r->n_args++] = (struct spec_seccomp_arg){ .index = idx, .op = op, .value = v };
}

static void
rule_errno(struct spec_seccomp_rule *r, unsigned e)
{
	r->has_errno_ret = true;
	r->errno_ret = e;
}

static struct seccomp_prog *
compile(const struct spec_seccomp *s)
{
	struct seccomp_prog *prog = NULL;
	struct lc_err e = { 0 };

	if (seccomp_compile(s, false, &prog, &e) < 0) {
		printf("# compile failed: %s\n", e.msg);
		return NULL;
	}
	return prog;
}

static int
nr_of(const char *name)
{
	return seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
}

static uint32_t
eval(const struct seccomp_prog *p, const char *name, uint64_t a0)
{
	uint64_t args[6] = { a0 };
	return seccomp_prog_eval(p, AUDIT_ARCH_X86_64, nr_of(name), args);
}

static bool
strv_has(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The rule of t that names name, or NULL. */
static const struct spec_seccomp_rule *
rule_naming(const struct spec_seccomp *t, const char *name)
{
	for (size_t i = 0; i < t->n_rules; i++)
		if (strv_has(t->rules[i].names, t->rules[i].n_names, name))
			return &t->rules[i];
	return NULL;
}

/* The base of the real-kernel tests: what the children do after loading the twin. */
static void
base_profile(struct prof *p)
{
	struct spec_seccomp_rule *r;

	prof_init(p, SCMP_ACT_ERRNO_); /* EPERM */
	RULE(p, SCMP_ACT_ALLOW_, "read", "write", "exit", "exit_group", "getppid", "rt_sigreturn");
	r = RULE(p, SCMP_ACT_ALLOW_, "personality");
	rule_arg(r, 0, SCMP_OP_EQ, 0xffffffff);
	r = RULE(p, SCMP_ACT_ERRNO_, "mkdir");
	rule_errno(r, EACCES);
	RULE(p, SCMP_ACT_KILL_PROCESS_, "ptrace");
}

/* ---- the twin's shape ---- */
static void
test_twin_shape(void)
{
	struct prof p;
	struct spec_seccomp *t = NULL;
	const struct spec_seccomp_rule *r;
	struct lc_err err = { 0 };

	prof_init(&p, SCMP_ACT_ERRNO_);
	p.s.has_default_errno_ret = true;
	p.s.default_errno_ret = ENOSYS;
	p.s.architectures = p.archs;
	p.archs[p.s.n_architectures++] = "SCMP_ARCH_X86_64";
	p.archs[p.s.n_architectures++] = "SCMP_ARCH_X86";
	p.s.flags = p.flags;
	p.flags[p.s.n_flags++] = "SECCOMP_FILTER_FLAG_LOG";
	p.flags[p.s.n_flags++] = "SECCOMP_FILTER_FLAG_SPEC_ALLOW";
	p.s.listener_path = "/run/agent.sock";
	RULE(&p, SCMP_ACT_ALLOW_, "read", "execve", "write");
	struct spec_seccomp_rule *pr = RULE(&p, SCMP_ACT_ALLOW_, "personality");
	rule_arg(pr, 0, SCMP_OP_EQ, 8);
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "mkdir"), EACCES);
	RULE(&p, SCMP_ACT_KILL_PROCESS_, "ptrace");
	RULE(&p, SCMP_ACT_LOG_, "getpid");
	RULE(&p, SCMP_ACT_ALLOW_, "execveat");

	is_int(seccomp_observe_twin(&p.s, &t, &err), 0, "twin of a deny-default profile: %s",
	       err.msg);
	if (!t)
		return;
	ok(t->present, "the twin is present");
	is_int(t->default_action, SCMP_ACT_NOTIFY_, "deny default -> NOTIFY default");
	ok(!t->has_default_errno_ret, "no defaultErrnoRet in the twin");
	is_int(t->n_architectures, 2, "architectures kept");
	ok(strv_has(t->architectures, t->n_architectures, "SCMP_ARCH_X86"), "x86 kept");
	is_int(t->n_flags, 1, "one flag left");
	ok(!strv_has(t->flags, t->n_flags, "SECCOMP_FILTER_FLAG_LOG"), "the LOG flag is dropped");
	ok(strv_has(t->flags, t->n_flags, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), "other flags kept");
	ok(t->listener_path == NULL && t->listener_metadata == NULL,
	   "listener settings are left to the caller");
	r = rule_naming(t, "read");
	ok(r && r->action == SCMP_ACT_ALLOW_ && strv_has(r->names, r->n_names, "write"),
	   "ALLOW rules kept");
	r = rule_naming(t, "personality");
	ok(r && r->action == SCMP_ACT_ALLOW_ && r->n_args == 1 && r->args[0].value == 8 &&
		   r->args[0].op == SCMP_OP_EQ,
	   "ALLOW with argument conditions kept as it is");
	ok(!rule_naming(t, "mkdir") && !rule_naming(t, "ptrace") && !rule_naming(t, "getpid"),
	   "ERRNO, KILL and LOG rules dropped (they fall to the NOTIFY default)");
	r = rule_naming(t, "execve");
	ok(r && r->action == SCMP_ACT_NOTIFY_ && r->n_args == 0, "execve always NOTIFY");
	r = rule_naming(t, "execveat");
	ok(r && r->action == SCMP_ACT_NOTIFY_, "execveat always NOTIFY, even when base allows it");
	int n_exec = 0;
	for (size_t i = 0; i < t->n_rules; i++) {
		n_exec += strv_has(t->rules[i].names, t->rules[i].n_names, "execve");
		ok(!t->rules[i].has_errno_ret, "twin rule %zu has no errnoRet", i);
	}
	is_int(n_exec, 1, "execve appears in exactly one rule of the twin");
	seccomp_spec_free(t);
	t = NULL;

	/* default ALLOW: the twin must not make every allowed syscall pay a round trip */
	prof_init(&p, SCMP_ACT_ALLOW_);
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "mkdir", "execve"), EPERM);
	struct spec_seccomp_rule *sr = RULE(&p, SCMP_ACT_KILL_THREAD_, "socket");
	rule_arg(sr, 0, SCMP_OP_EQ, 16 /* AF_NETLINK */);
	is_int(seccomp_observe_twin(&p.s, &t, &err), 0, "twin of an allow-default profile");
	if (!t)
		return;
	is_int(t->default_action, SCMP_ACT_ALLOW_, "allow default stays ALLOW");
	r = rule_naming(t, "mkdir");
	ok(r && r->action == SCMP_ACT_NOTIFY_ && !r->has_errno_ret, "ERRNO rule -> NOTIFY rule");
	ok(r && !strv_has(r->names, r->n_names, "execve"), "execve taken out of that rule");
	r = rule_naming(t, "socket");
	ok(r && r->action == SCMP_ACT_NOTIFY_ && r->n_args == 1 && r->args[0].value == 16,
	   "KILL rule with a condition -> NOTIFY with the same condition");
	seccomp_spec_free(t);
	t = NULL;

	p.s.present = false;
	ok(seccomp_observe_twin(&p.s, &t, &err) == -EINVAL && t == NULL, "no base: -EINVAL");
	has_str(err.msg, "no base profile", "the error says so");
	ok(seccomp_observe_twin(NULL, &t, &err) == -EINVAL, "NULL base: -EINVAL");
}

/* ---- the compiled twin against the compiled base ---- */
static void
test_twin_eval(void)
{
	struct prof p;
	struct spec_seccomp *t = NULL;
	struct seccomp_prog *tp, *bp;
	struct lc_err err = { 0 };

	base_profile(&p);
	seccomp_observe_twin(&p.s, &t, &err);
	tp = t ? compile(t) : NULL;
	bp = compile(&p.s);
	ok(tp && bp, "base and twin compile");
	if (!tp || !bp)
		goto out;
	ok(tp->needs_notify, "the twin asks for a listener");
	is_int(eval(tp, "getppid", 0), SECCOMP_RET_ALLOW, "allowed by rule -> ALLOW in the twin");
	is_int(eval(tp, "read", 0), SECCOMP_RET_ALLOW, "read -> ALLOW in the twin");
	is_int(eval(bp, "mkdir", 0), SECCOMP_RET_ERRNO | EACCES, "base: mkdir -> ERRNO(EACCES)");
	is_int(eval(tp, "mkdir", 0), SECCOMP_RET_USER_NOTIF, "denied by rule -> NOTIFY");
	is_int(eval(tp, "ptrace", 0), SECCOMP_RET_USER_NOTIF, "killed by rule -> NOTIFY");
	is_int(eval(bp, "getpid", 0), SECCOMP_RET_ERRNO | EPERM, "base: getpid -> default EPERM");
	is_int(eval(tp, "getpid", 0), SECCOMP_RET_USER_NOTIF, "denied by default -> NOTIFY");
	is_int(eval(tp, "personality", 0xffffffff), SECCOMP_RET_ALLOW,
	       "allowed by an argument condition -> ALLOW");
	is_int(eval(bp, "personality", 8), SECCOMP_RET_ERRNO | EPERM,
	       "base: personality(8) falls to the default");
	is_int(eval(tp, "personality", 8), SECCOMP_RET_USER_NOTIF,
	       "denied by an argument condition -> NOTIFY");
	is_int(eval(tp, "execve", 0), SECCOMP_RET_USER_NOTIF, "execve -> NOTIFY");
	is_int(eval(tp, "execveat", 0), SECCOMP_RET_USER_NOTIF, "execveat -> NOTIFY");
	is_int(seccomp_prog_eval(tp, AUDIT_ARCH_X86_64, 5000, NULL), SECCOMP_RET_USER_NOTIF,
	       "a number no profile knows -> NOTIFY (it is recorded too)");
out:
	seccomp_prog_free(tp);
	seccomp_prog_free(bp);
	seccomp_spec_free(t);

	/* default ALLOW base */
	struct spec_seccomp_rule *r;
	prof_init(&p, SCMP_ACT_ALLOW_);
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "mkdir"), EROFS);
	r = RULE(&p, SCMP_ACT_TRAP_, "personality");
	rule_arg(r, 0, SCMP_OP_EQ, 8);
	t = NULL;
	seccomp_observe_twin(&p.s, &t, &err);
	tp = t ? compile(t) : NULL;
	ok(tp != NULL, "twin of an allow-default profile compiles");
	if (tp) {
		is_int(eval(tp, "getpid", 0), SECCOMP_RET_ALLOW, "allowed by default -> ALLOW");
		is_int(eval(tp, "mkdir", 0), SECCOMP_RET_USER_NOTIF, "denied by rule -> NOTIFY");
		is_int(eval(tp, "personality", 8), SECCOMP_RET_USER_NOTIF,
		       "trapped by an argument condition -> NOTIFY");
		is_int(eval(tp, "personality", 0), SECCOMP_RET_ALLOW,
		       "the condition not met -> ALLOW");
		is_int(eval(tp, "execve", 0), SECCOMP_RET_USER_NOTIF, "execve -> NOTIFY");
	}
	seccomp_prog_free(tp);
	seccomp_spec_free(t);
}

/* Property check on the built-in profile: for every x86_64 and x86 number, the twin
 * allows exactly what the base allows, and notifies on everything else. */
static void
test_twin_default_profile(void)
{
	struct spec_seccomp *base = NULL, *t = NULL;
	struct seccomp_prog *bp = NULL, *tp = NULL;
	struct lc_err err = { 0 };
	int bad = 0, allowed = 0, notified = 0;
	const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };
	const uint32_t tokens[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };

	is_int(seccomp_default_profile(&base), 0, "the built-in profile");
	if (!base)
		return;
	is_int(seccomp_observe_twin(base, &t, &err), 0, "its twin");
	bp = compile(base);
	tp = t ? compile(t) : NULL;
	ok(bp && tp, "both compile");
	for (size_t a = 0; bp && tp && a < ARRAY_SIZE(arches); a++) {
		for (int nr = 0; nr < 600; nr++) {
			for (uint64_t a0 = 0; a0 < 2; a0++) {
				uint64_t args[6] = {
					a0 ? 0x7e020000 /* clone flags w/ NEWUSER */ : 0
				};
				uint32_t b = seccomp_prog_eval(bp, arches[a], nr, args);
				uint32_t w = seccomp_prog_eval(tp, arches[a], nr, args);
				bool exec = nr == seccomp_syscall_resolve_name_arch(tokens[a],
										    "execve") ||
					    nr == seccomp_syscall_resolve_name_arch(tokens[a],
										    "execveat");
				uint32_t want = b == SECCOMP_RET_ALLOW && !exec
							? SECCOMP_RET_ALLOW
							: SECCOMP_RET_USER_NOTIF;
				if (w != want) {
					if (bad++ < 5)
						printf("# arch %x nr %d a0 %d: base %x twin %x\n",
						       arches[a], nr, (int)a0, b, w);
				}
				allowed += w == SECCOMP_RET_ALLOW;
				notified += w == SECCOMP_RET_USER_NOTIF;
			}
		}
	}
	is_int(bad, 0, "twin == (base allows ? ALLOW : NOTIFY) for 2 x 600 numbers x 2 args");
	ok(allowed > 300 && notified > 100, "both outcomes occur (%d allowed, %d notified)",
	   allowed, notified);
	seccomp_prog_free(bp);
	seccomp_prog_free(tp);
	seccomp_spec_free(t);
	seccomp_spec_free(base);
}

/* ---- children under the twin ---- */
struct shared {
	volatile int fd; /* the child's notify fd number; -2 when loading failed */
	volatile long res[8];
};
static struct shared *shm;

typedef void (*child_fn)(struct shared *sh, void *arg);

/* Forks a child that loads twin and runs fn. Its first notifying syscall waits until
 * someone holds the listener: the parent takes it with pidfd_getfd (take_fd). */
static pid_t
spawn_under(const struct seccomp_prog *twin, struct shared *sh, child_fn fn, void *arg)
{
	memset((void *)sh, 0, sizeof(*sh));
	sh->fd = -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct lc_err err = { 0 };
		int fd = -1;
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (seccomp_prog_load(twin, &fd, &err) < 0 || fd < 0) {
			sh->fd = -2;
			_exit(99);
		}
		__atomic_store_n(&sh->fd, fd, __ATOMIC_SEQ_CST);
		fn(sh, arg);
		_exit(0);
	}
	return pid;
}

static int
take_fd(pid_t pid, struct shared *sh)
{
	for (int i = 0; i < 5000 && __atomic_load_n(&sh->fd, __ATOMIC_SEQ_CST) == -1; i++)
		usleep(1000);
	if (sh->fd < 0)
		return -1;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, sh->fd, 0);
	close(pidfd);
	return fd;
}

/* Serves nfd until the child has exited, been reaped and the fd hung up (10 s cap). */
static int
serve(struct evidence *ev, int nfd, const struct seccomp_prog *base, pid_t pid, int *status,
      int *ret_last)
{
	bool reaped = false;
	int handled = 0, last = 0;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = nfd, .events = POLLIN };
		poll(&pfd, 1, 50);
		if (pfd.revents & POLLIN) {
			last = evidence_handle(ev, nfd, base);
			if (last > 0)
				handled++;
			if (last < 0 && reaped)
				break;
		} else if (pfd.revents & POLLHUP) {
			last = evidence_handle(ev, nfd, base);
			break;
		}
		if (!reaped && waitpid(pid, status, WNOHANG) == pid)
			reaped = true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10) {
			printf("# serve: timeout\n");
			kill(pid, SIGKILL);
			if (!reaped)
				waitpid(pid, status, 0);
			break;
		}
	}
	/* the fd may hang up before the zombie is reaped */
	if (!reaped)
		waitpid(pid, status, 0);
	if (ret_last)
		*ret_last = last;
	return handled;
}

struct child1_arg {
	const char *dir;
	const char *exe;
};

static void
child1(struct shared *sh, void *varg)
{
	struct child1_arg *a = varg;
	char *const argv[] = { (char *)a->exe, NULL };
	char *const envp[] = { NULL };

	sh->res[0] = syscall(SYS_mkdir, a->dir, 0700); /* base: ERRNO(EACCES) */
	for (int i = 0; i < 3; i++)
		sh->res[1] = syscall(SYS_getppid); /* base: ALLOW */
	sh->res[2] = syscall(SYS_getpid);	   /* base: default EPERM */
	sh->res[3] = syscall(SYS_getpid);
	sh->res[4] = syscall(SYS_ptrace, 12345, 0, 0, 0);  /* base: KILL_PROCESS */
	sh->res[5] = syscall(SYS_personality, 0xffffffff); /* base: ALLOW by condition */
	sh->res[6] = syscall(SYS_personality, 0xfffffffe); /* base: default EPERM */
	execve(a->exe, argv, envp);			   /* base: default EPERM */
	_exit(98);
}

static const struct evidence_record *
find_rec(const struct evidence_doc *d, const char *name, enum seccomp_action a)
{
	for (size_t i = 0; d && i < d->n_records; i++)
		if (strcmp(d->records[i].syscall, name) == 0 && d->records[i].action == a)
			return &d->records[i];
	return NULL;
}

static bool
rec_has_exe(const struct evidence_record *r, const char *exe)
{
	return r && strv_has(r->executables, r->n_executables, exe);
}

static char tmpdir[] = "/tmp/test-observe.XXXXXX";

static void
test_handle_real(void)
{
	struct prof p;
	struct spec_seccomp *t = NULL;
	struct seccomp_prog *tp = NULL, *bp = NULL;
	struct lc_err err = { 0 };
	char dir[PATH_MAX], path[PATH_MAX], self[PATH_MAX], truebin[PATH_MAX];
	struct stat st;
	int status = -1, last = 0;
	ssize_t n;

	base_profile(&p);
	seccomp_observe_twin(&p.s, &t, &err);
	tp = compile(t);
	bp = compile(&p.s);
	if (!tp || !bp) {
		ok(0, "compile");
		goto out;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if (!realpath("/bin/true", truebin))
		snprintf(truebin, sizeof(truebin), "/bin/true");
	snprintf(dir, sizeof(dir), "%s/made-by-child", tmpdir);
	struct child1_arg a = { dir, "/bin/true" };
	struct evidence_meta m = { .id = "ct-1",
				   .bundle = "/srv/b",
				   .label = "unit",
				   .base_sha256 = bp->sha256,
				   .base_source = "config" };
	struct evidence *ev = evidence_new(&m);
	pid_t pid = spawn_under(tp, shm, child1, &a);
	int nfd = take_fd(pid, shm);
	ok(nfd >= 0, "the parent took the child's listener with pidfd_getfd");
	if (nfd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		evidence_free(ev);
		goto out;
	}
	int handled = serve(ev, nfd, bp, pid, &status, &last);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "the child ran /bin/true to the end (status 0x%x)", status);
	ok(handled > 6, "notifications handled: %d", handled);
	is_int(last, -EPIPE, "evidence_handle says -EPIPE once the child is gone");
	is_int(evidence_handle(ev, nfd, bp), -EPIPE, "and again");
	close(nfd);

	/* nothing was blocked */
	is_int(shm->res[0], 0, "mkdir succeeded in the child (the twin blocks nothing)");
	ok(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "the directory exists");
	is_int(shm->res[2], pid, "getpid returned the real pid");
	is_int(shm->res[4], -1, "ptrace(12345) ran and failed by itself (not killed)");
	is_int(shm->res[5], shm->res[6], "both personality calls ran");

	/* the records, through a file */
	snprintf(path, sizeof(path), "%s/ev.json", tmpdir);
	is_int(evidence_write(ev, path, &err), 0, "evidence_write: %s", err.msg);
	ok(evidence_n_records(ev) >= 6, "records: %zu", evidence_n_records(ev));
	evidence_free(ev);
	struct evidence_doc *d = NULL;
	is_int(evidence_load(path, &d, &err), 0, "evidence_load: %s", err.msg);
	if (!d)
		goto out;
	const struct evidence_record *r = find_rec(d, "mkdir", SCMP_ACT_ERRNO_);
	ok(r != NULL, "mkdir recorded");
	if (r) {
		is_int(r->count, 1, "mkdir count");
		ok(r->has_errno_ret && r->errno_ret == EACCES, "mkdir: errnoRet %u (EACCES)",
		   r->errno_ret);
		is_str(r->arch, "SCMP_ARCH_X86_64", "mkdir: arch");
		is_int(r->nr, nr_of("mkdir"), "mkdir: nr");
		/* The child is a fork of this binary, like strait's container process before its
		 * execve: mkdir is not one of strait's own calls, so it is a workload record,
		 * but the recorder's binary is never listed as its executable. */
		ok(!r->by_runtime && r->n_executables == 0,
		   "mkdir is a workload record; the recorder's own binary is not listed");
		ok(r->first && r->last && strlen(r->first) == 30 && r->first[29] == 'Z',
		   "mkdir: RFC 3339 nanosecond times (%s)", r->first ? r->first : "");
	}
	r = find_rec(d, "getpid", SCMP_ACT_ERRNO_);
	ok(r && r->count == 2 && r->errno_ret == EPERM, "getpid: one record, count 2, EPERM");
	r = find_rec(d, "ptrace", SCMP_ACT_KILL_PROCESS_);
	ok(r && r->count == 1 && !r->has_errno_ret, "ptrace: KILL_PROCESS, no errno");
	r = find_rec(d, "personality", SCMP_ACT_ERRNO_);
	ok(r && r->count == 1, "personality: only the call outside the condition");
	ok(!find_rec(d, "getppid", SCMP_ACT_ERRNO_), "getppid (allowed) is not recorded");
	r = find_rec(d, "execve", SCMP_ACT_ERRNO_);
	ok(r && r->count == 1 && !r->by_runtime && r->n_executables == 0,
	   "execve recorded as the workload's entrypoint, the recorder's binary not listed");
	r = find_rec(d, "brk", SCMP_ACT_ERRNO_);
	ok(rec_has_exe(r, truebin), "brk after exec recorded with executable %s", truebin);
	ok(!find_rec(d, "exit_group", SCMP_ACT_ERRNO_), "exit_group (allowed) not recorded");
	size_t dups = 0;
	for (size_t i = 0; i < d->n_records; i++)
		for (size_t k = i + 1; k < d->n_records; k++)
			dups += strcmp(d->records[i].syscall, d->records[k].syscall) == 0 &&
				d->records[i].action == d->records[k].action &&
				d->records[i].errno_ret == d->records[k].errno_ret;
	is_int(dups, 0, "records are deduplicated");
	is_str(d->id, "ct-1", "id");
	is_str(d->bundle, "/srv/b", "bundle");
	is_str(d->label, "unit", "label");
	is_str(d->base_sha256, bp->sha256, "base sha256");
	is_str(d->base_source, "config", "base source");
	is_str(d->strait_version, PACKAGE_VERSION, "strait version");
	is_str(d->libseccomp_version, seccomp_libseccomp_version(), "libseccomp version");
	struct utsname u;
	uname(&u);
	is_str(d->kernel_version, u.release, "kernel version");
	ok(d->start && d->end && strcmp(d->start, d->end) <= 0, "start <= end");
	is_int(d->records_dropped, 0, "nothing dropped");
	evidence_doc_free(d);
	stat(path, &st);
	is_int(st.st_mode & 0777, 0600, "the evidence file is 0600");
out:
	seccomp_spec_free(t);
	seccomp_prog_free(tp);
	seccomp_prog_free(bp);
}

/* ---- deny-and-record: the recording twin ---- */
static void
test_record_twin(void)
{
	struct prof p;
	struct spec_seccomp *t = NULL;
	struct seccomp_prog *tp = NULL, *bp = NULL;
	struct lc_err err = { 0 };

	base_profile(&p);
	RULE(&p, SCMP_ACT_ALLOW_, "execve");
	is_int(seccomp_record_twin(&p.s, &t, &err), 0, "recording twin: %s", err.msg);
	tp = t ? compile(t) : NULL;
	bp = compile(&p.s);
	ok(tp && bp, "base and recording twin compile");
	if (!tp || !bp)
		goto out;
	is_int(eval(tp, "read", 0), SECCOMP_RET_ALLOW, "allowed -> ALLOW (never notified)");
	is_int(eval(tp, "personality", 0xffffffff), SECCOMP_RET_ALLOW,
	       "allowed by a condition -> ALLOW");
	is_int(eval(tp, "mkdir", 0), SECCOMP_RET_USER_NOTIF, "ERRNO rule -> NOTIFY");
	is_int(eval(tp, "getpid", 0), SECCOMP_RET_USER_NOTIF, "ERRNO default -> NOTIFY");
	is_int(eval(tp, "ptrace", 0), SECCOMP_RET_KILL_PROCESS, "KILL stays the kernel's");
	is_int(eval(tp, "execve", 0x1000), SECCOMP_RET_ALLOW, "execve -> ALLOW");
	is_int(eval(tp, "execve", SECCOMP_HANDOFF_ADDR), SECCOMP_RET_USER_NOTIF,
	       "the hand-off execve (path at the hand-off page) -> NOTIFY");
	is_int(eval(bp, "execve", SECCOMP_HANDOFF_ADDR), SECCOMP_RET_ALLOW,
	       "and the base allows it: the recorder answers CONTINUE");
	seccomp_prog_free(tp);
	seccomp_spec_free(t);
	tp = NULL;
	t = NULL;

	/* default ALLOW, execve not named: only the hand-off is notified */
	prof_init(&p, SCMP_ACT_ALLOW_);
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "mkdir"), EROFS);
	RULE(&p, SCMP_ACT_TRAP_, "uname");
	seccomp_record_twin(&p.s, &t, &err);
	tp = t ? compile(t) : NULL;
	ok(tp != NULL, "recording twin of an allow-default profile compiles");
	if (tp) {
		is_int(eval(tp, "getpid", 0), SECCOMP_RET_ALLOW, "allowed by default -> ALLOW");
		is_int(eval(tp, "mkdir", 0), SECCOMP_RET_USER_NOTIF, "ERRNO(EROFS) -> NOTIFY");
		is_int(eval(tp, "uname", 0), SECCOMP_RET_TRAP, "TRAP stays");
		is_int(eval(tp, "execve", 0), SECCOMP_RET_ALLOW, "execve -> ALLOW");
		is_int(eval(tp, "execve", SECCOMP_HANDOFF_ADDR), SECCOMP_RET_USER_NOTIF,
		       "the hand-off execve -> NOTIFY");
	}
	seccomp_prog_free(tp);
	seccomp_spec_free(t);
	tp = NULL;
	t = NULL;

	/* a profile with its own listener cannot be recorded */
	prof_init(&p, SCMP_ACT_ALLOW_);
	RULE(&p, SCMP_ACT_NOTIFY_, "mkdir");
	is_int(seccomp_record_twin(&p.s, &t, &err), -EINVAL, "NOTIFY in the base: refused");
	ok(strstr(err.msg, "SCMP_ACT_NOTIFY") != NULL, "the error says why: %s", err.msg);
out:
	seccomp_prog_free(tp);
	seccomp_prog_free(bp);
	seccomp_spec_free(t);
}

static void
child_record(struct shared *sh, void *varg)
{
	(void)varg;
	for (int i = 0; i < 3; i++)
		sh->res[0] = syscall(SYS_mkdir, "/nonexistent/x", 0700) < 0 ? -errno : 0;
	sh->res[1] = syscall(SYS_getpid) < 0 ? -errno : 0;	     /* default EPERM */
	sh->res[2] = syscall(SYS_personality, 0xffffffff) < 0 ? -errno : 0; /* allowed */
	sh->res[3] = syscall(SYS_personality, 8) < 0 ? -errno : 0;	     /* default EPERM */
	sh->res[4] = syscall(SYS_getppid);			     /* allowed */
}

/* Real notifications answered as the base would: the errno, recorded with the
 * arguments the base tested, deduplicated. */
static void
test_record_handle_real(void)
{
	struct prof p;
	struct spec_seccomp *t = NULL;
	struct seccomp_prog *tp = NULL, *bp = NULL;
	struct lc_err err = { 0 };
	char path[PATH_MAX];
	int status = -1;

	base_profile(&p);
	/* what a sanitizer's runtime may call in the child at any time (ASan maps its
	 * shadow lazily and dies when mmap fails); denied, they would be recorded too */
	RULE(&p, SCMP_ACT_ALLOW_, "mmap", "munmap", "mprotect", "madvise", "futex", "gettid",
	     "tgkill", "rt_sigaction", "rt_sigprocmask", "sigaltstack", "sched_yield", "brk");
	seccomp_record_twin(&p.s, &t, &err);
	tp = t ? compile(t) : NULL;
	bp = compile(&p.s);
	if (!tp || !bp) {
		ok(0, "compile");
		goto out;
	}
	struct evidence_meta m = { .id = "ct-r", .base_sha256 = bp->sha256, .enforce = true };
	struct evidence *ev = evidence_new(&m);
	pid_t pid = spawn_under(tp, shm, child_record, NULL);
	int nfd = take_fd(pid, shm);
	ok(nfd >= 0, "took the recording twin's listener");
	if (nfd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		evidence_free(ev);
		goto out;
	}
	int handled = serve(ev, nfd, bp, pid, &status, NULL);
	close(nfd);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child ran to the end (0x%x)", status);
	is_int(handled, 5, "5 notifications: the denied calls only");
	is_int(shm->res[0], -EACCES, "mkdir denied with the rule's errno (EACCES)");
	is_int(shm->res[1], -EPERM, "getpid denied with the default's errno (EPERM)");
	is_int(shm->res[2], 0, "personality(0xffffffff) allowed");
	is_int(shm->res[3], -EPERM, "personality(8) denied");
	ok(shm->res[4] > 0, "getppid allowed (%ld)", shm->res[4]);
	snprintf(path, sizeof(path), "%s/denials.json", tmpdir);
	is_int(evidence_write(ev, path, &err), 0, "evidence_write: %s", err.msg);
	evidence_free(ev);
	struct evidence_doc *d = NULL;
	is_int(evidence_load(path, &d, &err), 0, "evidence_load: %s", err.msg);
	if (!d)
		goto out;
	ok(d->enforce, "mode enforce");
	is_int(d->n_records, 3, "three records: mkdir, getpid, personality");
	for (size_t i = 0; d->n_records != 3 && i < d->n_records; i++)
		printf("# record %zu: %s, %llu calls\n", i, d->records[i].syscall,
		     (unsigned long long)d->records[i].count);
	const struct evidence_record *r = find_rec(d, "mkdir", SCMP_ACT_ERRNO_);
	ok(r && r->count == 3 && r->errno_ret == EACCES && r->tested == 0,
	   "mkdir: one record, 3 calls, EACCES, no argument tested");
	r = find_rec(d, "personality", SCMP_ACT_ERRNO_);
	ok(r && r->count == 1 && r->tested == 1 && r->argv[0] == 8,
	   "personality: the tested argument recorded (arg0 = 8)");
	evidence_doc_free(d);
out:
	seccomp_spec_free(t);
	seccomp_prog_free(tp);
	seccomp_prog_free(bp);
}

/* A child that makes 8200 distinct made-up syscalls: the record cap holds. */
static void
child_flood(struct shared *sh, void *arg)
{
	(void)arg;
	long fails = 0;
	for (int nr = 1000; nr < 9200; nr++)
		fails += syscall(nr, 0, 0, 0) == -1;
	sh->res[0] = fails;
}

static void
test_record_cap(void)
{
	struct prof p;
	struct spec_seccomp *t = NULL;
	struct seccomp_prog *tp = NULL, *bp = NULL;
	struct lc_err err = { 0 };
	char path[PATH_MAX];
	int status = -1;

	base_profile(&p);
	seccomp_observe_twin(&p.s, &t, &err);
	tp = compile(t);
	bp = compile(&p.s);
	struct evidence *ev = evidence_new(NULL);
	pid_t pid = spawn_under(tp, shm, child_flood, NULL);
	int nfd = take_fd(pid, shm);
	int handled = nfd >= 0 ? serve(ev, nfd, bp, pid, &status, NULL) : 0;
	if (nfd >= 0)
		close(nfd);
	else {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	/* (>=: a sanitizer runtime makes syscalls of its own) */
	ok(handled >= 8200, "8200 made-up syscalls notified (%d)", handled);
	is_int(shm->res[0], 8200, "all failed by themselves (ENOSYS from the kernel)");
	is_int(evidence_n_records(ev), 8192, "the record cap");
	snprintf(path, sizeof(path), "%s/flood.json", tmpdir);
	is_int(evidence_write(ev, path, &err), 0, "written");
	struct evidence_doc *d = NULL;
	is_int(evidence_load(path, &d, &err), 0, "loaded: %s", err.msg);
	if (d) {
		ok(d->records_dropped >= 8 && d->records_dropped <= 16,
		   "recordsDropped says how many were not kept (%llu)",
		   (unsigned long long)d->records_dropped);
		const struct evidence_record *r = find_rec(d, "nr:1000", SCMP_ACT_ERRNO_);
		ok(r && r->errno_ret == ENOSYS && r->nr == 1000,
		   "an unnamed number is \"nr:1000\", ERRNO(ENOSYS) by the base's skew rule");
		ok(d->id == NULL && d->label == NULL, "absent meta loads as NULL");
	}
	evidence_doc_free(d);
	evidence_free(ev);
	seccomp_spec_free(t);
	seccomp_prog_free(tp);
	seccomp_prog_free(bp);
}

/* ---- evidence_load on bad input ---- */
static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	fputs(text, f);
	fclose(f);
}

static void
test_load_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "not json", "not valid JSON" },
		{ "{\"records\":[]}", "not a strait evidence file" },
		{ "{\"straitEvidence\":2,\"records\":[]}",
		  "straitEvidence: version 2 is not supported" },
		{ "{\"straitEvidence\":1}", "records: expected an array" },
		{ "{\"straitEvidence\":1,\"records\":[{\"arch\":\"SCMP_ARCH_X86_64\","
		  "\"action\":\"SCMP_ACT_ERRNO\",\"count\":1}]}",
		  "records[0].syscall: missing" },
		{ "{\"straitEvidence\":1,\"records\":[{\"syscall\":\"a\",\"arch\":\"SCMP_ARCH_X86_"
		  "64\","
		  "\"action\":\"SCMP_ACT_FOO\",\"count\":1}]}",
		  "records[0].action: unknown action \"SCMP_ACT_FOO\"" },
		{ "{\"straitEvidence\":1,\"records\":[{\"syscall\":\"a\",\"arch\":\"SCMP_ARCH_X86_"
		  "64\","
		  "\"action\":\"SCMP_ACT_ERRNO\",\"count\":-1}]}",
		  "records[0].count: -1 is not an integer" },
		{ "{\"straitEvidence\":1,\"records\":[{\"syscall\":\"a\",\"arch\":\"SCMP_ARCH_X86_"
		  "64\","
		  "\"action\":\"SCMP_ACT_ERRNO\",\"count\":1,\"executables\":[1]}]}",
		  "records[0].executables[0]: expected a string" },
		{ "{\"straitEvidence\":1,\"container\":{\"id\":5},\"records\":[]}",
		  "container.id: expected a string, got number" },
	};
	char path[PATH_MAX];
	struct lc_err err;
	struct evidence_doc *d;

	snprintf(path, sizeof(path), "%s/bad.json", tmpdir);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		write_text(path, cases[i].text);
		memset(&err, 0, sizeof(err));
		d = NULL;
		ok(evidence_load(path, &d, &err) == -EINVAL && d == NULL,
		   "bad evidence %zu refused", i);
		has_str(err.msg, cases[i].want, "  the error names the field");
		has_str(err.msg, path, "  and the file");
	}
	d = NULL;
	ok(evidence_load("/nonexistent/ev.json", &d, &err) == -ENOENT, "a missing file: -ENOENT");
	has_str(err.msg, "/nonexistent/ev.json", "the error names it");
	/* a minimal good one */
	write_text(path, "{\"straitEvidence\":1,\"records\":[{\"syscall\":\"mount\",\"arch\":"
			 "\"SCMP_ARCH_X86\",\"action\":\"SCMP_ACT_KILL\",\"count\":3}]}");
	is_int(evidence_load(path, &d, &err), 0, "minimal evidence loads: %s", err.msg);
	if (d) {
		is_int(d->n_records, 1, "one record");
		is_int(d->records[0].action, SCMP_ACT_KILL_THREAD_, "SCMP_ACT_KILL is KILL_THREAD");
		ok(d->records[0].nr == -1 && d->records[0].executables &&
			   d->records[0].n_executables == 0,
		   "absent nr -1, executables empty but not NULL");
		is_str(d->path, path, "the doc keeps its path");
	}
	evidence_doc_free(d);
}

/* ---- the recorder agent ---- */
static int
connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_with_fd(int sock, const char *msg, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = strlen(msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* The message strait sends (process/notify.c), with observe-mode metadata. */
static char *
listener_message(const char *id, const char *label, const char *base_path)
{
	struct json_gen *g = json_gen_new(false);
	char *meta = NULL, *text = NULL;
	size_t len;

	json_gen_obj_open(g);
	json_gen_key(g, "baseProfile");
	json_gen_string(g, base_path);
	json_gen_key(g, "label");
	json_gen_string(g, label);
	json_gen_key(g, "id");
	json_gen_string(g, id);
	json_gen_key(g, "baseSource");
	json_gen_string(g, "config");
	json_gen_obj_close(g);
	json_gen_finish(g, &meta, &len);
	json_gen_free(g);
	g = json_gen_new(false);
	json_gen_obj_open(g);
	json_gen_key(g, "ociVersion");
	json_gen_string(g, "1.2.0");
	json_gen_key(g, "fds");
	json_gen_arr_open(g);
	json_gen_string(g, "seccompFd");
	json_gen_arr_close(g);
	json_gen_key(g, "pid");
	json_gen_int(g, 1);
	json_gen_key(g, "metadata");
	json_gen_string(g, meta);
	json_gen_key(g, "state");
	json_gen_obj_open(g);
	json_gen_key(g, "ociVersion");
	json_gen_string(g, "1.2.0");
	json_gen_key(g, "id");
	json_gen_string(g, id);
	json_gen_key(g, "status");
	json_gen_string(g, "created");
	json_gen_key(g, "bundle");
	json_gen_string(g, "/srv/bundle");
	json_gen_obj_close(g);
	json_gen_obj_close(g);
	json_gen_finish(g, &text, &len);
	json_gen_free(g);
	free(meta);
	return text;
}

/* The evidence file DIR/<prefix>*.json, or NULL; waits up to ms. */
static char *
wait_evidence(const char *dir, const char *prefix, int ms)
{
	for (int i = 0; i <= ms / 20; i++) {
		DIR *d = opendir(dir);
		struct dirent *e;
		char *found = NULL;
		while (d && (e = readdir(d))) {
			size_t l = strlen(e->d_name);
			if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && l > 5 &&
			    strcmp(e->d_name + l - 5, ".json") == 0 && !strstr(e->d_name, ".tmp."))
				if (asprintf(&found, "%s/%s", dir, e->d_name) < 0)
					found = NULL;
		}
		if (d)
			closedir(d);
		if (found || i == ms / 20)
			return found;
		usleep(20000);
	}
	return NULL;
}

static void
child_record_then_wait(struct shared *sh, void *arg)
{
	int fd = (int)(long)arg;
	char c;

	sh->res[0] = syscall(SYS_mkdir, "/proc/cannot-make-this", 0700);
	sh->res[1] = syscall(SYS_getpid);
	sh->res[2] = 1;
	/* read is allowed: waits here, in no notification, until the parent writes */
	sh->res[3] = syscall(SYS_read, fd, &c, 1);
}

static void
child_simple(struct shared *sh, void *arg)
{
	child1(sh, arg);
}

static pid_t
start_recorder(const char *sock, const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct lc_err err = { 0 };
		int r = seccomp_recorder_run(sock, dir, &err);
		if (r < 0)
			printf("# recorder: %s\n", err.msg);
		/* exit, not _exit: a leak checker then sees the recorder's exit too */
		exit(r < 0 ? 1 : 0);
	}
	for (int i = 0; i < 250; i++) {
		int fd = connect_to(sock);
		if (fd >= 0) {
			/* this probe is a client too: it sends nothing and goes away */
			close(fd);
			return pid;
		}
		usleep(20000);
	}
	return pid;
}

static bool
alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static void
test_recorder(void)
{
	char sock[PATH_MAX], dir[PATH_MAX], base_path[PATH_MAX], mkd[PATH_MAX];
	struct prof p;
	struct spec_seccomp *t = NULL;
	struct seccomp_prog *tp = NULL;
	struct lc_err err = { 0 };
	struct stat st;
	char *json = NULL;
	int status;

	snprintf(sock, sizeof(sock), "%s/rec.sock", tmpdir);
	snprintf(dir, sizeof(dir), "%s/evidence", tmpdir);
	snprintf(base_path, sizeof(base_path), "%s/seccomp-base.json", tmpdir);
	snprintf(mkd, sizeof(mkd), "%s/made-under-recorder", tmpdir);
	base_profile(&p);
	seccomp_observe_twin(&p.s, &t, &err);
	tp = compile(t);
	seccomp_spec_to_json(&p.s, true, &json);
	write_text(base_path, json);
	free(json);

	/* a stale socket from a dead recorder is replaced; a non-socket is refused */
	write_text(sock, "x");
	is_int(seccomp_recorder_run(sock, dir, &err), -EEXIST,
	       "--socket on a regular file: refused");
	has_str(err.msg, "not a socket", "the error says why");
	unlink(sock);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
		bind(s, (struct sockaddr *)&sa, sizeof(sa));
		close(s);
	}

	pid_t rec = start_recorder(sock, dir);
	ok(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
	   "the recorder listens on a 0600 socket (stale one replaced)");
	ok(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "--dir created");
	is_int(seccomp_recorder_run(sock, dir, &err), -EADDRINUSE, "a second recorder is refused");

	/* misbehaving clients */
	int stall = connect_to(sock); /* connects and says nothing */
	int garbage = connect_to(sock);
	send_with_fd(garbage, "this is not json at all }", -1);
	shutdown(garbage, SHUT_WR);
	int nofd = connect_to(sock);
	char *msg_nofd = listener_message("nofd", "x", base_path);
	send_with_fd(nofd, msg_nofd, -1);
	free(msg_nofd);
	int pipefd[2];
	pipe2(pipefd, O_CLOEXEC);
	int wrongfd = connect_to(sock);
	char *msg_wrong = listener_message("wrongfd", "x", base_path);
	send_with_fd(wrongfd, msg_wrong, pipefd[0]);
	free(msg_wrong);
	int badbase = connect_to(sock);
	char *msg_badbase = listener_message("badbase", "x", "/nonexistent/base.json");
	int nfd_dummy = -1;
	/* a real notify fd, but a base that cannot be read: dropped, fd closed */
	pid_t dummy = spawn_under(tp, shm, child_simple, &(struct child1_arg){ mkd, "/bin/true" });
	nfd_dummy = take_fd(dummy, shm);
	kill(dummy, SIGKILL);
	waitpid(dummy, NULL, 0);
	send_with_fd(badbase, msg_badbase, nfd_dummy);
	free(msg_badbase);
	close(nfd_dummy);
	int deep = connect_to(sock);
	{
		char *nest = malloc(100001);
		memset(nest, '[', 100000);
		nest[100000] = '\0';
		send_with_fd(deep, nest, -1);
		shutdown(deep, SHUT_WR);
		free(nest);
	}
	int huge = connect_to(sock);
	{
		size_t len = 400 << 10, off = 0;
		char *big = malloc(len);
		memset(big, ' ', len);
		memcpy(big, "{\"a\":\"", 6);
		fcntl(huge, F_SETFL, O_NONBLOCK);
		for (int i = 0; i < 200 && off < len; i++) {
			ssize_t n = send(huge, big + off, len - off, MSG_NOSIGNAL);
			if (n > 0)
				off += (size_t)n;
			else if (errno == EAGAIN)
				usleep(5000);
			else
				break;
		}
		free(big);
	}

	/* the good client: a child under the twin, its listener handed over */
	pid_t good = spawn_under(tp, shm, child_simple, &(struct child1_arg){ mkd, "/bin/true" });
	int gfd = take_fd(good, shm);
	int gsock = connect_to(sock);
	char *msg = listener_message("good-1", "run1", base_path);
	ok(gfd >= 0 && gsock >= 0 && send_with_fd(gsock, msg, gfd) == 0,
	   "a good client sent its message and fd");
	free(msg);
	close(gsock);
	close(gfd);
	waitpid(good, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "the workload ran to the end while a stalled client was connected (0x%x)", status);
	is_int(shm->res[0], 0, "mkdir was let through by the recorder");
	char *file = wait_evidence(dir, "good-1.run1.", 5000);
	ok(file != NULL, "the recorder wrote good-1.run1.<nanos>.json after the workload ended");
	struct evidence_doc *d = NULL;
	if (file && evidence_load(file, &d, &err) == 0) {
		const struct evidence_record *r = find_rec(d, "mkdir", SCMP_ACT_ERRNO_);
		ok(r && r->count == 1 && r->errno_ret == EACCES, "recorder: mkdir ERRNO(EACCES)");
		r = find_rec(d, "getpid", SCMP_ACT_ERRNO_);
		ok(r && r->count == 2, "recorder: getpid count 2");
		ok(find_rec(d, "execve", SCMP_ACT_ERRNO_) != NULL, "recorder: execve");
		is_str(d->id, "good-1", "recorder: id from the metadata");
		is_str(d->label, "run1", "recorder: label");
		is_str(d->bundle, "/srv/bundle", "recorder: bundle from the state");
		is_str(d->base_source, "config", "recorder: base source");
		ok(d->base_sha256 && strlen(d->base_sha256) == 64, "recorder: base sha256");
	} else {
		ok(0, "recorder evidence loads: %s", err.msg);
	}
	evidence_doc_free(d);
	free(file);
	ok(wait_evidence(dir, "nofd", 1) == NULL && wait_evidence(dir, "wrongfd", 1) == NULL &&
		   wait_evidence(dir, "badbase", 1) == NULL,
	   "no evidence for the misbehaving clients");
	ok(alive(rec), "the recorder survived garbage, no fd, a wrong fd, a bad base, deep "
		       "nesting, an oversized message and a stalled client");
	char c;
	ok(recv(garbage, &c, 1, 0) == 0, "the garbage client was disconnected");
	ok(recv(nofd, &c, 1, 0) == 0, "the no-fd client was disconnected");
	ok(recv(deep, &c, 1, 0) == 0, "the deep-nesting client was disconnected");
	ok(recv(huge, &c, 1, 0) <= 0, "the oversized client was disconnected");
	{
		struct pollfd pf = { .fd = stall, .events = POLLIN };
		ok(poll(&pf, 1, 3000) == 1 && recv(stall, &c, 1, 0) == 0,
		   "the stalled client was dropped after its 2 s deadline");
	}
	close(stall);
	close(garbage);
	close(nofd);
	close(wrongfd);
	close(badbase);
	close(deep);
	close(huge);
	close(pipefd[0]);
	close(pipefd[1]);

	/* still serving; a container still running at SIGTERM gets its evidence written */
	int gate[2];
	pipe2(gate, O_CLOEXEC);
	pid_t w = spawn_under(tp, shm, child_record_then_wait, (void *)(long)gate[0]);
	int wfd = take_fd(w, shm);
	int wsock = connect_to(sock);
	msg = listener_message("late", "", base_path);
	/* in two parts, 200 ms apart, and the connection stays open: still one message */
	size_t half = strlen(msg) / 2;
	char saved = msg[half];
	msg[half] = '\0';
	int sent = send_with_fd(wsock, msg, wfd);
	msg[half] = saved;
	usleep(200000);
	ok(wfd >= 0 && sent == 0 && send_with_fd(wsock, msg + half, -1) == 0,
	   "a second container after the misbehavers, its message in two parts");
	free(msg);
	close(wfd);
	for (int i = 0; i < 250 && !shm->res[2]; i++)
		usleep(20000);
	is_int(shm->res[2], 1, "its recorded syscalls were answered");
	kill(rec, SIGTERM);
	waitpid(rec, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "SIGTERM: the recorder exits 0 (0x%x)",
	   status);
	file = wait_evidence(dir, "late.", 1);
	ok(file != NULL, "SIGTERM wrote the open evidence (late.<nanos>.json, no label)");
	d = NULL;
	if (file && evidence_load(file, &d, &err) == 0)
		ok(find_rec(d, "mkdir", SCMP_ACT_ERRNO_) != NULL, "with its records");
	evidence_doc_free(d);
	free(file);
	ok(access(sock, F_OK) < 0, "the socket is removed on exit");
	close(wsock);
	/* the child still holds its own listener: with the recorder gone, a notifying
	 * syscall would wait forever, so it is not asked to make one */
	kill(w, SIGKILL);
	waitpid(w, &status, 0);
	close(gate[0]);
	close(gate[1]);
	seccomp_spec_free(t);
	seccomp_prog_free(tp);
}

static void
rm_rf(const char *path)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", path);
}

int
main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(tmpdir))
		return 1;
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	lc_log_setup(-1, LC_LOG_TEXT, getenv("VERBOSE") != NULL, false);

	test_twin_shape();
	test_twin_eval();
	test_twin_default_profile();
	test_handle_real();
	test_record_twin();
	test_record_handle_real();
	test_record_cap();
	test_load_errors();
	test_recorder();

	if (getenv("KEEP_TMP"))
		printf("# kept %s\n", tmpdir);
	else
		rm_rf(tmpdir);
	return tap_done();
}
