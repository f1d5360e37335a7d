/* The gate (forward_auth) through the router, without sockets: a state file holds a
 * tenant and a key, and each test builds the FastCGI parameters Caddy would send. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"

static struct fx_gate g;
static char key[GATE_KEY_LEN + 1];
static char bearer[128], xapikey[128];

#define TENANT 7
#define KEY_ID 4242

static void setup(void)
{
	fx_gate_open(&g);
	fx_tenant(&g, TENANT, "acme", TENANT_ACTIVE, "10.0.0.5:8080");
	fx_key(&g, KEY_ID, TENANT, 0, key);
	snprintf(bearer, sizeof(bearer), "HTTP_AUTHORIZATION=Bearer %s", key);
	snprintf(xapikey, sizeof(xapikey), "HTTP_X_API_KEY=%s", key);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(gate, .init = setup, .fini = teardown);

#define GATE_ENV "REQUEST_METHOD=GET", "PATH_INFO=/_tollgate/gate", "TG_GATE=1"

static void assert_passed(const char *slug, const char *key_id, const char *upstream)
{
	cr_assert_eq(g.rs.status, 200, "status %d: %s", g.rs.status,
		     g.rs.body.p ? g.rs.body.p : "");
	fx_assert_header(&g, "X-Tollgate-Tenant", slug);
	fx_assert_header(&g, "X-Tollgate-Key", key_id);
	fx_assert_header(&g, "X-Request-Id", "req-1");
	fx_assert_header(&g, "X-Tollgate-Upstream", upstream);
}

/* Asserts a 401 and the WWW-Authenticate challenge that goes with it. */
static void assert_denied(const char *slug, const char *challenge)
{
	fx_assert_problem(&g, 401, slug, "req-1");
	fx_assert_header(&g, "WWW-Authenticate", challenge);
}

#define INVALID_TOKEN "Bearer realm=\"tollgate\", error=\"invalid_token\""

Test(gate, valid_bearer_key_passes_with_tenant_key_request_and_upstream)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};

	fx_dispatch(&g, env);
	assert_passed("acme", "4242", "10.0.0.5:8080");
	cr_assert_eq(g.rs.body.len, 0);
}

Test(gate, bearer_scheme_is_case_insensitive)
{
	char auth[128];
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", auth, NULL};

	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=bearer   %s  ", key);
	fx_dispatch(&g, env);
	assert_passed("acme", "4242", "10.0.0.5:8080");
}

Test(gate, x_api_key_header_passes)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", xapikey, NULL};

	fx_dispatch(&g, env);
	assert_passed("acme", "4242", "10.0.0.5:8080");
}

Test(gate, basic_authorization_falls_back_to_x_api_key)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", "HTTP_AUTHORIZATION=Basic dXNlcjpwYXNz",
		       xapikey, NULL};

	fx_dispatch(&g, env);
	assert_passed("acme", "4242", "10.0.0.5:8080");
}

Test(gate, missing_key_is_401_with_bearer_challenge)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", NULL};

	fx_dispatch(&g, env);
	assert_denied("missing-api-key", "Bearer realm=\"tollgate\"");
}

Test(gate, basic_authorization_alone_is_a_missing_key)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", "HTTP_AUTHORIZATION=Basic dXNlcjpwYXNz",
		       "HTTP_X_API_KEY=", NULL};

	fx_dispatch(&g, env);
	assert_denied("missing-api-key", "Bearer realm=\"tollgate\"");
}

Test(gate, malformed_key_is_401_invalid_token)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", "HTTP_AUTHORIZATION=Bearer not-a-key",
		       NULL};

	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, key_with_bad_checksum_is_401_invalid_token)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};
	size_t last = strlen(bearer) - 1;

	bearer[last] = bearer[last] == 'A' ? 'B' : 'A';
	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, well_formed_unknown_key_is_401)
{
	char other[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1], auth[128];
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", auth, NULL};

	gate_keys_generate(GATE_KEY_LIVE, other, prefix);
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", other);
	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, key_hashed_with_another_secret_is_unknown)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};

	g.cfg.secret_key[0] ^= 1;
	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, expired_key_is_401)
{
	char expired[GATE_KEY_LEN + 1], auth[128];
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", auth, NULL};

	fx_key(&g, 5, TENANT, state_now_ms() / 1000 - 60, expired);
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", expired);
	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, key_expiring_later_passes)
{
	char later[GATE_KEY_LEN + 1], auth[128];
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", auth, NULL};

	fx_key(&g, 6, TENANT, state_now_ms() / 1000 + 3600, later);
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", later);
	fx_dispatch(&g, env);
	assert_passed("acme", "6", "10.0.0.5:8080");
}

Test(gate, key_of_a_missing_tenant_is_401)
{
	char orphan[GATE_KEY_LEN + 1], auth[128];
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", auth, NULL};

	fx_key(&g, 8, 999, 0, orphan);
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", orphan);
	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, revoked_key_is_401)
{
	unsigned char hash[CRYPTOX_HASH_BYTES];
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};

	fx_dispatch(&g, env);
	cr_assert_eq(g.rs.status, 200);
	gate_keys_hash(g.cfg.secret_key, str_c(key), hash);
	cr_assert(state_key_del(&g.st, hash));
	fx_dispatch(&g, env);
	assert_denied("invalid-api-key", INVALID_TOKEN);
}

Test(gate, suspended_tenant_is_403)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};
	struct str v;

	fx_tenant(&g, TENANT, "acme", TENANT_SUSPENDED, "10.0.0.5:8080");
	fx_dispatch(&g, env);
	fx_assert_problem(&g, 403, "tenant-suspended", "req-1");
	cr_assert_not(fcgi_response_header_get(&g.rs, "X-Tollgate-Upstream", &v));
}

Test(gate, tenant_without_upstream_is_502)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};
	struct str v;

	fx_tenant(&g, TENANT, "acme", TENANT_ACTIVE, "");
	fx_dispatch(&g, env);
	fx_assert_problem(&g, 502, "no-upstream", "req-1");
	cr_assert_not(fcgi_response_header_get(&g.rs, "X-Tollgate-Tenant", &v));
}

Test(gate, path_without_tg_gate_is_404)
{
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/_tollgate/gate", "TG_REQUEST_ID=req-1",
		       bearer, NULL};
	struct str v;

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 404, "not-found", "req-1");
	cr_assert_not(fcgi_response_header_get(&g.rs, "X-Tollgate-Tenant", &v));
}

Test(gate, problem_body_carries_request_id_and_detail)
{
	char *env[] = {GATE_ENV, "TG_REQUEST_ID=abc-123", NULL};
	struct jsonx_doc *d;
	const char *s;

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 401, "missing-api-key", "abc-123");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert(strstr(s, "Bearer") != NULL, "%s", s);
	jsonx_doc_free(d);
	fx_assert_header(&g, "Cache-Control", "no-store");
}

Test(gate, responses_do_not_leak_into_the_next_request)
{
	char *ok[] = {GATE_ENV, "TG_REQUEST_ID=req-1", bearer, NULL};
	char *missing[] = {GATE_ENV, "TG_REQUEST_ID=req-1", NULL};
	struct str v;

	fx_dispatch(&g, missing);
	cr_assert_eq(g.rs.status, 401);
	fx_dispatch(&g, ok);
	assert_passed("acme", "4242", "10.0.0.5:8080");
	cr_assert_not(fcgi_response_header_get(&g.rs, "WWW-Authenticate", &v));
}
