/* Stripe: webhook signatures (the vectors are HMAC-SHA256 computed independently, with
 * Python's hmac) and form encoding. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "../../app/billing/stripe.h"

#define BODY "{\"id\":\"evt_1\"}"
#define GOOD "248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a"
#define OLD  "ef1b1b7e4b312671a75ef2a03e10529f7834a6528a49db77ad6568c8c8017843"
#define NOW  1700000000

static bool ok(const char *header, const char *body, const char *secrets, int64_t now)
{
	return stripe_signature_ok(header, body, strlen(body), secrets, now, STRIPE_TOLERANCE_S);
}

static void init(void)
{
	cr_assert_geq(sodium_init(), 0);
}

Test(stripe, a_valid_signature_is_accepted, .init = init)
{
	cr_assert(ok("t=1700000000,v1=" GOOD, BODY, "whsec_test_secret", NOW));
	/* v0 (test mode's fake signature) and unknown schemes are ignored, spaces too. */
	cr_assert(ok("t=1700000000, v0=abcd, v1=" GOOD ", x=1", BODY, "whsec_test_secret", NOW));
}

Test(stripe, any_v1_may_match_and_any_secret_while_rolling, .init = init)
{
	cr_assert(ok("t=1700000000,v1=" OLD ",v1=" GOOD, BODY, "whsec_test_secret", NOW));
	cr_assert(ok("t=1700000000,v1=" OLD, BODY, "whsec_test_secret,whsec_old", NOW));
	cr_assert(ok("t=1700000000,v1=" GOOD, BODY, "whsec_old, whsec_test_secret", NOW));
}

Test(stripe, a_tampered_body_or_wrong_secret_is_refused, .init = init)
{
	cr_assert_not(ok("t=1700000000,v1=" GOOD, "{\"id\":\"evt_2\"}", "whsec_test_secret", NOW));
	cr_assert_not(ok("t=1700000000,v1=" GOOD, BODY, "whsec_other", NOW));
	cr_assert_not(ok("t=1700000001,v1=" GOOD, BODY, "whsec_test_secret", NOW));
	cr_assert_not(ok("t=1700000000,v0=" GOOD, BODY, "whsec_test_secret", NOW));
	cr_assert_not(ok("v1=" GOOD, BODY, "whsec_test_secret", NOW));
	cr_assert_not(ok("t=1700000000", BODY, "whsec_test_secret", NOW));
	cr_assert_not(ok("t=1700000000,v1=" GOOD, BODY, "", NOW));
	cr_assert_not(ok("t=1700000000,v1=" GOOD "00", BODY, "whsec_test_secret", NOW));
	cr_assert_not(ok("t=x,v1=" GOOD, BODY, "whsec_test_secret", NOW));
	cr_assert_not(ok("", BODY, "whsec_test_secret", NOW));
	cr_assert_not(stripe_signature_ok(NULL, BODY, strlen(BODY), "whsec_test_secret", NOW, 300));
}

Test(stripe, the_timestamp_must_be_within_tolerance, .init = init)
{
	cr_assert(ok("t=1700000000,v1=" GOOD, BODY, "whsec_test_secret", NOW + 300));
	cr_assert_not(ok("t=1700000000,v1=" GOOD, BODY, "whsec_test_secret", NOW + 301));
	cr_assert_not(ok("t=1700000000,v1=" GOOD, BODY, "whsec_test_secret", NOW - 301));
}

Test(stripe, forms_are_percent_encoded)
{
	struct buf b;

	buf_init(&b, 0);
	stripe_form_add(&b, "line_items[0][price]", "price_1");
	stripe_form_add(&b, "success_url", "http://x/p?a=1&b=2 c");
	cr_assert_str_eq(b.p, "line_items%5B0%5D%5Bprice%5D=price_1&success_url=http%3A%2F%2Fx%2Fp"
			      "%3Fa%3D1%26b%3D2%20c");
	buf_free(&b);
}
