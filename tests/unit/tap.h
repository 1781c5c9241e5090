/* A tiny TAP producer for unit tests: asserts print both values on failure, and the
 * plan is printed at the end. Exit status is non-zero when any check failed. */
#ifndef STRAIT_TAP_H
#define STRAIT_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                                     \
	do {                                                                              \
		tap_n++;                                                                  \
		int _c = !!(cond);                                                        \
		if (!_c)                                                                  \
			tap_failed++;                                                     \
		printf("%sok %d - ", _c ? "" : "not ", tap_n);                            \
		printf(__VA_ARGS__);                                                      \
		printf("\n");                                                             \
		if (!_c)                                                                  \
			printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond);             \
	} while (0)

#define is_int(got, want, ...)                                                            \
	do {                                                                              \
		long long _g = (long long)(got), _w = (long long)(want);                  \
		ok(_g == _w, __VA_ARGS__);                                                \
		if (_g != _w)                                                             \
			printf("#   got %lld, want %lld\n", _g, _w);                           \
	} while (0)

#define is_str(got, want, ...)                                                            \
	do {                                                                              \
		const char *_g = (got), *_w = (want);                                     \
		int _eq = (_g && _w) ? strcmp(_g, _w) == 0 : _g == _w;                    \
		ok(_eq, __VA_ARGS__);                                                     \
		if (!_eq)                                                                 \
			printf("#   got \"%s\", want \"%s\"\n", _g ? _g : "(null)",          \
			       _w ? _w : "(null)");                                           \
	} while (0)

/* Checks that haystack contains needle. */
#define has_str(haystack, needle, ...)                                                    \
	do {                                                                              \
		const char *_h = (haystack), *_n = (needle);                              \
		int _in = _h && _n && strstr(_h, _n) != NULL;                             \
		ok(_in, __VA_ARGS__);                                                     \
		if (!_in)                                                                 \
			printf("#   \"%s\" does not contain \"%s\"\n", _h ? _h : "(null)",   \
			       _n ? _n : "(null)");                                           \
	} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
