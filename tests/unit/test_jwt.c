/* JWT callers: base64url, JWKS -> PEM, libjwt behind lib/jwtx, and the gate's checks
 * (app/gate/gate_jwt.c) through the router, on tokens signed once with throwaway keys
 * (tests/unit/jwt_vectors.h, made by gen_jwt_vectors.py). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../app/gate/gate_jwt.h"
#include "../../lib/cryptox.h"
#include "../../lib/jwk.h"
#include "../../lib/jwtx.h"
#include "fixture.h"
#include "jwt_vectors.h"

#define TENANT 7
#define KEY_ID 9001

/* ---- base64 ----------------------------------------------------------------------------- */

Test(cryptox_b64, url_decodes_without_padding_and_refuses_the_rest)
{
	unsigned char out[16];

	cr_assert_eq(cryptox_b64url_decode("aGk", 3, out, sizeof(out)), 2);
	cr_assert_eq(memcmp(out, "hi", 2), 0);
	cr_assert_eq(cryptox_b64url_decode("-_8", 3, out, sizeof(out)), 2);
	cr_assert_eq(out[0], 0xfb);
	cr_assert_eq(out[1], 0xff);
	cr_assert_eq(cryptox_b64url_decode("aGk=", 4, out, sizeof(out)), -1, "padding");
	cr_assert_eq(cryptox_b64url_decode("a+/A", 4, out, sizeof(out)), -1, "standard alphabet");
	cr_assert_eq(cryptox_b64url_decode("a", 1, out, sizeof(out)), -1, "six bits");
	cr_assert_eq(cryptox_b64url_decode("aGl", 3, out, sizeof(out)), -1, "stray bits");
	cr_assert_eq(cryptox_b64url_decode("aGVsbG8", 7, out, 4), -1, "does not fit");
}

Test(cryptox_b64, encodes_with_padding_and_wraps)
{
	char out[32];

	cr_assert_eq(cryptox_b64_encode((const unsigned char *)"hi", 2, 0, out, sizeof(out)), 4);
	cr_assert_str_eq(out, "aGk=");
	cr_assert_eq(cryptox_b64_encode((const unsigned char *)"hello!", 6, 4, out, sizeof(out)),
		     9);
	cr_assert_str_eq(out, "aGVs\nbG8h");
	cr_assert_eq(cryptox_b64_encode((const unsigned char *)"hello!", 6, 0, out, 8), -1);
}

/* ---- JWKS -> PEM -------------------------------------------------------------------------- */

Test(jwk, converts_a_jwks_to_the_pems_openssl_writes)
{
	char why[200], want[4096];
	struct buf out;
	size_t n = 0;

	buf_init(&out, 16384);
	cr_assert_eq(jwk_set_to_pems(jwks_json, strlen(jwks_json), &out, &n, why, sizeof(why)),
		     ERR_OK, "%s", why);
	cr_assert_eq(n, 2, "the encryption key is skipped");
	cr_assert(strstr(why, "key 3") != NULL, "%s", why);
	snprintf(want, sizeof(want), "%s%s", ec_pem, rsa_pem);
	cr_assert_str_eq(out.p, want);
	cr_assert(jwk_is_pem_keys(out.p, out.len));
	buf_free(&out);
}

Test(jwk, refuses_what_is_not_a_jwks)
{
	static const char oct[] = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AA\"}]}";
	char why[200];
	struct buf out;
	size_t n;

	buf_init(&out, 16384);
	cr_assert_eq(jwk_set_to_pems("[1]", 3, &out, &n, why, sizeof(why)), ERR_INPUT);
	cr_assert_eq(jwk_set_to_pems("{\"keys\":3}", 10, &out, &n, why, sizeof(why)), ERR_INPUT);
	cr_assert_eq(jwk_set_to_pems(oct, strlen(oct), &out, &n, why, sizeof(why)), ERR_OK);
	cr_assert_eq(n, 0);
	cr_assert(strstr(why, "not supported") != NULL, "%s", why);
	buf_free(&out);
}

Test(jwk, recognises_pem_public_keys_only)
{
	cr_assert(jwk_is_pem_keys(rsa_pem, strlen(rsa_pem)));
	cr_assert_not(jwk_is_pem_keys("", 0));
	cr_assert_not(jwk_is_pem_keys("-----BEGIN PUBLIC KEY-----\nAAAA\n", 31));
	cr_assert_not(jwk_is_pem_keys("-----BEGIN RSA PRIVATE KEY-----\n", 32));
}

/* ---- libjwt -------------------------------------------------------------------------------- */

