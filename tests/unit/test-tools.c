/* Unit tests for the profile tools (libcontainer/seccomp/tools-*.c): reading profiles
 * (bare and config.json), the per-syscall view (split rules, conflicts, shadowing),
 * diff, merge (exact outputs, tie and overlap errors, and the merged filter checked
 * against its inputs syscall by syscall through compiled BPF), generate with its
 * coverage report, check, and the atomic writer. No root needed: nothing is loaded. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "macro.h"
#include "spec.h"
#include "seccomp/seccomp.h"
#include "seccomp/tools.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test-tools.XXXXXX";

static struct spec_seccomp *
parse(const char *text)
{
	struct lc_err err = { 0 };
	struct spec_seccomp *s = NULL;

	if (tools_profile_parse(text, strlen(text), "test.json", &s, &err) < 0) {
		printf("# parse failed: %s\n", err.msg);
		return NULL;
	}
	return s;
}

/* Writes text to tmpdir/name and returns the path (static buffer rotation). */
static const char *
put(const char *name, const char *text)
{
	static char paths[8][256];
	static int k;
	char *p = paths[k++ % 8];
	FILE *f;

	snprintf(p, 256, "%s/%s", tmpdir, name);
	f = fopen(p, "we");
	if (!f)
		return p;
	fputs(text, f);
	fclose(f);
	return p;
}

/* An evidence file with records "arch syscall action errno count" (one per string). */
static const char *
evidence(const char *name, const char *label, const char *sha, const char *start,
	 const char *end, const char *const *recs)
{
	char buf[8192];
	size_t o = 0;

	o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			      "{\"straitEvidence\":1,\"container\":{\"id\":\"%s\",\"bundle\":\"/b\","
			      "\"label\":\"%s\"},\"baseProfile\":{\"sha256\":\"%s\",\"source\":"
			      "\"config\"},\"start\":\"%s\",\"end\":\"%s\",\"versions\":{},"
			      "\"records\":[",
			      name, label, sha, start, end);
	for (size_t i = 0; recs[i]; i++) {
		char arch[64], sc[64], act[64];
		unsigned e, n;
		sscanf(recs[i], "%63s %63s %63s %u %u", arch, sc, act, &e, &n);
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				      "%s{\"syscall\":\"%s\",\"arch\":\"%s\",\"action\":\"%s\"%s%.0u,"
				      "\"count\":%u,\"executables\":[\"/bin/sh\"]}",
				      i ? "," : "", sc, arch, act, e ? ",\"errnoRet\":" : "", e, n);
	}
	snprintf(buf + o, sizeof(buf) - o, "]}");
	return put(name, buf);
}

static struct evidence_doc **
load_docs(const char *const *paths, size_t n)
{
	struct evidence_doc **docs = NULL;
	struct lc_err err = { 0 };

	if (tools_evidence_load((char *const *)paths, n, &docs, &err) < 0) {
		printf("# evidence: %s\n", err.msg);
		return NULL;
	}
	return docs;
}

/* Runs call with cap, a memstream, and stores its text (malloc'd) and return value. */
#define CAPTURE(text, ret, call)                                                          \
	do {                                                                              \
		size_t _len = 0;                                                          \
		FILE *cap = open_memstream(&(text), &_len);                               \
		(ret) = (call);                                                           \
		fclose(cap);                                                              \
	} while (0)

static char *
to_json(const struct spec_seccomp *s)
{
	char *j = NULL;

	if (!s || seccomp_spec_to_json(s, false, &j) < 0)
		return NULL;
	return j;
}

/* ---- reading profiles ---- */
static void
test_load(void)
{
	struct lc_err err = { 0 };
	struct spec_seccomp *s = NULL;
	char *invalid = NULL;

	s = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_ALLOW\"}]}");
	ok(s && s->n_rules == 1 && s->default_action == SCMP_ACT_ERRNO_, "a bare linux.seccomp object");
	seccomp_spec_free(s);

	const char *cfg = put("config.json",
			      "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},\"linux\":"
			      "{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_LOG\"}}}");
	s = NULL;
	is_int(tools_profile_load(cfg, &s, &err), 0, "a whole config.json: %s", err.msg);
	ok(s && s->default_action == SCMP_ACT_LOG_, "... its linux.seccomp is taken");
	seccomp_spec_free(s);

	const char *noprof = put("noprof.json", "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"}}");
	is_int(tools_profile_load(noprof, &s, &err), -EINVAL, "a config.json without a profile");
	has_str(err.msg, "noprof.json: linux.seccomp: missing", "... names the file and field");

	const char *other = put("other.json", "{\"names\":[]}");
	is_int(tools_profile_load(other, &s, &err), -EINVAL, "neither kind of document");
	has_str(err.msg, "other.json: neither a seccomp profile (no \"defaultAction\") nor a "
			 "config.json", "... says so");

	const char *bad = put("bad.json", "{\"defaultAction\":\"SCMP_ACT_NOPE\"}");
	is_int(tools_profile_load(bad, &s, &err), -EINVAL, "an unknown action");
	has_str(err.msg, "bad.json: linux.seccomp.defaultAction", "... spec.c's message, with the file");

	const char *inv = put("inv.json", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":3}");
	is_int(tools_profile_load(inv, &s, &err), -EINVAL, "spec_validate runs");
	has_str(err.msg, "inv.json: linux.seccomp.defaultErrnoRet: not allowed", "... named by file");
	s = NULL;
	is_int(tools_profile_load_lenient(inv, &s, &invalid, &err), 0, "lenient: the profile anyway");
	has_str(invalid, "linux.seccomp.defaultErrnoRet", "... with the validation message");
	ok(invalid && strncmp(invalid, "config.json", 11) != 0, "... not blaming config.json: %s",
	   invalid);
	free(invalid);
	seccomp_spec_free(s);
}

