/* Cookie header parsing and Set-Cookie formatting. */
#include "cookie.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool is_cookie_octet(char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool cookie_get(const char *header, const char *name, struct str *value)
{
	struct str all = str_c(header), pair, n;
	size_t len = strlen(name);

	value->p = "";
	value->len = 0;
	while (all.len > 0) {
		str_cut(&all, ';', &pair);
		pair = str_trim(pair);
		if (!str_cut(&pair, '=', &n))
			continue;
		n = str_trim(n);
		if (n.len != len || memcmp(n.p, name, len) != 0)
			continue;
		pair = str_trim(pair);
		if (pair.len >= 2 && pair.p[0] == '"' && pair.p[pair.len - 1] == '"') {
			pair.p++;
			pair.len -= 2;
		}
		*value = pair;
		return true;
	}
	return false;
}

bool cookie_format(char *out, size_t n, const char *name, const char *value, int64_t max_age_s,
		   bool secure)
{
	const char *p;
	int w;

	if (name[0] == '\0')
		return false;
	for (p = name; *p != '\0'; p++)
		if (!is_cookie_octet(*p) || *p == '=')
			return false;
	for (p = value; *p != '\0'; p++)
		if (!is_cookie_octet(*p))
			return false;
	if (max_age_s >= 0)
		w = snprintf(out, n, "%s=%s; Path=/; Max-Age=%" PRId64 "; HttpOnly; SameSite=Lax%s",
			     name, value, max_age_s, secure ? "; Secure" : "");
	else
		w = snprintf(out, n, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
			     secure ? "; Secure" : "");
	return w > 0 && (size_t)w < n;
}
