/* tmpl: every case of the official Mustache spec (tests/conformance/mustache, run as they
 * are), then escaping, compile errors, the limits, the value model and template sets. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "../../lib/jsonx.h"
#include "../../lib/tmpl.h"

#define SPEC_DIR "tests/conformance/mustache/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t cap = 0, n = 0, got;

	cr_assert_not_null(f, "cannot open %s (the unit tests run from the repository root)", path);
	do {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 16384;
			p = realloc(p, cap + 1);
			cr_assert_not_null(p);
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	cr_assert_eq(ferror(f), 0, "reading %s", path);
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

/* A small JSON reader that builds tmpl values. jsonx cannot list an object's keys (the
 * spec's data needs them, "a.b" among them), so it only checks this reader below. */
struct json {
	const char *p, *end;
	struct arena *a;
};

static void json_ws(struct json *j)
{
	while (j->p < j->end && strchr(" \t\r\n", *j->p) != NULL && *j->p != '\0')
		j->p++;
}

static void json_expect(struct json *j, char c)
{
	json_ws(j);
	cr_assert(j->p < j->end && *j->p == c, "JSON: expected '%c'", c);
	j->p++;
}

static unsigned json_hex4(struct json *j)
{
	unsigned v = 0;
	int i;

	cr_assert(j->end - j->p >= 4, "JSON: short \\u escape");
	for (i = 0; i < 4; i++) {
		char c = *j->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			cr_assert_fail("JSON: bad \\u escape");
	}
	return v;
}

/* Decodes a string into the arena; *len gets its length. */
static char *json_string(struct json *j, size_t *len)
{
	char *out, *w;

	const char *q;

	json_expect(j, '"');
	/* Decoding never grows the text, which ends at the first quote not escaped. */
	for (q = j->p; q < j->end && *q != '"'; q += *q == '\\' ? 2 : 1)
		;
	out = w = arena_alloc(j->a, (size_t)(q - j->p) + 1);
	cr_assert_not_null(out);
	for (;;) {
		char c;

		cr_assert(j->p < j->end, "JSON: unterminated string");
		c = *j->p++;
		if (c == '"')
			break;
		if (c != '\\') {
			*w++ = c;
			continue;
		}
		cr_assert(j->p < j->end);
		switch (c = *j->p++) {
		case 'b':
			*w++ = '\b';
			break;
		case 'f':
			*w++ = '\f';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u': {
			unsigned cp = json_hex4(j);

			if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
			    j->p[1] == 'u') {
				j->p += 2;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (json_hex4(j) - 0xdc00);
			}
			if (cp < 0x80) {
				*w++ = (char)cp;
			} else if (cp < 0x800) {
				*w++ = (char)(0xc0 | cp >> 6);
				*w++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				*w++ = (char)(0xe0 | cp >> 12);
				*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*w++ = (char)(0x80 | (cp & 0x3f));
			} else {
				*w++ = (char)(0xf0 | cp >> 18);
				*w++ = (char)(0x80 | ((cp >> 12) & 0x3f));
				*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*w++ = (char)(0x80 | (cp & 0x3f));
			}
			break;
		}
		default:
			cr_assert(c == '"' || c == '\\' || c == '/', "JSON: bad escape \\%c", c);
			*w++ = c;
			break;
		}
	}
	*w = '\0';
	*len = (size_t)(w - out);
	return out;
}

static const struct tmpl_value *json_value(struct json *j, int depth)
{
	const struct tmpl_value *v;
	struct tmpl_value *c;
	size_t len;
	char *s, *end;
	double d;

	cr_assert_lt(depth, 64, "JSON: too deep");
	json_ws(j);
	cr_assert_lt(j->p, j->end, "JSON: unexpected end");
	switch (*j->p) {
	case '{':
		c = tmpl_map(j->a);
		j->p++;
		json_ws(j);
		if (*j->p == '}') {
			j->p++;
			return c;
		}
		for (;;) {
			s = json_string(j, &len);
			json_expect(j, ':');
			cr_assert(tmpl_map_set(c, s, json_value(j, depth + 1)));
			json_ws(j);
			if (*j->p == '}')
				break;
			json_expect(j, ',');
		}
		j->p++;
		return c;
	case '[':
		c = tmpl_list(j->a);
		j->p++;
		json_ws(j);
		if (*j->p == ']') {
			j->p++;
			return c;
		}
		for (;;) {
			cr_assert(tmpl_list_push(c, json_value(j, depth + 1)));
			json_ws(j);
			if (*j->p == ']')
				break;
			json_expect(j, ',');
		}
		j->p++;
		return c;
	case '"':
		s = json_string(j, &len);
		v = tmpl_strn(j->a, s, len);
		break;
	case 't':
		cr_assert(j->end - j->p >= 4 && memcmp(j->p, "true", 4) == 0);
		j->p += 4;
		return tmpl_bool(true);
	case 'f':
		cr_assert(j->end - j->p >= 5 && memcmp(j->p, "false", 5) == 0);
		j->p += 5;
		return tmpl_bool(false);
	case 'n':
		cr_assert(j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0);
		j->p += 4;
		return tmpl_null();
	default:
		/* The text is NUL-terminated (slurp), so strtod stops inside it. */
		d = strtod(j->p, &end);
		cr_assert(end > j->p && end <= j->end, "JSON: bad value");
		j->p = end;
		v = tmpl_num(j->a, d);
		break;
	}
	cr_assert_not_null(v);
	return v;
}

