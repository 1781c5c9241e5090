/* Unit tests for libcontainer/seccomp: sha256 vectors, the compiler (every action and
 * operator, argument filtering, errno defaults, unknown names, errors), the version-skew
 * prologue, flag probing, the cache (hit, miss, corrupt, truncated, concurrent writers),
 * real loads in forked children (ERRNO, KILL_PROCESS, TRAP, LOG, TRACE, NOTIFY, ENOSYS,
 * EACCES) and the built-in and docker default profiles. Needs root on x86_64. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "json.h"
#include "log.h"
#include "spec.h"
#include "tables.h"
#include "seccomp/internal.h"
#include "tap.h"

#ifndef PROFILE_DIR
#define PROFILE_DIR "tests/data/profiles"
#endif

/* ---- building profiles by hand ---- */
struct prof {
	struct spec_seccomp s;
	struct spec_seccomp_rule rules[16];
	char *names[16][12];
	struct spec_seccomp_arg args[16][8];
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

static void
prof_errno(struct prof *p, unsigned e)
{
	p->s.has_default_errno_ret = true;
	p->s.default_errno_ret = e;
}

/* Adds a rule for the NULL-terminated names. */
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
rule_arg(struct spec_seccomp_rule *r, unsigned idx, enum seccomp_op op, uint64_t v, uint64_t v2)
{
	r->args[r->n_args++] = (struct spec_seccomp_arg){ .index = idx, .op = op, .value = v,
							  .value_two = v2 };
}

static void
rule_errno(struct spec_seccomp_rule *r, unsigned e)
{
	r->has_errno_ret = true;
	r->errno_ret = e;
}

static void
prof_arch(struct prof *p, const char *a)
{
	p->s.architectures = p->archs;
	p->archs[p->s.n_architectures++] = (char *)a;
}

static void
prof_flag(struct prof *p, const char *f)
{
	p->s.flags = p->flags;
	p->flags[p->s.n_flags++] = (char *)f;
}

static struct seccomp_prog *
compile(struct prof *p, bool fail_unknown, struct lc_err *err)
{
	struct seccomp_prog *prog = NULL;
	struct lc_err e = { 0 };

	if (seccomp_compile(&p->s, fail_unknown, &prog, err ? err : &e) < 0) {
		if (!err)
			printf("# compile failed: %s\n", e.msg);
		return NULL;
	}
	return prog;
}

static uint32_t
eval1(const struct seccomp_prog *p, int nr, uint64_t a0)
{
	uint64_t args[6] = { a0 };
	return seccomp_prog_eval(p, AUDIT_ARCH_X86_64, nr, args);
}

static int
nr_of(uint32_t arch_token, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch_token, name);
}

/* ---- sha256 ---- */
static const char *
hex_of(const void *data, size_t len)
{
	static char hex[65];
	uint8_t d[32];
	sha256(data, len, d);
	sha256_hex(d, hex);
	return hex;
}

static void
test_sha256(void)
{
	static const char abc448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char abc896[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		"klmnopqrlmnopqrsmnopqrstnopqrstu";

	/* FIPS 180-4 / NIST CSRC example vectors */
	is_str(hex_of("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "sha256 of the empty string");
	is_str(hex_of("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256(\"abc\")");
	is_str(hex_of(abc448, strlen(abc448)),
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	       "sha256 of the 448-bit message");
	is_str(hex_of(abc896, strlen(abc896)),
	       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
	       "sha256 of the 896-bit message");

	/* one million 'a', fed in uneven pieces: exercises the streaming buffer */
	char *m = malloc(1000000);
	memset(m, 'a', 1000000);
	struct sha256_ctx c;
	uint8_t d[32];
	char hex[65];
	sha256_init(&c);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 97 + 13)
		sha256_update(&c, m + off, off + step > 1000000 ? 1000000 - off : step);
	sha256_final(&c, d);
	sha256_hex(d, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "sha256 of one million 'a' in pieces");
	free(m);

	/* padding boundaries (55, 56, 63, 64, 65 bytes) against coreutils' sha256sum */
	size_t lens[] = { 55, 56, 63, 64, 65, 119, 120 };
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		char buf[128], cmd[256], out[80] = "";
		memset(buf, 'x', lens[i]);
		snprintf(cmd, sizeof(cmd), "head -c %zu /dev/zero | tr '\\0' x | sha256sum", lens[i]);
		FILE *f = popen(cmd, "r");
		if (!f || !fgets(out, sizeof(out), f))
			out[0] = '\0';
		if (f)
			pclose(f);
		out[64] = '\0';
		is_str(hex_of(buf, lens[i]), out, "sha256 of %zu bytes matches sha256sum", lens[i]);
	}
}

/* ---- compiling ---- */
static void
test_actions(void)
{
	static const struct {
		enum seccomp_action a;
		bool has_errno;
		unsigned e;
		uint32_t want;
	} cases[] = {
		{ SCMP_ACT_KILL_THREAD_, false, 0, SECCOMP_RET_KILL_THREAD },
		{ SCMP_ACT_KILL_PROCESS_, false, 0, SECCOMP_RET_KILL_PROCESS },
		{ SCMP_ACT_TRAP_, false, 0, SECCOMP_RET_TRAP },
		{ SCMP_ACT_ERRNO_, true, 1234, SECCOMP_RET_ERRNO | 1234 },
		{ SCMP_ACT_ERRNO_, false, 0, SECCOMP_RET_ERRNO | EPERM },
		{ SCMP_ACT_TRACE_, true, 77, SECCOMP_RET_TRACE | 77 },
		{ SCMP_ACT_TRACE_, false, 0, SECCOMP_RET_TRACE | EPERM },
		{ SCMP_ACT_LOG_, false, 0, SECCOMP_RET_LOG },
		{ SCMP_ACT_NOTIFY_, false, 0, SECCOMP_RET_USER_NOTIF },
		{ SCMP_ACT_ALLOW_, false, 0, SECCOMP_RET_ALLOW },
	};
	struct prof p;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool allow = cases[i].a == SCMP_ACT_ALLOW_;
		prof_init(&p, allow ? SCMP_ACT_ERRNO_ : SCMP_ACT_ALLOW_);
		struct spec_seccomp_rule *r = RULE(&p, cases[i].a, "getppid");
		if (cases[i].has_errno)
			rule_errno(r, cases[i].e);
		struct seccomp_prog *prog = compile(&p, false, NULL);
		const char *name = table_seccomp_action_name(cases[i].a);
		ok(prog != NULL, "%s compiles", name);
		if (!prog)
			continue;
		is_int(eval1(prog, SYS_getppid, 0), cases[i].want, "%s%s: getppid -> 0x%08x", name,
		       cases[i].has_errno ? " with errnoRet" : "", cases[i].want);
		is_int(eval1(prog, SYS_getpid, 0), allow ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW,
		       "%s: getpid gets the default action", name);
		is_int(prog->needs_notify, cases[i].a == SCMP_ACT_NOTIFY_, "%s: needs_notify", name);
		is_int(!!(prog->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER),
		       cases[i].a == SCMP_ACT_NOTIFY_, "%s: NEW_LISTENER only for NOTIFY", name);
		is_int(prog->n_rules, 1, "%s: one rule", name);
		seccomp_prog_free(prog);
	}
}

static bool
op_holds(enum seccomp_op op, uint64_t arg, uint64_t v, uint64_t v2)
{
	switch (op) {
	case SCMP_OP_NE:
		return arg != v;
	case SCMP_OP_LT:
		return arg < v;
	case SCMP_OP_LE:
		return arg <= v;
	case SCMP_OP_EQ:
		return arg == v;
	case SCMP_OP_GE:
		return arg >= v;
	case SCMP_OP_GT:
		return arg > v;
	case SCMP_OP_MASKED_EQ:
		return (arg & v) == v2;
	}
	return false;
}

static void
test_operators(void)
{
	static const uint64_t samples[] = { 0,	  9,	10,	11,	0x25, 0x2a, 0x100000000ull,
					    0x10000000aull, 0xffffffffull, UINT64_MAX };
	struct prof p;

	for (int op = SCMP_OP_NE; op <= SCMP_OP_MASKED_EQ; op++) {
		uint64_t v = op == SCMP_OP_MASKED_EQ ? 0xf0 : 10, v2 = op == SCMP_OP_MASKED_EQ ? 0x20 : 0;
		prof_init(&p, SCMP_ACT_ALLOW_);
		struct spec_seccomp_rule *r = RULE(&p, SCMP_ACT_ERRNO_, "getpriority");
		rule_errno(r, 99);
		rule_arg(r, 1, (enum seccomp_op)op, v, v2);
		struct seccomp_prog *prog = compile(&p, false, NULL);
		ok(prog != NULL, "%s compiles", table_seccomp_op_name((enum seccomp_op)op));
		if (!prog)
			continue;
		int bad = 0;
		for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
			uint64_t args[6] = { 0, samples[i] };
			uint32_t got = seccomp_prog_eval(prog, AUDIT_ARCH_X86_64, SYS_getpriority, args);
			uint32_t want = op_holds((enum seccomp_op)op, samples[i], v, v2)
						? SECCOMP_RET_ERRNO | 99
						: SECCOMP_RET_ALLOW;
			if (got != want) {
				bad++;
				printf("#   arg1=0x%llx: got 0x%x want 0x%x\n",
				       (unsigned long long)samples[i], got, want);
			}
		}
		is_int(bad, 0, "%s matches 64-bit semantics on %zu values",
		       table_seccomp_op_name((enum seccomp_op)op), ARRAY_SIZE(samples));
		seccomp_prog_free(prog);
	}
}

