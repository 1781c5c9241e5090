/* Cleanup attributes, ownership transfer and array growth helpers shared by every module.
 * Ownership moves only through TAKE_PTR()/TAKE_FD(); see shared STYLE.md. */
#ifndef STRAIT_MACRO_H
#define STRAIT_MACRO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <dirent.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void
freep(void *p)
{
	free(*(void **)p);
}

static inline void
closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void
fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static inline void
closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* Frees a NULL-terminated array of strings and the array itself. */
static inline void
strv_freep(char ***v)
{
	if (*v) {
		for (char **p = *v; *p; p++)
			free(*p);
		free(*v);
	}
}

/* Makes room for need elements of size bytes in *v (capacity *cap, doubled from 64);
 * false when out of memory, with *v unchanged. */
static inline bool
array_grow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *p = realloc(*v, c * size);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)
#define _cleanup_strv_ _cleanup_(strv_freep)

#define TAKE_PTR(p)                                                                        \
	({                                                                                 \
		__typeof__(p) _p = (p);                                                    \
		(p) = NULL;                                                                \
		_p;                                                                        \
	})

#define TAKE_FD(fd)                                                                        \
	({                                                                                 \
		int _fd = (fd);                                                            \
		(fd) = -1;                                                                 \
		_fd;                                                                       \
	})

#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

#endif