static const struct tmpl_value *json_parse(const char *p, size_t len, struct arena *a)
{
	struct json j = {p, p + len, a};
	const struct tmpl_value *v = json_value(&j, 0);

	json_ws(&j);
	cr_assert_eq(j.p, j.end, "JSON: trailing bytes");
	return v;
}

static const struct tmpl_value *member(const struct tmpl_value *m, const char *key,
				       enum tmpl_kind kind)
{
	const struct tmpl_value *v = tmpl_map_get(m, key);

	cr_assert_not_null(v, "no \"%s\"", key);
	cr_assert_eq(v->kind, kind, "\"%s\" of kind %d", key, (int)v->kind);
	return v;
}

/* Shows control characters, so that a whitespace difference is visible in a failure. */
static const char *visible(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i, w = 0;

	for (i = 0; i < n && w + 5 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			w += (size_t)snprintf(out + w, outlen - w, "\\n");
		else if (c < 0x20)
			w += (size_t)snprintf(out + w, outlen - w, "\\x%02x", c);
		else
			out[w++] = (char)c;
	}
	out[w] = '\0';
	return out;
}

/* Runs every case of one spec file; returns how many passed. */
static size_t run_spec(const char *file, size_t want_cases)
{
	char path[256], msg[256], got[1024], want[1024];
	const struct tmpl_value *root, *tests;
	const struct tmpl_item *it;
	struct jsonx_doc *doc;
	struct arena a;
	size_t len, n = 0, passed = 0, jlen;
	char *text;

	snprintf(path, sizeof(path), SPEC_DIR "%s", file);
	text = slurp(path, &len);
	arena_init(&a, 1 << 16, 0);
	root = json_parse(text, len, &a);
	tests = member(root, "tests", TMPL_LIST);
	cr_assert_eq(jsonx_parse(text, len, &doc, msg, sizeof(msg)), ERR_OK, "%s: %s", path, msg);
	cr_assert(jsonx_get_len(doc, "tests", &jlen));
	cr_assert_eq(jlen, tests->count);

	for (it = tests->head; it != NULL; it = it->next, n++) {
		const struct tmpl_value *c = it->v, *name, *tv, *expected, *partials;
		struct tmpl_set *set = tmpl_set_new();
		struct tmpl_partials p = tmpl_set_partials(set);
		const struct tmpl_item *pi;
		struct jsonx_doc *jcase;
		const char *js;
		struct tmpl *t;
		struct buf out;
		enum err e;

		name = member(c, "name", TMPL_STR);
		tv = member(c, "template", TMPL_STR);
		expected = member(c, "expected", TMPL_STR);
		cr_assert_not_null(tmpl_map_get(c, "data"), "%s: no data", name->s);
		/* jansson reads the same strings as the reader above. */
		cr_assert(jsonx_get_elem(doc, "tests", n, &jcase));
		cr_assert(jsonx_get_str(jcase, "name", &js) && strcmp(js, name->s) == 0);
		cr_assert(jsonx_get_str(jcase, "template", &js) && strcmp(js, tv->s) == 0);
		cr_assert(jsonx_get_str(jcase, "expected", &js) && strcmp(js, expected->s) == 0);
		jsonx_doc_free(jcase);

		partials = tmpl_map_get(c, "partials");
		if (partials != NULL) {
			cr_assert_eq(partials->kind, TMPL_MAP);
			for (pi = partials->head; pi != NULL; pi = pi->next) {
				cr_assert_eq(pi->v->kind, TMPL_STR);
				cr_assert_eq(tmpl_set_add(set, pi->key, pi->v->s, pi->v->len, msg,
							  sizeof(msg)),
					     ERR_OK, "%s / %s: partial %s: %s", file, name->s,
					     pi->key, msg);
			}
		}
		e = tmpl_compile(tv->s, tv->len, &t, msg, sizeof(msg));
		cr_expect_eq(e, ERR_OK, "%s / %s: %s", file, name->s, msg);
		if (e == ERR_OK) {
			buf_init(&out, 1 << 20);
			e = tmpl_render(t, tmpl_map_get(c, "data"), &p, &out);
			cr_expect_eq(e, ERR_OK, "%s / %s: render: %s", file, name->s, err_name(e));
			if (e == ERR_OK && out.len == expected->len &&
			    memcmp(out.p != NULL ? out.p : "", expected->s, out.len) == 0)
				passed++;
			else
				cr_expect_fail(
				    "%s / %s:\n  got  \"%s\"\n  want \"%s\"", file, name->s,
				    visible(out.p ? out.p : "", out.len, got, sizeof(got)),
				    visible(expected->s, expected->len, want, sizeof(want)));
			buf_free(&out);
			tmpl_free(t);
		}
		tmpl_set_free(set);
	}
	cr_assert_eq(n, want_cases, "%s: %zu cases, expected %zu", file, n, want_cases);
	cr_log_info("mustache spec %s: %zu/%zu passed", file, passed, n);
	jsonx_doc_free(doc);
	arena_free(&a);
	free(text);
	return passed;
}