static void
test_args(void)
{
	struct prof p;
	struct seccomp_prog *prog;
	struct spec_seccomp_rule *r;

	/* distinct indexes: AND */
	prof_init(&p, SCMP_ACT_ALLOW_);
	r = RULE(&p, SCMP_ACT_ERRNO_, "kill");
	rule_arg(r, 0, SCMP_OP_EQ, 1, 0);
	rule_arg(r, 1, SCMP_OP_EQ, 9, 0);
	prog = compile(&p, false, NULL);
	ok(prog != NULL, "two conditions on two args compile");
	if (prog) {
		uint64_t both[6] = { 1, 9 }, first[6] = { 1, 15 }, second[6] = { 2, 9 };
		is_int(seccomp_prog_eval(prog, 0, SYS_kill, both), SECCOMP_RET_ERRNO | EPERM,
		       "args on different indexes: both hold -> rule action");
		is_int(seccomp_prog_eval(prog, 0, SYS_kill, first), SECCOMP_RET_ALLOW,
		       "args on different indexes: only arg0 holds -> default (AND)");
		is_int(seccomp_prog_eval(prog, 0, SYS_kill, second), SECCOMP_RET_ALLOW,
		       "args on different indexes: only arg1 holds -> default (AND)");
		is_int(prog->n_rules, 1, "AND of conditions is one rule");
		seccomp_prog_free(prog);
	}

	/* a repeated index: one rule per condition, OR */
	prof_init(&p, SCMP_ACT_ERRNO_);
	r = RULE(&p, SCMP_ACT_ALLOW_, "personality");
	rule_arg(r, 0, SCMP_OP_EQ, 0, 0);
	rule_arg(r, 0, SCMP_OP_EQ, 8, 0);
	prog = compile(&p, false, NULL);
	ok(prog != NULL, "two conditions on one arg compile (libseccomp refuses them in one rule)");
	if (prog) {
		is_int(eval1(prog, SYS_personality, 0), SECCOMP_RET_ALLOW, "repeated index: EQ 0 matches");
		is_int(eval1(prog, SYS_personality, 8), SECCOMP_RET_ALLOW, "repeated index: EQ 8 matches (OR)");
		is_int(eval1(prog, SYS_personality, 1), SECCOMP_RET_ERRNO | EPERM,
		       "repeated index: neither -> default");
		is_int(prog->n_rules, 2, "repeated index gives one rule per condition");
		seccomp_prog_free(prog);
	}
}

static void
test_default_errno(void)
{
	struct prof p;
	struct seccomp_prog *prog;

	prof_init(&p, SCMP_ACT_ERRNO_);
	prof_errno(&p, 1234);
	RULE(&p, SCMP_ACT_ALLOW_, "read", "write", "exit_group");
	prog = compile(&p, false, NULL);
	ok(prog != NULL, "defaultErrnoRet profile compiles");
	if (prog) {
		is_int(eval1(prog, SYS_mkdir, 0), SECCOMP_RET_ERRNO | 1234, "defaultErrnoRet 1234 is used");
		is_int(eval1(prog, SYS_read, 0), SECCOMP_RET_ALLOW, "listed syscall allowed");
		seccomp_prog_free(prog);
	}
	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read", "write", "exit_group");
	prog = compile(&p, false, NULL);
	if (prog) {
		is_int(eval1(prog, SYS_mkdir, 0), SECCOMP_RET_ERRNO | EPERM,
		       "no defaultErrnoRet: EPERM");
		seccomp_prog_free(prog);
	}
	/* a rule with the default action is skipped, not an error */
	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read");
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "mkdir"), EPERM);
	prog = compile(&p, false, NULL);
	ok(prog != NULL, "a rule equal to the default action is accepted");
	if (prog) {
		is_int(prog->n_rules, 1, "... and skipped");
		seccomp_prog_free(prog);
	}
}

