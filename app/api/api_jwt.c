/* JWT issuers of the request's tenant: list, set, remove. */
#include "api_jwt.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/http.h"
#include "../../lib/jwk.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../upstream/upstream.h"
#include "api.h"
#include "api_audit.h"

#define ISSUER_MAX	190
#define AUDIENCE_MAX	255
#define JWKS_URL_MAX	512
#define STATIC_KEYS_MAX 65536
#define BAD_MAX		8

#define ISSUER_COLS                                                                                \
	"id, issuer, audience, jwks_url, static_keys, team_claim, key_id, "                        \
	"(length(coalesce(jwks_cache, '')) - length(replace(coalesce(jwks_cache, ''), "            \
	"'-----BEGIN', ''))) / 10, " API_RFC3339("fetched_at") ", fetch_error, " API_RFC3339(      \
	    "created_at") ", " API_RFC3339("updated_at")
enum {
	I_ID,
	I_ISSUER,
	I_AUDIENCE,
	I_JWKS_URL,
	I_STATIC,
	I_TEAM,
	I_KEY,
	I_FETCHED_KEYS,
	I_FETCHED_AT,
	I_FETCH_ERROR,
	I_CREATED,
	I_UPDATED
};

#define NO_ISSUER "This tenant has no JWT issuer with that id."

static void kstr_or_null(struct jsonx_w *w, const struct sql_res *r, int i, int col,
			 const char *key)
{
	jsonx_kstr(w, key, sql_is_null(r, i, col) ? NULL : sql_get(r, i, col));
}

static void write_issuer(struct jsonx_w *w, const struct sql_res *r, int i)
{
	jsonx_obj_open(w);
	jsonx_kint(w, "id", sql_get_i64(r, i, I_ID));
	jsonx_kstr(w, "issuer", sql_get(r, i, I_ISSUER));
	kstr_or_null(w, r, i, I_AUDIENCE, "audience");
	kstr_or_null(w, r, i, I_JWKS_URL, "jwks_url");
	kstr_or_null(w, r, i, I_STATIC, "static_keys");
	kstr_or_null(w, r, i, I_TEAM, "team_claim");
	jsonx_kint(w, "key_id", sql_get_i64(r, i, I_KEY));
	jsonx_kint(w, "fetched_keys", sql_get_i64(r, i, I_FETCHED_KEYS));
	kstr_or_null(w, r, i, I_FETCHED_AT, "fetched_at");
	kstr_or_null(w, r, i, I_FETCH_ERROR, "fetch_error");
	jsonx_kstr(w, "created_at", sql_get(r, i, I_CREATED));
	jsonx_kstr(w, "updated_at", sql_get(r, i, I_UPDATED));
	jsonx_obj_close(w);
}

enum err api_jwt_issuers_get(struct hctx *c)
{
	return api_list_rows(c,
			     "SELECT " ISSUER_COLS " FROM jwt_issuers WHERE tenant_id = $1 "
			     "ORDER BY issuer",
			     write_issuer);
}

struct issuer_req {
	const char *issuer, *audience, *jwks_url, *static_keys, *team_claim; /* NULL: null */
};

