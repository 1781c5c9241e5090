/* struct lc_err helpers: set a message, prefix context on the way up. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "error.h"

static int
err_vset(struct lc_err *err, int code, bool with_strerror, const char *fmt, va_list ap)
{
	code = code < 0 ? -code : code;
	if (err) {
		int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		if (with_strerror && code && n >= 0 && (size_t)n < sizeof(err->msg))
			snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(code));
		err->code = code ? code : EINVAL;
	}
	return -(code ? code : EINVAL);
}

int
lc_err_set(struct lc_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = err_vset(err, code, true, fmt, ap);
	va_end(ap);
	return r;
}

int
lc_err_setx(struct lc_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = err_vset(err, code, false, fmt, ap);
	va_end(ap);
	return r;
}

int
lc_err_prefix(struct lc_err *err, const char *fmt, ...)
{
	if (!err)
		return -EIO;
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -(err->code ? err->code : EIO);
}
