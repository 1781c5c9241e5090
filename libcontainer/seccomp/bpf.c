/* Hand-written classic BPF around libseccomp's program: the version-skew prologue that
 * compile.c puts in front of it, and running a finished filter in user space through
 * bpf-eval.c (tests, and checks before the load, for the runtime's own last syscalls).
 * libseccomp is only used to resolve a syscall name in seccomp_prog_check_syscall(). */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seccomp/bpf-eval.h"
#include "seccomp/internal.h"

/* The version-skew rule
 * ---------------------
 * When the default action is SCMP_ACT_ERRNO with an errno other than ENOSYS, then for
 * every architecture in the filter (seccomp_data.arch; for x86_64 separately for
 * native numbers and x32 numbers, which carry bit 30):
 *
 *     nr > N(arch)  ->  SECCOMP_RET_ERRNO | ENOSYS
 *
 * where N(arch) is the highest syscall number, on that arch, of any name the profile
 * lists (in any rule, whatever its action, including names a multiplexer like x86's
 * socketcall also reaches directly). Nothing above N(arch) can have a rule of its own,
 * so the prologue never changes the outcome of a syscall the profile names: it only
 * turns the default errno into ENOSYS for syscalls newer than the profile, which a
 * newer libc takes as "not implemented" and falls back (clone3 -> clone, statx ->
 * fstatat, ...). Numbers the kernel or libseccomp do not know yet are covered too:
 * the check is a comparison, not a list. An arch for which the profile names nothing
 * gets no rule (the profile says nothing about its age there). Other default actions
 * (KILL, TRAP, ALLOW, LOG, TRACE, NOTIFY) are left as they are.
 *
 * Layout, for each arch group:
 *     ld  [arch]; jeq AUDIT_ARCH, 0, <next group>
 *     ld  [nr]
 *     (per segment but the last)  jge next.lo, <next segment>, 0 ; jgt max, ENOSYS, END
 *     (last segment)              jgt max, ENOSYS, END
 * then "ENOSYS: ret ERRNO|ENOSYS" and END, libseccomp's first instruction. */

#define OFF_NR 0
#define OFF_ARCH 4

static int
seg_cmp(const void *a, const void *b)
{
	const struct skew_seg *x = a, *y = b;

	if (x->audit_arch != y->audit_arch)
		return x->audit_arch < y->audit_arch ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static struct sock_filter
insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
}

int
bpf_skew_prologue(struct skew_seg *segs, size_t n, struct sock_filter **ret, size_t *ret_n)
{
	size_t len = 0, pos = 0;
	bool any = false;
	struct sock_filter *f;

	*ret = NULL;
	*ret_n = 0;
	qsort(segs, n, sizeof(*segs), seg_cmp);
	/* size: per group 3 + 2*segments - 1, plus the ret */
	for (size_t i = 0; i < n; i++) {
		bool first = i == 0 || segs[i].audit_arch != segs[i - 1].audit_arch;
		len += first ? 3 + 1 : 2;
		any |= segs[i].max != SKEW_PASS;
	}
	if (!any)
		return 0;
	len += 1;
	/* Conditional jumps reach 255 instructions ahead at most. */
	if (len > 256)
		return -E2BIG;
	f = calloc(len, sizeof(*f));
	if (!f)
		return -ENOMEM;
	const size_t enosys = len - 1, end = len;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && segs[j].audit_arch == segs[i].audit_arch)
			j++;
		/* group [i, j): another arch goes on to the next group, or past the
		 * prologue after the last one */
		size_t next = j < n ? pos + 3 + 2 * (j - i) - 1 : end;
		f[pos] = insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_ARCH), pos++;
		f[pos] = insn(BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)(next - pos - 1),
			      segs[i].audit_arch), pos++;
		f[pos] = insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_NR), pos++;
		for (size_t s = i; s < j; s++) {
			if (s + 1 < j)
				f[pos] = insn(BPF_JMP | BPF_JGE | BPF_K, 1, 0, segs[s + 1].lo), pos++;
			f[pos] = insn(BPF_JMP | BPF_JGT | BPF_K, (uint8_t)(enosys - pos - 1),
				      (uint8_t)(end - pos - 1), segs[s].max),
			pos++;
		}
		i = j;
	}
	f[pos] = insn(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
	*ret = f;
	*ret_n = len;
	return 0;
}

uint32_t
seccomp_prog_eval_tested(const struct seccomp_prog *p, uint32_t arch, int nr, const uint64_t *args,
			 unsigned *ret_tested)
{
	if (!arch)
		arch = seccomp_arch_native();
	/* The native token of an x32 build is not a seccomp_data.arch value. */
	if (arch == SCMP_ARCH_X32)
		arch = SCMP_ARCH_X86_64;
	return bpf_eval_tested(p->bpf, p->bpf_len, nr, arch, args, ret_tested);
}

uint32_t
seccomp_prog_eval(const struct seccomp_prog *p, uint32_t arch, int nr, const uint64_t *args)
{
	unsigned tested;

	return seccomp_prog_eval_tested(p, arch, nr, args, &tested);
}

static void
describe(uint32_t ret, char *buf, size_t len)
{
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		snprintf(buf, len, "SCMP_ACT_KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		snprintf(buf, len, "SCMP_ACT_KILL_THREAD");
		break;
	case SECCOMP_RET_TRAP:
		snprintf(buf, len, "SCMP_ACT_TRAP");
		break;
	case SECCOMP_RET_ERRNO:
		snprintf(buf, len, "SCMP_ACT_ERRNO: %s", strerror((int)data));
		break;
	case SECCOMP_RET_TRACE:
		snprintf(buf, len, "SCMP_ACT_TRACE");
		break;
	default:
		snprintf(buf, len, "action 0x%08x", ret);
	}
}

int
seccomp_prog_check_syscall(const struct seccomp_prog *p, const char *name, const uint64_t *args,
			   struct lc_err *err)
{
	int nr = seccomp_syscall_resolve_name(name);
	uint32_t ret;
	char what[128];

	if (nr < 0)
		return lc_err_setx(err, EINVAL, "seccomp: %s is not a syscall of this architecture",
				   name);
	ret = seccomp_prog_eval(p, 0, nr, args);
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_USER_NOTIF:
		return 0;
	}
	describe(ret, what, sizeof(what));
	return lc_err_setx(err, EPERM, "the seccomp profile denies %s (%s)", name, what);
}
