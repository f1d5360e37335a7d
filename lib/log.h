/* One line per event on stderr: time, level, process name, message, and req=<id> while a
 * request is being handled. Values that come from outside pass through log_escape(). */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };

/* Sets the process name shown on each line (e.g. "worker.2") and the lowest level kept. */
void log_init(const char *name, enum log_level level);
/* Parses "debug", "info", "warn", "error"; returns -1 if unknown. */
int log_level_parse(const char *s);
/* The request id added to each line until cleared with NULL. The string is borrowed. */
void log_set_request(const char *id);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_warn and log_error append ": strerror(errno)"; the x forms do not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at error level and exit with status 1; for start-up only. log_fatal appends
 * ": strerror(errno)". */
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Copies s into dst (size n) keeping printable ASCII and writing anything else as \xHH,
 * so a logged value can never forge a line. Returns dst. */
const char *log_escape(char *dst, size_t n, const char *s);

#endif
