/* Slices and range-checked parsers. */
#include "str.h"

#include <stdio.h>

#include <string.h>

struct str str_c(const char *s)
{
	return (struct str){s ? s : "", s ? strlen(s) : 0};
}

bool str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool str_eq_c(struct str a, const char *b)
{
	return str_eq(a, str_c(b));
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 'a' - 'A') : c;
}

bool str_case_eq_c(struct str a, const char *b)
{
	size_t n = strlen(b), i;

	if (a.len != n)
		return false;
	for (i = 0; i < n; i++)
		if (lower(a.p[i]) != lower(b[i]))
			return false;
	return true;
}

bool str_has_prefix(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

bool str_case_has_prefix(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && str_case_eq_c((struct str){s.p, n}, prefix);
}

struct str str_trim(struct str s)
{
	while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}

bool str_cut(struct str *s, char c, struct str *head)
{
	const char *at = s->len ? memchr(s->p, c, s->len) : NULL;

	if (at == NULL) {
		*head = *s;
		s->p += s->len;
		s->len = 0;
		return false;
	}
	head->p = s->p;
	head->len = (size_t)(at - s->p);
	s->len -= head->len + 1;
	s->p = at + 1;
	return true;
}

enum err str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t v = 0, limit;
	bool neg = false;
	size_t i = 0;

	*out = 0;
	if (s.len > 0 && s.p[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == s.len)
		return ERR_INPUT;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < s.len; i++) {
		unsigned d;

		if (s.p[i] < '0' || s.p[i] > '9')
			return ERR_INPUT;
		d = (unsigned)(s.p[i] - '0');
		if (v > (limit - d) / 10)
			return ERR_INPUT;
		v = v * 10 + d;
	}
	if (neg) {
		int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;

		if (r < min || r > max)
			return ERR_INPUT;
		*out = r;
	} else {
		if ((int64_t)v < min || (int64_t)v > max)
			return ERR_INPUT;
		*out = (int64_t)v;
	}
	return ERR_OK;
}

enum err str_copy(struct str s, char *dst, size_t n)
{
	if (n == 0)
		return ERR_INPUT;
	dst[0] = '\0';
	if (s.len >= n)
		return ERR_INPUT;
	memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return ERR_OK;
}

size_t str_fmt_i64(char *out, int64_t v)
{
	char tmp[20];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		out[len++] = '-';
	while (n > 0)
		out[len++] = tmp[--n];
	out[len] = '\0';
	return len;
}

void str_lcpy(char *dst, const char *src, size_t n)
{
	size_t len;

	if (n == 0)
		return;
	len = strnlen(src, n - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void str_fmt_micros(int64_t v, char *out, size_t n)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	snprintf(out, n, "%s%llu.%06llu", v < 0 ? "-" : "", (unsigned long long)(a / 1000000),
		 (unsigned long long)(a % 1000000));
}