Test(tmpl, spec_comments)
{
	cr_assert_eq(run_spec("comments.json", 12), 12);
}

Test(tmpl, spec_delimiters)
{
	cr_assert_eq(run_spec("delimiters.json", 14), 14);
}

Test(tmpl, spec_interpolation)
{
	cr_assert_eq(run_spec("interpolation.json", 42), 42);
}

Test(tmpl, spec_inverted)
{
	cr_assert_eq(run_spec("inverted.json", 22), 22);
}

Test(tmpl, spec_partials)
{
	cr_assert_eq(run_spec("partials.json", 12), 12);
}

Test(tmpl, spec_sections)
{
	cr_assert_eq(run_spec("sections.json", 34), 34);
}

/* Helpers for the tests below: compile (asserting success), render, compare. */

static struct tmpl *compile(const char *text)
{
	struct tmpl *t;
	char msg[256];

	cr_assert_eq(tmpl_compile(text, strlen(text), &t, msg, sizeof(msg)), ERR_OK, "%s: %s", text,
		     msg);
	return t;
}

static void expect_render(const char *text, const struct tmpl_value *ctx,
			  const struct tmpl_partials *p, const char *want)
{
	struct tmpl *t = compile(text);
	struct buf out;

	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(t, ctx, p, &out), ERR_OK, "%s", text);
	cr_assert_eq(out.len, strlen(want), "%s: got \"%s\", want \"%s\"", text, out.p ? out.p : "",
		     want);
	cr_assert_eq(memcmp(out.p ? out.p : "", want, out.len), 0, "%s: got \"%s\", want \"%s\"",
		     text, out.p, want);
	buf_free(&out);
	tmpl_free(t);
}

static void set_add(struct tmpl_set *s, const char *name, const char *text)
{
	char msg[256];

	cr_assert_eq(tmpl_set_add(s, name, text, strlen(text), msg, sizeof(msg)), ERR_OK, "%s",
		     msg);
}

static void expect_compile_error(const char *text, const char *want_msg)
{
	struct tmpl *t = (struct tmpl *)1;
	char msg[256];

	cr_assert_eq(tmpl_compile(text, strlen(text), &t, msg, sizeof(msg)), ERR_INPUT,
		     "accepted \"%s\"", text);
	cr_assert_null(t);
	cr_assert_str_eq(msg, want_msg, "for \"%s\"", text);
}

Test(tmpl, escapes_html_in_plain_tags_only)
{
	struct arena a;
	struct tmpl_value *m;

	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	tmpl_map_set(m, "x", tmpl_str(&a, "<a href='/?a=1&b=2'>\"hi\"</a>"));
	tmpl_map_set(m, "plain", tmpl_str(&a, "no specials at all"));
	expect_render("{{x}}", m, NULL,
		      "&lt;a href=&#39;/?a=1&amp;b=2&#39;&gt;&quot;hi&quot;&lt;/a&gt;");
	expect_render("{{{x}}}|{{&x}}", m, NULL,
		      "<a href='/?a=1&b=2'>\"hi\"</a>|<a href='/?a=1&b=2'>\"hi\"</a>");
	expect_render("[{{plain}}]", m, NULL, "[no specials at all]");
	/* Only values are escaped, never the template's own text. */
	expect_render("<b>&amp;</b>{{x}}", tmpl_null(), NULL, "<b>&amp;</b>");
	expect_render("{{#x}}{{.}}{{/x}}", m, NULL,
		      "&lt;a href=&#39;/?a=1&amp;b=2&#39;&gt;&quot;hi&quot;&lt;/a&gt;");
	arena_free(&a);
}

