/* The container process's identity: supplementary groups, gid, uid, umask and the five
 * capability sets, applied in the one order the kernel's rules allow. Parsing capability
 * names is spec.c's job (through tables.c); this file only applies bitmasks. The LSM label,
 * no_new_privs and seccomp come after it, in the process code. */
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "error.h"
#include "log.h"
#include "sys.h"
#include "tables.h"

static void
cap_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
}
#define _cleanup_cap_ _cleanup_(cap_freep)

/* Mask of every capability the running kernel knows. */
static uint64_t
caps_kernel_mask(void)
{
	int last = table_cap_last();
	if (last < 0)
		return 0;
	if (last >= 63)
		return UINT64_MAX;
	return (UINT64_C(1) << (last + 1)) - 1;
}

/* True when setgroups(2) is denied in our user namespace (/proc/self/setgroups says
 * "deny"), which is how a user namespace set up by an unprivileged runtime looks. */
static bool
setgroups_denied(void)
{
	_cleanup_close_ int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	char buf[16] = "";
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	return n > 0 && strncmp(buf, "deny", 4) == 0;
}

static int
caps_set_groups(const struct spec_user *u, struct lc_err *err)
{
	if (u->n_additional_gids == 0) {
		if (setgroups(0, NULL) == 0)
			return 0;
		/* In a user namespace whose setgroups file says "deny" the call can never
		 * succeed; with no groups asked for, the inherited empty list is what we
		 * want anyway. */
		if (errno == EPERM && setgroups_denied())
			return 0;
		return lc_err_set(err, errno, "setgroups (clear supplementary groups)");
	}
	if (setgroups(u->n_additional_gids, u->additional_gids) == 0)
		return 0;
	int e = errno;
	char list[256] = "";
	size_t o = 0;
	for (size_t i = 0; i < u->n_additional_gids && o < sizeof(list); i++)
		o += snprintf(list + o, sizeof(list) - o, "%s%u", i ? "," : "",
			      (unsigned)u->additional_gids[i]);
	if (e == EPERM && setgroups_denied())
		return lc_err_setx(err, e,
				   "setgroups %s: additionalGids cannot be set in a user namespace "
				   "where setgroups is denied",
				   list);
	return lc_err_set(err, e, "setgroups %s", list);
}

/* Drops every capability not in keep from the bounding set. Needs CAP_SETPCAP in the
 * effective set, so it must run before setresuid() clears the effective set. */
static int
caps_drop_bounding(uint64_t keep, struct lc_err *err)
{
	int last = table_cap_last();
	for (int cap = 0; cap <= last && cap < 64; cap++) {
		if (keep & (UINT64_C(1) << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0, 0, 0) < 0) {
			const char *name = table_cap_name(cap);
			return lc_err_set(err, errno, "drop %s (%d) from the bounding set",
					  name ? name : "capability", cap);
		}
	}
	return 0;
}

/* Fills one flag of c with the bits of mask. */
static int
caps_fill_flag(cap_t c, cap_flag_t flag, uint64_t mask)
{
	cap_value_t vals[64];
	int n = 0;
	for (int cap = 0; cap < 64; cap++)
		if (mask & (UINT64_C(1) << cap))
			vals[n++] = cap;
	if (n == 0)
		return 0;
	return cap_set_flag(c, flag, n, vals, CAP_SET);
}

static int
caps_set_eip(uint64_t eff, uint64_t inh, uint64_t prm, struct lc_err *err)
{
	_cleanup_cap_ cap_t c = cap_init();
	if (!c)
		return lc_err_set(err, errno, "allocate capability state");
	if (caps_fill_flag(c, CAP_EFFECTIVE, eff) < 0 ||
	    caps_fill_flag(c, CAP_INHERITABLE, inh) < 0 ||
	    caps_fill_flag(c, CAP_PERMITTED, prm) < 0)
		return lc_err_set(err, errno, "build capability state");
	if (cap_set_proc(c) < 0) {
		int e = errno;
		return lc_err_set(err, e,
				  "capset (effective 0x%" PRIx64 ", permitted 0x%" PRIx64
				  ", inheritable 0x%" PRIx64 "; inheritable and effective must "
				  "be within permitted and bounding)",
				  eff, prm, inh);
	}
	return 0;
}