static void
test_unknown(void)
{
	struct prof p;
	struct seccomp_prog *prog;
	struct lc_err err = { 0 };

	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read", "nosuchcall_a", "write", "nosuchcall_b");
	RULE(&p, SCMP_ACT_KILL_PROCESS_, "nosuchcall_a", "mkdir");
	prog = compile(&p, false, NULL);
	ok(prog != NULL, "unknown names are skipped");
	if (prog) {
		char *list = seccomp_unknown_list(prog);
		is_str(list, "nosuchcall_a, nosuchcall_b", "unknown names listed once each, in order");
		free(list);
		is_int(eval1(prog, SYS_write, 0), SECCOMP_RET_ALLOW, "known names of the rule still apply");
		is_int(eval1(prog, SYS_mkdir, 0), SECCOMP_RET_KILL_PROCESS, "second rule still applies");
		seccomp_prog_free(prog);
	}
	prog = compile(&p, true, &err);
	ok(prog == NULL, "fail_unknown makes unknown names an error");
	has_str(err.msg, "nosuchcall_a, nosuchcall_b", "the error names them all");
	has_str(err.msg, "run.oci.seccomp_fail_unknown_syscall", "the error names the annotation");
	seccomp_prog_free(prog);

	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read");
	prog = compile(&p, false, NULL);
	ok(prog && !prog->unknown && !seccomp_unknown_list(prog), "no unknown names: NULL list");
	seccomp_prog_free(prog);
}

static void
expect_error(struct prof *p, const char *what, const char *needle)
{
	struct lc_err err = { 0 };
	struct seccomp_prog *prog = compile(p, false, &err);

	ok(prog == NULL, "%s is an error", what);
	has_str(err.msg, needle, "%s: message", what);
	seccomp_prog_free(prog);
}

static void
test_errors(void)
{
	struct prof p;
	struct spec_seccomp_rule *r;

	prof_init(&p, SCMP_ACT_ERRNO_);
	rule_errno(RULE(&p, SCMP_ACT_ALLOW_, "read"), 5);
	expect_error(&p, "errnoRet on ALLOW", "linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_ALLOW takes no errno");

	prof_init(&p, SCMP_ACT_KILL_PROCESS_);
	prof_errno(&p, 5);
	expect_error(&p, "defaultErrnoRet on KILL_PROCESS", "linux.seccomp.defaultErrnoRet");

	prof_init(&p, SCMP_ACT_ALLOW_);
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "read"), 5000);
	expect_error(&p, "errnoRet 5000", "5000 is over 4094");

	prof_init(&p, SCMP_ACT_ALLOW_);
	r = RULE(&p, SCMP_ACT_ERRNO_, "read");
	rule_arg(r, 0, SCMP_OP_EQ, 1, 0);
	rule_arg(r, 6, SCMP_OP_EQ, 1, 0);
	expect_error(&p, "arg index 6", "linux.seccomp.syscalls[0].args[1].index: 6 is over 5");

	prof_init(&p, SCMP_ACT_ALLOW_);
	prof_arch(&p, "SCMP_ARCH_VAX");
	expect_error(&p, "unknown arch", "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_VAX\"");

#ifndef SCMP_ARCH_LOONGARCH64
	prof_init(&p, SCMP_ACT_ALLOW_);
	prof_arch(&p, "SCMP_ARCH_X86");
	prof_arch(&p, "SCMP_ARCH_LOONGARCH64");
	expect_error(&p, "an OCI arch libseccomp lacks", "architectures[1]: SCMP_ARCH_LOONGARCH64 is not supported by libseccomp");
#endif

	prof_init(&p, SCMP_ACT_ALLOW_);
	prof_flag(&p, "SECCOMP_FILTER_FLAG_BOGUS");
	expect_error(&p, "unknown flag", "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\"");

	prof_init(&p, SCMP_ACT_ALLOW_);
	prof_flag(&p, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
	RULE(&p, SCMP_ACT_ERRNO_, "read");
	expect_error(&p, "WAIT_KILLABLE_RECV without NOTIFY", "needs a SCMP_ACT_NOTIFY action");

	/* A rule without conditions decides its syscall, as libseccomp and runc have it:
	 * the first such rule wins and other rules for that syscall with another action are
	 * dropped (with one warning), whatever their order. */
	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read");
	r = RULE(&p, SCMP_ACT_KILL_PROCESS_, "write", "read");
	rule_arg(r, 0, SCMP_OP_EQ, 1, 0);
	struct seccomp_prog *dp = compile(&p, false, NULL);
	ok(dp && eval1(dp, SYS_read, 1) == SECCOMP_RET_ALLOW, "a conditional rule after an unconditional one is dropped");
	ok(dp && eval1(dp, SYS_write, 1) == SECCOMP_RET_KILL_PROCESS, "its other names keep the condition");
	seccomp_prog_free(dp);

	prof_init(&p, SCMP_ACT_ERRNO_);
	r = RULE(&p, SCMP_ACT_ALLOW_, "write");
	rule_arg(r, 0, SCMP_OP_EQ, 1, 0);
	RULE(&p, SCMP_ACT_TRAP_, "read", "write");
	dp = compile(&p, false, NULL);
	ok(dp && eval1(dp, SYS_write, 1) == SECCOMP_RET_TRAP, "an unconditional rule after a conditional one decides");
	seccomp_prog_free(dp);

	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "setns");
	RULE(&p, SCMP_ACT_ERRNO_, "setns"); /* podman's stock profile has this shape */
	dp = compile(&p, false, NULL);
	ok(dp && eval1(dp, SYS_setns, 0) == SECCOMP_RET_ALLOW, "of two unconditional rules the first wins");
	seccomp_prog_free(dp);

	/* the same action with and without conditions is no conflict */
	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read", "write");
	r = RULE(&p, SCMP_ACT_ALLOW_, "read");
	rule_arg(r, 0, SCMP_OP_EQ, 5, 0);
	struct seccomp_prog *prog = compile(&p, false, NULL);
	ok(prog && eval1(prog, SYS_read, 7) == SECCOMP_RET_ALLOW, "same action with and without conditions: fine");
	seccomp_prog_free(prog);

	expect_error(&(struct prof){ 0 }, "an absent profile", "no profile");
}

