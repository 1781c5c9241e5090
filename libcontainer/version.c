/* Versions of the libraries strait runs with, for --version, state and evidence. */
#include <seccomp.h>
#include <stdio.h>
#include "strait.h"

const char *
lc_libseccomp_version(void)
{
	static char buf[32];
	const struct scmp_version *v = seccomp_version();
	if (!buf[0] && v)
		snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}
