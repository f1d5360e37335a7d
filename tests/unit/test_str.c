/* str: slices, trimming, cutting and the range-checked integer parser. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/str.h"

static enum err i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	return str_to_i64(str_c(s), min, max, out);
}

Test(str, to_i64_accepts_the_full_range)
{
	int64_t v = 1;

	cr_assert_eq(i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), ERR_OK);
	cr_assert_eq(v, INT64_MAX);
	cr_assert_eq(i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), ERR_OK);
	cr_assert_eq(v, INT64_MIN);
	cr_assert_eq(i64("0", INT64_MIN, INT64_MAX, &v), ERR_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(i64("-0", INT64_MIN, INT64_MAX, &v), ERR_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(i64("000123", INT64_MIN, INT64_MAX, &v), ERR_OK);
	cr_assert_eq(v, 123);
}

Test(str, to_i64_rejects_overflow_by_one)
{
	int64_t v = 1;

	cr_assert_eq(i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), ERR_INPUT);
	cr_assert_eq(v, 0, "out not cleared");
	v = 1;
	cr_assert_eq(i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), ERR_INPUT);
	cr_assert_eq(v, 0);
	cr_assert_eq(i64("18446744073709551616", INT64_MIN, INT64_MAX, &v), ERR_INPUT);
	cr_assert_eq(i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v), ERR_INPUT);
}

Test(str, to_i64_rejects_anything_but_digits_and_one_minus)
{
	static const char *const bad[] = {"",	 "-",	"+1",  " 1",  "1 ",  "1a", "a1",
					  "--1", "0x1", "1.0", "1e2", "-+1", "\t1"};
	size_t i;
	int64_t v;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(i64(bad[i], INT64_MIN, INT64_MAX, &v), ERR_INPUT, "'%s' accepted",
			     bad[i]);
}

Test(str, to_i64_enforces_min_and_max)
{
	int64_t v;

	cr_assert_eq(i64("10", 1, 10, &v), ERR_OK);
	cr_assert_eq(v, 10);
	cr_assert_eq(i64("1", 1, 10, &v), ERR_OK);
	cr_assert_eq(i64("11", 1, 10, &v), ERR_INPUT);
	cr_assert_eq(i64("0", 1, 10, &v), ERR_INPUT);
	cr_assert_eq(i64("-1", 0, 10, &v), ERR_INPUT);
	cr_assert_eq(i64("-9223372036854775808", INT64_MIN + 1, 0, &v), ERR_INPUT);
	cr_assert_eq(i64("9223372036854775807", 0, INT64_MAX - 1, &v), ERR_INPUT);
}

Test(str, to_i64_uses_only_the_slice)
{
	struct str s = {"12345", 2};
	int64_t v;

	cr_assert_eq(str_to_i64(s, 0, 100, &v), ERR_OK);
	cr_assert_eq(v, 12);
}

Test(str, cut_splits_at_first_separator)
{
	struct str s = str_c("a=b=c"), head;

	cr_assert(str_cut(&s, '=', &head));
	cr_assert(str_eq_c(head, "a"));
	cr_assert(str_eq_c(s, "b=c"));
	cr_assert(str_cut(&s, '=', &head));
	cr_assert(str_eq_c(head, "b"));
	cr_assert(str_eq_c(s, "c"));
	cr_assert_not(str_cut(&s, '=', &head));
	cr_assert(str_eq_c(head, "c"));
	cr_assert_eq(s.len, 0);
}

Test(str, cut_handles_edges)
{
	struct str s = str_c("=x"), head;

	cr_assert(str_cut(&s, '=', &head));
	cr_assert_eq(head.len, 0);
	cr_assert(str_eq_c(s, "x"));
	s = str_c("x=");
	cr_assert(str_cut(&s, '=', &head));
	cr_assert(str_eq_c(head, "x"));
	cr_assert_eq(s.len, 0);
	s = str_c("");
	cr_assert_not(str_cut(&s, '=', &head));
	cr_assert_eq(head.len, 0);
	cr_assert_eq(s.len, 0);
	/* The separator past the slice's end does not count. */
	s = (struct str){"ab=c", 2};
	cr_assert_not(str_cut(&s, '=', &head));
	cr_assert(str_eq_c(head, "ab"));
}