/* ---- the version-skew prologue ---- */
static void
test_skew(void)
{
	struct prof p;
	struct seccomp_prog *prog;
	int x86_read = nr_of(SCMP_ARCH_X86, "read");

	prof_init(&p, SCMP_ACT_ERRNO_);
	prof_arch(&p, "SCMP_ARCH_X86");
	RULE(&p, SCMP_ACT_ALLOW_, "read", "write", "exit_group", "getppid");
	prog = compile(&p, false, NULL);
	ok(prog != NULL, "low-syscall profile compiles");
	if (prog) {
		/* x86_64: exit_group (231) is the highest named */
		is_int(eval1(prog, 460, 0), SECCOMP_RET_ERRNO | ENOSYS, "x86_64: 460 -> ENOSYS");
		is_int(eval1(prog, 232, 0), SECCOMP_RET_ERRNO | ENOSYS, "x86_64: 232 (just above) -> ENOSYS");
		is_int(eval1(prog, 5000, 0), SECCOMP_RET_ERRNO | ENOSYS, "x86_64: 5000 (no syscall yet) -> ENOSYS");
		is_int(eval1(prog, SYS_mkdir, 0), SECCOMP_RET_ERRNO | EPERM, "x86_64: unnamed below the max -> EPERM");
		is_int(eval1(prog, SYS_exit_group, 0), SECCOMP_RET_ALLOW, "x86_64: the max itself -> its rule");
		is_int(eval1(prog, 0x40000000 | SYS_getppid, 0), SECCOMP_RET_KILL_PROCESS,
		       "x32 not in the profile: an x32 syscall is a bad arch (kill)");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, 460, NULL), SECCOMP_RET_ERRNO | ENOSYS,
		       "x86: 460 -> ENOSYS");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, nr_of(SCMP_ARCH_X86, "getppid"), NULL),
		       SECCOMP_RET_ALLOW, "x86: getppid (64) allowed");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, 200, NULL), SECCOMP_RET_ERRNO | EPERM,
		       "x86: 200 is below exit_group (252) -> EPERM");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, x86_read, NULL), SECCOMP_RET_ALLOW,
		       "x86: read allowed");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_ARM, 1, NULL), SECCOMP_RET_KILL_PROCESS,
		       "an arch outside the filter is killed");
		seccomp_prog_free(prog);
	}

	/* x32 listed: its own maximum, with bit 30 */
	prof_init(&p, SCMP_ACT_ERRNO_);
	prof_arch(&p, "SCMP_ARCH_X86_64");
	prof_arch(&p, "SCMP_ARCH_X32");
	RULE(&p, SCMP_ACT_ALLOW_, "read", "write", "exit_group");
	prog = compile(&p, false, NULL);
	if (prog) {
		is_int(eval1(prog, 0x40000000 | 460, 0), SECCOMP_RET_ERRNO | ENOSYS, "x32: 460 -> ENOSYS");
		is_int(eval1(prog, 0x40000000 | SYS_write, 0), SECCOMP_RET_ALLOW, "x32: write allowed");
		is_int(eval1(prog, 0x40000000 | SYS_mkdir, 0), SECCOMP_RET_ERRNO | EPERM, "x32: mkdir -> EPERM");
		is_int(eval1(prog, 460, 0), SECCOMP_RET_ERRNO | ENOSYS, "x86_64 next to x32: 460 -> ENOSYS");
		seccomp_prog_free(prog);
	}

	/* a multiplexed name counts with its direct number: x86 socket is 359 */
	prof_init(&p, SCMP_ACT_ERRNO_);
	prof_arch(&p, "SCMP_ARCH_X86");
	RULE(&p, SCMP_ACT_ALLOW_, "read", "socket");
	prog = compile(&p, false, NULL);
	if (prog) {
		int sock = 359;
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, sock, NULL), SECCOMP_RET_ALLOW,
		       "x86: direct socket (359) allowed, not ENOSYS");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, 300, NULL), SECCOMP_RET_ERRNO | EPERM,
		       "x86: 300 below socket -> EPERM");
		is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, 360, NULL), SECCOMP_RET_ERRNO | ENOSYS,
		       "x86: 360 above socket -> ENOSYS");
		seccomp_prog_free(prog);
	}

	/* no prologue: other default actions, ENOSYS already, nothing named */
	prof_init(&p, SCMP_ACT_KILL_PROCESS_);
	RULE(&p, SCMP_ACT_ALLOW_, "read");
	prog = compile(&p, false, NULL);
	if (prog) {
		is_int(eval1(prog, 460, 0), SECCOMP_RET_KILL_PROCESS, "default KILL_PROCESS: no ENOSYS rule");
		seccomp_prog_free(prog);
	}
	prof_init(&p, SCMP_ACT_ERRNO_);
	prog = compile(&p, false, NULL);
	if (prog) {
		is_int(eval1(prog, 460, 0), SECCOMP_RET_ERRNO | EPERM, "nothing named: no ENOSYS rule");
		seccomp_prog_free(prog);
	}
	/* names in a rule equal to the default count as named */
	prof_init(&p, SCMP_ACT_ERRNO_);
	RULE(&p, SCMP_ACT_ALLOW_, "read");
	RULE(&p, SCMP_ACT_ERRNO_, "futex_waitv");
	prog = compile(&p, false, NULL);
	if (prog) {
		is_int(eval1(prog, 440, 0), SECCOMP_RET_ERRNO | EPERM,
		       "a name denied with the default still raises the max (440 < 449)");
		is_int(eval1(prog, 450, 0), SECCOMP_RET_ERRNO | ENOSYS, "450 > futex_waitv -> ENOSYS");
		seccomp_prog_free(prog);
	}
	/* the prologue builder alone: a group per arch, the last one falls through */
	struct skew_seg segs[] = { { 2, 0, 10 }, { 1, 0, SKEW_PASS } };
	struct sock_filter *f = NULL;
	size_t n = 0;
	is_int(bpf_skew_prologue(segs, 2, &f, &n), 0, "prologue builds");
	is_int(n, 9, "two single-segment groups + ret = 9 instructions");
	free(f);
	struct skew_seg pass[] = { { 1, 0, SKEW_PASS } };
	bpf_skew_prologue(pass, 1, &f, &n);
	ok(f == NULL && n == 0, "only pass-through segments: no prologue");
}

