/* A growable byte buffer with a hard ceiling. Appends past the ceiling set a sticky
 * error flag and are dropped, so a caller can append many pieces and check once. */
#ifndef LIB_BUF_H
#define LIB_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *p; /* NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
	size_t max;    /* ceiling for len; 0 = no ceiling */
	bool overflow; /* an append was refused */
};

/* Prepares an empty buffer (no allocation yet). */
void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer can be initialised again. */
void buf_free(struct buf *b);
/* Empties the buffer, keeping its storage, and clears the overflow flag. */
void buf_reset(struct buf *b);

/* Each returns false (and sets overflow) when the ceiling would be passed. */
bool buf_append(struct buf *b, const void *p, size_t n);
bool buf_puts(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s as the body of a JSON string (no quotes), escaping per RFC 8259. */
bool buf_json_escape(struct buf *b, const char *s, size_t n);
/* Appends "s" as a JSON string with quotes; NULL becomes null. */
bool buf_json_str(struct buf *b, const char *s);

#endif