Test(tmpl, renders_each_kind_of_value)
{
	struct tmpl_value *m, *l;
	struct arena a;
	struct buf out;
	struct tmpl *t;
	static const char bin[] = "a\0b<";

	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	l = tmpl_list(&a);
	tmpl_list_push(l, tmpl_int(&a, 1));
	tmpl_map_set(m, "t", tmpl_bool(true));
	tmpl_map_set(m, "f", tmpl_bool(false));
	tmpl_map_set(m, "n", tmpl_null());
	tmpl_map_set(m, "l", l);
	tmpl_map_set(m, "m", tmpl_map(&a));
	tmpl_map_set(m, "i", tmpl_int(&a, INT64_MIN));
	tmpl_map_set(m, "sqlnull", tmpl_str(&a, NULL));
	tmpl_map_set(m, "bin", tmpl_strn(&a, bin, sizeof(bin) - 1));
	expect_render("{{t}} {{f}} [{{n}}] [{{l}}] [{{m}}] {{i}} [{{sqlnull}}]", m, NULL,
		      "true false [] [] [] -9223372036854775808 []");

	/* Strings may hold NUL bytes, and so may templates. */
	t = NULL;
	cr_assert_eq(tmpl_compile("<\0{{bin}}>", 10, &t, NULL, 0), ERR_OK);
	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_OK);
	cr_assert_eq(out.len, 10);
	cr_assert_eq(memcmp(out.p, "<\0a\0b&lt;>", 10), 0);
	buf_free(&out);
	tmpl_free(t);
	arena_free(&a);
}

Test(tmpl, numbers_render_in_their_shortest_form)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {{85, "85"},
		     {1.5, "1.5"},
		     {1.21, "1.21"},
		     {0.1, "0.1"},
		     {-2.5, "-2.5"},
		     {0.0, "0"},
		     {-0.0, "0"},
		     {1.0 / 3, "0.3333333333333333"},
		     {2.0 / 3, "0.6666666666666666"},
		     {123456789012.0, "123456789012"},
		     {9007199254740991.0, "9007199254740991"},
		     {1e300, "1e+300"},
		     {5e-324, "5e-324"},
		     {-2.5e-320, "-2.5e-320"},
		     {0.1 + 0.2, "0.30000000000000004"},
		     {1.7976931348623157e308, "1.7976931348623157e+308"}};
	struct arena a;
	size_t i;

	arena_init(&a, 4096, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tmpl_value *v = tmpl_num(&a, cases[i].v);

		cr_assert_str_eq(v->s, cases[i].want, "case %zu", i);
		cr_assert_eq(v->len, strlen(cases[i].want));
		cr_assert_eq(strtod(v->s, NULL), cases[i].v, "case %zu does not read back", i);
	}
	cr_assert_str_eq(tmpl_num(&a, NAN)->s, "NaN");
	cr_assert_str_eq(tmpl_num(&a, INFINITY)->s, "Infinity");
	cr_assert_str_eq(tmpl_num(&a, -INFINITY)->s, "-Infinity");
	cr_assert_str_eq(tmpl_int(&a, 0)->s, "0");
	cr_assert_str_eq(tmpl_int(&a, INT64_MAX)->s, "9223372036854775807");
	arena_free(&a);
}

Test(tmpl, falsey_values_follow_the_header)
{
	struct tmpl_value *m, *one;
	struct arena a;

	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	one = tmpl_list(&a);
	tmpl_list_push(one, tmpl_null());
	tmpl_map_set(m, "zero", tmpl_int(&a, 0));
	tmpl_map_set(m, "fzero", tmpl_num(&a, -0.0));
	tmpl_map_set(m, "empty", tmpl_str(&a, ""));
	tmpl_map_set(m, "none", tmpl_list(&a));
	tmpl_map_set(m, "nul", tmpl_null());
	tmpl_map_set(m, "no", tmpl_bool(false));
	tmpl_map_set(m, "szero", tmpl_str(&a, "0"));
	tmpl_map_set(m, "map", tmpl_map(&a));
	tmpl_map_set(m, "one", one);
	tmpl_map_set(m, "half", tmpl_num(&a, 0.5));
	expect_render(
	    "{{#zero}}A{{/zero}}{{#fzero}}B{{/fzero}}{{#empty}}C{{/empty}}"
	    "{{#none}}D{{/none}}{{#nul}}E{{/nul}}{{#no}}F{{/no}}{{#missing}}G{{/missing}}",
	    m, NULL, "");
	expect_render(
	    "{{^zero}}A{{/zero}}{{^fzero}}B{{/fzero}}{{^empty}}C{{/empty}}"
	    "{{^none}}D{{/none}}{{^nul}}E{{/nul}}{{^no}}F{{/no}}{{^missing}}G{{/missing}}",
	    m, NULL, "ABCDEFG");
	/* "0", an empty map, a list holding a null and 0.5 are truthy. */
	expect_render("{{#szero}}[{{.}}]{{/szero}}{{#map}}M{{/map}}{{#one}}<{{.}}>{{/one}}"
		      "{{#half}}{{.}}{{/half}}{{^szero}}x{{/szero}}{{^map}}x{{/map}}",
		      m, NULL, "[0]M<>0.5");
	arena_free(&a);
}

