/* Line-per-event logging to stderr. */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char log_name[32] = "tollgate";
static enum log_level log_min = LOG_INFO;
static const char *log_req;

static const char *const level_names[LOG__MAX] = {"debug", "info", "warn", "error"};

void log_init(const char *name, enum log_level level)
{
	snprintf(log_name, sizeof(log_name), "%s", name);
	log_min = level;
}

int log_level_parse(const char *s)
{
	int i;

	for (i = 0; i < LOG__MAX; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

void log_set_request(const char *id)
{
	log_req = id;
}

__attribute__((format(printf, 3, 0))) static void vlog(enum log_level level, int errnum,
						       const char *fmt, va_list ap)
{
	char line[2048], ts[32];
	struct timespec now;
	struct tm tm;
	size_t len;
	int n;

	if (level < log_min)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ %s %s[%ld] ", ts, now.tv_nsec / 1000000L,
		     level_names[level], log_name, (long)getpid());
	len = n > 0 ? (size_t)n : 0;
	if (len < sizeof(line)) {
		n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
		len += n > 0 ? (size_t)n : 0;
	}
	if (errnum != 0 && len < sizeof(line)) {
		n = snprintf(line + len, sizeof(line) - len, ": %s", strerror(errnum));
		len += n > 0 ? (size_t)n : 0;
	}
	if (log_req != NULL && len < sizeof(line)) {
		n = snprintf(line + len, sizeof(line) - len, " req=%s", log_req);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	/* One write per line keeps lines from different processes whole. */
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

#define LOGFN(name, level, witherr)                                                                \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		int saved = errno;                                                                 \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		vlog(level, witherr ? saved : 0, fmt, ap);                                         \
		va_end(ap);                                                                        \
		errno = saved;                                                                     \
	}

LOGFN(log_debug, LOG_DEBUG, 0)
LOGFN(log_info, LOG_INFO, 0)
LOGFN(log_warn, LOG_WARN, 1)
LOGFN(log_warnx, LOG_WARN, 0)
LOGFN(log_error, LOG_ERROR, 1)
LOGFN(log_errorx, LOG_ERROR, 0)

void log_fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERROR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void log_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

const char *log_escape(char *dst, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (n == 0)
		return dst;
	for (; s != NULL && *s != '\0' && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = '\0';
	return dst;
}
