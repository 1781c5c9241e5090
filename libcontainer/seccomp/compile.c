/* The seccomp compiler: struct spec_seccomp -> classic BPF through libseccomp, in the
 * runtime process before the clone. Owns the OCI name tables (archs, flags, actions,
 * operators), the argument-condition policy, unknown-name collection and where the
 * version-skew prologue of bpf.c goes. Caching is cache.c's, loading load.c's. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "tables.h"
#include "seccomp/bpf-opt.h"
#include "seccomp/internal.h"

/* ---- name tables ---- */
struct arch_name {
	const char *name;
	uint32_t token;
};

/* Sorted by name; the OCI arches this libseccomp can compile for. */
static const struct arch_name arch_names[] = {
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
#ifdef SCMP_ARCH_LOONGARCH64
	{ "SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64 },
#endif
#ifdef SCMP_ARCH_M68K
	{ "SCMP_ARCH_M68K", SCMP_ARCH_M68K },
#endif
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },
	{ "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
#ifdef SCMP_ARCH_SH
	{ "SCMP_ARCH_SH", SCMP_ARCH_SH },
	{ "SCMP_ARCH_SHEB", SCMP_ARCH_SHEB },
#endif
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
};

struct flag_name {
	const char *name;
	unsigned int value;
};

/* Sorted by name; the flags a profile may list. NEW_LISTENER and TSYNC_ESRCH are
 * implied (NOTIFY), never listed. */
static const struct flag_name flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

static const enum scmp_compare op_values[] = {
	[SCMP_OP_NE] = SCMP_CMP_NE, [SCMP_OP_LT] = SCMP_CMP_LT,
	[SCMP_OP_LE] = SCMP_CMP_LE, [SCMP_OP_EQ] = SCMP_CMP_EQ,
	[SCMP_OP_GE] = SCMP_CMP_GE, [SCMP_OP_GT] = SCMP_CMP_GT,
	[SCMP_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static int
name_cmp(const void *key, const void *elem)
{
	/* both tables start with a const char *name */
	return strcmp(key, *(const char *const *)elem);
}

static const struct arch_name *
arch_lookup(const char *name)
{
	return name ? bsearch(name, arch_names, ARRAY_SIZE(arch_names), sizeof(arch_names[0]),
			      name_cmp)
		    : NULL;
}

int
seccomp_flag_value(const char *name, unsigned int *ret)
{
	const struct flag_name *f;

	f = name ? bsearch(name, flag_names, ARRAY_SIZE(flag_names), sizeof(flag_names[0]),
			   name_cmp)
		 : NULL;
	if (!f)
		return -EINVAL;
	*ret = f->value;
	return 0;
}

uint32_t
seccomp_action_value(enum seccomp_action a, bool has_errno, unsigned int errno_ret)
{
	/* runtime-spec: errnoRet defaults to EPERM, for rules and for the default action */
	unsigned int e = has_errno ? errno_ret : EPERM;

	switch (a) {
	case SCMP_ACT_KILL_THREAD_:
		return SCMP_ACT_KILL_THREAD;
	case SCMP_ACT_KILL_PROCESS_:
		return SCMP_ACT_KILL_PROCESS;
	case SCMP_ACT_TRAP_:
		return SCMP_ACT_TRAP;
	case SCMP_ACT_ERRNO_:
		return SCMP_ACT_ERRNO(e);
	case SCMP_ACT_TRACE_:
		return SCMP_ACT_TRACE(e);
	case SCMP_ACT_ALLOW_:
		return SCMP_ACT_ALLOW;
	case SCMP_ACT_LOG_:
		return SCMP_ACT_LOG;
	case SCMP_ACT_NOTIFY_:
		return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static bool
action_takes_errno(enum seccomp_action a)
{
	return a == SCMP_ACT_ERRNO_ || a == SCMP_ACT_TRACE_;
}

/* errnoRet rules of the runtime-spec, checked again here so that the compiler never
 * emits a different errno than the one asked for. */
static int
check_errno(const char *field, enum seccomp_action a, bool has, unsigned int v,
	    struct lc_err *err)
{
	if (!has)
		return 0;
	if (!action_takes_errno(a))
		return lc_err_setx(err, EINVAL, "%s: %s takes no errno", field,
				   table_seccomp_action_name(a));
	if (v > SECCOMP_MAX_ERRNO)
		return lc_err_setx(err, EINVAL,
				   "%s: %u is over %u, the largest errno libseccomp accepts", field,
				   v, SECCOMP_MAX_ERRNO);
	return 0;
}

int
seccomp_spec_flags(const struct spec_seccomp *s, unsigned int *ret_flags, bool *ret_notify,
		   struct lc_err *err)
{
	unsigned int flags = 0, v;
	bool notify = s->default_action == SCMP_ACT_NOTIFY_;

	for (size_t i = 0; i < s->n_flags; i++) {
		if (seccomp_flag_value(s->flags[i], &v) < 0)
			return lc_err_setx(err, EINVAL, "linux.seccomp.flags[%zu]: unknown flag \"%s\"",
					   i, s->flags[i]);
		flags |= v;
	}
	for (size_t i = 0; i < s->n_rules && !notify; i++)
		notify = s->rules[i].action == SCMP_ACT_NOTIFY_;
	/* A NOTIFY return without a listener fails the syscall with ENOSYS: NOTIFY needs
	 * NEW_LISTENER. The kernel refuses TSYNC with NEW_LISTENER unless TSYNC_ESRCH says
	 * how a failed sync is reported (an errno, not a thread id). */
	if (notify)
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	if (notify && (flags & SECCOMP_FILTER_FLAG_TSYNC))
		flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	if ((flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) && !notify)
		return lc_err_setx(err, EINVAL,
				   "linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs "
				   "a SCMP_ACT_NOTIFY action (the kernel takes it only with a "
				   "notification listener)");
	*ret_flags = flags;
	*ret_notify = notify;
	return 0;
}

/* ---- the compiler ---- */
struct name_ref {
	const char *name;
	size_t rule;
};

struct compiler {
	const struct spec_seccomp *s;
	scmp_filter_ctx ctx;
	uint32_t default_act;
	uint32_t archs[ARRAY_SIZE(arch_names) + 1]; /* tokens in the filter, native first */
	size_t n_archs;
	const char **names; /* every name of the profile, sorted (for the skew scan) */
	size_t n_names;
	char **unknown; /* NULL-terminated, first appearance order */
	size_t n_unknown;
	size_t n_rules;
	struct name_ref *dropped; /* (rule, name) pairs overridden by a rule without conditions */
	size_t n_dropped;
	struct lc_err *err;
};

static void
compiler_done(struct compiler *c)
{
	free(c->dropped);
	if (c->ctx)
		seccomp_release(c->ctx);
	free(c->names);
	strv_freep(&c->unknown);
}

static int
add_archs(struct compiler *c)
{
	const struct spec_seccomp *s = c->s;

	/* seccomp_init() put the native arch in already: it is always included. */
	c->archs[c->n_archs++] = seccomp_arch_native();
	for (size_t i = 0; i < s->n_architectures; i++) {
		const struct arch_name *a = arch_lookup(s->architectures[i]);
		bool seen = false;

		if (!a && table_seccomp_arch_known(s->architectures[i]))
			return lc_err_setx(c->err, EINVAL,
					   "linux.seccomp.architectures[%zu]: %s is not supported by "
					   "libseccomp %s",
					   i, s->architectures[i], seccomp_libseccomp_version());
		if (!a)
			return lc_err_setx(c->err, EINVAL,
					   "linux.seccomp.architectures[%zu]: unknown architecture \"%s\"",
					   i, s->architectures[i]);
		for (size_t j = 0; j < c->n_archs; j++)
			seen |= c->archs[j] == a->token;
		if (seen)
			continue;
		int r = seccomp_arch_add(c->ctx, a->token);
		if (r < 0 && r != -EEXIST)
			return lc_err_set(c->err, r, "linux.seccomp.architectures[%zu]: adding %s", i,
					  a->name);
		c->archs[c->n_archs++] = a->token;
	}
	return 0;
}

static int
unknown_add(struct compiler *c, const char *name)
{
	for (size_t i = 0; i < c->n_unknown; i++)
		if (strcmp(c->unknown[i], name) == 0)
			return 0;
	char **v = realloc(c->unknown, (c->n_unknown + 2) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->unknown = v;
	v[c->n_unknown] = strdup(name);
	if (!v[c->n_unknown])
		return -ENOMEM;
	v[++c->n_unknown] = NULL;
	return 0;
}

static const char *
rule_add_reason(int r)
{
	switch (r) {
	case -EEXIST:
		return "conflicts with an earlier rule for the same syscall (libseccomp cannot "
		       "give one syscall different actions for the same conditions, nor mix a "
		       "rule without conditions with one that has them)";
	case -EINVAL:
		return "libseccomp rejected the rule (invalid argument)";
	case -ENOMEM:
		return "out of memory";
	default:
		return strerror(-r);
	}
}

/* Converts the args of rule i. Returns the number of conditions, and sets *split when
 * one index repeats: libseccomp refuses two conditions on one argument in one rule, and
 * the runtime-spec gives them no AND meaning (what would EQ 0 AND EQ 8 match?), so
 * such a rule becomes one rule per condition, i.e. their OR, as the other runtimes
 * read it. A rule whose indexes are distinct keeps them all (their AND). */
static int
rule_conditions(struct compiler *c, size_t i, struct scmp_arg_cmp *conds, bool *split)
{
	const struct spec_seccomp_rule *r = &c->s->rules[i];
	unsigned int seen = 0;

	*split = false;
	for (size_t k = 0; k < r->n_args; k++) {
		const struct spec_seccomp_arg *a = &r->args[k];

		if (a->index > 5)
			return lc_err_setx(c->err, EINVAL,
					   "linux.seccomp.syscalls[%zu].args[%zu].index: %u is over 5",
					   i, k, a->index);
		if ((size_t)a->op >= ARRAY_SIZE(op_values))
			return lc_err_setx(c->err, EINVAL,
					   "linux.seccomp.syscalls[%zu].args[%zu].op: unknown operator",
					   i, k);
		if (seen & (1u << a->index))
			*split = true;
		seen |= 1u << a->index;
		conds[k] = (struct scmp_arg_cmp){ .arg = a->index,
						  .op = op_values[a->op],
						  .datum_a = a->value,
						  .datum_b = a->value_two };
	}
	return (int)r->n_args;
}

static bool
is_dropped(const struct compiler *c, size_t rule, const char *name)
{
	for (size_t i = 0; i < c->n_dropped; i++)
		if (c->dropped[i].rule == rule && c->dropped[i].name == name)
			return true;
	return false;
}

static int
add_rule(struct compiler *c, size_t i)
{
	const struct spec_seccomp_rule *r = &c->s->rules[i];
	_cleanup_free_ struct scmp_arg_cmp *conds = NULL;
	char field[64];
	bool split;
	int n, rc;

	snprintf(field, sizeof(field), "linux.seccomp.syscalls[%zu].errnoRet", i);
	rc = check_errno(field, r->action, r->has_errno_ret, r->errno_ret, c->err);
	if (rc < 0)
		return rc;
	conds = calloc(r->n_args ? r->n_args : 1, sizeof(*conds));
	if (!conds)
		return lc_err_set(c->err, ENOMEM, "linux.seccomp.syscalls[%zu]", i);
	n = rule_conditions(c, i, conds, &split);
	if (n < 0)
		return n;
	uint32_t act = seccomp_action_value(r->action, r->has_errno_ret, r->errno_ret);
	for (size_t k = 0; k < r->n_names; k++) {
		const char *name = r->names[k];
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR) {
			if (unknown_add(c, name) < 0)
				return lc_err_set(c->err, ENOMEM, "linux.seccomp");
			continue;
		}
		if (is_dropped(c, i, name))
			continue;
		/* A rule with the default action changes nothing, and libseccomp refuses
		 * it (EACCES). Its names still count for the skew rule (bpf.c). */
		if (act == c->default_act)
			continue;
		for (int j = 0; j < (split ? n : 1); j++) {
			rc = split ? seccomp_rule_add_array(c->ctx, act, nr, 1, &conds[j])
				   : seccomp_rule_add_array(c->ctx, act, nr, (unsigned)n, conds);
			if (rc < 0)
				return lc_err_setx(c->err, -rc, "linux.seccomp.syscalls[%zu]: \"%s\": %s",
						   i, name, rule_add_reason(rc));
			c->n_rules++;
		}
	}
	return 0;
}


static int
name_ref_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->rule > y->rule) - (x->rule < y->rule);
}

static uint32_t
rule_action(const struct spec_seccomp_rule *r)
{
	return seccomp_action_value(r->action, r->has_errno_ret, r->errno_ret);
}

/* libseccomp lets a rule without conditions swallow, silently, every rule with
 * conditions for the same syscall, whatever the order and the actions: "ALLOW read"
 * plus "KILL_PROCESS read if fd == 5" compiles to ALLOW for every read; of two rules
 * without conditions it keeps the first. Real profiles rely on that (podman's stock
 * profile allows setns and later denies it again), and runc runs them, so strait does
 * the same but not silently: for a syscall named in a rule without conditions, the
 * first such rule wins, every rule for it with another action is dropped, and one
 * warning names them all (`strait seccomp check` reports them too). */
static int
find_overridden(struct compiler *c)
{
	const struct spec_seccomp *s = c->s;
	_cleanup_free_ struct name_ref *refs = NULL;
	size_t n = 0;

	refs = calloc(c->n_names ? c->n_names : 1, sizeof(*refs));
	c->dropped = calloc(c->n_names ? c->n_names : 1, sizeof(*c->dropped));
	if (!refs || !c->dropped)
		return lc_err_set(c->err, ENOMEM, "seccomp");
	for (size_t i = 0; i < s->n_rules; i++)
		for (size_t k = 0; k < s->rules[i].n_names; k++)
			refs[n++] = (struct name_ref){ s->rules[i].names[k], i };
	qsort(refs, n, sizeof(*refs), name_ref_cmp);
	for (size_t g = 0, e; g < n; g = e) {
		const struct spec_seccomp_rule *u = NULL;

		for (e = g; e < n && strcmp(refs[e].name, refs[g].name) == 0; e++)
			if (!u && s->rules[refs[e].rule].n_args == 0)
				u = &s->rules[refs[e].rule];
		for (size_t k = g; u && k < e; k++) {
			const struct spec_seccomp_rule *r = &s->rules[refs[k].rule];
			/* unknown names are skipped, not compiled: nothing to override */
			if (rule_action(r) != rule_action(u) &&
			    seccomp_syscall_resolve_name(refs[k].name) != __NR_SCMP_ERROR)
				c->dropped[c->n_dropped++] = refs[k];
		}
	}
	return 0;
}

static void
warn_dropped(const struct compiler *c)
{
	char buf[1024] = "";
	size_t len = 0;
	for (size_t i = 0; i < c->n_dropped && len + 1 < sizeof(buf); i++) {
		const struct spec_seccomp_rule *r = &c->s->rules[c->dropped[i].rule];
		len += snprintf(buf + len, sizeof(buf) - len, "%ssyscalls[%zu] \"%s\" (%s%s)",
				i ? ", " : "", c->dropped[i].rule, c->dropped[i].name,
				table_seccomp_action_name(r->action), r->n_args ? " with conditions" : "");
	}
	if (c->n_dropped)
		log_warn("linux.seccomp: rules dropped because the first rule without conditions "
			 "for the same syscall decides it (as libseccomp and runc do): %s", buf);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
collect_names(struct compiler *c)
{
	const struct spec_seccomp *s = c->s;
	size_t n = 0;

	for (size_t i = 0; i < s->n_rules; i++)
		n += s->rules[i].n_names;
	c->names = calloc(n ? n : 1, sizeof(*c->names));
	if (!c->names)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_rules; i++)
		for (size_t k = 0; k < s->rules[i].n_names; k++)
			c->names[c->n_names++] = s->rules[i].names[k];
	qsort(c->names, c->n_names, sizeof(*c->names), strp_cmp);
	return 0;
}

static bool
profile_names(const struct compiler *c, const char *name)
{
	return bsearch(&name, c->names, c->n_names, sizeof(*c->names), strp_cmp) != NULL;
}

/* The highest syscall number of arch token the profile names, or -1. Most names map
 * straight to a number; a name the arch only reaches through a multiplexer (x86
 * "socket" via socketcall) resolves to a pseudo number, and libseccomp then also
 * matches the direct syscall (socket is 359 on x86): those are found by scanning the
 * arch's table around its syscall range. */
static long
arch_max_named(const struct compiler *c, uint32_t token)
{
	long max = -1;
	bool pseudo = false;

	for (size_t i = 0; i < c->n_names; i++) {
		int nr = seccomp_syscall_resolve_name_arch(token, c->names[i]);
		if (nr >= 0 && nr > max)
			max = nr;
		pseudo |= nr < 0 && nr != __NR_SCMP_ERROR;
	}
	int base = seccomp_syscall_resolve_name_arch(token, "read");
	if (!pseudo || base < 0)
		return max;
	for (long nr = base > 64 ? base - 64 : 0; nr < (long)base + 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(token, (int)nr);
		if (name && nr > max && profile_names(c, name))
			max = nr;
		free(name);
	}
	return max;
}

/* Where the syscalls of arch token arrive: the seccomp_data.arch value and the first
 * number. x32 shares AUDIT_ARCH_X86_64 and sets bit 30 (__X32_SYSCALL_BIT) in nr. */
static void
arch_audit(uint32_t token, uint32_t *audit, uint32_t *lo)
{
	*audit = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
	*lo = token == SCMP_ARCH_X32 ? 0x40000000u : 0;
}

/* The version-skew rule (documented in bpf.c) applies when the default action is an
 * errno other than ENOSYS: per arch, numbers above the highest one the profile names
 * get ENOSYS. An arch whose range has no named syscall is left alone. */
static int
skew_segments(const struct compiler *c, struct skew_seg *segs, size_t *n)
{
	const struct spec_seccomp *s = c->s;
	bool has64 = false, has32 = false;

	*n = 0;
	if (s->default_action != SCMP_ACT_ERRNO_ || c->default_act == SCMP_ACT_ERRNO(ENOSYS))
		return 0;
	for (size_t i = 0; i < c->n_archs; i++) {
		long max = arch_max_named(c, c->archs[i]);
		struct skew_seg *g = &segs[(*n)++];

		arch_audit(c->archs[i], &g->audit_arch, &g->lo);
		g->max = max < 0 ? SKEW_PASS : (uint32_t)max;
		has64 |= c->archs[i] == SCMP_ARCH_X86_64;
		has32 |= c->archs[i] == SCMP_ARCH_X32;
	}
	/* Keep x86_64's rule off the x32 numbers and x32's off the x86_64 ones. */
	if (has64 && !has32)
		segs[(*n)++] = (struct skew_seg){ SCMP_ARCH_X86_64, 0x40000000u, SKEW_PASS };
	if (has32 && !has64)
		segs[(*n)++] = (struct skew_seg){ SCMP_ARCH_X86_64, 0, SKEW_PASS };
	return 0;
}

static int
export_bpf(struct compiler *c, struct sock_filter **ret, size_t *ret_n)
{
	_cleanup_close_ int fd = memfd_create("strait-seccomp", MFD_CLOEXEC);
	_cleanup_free_ struct sock_filter *f = NULL;
	struct stat st;
	int r;

	if (fd < 0)
		return lc_err_set(c->err, errno, "seccomp: memfd_create");
	r = seccomp_export_bpf(c->ctx, fd);
	if (r < 0)
		return lc_err_set(c->err, r, "seccomp: exporting the filter");
	if (fstat(fd, &st) < 0)
		return lc_err_set(c->err, errno, "seccomp: fstat");
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter))
		return lc_err_setx(c->err, EIO, "seccomp: libseccomp exported %lld bytes",
				   (long long)st.st_size);
	f = malloc(st.st_size);
	if (!f)
		return lc_err_set(c->err, ENOMEM, "seccomp");
	for (off_t off = 0; off < st.st_size;) {
		ssize_t k = pread(fd, (char *)f + off, st.st_size - off, off);
		if (k <= 0)
			return lc_err_set(c->err, k < 0 ? errno : EIO, "seccomp: reading the filter");
		off += k;
	}
	*ret_n = st.st_size / sizeof(struct sock_filter);
	*ret = TAKE_PTR(f);
	return 0;
}

bool seccomp_compile_optimize = true;

/* Replaces p's program with bpf-opt.c's equivalent when that is shorter: the kernel's
 * cost of installing a filter grows with its length (docs/performance-seccomp.md). A
 * result that fails the optimizer's own check is a strait bug, never loaded. */
static void
optimize_program(struct seccomp_prog *p)
{
	struct sock_filter *q = NULL;
	size_t qn = 0;
	int r;

	if (!seccomp_compile_optimize)
		return;
	size_t n = p->bpf_len / sizeof(struct sock_filter);
	r = bpf_optimize(p->bpf, n, n - 1, &q, &qn);
	if (r == -EIO)
		log_warn("seccomp: the optimized filter does not match libseccomp's (a strait "
			 "bug, please report it); loading libseccomp's");
	if (r < 0)
		return;
	free(p->bpf);
	p->bpf = q;
	p->bpf_len = qn * sizeof(struct sock_filter);
}

/* prologue + libseccomp's program: the prologue falls through to libseccomp's first
 * instruction, which loads seccomp_data.arch itself (its jumps are all relative). */
static int
link_program(struct compiler *c, struct seccomp_prog *p)
{
	struct skew_seg segs[ARRAY_SIZE(c->archs) + 2];
	_cleanup_free_ struct sock_filter *pro = NULL, *body = NULL;
	size_t n_segs = 0, n_pro = 0, n_body = 0;
	int r;

	r = export_bpf(c, &body, &n_body);
	if (r < 0)
		return r;
	skew_segments(c, segs, &n_segs);
	r = bpf_skew_prologue(segs, n_segs, &pro, &n_pro);
	if (r < 0)
		return lc_err_set(c->err, r, "seccomp: building the ENOSYS prologue");
	if (n_pro + n_body > SECCOMP_MAX_INSNS)
		return lc_err_setx(c->err, E2BIG,
				   "linux.seccomp: the filter has %zu instructions, over the "
				   "kernel's limit of %d",
				   n_pro + n_body, SECCOMP_MAX_INSNS);
	p->bpf = malloc((n_pro + n_body) * sizeof(struct sock_filter));
	if (!p->bpf)
		return lc_err_set(c->err, ENOMEM, "seccomp");
	if (n_pro)
		memcpy(p->bpf, pro, n_pro * sizeof(struct sock_filter));
	memcpy((struct sock_filter *)p->bpf + n_pro, body, n_body * sizeof(struct sock_filter));
	p->bpf_len = (n_pro + n_body) * sizeof(struct sock_filter);
	optimize_program(p);
	return 0;
}

static int
compiler_setup(struct compiler *c)
{
	const struct spec_seccomp *s = c->s;
	int r;

	r = check_errno("linux.seccomp.defaultErrnoRet", s->default_action,
			s->has_default_errno_ret, s->default_errno_ret, c->err);
	if (r < 0)
		return r;
	c->default_act = seccomp_action_value(s->default_action, s->has_default_errno_ret,
					      s->default_errno_ret);
	c->ctx = seccomp_init(c->default_act);
	if (!c->ctx)
		return lc_err_setx(c->err, EINVAL, "linux.seccomp.defaultAction: libseccomp "
				   "refused %s", table_seccomp_action_name(s->default_action));
	/* Binary-tree dispatch keeps a lookup O(log n) for long allow lists. A syscall of
	 * an arch that is not in the filter kills the process: compat arches must not be
	 * a way around the filter (int 0x80 from an x86_64 process). */
	if ((r = seccomp_attr_set(c->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0 ||
	    (r = seccomp_attr_set(c->ctx, SCMP_FLTATR_API_TSKIP, 1)) < 0 ||
	    (r = seccomp_attr_set(c->ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0)
		return lc_err_set(c->err, r, "seccomp: setting libseccomp attributes");
	return add_archs(c);
}

int
seccomp_compile(const struct spec_seccomp *s, bool fail_unknown, struct seccomp_prog **ret,
		struct lc_err *err)
{
	struct compiler c __attribute__((cleanup(compiler_done))) = { .s = s, .err = err };
	_cleanup_seccomp_prog_ struct seccomp_prog *p = NULL;
	int r;

	if (!s || !s->present)
		return lc_err_setx(err, EINVAL, "linux.seccomp: no profile to compile");
	p = calloc(1, sizeof(*p));
	if (!p || collect_names(&c) < 0)
		return lc_err_set(err, ENOMEM, "seccomp");
	r = seccomp_spec_flags(s, &p->flags, &p->needs_notify, err);
	if (r < 0)
		return r;
	r = compiler_setup(&c);
	if (r < 0)
		return r;
	r = find_overridden(&c);
	if (r < 0)
		return r;
	warn_dropped(&c);
	for (size_t i = 0; i < s->n_rules; i++) {
		r = add_rule(&c, i);
		if (r < 0)
			return r;
	}
	if (c.n_unknown && fail_unknown) {
		p->unknown = TAKE_PTR(c.unknown);
		return seccomp_unknown_error(p, err);
	}
	r = link_program(&c, p);
	if (r < 0)
		return r;
	p->n_rules = c.n_rules;
	p->unknown = TAKE_PTR(c.unknown);
	*ret = TAKE_PTR(p);
	return 0;
}

void
seccomp_prog_free(struct seccomp_prog *p)
{
	if (!p)
		return;
	free(p->bpf);
	strv_freep(&p->unknown);
	free(p);
}

char *
seccomp_unknown_list(const struct seccomp_prog *p)
{
	size_t len = 1;
	char *s;

	if (!p || !p->unknown || !p->unknown[0])
		return NULL;
	for (char **u = p->unknown; *u; u++)
		len += strlen(*u) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (char **u = p->unknown; *u; u++) {
		if (u != p->unknown)
			strcat(s, ", ");
		strcat(s, *u);
	}
	return s;
}

int
seccomp_unknown_error(const struct seccomp_prog *p, struct lc_err *err)
{
	_cleanup_free_ char *list = seccomp_unknown_list(p);

	return lc_err_setx(err, EINVAL,
			   "linux.seccomp.syscalls: unknown syscalls (an error because "
			   "run.oci.seccomp_fail_unknown_syscall is set): %s",
			   list ? list : "?");
}

/* ---- facts for `strait features` ---- */
const char *const *
seccomp_known_actions(void)
{
	static const char *const v[] = {
		"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
		"SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",	   "SCMP_ACT_TRACE",
		"SCMP_ACT_ALLOW", "SCMP_ACT_LOG",	   "SCMP_ACT_NOTIFY",
		NULL,
	};
	return v;
}

const char *const *
seccomp_known_operators(void)
{
	static const char *const v[] = {
		"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",	    "SCMP_CMP_EQ",
		"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
	};
	return v;
}

const char *const *
seccomp_known_archs(void)
{
	static const char *v[ARRAY_SIZE(arch_names) + 1];

	if (!v[0])
		for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++)
			v[i] = arch_names[i].name;
	return v;
}

const char *const *
seccomp_known_flags(void)
{
	static const char *const v[] = {
		"SECCOMP_FILTER_FLAG_TSYNC",
		"SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
		"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
		NULL,
	};
	return v;
}

const char *
seccomp_libseccomp_version(void)
{
	static char buf[32];

	if (!buf[0]) {
		const struct scmp_version *v = seccomp_version();
		snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	}
	return buf;
}

const char *
seccomp_native_arch_name(void)
{
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++)
		if (arch_names[i].token == native)
			return arch_names[i].name;
	return "unknown";
}