Test(tmpl, maps_keep_insertion_order_and_replace_in_place)
{
	struct tmpl_value *m;
	const struct tmpl_item *it;
	struct arena a;
	char order[8] = "";
	size_t n = 0;

	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	cr_assert(tmpl_map_set(m, "c", tmpl_int(&a, 1)));
	cr_assert(tmpl_map_set(m, "a", tmpl_int(&a, 2)));
	cr_assert(tmpl_map_set(m, "b", tmpl_int(&a, 3)));
	cr_assert(tmpl_map_set(m, "a", tmpl_int(&a, 4)));
	cr_assert_eq(m->count, 3);
	for (it = m->head; it != NULL; it = it->next)
		order[n++] = it->key[0];
	cr_assert_str_eq(order, "cab");
	cr_assert_str_eq(tmpl_map_get(m, "a")->s, "4");
	cr_assert_null(tmpl_map_get(m, "d"));
	cr_assert_null(tmpl_map_get(tmpl_int(&a, 1), "a"));
	cr_assert_null(tmpl_map_get(NULL, "a"));
	arena_free(&a);
}

Test(tmpl, values_lost_to_the_arena_ceiling_fail_the_render)
{
	struct tmpl_value *m, *l, *big;
	struct arena a;
	struct buf out;
	struct tmpl *t;
	char text[600];
	size_t i;

	arena_init(&a, 256, 2048);
	m = tmpl_map(&a);
	l = tmpl_list(&a);
	cr_assert(tmpl_map_set(m, "name", tmpl_str(&a, "ok")));
	cr_assert(tmpl_map_set(m, "l", l));
	big = tmpl_map(&a);
	cr_assert(tmpl_map_set(m, "big", big));
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	/* Fill the arena: sooner or later a string and then the insertion itself fail. */
	for (i = 0; i < 10 && !big->incomplete; i++)
		(void)tmpl_map_set(big, i % 2 ? "k" : "j", tmpl_str(&a, text));
	cr_assert(big->incomplete);
	cr_assert_null(tmpl_str(&a, text));
	while (tmpl_map(&a) != NULL)
		;
	cr_assert_not(tmpl_list_push(l, tmpl_str(&a, text)));
	cr_assert(l->incomplete);
	cr_assert_not(tmpl_list_push(NULL, tmpl_null()));
	cr_assert_not(tmpl_map_set(NULL, "a", tmpl_null()));

	/* What was kept renders; reading anything incomplete is ERR_TOOBIG. */
	expect_render("{{name}}", m, NULL, "ok");
	buf_init(&out, 0);
	buf_puts(&out, "before");
	t = compile("{{name}}{{#l}}x{{/l}}");
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_TOOBIG);
	cr_assert_str_eq(out.p, "before");
	tmpl_free(t);
	t = compile("{{#big}}{{name}}{{/big}}");
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_TOOBIG);
	cr_assert_eq(tmpl_render(t, NULL, NULL, &out), ERR_TOOBIG);
	cr_assert_str_eq(out.p, "before");
	tmpl_free(t);
	buf_free(&out);
	arena_free(&a);
}

Test(tmpl, compile_errors_name_the_line)
{
	expect_compile_error("{{#a}}", "line 1: the section \"a\" is never closed");
	expect_compile_error("x\n{{#a}}\n{{#b}}{{/b}}\n",
			     "line 2: the section \"a\" is never closed");
	expect_compile_error("x\n{{#a}}\n{{/b}}",
			     "line 3: \"/b\" closes the section \"a\" of line 2");
	expect_compile_error("{{^a}}{{/a}}\n\n{{/a}}", "line 3: \"/a\" closes no section");
	expect_compile_error("a\n\n{{x", "line 3: unclosed tag (no \"}}\" after \"{{\")");
	expect_compile_error("{{{x}}", "line 1: unclosed tag (no \"}}\" after \"{{\")");
	expect_compile_error("{{=<% %>=}}\n<%x%}", "line 2: unclosed tag (no \"%>\" after \"<%\")");
	expect_compile_error("{{! never closed", "line 1: unclosed tag (no \"}}\" after \"{{\")");
	expect_compile_error("\n{{= a =}}",
			     "line 2: bad set-delimiter tag (want two delimiters, as in "
			     "{{=<% %>=}})");
	expect_compile_error("{{=a b c=}}", "line 1: bad set-delimiter tag (want two delimiters, "
					    "as in {{=<% %>=}})");
	expect_compile_error("{{=a b}}", "line 1: unclosed tag (no \"}}\" after \"{{\")");
	expect_compile_error("{{}}", "line 1: empty tag");
	expect_compile_error("{{#  }}{{/}}", "line 1: empty tag");
	expect_compile_error("{{> }}", "line 1: empty tag");
	expect_compile_error("{{a b}}", "line 1: the name \"a b\" contains whitespace");
	expect_compile_error("{{a..b}}", "line 1: empty part in the name \"a..b\"");
	expect_compile_error("{{#.a}}{{/.a}}", "line 1: empty part in the name \".a\"");
	expect_compile_error("{{a.}}", "line 1: empty part in the name \"a.\"");
}