static int
caps_set_ambient(uint64_t amb, uint64_t allowed, struct lc_err *err)
{
	char skipped[512] = "";
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		/* Kernels without ambient capabilities: fine unless some are asked for. */
		return lc_err_set(err, errno, "clear the ambient capability set");
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(amb & (UINT64_C(1) << cap)))
			continue;
		const char *name = table_cap_name(cap);
		/* The kernel only raises what is both permitted and inheritable. runc's
		 * default spec asks for ambient capabilities without inheritable ones; like
		 * runc, strait goes on, and says in one line what it skipped. */
		if (!(allowed & (UINT64_C(1) << cap))) {
			size_t l = strlen(skipped);
			snprintf(skipped + l, sizeof(skipped) - l, "%s%s", l ? ", " : "", name ? name : "?");
			continue;
		}
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)cap, 0, 0) < 0)
			return lc_err_set(err, errno, "raise ambient capability %s (%d)", name ? name : "?", cap);
	}
	/* normal for a valid config (runc spec's: ambient without inheritable): debug */
	if (skipped[0])
		log_debug("process.capabilities.ambient: not raised (not both permitted and inheritable): %s",
			 skipped);
	return 0;
}

/* Container process, uid 0 with full capabilities, after rlimits/oom/personality and
 * before the LSM label, no_new_privs, seccomp and execve. On failure the process is left
 * half-changed; the caller reports the error and exits. */
int
caps_apply_identity(const struct spec_process *p, struct lc_err *err)
{
	const struct spec_user *u = &p->user;
	uint64_t known = caps_kernel_mask();
	uint64_t set[CAPSET__COUNT] = { 0 };
	int r;

	if (u->has_umask)
		umask(u->umask & 0777);

	if (p->has_caps) {
		for (int i = 0; i < CAPSET__COUNT; i++) {
			/* capset(2) silently ignores bits the kernel does not know; say so
			 * instead of pretending they were granted. */
			if (p->caps[i] & ~known)
				log_debug("capabilities 0x%" PRIx64 " are unknown to this kernel "
					 "and were ignored",
					 p->caps[i] & ~known);
			set[i] = p->caps[i] & known;
		}
	}

	/* Keep the permitted set across the switch away from uid 0; without this,
	 * setresuid() empties it and the capset below could not grant anything. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return lc_err_set(err, errno, "prctl(PR_SET_KEEPCAPS, 1)");

	/* setgroups and setresgid need CAP_SETGID, setresuid needs CAP_SETUID, and the
	 * bounding drop needs CAP_SETPCAP in the effective set, which setresuid() to a
	 * non-zero uid clears: so groups, bounding, gid, uid, in this order. */
	r = caps_set_groups(u, err);
	if (r < 0)
		return r;
	r = caps_drop_bounding(set[CAPSET_BOUNDING], err);
	if (r < 0)
		return r;
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return lc_err_set(err, errno, "setresgid %u", (unsigned)u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return lc_err_set(err, errno, "setresuid %u", (unsigned)u->uid);

	/* Permitted is still the full set kept by PR_SET_KEEPCAPS, so it may shrink to
	 * what the spec asks; inheritable is capped by the new bounding set. */
	r = caps_set_eip(set[CAPSET_EFFECTIVE], set[CAPSET_INHERITABLE], set[CAPSET_PERMITTED],
			 err);
	if (r < 0)
		return r;
	/* Ambient raises need the cap in both permitted and inheritable: after capset. */
	r = caps_set_ambient(set[CAPSET_AMBIENT], set[CAPSET_PERMITTED] & set[CAPSET_INHERITABLE], err);
	if (r < 0)
		return r;

	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return lc_err_set(err, errno, "prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}

/* The runtime's own bounding set (PR_CAPBSET_READ for each capability the kernel
 * knows). */
uint64_t
caps_own_bounding(void)
{
	uint64_t m = 0;
	for (int c = 0; c <= table_cap_last() && c < 64; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			m |= UINT64_C(1) << c;
	return m;
}

/* A privileged container (containerd's and podman's --privileged, CRI privileged) gets
 * every capability the runtime process holds: its bounding set covers the runtime's own.
 * That set must hold CAP_SYS_ADMIN, or a runtime started with few capabilities would
 * call almost any container privileged (and run it unconfined). */
bool
caps_is_privileged(const struct spec_process *p, char *why, size_t len)
{
	if (why && len)
		why[0] = '\0';
	/* cheap test first: the runtime's own set costs one prctl per capability */
	if (!p->has_caps || !(p->caps[CAPSET_BOUNDING] & (UINT64_C(1) << CAP_SYS_ADMIN)))
		return false;
	uint64_t own = caps_own_bounding();
	if (!(own & (UINT64_C(1) << CAP_SYS_ADMIN)))
		return false;
	if ((p->caps[CAPSET_BOUNDING] & own) != own)
		return false;
	if (why)
		snprintf(why, len, "process.capabilities.bounding holds every capability of the "
			 "runtime's own bounding set (CapBnd %016" PRIx64 ")", own);
	return true;
}
