/* The kernel side of seccomp: installing ready BPF bytes in the container process (the
 * last step before execve, with nothing but seccomp(2)), and probing which filter
 * flags and actions this kernel supports (runtime process, at prepare time, and for
 * `strait features`). No libseccomp call here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "seccomp/internal.h"

static long
sys_seccomp(unsigned int op, unsigned int flags, void *arg)
{
	return syscall(SYS_seccomp, op, flags, arg);
}

int
seccomp_action_available(uint32_t action)
{
	uint32_t a = action & SECCOMP_RET_ACTION_FULL;

	if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &a) == 0)
		return 1;
	if (errno == EOPNOTSUPP)
		return 0;
	/* Kernels before 4.14 have no GET_ACTION_AVAIL; they have the actions of 3.5. */
	if (errno == EINVAL)
		return a == SECCOMP_RET_KILL_THREAD || a == SECCOMP_RET_TRAP ||
		       a == SECCOMP_RET_ERRNO || a == SECCOMP_RET_TRACE || a == SECCOMP_RET_ALLOW;
	return -errno;
}

/* The flag probe: a NULL program. The kernel checks the flags (EINVAL) before it
 * copies the program from user memory (EFAULT), so EFAULT means "flags accepted" and
 * nothing is installed either way. */
static int
probe_flag_bits(unsigned int flags)
{
	if (sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) == 0)
		return -EIO; /* cannot happen: there is no program to install */
	if (errno == EFAULT)
		return 1;
	if (errno == EINVAL)
		return 0;
	return -errno;
}

int
seccomp_flag_supported(const char *name)
{
	static int cache[8]; /* per flag bit: 0 unknown, 1 yes, 2 no */
	unsigned int v;
	int bit, r;

	if (seccomp_flag_value(name, &v) < 0)
		return -EINVAL;
	bit = __builtin_ctz(v);
	if (cache[bit])
		return cache[bit] == 1;
	/* WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER. */
	if (v == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		v |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	r = probe_flag_bits(v);
	if (r >= 0)
		cache[bit] = r ? 1 : 2;
	return r;
}

static const char *
kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) < 0)
		return "unknown";
	return u.release;
}

int
seccomp_probe_flags(const struct spec_seccomp *s, unsigned int flags, struct lc_err *err)
{
	int r = flags ? probe_flag_bits(flags) : 1;

	if (r == 1)
		return 0;
	if (r < 0)
		return lc_err_set(err, r, "seccomp: probing the filter flags of this kernel");
	/* Rejected: name the flag the kernel does not know. */
	for (size_t i = 0; i < s->n_flags; i++) {
		r = seccomp_flag_supported(s->flags[i]);
		if (r == 0)
			return lc_err_setx(err, EINVAL,
					   "linux.seccomp.flags[%zu]: %s is not supported by this kernel "
					   "(%s)",
					   i, s->flags[i], kernel_release());
	}
	if ((flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) &&
	    probe_flag_bits(SECCOMP_FILTER_FLAG_NEW_LISTENER) == 0)
		return lc_err_setx(err, EINVAL,
				   "linux.seccomp: SCMP_ACT_NOTIFY needs SECCOMP_FILTER_FLAG_NEW_LISTENER, "
				   "which this kernel (%s) does not support",
				   kernel_release());
	if ((flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) &&
	    probe_flag_bits(SECCOMP_FILTER_FLAG_TSYNC_ESRCH) == 0)
		return lc_err_setx(err, EINVAL,
				   "linux.seccomp: SECCOMP_FILTER_FLAG_TSYNC with SCMP_ACT_NOTIFY needs "
				   "SECCOMP_FILTER_FLAG_TSYNC_ESRCH, which this kernel (%s) does not "
				   "support",
				   kernel_release());
	return lc_err_setx(err, EINVAL,
			   "linux.seccomp.flags: this kernel (%s) rejects the flag combination 0x%x",
			   kernel_release(), flags);
}

static int
load_error(const struct seccomp_prog *p, int e, struct lc_err *err)
{
	switch (e) {
	case EACCES:
		return lc_err_set(err, e, "seccomp: loading the filter needs no_new_privs or "
				  "CAP_SYS_ADMIN");
	case EINVAL:
		return lc_err_set(err, e, "seccomp: the kernel rejected the filter (%zu "
				  "instructions) or its flags 0x%x",
				  p->bpf_len / sizeof(struct sock_filter), p->flags);
	case ENOMEM:
		return lc_err_set(err, e, "seccomp: the filters of this process would exceed the "
				  "kernel's limit of 32768 instructions in total");
	case EBUSY:
		return lc_err_set(err, e, "seccomp: a filter with a notification listener is "
				  "already installed on this process");
	case ESRCH:
		return lc_err_set(err, e, "seccomp: another thread could not be synchronized "
				  "to the filter (SECCOMP_FILTER_FLAG_TSYNC)");
	default:
		return lc_err_set(err, e, "seccomp: loading the filter");
	}
}

int
seccomp_prog_load(const struct seccomp_prog *p, int *ret_notify_fd, struct lc_err *err)
{
	struct sock_fprog prog = {
		.len = (unsigned short)(p->bpf_len / sizeof(struct sock_filter)),
		.filter = p->bpf,
	};
	long r;

	*ret_notify_fd = -1;
	if (!p->bpf_len || p->bpf_len % sizeof(struct sock_filter) ||
	    p->bpf_len / sizeof(struct sock_filter) > SECCOMP_MAX_INSNS)
		return lc_err_setx(err, EINVAL, "seccomp: no valid program to load (%zu bytes)",
				   p->bpf_len);
	r = sys_seccomp(SECCOMP_SET_MODE_FILTER, p->flags, &prog);
	if (r < 0)
		return load_error(p, errno, err);
	/* With NEW_LISTENER the result is the listener fd (close-on-exec by the kernel).
	 * With TSYNC alone a positive result is the id of a thread that could not be
	 * synchronized: the filter is then not installed. */
	if (p->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		*ret_notify_fd = (int)r;
	else if (r > 0)
		return lc_err_setx(err, ESRCH, "seccomp: thread %ld could not be synchronized to "
				   "the filter (SECCOMP_FILTER_FLAG_TSYNC)", r);
	return 0;
}

int
seccomp_prog_load_hook(const struct seccomp_prog *p, bool observe, struct lc_err *err)
{
	struct seccomp_prog hook = *p;
	int notify_fd;

	hook.flags &= ~SECCOMP_FILTER_FLAG_NEW_LISTENER;
	_cleanup_free_ struct sock_filter *f = malloc(p->bpf_len ? p->bpf_len : 1);
	if (!f)
		return lc_err_set(err, ENOMEM, "seccomp: hook filter");
	memcpy(f, p->bpf, p->bpf_len);
	for (size_t i = 0; i < p->bpf_len / sizeof(*f); i++)
		if (f[i].code == (BPF_RET | BPF_K) &&
		    (f[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
			f[i].k = observe ? SECCOMP_RET_LOG : SECCOMP_RET_ERRNO | ENOSYS;
	hook.bpf = f;
	return seccomp_prog_load(&hook, &notify_fd, err);
}
