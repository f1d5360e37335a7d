/* jsonx: the streaming writer's exact output, and the parser's limits and getters. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/jsonx.h"

Test(jsonx, writer_builds_nested_objects_and_arrays)
{
	struct jsonx_w w;
	struct buf b;

	buf_init(&b, 0);
	jsonx_w_init(&w, &b);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "a", "x");
	jsonx_key(&w, "b");
	jsonx_arr_open(&w);
	jsonx_int(&w, 1);
	jsonx_bool(&w, true);
	jsonx_null(&w);
	jsonx_obj_open(&w);
	jsonx_kint(&w, "c", -5);
	jsonx_key(&w, "e");
	jsonx_arr_open(&w);
	jsonx_arr_close(&w);
	jsonx_obj_close(&w);
	jsonx_str(&w, NULL);
	jsonx_arr_open(&w);
	jsonx_strn(&w, "hello", 4);
	jsonx_arr_close(&w);
	jsonx_arr_close(&w);
	jsonx_kbool(&w, "d", false);
	jsonx_key(&w, "o");
	jsonx_obj_open(&w);
	jsonx_obj_close(&w);
	jsonx_kint(&w, "min", INT64_MIN);
	jsonx_obj_close(&w);
	cr_assert_str_eq(b.p,
			 "{\"a\":\"x\",\"b\":[1,true,null,{\"c\":-5,\"e\":[]},null,[\"hell\"]],"
			 "\"d\":false,\"o\":{},\"min\":-9223372036854775808}");
	cr_assert_eq(w.depth, 0);
	buf_free(&b);
}

Test(jsonx, writer_escapes_keys_and_values)
{
	struct jsonx_w w;
	struct buf b;

	buf_init(&b, 0);
	jsonx_w_init(&w, &b);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "k\"ey", "v\nal\\");
	jsonx_obj_close(&w);
	cr_assert_str_eq(b.p, "{\"k\\\"ey\":\"v\\nal\\\\\"}");
	buf_free(&b);
}

Test(jsonx, writer_top_level_array)
{
	struct jsonx_w w;
	struct buf b;

	buf_init(&b, 0);
	jsonx_w_init(&w, &b);
	jsonx_arr_open(&w);
	jsonx_int(&w, 0);
	jsonx_str(&w, "");
	jsonx_arr_open(&w);
	jsonx_arr_close(&w);
	jsonx_arr_close(&w);
	cr_assert_str_eq(b.p, "[0,\"\",[]]");
	buf_free(&b);
}

Test(jsonx, writer_output_parses_back)
{
	struct jsonx_doc *d;
	struct jsonx_w w;
	struct buf b;
	const char *s;
	int64_t i;
	char msg[256];

	buf_init(&b, 0);
	jsonx_w_init(&w, &b);
	jsonx_obj_open(&w);
	jsonx_key(&w, "outer");
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "s", "caf\xc3\xa9 \"q\"");
	jsonx_kint(&w, "n", 42);
	jsonx_obj_close(&w);
	jsonx_obj_close(&w);
	cr_assert_eq(jsonx_parse(b.p, b.len, &d, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert(jsonx_get_str(d, "outer.s", &s));
	cr_assert_str_eq(s, "caf\xc3\xa9 \"q\"");
	cr_assert(jsonx_get_int(d, "outer.n", &i));
	cr_assert_eq(i, 42);
	jsonx_doc_free(d);
	buf_free(&b);
}

static struct jsonx_doc *parse_ok(const char *text)
{
	struct jsonx_doc *d = NULL;
	char msg[256];

	cr_assert_eq(jsonx_parse(text, strlen(text), &d, msg, sizeof(msg)), ERR_OK, "%s: %s", text,
		     msg);
	cr_assert_not_null(d);
	return d;
}

/* Asserts that text is refused and returns the message (static storage). */
static const char *parse_bad(const char *text, size_t n)
{
	static char msg[256];
	struct jsonx_doc *d = (struct jsonx_doc *)&msg; /* must be cleared */

	cr_assert_eq(jsonx_parse(text, n, &d, msg, sizeof(msg)), ERR_INPUT, "accepted: %.*s",
		     (int)n, text);
	cr_assert_null(d, "out not cleared");
	cr_assert_neq(msg[0], '\0', "no message");
	return msg;
}

Test(jsonx, parse_accepts_objects)
{
	jsonx_doc_free(parse_ok("{}"));
	jsonx_doc_free(parse_ok(" { \"a\" : [1, {\"b\": null}] }\n"));
}

