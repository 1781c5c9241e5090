/* mountinfo lines, split and decoded: the one parser behind the cgroup discovery, the
 * mount plan's host layout and the no-pivot cleanup. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountinfo.h"

char *
mountinfo_read_self(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *text = NULL;
	size_t len = 0;
	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0 && ferror(f)) {
		int e = errno;
		free(text);
		fclose(f);
		errno = e;
		return NULL;
	}
	fclose(f);
	return text ? text : strdup("");
}

void
mountinfo_unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

bool
mountinfo_parse(char *line, struct mountinfo_line *ret)
{
	char *f[5], *save = NULL, *t;
	size_t n = 0;

	while (n < 5 && (t = strtok_r(n ? NULL : line, " \n", &save)))
		f[n++] = t;
	if (n < 5)
		return false;
	/* the mount options and the optional fields, up to the "-" separator */
	while ((t = strtok_r(NULL, " \n", &save)) && strcmp(t, "-") != 0)
		;
	if (!t)
		return false;
	*ret = (struct mountinfo_line){ .dev = f[2], .root = f[3], .mountpoint = f[4] };
	if (!(ret->fstype = strtok_r(NULL, " \n", &save)) ||
	    !(ret->source = strtok_r(NULL, " \n", &save)) ||
	    !(ret->super = strtok_r(NULL, " \n", &save)))
		return false;
	mountinfo_unescape(ret->root);
	mountinfo_unescape(ret->mountpoint);
	return true;
}