Test(tmpl, compile_error_messages_fit_any_buffer)
{
	struct tmpl *t;
	char msg[12];

	cr_assert_eq(tmpl_compile("{{#a}}", 6, &t, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "line 1: the");
	cr_assert_eq(tmpl_compile("{{#a}}", 6, &t, NULL, 0), ERR_INPUT);
	cr_assert_null(t);
}

Test(tmpl, section_nesting_is_capped)
{
	char text[TMPL_MAX_NEST * 12 + 1], deeper[sizeof(text) + 12];
	struct tmpl *t;
	char msg[128];
	size_t n = 0;
	int i;

	for (i = 0; i < TMPL_MAX_NEST; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{#a}}");
	for (i = 0; i < TMPL_MAX_NEST; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{/a}}");
	cr_assert_eq(tmpl_compile(text, n, &t, msg, sizeof(msg)), ERR_OK, "%s", msg);
	tmpl_free(t);
	n = (size_t)snprintf(deeper, sizeof(deeper), "{{#a}}%s{{/a}}", text);
	cr_assert_eq(tmpl_compile(deeper, n, &t, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "line 1: sections nested deeper than 64");
}

Test(tmpl, empty_and_text_only_templates)
{
	static const char text[] = "Hello, {world}!\n  { {{! gone }}}\r\n\tlast line";
	struct tmpl *t;
	struct buf out;

	cr_assert_eq(tmpl_compile(NULL, 0, &t, NULL, 0), ERR_OK);
	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(t, tmpl_null(), NULL, &out), ERR_OK);
	cr_assert_eq(out.len, 0);
	tmpl_free(t);
	expect_render("", tmpl_null(), NULL, "");
	expect_render("Hello, {world}!\n  } {\r\n\tlast line", tmpl_null(), NULL,
		      "Hello, {world}!\n  } {\r\n\tlast line");
	expect_render(text, tmpl_null(), NULL, "Hello, {world}!\n  { }\r\n\tlast line");
	buf_free(&out);
	tmpl_free(NULL);
}

Test(tmpl, buffer_ceiling_is_err_toobig_and_leaves_out_unchanged)
{
	struct tmpl_value *m;
	struct arena a;
	struct buf out;
	struct tmpl *t;

	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	tmpl_map_set(m, "x", tmpl_str(&a, "<<<<"));
	t = compile("0123{{x}}");
	/* "0123" + 16 escaped bytes = 20. */
	buf_init(&out, 20);
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_OK);
	cr_assert_str_eq(out.p, "0123&lt;&lt;&lt;&lt;");
	buf_free(&out);
	buf_init(&out, 19);
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_TOOBIG);
	cr_assert_eq(out.len, 0);
	cr_assert(out.overflow);
	buf_free(&out);
	buf_init(&out, 10);
	buf_puts(&out, "abc");
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_TOOBIG);
	cr_assert_str_eq(out.p, "abc");
	buf_free(&out);
	tmpl_free(t);
	arena_free(&a);
}

/* A partials table over fixed arrays, to test the callback on its own. */
struct table {
	const char *const *names;
	struct tmpl **t;
	size_t n;
};

static const struct tmpl *table_find(const void *arg, const char *name, size_t len)
{
	const struct table *tb = arg;
	size_t i;

	for (i = 0; i < tb->n; i++)
		if (strlen(tb->names[i]) == len && memcmp(tb->names[i], name, len) == 0)
			return tb->t[i];
	return NULL;
}

Test(tmpl, partials_come_from_a_callback)
{
	static const char *const names[] = {"a", "b"};
	struct tmpl *ts[2];
	struct table tb = {names, ts, 2};
	struct tmpl_partials p = {table_find, &tb};

	ts[0] = compile("A{{>b}}");
	ts[1] = compile("B");
	expect_render("[{{>a}}|{{>c}}]", tmpl_null(), &p, "[AB|]");
	expect_render("[{{>a}}]", tmpl_null(), NULL, "[]");
	tmpl_free(ts[0]);
	tmpl_free(ts[1]);
}