/* ---- flags ---- */
static void
test_flags(void)
{
	struct prof p;
	struct seccomp_prog *prog = NULL;
	struct lc_err err = { 0 };

	for (const char *const *f = seccomp_known_flags(); *f; f++)
		is_int(seccomp_flag_supported(*f), 1, "this kernel supports %s", *f);
	is_int(seccomp_flag_supported("SECCOMP_FILTER_FLAG_NOPE"), -EINVAL, "unknown flag name: -EINVAL");
	is_int(seccomp_flag_supported("SECCOMP_FILTER_FLAG_LOG"), 1, "probe result is cached");

	prof_init(&p, SCMP_ACT_ALLOW_);
	prof_flag(&p, "SECCOMP_FILTER_FLAG_TSYNC");
	prof_flag(&p, "SECCOMP_FILTER_FLAG_LOG");
	prof_flag(&p, "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
	prof_flag(&p, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
	RULE(&p, SCMP_ACT_NOTIFY_, "getppid");
	ok(seccomp_prepare(&p.s, NULL, false, &prog, &err) == 0, "all flags with NOTIFY prepare: %s", err.msg);
	if (prog) {
		unsigned want = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |
				SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV |
				SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
		is_int(prog->flags, want, "flags: listed + NEW_LISTENER + TSYNC_ESRCH");
		seccomp_prog_free(prog);
	}
	/* a flag the kernel rejects is an error naming it: a bit no kernel defines */
	is_int(seccomp_probe_flags(&p.s, 1u << 30, &err), -EINVAL, "unsupported flag bits are an error");
	has_str(err.msg, "rejects the flag combination", "... with a message");
	is_int(seccomp_probe_flags(&p.s, SECCOMP_FILTER_FLAG_LOG, &err), 0, "supported flags probe fine");

	for (const char *const *a = seccomp_known_actions(); *a; a++) {
		int v = table_seccomp_action_from_name(*a);
		is_int(seccomp_action_available(seccomp_action_value((enum seccomp_action)v, false, 0)), 1,
		       "kernel has %s", *a);
	}
	is_int(seccomp_action_available(0x12340000), 0, "an invented action is not available");
	ok(seccomp_known_archs()[0] && seccomp_known_operators()[6] && !seccomp_known_operators()[7],
	   "feature lists are NULL-terminated");
	is_str(seccomp_native_arch_name(), "SCMP_ARCH_X86_64", "native arch name");
	has_str(seccomp_libseccomp_version(), "2.", "libseccomp version");
}

/* ---- real loads in a forked child ---- */
struct child {
	const struct seccomp_prog *prog;
	int (*after)(const struct child *c, int notify_fd);
	bool nnp;
};

static int
run_child(const struct child *c)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct lc_err err = { 0 };
		struct rlimit no_core = { 0, 0 };
		int fd;
		setrlimit(RLIMIT_CORE, &no_core); /* KILL_PROCESS and TRAP dump core */
		if (c->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(90);
		if (seccomp_prog_load(c->prog, &fd, &err) < 0) {
			printf("#   load: %s\n", err.msg);
			fflush(stdout);
			_exit(91);
		}
		/* exit_group directly: a sanitizer's _exit hook would make syscalls the
		 * strict test profiles deny */
		syscall(SYS_exit_group, c->after(c, fd));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int
after_mkdir(const struct child *c, int fd)
{
	long r = syscall(SYS_mkdir, "/tmp/strait-seccomp-never", 0700);
	return r == -1 && errno == 1234 ? 0 : 1;
}

static int
after_getppid(const struct child *c, int fd)
{
	return syscall(SYS_getppid) == getppid() ? 0 : 1;
}

static int
after_trace(const struct child *c, int fd)
{
	return syscall(SYS_getppid) == -1 && errno == ENOSYS ? 0 : 1;
}

static int
after_skew(const struct child *c, int fd)
{
	if (syscall(460) != -1 || errno != ENOSYS)
		return 1;
	if (syscall(1000) != -1 || errno != ENOSYS)
		return 2;
	if (syscall(SYS_getuid) != -1 || errno != EPERM)
		return 3;
	if (syscall(SYS_getppid) <= 0)
		return 4;
	return 0;
}

static int
after_notify(const struct child *c, int fd)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp = { 0 };
	int status;

	if (fd < 0)
		return 10;
	pid_t pid = fork();
	if (pid == 0)
		_exit(syscall(SYS_getppid) == 4242 ? 0 : 1);
	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return 11;
	if (req.data.nr != SYS_getppid || req.pid != (__u32)pid)
		return 12;
	resp.id = req.id;
	resp.val = 4242;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return 13;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 14;
	return WEXITSTATUS(status);
}

static struct seccomp_prog *
one_rule(enum seccomp_action def, enum seccomp_action a, unsigned e, const char *const *names)
{
	struct prof p;
	prof_init(&p, def);
	struct spec_seccomp_rule *r = prof_rule(&p, a, names);
	if (e)
		rule_errno(r, e);
	return compile(&p, false, NULL);
}

static void
test_load(void)
{
	static const char *const mk[] = { "mkdir", "mkdirat", NULL }, *const pp[] = { "getppid", NULL };
	struct seccomp_prog *prog;
	int st;

	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_ERRNO_, 1234, mk);
	st = run_child(&(struct child){ prog, after_mkdir, true });
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "loaded ERRNO(1234): mkdir fails with errno 1234 (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_KILL_PROCESS_, 0, pp);
	st = run_child(&(struct child){ prog, after_getppid, true });
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "KILL_PROCESS: the child dies of SIGSYS (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_TRAP_, 0, pp);
	st = run_child(&(struct child){ prog, after_getppid, true });
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "TRAP: SIGSYS (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_KILL_THREAD_, 0, pp);
	st = run_child(&(struct child){ prog, after_getppid, true });
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "KILL (thread): SIGSYS (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ERRNO_, SCMP_ACT_LOG_, 0,
			(const char *const[]){ "getppid", "exit_group", "getpid", NULL });
	st = run_child(&(struct child){ prog, after_getppid, true });
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "LOG lets the call through (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_TRACE_, 0, pp);
	st = run_child(&(struct child){ prog, after_trace, true });
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "TRACE without a tracer gives ENOSYS (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_NOTIFY_, 0, pp);
	st = run_child(&(struct child){ prog, after_notify, true });
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "NOTIFY: the listener fd answers getppid with 4242 (status 0x%x)", st);
	seccomp_prog_free(prog);

	prog = one_rule(SCMP_ACT_ERRNO_, SCMP_ACT_ALLOW_, 0,
			(const char *const[]){ "exit_group", "exit", "getppid", NULL });
	st = run_child(&(struct child){ prog, after_skew, true });
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "kernel: 460 and 1000 give ENOSYS, getuid EPERM, getppid works (status 0x%x)", st);
	seccomp_prog_free(prog);

	/* without no_new_privs and without CAP_SYS_ADMIN the kernel refuses */
	prog = one_rule(SCMP_ACT_ALLOW_, SCMP_ACT_ERRNO_, 0, mk);
	pid_t pid = fork();
	if (pid == 0) {
		struct lc_err err = { 0 };
		int fd;
		if (setresuid(65534, 65534, 65534) < 0)
			_exit(2);
		if (seccomp_prog_load(prog, &fd, &err) == -EACCES && strstr(err.msg, "no_new_privs"))
			_exit(0);
		printf("#   %s\n", err.msg);
		_exit(1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "EACCES without no_new_privs is named (status 0x%x)", st);
	seccomp_prog_free(prog);
}

/* ---- the cache ---- */
static char cache_root[] = "/tmp/strait-test-seccomp-XXXXXX";
static int log_fd = -1;

static char *
log_text(void)
{
	static char buf[8192];
	ssize_t n = pread(log_fd, buf, sizeof(buf) - 1, 0);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static void
cache_profile(struct prof *p, unsigned e)
{
	prof_init(p, SCMP_ACT_ERRNO_);
	prof_arch(p, "SCMP_ARCH_X86");
	RULE(p, SCMP_ACT_ALLOW_, "read", "write", "exit_group", "nosuch_cached");
	rule_errno(RULE(p, SCMP_ACT_ERRNO_, "mkdir"), e);
}

static int
count_entries(const char *dir, int *ret_tmp)
{
	int n = 0, tmp = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strstr(e->d_name, ".bpf") && e->d_name[0] != '.')
			n++;
		else if (strstr(e->d_name, ".tmp"))
			tmp++;
	}
	if (d)
		closedir(d);
	if (ret_tmp)
		*ret_tmp = tmp;
	return n;
}

/* Where the cache keeps the entry of cache_profile(e); its key in key. */
static char *
entry_path_of(char *buf, size_t len, const char *dir, unsigned e, uint8_t key[32])
{
	char hex[65];
	struct prof q;
	cache_profile(&q, e);
	char *canon;
	size_t clen;
	seccomp_canonical(&q.s, &canon, &clen);
	seccomp_cache_key(canon, clen, key);
	free(canon);
	sha256_hex(key, hex);
	snprintf(buf, len, "%s/%s.bpf", dir, hex);
	return buf;
}

static char *
entry_path(char *buf, size_t len, const char *dir)
{
	uint8_t key[32];
	return entry_path_of(buf, len, dir, 77, key);
}

