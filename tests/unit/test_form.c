/* lib/form, lib/cookie and the password hashes the portal's forms and sessions stand on. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../lib/arena.h"
#include "../../lib/cookie.h"
#include "../../lib/cryptox.h"
#include "../../lib/form.h"

static struct arena a;

static void setup(void)
{
	arena_init(&a, 4096, 64 * 1024);
}

static void teardown(void)
{
	arena_free(&a);
}

TestSuite(form, .init = setup, .fini = teardown);

Test(form, fields_are_decoded_in_order_with_repeats_kept)
{
	struct form f;
	const char *bad, *why;

	cr_assert_eq(form_parse(&a, str_c("email=ann%40example.com&name=Ann+Lee&x&y=&x=2"), true,
				&f, &bad, &why),
		     ERR_OK);
	cr_assert_eq(f.n, 5);
	cr_assert_str_eq(form_get(&f, "email"), "ann@example.com");
	cr_assert_str_eq(form_get(&f, "name"), "Ann Lee");
	cr_assert_str_eq(form_get(&f, "x"), "", "the first x has no value");
	cr_assert_str_eq(form_get(&f, "y"), "");
	cr_assert_eq(form_count(&f, "x"), 2);
	cr_assert_null(form_get(&f, "missing"));
	cr_assert_str_eq(f.f[4].value, "2");
}

Test(form, plus_stays_a_plus_in_query_strings)
{
	struct form f;
	const char *bad, *why;

	cr_assert_eq(
	    form_parse(&a, str_c("since=2026-01-01T00:00:00+02:00"), false, &f, &bad, &why),
	    ERR_OK);
	cr_assert_str_eq(form_get(&f, "since"), "2026-01-01T00:00:00+02:00");
}

Test(form, empty_pairs_are_skipped)
{
	struct form f;
	const char *bad, *why;

	cr_assert_eq(form_parse(&a, str_c("&&a=1&&"), true, &f, &bad, &why), ERR_OK);
	cr_assert_eq(f.n, 1);
	cr_assert_eq(form_parse(&a, str_c(""), true, &f, &bad, &why), ERR_OK);
	cr_assert_eq(f.n, 0);
}

Test(form, bad_escapes_and_nuls_are_refused_with_the_field_named)
{
	static const struct {
		const char *in, *bad, *why;
	} cases[] = {
	    {"ok=1&name=%zz", "name", "has an invalid %-escape"},
	    {"name=abc%4", "name", "has an incomplete %-escape"},
	    {"name=%", "name", "has an incomplete %-escape"},
	    {"name=a%00b", "name", "contains a NUL"},
	    {"na%2", "na%2", "has an incomplete %-escape"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct form f;
		const char *bad, *why;

		cr_assert_eq(form_parse(&a, str_c(cases[i].in), true, &f, &bad, &why), ERR_INPUT,
			     "%s", cases[i].in);
		cr_assert_str_eq(bad, cases[i].bad, "%s", cases[i].in);
		cr_assert_str_eq(why, cases[i].why, "%s", cases[i].in);
	}
}

Test(form, more_fields_than_the_limit_are_refused)
{
	char text[FORM_MAX_FIELDS * 4 + 8] = "";
	struct form f;
	const char *bad, *why;
	size_t i;

	for (i = 0; i <= FORM_MAX_FIELDS; i++)
		strcat(text, "a=1&");
	cr_assert_eq(form_parse(&a, str_c(text), true, &f, &bad, &why), ERR_INPUT);
	cr_assert_str_eq(why, "is one field too many");
	text[strlen(text) - 4] = '\0';
	cr_assert_eq(form_parse(&a, str_c(text), true, &f, &bad, &why), ERR_OK);
	cr_assert_eq(f.n, FORM_MAX_FIELDS);
}

Test(form, a_full_arena_is_toobig_not_input)
{
	struct arena small;
	char big[4096];
	struct form f;
	const char *bad, *why;

	memset(big, 'x', sizeof big - 1);
	big[0] = 'a';
	big[1] = '=';
	big[sizeof big - 1] = '\0';
	arena_init(&small, 256, 512);
	cr_assert_eq(form_parse(&small, str_c(big), true, &f, &bad, &why), ERR_TOOBIG);
	arena_free(&small);
}

Test(cookie, the_named_cookie_is_found_among_others)
{
	struct str v;

	cr_assert(cookie_get("a=1; tg_session=abc.def;b=2", "tg_session", &v));
	cr_assert_eq(v.len, 7);
	cr_assert_eq(memcmp(v.p, "abc.def", 7), 0);
	cr_assert(cookie_get("tg_session=\"quoted\"", "tg_session", &v));
	cr_assert_eq(v.len, 6);
	cr_assert(cookie_get("x=1;  b = 2 ", "b", &v));
	cr_assert_eq(v.len, 1);
	cr_assert_eq(v.p[0], '2');
}

Test(cookie, absent_and_lookalike_names_are_not_found)
{
	struct str v;

	cr_assert_not(cookie_get(NULL, "s", &v));
	cr_assert_not(cookie_get("", "s", &v));
	cr_assert_not(cookie_get("ss=1; s2=2; S=3", "s", &v), "names are exact and case-sensitive");
	cr_assert_not(cookie_get("s", "s", &v), "a name without '=' is no cookie");
	cr_assert_eq(v.len, 0);
}

Test(cookie, set_cookie_carries_the_careful_attributes)
{
	char out[256];

	cr_assert(cookie_format(out, sizeof out, "tg_session", "abc", 3600, true));
	cr_assert_str_eq(out,
			 "tg_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure");
	cr_assert(cookie_format(out, sizeof out, "tg_session", "", 0, false));
	cr_assert_str_eq(out, "tg_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
	cr_assert(cookie_format(out, sizeof out, "s", "v", -1, false));
	cr_assert_str_eq(out, "s=v; Path=/; HttpOnly; SameSite=Lax");
}

Test(cookie, unsafe_names_values_and_small_buffers_are_refused)
{
	char out[32];

	cr_assert_not(cookie_format(out, sizeof out, "", "v", 1, false));
	cr_assert_not(cookie_format(out, sizeof out, "a=b", "v", 1, false));
	cr_assert_not(cookie_format(out, sizeof out, "s", "v;Domain=evil", 1, false));
	cr_assert_not(cookie_format(out, sizeof out, "s", "a b", 1, false));
	cr_assert_not(cookie_format(out, sizeof out, "s", "a\r\nSet-Cookie:x", 1, false));
	cr_assert_not(
	    cookie_format(out, sizeof out, "s", "0123456789012345678901234567890", 1, false));
}

Test(pwhash, a_password_verifies_against_its_hash_and_nothing_else)
{
	char h[CRYPTOX_PWHASH_LEN], h2[CRYPTOX_PWHASH_LEN];

	cr_assert_eq(cryptox_pwhash("correct horse", 13, h), ERR_OK);
	cr_assert_eq(strncmp(h, "$argon2id$", 10), 0, "got %s", h);
	cr_assert(cryptox_pwhash_verify(h, "correct horse", 13));
	cr_assert_not(cryptox_pwhash_verify(h, "correct hors", 12));
	cr_assert_not(cryptox_pwhash_verify(h, "Correct horse", 13));
	cr_assert_not(cryptox_pwhash_verify("not a hash", "correct horse", 13));
	cr_assert_not(cryptox_pwhash_needs_rehash(h));
	cr_assert_eq(cryptox_pwhash("correct horse", 13, h2), ERR_OK);
	cr_assert_str_neq(h, h2, "each hash has its own salt");
}
