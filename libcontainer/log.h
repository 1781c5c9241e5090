/* The one logging entry point of libcontainer. The library never prints directly:
 * messages go to the sink configured by the CLI (stderr and/or the --log file, in
 * text or runc-style JSON). */
#ifndef STRAIT_LOG_H
#define STRAIT_LOG_H

#include "macro.h"

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void lc_log(enum log_level lvl, const char *fmt, ...) _printf_(2, 3);
#define log_error(...) lc_log(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) lc_log(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) lc_log(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) lc_log(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
