/* Per-process limits set in the container process before it drops privileges:
 * process.rlimits, process.oomScoreAdj and linux.personality. Names and ranges were
 * checked by spec.c and validate.c; errors here are the kernel's refusals. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include "error.h"
#include "sys.h"
#include "tables.h"

/* Container process, still uid 0 (raising a hard limit needs CAP_SYS_RESOURCE, which
 * the identity step may drop afterwards). */
int
limits_apply_rlimits(const struct spec_process *p, struct lc_err *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *rl = &p->rlimits[i];
		struct rlimit lim = { .rlim_cur = (rlim_t)rl->soft, .rlim_max = (rlim_t)rl->hard };
		if (setrlimit(rl->resource, &lim) == 0)
			continue;
		int e = errno;
		const char *name = table_rlimit_name(rl->resource);
		char what[128];
		snprintf(what, sizeof(what), "setrlimit %s soft %" PRIu64 " hard %" PRIu64,
			 name ? name : "?", rl->soft, rl->hard);
		if (e == EPERM) {
			struct rlimit cur;
			if (getrlimit(rl->resource, &cur) == 0 && lim.rlim_max > cur.rlim_max)
				return lc_err_setx(err, e,
						   "%s: Operation not permitted (the hard "
						   "limit is %" PRIu64 "; raising it needs "
						   "CAP_SYS_RESOURCE)",
						   what, (uint64_t)cur.rlim_max);
		}
		if (e == EINVAL && rl->soft > rl->hard)
			return lc_err_setx(err, e, "%s: the soft limit exceeds the hard limit",
					   what);
		return lc_err_set(err, e, "%s", what);
	}
	return 0;
}

/* Writes process.oomScoreAdj to /proc/<pid>/oom_score_adj (pid 0: /proc/self). The
 * runtime sets it on the container process before GO: while that process is not
 * dumpable its own /proc files belong to the host root. Lowering it needs
 * CAP_SYS_RESOURCE, which is reported, not ignored. */
int
limits_apply_oom_score_adj(pid_t pid, const struct spec_process *p, struct lc_err *err)
{
	if (!p->has_oom_score_adj)
		return 0;
	char buf[16], path[64];
	int n = snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/oom_score_adj");
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return lc_err_set(err, errno, "process.oomScoreAdj %d: open %s", p->oom_score_adj, path);
	ssize_t w = write(fd, buf, (size_t)n);
	if (w == n)
		return 0;
	int e = w < 0 ? errno : EIO;
	if (e == EACCES || e == EPERM)
		return lc_err_setx(err, e,
				   "process.oomScoreAdj %d: write %s: %s "
				   "(lowering it needs CAP_SYS_RESOURCE)",
				   p->oom_score_adj, path, strerror(e));
	return lc_err_set(err, e, "process.oomScoreAdj %d: write %s", p->oom_score_adj, path);
}

/* Container process: sets linux.personality (PER_LINUX or PER_LINUX32); it lasts
 * across execve. */
int
limits_apply_personality(const struct spec_linux *l, struct lc_err *err)
{
	if (!l->has_personality)
		return 0;
	if (personality(l->personality) < 0) {
		const char *name = l->personality == PER_LINUX32 ? "LINUX32"
				   : l->personality == PER_LINUX ? "LINUX"
								 : "?";
		return lc_err_set(err, errno, "linux.personality %s (0x%lx)", name,
				  l->personality);
	}
	return 0;
}
