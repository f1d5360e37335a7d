/* Urlencoded forms and query strings. */
#include "form.h"

#include <string.h>

#include "codec.h"

char *form_decode(struct arena *a, struct str s, bool plus_is_space, const char **why)
{
	char *out = arena_alloc(a, s.len + 1);
	size_t i, o = 0;

	*why = NULL;
	if (out == NULL)
		return NULL;
	for (i = 0; i < s.len; i++) {
		int hi, lo;

		if (s.p[i] == '\0') {
			*why = "contains a NUL";
			return NULL;
		}
		if (s.p[i] != '%') {
			out[o++] = plus_is_space && s.p[i] == '+' ? ' ' : s.p[i];
			continue;
		}
		if (i + 2 >= s.len) {
			*why = "has an incomplete %-escape";
			return NULL;
		}
		hi = codec_hex_digit(s.p[i + 1]);
		lo = codec_hex_digit(s.p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			*why = hi < 0 || lo < 0 ? "has an invalid %-escape" : "contains a NUL";
			return NULL;
		}
		out[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[o] = '\0';
	return out;
}

enum err form_parse(struct arena *a, struct str text, bool plus_is_space, struct form *out,
		    const char **bad, const char **why)
{
	struct str pair, name;

	out->n = 0;
	*bad = NULL;
	*why = NULL;
	while (text.len > 0) {
		const char *n, *v;

		str_cut(&text, '&', &pair);
		if (pair.len == 0)
			continue;
		str_cut(&pair, '=', &name);
		n = form_decode(a, name, plus_is_space, why);
		if (n == NULL) {
			*bad = arena_strndup(a, name.p, name.len > 64 ? 64 : name.len);
			return *why == NULL || *bad == NULL ? ERR_TOOBIG : ERR_INPUT;
		}
		v = form_decode(a, pair, plus_is_space, why);
		if (v == NULL) {
			*bad = n;
			return *why == NULL ? ERR_TOOBIG : ERR_INPUT;
		}
		if (out->n == FORM_MAX_FIELDS) {
			*bad = n;
			*why = "is one field too many";
			return ERR_INPUT;
		}
		out->f[out->n].name = n;
		out->f[out->n].value = v;
		out->n++;
	}
	return ERR_OK;
}

const char *form_get(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

size_t form_count(const struct form *f, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += strcmp(f->f[i].name, name) == 0;
	return n;
}
