/* buf: the ceiling and its sticky overflow flag, printf, and JSON string escaping that
 * always yields valid JSON. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/jsonx.h"

Test(buf, append_grows_and_terminates)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	cr_assert(buf_append(&b, "", 0));
	cr_assert_str_eq(b.p, "");
	for (i = 0; i < 1000; i++)
		cr_assert(buf_puts(&b, "abc"));
	cr_assert_eq(b.len, 3000);
	cr_assert_eq(b.p[3000], '\0');
	cr_assert_eq(memcmp(b.p + 2997, "abc", 3), 0);
	cr_assert(buf_putc(&b, '!'));
	cr_assert_eq(b.p[3000], '!');
	buf_free(&b);
	cr_assert_null(b.p);
}

Test(buf, ceiling_sets_sticky_overflow_and_refuses_later_appends)
{
	struct buf b;

	buf_init(&b, 8);
	cr_assert(buf_puts(&b, "12345678"), "exactly max bytes must fit");
	cr_assert_not(b.overflow);
	cr_assert_not(buf_putc(&b, '9'));
	cr_assert(b.overflow);
	cr_assert_eq(b.len, 8);
	/* Sticky: even an append that would fit after a reset is refused now. */
	cr_assert_not(buf_append(&b, "", 0));
	cr_assert_not(buf_printf(&b, "%d", 1));
	cr_assert_not(buf_json_escape(&b, "x", 1));
	cr_assert_str_eq(b.p, "12345678");
	buf_reset(&b);
	cr_assert_not(b.overflow);
	cr_assert_eq(b.len, 0);
	cr_assert(buf_puts(&b, "ok"));
	cr_assert_str_eq(b.p, "ok");
	buf_free(&b);
}

Test(buf, overflowing_append_writes_nothing)
{
	struct buf b;

	buf_init(&b, 10);
	cr_assert(buf_puts(&b, "abcde"));
	cr_assert_not(buf_puts(&b, "fghijk"));
	cr_assert_eq(b.len, 5);
	cr_assert_str_eq(b.p, "abcde");
	buf_free(&b);
}

Test(buf, printf_formats_and_appends)
{
	struct buf b;

	buf_init(&b, 0);
	cr_assert(buf_printf(&b, "%s=%d", "n", 42));
	cr_assert(buf_printf(&b, ",%lld", (long long)INT64_MIN));
	cr_assert(buf_printf(&b, "%s", ""));
	cr_assert_str_eq(b.p, "n=42,-9223372036854775808");
	buf_free(&b);
}

Test(buf, printf_respects_ceiling)
{
	struct buf b;

	buf_init(&b, 10);
	cr_assert(buf_printf(&b, "%05d", 7));
	cr_assert_not(buf_printf(&b, "%s", "too long here"));
	cr_assert(b.overflow);
	cr_assert_str_eq(b.p, "00007");
	buf_free(&b);
}

Test(buf, printf_grows_past_initial_capacity)
{
	struct buf b;
	char big[1000];

	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 0);
	cr_assert(buf_printf(&b, "<%s>", big));
	cr_assert_eq(b.len, 1001);
	cr_assert_eq(b.p[0], '<');
	cr_assert_eq(b.p[1000], '>');
	buf_free(&b);
}

/* Escapes n bytes of s and returns the text (owned by b). */
static const char *escape(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	cr_assert(buf_json_escape(b, s, n));
	return b->p ? b->p : "";
}

/* Wraps the escaped bytes as {"a":"..."}, parses it, and checks member a equals want. */
static void assert_round_trip(const char *s, size_t n, const char *want)
{
	struct jsonx_doc *d;
	struct buf b;
	const char *got;
	char msg[256];

	buf_init(&b, 0);
	buf_puts(&b, "{\"a\":\"");
	cr_assert(buf_json_escape(&b, s, n));
	buf_puts(&b, "\"}");
	cr_assert_eq(jsonx_parse(b.p, b.len, &d, msg, sizeof(msg)), ERR_OK,
		     "escaped output is not valid JSON (%s): %s", msg, b.p);
	cr_assert(jsonx_get_str(d, "a", &got));
	cr_assert_str_eq(got, want);
	jsonx_doc_free(d);
	buf_free(&b);
}

Test(buf, json_escape_quotes_backslash_and_named_controls)
{
	struct buf b;

	buf_init(&b, 0);
	cr_assert_str_eq(escape(&b, "plain text", 10), "plain text");
	cr_assert_str_eq(escape(&b, "say \"hi\"", 8), "say \\\"hi\\\"");
	cr_assert_str_eq(escape(&b, "a\\b", 3), "a\\\\b");
	cr_assert_str_eq(escape(&b, "l1\nl2\r\tx", 8), "l1\\nl2\\r\\tx");
	cr_assert_str_eq(escape(&b, "/", 1), "/");
	cr_assert_str_eq(escape(&b, "", 0), "");
	buf_free(&b);
	assert_round_trip("say \"hi\"\\\n", 10, "say \"hi\"\\\n");
}

