/* forward_auth decision: API key -> tenant -> upstream, from shared memory only. */
#include "gate.h"

#include <string.h>

#include "../../lib/str.h"
#include "../state/state.h"
#include "gate_keys.h"

/* Finds the key in "Authorization: Bearer <key>" or else in "X-Api-Key". Returns false
 * when neither carries one (another Authorization scheme belongs to the upstream). */
static bool extract_key(struct hctx *c, struct str *key)
{
	const char *auth = fcgi_param(c->rq, "HTTP_AUTHORIZATION");
	const char *xkey = fcgi_param(c->rq, "HTTP_X_API_KEY");

	key->p = "";
	key->len = 0;
	if (auth != NULL) {
		struct str s = str_trim(str_c(auth));

		if (str_case_has_prefix(s, "Bearer ")) {
			*key = str_trim((struct str){s.p + 7, s.len - 7});
			return true;
		}
	}
	if (xkey != NULL && xkey[0] != '\0') {
		*key = str_trim(str_c(xkey));
		return true;
	}
	return false;
}

static enum err deny(struct hctx *c, enum problem_kind kind, const char *detail)
{
	c->problem = kind;
	c->detail = detail;
	if (kind == PROB_MISSING_API_KEY)
		fcgi_header(c->rs, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
	else
		fcgi_header(c->rs, "WWW-Authenticate",
			    "Bearer realm=\"tollgate\", error=\"invalid_token\"");
	return ERR_AUTH;
}

enum err gate_handle(struct hctx *c)
{
	unsigned char hash[CRYPTOX_HASH_BYTES];
	struct state *st = c->app->state;
	struct state_tenant tenant;
	struct state_key rec;
	enum gate_key_env env;
	struct str key;

	if (!extract_key(c, &key))
		return deny(
		    c, PROB_MISSING_API_KEY,
		    "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
	if (gate_keys_check(key, &env) != ERR_OK)
		return deny(c, PROB_INVALID_API_KEY, "The API key is malformed.");
	gate_keys_hash(c->app->cfg->secret_key, key, hash);
	if (!state_key_find(st, hash, &rec))
		return deny(c, PROB_INVALID_API_KEY, "The API key is unknown or has been revoked.");
	if (rec.expires_at != 0 && rec.expires_at * 1000 <= state_now_ms())
		return deny(c, PROB_INVALID_API_KEY, "The API key has expired.");
	if (!state_tenant_find(st, rec.tenant_id, &tenant))
		return deny(c, PROB_INVALID_API_KEY, "The API key is unknown or has been revoked.");
	if (tenant.status != TENANT_ACTIVE) {
		c->problem = PROB_TENANT_SUSPENDED;
		c->detail = "The account that owns this API key is suspended.";
		return ERR_FORBIDDEN;
	}
	if (tenant.upstream[0] == '\0') {
		c->problem = PROB_NO_UPSTREAM;
		c->detail = "The account that owns this API key has no upstream configured.";
		return ERR_UPSTREAM;
	}
	/* Caddy copies these onto the proxied request; all four must always be present. */
	fcgi_header(c->rs, "X-Tollgate-Tenant", tenant.slug);
	fcgi_headerf(c->rs, "X-Tollgate-Key", "%lld", (long long)rec.id);
	fcgi_header(c->rs, "X-Tollgate-Upstream", tenant.upstream);
	fcgi_header(c->rs, "X-Request-Id", c->request_id);
	return ERR_OK;
}