Test(tmpl, standalone_partials_indent_every_line_of_their_source)
{
	struct tmpl_set *s = tmpl_set_new();
	struct tmpl_partials p = tmpl_set_partials(s);
	struct tmpl_value *m, *l;
	struct arena a;

	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	l = tmpl_list(&a);
	tmpl_list_push(l, tmpl_str(&a, "x\ny"));
	tmpl_list_push(l, tmpl_str(&a, "z"));
	tmpl_map_set(m, "l", l);
	set_add(s, "outer", "o1\n  {{>inner}}\no2\n");
	set_add(s, "inner", "i1\n{{#l}}\n- {{.}}\n{{/l}}\ni2\n");
	set_add(s, "inline", "a\nb{{>inner}}c\n");
	/* Indentation adds up; values' own newlines are not indented; standalone lines
	 * inside the partial vanish with their indentation. */
	expect_render("|\n  {{>outer}}\n|", m, &p,
		      "|\n  o1\n    i1\n    - x\ny\n    - z\n    i2\n  o2\n|");
	/* A partial within a line is pasted without indentation, even inside an indented
	 * one. */
	expect_render("\t{{>inline}}\n", m, &p, "\ta\n\tbi1\n- x\ny\n- z\ni2\nc\n");
	tmpl_set_free(s);
	arena_free(&a);
}

Test(tmpl, partial_depth_is_capped)
{
	struct tmpl_set *s = tmpl_set_new();
	struct tmpl_partials p = tmpl_set_partials(s);
	char name[16], text[32];
	struct buf out;
	struct tmpl *t;
	int i;

	/* d1 includes d2 ... d64 includes d65, which says "deep". */
	for (i = 1; i <= TMPL_MAX_DEPTH + 1; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		if (i == TMPL_MAX_DEPTH + 1)
			snprintf(text, sizeof(text), "deep");
		else
			snprintf(text, sizeof(text), "{{>d%d}}", i + 1);
		set_add(s, name, text);
	}
	expect_render("{{>d2}}", tmpl_null(), &p, "deep"); /* 64 nested */
	t = compile("{{>d1}}");
	buf_init(&out, 0);
	buf_puts(&out, "kept");
	cr_assert_eq(tmpl_render(t, tmpl_null(), &p, &out), ERR_LIMIT); /* 65 nested */
	cr_assert_str_eq(out.p, "kept");
	tmpl_free(t);

	/* Self-inclusion, direct or through another partial, fails quickly. */
	set_add(s, "self", "x{{>self}}{{>self}}");
	set_add(s, "ping", "{{#.}}{{>pong}}{{/.}}");
	set_add(s, "pong", "{{>ping}}");
	cr_assert_eq(tmpl_set_render(s, "self", tmpl_null(), &out), ERR_LIMIT);
	cr_assert_eq(tmpl_set_render(s, "ping", tmpl_bool(true), &out), ERR_LIMIT);
	cr_assert_str_eq(out.p, "kept");
	buf_free(&out);
	tmpl_set_free(s);
}