Test(buf, json_escape_other_controls_and_del_as_u00xx)
{
	struct buf b;

	buf_init(&b, 0);
	cr_assert_str_eq(escape(&b, "\x01", 1), "\\u0001");
	cr_assert_str_eq(escape(&b,
				"a\x1f"
				"b",
				3),
			 "a\\u001fb");
	cr_assert_str_eq(escape(&b, "\x7f", 1), "\\u007f");
	cr_assert_str_eq(escape(&b, "\b\f", 2), "\\u0008\\u000c");
	cr_assert_str_eq(escape(&b, "\0x", 2), "\\u0000x");
	buf_free(&b);
	assert_round_trip("\x01\x1f\x7f", 3, "\x01\x1f\x7f");
}

Test(buf, json_escape_keeps_valid_utf8)
{
	struct buf b;

	buf_init(&b, 0);
	cr_assert_str_eq(escape(&b, "caf\xc3\xa9", 5), "caf\xc3\xa9");		 /* é */
	cr_assert_str_eq(escape(&b, "\xe2\x82\xac", 3), "\xe2\x82\xac");	 /* € */
	cr_assert_str_eq(escape(&b, "\xf0\x9f\x98\x80", 4), "\xf0\x9f\x98\x80"); /* 😀 */
	cr_assert_str_eq(escape(&b, "\xf4\x8f\xbf\xbf", 4), "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
	cr_assert_str_eq(escape(&b, "\xed\x9f\xbf", 3), "\xed\x9f\xbf");	 /* U+D7FF */
	cr_assert_str_eq(escape(&b, "\xee\x80\x80", 3), "\xee\x80\x80");	 /* U+E000 */
	buf_free(&b);
	assert_round_trip("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
			  "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

#define R "\xef\xbf\xbd" /* U+FFFD once decoded */

Test(buf, json_escape_replaces_invalid_utf8_with_ufffd)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;     /* escaped */
		const char *decoded; /* what a JSON parser reads back */
	} cases[] = {
	    {"\xff", 1, "\\ufffd", R},
	    {"a\xff"
	     "b",
	     3, "a\\ufffdb", "a" R "b"},
	    {"\xe2\x82", 2, "\\ufffd\\ufffd", R R}, /* truncated at the end */
	    {"\xe2\x82"
	     "A",
	     3, "\\ufffd\\ufffdA", R R "A"},			 /* truncated before ASCII */
	    {"\xc0\x80", 2, "\\ufffd\\ufffd", R R},		 /* overlong NUL */
	    {"\xe0\x80\xaf", 3, "\\ufffd\\ufffd\\ufffd", R R R}, /* overlong '/' */
	    {"\xed\xa0\x80", 3, "\\ufffd\\ufffd\\ufffd", R R R}, /* surrogate U+D800 */
	    {"\xf4\x90\x80\x80", 4, "\\ufffd\\ufffd\\ufffd\\ufffd", R R R R}, /* > U+10FFFF */
	    {"\x80", 1, "\\ufffd", R}, /* lone continuation byte */
	    {"\xc3\xa9\xff\xc3\xa9", 5, "\xc3\xa9\\ufffd\xc3\xa9", "\xc3\xa9" R "\xc3\xa9"},
	};
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_str_eq(escape(&b, cases[i].in, cases[i].n), cases[i].out, "case %zu", i);
		assert_round_trip(cases[i].in, cases[i].n, cases[i].decoded);
	}
	buf_free(&b);
}

Test(buf, json_escape_of_every_byte_pair_is_valid_json)
{
	unsigned char in[3];
	unsigned a, c;

	/* Every two-byte input (NUL aside, which the parser refuses by policy), followed by
	 * a continuation byte to catch sequences that swallow too much. */
	for (a = 1; a < 256; a++) {
		for (c = 1; c < 256; c += 7) {
			struct jsonx_doc *d;
			struct buf b;
			char msg[256];

			in[0] = (unsigned char)a;
			in[1] = (unsigned char)c;
			in[2] = 0x80;
			buf_init(&b, 0);
			buf_puts(&b, "{\"a\":\"");
			buf_json_escape(&b, (const char *)in, 3);
			buf_puts(&b, "\"}");
			cr_assert_eq(jsonx_parse(b.p, b.len, &d, msg, sizeof(msg)), ERR_OK,
				     "bytes %02x %02x 80: %s", a, c, msg);
			jsonx_doc_free(d);
			buf_free(&b);
		}
	}
}

Test(buf, json_str_quotes_and_writes_null)
{
	struct buf b;

	buf_init(&b, 0);
	cr_assert(buf_json_str(&b, "a\"b"));
	cr_assert(buf_putc(&b, ','));
	cr_assert(buf_json_str(&b, NULL));
	cr_assert_str_eq(b.p, "\"a\\\"b\",null");
	buf_free(&b);
}

Test(buf, json_escape_reports_overflow)
{
	struct buf b;

	buf_init(&b, 4);
	cr_assert_not(buf_json_escape(&b, "\"\"\"", 3));
	cr_assert(b.overflow);
	cr_assert_leq(b.len, 4);
	buf_free(&b);
}