Test(jwtx, verifies_asymmetric_signatures_only)
{
	cr_assert(jwtx_verify(tok_rs_ok, rsa_pem, strlen(rsa_pem)));
	cr_assert(jwtx_verify(tok_es_ok, ec_pem, strlen(ec_pem)));
	cr_assert_not(jwtx_verify(tok_rs_ok, ec_pem, strlen(ec_pem)));
	cr_assert_not(jwtx_verify(tok_rs_other_key, rsa_pem, strlen(rsa_pem)));
	cr_assert_not(jwtx_verify(tok_rs_tampered, rsa_pem, strlen(rsa_pem)));
	cr_assert_not(jwtx_verify(tok_none, rsa_pem, strlen(rsa_pem)), "alg none");
	cr_assert_not(jwtx_verify(tok_hs_confusion, rsa_pem, strlen(rsa_pem)),
		      "an HS256 token keyed with the public PEM");
	cr_assert(jwtx_alg_ok("RS256"));
	cr_assert(jwtx_alg_ok("ES384"));
	cr_assert_not(jwtx_alg_ok("HS256"));
	cr_assert_not(jwtx_alg_ok("none"));
	cr_assert_not(jwtx_alg_ok("nonsense"));
}

/* ---- the gate ------------------------------------------------------------------------------ */

static struct fx_gate g;

/* The issuer as the syncer would load it: keys from the JWKS, so a token passing also
 * proves the conversion. */
static void put_issuer(const char *audience, const char *team_claim, int32_t rps, int32_t burst)
{
	struct state_jwt_issuer is;
	const char *p, *next;
	char why[200];
	struct buf pems;
	size_t n;

	memset(&is, 0, sizeof(is));
	is.key_id = KEY_ID;
	is.tenant_id = TENANT;
	is.rps = rps;
	is.burst = burst;
	str_lcpy(is.issuer, TEST_ISS, sizeof(is.issuer));
	str_lcpy(is.audience, audience, sizeof(is.audience));
	str_lcpy(is.team_claim, team_claim, sizeof(is.team_claim));
	buf_init(&pems, 16384);
	cr_assert_eq(jwk_set_to_pems(jwks_json, strlen(jwks_json), &pems, &n, why, sizeof(why)),
		     ERR_OK);
	for (p = pems.p; p != NULL && *p != '\0' && is.nkeys < STATE_JWT_KEYS; p = next) {
		next = strstr(p + 1, "-----BEGIN");
		snprintf(is.pem[is.nkeys++], STATE_JWT_PEM_MAX, "%.*s",
			 (int)(next ? (size_t)(next - p) : strlen(p)), p);
	}
	buf_free(&pems);
	cr_assert_eq(is.nkeys, 2);
	cr_assert_eq(state_jwt_issuer_put(&g.st, g.cfg.secret_key, &is), ERR_OK);
}

static void setup(void)
{
	fx_gate_open(&g);
	fx_tenant(&g, TENANT, "acme", TENANT_ACTIVE, "10.0.0.5:8080");
	put_issuer("api://acme", "org_id", 0, 0);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

static char auth[GATE_JWT_MAX + 64];

static void ask(const char *token)
{
	char *env[] = {"REQUEST_METHOD=GET",
		       "PATH_INFO=/_tollgate/gate",
		       "TG_GATE=1",
		       "TG_PEER=192.0.2.7",
		       "TG_REQUEST_ID=req-1",
		       auth,
		       NULL};

	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", token);
	fx_dispatch(&g, env);
}

static enum jwt_verdict check(const char *token)
{
	struct gate_jwt out;

	return gate_jwt_check(&g.st, g.cfg.secret_key, str_c(token), state_clock_ms(&g.st) / 1000,
			      &out);
}

static void assert_refused(const char *token, const char *detail)
{
	struct jsonx_doc *d;
	const char *got;

	ask(token);
	fx_assert_problem(&g, 401, "invalid-api-key", "req-1");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &got));
	cr_assert(strstr(got, detail) != NULL, "detail: %s", got);
	jsonx_doc_free(d);
}

TestSuite(gate_jwt, .init = setup, .fini = teardown);

Test(gate_jwt, an_rs256_token_passes_as_the_issuers_key)
{
	ask(tok_rs_ok);
	cr_assert_eq(g.rs.status, 200, "%d %s", g.rs.status, g.rs.body.p ? g.rs.body.p : "");
	fx_assert_header(&g, "X-Tollgate-Tenant", "acme");
	fx_assert_header(&g, "X-Tollgate-Key", "9001");
	fx_assert_header(&g, "X-Tollgate-Subject", "user-1");
	fx_assert_header(&g, "X-Tollgate-Team", "team-a");
	cr_assert_eq(g.admit.key_id, KEY_ID, "metered under the issuer's key");
}

Test(gate_jwt, an_es256_token_passes_with_an_audience_array_and_a_numeric_team)
{
	ask(tok_es_ok);
	cr_assert_eq(g.rs.status, 200, "%d %s", g.rs.status, g.rs.body.p ? g.rs.body.p : "");
	fx_assert_header(&g, "X-Tollgate-Subject", "user-2");
	fx_assert_header(&g, "X-Tollgate-Team", "42");
}

Test(gate_jwt, api_keys_get_empty_subject_and_team)
{
	char key[GATE_KEY_LEN + 1];

	fx_key(&g, 77, TENANT, 0, key);
	fx_gate_ask(&g, key, "192.0.2.7", "req-1", NULL);
	cr_assert_eq(g.rs.status, 200);
	fx_assert_header(&g, "X-Tollgate-Subject", "");
	fx_assert_header(&g, "X-Tollgate-Team", "");
}

