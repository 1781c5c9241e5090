/* Error reporting for libcontainer: functions return >= 0 or -errno and fill an
 * optional caller-owned struct lc_err with a message a user can act on. Context is
 * prepended on the way up; the CLI prints the final message once. */
#ifndef STRAIT_ERROR_H
#define STRAIT_ERROR_H

#include "strait.h"
#include "macro.h"

/* Sets err (if non-NULL) to "<formatted>: strerror(code)" when code != 0, or just the
 * formatted text when code == 0. Returns -abs(code), or -EINVAL when code is 0. */
int lc_err_set(struct lc_err *err, int code, const char *fmt, ...) _printf_(3, 4);

/* Same, but without appending strerror(code): the message stands alone. */
int lc_err_setx(struct lc_err *err, int code, const char *fmt, ...) _printf_(3, 4);

/* Prepends "<formatted>: " to an existing message. Returns -err->code (or -EIO). */
int lc_err_prefix(struct lc_err *err, const char *fmt, ...) _printf_(2, 3);

#endif
