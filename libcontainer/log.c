/* The log sink behind lc_log(): runc-style text or JSON lines ({"level","msg","time"})
 * to the --log file, and warnings/errors to stderr. Configured once by the CLI. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "strait.h"
#include "log.h"

static int log_fd = -1;
static enum lc_log_format log_fmt = LC_LOG_TEXT;
static bool log_stderr = true;
static bool log_debug_on;

void
lc_log_setup(int fd, enum lc_log_format fmt, bool to_stderr, bool debug)
{
	log_fd = fd;
	log_fmt = fmt;
	log_stderr = to_stderr;
	log_debug_on = debug;
}

static const char *const level_names[] = {
	[LOG_LVL_ERROR] = "error",
	[LOG_LVL_WARN] = "warning",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

/* Escapes msg as a JSON string body into out (always NUL-terminated). */
static void
json_escape(const char *msg, char *out, size_t outlen)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)msg; *p && o + 7 < outlen; p++) {
		if (*p == '"' || *p == '\\') {
			out[o++] = '\\';
			out[o++] = *p;
		} else if (*p < 0x20) {
			o += snprintf(out + o, outlen - o, "\\u%04x", *p);
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

/* One line as runc (logrus) writes it: text `time="..." level=L msg="..."`, or JSON
 * {"level","msg","time"}; the time is RFC 3339 UTC, in seconds. */
static int
format_line(char *line, size_t size, bool json, enum log_level lvl, const char *msg)
{
	char ts[32], esc[3072];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_escape(msg, esc, sizeof(esc));
	int n = json ? snprintf(line, size, "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n",
				level_names[lvl], esc, ts)
		     : snprintf(line, size, "time=\"%s\" level=%s msg=\"%s\"\n", ts, level_names[lvl], esc);
	return n < 0 ? 0 : (size_t)n < size ? n : (int)size - 1;
}

static void
write_file_line(enum log_level lvl, const char *msg)
{
	char line[4096];

	if (log_fd < 0)
		return;
	int n = format_line(line, sizeof(line), log_fmt == LC_LOG_JSON, lvl, msg);
	if (n > 0) {
		ssize_t _unused_ w = write(log_fd, line, (size_t)n);
	}
}

void
lc_log(enum log_level lvl, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (lvl == LOG_LVL_DEBUG && !log_debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	write_file_line(lvl, msg);
	if (!log_stderr)
		return;
	if (lvl <= LOG_LVL_WARN) {
		fprintf(stderr, "strait: %s%s\n", lvl == LOG_LVL_WARN ? "warning: " : "", msg);
	} else if (log_debug_on) {
		/* runc's --debug shape on stderr (logrus text), for tools that parse it */
		char line[4096];
		if (format_line(line, sizeof(line), false, lvl, msg) > 0)
			fputs(line, stderr);
	}
}

void
lc_log_error_to_file(const char *msg)
{
	write_file_line(LOG_LVL_ERROR, msg);
}
