/* The runtime binary as a sealed memfd (CVE-2019-5736 class). When a strait process
 * is about to enter a pid namespace that already has container processes in it (exec,
 * a joined pid namespace, or none at all), those processes could open
 * /proc/<pid>/exe of it; with every capability even a non-dumpable process does not
 * stop them, and an O_PATH fd kept past strait's exit could be reopened for writing.
 * So strait first re-executes itself from a sealed, write-proof memfd copy: its
 * /proc/<pid>/exe is then that copy, never the host file. The fast path (a new pid
 * namespace, where nothing can see the runtime) does not pay for this. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include "error.h"
#include "process/process.h"

static char **self_argv;

void
lc_set_argv(char **argv)
{
	self_argv = argv;
}

static bool
running_sealed(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals = fd >= 0 ? fcntl(fd, F_GET_SEALS) : -1;
	return seals >= 0 && (seals & (F_SEAL_WRITE | F_SEAL_SEAL)) == (F_SEAL_WRITE | F_SEAL_SEAL);
}

int
sealed_exe_ensure(struct lc_err *err)
{
	extern char **environ;
	struct stat sb;

	if (running_sealed())
		return 0;
	if (!self_argv)
		return lc_err_setx(err, EINVAL, "sealed binary: argv unknown");
	_cleanup_close_ int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0 || fstat(src, &sb) < 0)
		return lc_err_set(err, errno, "sealed binary: open /proc/self/exe");
	_cleanup_close_ int mfd = memfd_create("strait", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return lc_err_set(err, errno, "sealed binary: memfd_create");
	for (off_t off = 0; off < sb.st_size;) {
		ssize_t n = sendfile(mfd, src, &off, sb.st_size - off);
		if (n <= 0)
			return lc_err_set(err, n < 0 ? errno : EIO, "sealed binary: copy");
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return lc_err_set(err, errno, "sealed binary: seal");
	fexecve(mfd, self_argv, environ);
	return lc_err_set(err, errno, "sealed binary: fexecve");
}