/* ---- actions and the view ---- */
static void
test_actions(void)
{
	static const enum seccomp_action order[] = {
		SCMP_ACT_KILL_PROCESS_, SCMP_ACT_KILL_THREAD_, SCMP_ACT_TRAP_, SCMP_ACT_ERRNO_,
		SCMP_ACT_NOTIFY_,       SCMP_ACT_TRACE_,       SCMP_ACT_LOG_,  SCMP_ACT_ALLOW_,
	};
	char b[TOOLS_ACT_LEN];
	bool rising = true;

	for (size_t i = 0; i + 1 < ARRAY_SIZE(order); i++)
		rising &= tools_act_rank(tools_act_of(order[i], false, 0)) <
			  tools_act_rank(tools_act_of(order[i + 1], false, 0));
	ok(rising, "permissiveness follows the kernel's precedence, reversed");
	is_str(tools_act_format(tools_act_of(SCMP_ACT_ERRNO_, false, 0), b, sizeof(b)),
	       "SCMP_ACT_ERRNO(EPERM)", "ERRNO without errnoRet is EPERM");
	is_str(tools_act_format(tools_act_of(SCMP_ACT_ERRNO_, true, 38), b, sizeof(b)),
	       "SCMP_ACT_ERRNO(ENOSYS)", "errno names");
	is_str(tools_act_format(tools_act_of(SCMP_ACT_TRACE_, true, 4000), b, sizeof(b)),
	       "SCMP_ACT_TRACE(4000)", "a number without a name");
	ok(tools_act_eq(tools_act_of(SCMP_ACT_ERRNO_, false, 0), tools_act_of(SCMP_ACT_ERRNO_, true, 1)),
	   "ERRNO and ERRNO(1) are one action");
}

static char *
behaviour_text(const struct tools_view *v, const char *name)
{
	struct tools_behaviour b = tools_view_behaviour(v, name);
	char *t = NULL;
	size_t len;
	FILE *f = open_memstream(&t, &len);

	tools_behaviour_print(f, &b);
	fclose(f);
	return t;
}

static void
test_view(void)
{
	struct spec_seccomp *s = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		/* 0 */ "{\"names\":[\"read\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		/* 1 */ "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		"\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]},"
		/* 2 */ "{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		"{\"index\":1,\"value\":21505,\"op\":\"SCMP_CMP_EQ\"},"
		"{\"index\":1,\"value\":21506,\"op\":\"SCMP_CMP_EQ\"}]},"
		/* 3 */ "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
		/* 4 */ "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,"
		"\"value\":9,\"op\":\"SCMP_CMP_NE\",\"valueTwo\":77},{\"index\":0,\"value\":255,"
		"\"valueTwo\":1,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
		/* 5 */ "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		/* 6 */ "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":[{\"index\":0,"
		"\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	struct tools_view v;
	struct lc_err err = { 0 };
	char *t;

	if (!s || tools_view_build(s, &v) < 0) {
		ok(0, "view built");
		return;
	}
	is_str(t = behaviour_text(&v, "ioctl"),
	       "SCMP_ACT_ALLOW if arg1 == 21505; SCMP_ACT_ALLOW if arg1 == 21506; else "
	       "SCMP_ACT_ERRNO(EPERM)",
	       "a rule testing one argument twice is their OR (as compile.c splits it)");
	free(t);
	is_str(t = behaviour_text(&v, "kill"),
	       "SCMP_ACT_ALLOW if arg0 & 0xff == 0x1 && arg1 != 9; else SCMP_ACT_ERRNO(EPERM)",
	       "conditions sorted by argument; valueTwo kept only for MASKED_EQ");
	free(t);
	is_str(t = behaviour_text(&v, "read"), "SCMP_ACT_ALLOW", "unconditional wins");
	free(t);
	is_str(t = behaviour_text(&v, "getpid"), "SCMP_ACT_ERRNO(EPERM)", "unnamed: the default");
	free(t);
	ok(!tools_view_behaviour(&v, "getpid").named && tools_view_behaviour(&v, "mkdir").named,
	   "named tells a rule from the default");

	char kinds[64] = "";
	for (size_t i = 0; i < v.n_overlaps; i++) {
		static const char *const k[] = { "C", "E", "S", "D", "N" };
		char one[16];
		snprintf(one, sizeof(one), "%s%zu/%zu ", k[v.overlaps[i].kind], v.overlaps[i].rule_a,
			 v.overlaps[i].rule_b);
		strcat(kinds, one);
	}
	is_str(kinds, "N3/3 D0/0 S0/1 C5/6 ",
	       "overlaps: no-effect rule, duplicate name, shadowed, conflict");
	is_int(tools_view_strict(&v, "p.json", &err), -EINVAL, "strict refuses the conflict");
	is_str(err.msg,
	       "p.json: syscalls[5] and syscalls[6] give \"write\" different actions and one has no "
	       "argument conditions; strait refuses to compile such a profile (see `strait seccomp "
	       "check`)",
	       "... naming both rules");
	tools_view_done(&v);
	seccomp_spec_free(s);
}

/* ---- diff ---- */
static const char prof_a[] =
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
	"\"syscalls\":[{\"names\":[\"read\",\"write\",\"mkdir\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	"\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}";
static const char prof_b[] =
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":"
	"[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
	"\"syscalls\":[{\"names\":[\"write\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	"\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"chmod\",\"no_such_call\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";

