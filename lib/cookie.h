/* Cookies (RFC 6265): a value out of a request's Cookie header, and the Set-Cookie line
 * for a session cookie with the attributes a careful site sets. */
#ifndef LIB_COOKIE_H
#define LIB_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"

/* The value of the first cookie called name in header (a Cookie header value; NULL is
 * none), without surrounding quotes. False when absent. value is a slice of header. */
bool cookie_get(const char *header, const char *name, struct str *value);

/* Formats a Set-Cookie value: name=value; Path=/; HttpOnly; SameSite=Lax, plus Secure
 * when secure, and Max-Age=max_age_s (0 deletes the cookie; -1 leaves it a session
 * cookie). False when it does not fit in out (size n) or name or value hold characters a
 * cookie may not (only printable ASCII without space, '"', ',', ';' and '\\'). */
bool cookie_format(char *out, size_t n, const char *name, const char *value, int64_t max_age_s,
		   bool secure);

#endif
