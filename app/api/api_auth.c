/* Management tokens and the authentication of /api/v1 requests. */
#include "api_auth.h"

#include <string.h>

#include "../../lib/sql.h"
#include "../gate/gate_limits.h"
#include "api.h"
#include "api_db.h"

void api_auth_token_new(char token[API_TOKEN_LEN + 1], char prefix[API_TOKEN_PREFIX_LEN + 1])
{
	gate_keys_generate_tagged(API_TOKEN_TAG, token);
	memcpy(prefix, token, API_TOKEN_PREFIX_LEN);
	prefix[API_TOKEN_PREFIX_LEN] = '\0';
}

enum err api_auth_token_check(struct str token)
{
	return gate_keys_check_tagged(token, API_TOKEN_TAG);
}

void api_auth_token_hash(const unsigned char secret[CRYPTOX_KEY_BYTES], struct str token,
			 unsigned char out[CRYPTOX_HASH_BYTES])
{
	/* The same keyed hash as API keys: the tag keeps the two sets of hashes apart. */
	gate_keys_hash(secret, token, out);
}

static enum err deny(struct hctx *c, enum problem_kind kind, const char *detail)
{
	c->problem = kind;
	c->detail = detail;
	if (kind == PROB_MISSING_TOKEN)
		fcgi_header(c->rs, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
	else
		fcgi_header(c->rs, "WWW-Authenticate",
			    "Bearer realm=\"tollgate\", error=\"invalid_token\"");
	return ERR_AUTH;
}

/* The token, and its tenant's status, through the one function that may read across
 * tenants (migrations/0006: the console's role sees no tenant's rows before this). */
static const char lookup_sql[] =
    "SELECT token_id, tenant_id, status FROM tollgate_token_lookup($1)";

/* Failed token checks count against the client's address like failed API keys: too many
 * and the address gets 429 before any lookup. */
static enum err throttled(struct hctx *c, const unsigned char ip[16])
{
	int64_t retry;

	if (!limits_authfail_exhausted(c->app->state, c->app->cfg, ip, state_mono_ns(), &retry))
		return ERR_OK;
	fcgi_headerf(c->rs, "Retry-After", "%lld", (long long)retry);
	c->problem = PROB_RATE_LIMITED;
	c->detail = "Too many failed authentications from this address.";
	return ERR_LIMIT;
}

static enum err deny_counted(struct hctx *c, bool has_ip, const unsigned char ip[16],
			     enum problem_kind kind, const char *detail)
{
	if (has_ip)
		limits_authfail_count(c->app->state, c->app->cfg, ip, state_mono_ns());
	return deny(c, kind, detail);
}

enum err api_auth_tenant(struct hctx *c)
{
	const char *auth = fcgi_param(c->rq, "HTTP_AUTHORIZATION");
	unsigned char hash[CRYPTOX_HASH_BYTES];
	char hex[2 * CRYPTOX_HASH_BYTES + 3];
	const char *params[1] = {hex};
	struct str s = str_trim(str_c(auth)), token;
	unsigned char ip[16];
	bool has_ip = hctx_client_ip(c, ip);
	struct sql_res *r;
	enum err e;

	if (auth == NULL || !str_case_has_prefix(s, "Bearer "))
		return deny(c, PROB_MISSING_TOKEN,
			    "Send a management token as 'Authorization: Bearer tgm_...' "
			    "(`tollgate token create TENANT` makes one).");
	token = str_trim((struct str){s.p + 7, s.len - 7});
	if (api_auth_token_check(token) != ERR_OK) {
		if (has_ip && (e = throttled(c, ip)) != ERR_OK)
			return e;
		return deny_counted(c, has_ip, ip, PROB_INVALID_TOKEN,
				    str_has_prefix(token, "tg_")
					? "This is a gateway API key; the management API takes a "
					  "management token (tgm_...)."
					: "The management token is malformed.");
	}
	/* Guessing costs a lookup each: past the allowance, refused before PostgreSQL is asked
	 * (unlike the gate's, a console throttle cannot tell a valid token without asking). */
	if (has_ip && (e = throttled(c, ip)) != ERR_OK)
		return e;
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	api_auth_token_hash(c->app->cfg->secret_key, token, hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	e = api_sql_retry(c, &r, lookup_sql, 1, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1) {
		return deny_counted(c, has_ip, ip, PROB_INVALID_TOKEN,
				    "The management token is unknown or revoked.");
	}
	if (strcmp(sql_get(r, 0, 2), "active") != 0) {
		c->problem = PROB_TENANT_SUSPENDED;
		c->detail = "The tenant is suspended.";
		return ERR_FORBIDDEN;
	}
	c->token_id = sql_get_i64(r, 0, 0);
	c->tenant_id = sql_get_i64(r, 0, 1);
	/* Everything the handler does runs in this tenant's transaction. */
	if (api_db_tenant_begin(c) != ERR_OK)
		return api_unavailable(c);
	return ERR_OK;
}