Test(str, trim_removes_spaces_and_tabs_only)
{
	cr_assert(str_eq_c(str_trim(str_c("  \tabc \t ")), "abc"));
	cr_assert(str_eq_c(str_trim(str_c("a b")), "a b"));
	cr_assert(str_eq_c(str_trim(str_c("\nabc\n")), "\nabc\n"));
	cr_assert_eq(str_trim(str_c("   ")).len, 0);
	cr_assert_eq(str_trim(str_c("")).len, 0);
}

Test(str, case_eq_ignores_ascii_case_only)
{
	cr_assert(str_case_eq_c(str_c("Bearer"), "bEARER"));
	cr_assert(str_case_eq_c(str_c(""), ""));
	cr_assert_not(str_case_eq_c(str_c("Bearer"), "Bearer "));
	cr_assert_not(str_case_eq_c(str_c("Bearerx"), "Bearer"));
	cr_assert_not(str_case_eq_c(str_c("a"), "b"));
	cr_assert_not(str_case_eq_c(str_c("@"), "`")); /* 0x40 vs 0x60: not letters */
	cr_assert_not(str_case_eq_c(str_c("\xc3\xa9"), "\xc3\x89"));
	cr_assert(str_case_has_prefix(str_c("BEARER xyz"), "bearer "));
	cr_assert_not(str_case_has_prefix(str_c("Bear"), "bearer"));
}

Test(str, eq_and_prefix_compare_bytes)
{
	cr_assert(str_eq(STR_LIT("abc"), str_c("abc")));
	cr_assert_not(str_eq(STR_LIT("abc"), str_c("abd")));
	cr_assert_not(str_eq(STR_LIT("abc"), str_c("ab")));
	cr_assert(str_eq(str_c(NULL), STR_LIT("")));
	cr_assert(str_has_prefix(str_c("tg_live_x"), "tg_live_"));
	cr_assert_not(str_has_prefix(str_c("tg_live"), "tg_live_"));
	cr_assert_not(str_has_prefix(str_c("TG_live_x"), "tg_live_"));
}

Test(str, copy_refuses_a_destination_too_small)
{
	char dst[4] = "zzz";

	cr_assert_eq(str_copy(str_c("abcd"), dst, sizeof(dst)), ERR_INPUT);
	cr_assert_str_eq(dst, "", "destination not emptied on failure");
	cr_assert_eq(str_copy(str_c("abc"), dst, sizeof(dst)), ERR_OK);
	cr_assert_str_eq(dst, "abc");
	cr_assert_eq(str_copy(str_c("abc"), dst, 0), ERR_INPUT);
	cr_assert_str_eq(dst, "abc", "zero-sized destination was written");
}

Test(str, lcpy_truncates_and_terminates)
{
	char dst[4];

	str_lcpy(dst, "abcdef", sizeof(dst));
	cr_assert_str_eq(dst, "abc");
	str_lcpy(dst, "x", sizeof(dst));
	cr_assert_str_eq(dst, "x");
}

Test(str, fmt_i64_writes_decimal_like_printf)
{
	static const int64_t cases[] = {0,	   1,	      -1, 9, 10, 99, 100, 1234567890123LL,
					INT64_MAX, INT64_MIN, -42};
	char got[24], want[32];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = str_fmt_i64(got, cases[i]);
		snprintf(want, sizeof(want), "%lld", (long long)cases[i]);
		cr_assert_str_eq(got, want);
		cr_assert_eq(n, strlen(want));
	}
}

Test(str, micros_are_written_with_six_decimals_and_a_sign)
{
	char out[32];

	str_fmt_micros(0, out, sizeof(out));
	cr_assert_str_eq(out, "0.000000");
	str_fmt_micros(15, out, sizeof(out));
	cr_assert_str_eq(out, "0.000015");
	str_fmt_micros(25000000, out, sizeof(out));
	cr_assert_str_eq(out, "25.000000");
	str_fmt_micros(-1500000, out, sizeof(out));
	cr_assert_str_eq(out, "-1.500000");
	str_fmt_micros(INT64_MIN, out, sizeof(out));
	cr_assert_str_eq(out, "-9223372036854.775808");
}