static void
test_diff(void)
{
	struct spec_seccomp *a = parse(prof_a), *b = parse(prof_b);
	struct spec_seccomp *a2 = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":["
		"{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},"
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		"\"value\":0,\"valueTwo\":5,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"mkdir\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
	struct lc_err err = { 0 };
	char *text = NULL, want[2048];
	int r;

	CAPTURE(text, r, tools_diff(a, b, cap, &err));
	is_int(r, 1, "different profiles: 1");
	snprintf(want, sizeof(want),
		 "only in B: flag SECCOMP_FILTER_FLAG_LOG\n"
		 "only in B: architecture SCMP_ARCH_X86 (A kills the process on any syscall of it)\n"
		 "only in B: SCMP_ARCH_X86_64 chmod: SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW\n"
		 "only in A: SCMP_ARCH_X86_64 mkdir: SCMP_ACT_ALLOW vs SCMP_ACT_ERRNO(EACCES)\n"
		 "different: SCMP_ARCH_X86_64 personality: SCMP_ACT_ALLOW if arg0 == 0; else "
		 "SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW if arg0 == 8; else SCMP_ACT_ERRNO(EPERM)\n"
		 "different: SCMP_ARCH_X86_64 ptrace: SCMP_ACT_KILL_PROCESS vs SCMP_ACT_ERRNO(EPERM)\n"
		 "only in B: (unknown to libseccomp %s) no_such_call: SCMP_ACT_ERRNO(EPERM) vs "
		 "SCMP_ACT_ALLOW\n",
		 seccomp_libseccomp_version());
	is_str(text, want, "every difference, per arch, conditions included");
	free(text);

	CAPTURE(text, r, tools_diff(a, a2, cap, &err));
	is_int(r, 0, "the same behaviour written differently: 0 (%s)", text);
	is_str(text, "", "... and nothing printed");
	free(text);

	struct spec_seccomp *c = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
	CAPTURE(text, r, tools_diff(a2, c, cap, &err));
	is_int(r, 1, "defaults differ");
	has_str(text, "only in B: defaultAction: SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW\n",
		"... said first");
	has_str(text, "only in B: SCMP_ARCH_X86_64 ptrace: SCMP_ACT_KILL_PROCESS vs SCMP_ACT_ALLOW",
		"... and a named syscall against the other's default");
	free(text);

	struct spec_seccomp *bad = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
		"\"SCMP_ACT_ALLOW\"},{\"names\":[\"read\"],\"action\":\"SCMP_ACT_LOG\"}]}");
	CAPTURE(text, r, tools_diff(a, bad, cap, &err));
	is_int(r, -EINVAL, "a profile strait would refuse: an error");
	has_str(err.msg, "B: syscalls[0] and syscalls[1] give \"read\"", "... naming it");
	free(text);
	seccomp_spec_free(a);
	seccomp_spec_free(a2);
	seccomp_spec_free(b);
	seccomp_spec_free(c);
	seccomp_spec_free(bad);
}

/* ---- merge ---- */
static char *
merge2(bool intersect, const char *x, const char *y, struct lc_err *err)
{
	struct spec_seccomp *in[2] = { parse(x), parse(y) }, *out = NULL;
	const char *what[2] = { "x.json", "y.json" };
	char *j = NULL;

	if (in[0] && in[1] &&
	    tools_merge(intersect, (const struct spec_seccomp *const *)in, what, 2, &out, err) == 0)
		j = to_json(out);
	seccomp_spec_free(in[0]);
	seccomp_spec_free(in[1]);
	seccomp_spec_free(out);
	return j;
}