Test(tmpl, deepest_nesting_of_sections_and_partials_fails_cleanly)
{
	struct tmpl_set *s = tmpl_set_new();
	char text[TMPL_MAX_NEST * 12 + 32];
	struct buf out;
	size_t n = 0;
	int i;

	/* 64 sections deep, then the partial again: 64 x 64 sections on the C stack. */
	for (i = 0; i < TMPL_MAX_NEST; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{#.}}");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "{{>deep}}");
	for (i = 0; i < TMPL_MAX_NEST; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "{{/.}}");
	cr_assert_lt(n, sizeof(text));
	set_add(s, "deep", text);
	buf_init(&out, 0);
	cr_assert_eq(tmpl_set_render(s, "deep", tmpl_bool(true), &out), ERR_LIMIT);
	cr_assert_eq(out.len, 0);
	buf_free(&out);
	tmpl_set_free(s);
}

Test(tmpl, set_add_rejects_duplicates_and_bad_templates)
{
	struct tmpl_set *s = tmpl_set_new();
	char msg[128];
	struct buf out;

	set_add(s, "page", "P{{>part}}");
	set_add(s, "part", "Q");
	cr_assert_eq(tmpl_set_add(s, "page", "x", 1, msg, sizeof(msg)), ERR_CONFLICT);
	cr_assert_str_eq(msg, "page: a template of that name is already loaded");
	cr_assert_eq(tmpl_set_add(s, "bad", "\n{{#x}}", strlen("\n{{#x}}"), msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_str_eq(msg, "bad: line 2: the section \"x\" is never closed");
	cr_assert_eq(tmpl_set_count(s), 2);
	cr_assert_null(tmpl_set_get(s, "bad"));
	buf_init(&out, 0);
	cr_assert_eq(tmpl_set_render(s, "missing", tmpl_null(), &out), ERR_NOTFOUND);
	cr_assert_eq(out.len, 0);
	cr_assert_eq(tmpl_set_render(s, "page", tmpl_null(), &out), ERR_OK);
	cr_assert_str_eq(out.p, "PQ");
	buf_free(&out);
	tmpl_set_free(s);
	tmpl_set_free(NULL);
}

Test(tmpl, set_load_compiles_a_folder_tree)
{
	struct tmpl_set *s = (struct tmpl_set *)1;
	char dir[256], path[512], msg[512];
	struct tmpl_value *m;
	struct arena a;
	struct buf out;

	fx_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/portal", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/portal/deep", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.git", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/layout.mustache", dir);
	fx_write_file(path, "<title>{{title}}</title>\n{{>portal/keys}}");
	snprintf(path, sizeof(path), "%s/portal/keys.mustache", dir);
	fx_write_file(path, "{{#keys}}<li>{{.}}</li>{{/keys}}{{>portal/deep/empty}}");
	snprintf(path, sizeof(path), "%s/portal/deep/empty.mustache", dir);
	fx_write_file(path, "");
	snprintf(path, sizeof(path), "%s/portal/style.css", dir);
	fx_write_file(path, "{{#broken");
	snprintf(path, sizeof(path), "%s/.hidden.mustache", dir);
	fx_write_file(path, "{{#broken");
	snprintf(path, sizeof(path), "%s/.git/x.mustache", dir);
	fx_write_file(path, "{{#broken");
	snprintf(path, sizeof(path), "%s/.mustache", dir);
	fx_write_file(path, "{{#broken");

	cr_assert_eq(tmpl_set_load(dir, &s, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_eq(tmpl_set_count(s), 3);
	cr_assert_not_null(tmpl_set_get(s, "layout"));
	cr_assert_not_null(tmpl_set_get(s, "portal/keys"));
	cr_assert_not_null(tmpl_set_get(s, "portal/deep/empty"));
	cr_assert_null(tmpl_set_get(s, "portal/style"));
	arena_init(&a, 4096, 0);
	m = tmpl_map(&a);
	tmpl_map_set(m, "title", tmpl_str(&a, "Keys & co"));
	tmpl_map_set(m, "keys", tmpl_list(&a));
	tmpl_list_push((struct tmpl_value *)tmpl_map_get(m, "keys"), tmpl_str(&a, "k1"));
	buf_init(&out, 0);
	cr_assert_eq(tmpl_set_render(s, "layout", m, &out), ERR_OK);
	cr_assert_str_eq(out.p, "<title>Keys &amp; co</title>\n<li>k1</li>");
	buf_free(&out);
	tmpl_set_free(s);

	/* One bad template fails the whole load, naming it and its line. */
	snprintf(path, sizeof(path), "%s/portal/deep/bad.mustache", dir);
	fx_write_file(path, "ok\nok\n{{/nothing}}\n");
	cr_assert_eq(tmpl_set_load(dir, &s, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_null(s);
	cr_assert_str_eq(msg, "portal/deep/bad: line 3: \"/nothing\" closes no section");
	fx_rmtree(dir);

	cr_assert_eq(tmpl_set_load(dir, &s, msg, sizeof(msg)), ERR_SYS);
	cr_assert_null(s);
	cr_assert(strstr(msg, dir) != NULL && strstr(msg, "No such file") != NULL, "%s", msg);
	arena_free(&a);
}

Test(tmpl, set_load_refuses_files_over_the_ceiling)
{
	char dir[256], path[512], msg[512];
	struct tmpl_set *s;
	FILE *f;

	fx_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/huge.mustache", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, TMPL_MAX_FILE, SEEK_SET), 0);
	cr_assert_eq(fputc('x', f), 'x');
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(tmpl_set_load(dir, &s, msg, sizeof(msg)), ERR_TOOBIG);
	cr_assert_null(s);
	cr_assert(strstr(msg, "huge.mustache: larger than") != NULL, "%s", msg);
	fx_rmtree(dir);
}

Test(tmpl, renders_long_lists_in_linear_time)
{
	struct tmpl_value *m, *l, *row;
	struct arena a;
	struct buf out;
	struct tmpl *t;
	int i;

	arena_init(&a, 1 << 16, 0);
	m = tmpl_map(&a);
	l = tmpl_list(&a);
	for (i = 0; i < 20000; i++) {
		row = tmpl_map(&a);
		tmpl_map_set(row, "id", tmpl_int(&a, i));
		tmpl_map_set(row, "name", tmpl_str(&a, "n<"));
		tmpl_list_push(l, row);
	}
	tmpl_map_set(m, "rows", l);
	tmpl_map_set(m, "title", tmpl_str(&a, "T"));
	t = compile("{{#rows}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{title}}</td></tr>\n"
		    "{{/rows}}");
	buf_init(&out, 0);
	cr_assert_eq(tmpl_render(t, m, NULL, &out), ERR_OK);
	cr_assert(strstr(out.p, "<tr><td>19999</td><td>n&lt;</td><td>T</td></tr>\n") != NULL);
	buf_free(&out);
	tmpl_free(t);
	arena_free(&a);
}