Test(gate_jwt, refuses_bad_tokens_with_the_reason)
{
	assert_refused(tok_rs_expired, "expired");
	assert_refused(tok_rs_future, "not valid yet");
	assert_refused(tok_rs_wrong_aud, "audience");
	assert_refused(tok_rs_unknown_iss, "issuer is unknown");
	assert_refused(tok_rs_tampered, "signature");
	assert_refused(tok_rs_other_key, "signature");
	assert_refused(tok_none, "algorithm");
	assert_refused(tok_hs_confusion, "algorithm");
	assert_refused(tok_rs_no_exp, "malformed");
	assert_refused("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "malformed");
}

Test(gate_jwt, expiry_follows_the_business_clock_with_a_minute_of_leeway)
{
	int64_t to_exp = 4102444800LL * 1000 - state_now_ms();

	cr_assert_eq(check(tok_rs_ok), JWT_OK);
	atomic_store(&g.st.hdr->clock_offset_ms, to_exp + 59000);
	cr_assert_eq(check(tok_rs_ok), JWT_OK, "within the leeway");
	atomic_store(&g.st.hdr->clock_offset_ms, to_exp + 61000);
	cr_assert_eq(check(tok_rs_ok), JWT_EXPIRED);
	/* nbf 4000000000: valid from a minute before. */
	atomic_store(&g.st.hdr->clock_offset_ms, 4000000000LL * 1000 - state_now_ms() - 59000);
	cr_assert_eq(check(tok_rs_future), JWT_OK);
	atomic_store(&g.st.hdr->clock_offset_ms, 4000000000LL * 1000 - state_now_ms() - 62000);
	cr_assert_eq(check(tok_rs_future), JWT_NOT_YET_VALID);
}

Test(gate_jwt, an_issuer_without_an_audience_takes_any)
{
	put_issuer("", "org_id", 0, 0);
	cr_assert_eq(check(tok_rs_wrong_aud), JWT_OK);
}

Test(gate_jwt, only_bearer_tokens_count_and_shapes_are_strict)
{
	char *env[] = {"REQUEST_METHOD=GET",
		       "PATH_INFO=/_tollgate/gate",
		       "TG_GATE=1",
		       "TG_REQUEST_ID=req-1",
		       auth,
		       NULL};

	snprintf(auth, sizeof(auth), "HTTP_X_API_KEY=%s", tok_rs_ok);
	fx_dispatch(&g, env);
	fx_assert_problem(&g, 401, "invalid-api-key", "req-1");
	cr_assert(gate_jwt_is_jwt(str_c("a.b.c")));
	cr_assert(gate_jwt_is_jwt(str_c("a.b.")));
	cr_assert_not(gate_jwt_is_jwt(str_c(".b.c")));
	cr_assert_not(gate_jwt_is_jwt(str_c("a..c")));
	cr_assert_not(gate_jwt_is_jwt(str_c("a.b.c.d")));
	cr_assert_not(gate_jwt_is_jwt(str_c("a.b+.c")));
	cr_assert_not(gate_jwt_is_jwt(str_c("tg_live_abc")));
}

Test(gate_jwt, each_team_has_the_issuer_keys_rate_limit_to_itself)
{
	put_issuer("api://acme", "org_id", 1, 1);
	ask(tok_rs_ok); /* team-a */
	cr_assert_eq(g.rs.status, 200);
	ask(tok_rs_ok);
	cr_assert_eq(g.rs.status, 429, "team-a's burst of 1 is used");
	ask(tok_es_ok); /* team 42 */
	cr_assert_eq(g.rs.status, 200, "another team has its own");
	cr_assert_neq(gate_jwt_team_id(KEY_ID, "a"), gate_jwt_team_id(KEY_ID, "b"));
	cr_assert_lt(gate_jwt_team_id(KEY_ID, "a"), 0);
}

Test(gate_jwt, a_signature_verified_before_is_trusted_only_while_its_key_is_the_issuers)
{
	struct state_jwt_issuer is;

	/* Seen twice: the second time from this worker's cache of verified signatures. */
	cr_assert_eq(check(tok_rs_ok), JWT_OK);
	cr_assert_eq(check(tok_rs_ok), JWT_OK);
	cr_assert_eq(check(tok_rs_tampered), JWT_SIGNATURE, "another token is checked anew");
	/* The RSA key rotated out (the issuer keeps only its EC key): the token no longer
	 * passes, cached or not. */
	memset(&is, 0, sizeof(is));
	is.key_id = KEY_ID;
	is.tenant_id = TENANT;
	str_lcpy(is.issuer, TEST_ISS, sizeof(is.issuer));
	str_lcpy(is.audience, "api://acme", sizeof(is.audience));
	str_lcpy(is.pem[0], ec_pem, sizeof(is.pem[0]));
	is.nkeys = 1;
	cr_assert_eq(state_jwt_issuer_put(&g.st, g.cfg.secret_key, &is), ERR_OK);
	cr_assert_eq(check(tok_rs_ok), JWT_SIGNATURE);
	cr_assert_eq(check(tok_es_ok), JWT_OK);
}