static void
test_merge_exact(void)
{
	struct lc_err err = { 0 };
	char *j;

	j = merge2(false, prof_a, prof_b, &err);
	is_str(j,
	       "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":"
	       "[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X86_64\"],\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
	       "\"syscalls\":[{\"names\":[\"chmod\",\"mkdir\",\"no_such_call\",\"read\",\"write\"],"
	       "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"personality\"],\"action\":"
	       "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"valueTwo\":0,\"op\":"
	       "\"SCMP_CMP_EQ\"}]},{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
	       "\"args\":[{\"index\":0,\"value\":8,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	       "union: more permissive wins, conditional allows add up, ptrace falls to the "
	       "default, archs and flags united: %s", err.msg);
	free(j);

	j = merge2(true, prof_a, prof_b, &err);
	is_str(j,
	       "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":"
	       "[\"SCMP_ARCH_X86_64\"],\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":"
	       "[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":"
	       "[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},{\"names\":[\"ptrace\"],"
	       "\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}",
	       "intersect: more restrictive wins; personality 0 AND 8 allows nothing: %s", err.msg);
	free(j);

	/* the order of the inputs changes nothing */
	char *j1 = merge2(false, prof_b, prof_a, &err), *j2 = merge2(false, prof_a, prof_b, &err);
	is_str(j1, j2, "union is symmetric");
	free(j1), free(j2);
	j1 = merge2(true, prof_b, prof_a, &err), j2 = merge2(true, prof_a, prof_b, &err);
	is_str(j1, j2, "intersection is symmetric");
	free(j1), free(j2);

	/* docker's clone3 ENOSYS against an allow-list's default EPERM: a rule naming the
	 * syscall beats a defaultAction of the same rank */
	static const char named[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone3\"],"
		"\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},{\"names\":[\"read\"],\"action\":"
		"\"SCMP_ACT_ALLOW\"}]}";
	static const char allow_list[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":[{\"names\":"
		"[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	j = merge2(true, named, allow_list, &err);
	is_str(j,
	       "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":[{\"names\":"
	       "[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"clone3\"],\"action\":"
	       "\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}",
	       "the named ENOSYS wins over a default EPERM: %s", err.msg);
	free(j);

	/* two clauses of different inputs that overlap: their AND is one rule */
	static const char e[] =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
		"\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":[{\"index\":1,\"value\":5,\"op\":"
		"\"SCMP_CMP_EQ\"}]}]}";
	static const char f[] =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
		"\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":3,\"op\":"
		"\"SCMP_CMP_GT\"}]}]}";
	j = merge2(false, e, f, &err);
	is_str(j,
	       "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,\"args\":[{\"index\":0,\"value\":3,"
	       "\"valueTwo\":0,\"op\":\"SCMP_CMP_GT\"},{\"index\":1,\"value\":5,\"valueTwo\":0,"
	       "\"op\":\"SCMP_CMP_EQ\"}]}]}",
	       "union of two deny rules: denied only where both deny: %s", err.msg);
	free(j);
}

static void
test_merge_errors(void)
{
	struct lc_err err = { 0 };
	char *j;

	j = merge2(false,
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
		   "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
		   "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}",
		   &err);
	ok(!j, "two named errnos for one syscall: no result");
	is_str(err.msg,
	       "mkdir: SCMP_ACT_ERRNO(EACCES) in x.json and SCMP_ACT_ERRNO(ENOSYS) in y.json: "
	       "neither is more permissive (same kind of action, different value); make the "
	       "inputs agree",
	       "... the error names the syscall, both actions and both inputs");

	j = merge2(true, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1}",
		   "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38}", &err);
	ok(!j, "default actions that tie");
	has_str(err.msg, "defaultAction: SCMP_ACT_ERRNO(EPERM) in x.json and "
			 "SCMP_ACT_ERRNO(ENOSYS) in y.json: neither is more restrictive",
		"... named");

	/* A allows personality when arg0's low bits are 0; B kills it when arg1's are 5
	 * and allows the rest. The union denies (ERRNO) where only B's test holds and
	 * allows where both hold: that takes "not A's test", and a MASKED_EQ has no
	 * negation a rule can state */
	j = merge2(false,
		   "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],"
		   "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":15,\"valueTwo\":0,"
		   "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
		   "\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":[{\"index\":1,\"value\":255,"
		   "\"valueTwo\":5,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
		   &err);
	ok(!j, "overlapping argument rules that no OCI rule set can express");
	is_str(err.msg,
	       "\"personality\": the union would need \"SCMP_ACT_ERRNO(EPERM) if arg1 & 0xff == "
	       "0x5\" and, where more conditions hold, \"SCMP_ACT_ALLOW if arg0 & 0xf == 0 && arg1 "
	       "& 0xff == 0x5\"; libseccomp gives overlapping argument rules no order, so OCI "
	       "rules cannot say that; make the inputs agree on this syscall",
	       "... the error shows both rules it would need");

	/* the same, where a negation exists: written as exact rules */
	j = merge2(false,
		   "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],"
		   "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"op\":"
		   "\"SCMP_CMP_EQ\"}]}]}",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
		   "\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":[{\"index\":1,\"value\":5,\"op\":"
		   "\"SCMP_CMP_EQ\"}]}]}",
		   &err);
	is_str(j,
	       "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"personality\"],"
	       "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,\"args\":[{\"index\":0,\"value\":0,"
	       "\"valueTwo\":0,\"op\":\"SCMP_CMP_NE\"},{\"index\":1,\"value\":5,\"valueTwo\":0,"
	       "\"op\":\"SCMP_CMP_EQ\"}]}]}",
	       "... a rule narrowed by the negation of the other's test: %s", err.msg);
	free(j);

	/* A traps every ioctl; B allows ioctl when arg1's low bits are 1, over a KILL
	 * default. The union is ALLOW there and TRAP for every other ioctl, but argument
	 * rules fall back to the merged default (ERRNO), and "every other" would take a
	 * negated MASKED_EQ */
	j = merge2(false,
		   "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"ioctl\"],"
		   "\"action\":\"SCMP_ACT_TRAP\"}]}",
		   "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[{\"names\":[\"ioctl\"],"
		   "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":255,\"valueTwo\":1,"
		   "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
		   &err);
	ok(!j, "argument rules whose fallback is not the default");
	is_str(err.msg,
	       "\"ioctl\": the union keeps argument conditions but gives every other call "
	       "SCMP_ACT_TRAP, and argument rules can only fall back to the defaultAction "
	       "(SCMP_ACT_ERRNO(EPERM)); make the inputs agree on this syscall",
	       "... said so");

	j = merge2(false,
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/a.sock\"}",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/b.sock\"}", &err);
	ok(!j, "two listeners");
	is_str(err.msg,
	       "listenerPath: x.json and y.json name different listeners (\"/run/a.sock\", "
	       "\"/run/b.sock\"); a profile has one",
	       "... named");
}

static void
test_merge_flags_archs(void)
{
	struct lc_err err = { 0 };
	char *j;

	j = merge2(true,
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
		   "\"SECCOMP_FILTER_FLAG_LOG\"]}",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"]}", &err);
	is_str(j,
	       "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
	       "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":[]}",
	       "intersect: SPEC_ALLOW only when all have it; archs of both (native implied): %s",
	       err.msg);
	free(j);
	j = merge2(false,
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]}",
		   "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", &err);
	is_str(j, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],"
		  "\"syscalls\":[]}",
	       "union: SPEC_ALLOW when any has it; no architectures listed stays unlisted");
	free(j);
}

/* ---- merge, checked through the compiled filters ---- */
static struct tools_act
act_of_ret(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return tools_act_of(SCMP_ACT_KILL_PROCESS_, false, 0);
	case SECCOMP_RET_KILL_THREAD:
		return tools_act_of(SCMP_ACT_KILL_THREAD_, false, 0);
	case SECCOMP_RET_TRAP:
		return tools_act_of(SCMP_ACT_TRAP_, false, 0);
	case SECCOMP_RET_ERRNO:
		return tools_act_of(SCMP_ACT_ERRNO_, true, ret & SECCOMP_RET_DATA);
	case SECCOMP_RET_TRACE:
		return tools_act_of(SCMP_ACT_TRACE_, true, ret & SECCOMP_RET_DATA);
	case SECCOMP_RET_USER_NOTIF:
		return tools_act_of(SCMP_ACT_NOTIFY_, false, 0);
	case SECCOMP_RET_LOG:
		return tools_act_of(SCMP_ACT_LOG_, false, 0);
	}
	return tools_act_of(SCMP_ACT_ALLOW_, false, 0);
}

/* Defaults other than ERRNO keep compile.c's version-skew ENOSYS out of the way, so
 * that every difference is the merge's. */
static const char *const algebra_profiles[] = {
	"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
	"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,\"args\":"
	"[{\"index\":0,\"value\":3,\"op\":\"SCMP_CMP_GT\"}]},"
	"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_TRAP\",\"args\":[{\"index\":0,\"value\":5,"
	"\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"write\"],\"action\":\"SCMP_ACT_LOG\"}]}",

	"{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":["
	"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":[{\"index\":1,"
	"\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_TRAP\"},"
	"{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":1,"
	"\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}",

	"{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":["
	"{\"names\":[\"read\",\"write\",\"mkdir\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	"\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":1,"
	"\"op\":\"SCMP_CMP_EQ\"}]}]}",

	"{\"defaultAction\":\"SCMP_ACT_TRAP\",\"syscalls\":["
	"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":5,"
	"\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	"\"value\":4,\"op\":\"SCMP_CMP_LE\"}]},"
	"{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_LOG\"}]}",
};

/* Every (syscall, arg0, arg1) of the grid gets from the merged filter pm exactly the
 * fold of what the n input filters give it. Returns the number of mismatches. */
static int
grid_compare(bool intersect, struct seccomp_prog *const *in, size_t n, struct seccomp_prog *pm,
	     const char *label)
{
	static const char *const names[] = { "mkdir", "personality", "read",  "write",
					     "chmod", "ioctl",       "getpid" };
	static const uint64_t vals[] = { 0, 1, 2, 3, 4, 5 };
	int bad = 0;

	for (size_t k = 0; k < ARRAY_SIZE(names); k++)
		for (size_t x = 0; x < ARRAY_SIZE(vals); x++)
			for (size_t y = 0; y < ARRAY_SIZE(vals); y++) {
				uint64_t args[6] = { vals[x], vals[y] };
				int nr = seccomp_syscall_resolve_name(names[k]);
				struct tools_act m = act_of_ret(seccomp_prog_eval(pm, 0, nr, args));
				struct tools_act want = act_of_ret(seccomp_prog_eval(in[0], 0, nr, args));
				char w[TOOLS_ACT_LEN], g[TOOLS_ACT_LEN];

				for (size_t i = 1; i < n; i++) {
					struct tools_act a = act_of_ret(seccomp_prog_eval(in[i], 0, nr, args));
					int ra = tools_act_rank(a), rw = tools_act_rank(want);
					if (intersect ? ra < rw : ra > rw)
						want = a;
				}
				if (tools_act_eq(m, want))
					continue;
				if (bad++ < 3)
					printf("# %s: %s(%llu, %llu): got %s, want %s\n", label, names[k],
					       (unsigned long long)vals[x], (unsigned long long)vals[y],
					       tools_act_format(m, g, sizeof(g)),
					       tools_act_format(want, w, sizeof(w)));
			}
	return bad;
}

/* Merges algebra_profiles[idx[0..n)] and checks the result through compiled filters;
 * returns false when the merge was refused. */
static bool
merge_and_compare(bool intersect, const size_t *idx, size_t n)
{
	struct spec_seccomp *in[4] = { 0 }, *m = NULL;
	struct seccomp_prog *p[4] = { 0 }, *pm = NULL;
	const char *what[4] = { "w", "x", "y", "z" };
	struct lc_err err = { 0 };
	char label[64];
	int o = snprintf(label, sizeof(label), "%s of", intersect ? "intersection" : "union");
	bool merged = true;

	for (size_t i = 0; i < n; i++) {
		in[i] = parse(algebra_profiles[idx[i]]);
		o += snprintf(label + o, sizeof(label) - (size_t)o, " %zu", idx[i]);
	}
	if (tools_merge(intersect, (const struct spec_seccomp *const *)in, what, n, &m, &err) < 0) {
		printf("# %s refused: %s\n", label, err.msg);
		merged = false;
	} else {
		bool compiled = seccomp_compile(m, false, &pm, &err) == 0;
		for (size_t i = 0; compiled && i < n; i++)
			compiled = seccomp_compile(in[i], false, &p[i], &err) == 0;
		if (!compiled)
			ok(0, "%s compiles: %s", label, err.msg);
		else
			is_int(grid_compare(intersect, p, n, pm, label), 0,
			       "%s: the merged filter gives every call the fold", label);
	}
	for (size_t i = 0; i < n; i++) {
		seccomp_prog_free(p[i]);
		seccomp_spec_free(in[i]);
	}
	seccomp_prog_free(pm);
	seccomp_spec_free(m);
	return merged;
}

static void
test_merge_semantics(void)
{
	size_t n = ARRAY_SIZE(algebra_profiles), refused = 0, total = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (int mode = 0; mode < 2; mode++) {
				size_t idx[2] = { i, j };
				refused += !merge_and_compare(mode, idx, 2);
				total++;
			}
	for (int mode = 0; mode < 2; mode++) {
		static const size_t three[] = { 0, 1, 2 }, four[] = { 3, 1, 0, 2 };
		refused += !merge_and_compare(mode, three, 3);
		refused += !merge_and_compare(mode, four, 4);
		total += 2;
	}
	/* these profiles avoid MASKED_EQ and multi-condition clauses: every merge of them
	 * can be written exactly */
	is_int(refused, 0, "all %zu merges produced a profile", total);
}

/* ---- generate ---- */
static const char *const ev1_recs[] = {
	"SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 10",
	"SCMP_ARCH_X86_64 mkdir SCMP_ACT_ERRNO 1 3",
	"SCMP_ARCH_X86_64 execve SCMP_ACT_KILL_PROCESS 0 1",
	NULL,
};
static const char *const ev2_recs[] = {
	"SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 5",
	"SCMP_ARCH_X86_64 execve SCMP_ACT_ERRNO 1 2",
	"SCMP_ARCH_X86_64 nr:999 SCMP_ACT_ERRNO 1 1",
	"SCMP_ARCH_X86 read SCMP_ACT_ERRNO 38 4",
	NULL,
};

static void
test_generate_plain(void)
{
	const char *paths[2] = {
		evidence("ev1.json", "startup", "aaaa", "2026-11-22T18:00:00.000000000Z",
			 "2026-11-22T18:05:00.000000000Z", ev1_recs),
		evidence("ev2.json", "traffic", "aaaa", "2026-11-22T19:00:00.000000000Z",
			 "2026-11-22T19:05:00.000000000Z", ev2_recs),
	};
	struct evidence_doc **docs = load_docs(paths, 2);
	struct spec_seccomp *out = NULL;
	struct lc_err err = { 0 };
	char *report = NULL, *j, want[4096];
	int r;

	if (!docs) {
		ok(0, "evidence loaded");
		return;
	}
	CAPTURE(report, r, tools_generate(NULL, docs, 2, cap, &out, &err));
	is_int(r, 0, "generate without a base: %s", err.msg);
	is_str(j = to_json(out),
	       "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"architectures\":"
	       "[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":[\"execve\","
	       "\"mkdir\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
	       "a pure allow-list: EPERM default, recorded arches, sorted names");
	free(j);
	snprintf(want, sizeof(want),
		 "coverage report (strait seccomp generate)\n"
		 "runs merged: 2\n"
		 "  run 1: %s: container ev1.json, label startup, 2026-11-22T18:00:00.000000000Z .. "
		 "2026-11-22T18:05:00.000000000Z, 3 records, recorded against sha256 aaaa\n"
		 "  run 2: %s: container ev2.json, label traffic, 2026-11-22T19:00:00.000000000Z .. "
		 "2026-11-22T19:05:00.000000000Z, 4 records, recorded against sha256 aaaa\n"
		 "time span: 2026-11-22T18:00:00.000000000Z .. 2026-11-22T19:05:00.000000000Z\n"
		 "labels: 2 (startup: 1 run, traffic: 1 run)\n"
		 "distinct syscalls recorded: 5 (SCMP_ARCH_X86 1, SCMP_ARCH_X86_64 4)\n"
		 "allowed by the output: 3 syscall names, 3 of them exercised by the runs (100.0%%)\n"
		 "confidence: coverage is a confidence level, not a guarantee. 2 runs with these "
		 "labels exercised 3 of the 3 syscall names the output allows (100.0%%); a code path "
		 "no run took may need a syscall the output answers with SCMP_ACT_ERRNO(EPERM).\n"
		 "syscalls (runs that used it, of 2; calls; what the recording profile would have "
		 "done):\n"
		 "  SCMP_ARCH_X86 read: 1/2 runs, 4 calls, SCMP_ACT_ERRNO(ENOSYS)\n"
		 "  SCMP_ARCH_X86_64 execve: 2/2 runs, 3 calls, SCMP_ACT_KILL_PROCESS (differs "
		 "between runs)\n"
		 "  SCMP_ARCH_X86_64 mkdir: 1/2 runs, 3 calls, SCMP_ACT_ERRNO(EPERM)\n"
		 "  SCMP_ARCH_X86_64 nr:999: 1/2 runs, 1 call, SCMP_ACT_ERRNO(EPERM)\n"
		 "  SCMP_ARCH_X86_64 read: 2/2 runs, 15 calls, SCMP_ACT_ERRNO(EPERM)\n"
		 "weak evidence (seen in only one run): 3\n"
		 "  SCMP_ARCH_X86 read: only in run 2 (traffic)\n"
		 "  SCMP_ARCH_X86_64 mkdir: only in run 1 (startup)\n"
		 "  SCMP_ARCH_X86_64 nr:999: only in run 2 (traffic)\n"
		 "added as SCMP_ACT_ALLOW: 3\n  execve\n  mkdir\n  read\n"
		 "recorded but not added: 1\n"
		 "  SCMP_ARCH_X86_64 nr:999: libseccomp %s has no name for it, and a profile allows "
		 "syscalls by name\n"
		 "facts (what the runs were recorded on; `strait seccomp check --against` compares "
		 "them with a bundle or a container):\n"
		 "  kernel: (not recorded)\n  libseccomp: (not recorded)\n  strait: (not recorded)\n"
		 "  entrypoints: 0 (not recorded)\n  executables: 0 (not recorded)\n"
		 "  image: (not recorded)\n"
		 "warning: no --base: the output allows only the recorded syscalls. A run records "
		 "only what its recording profile would have blocked, so this is complete only for "
		 "runs recorded against a profile that allows nothing\n",
		 paths[0], paths[1], seccomp_libseccomp_version());
	is_str(report, want, "the coverage report, exactly");
	free(report);
	seccomp_spec_free(out);
	tools_evidence_free(docs, 2);
}

static const char gen_base[] =
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"listenerPath\":\"/run/l.sock\",\"syscalls\":["
	"{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"mkdir\",\"rmdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
	"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	"\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]},"
	"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}";

static void
test_generate_base(void)
{
	static const char *const recs[] = {
		"SCMP_ARCH_X86_64 mkdir SCMP_ACT_ERRNO 13 2",
		"SCMP_ARCH_X86_64 personality SCMP_ACT_ERRNO 1 1",
		"SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 9",
		"SCMP_ARCH_X86_64 getpid SCMP_ACT_NOTIFY 0 1",
		"SCMP_ARCH_X86_64 chmod SCMP_ACT_ERRNO 1 1",
		"SCMP_ARCH_X86 chmod SCMP_ACT_ERRNO 1 1",
		NULL,
	};
	const char *path = evidence("ev3.json", "", "bbbb", "2026-01-01T00:00:00.000000000Z",
				    "2026-01-01T00:01:00.000000000Z", recs);
	struct evidence_doc **docs = load_docs(&path, 1);
	struct spec_seccomp *base = parse(gen_base), *out = NULL;
	struct lc_err err = { 0 };
	char *report = NULL, *j, sha[65];
	int r;

	if (!docs || !base) {
		ok(0, "inputs");
		return;
	}
	CAPTURE(report, r, tools_generate(base, docs, 1, cap, &out, &err));
	is_int(r, 0, "generate with a base: %s", err.msg);
	is_str(j = to_json(out),
	       "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
	       "\"SCMP_ARCH_X86\"],\"listenerPath\":\"/run/l.sock\",\"syscalls\":[{\"names\":"
	       "[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"rmdir\"],\"action\":"
	       "\"SCMP_ACT_ERRNO\",\"errnoRet\":13},{\"names\":[\"getpid\"],\"action\":"
	       "\"SCMP_ACT_NOTIFY\"},{\"names\":[\"chmod\",\"mkdir\",\"personality\"],\"action\":"
	       "\"SCMP_ACT_ALLOW\"}]}",
	       "the base's rules, the recorded ones moved to one ALLOW rule, x86 added");
	free(j);
	has_str(report, "weak evidence: a single run was merged, so every syscall rests on one run\n",
		"one run: all of it is weak");
	has_str(report, "labels: 1 ((no label): 1 run)\n", "a run without a label");
	has_str(report, "added as SCMP_ACT_ALLOW: 3\n  chmod\n  mkdir\n  personality\n", "added");
	has_str(report, "widened (base argument conditions dropped): 1\n  personality (syscalls[2])\n",
		"conditions dropped, named");
	has_str(report, "taken out of base rules: 1\n  mkdir (syscalls[1]: SCMP_ACT_ERRNO(EACCES))\n",
		"an overridden base rule, named");
	has_str(report,
		"recorded but not added: 2\n  getpid: left to the base's listener (SCMP_ACT_NOTIFY)\n"
		"  read: the base already allows it (SCMP_ACT_ALLOW)\n",
		"what the base lets through or delegates stays");
	has_str(report, "architectures added: 1\n  SCMP_ARCH_X86\n", "a recorded arch the base lacked");
	has_str(report, "candidates to remove (the base allows them, no run used them): 1\n  write\n",
		"the base allows write, no run used it");
	tools_profile_sha256(base, sha);
	char want[256];
	snprintf(want, sizeof(want), "warning: run 1 was recorded against sha256 bbbb, not the base "
				     "(sha256 %s)", sha);
	has_str(report, want, "a run recorded against another profile is flagged");
	has_str(report, "allowed by the output: 5 syscall names, 4 of them exercised by the runs "
			"(80.0%)", "coverage numbers");
	free(report);
	seccomp_spec_free(out);
	tools_evidence_free(docs, 1);

	/* recorded against this very base: nothing can be said about what it allows */
	path = evidence("ev4.json", "x", sha, "2026-01-01T00:00:00.000000000Z",
			"2026-01-01T00:01:00.000000000Z", recs);
	docs = load_docs(&path, 1);
	out = NULL;
	CAPTURE(report, r, tools_generate(base, docs, 1, cap, &out, &err));
	has_str(report, "candidates to remove: not known: every run was recorded against this base",
		"same base: no candidate list");
	ok(!strstr(report, "warning: run 1 was recorded"), "... and no mismatch warning");
	free(report);
	seccomp_spec_free(out);
	tools_evidence_free(docs, 1);
	seccomp_spec_free(base);
}

/* ---- check ---- */
static void
test_check_lint(void)
{
	struct spec_seccomp *s = NULL;
	struct lc_err err = { 0 };
	char *invalid = NULL, *text = NULL, want[4096];
	const char *path = put(
		"lint.json",
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
		"\"SCMP_ARCH_X86\"],\"syscalls\":["
		"{\"names\":[\"read\",\"write\",\"chown32\",\"newfstatat\",\"no_such_call\","
		"\"cacheflush\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mount\",\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,"
		"\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":5},"
		"{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_NOTIFY\"},"
		"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":0},"
		"{\"names\":[\"write\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},"
		"{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		"\"value\":2114060288,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
	int r;

	if (tools_profile_load_lenient(path, &s, &invalid, &err) < 0) {
		ok(0, "lint profile loads: %s", err.msg);
		return;
	}
	ok(invalid != NULL, "spec_validate found something: %s", invalid);
	CAPTURE(text, r, tools_check(s, invalid, NULL, 0, cap, &err));
	is_int(r, 1, "findings: 1");
	snprintf(want, sizeof(want),
		 "error: syscalls[3].errnoRet: SCMP_ACT_ALLOW takes no errno (only SCMP_ACT_ERRNO "
		 "and SCMP_ACT_TRACE do)\n"
		 "error: syscalls[4]: SCMP_ACT_NOTIFY without listenerPath: nobody answers the "
		 "notification\n"
		 "warning: syscalls[5].errnoRet: 0 makes the syscall return 0 (success) without "
		 "running it\n"
		 "warning: syscalls[8]: its action SCMP_ACT_ERRNO(EPERM) is the defaultAction: the "
		 "rule has no effect\n"
		 "warning: syscalls[2]: \"read\" is shadowed by syscalls[0] (SCMP_ACT_ALLOW without "
		 "argument conditions): its conditions have no effect\n"
		 "error: syscalls[0] (SCMP_ACT_ALLOW) and syscalls[6] (SCMP_ACT_KILL_PROCESS) "
		 "conflict on \"write\": a rule without argument conditions overrides any other for "
		 "the syscall, whatever the order; strait refuses the profile\n"
		 "note: SCMP_ARCH_X86: 2 names are not a syscall of this arch (ignored there): "
		 "cacheflush, newfstatat\n"
		 "note: SCMP_ARCH_X86_64: 2 names are not a syscall of this arch (ignored there): "
		 "cacheflush, chown32\n"
		 "warning: syscalls[0]: \"cacheflush\" is not a syscall of any architecture the "
		 "profile covers\n"
		 "warning: syscalls[0]: \"no_such_call\" is unknown to libseccomp %s on every "
		 "architecture: strait skips it\n"
		 "note: syscalls[7] allows \"clone\" under argument conditions (creates namespaces "
		 "when given CLONE_NEW* flags): SCMP_ACT_ALLOW if arg0 & 0x7e020000 == 0; else "
		 "SCMP_ACT_ERRNO(EPERM)\n"
		 "warning: dangerous: syscalls[1] allows \"mount\" unconditionally (mounts "
		 "filesystems)\n"
		 "warning: dangerous: syscalls[1] allows \"ptrace\" unconditionally (reads and "
		 "controls other processes)\n"
		 "summary: 3 errors, 7 warnings, 3 notes\n",
		 seccomp_libseccomp_version());
	is_str(text, want, "every finding, in a stable order");
	free(text);
	free(invalid);
	seccomp_spec_free(s);

	/* what spec_validate finds that check's own rules do not: passed through */
	s = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_ALLOW\"}]}");
	CAPTURE(text, r, tools_check(s, "linux.seccomp.something: odd", NULL, 0, cap, &err));
	is_int(r, 1, "a validation error alone is a finding");
	has_str(text, "error: linux.seccomp.something: odd\n", "... printed");
	free(text);
	CAPTURE(text, r, tools_check(s, NULL, NULL, 0, cap, &err));
	is_int(r, 0, "a clean profile: 0");
	is_str(text, "summary: 0 errors, 0 warnings, 0 notes\n", "... says so");
	free(text);
	seccomp_spec_free(s);

	s = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":5000,\"listenerPath\":"
		  "\"/run/l.sock\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	CAPTURE(text, r, tools_check(s, NULL, NULL, 0, cap, &err));
	is_str(text,
	       "error: defaultErrnoRet: 5000 is over 4094, the largest errno libseccomp accepts\n"
	       "warning: listenerPath: set, but no rule uses SCMP_ACT_NOTIFY: the listener gets "
	       "nothing to decide\n"
	       "summary: 1 error, 1 warning, 0 notes\n",
	       "an errno the kernel cannot return; a listener nobody notifies");
	free(text);
	seccomp_spec_free(s);
}

static void
test_check_evidence(void)
{
	static const char *const recs[] = {
		"SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 3",
		"SCMP_ARCH_X86_64 mkdir SCMP_ACT_ERRNO 1 2",
		"SCMP_ARCH_X86_64 personality SCMP_ACT_ERRNO 1 1",
		"SCMP_ARCH_X86_64 nr:999 SCMP_ACT_ERRNO 1 1",
		"SCMP_ARCH_X86_64 getpid SCMP_ACT_ERRNO 1 1",
		"SCMP_ARCH_X86 read SCMP_ACT_ERRNO 1 1",
		NULL,
	};
	static const char *const recs2[] = {
		"SCMP_ARCH_X86_64 getpid SCMP_ACT_ERRNO 1 4",
		NULL,
	};
	const char *paths[2] = {
		evidence("c1.json", "a", "x", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", recs),
		evidence("c2.json", "b", "x", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", recs2),
	};
	struct evidence_doc **docs = load_docs(paths, 2);
	struct spec_seccomp *s = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"syscalls\":[{\"names\":[\"read\",\"write\",\"execve\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"},"
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		"\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	struct lc_err err = { 0 };
	char *text = NULL;
	int r;

	if (!docs || !s) {
		ok(0, "inputs");
		return;
	}
	CAPTURE(text, r, tools_check(s, NULL, docs, 2, cap, &err));
	is_int(r, 1, "recorded syscalls blocked: 1");
	is_str(text,
	       "note: evidence: 6 distinct syscalls from 2 runs, checked per syscall: evidence holds "
	       "no arguments, so each runs through the compiled filter with arguments 0\n"
	       "blocked: SCMP_ARCH_X86 read: SCMP_ACT_KILL_PROCESS (1 run, 1 call)\n"
	       "blocked: SCMP_ARCH_X86_64 getpid: SCMP_ACT_ERRNO(EPERM) (2 runs, 5 calls)\n"
	       "blocked: SCMP_ARCH_X86_64 mkdir: SCMP_ACT_KILL_PROCESS (1 run, 2 calls)\n"
	       "blocked: SCMP_ARCH_X86_64 nr:999: SCMP_ACT_ERRNO(ENOSYS) (1 run, 1 call)\n"
	       "blocked: SCMP_ARCH_X86_64 personality: SCMP_ACT_ERRNO(EPERM) (1 run, 1 call) "
	       "(argument conditions decide; shown for all-zero arguments)\n"
	       "summary: 0 errors, 0 warnings, 1 note, 5 recorded syscalls blocked\n",
	       "what the compiled profile does with each recorded syscall");
	free(text);
	seccomp_spec_free(s);
	tools_evidence_free(docs, 2);
}

/* ---- the writer ---- */
static void
test_write(void)
{
	struct lc_err err = { 0 };
	char path[300], buf[64] = "";
	DIR *d;
	struct dirent *e;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/w/out.json", tmpdir);
	is_int(lc_seccomp_write_file(path, "x", &err), -ENOENT, "a missing directory");
	has_str(err.msg, "out.json: creating a temporary file", "... named");
	snprintf(path, sizeof(path), "%s/w", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/w/out.json", tmpdir);
	is_int(lc_seccomp_write_file(path, "first", &err), 0, "written");
	is_int(lc_seccomp_write_file(path, "second\n", &err), 0, "replaced");
	if ((f = fopen(path, "re"))) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	is_str(buf, "second\n", "the new text, whole");
	snprintf(path, sizeof(path), "%s/w", tmpdir);
	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			n += e->d_name[0] != '.' || strstr(e->d_name, "XXXX") || strlen(e->d_name) > 2;
		closedir(d);
	}
	is_int(n, 1, "no temporary file left behind");
}

int
main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_load();
	test_actions();
	test_view();
	test_diff();
	test_merge_exact();
	test_merge_errors();
	test_merge_flags_archs();
	test_merge_semantics();
	test_generate_plain();
	test_generate_base();
	test_check_lint();
	test_check_evidence();
	test_write();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return tap_done();
}
