/* problem: RFC 9457 bodies that parse back with every member. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../lib/jsonx.h"
#include "../../lib/problem.h"

static struct jsonx_doc *write_and_parse(const struct problem *p, struct buf *b)
{
	struct jsonx_doc *d;
	char msg[256];

	buf_init(b, 0);
	cr_assert(problem_write(b, p));
	cr_assert_eq(jsonx_parse(b->p, b->len, &d, msg, sizeof(msg)), ERR_OK, "%s: %s", msg, b->p);
	return d;
}

Test(problem, write_produces_every_member)
{
	static const struct problem_ext ext[] = {{"request_id", "req-1", 0},
						 {"retry_after", NULL, 30}};
	struct problem p = {"https://tollgate.dev/problems/rate-limited",
			    "Too many requests",
			    429,
			    "Slow down.",
			    "/v1/things",
			    ext,
			    2};
	struct jsonx_doc *d;
	struct buf b;
	const char *s;
	int64_t i;

	d = write_and_parse(&p, &b);
	cr_assert(jsonx_get_str(d, "type", &s));
	cr_assert_str_eq(s, "https://tollgate.dev/problems/rate-limited");
	cr_assert(jsonx_get_str(d, "title", &s));
	cr_assert_str_eq(s, "Too many requests");
	cr_assert(jsonx_get_int(d, "status", &i));
	cr_assert_eq(i, 429);
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert_str_eq(s, "Slow down.");
	cr_assert(jsonx_get_str(d, "instance", &s));
	cr_assert_str_eq(s, "/v1/things");
	cr_assert(jsonx_get_str(d, "request_id", &s));
	cr_assert_str_eq(s, "req-1");
	cr_assert(jsonx_get_int(d, "retry_after", &i));
	cr_assert_eq(i, 30);
	jsonx_doc_free(d);
	buf_free(&b);
}

Test(problem, null_type_becomes_about_blank_and_optional_members_are_left_out)
{
	struct problem p;
	struct jsonx_doc *d;
	struct buf b;
	const char *s;

	memset(&p, 0, sizeof(p));
	p.title = "Error";
	p.status = 500;
	d = write_and_parse(&p, &b);
	cr_assert(jsonx_get_str(d, "type", &s));
	cr_assert_str_eq(s, "about:blank");
	cr_assert_not(jsonx_has(d, "detail"));
	cr_assert_not(jsonx_has(d, "instance"));
	cr_assert_str_eq(b.p, "{\"type\":\"about:blank\",\"title\":\"Error\",\"status\":500}");
	jsonx_doc_free(d);
	buf_free(&b);
}

Test(problem, detail_with_quotes_and_newlines_is_escaped)
{
	struct problem p;
	struct jsonx_doc *d;
	struct buf b;
	const char *s;
	const char *detail = "line \"one\"\nline two\r\n\ttab \\ end";

	memset(&p, 0, sizeof(p));
	p.type = "about:blank";
	p.title = "Bad \"request\"";
	p.status = 400;
	p.detail = detail;
	d = write_and_parse(&p, &b);
	cr_assert(strstr(b.p, "\\\"one\\\"\\nline two\\r\\n\\ttab \\\\ end") != NULL, "%s", b.p);
	cr_assert_null(strchr(b.p, '\n'), "raw newline in output");
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert_str_eq(s, detail);
	cr_assert(jsonx_get_str(d, "title", &s));
	cr_assert_str_eq(s, "Bad \"request\"");
	jsonx_doc_free(d);
	buf_free(&b);
}

Test(problem, write_reports_overflow)
{
	struct problem p;
	struct buf b;

	memset(&p, 0, sizeof(p));
	p.title = "A title long enough to pass the ceiling";
	p.status = 400;
	buf_init(&b, 32);
	cr_assert_not(problem_write(&b, &p));
	cr_assert(b.overflow);
	buf_free(&b);
}