static struct seccomp_prog *
prepare(struct prof *p, const char *dir, struct lc_err *err)
{
	struct seccomp_prog *prog = NULL;
	struct lc_err e = { 0 };
	if (seccomp_prepare(&p->s, dir, false, &prog, err ? err : &e) < 0 && !err)
		printf("# prepare: %s\n", e.msg);
	return prog;
}

static bool
same_prog(const struct seccomp_prog *a, const struct seccomp_prog *b)
{
	return a && b && a->bpf_len == b->bpf_len && memcmp(a->bpf, b->bpf, a->bpf_len) == 0 &&
	       a->flags == b->flags && a->n_rules == b->n_rules && strcmp(a->sha256, b->sha256) == 0;
}

static void
damage(const char *path, const char *how)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	struct stat st;
	fstat(fd, &st);
	if (strcmp(how, "flip") == 0) {
		char c;
		pread(fd, &c, 1, st.st_size - 5);
		c ^= 0x40;
		pwrite(fd, &c, 1, st.st_size - 5);
	} else if (strcmp(how, "half") == 0) {
		ftruncate(fd, st.st_size / 2);
	} else {
		ftruncate(fd, 10);
	}
	close(fd);
}

static void
test_cache(void)
{
	struct prof p, q;
	struct seccomp_prog *a, *b, *c;
	struct lc_err err = { 0 };
	char dir[128], path[256];
	int tmp;

	ok(mkdtemp(cache_root) != NULL, "temp dir");
	snprintf(dir, sizeof(dir), "%s/seccomp-cache", cache_root);
	log_fd = memfd_create("log", MFD_CLOEXEC);
	lc_log_setup(log_fd, LC_LOG_TEXT, false, false);

	cache_profile(&p, 77);
	a = prepare(&p, dir, NULL);
	ok(a && !a->cache_hit, "first prepare compiles (miss)");
	is_int(count_entries(dir, &tmp), 1, "one entry written");
	is_int(tmp, 0, "no temp file left");
	struct stat st;
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "cache dir is 0700");
	b = prepare(&p, dir, NULL);
	ok(b && b->cache_hit, "second prepare is a hit");
	ok(same_prog(a, b), "the hit gives the same program, flags, rule count and sha256");
	char *la = seccomp_unknown_list(a), *lb = seccomp_unknown_list(b);
	is_str(lb, la, "unknown names survive the cache");
	free(la), free(lb);
	ok(seccomp_prepare(&p.s, dir, true, &c, &err) < 0, "fail_unknown on a cached entry with unknown names fails");
	has_str(err.msg, "nosuch_cached", "... naming them");
	seccomp_prog_free(b);

	/* every field counts: another errnoRet is another entry and another digest */
	cache_profile(&q, 78);
	c = prepare(&q, dir, NULL);
	ok(c && !c->cache_hit, "a different errnoRet misses");
	ok(c && strcmp(c->sha256, a->sha256) != 0, "... and has another sha256");
	is_int(count_entries(dir, NULL), 2, "two entries");
	is_int(eval1(c, SYS_mkdir, 0), SECCOMP_RET_ERRNO | 78, "the errnoRet 78 entry returns 78");
	seccomp_prog_free(c);

	static const char *const hows[] = { "flip", "half", "header" };
	static const char *const words[] = { "checksum mismatch", "truncated", "truncated" };
	for (size_t i = 0; i < ARRAY_SIZE(hows); i++) {
		entry_path(path, sizeof(path), dir);
		damage(path, hows[i]);
		ftruncate(log_fd, 0);
		lseek(log_fd, 0, SEEK_SET);
		b = prepare(&p, dir, NULL);
		ok(b && !b->cache_hit, "%s entry: not loaded, rebuilt", hows[i]);
		ok(same_prog(a, b), "%s entry: the rebuilt program is right", hows[i]);
		has_str(log_text(), words[i], "%s entry: logged (%s)", hows[i], words[i]);
		has_str(log_text(), "rebuilding", "%s entry: the log says it is rebuilt", hows[i]);
		seccomp_prog_free(b);
		b = prepare(&p, dir, NULL);
		ok(b && b->cache_hit, "%s entry: the next prepare hits again", hows[i]);
		seccomp_prog_free(b);
	}

	/* A key collision: profile 78's entry name and key over profile 77's bytes, with a
	 * valid checksum. The canonical bytes differ, so it is not taken. */
	char path78[256], cmd[600];
	uint8_t key78[32];
	entry_path(path, sizeof(path), dir);
	entry_path_of(path78, sizeof(path78), dir, 78, key78);
	snprintf(cmd, sizeof(cmd), "cp %s %s", path, path78);
	ok(system(cmd) == 0, "entry 77 copied over entry 78");
	int efd = open(path78, O_WRONLY | O_CLOEXEC);
	ok(pwrite(efd, key78, 32, 24) == 32, "... with 78's key in its header");
	close(efd);
	ftruncate(log_fd, 0);
	lseek(log_fd, 0, SEEK_SET);
	cache_profile(&q, 78);
	c = prepare(&q, dir, NULL);
	ok(c && !c->cache_hit, "an entry holding another profile's bytes is not taken");
	is_int(c ? eval1(c, SYS_mkdir, 0) : 0, SECCOMP_RET_ERRNO | 78, "... the rebuilt filter is 78's");
	has_str(log_text(), "holds another profile", "... and the log says why");
	seccomp_prog_free(c);

	/* an unusable cache dir is a warning, not a failure */
	ftruncate(log_fd, 0);
	lseek(log_fd, 0, SEEK_SET);
	b = prepare(&p, "/proc/strait-no-such/cache", NULL);
	ok(b && !b->cache_hit && same_prog(a, b), "unusable cache dir: compiled anyway");
	has_str(log_text(), "seccomp cache", "... with a warning");
	seccomp_prog_free(b);
	seccomp_prog_free(a);
}

static void
test_concurrent(void)
{
	char dir[128];
	struct prof p;
	int go[2], tmp;
	pid_t pids[4];

	snprintf(dir, sizeof(dir), "%s/concurrent", cache_root);
	ftruncate(log_fd, 0);
	lseek(log_fd, 0, SEEK_SET);
	cache_profile(&p, 77);
	struct seccomp_prog *ref = compile(&p, false, NULL);
	if (pipe(go) < 0)
		return;
	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char c;
			close(go[1]);
			read(go[0], &c, 1); /* all start together */
			for (int k = 0; k < 25; k++) {
				struct seccomp_prog *got = prepare(&p, dir, NULL);
				bool good = got && got->bpf_len == ref->bpf_len &&
					    memcmp(got->bpf, ref->bpf, ref->bpf_len) == 0;
				seccomp_prog_free(got);
				if (!good)
					_exit(1);
			}
			_exit(0);
		}
	}
	close(go[0]);
	close(go[1]); /* EOF releases them */
	int fails = 0;
	for (int i = 0; i < 4; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		fails += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	is_int(fails, 0, "4 concurrent writers x 25 prepares all got the right program");
	is_int(count_entries(dir, &tmp), 1, "one entry after concurrent writers");
	is_int(tmp, 0, "no temp files left behind");
	ok(strstr(log_text(), "rebuilding") == NULL && strstr(log_text(), "seccomp cache") == NULL,
	   "no reader ever saw a partial entry, no write failed: %s", log_text());
	seccomp_prog_free(ref);
}

