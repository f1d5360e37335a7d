/* Borrowed string slices and range-checked parsers; nothing here allocates. */
#ifndef LIB_STR_H
#define LIB_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct str {
	const char *p;
	size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

/* A slice of a C string; NULL gives the empty slice. */
struct str str_c(const char *s);
bool str_eq(struct str a, struct str b);
bool str_eq_c(struct str a, const char *b);
/* ASCII case-insensitive comparison. */
bool str_case_eq_c(struct str a, const char *b);
bool str_has_prefix(struct str s, const char *prefix);
bool str_case_has_prefix(struct str s, const char *prefix);
/* Removes ASCII spaces and tabs on both ends. */
struct str str_trim(struct str s);
/* Splits s at the first c: *head gets what is before, s what is after. Returns false
 * (head = all of s, s empty) when c is absent. */
bool str_cut(struct str *s, char c, struct str *head);

/* Decimal integer in [min, max], optional leading '-', nothing else. Clears *out first. */
enum err str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out) WUR;
/* Copies s into dst (size n) with a NUL; ERR_INPUT if it does not fit. */
enum err str_copy(struct str s, char *dst, size_t n) WUR;
/* Copies the C string src into dst (size n), truncating; dst is always terminated. */
void str_lcpy(char *dst, const char *src, size_t n);
/* Writes v in decimal at out (room for 21 bytes) with a NUL; returns its length. Cheaper
 * than snprintf, which costs hundreds of instructions a call on the hot path. */
size_t str_fmt_i64(char *out, int64_t v);
/* Millionths (of a currency) as a decimal with six places ("-1.500000") into out (size n;
 * 28 bytes hold any value). */
void str_fmt_micros(int64_t v, char *out, size_t n);

#endif
