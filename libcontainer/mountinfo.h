/* One line of /proc/PID/mountinfo, split in place (proc(5)):
 * "id parent maj:min root mountpoint opts [optional...] - fstype source super". */
#ifndef STRAIT_MOUNTINFO_H
#define STRAIT_MOUNTINFO_H

#include <stdbool.h>

struct mountinfo_line {
	const char *dev;	/* "maj:min" */
	char *root;		/* octal escapes decoded */
	char *mountpoint;	/* octal escapes decoded */
	const char *fstype;
	const char *source;
	const char *super;	/* superblock options */
};

/* Splits line (modified; a trailing newline is dropped) into ret. False when it is not a
 * well-formed mountinfo line. */
bool mountinfo_parse(char *line, struct mountinfo_line *ret);

/* The text of /proc/self/mountinfo (malloc'd), or NULL with errno set. Read once by
 * create for both the mount plan and the cgroup discovery. */
char *mountinfo_read_self(void);

/* Decodes the \ooo escapes mountinfo uses for space, tab, newline and backslash. */
void mountinfo_unescape(char *s);

#endif