/* ---- profiles ---- */
static struct lc_spec *
parse_profile_text(const char *text, size_t len, struct lc_err *err)
{
	const char *pre = "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"rootfs\"},\"linux\":{\"seccomp\":";
	size_t n = strlen(pre) + len + 3;
	char *doc = malloc(n);
	struct lc_spec *s = NULL;
	snprintf(doc, n, "%s%.*s}}", pre, (int)len, text);
	if (spec_parse(doc, strlen(doc), "profile", NULL, &s, err) < 0)
		s = NULL;
	free(doc);
	return s;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 > cap)
			buf = realloc(buf, cap = cap * 2 + 8192);
		size_t k = fread(buf + *len, 1, cap - *len - 1, f);
		if (k == 0)
			break;
		*len += k;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* Syscalls every workload needs, and the families the default profile must deny. */
static const char *const must_allow[] = {
	"read", "write", "openat", "close", "execve", "mmap", "futex", "rt_sigaction", "epoll_wait",
	"socket", "bind", "connect", "getrandom", "statx", "rseq", "prlimit64", "wait4", "pipe2",
	"set_robust_list", "newfstatat", "getdents64", "exit_group", "chroot", "ptrace", NULL,
};
static const char *const must_deny[] = {
	"mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
	"fspick", "mount_setattr", "kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "setns",
	"clock_settime", "settimeofday", "adjtimex", "clock_adjtime", "swapon", "swapoff", "reboot",
	"open_by_handle_at", "userfaultfd", NULL,
};

static void
check_default_semantics(const struct seccomp_prog *prog, const char *what)
{
	int bad = 0;
	for (const char *const *n = must_allow; *n; n++)
		if (eval1(prog, nr_of(SCMP_ARCH_X86_64, *n), 0) != SECCOMP_RET_ALLOW)
			bad++, printf("#   %s: %s is not allowed\n", what, *n);
	is_int(bad, 0, "%s: common workload syscalls allowed", what);
	bad = 0;
	for (const char *const *n = must_deny; *n; n++) {
		if (eval1(prog, nr_of(SCMP_ARCH_X86_64, *n), 0) != (SECCOMP_RET_ERRNO | EPERM))
			bad++, printf("#   %s: x86_64 %s is not denied\n", what, *n);
		int x86 = nr_of(SCMP_ARCH_X86, *n);
		if (x86 >= 0 && seccomp_prog_eval(prog, AUDIT_ARCH_I386, x86, NULL) != (SECCOMP_RET_ERRNO | EPERM))
			bad++, printf("#   %s: x86 %s is not denied\n", what, *n);
	}
	is_int(bad, 0, "%s: dangerous families denied with EPERM on x86_64 and x86", what);
	is_int(eval1(prog, SYS_clone, 0x3d0f00), SECCOMP_RET_ALLOW, "%s: clone for a thread", what);
	is_int(eval1(prog, SYS_clone, SIGCHLD), SECCOMP_RET_ALLOW, "%s: clone for fork", what);
	is_int(eval1(prog, SYS_clone, 0x10000000 | SIGCHLD), SECCOMP_RET_ERRNO | EPERM,
	       "%s: clone(CLONE_NEWUSER) denied", what);
	is_int(eval1(prog, SYS_clone, 0x40000000 | SIGCHLD), SECCOMP_RET_ERRNO | EPERM,
	       "%s: clone(CLONE_NEWNET) denied", what);
	is_int(eval1(prog, SYS_clone3, 0), SECCOMP_RET_ERRNO | ENOSYS, "%s: clone3 -> ENOSYS", what);
	is_int(eval1(prog, SYS_personality, 8), SECCOMP_RET_ALLOW, "%s: personality(PER_LINUX32)", what);
	is_int(eval1(prog, SYS_personality, 0xffffffff), SECCOMP_RET_ALLOW, "%s: personality query", what);
	is_int(eval1(prog, SYS_personality, 0x0400000), SECCOMP_RET_ERRNO | EPERM,
	       "%s: personality(ADDR_NO_RANDOMIZE) denied", what);
}

static void
test_default_profile(void)
{
	struct spec_seccomp *s = NULL;
	struct seccomp_prog *prog = NULL, *again = NULL;
	struct lc_err err = { 0 };
	char *json = NULL;

	is_int(seccomp_default_profile(&s), 0, "default profile builds");
	is_int(seccomp_compile(s, true, &prog, &err), 0, "default profile compiles with fail_unknown: %s", err.msg);
	if (!prog)
		return;
	ok(prog->bpf_len / 8 < SECCOMP_MAX_INSNS / 2, "default profile is %zu instructions, under half the kernel limit",
	   prog->bpf_len / 8);
	check_default_semantics(prog, "strait default");
	is_int(eval1(prog, SYS_unshare, 0x400 /* CLONE_FILES */), SECCOMP_RET_ALLOW,
	       "unshare(CLONE_FILES) allowed");
	is_int(eval1(prog, SYS_unshare, 0x80 /* CLONE_NEWTIME */), SECCOMP_RET_ERRNO | EPERM,
	       "unshare(CLONE_NEWTIME) denied");
	is_int(eval1(prog, SYS_personality, 0x100000008ull), SECCOMP_RET_ALLOW,
	       "personality compares the low 32 bits, as the kernel reads them");
	is_int(eval1(prog, SYS_io_uring_setup, 0), SECCOMP_RET_ERRNO | ENOSYS, "io_uring_setup -> ENOSYS");
	is_int(eval1(prog, 470, 0), SECCOMP_RET_ERRNO | ENOSYS, "a syscall newer than the profile -> ENOSYS");
	is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, nr_of(SCMP_ARCH_X86, "socketcall"), NULL),
	       SECCOMP_RET_ALLOW, "x86 socketcall allowed");
	is_int(seccomp_prog_eval(prog, AUDIT_ARCH_I386, 359 /* socket */, NULL), SECCOMP_RET_ALLOW,
	       "x86 direct socket allowed");

	/* the JSON form parses back (through spec.c) to the same profile and program */
	is_int(seccomp_default_profile_json(&json), 0, "default profile as JSON");
	has_str(json, "\"defaultAction\"", "JSON has defaultAction");
	struct lc_spec *spec = json ? parse_profile_text(json, strlen(json), &err) : NULL;
	ok(spec != NULL, "spec.c parses the JSON: %s", spec ? "" : err.msg);
	if (spec) {
		char *c1, *c2;
		size_t l1, l2;
		seccomp_canonical(s, &c1, &l1);
		seccomp_canonical(&spec->linux_.seccomp, &c2, &l2);
		ok(l1 == l2 && memcmp(c1, c2, l1) == 0, "JSON round trip keeps every field");
		free(c1), free(c2);
		is_int(seccomp_compile(&spec->linux_.seccomp, true, &again, &err), 0, "round trip compiles");
		ok(again && again->bpf_len == prog->bpf_len &&
			   memcmp(again->bpf, prog->bpf, prog->bpf_len) == 0,
		   "round trip gives the same BPF");
		seccomp_prog_free(again);
		spec_free(spec);
	}
	free(json);

	/* the real thing: a child under the default profile */
	pid_t pid = fork();
	if (pid == 0) {
		int fd, bad = 0;
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (seccomp_prog_load(prog, &fd, &err) < 0)
			_exit(100);
		bad |= syscall(SYS_getpid) <= 0;
		bad |= (syscall(SYS_mount, "none", "/mnt", "tmpfs", 0, NULL) != -1 || errno != EPERM) << 1;
		bad |= (syscall(SYS_unshare, 0x10000000) != -1 || errno != EPERM) << 2;
		bad |= (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS) << 3;
		bad |= (syscall(470) != -1 || errno != ENOSYS) << 4;
		bad |= (syscall(SYS_keyctl, 0, 0) != -1 || errno != EPERM) << 5;
		_exit(bad);
	}
	int st;
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "under the loaded default: getpid works, mount/unshare/keyctl EPERM, clone3/470 ENOSYS (status 0x%x)", st);
	seccomp_prog_free(prog);
	seccomp_spec_free(s);
}