static enum err issuer_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const struct issuer_req *q = arg;
	char tenant[24];
	const char *find[2] = {tenant, q->issuer};
	const char *set[6] = {NULL,	      q->audience,   q->jwks_url,
			      q->static_keys, q->team_claim, tenant};
	struct sql_res *r, *k;
	struct jsonx_w w;
	enum err e;

	(void)secret;
	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r, "SELECT id FROM jwt_issuers WHERE tenant_id = $1 AND issuer = $2",
			 2, find)) != ERR_OK)
		return e;
	if (sql_rows(r) == 1) {
		/* A new URL has no keys yet; any change is fetched again within a second. */
		set[0] = sql_get(r, 0, 0);
		e = api_sql(c, &r,
			    "UPDATE jwt_issuers SET audience = $2, "
			    "jwks_cache = CASE WHEN jwks_url IS NOT DISTINCT FROM $3 "
			    "THEN jwks_cache END, jwks_url = $3, static_keys = $4, "
			    "team_claim = $5, fetched_at = NULL, fetch_error = NULL, "
			    "updated_at = now() WHERE id = $1 AND tenant_id = $6 "
			    "RETURNING " ISSUER_COLS,
			    6, set);
	} else {
		/* The synthetic key: a random hash (no key hashes to it) and a display prefix
		 * that says it is nobody's to present. */
		if ((e = api_sql(
			 c, &k,
			 "INSERT INTO api_keys (tenant_id, name, prefix, hash) VALUES "
			 "($1, 'JWT: ' || $2, 'tg_live_' || substr(md5(random()::text), "
			 "1, 8), decode(md5(random()::text) || md5(random()::text), 'hex')) "
			 "RETURNING id",
			 2, find)) != ERR_OK)
			return e;
		set[0] = sql_get(k, 0, 0);
		e = api_sql(c, &r,
			    "INSERT INTO jwt_issuers (key_id, audience, jwks_url, static_keys, "
			    "team_claim, tenant_id, issuer) VALUES ($1, $2, $3, $4, $5, $6, $7) "
			    "RETURNING " ISSUER_COLS,
			    7,
			    (const char *const[]){set[0], set[1], set[2], set[3], set[4], set[5],
						  q->issuer});
		if (e == ERR_CONFLICT) {
			c->parameter = "issuer";
			c->detail = "Another account already trusts this issuer.";
		}
	}
	if (e != ERR_OK)
		return e;
	log_info("tenant %lld JWT issuer %s set", (long long)c->tenant_id, q->issuer);
	if ((e = api_audit(c, c->tenant_id, "jwt.issuer.set", q->issuer)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	write_issuer(&w, r, 0);
	return ERR_OK;
}

/* Text for a header or a log line: no control characters. */
static bool plain(const char *s, size_t min, size_t max)
{
	size_t i, n = strlen(s);

	if (n < min || n > max)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool claim_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_:.-", s[i]) != NULL))
			return false;
	return true;
}

/* Static keys: PEM public keys, or a JWK Set with at least one usable key. */
static bool static_keys_ok(struct hctx *c, const char *s, char *why, size_t n)
{
	size_t len = strlen(s), count = 0;
	struct buf pems;
	char msg[200];
	bool ok;

	if (len > STATIC_KEYS_MAX) {
		snprintf(why, n, "static_keys must be at most %d characters", STATIC_KEYS_MAX);
		return false;
	}
	if (jwk_is_pem_keys(s, len))
		return true;
	if (s[0] != '{') {
		snprintf(why, n,
			 "static_keys must be PEM public keys (-----BEGIN PUBLIC KEY-----) or a "
			 "JWK Set");
		return false;
	}
	buf_init(&pems, 256 * 1024);
	ok = jwk_set_to_pems(s, len, &pems, &count, msg, sizeof(msg)) == ERR_OK && count > 0;
	buf_free(&pems);
	if (!ok)
		snprintf(why, n, "static_keys holds no usable key: %s",
			 msg[0] ? msg : "the JWK Set is empty");
	(void)c;
	return ok;
}

/* The SSRF rules on the URL's origin (scheme, host, port), as for upstreams. The jwks
 * child checks every address again as it connects. */
static bool origin_allowed(struct hctx *c, const char *url, char *why, size_t n)
{
	const char *host = strstr(url, "://");
	char *origin;
	struct addr_url u;
	size_t len;

	host = host != NULL ? host + 3 : url;
	len = (size_t)(host - url) + strcspn(host, "/?#");
	if ((origin = arena_strndup(c->arena, url, len)) == NULL) {
		snprintf(why, n, "it could not be checked");
		return false;
	}
	return upstream_check(c->app->cfg, origin, &u, why, n) == ERR_OK;
}

/* An optional string member: absent or null leaves *out NULL; false when it is there and
 * not a string. */
static bool opt_str(const struct jsonx_doc *d, const char *name, const char **out)
{
	*out = NULL;
	return !jsonx_has(d, name) || jsonx_get_str(d, name, out) ||
	       (!jsonx_get_len(d, name, &(size_t){0}) && !jsonx_get_num(d, name, &(double){0}) &&
		!jsonx_get_bool(d, name, &(bool){0}));
}

enum err api_jwt_issuer_put(struct hctx *c)
{
	static const char *const members[] = {"issuer", "audience", "jwks_url", "static_keys",
					      "team_claim"};
	struct issuer_req q = {NULL, NULL, NULL, NULL, NULL};
	const char *why[BAD_MAX];
	char reasons[3][320];
	struct jsonx_doc *d;
	size_t n = 0;
	enum err e;

	if ((e = api_read_json(c, members, 5, &d)) != ERR_OK)
		return e;
	if (!jsonx_get_str(d, "issuer", &q.issuer) || !plain(q.issuer, 1, ISSUER_MAX))
		why[n++] = "issuer must be a string of 1 to 190 characters without control "
			   "characters";
	if (!opt_str(d, "audience", &q.audience) ||
	    (q.audience != NULL && !plain(q.audience, 1, AUDIENCE_MAX)))
		why[n++] = "audience must be null or a string of 1 to 255 characters";
	if (!opt_str(d, "team_claim", &q.team_claim) ||
	    (q.team_claim != NULL && !claim_name_ok(q.team_claim)))
		why[n++] = "team_claim must be null or a claim name of 1 to 63 letters, digits "
			   "and _:.- (a dot reaches into an object)";
	if (!opt_str(d, "jwks_url", &q.jwks_url))
		why[n++] = "jwks_url must be null or a string";
	if (!opt_str(d, "static_keys", &q.static_keys))
		why[n++] = "static_keys must be null or a string";
	if (n == 0 && (q.jwks_url == NULL) == (q.static_keys == NULL))
		why[n++] = "give exactly one of jwks_url and static_keys";
	if (n == 0 && q.jwks_url != NULL) {
		if (strlen(q.jwks_url) > JWKS_URL_MAX || http_check_url(q.jwks_url) != ERR_OK) {
			why[n++] = "jwks_url must be an http:// or https:// URL of at most 512 "
				   "characters";
		} else if (!origin_allowed(c, q.jwks_url, reasons[0], sizeof(reasons[0]))) {
			snprintf(reasons[1], sizeof(reasons[1]), "jwks_url is refused: %.280s",
				 reasons[0]);
			why[n++] = reasons[1];
		}
	}
	if (n == 0 && q.static_keys != NULL &&
	    !static_keys_ok(c, q.static_keys, reasons[2], sizeof(reasons[2])))
		why[n++] = reasons[2];
	if (n > 0) {
		for (size_t i = 0; i < n; i++)
			why[i] = arena_strndup(c->arena, why[i], strlen(why[i]));
		return api_bad_fields(c, why, n);
	}
	return api_change(c, 200, issuer_work, &q);
}

static enum err remove_issuer(struct hctx *c, int64_t id)
{
	struct sql_res *r;
	enum err e;

	if ((e = api_change_owned(c,
				  "DELETE FROM jwt_issuers WHERE tenant_id = $1 AND id = $2 "
				  "RETURNING issuer, key_id",
				  id, NO_ISSUER, "jwt.issuer.remove", 0, &r)) != ERR_OK)
		return e;
	/* Its usage stays under the key; the key itself can never be used again. */
	return api_sql(
	    c, NULL, "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
	    1, (const char *const[]){sql_get(r, 0, 1)});
}

enum err api_jwt_issuer_remove(struct hctx *c)
{
	return api_change_id(c, "id", NO_ISSUER, remove_issuer, "removed");
}
