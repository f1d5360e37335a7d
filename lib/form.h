/* application/x-www-form-urlencoded, for HTML form bodies and query strings: name=value
 * pairs separated by '&', percent-decoded into the caller's arena. Strict: a bad escape
 * or a NUL is an error, not a guess. */
#ifndef LIB_FORM_H
#define LIB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "err.h"
#include "str.h"

#define FORM_MAX_FIELDS 64

struct form_field {
	const char *name;
	const char *value; /* "" for "name" or "name=" */
};

struct form {
	struct form_field f[FORM_MAX_FIELDS];
	size_t n;
};

/* Percent-decodes s into the arena ('+' becomes a space when plus_is_space, as HTML forms
 * send it; a query string of this API keeps it, for RFC 3339 offsets). NULL with *why set
 * ("has an invalid %-escape", "contains a NUL"...) on bad input, or with *why NULL when
 * the arena is full. */
char *form_decode(struct arena *a, struct str s, bool plus_is_space, const char **why);

/* Parses text into out, in order, repeated names kept. ERR_INPUT (with *why naming the
 * problem and *bad the field's name, both in the arena) for a bad escape, a NUL or more
 * than FORM_MAX_FIELDS fields; ERR_TOOBIG when the arena is full. */
enum err form_parse(struct arena *a, struct str text, bool plus_is_space, struct form *out,
		    const char **bad, const char **why) WUR;

/* The first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* How many fields are named name. */
size_t form_count(const struct form *f, const char *name);

#endif