static bool
strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Names docker's own-format profile allows unconditionally on amd64/x86/x32 without
 * extra capabilities. */
static size_t
docker_unconditional(const struct json_val *root, const char **out, size_t max)
{
	const struct json_val *sc = json_get(root, "syscalls");
	size_t n = 0;
	for (size_t i = 0; i < json_len(sc); i++) {
		const struct json_val *e = json_at(sc, i);
		const struct json_val *inc = json_get(e, "includes"), *arches = json_get(inc, "arches");
		const char *act = json_string(json_get(e, "action"));
		bool arch_ok = !arches;
		for (size_t k = 0; arches && k < json_len(arches); k++) {
			const char *a = json_string(json_at(arches, k));
			arch_ok |= a && (!strcmp(a, "amd64") || !strcmp(a, "x86") || !strcmp(a, "x32"));
		}
		if (!act || strcmp(act, "SCMP_ACT_ALLOW") || json_get(e, "args") || json_get(inc, "caps") ||
		    json_get(inc, "minKernel") || !arch_ok)
			continue;
		const struct json_val *names = json_get(e, "names");
		for (size_t k = 0; k < json_len(names) && n < max; k++)
			out[n++] = json_string(json_at(names, k));
	}
	return n;
}

static void
test_docker_profiles(void)
{
	size_t len;
	char *text = read_file(PROFILE_DIR "/docker-default-oci.json", &len);
	struct lc_err err = { 0 };
	struct seccomp_prog *prog = NULL;

	if (!text) {
		ok(0, "%s/docker-default-oci.json not found", PROFILE_DIR);
		return;
	}
	struct lc_spec *spec = parse_profile_text(text, len, &err);
	ok(spec != NULL, "docker-default-oci.json parses: %s", spec ? "" : err.msg);
	free(text);
	if (!spec)
		return;
	is_int(seccomp_compile(&spec->linux_.seccomp, false, &prog, &err), 0,
	       "docker-default-oci.json compiles without errors: %s", err.msg);
	if (prog) {
		char *u = seccomp_unknown_list(prog);
		printf("# docker profile: %zu rules, %zu instructions, unknown to libseccomp %s: %s\n",
		       prog->n_rules, prog->bpf_len / 8, seccomp_libseccomp_version(), u ? u : "none");
		free(u);
		ok(prog->n_rules > 300, "docker profile has %zu rules", prog->n_rules);
		is_int(eval1(prog, SYS_getppid, 0), SECCOMP_RET_ALLOW, "docker: getppid allowed");
		is_int(eval1(prog, SYS_mount, 0), SECCOMP_RET_ERRNO | EPERM, "docker: mount denied");
		is_int(eval1(prog, SYS_clone3, 0), SECCOMP_RET_ERRNO | ENOSYS, "docker: clone3 -> ENOSYS");
		is_int(eval1(prog, SYS_personality, 8), SECCOMP_RET_ALLOW, "docker: personality 8 allowed");
		is_int(eval1(prog, SYS_personality, 9), SECCOMP_RET_ERRNO | EPERM, "docker: personality 9 denied");
		seccomp_prog_free(prog);
	}
	spec_free(spec);

	/* compare strait's default with docker's own-format profile and print the diff */
	text = read_file(PROFILE_DIR "/docker-default.json", &len);
	struct json_val *root = NULL;
	char reason[128];
	if (!text || json_parse(text, len, &root, reason, sizeof(reason)) < 0) {
		ok(0, "docker-default.json not readable");
		free(text);
		return;
	}
	const char *docker[1024];
	size_t nd = docker_unconditional(root, docker, ARRAY_SIZE(docker));
	struct spec_seccomp *s = NULL;
	seccomp_default_profile(&s);
	const struct spec_seccomp_rule *mine = &s->rules[0];
	size_t only_docker = 0, only_strait = 0;
	printf("# only docker allows:");
	for (size_t i = 0; i < nd; i++)
		if (!strv_has(mine->names, mine->n_names, docker[i]))
			printf(" %s", docker[i]), only_docker++;
	printf("\n# only strait allows:");
	for (size_t i = 0; i < mine->n_names; i++) {
		bool found = false;
		for (size_t k = 0; k < nd && !found; k++)
			found = strcmp(docker[k], mine->names[i]) == 0;
		if (!found)
			printf(" %s", mine->names[i]), only_strait++;
	}
	printf("\n");
	ok(nd > 300, "docker allows %zu names unconditionally; %zu only there, %zu only in strait", nd,
	   only_docker, only_strait);
	int overlap = 0;
	for (const char *const *n = must_deny; *n; n++)
		overlap += strv_has(mine->names, mine->n_names, *n);
	is_int(overlap, 0, "no dangerous family in strait's unconditional list");
	seccomp_spec_free(s);
	json_free(root);
	free(text);
}

static void
test_check_syscall(void)
{
	struct prof p;
	struct lc_err err = { 0 };

	prof_init(&p, SCMP_ACT_ALLOW_);
	rule_errno(RULE(&p, SCMP_ACT_ERRNO_, "execve"), EACCES);
	struct seccomp_prog *prog = compile(&p, false, NULL);
	if (!prog)
		return;
	is_int(seccomp_prog_check_syscall(prog, "execve", NULL, &err), -EPERM, "a denied execve is found");
	has_str(err.msg, "the seccomp profile denies execve (SCMP_ACT_ERRNO: Permission denied)",
		"... and named with its action");
	is_int(seccomp_prog_check_syscall(prog, "getpid", NULL, &err), 0, "an allowed syscall passes");
	seccomp_prog_free(prog);
}

static void
rm_rf(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_sha256();
	test_actions();
	test_operators();
	test_args();
	test_default_errno();
	test_unknown();
	test_errors();
	test_skew();
	test_flags();
	test_check_syscall();
	test_load();
	test_cache();
	test_concurrent();
	test_default_profile();
	test_docker_profiles();
	rm_rf(cache_root);
	return tap_done();
}