Test(jsonx, parse_uses_length_not_nul)
{
	struct jsonx_doc *d;
	int64_t v;
	char msg[256];

	/* The bytes after n are not part of the document. */
	cr_assert_eq(jsonx_parse("{\"a\":1}garbage", 7, &d, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert(jsonx_get_int(d, "a", &v));
	cr_assert_eq(v, 1);
	jsonx_doc_free(d);
}

Test(jsonx, parse_rejects_non_objects_at_top_level)
{
	parse_bad("[1,2]", 5);
	parse_bad("\"s\"", 3);
	parse_bad("42", 2);
	parse_bad("null", 4);
}

Test(jsonx, parse_rejects_duplicate_keys)
{
	parse_bad("{\"a\":1,\"a\":2}", 13);
	parse_bad("{\"o\":{\"k\":1,\"k\":1}}", 19);
}

Test(jsonx, parse_rejects_invalid_json_naming_the_line)
{
	static const char *const bad[] = {"",	   "{",		 "{\"a\":}",	"{\"a\":1,}",
					  "{a:1}", "{\"a\":1}}", "{\"a\":'x'}", "{\n\"a\": tru\n}"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *msg = parse_bad(bad[i], strlen(bad[i]));

		cr_assert(strstr(msg, "line") != NULL, "'%s': message '%s'", bad[i], msg);
	}
	cr_assert(strstr(parse_bad("{\n\"a\": tru\n}", 12), "line 2") != NULL);
}

Test(jsonx, parse_rejects_invalid_utf8)
{
	parse_bad("{\"a\":\"\xff\"}", 8);
}

/* {"a":[[[...]]]} with total depth levels of containers (the object counts as one). */
static char *nested(int depth)
{
	static char text[256];
	int i, n = 0;

	n += snprintf(text + n, sizeof(text) - (size_t)n, "{\"a\":");
	for (i = 1; i < depth; i++)
		text[n++] = '[';
	text[n++] = '1';
	for (i = 1; i < depth; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	return text;
}

Test(jsonx, parse_accepts_depth_limit_and_rejects_one_more)
{
	const char *msg;

	jsonx_doc_free(parse_ok(nested(JSONX_MAX_DEPTH)));
	msg = parse_bad(nested(JSONX_MAX_DEPTH + 1), strlen(nested(JSONX_MAX_DEPTH + 1)));
	cr_assert(strstr(msg, "deeper") != NULL, "%s", msg);
	parse_bad(nested(100), strlen(nested(100)));
}

Test(jsonx, parse_depth_counts_empty_innermost_containers)
{
	static char text[256];
	int i, n = 0;

	/* JSONX_MAX_DEPTH + 1 objects, the innermost empty. */
	for (i = 0; i < JSONX_MAX_DEPTH; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "{\"k\":");
	n += snprintf(text + n, sizeof(text) - (size_t)n, "{}");
	for (i = 0; i < JSONX_MAX_DEPTH; i++)
		text[n++] = '}';
	text[n] = '\0';
	parse_bad(text, (size_t)n);
}

static const char doc_text[] = "{\"s\":\"str\",\"i\":-7,\"f\":2.5,\"t\":true,\"z\":false,"
			       "\"n\":null,\"o\":{\"p\":{\"q\":\"deep\",\"k\":9}},\"arr\":[1]}";

Test(jsonx, getters_follow_dotted_paths)
{
	struct jsonx_doc *d = parse_ok(doc_text);
	const char *s;
	int64_t i;
	double f;
	bool b;

	cr_assert(jsonx_get_str(d, "s", &s));
	cr_assert_str_eq(s, "str");
	cr_assert(jsonx_get_str(d, "o.p.q", &s));
	cr_assert_str_eq(s, "deep");
	cr_assert(jsonx_get_int(d, "i", &i));
	cr_assert_eq(i, -7);
	cr_assert(jsonx_get_int(d, "o.p.k", &i));
	cr_assert_eq(i, 9);
	cr_assert(jsonx_get_num(d, "f", &f));
	cr_assert_float_eq(f, 2.5, 1e-12);
	cr_assert(jsonx_get_num(d, "i", &f), "integers are numbers too");
	cr_assert_float_eq(f, -7.0, 1e-12);
	cr_assert(jsonx_get_bool(d, "t", &b));
	cr_assert(b);
	cr_assert(jsonx_get_bool(d, "z", &b));
	cr_assert_not(b);
	cr_assert(jsonx_has(d, "n"));
	cr_assert(jsonx_has(d, "o.p"));
	cr_assert(jsonx_has(d, "arr"));
	jsonx_doc_free(d);
}

Test(jsonx, getters_return_false_for_missing_or_wrong_type)
{
	struct jsonx_doc *d = parse_ok(doc_text);
	const char *s = "x";
	int64_t i = 1;
	double f = 1;
	bool b = true;

	cr_assert_not(jsonx_get_str(d, "i", &s));
	cr_assert_null(s, "out not cleared");
	cr_assert_not(jsonx_get_str(d, "n", &s));
	cr_assert_not(jsonx_get_str(d, "o", &s));
	cr_assert_not(jsonx_get_int(d, "f", &i));
	cr_assert_eq(i, 0);
	cr_assert_not(jsonx_get_int(d, "s", &i));
	cr_assert_not(jsonx_get_int(d, "t", &i));
	cr_assert_not(jsonx_get_num(d, "s", &f));
	cr_assert_not(jsonx_get_num(d, "t", &f));
	cr_assert_not(jsonx_get_bool(d, "i", &b));
	cr_assert_not(b);
	cr_assert_not(jsonx_get_bool(d, "n", &b));
	cr_assert_not(jsonx_has(d, "missing"));
	cr_assert_not(jsonx_has(d, "o.p.missing"));
	cr_assert_not(jsonx_has(d, "s.x"), "a path through a string");
	cr_assert_not(jsonx_has(d, "arr.0"), "a path through an array");
	cr_assert_not(jsonx_get_str(d, "o.p.q.r", &s));
	cr_assert_not(jsonx_get_str(d, "o..q", &s));
	jsonx_doc_free(d);
	jsonx_doc_free(NULL); /* like free(NULL) */
}

Test(jsonx, getters_reject_overlong_path_segment)
{
	static char text[400], path[300];
	struct jsonx_doc *d;
	const char *s;

	memset(path, 'k', 200);
	path[200] = '\0';
	snprintf(text, sizeof(text), "{\"%s\":\"v\"}", path);
	d = parse_ok(text);
	/* Longer than the lookup's key buffer: not found rather than truncated or overrun. */
	cr_assert_not(jsonx_get_str(d, path, &s));
	jsonx_doc_free(d);
}

Test(jsonx, arrays_have_a_length_and_elements_as_documents)
{
	struct jsonx_doc *d =
	    parse_ok("{\"a\":[{\"k\":\"v\"},\"s\",3],\"o\":{\"x\":1,\"y\":2},\"n\":1}");
	struct jsonx_doc *e = NULL;
	const char *s;
	size_t n = 9;
	int64_t i;

	cr_assert(jsonx_get_len(d, "a", &n));
	cr_assert_eq(n, 3);
	cr_assert(jsonx_get_len(d, "o", &n));
	cr_assert_eq(n, 2);
	cr_assert(jsonx_get_len(d, "", &n), "the document itself");
	cr_assert_eq(n, 3);
	cr_assert_not(jsonx_get_len(d, "n", &n));
	cr_assert_eq(n, 0, "out not cleared");
	cr_assert_not(jsonx_get_len(d, "missing", &n));

	cr_assert(jsonx_get_elem(d, "a", 0, &e));
	jsonx_doc_free(d); /* the element outlives its document */
	cr_assert(jsonx_get_str(e, "k", &s));
	cr_assert_str_eq(s, "v");
	jsonx_doc_free(e);

	d = parse_ok("{\"a\":[{\"k\":\"v\"},\"s\",3],\"n\":1}");
	cr_assert(jsonx_get_elem(d, "a", 1, &e));
	cr_assert(jsonx_get_str(e, "", &s), "a scalar root is read with the empty path");
	cr_assert_str_eq(s, "s");
	jsonx_doc_free(e);
	cr_assert(jsonx_get_elem(d, "a", 2, &e));
	cr_assert(jsonx_get_int(e, "", &i));
	cr_assert_eq(i, 3);
	jsonx_doc_free(e);
	e = d;
	cr_assert_not(jsonx_get_elem(d, "a", 3, &e), "out of range");
	cr_assert_null(e, "out not cleared");
	cr_assert_not(jsonx_get_elem(d, "n", 0, &e), "not an array");
	cr_assert_not(jsonx_get_elem(d, "missing", 0, &e));
	jsonx_doc_free(d);
}

Test(jsonx, parse_errors_are_in_our_words_not_the_parsers)
{
	static const struct {
		const char *text;
		size_t len;
		const char *says;
	} cases[] = {
	    {"{\"a\":\"x\\u0000y\"}", 16, "NUL"}, {"{\"a\":1,\"a\":2}", 13, "appears twice"},
	    {"{\"a\":", 5, "ends before"},	  {"{} x", 4, "after the value"},
	    {"{\"a\":\xff}", 7, "UTF-8"},
	};
	struct jsonx_doc *d;
	char msg[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(jsonx_parse(cases[i].text, cases[i].len, &d, msg, sizeof(msg)),
			     ERR_INPUT);
		cr_assert_not_null(strstr(msg, cases[i].says), "%s: %s", cases[i].text, msg);
		cr_assert_null(strstr(msg, "JSON_"), "a parser flag leaked: %s", msg);
	}
}
