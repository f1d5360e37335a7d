/* API keys: minted, created, listed, revoked and rotated for the portal and the
 * management API alike. Every statement names the tenant and runs in its transaction. */
#include "api_keys.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/jsonx.h"
#include "../../lib/sql.h"
#include "api.h"
#include "api_audit.h"

/* What every answer about a key says (API_KEY_COLS's order). */
#define KEY_COLS                                                                                   \
	"k.id, k.name, k.prefix, CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' "               \
	"WHEN k.expires_at <= now() THEN 'expired' ELSE 'active' END, " API_RFC3339(               \
	    "k.created_at") ", " API_RFC3339("k.expires_at") ", " API_RFC3339("k.revoked_at")
enum { K_ID, K_NAME, K_PREFIX, K_STATUS, K_CREATED, K_EXPIRES, K_REVOKED };

#define LIST_MAX 500

void api_keys_mint(const struct config *cfg, bool test, char key[GATE_KEY_LEN + 1],
		   char prefix[GATE_KEY_PREFIX_LEN + 1], char hash_param[API_KEY_HASH_PARAM])
{
	unsigned char hash[CRYPTOX_HASH_BYTES];

	gate_keys_generate(test ? GATE_KEY_TEST : GATE_KEY_LIVE, key, prefix);
	gate_keys_hash(cfg->secret_key, str_c(key), hash);
	sql_bytea_param(hash, sizeof(hash), hash_param, API_KEY_HASH_PARAM);
}

void api_keys_write(struct jsonx_w *w, const struct sql_res *r, int row)
{
	jsonx_obj_open(w);
	jsonx_kint(w, "id", sql_get_i64(r, row, K_ID));
	jsonx_kstr(w, "name", sql_get(r, row, K_NAME));
	jsonx_kstr(w, "prefix", sql_get(r, row, K_PREFIX));
	jsonx_kstr(w, "status", sql_get(r, row, K_STATUS));
	jsonx_kstr(w, "created_at", sql_get(r, row, K_CREATED));
	jsonx_kstr(w, "expires_at",
		   sql_is_null(r, row, K_EXPIRES) ? NULL : sql_get(r, row, K_EXPIRES));
	jsonx_kstr(w, "revoked_at",
		   sql_is_null(r, row, K_REVOKED) ? NULL : sql_get(r, row, K_REVOKED));
	jsonx_obj_close(w);
}

#define NO_KEY "There is no such key of this tenant, or it is no longer active."

static enum err no_key(struct hctx *c)
{
	c->detail = NO_KEY;
	return ERR_NOTFOUND;
}

enum err api_keys_create(struct hctx *c, const char *name, int64_t days, bool test,
			 char key[GATE_KEY_LEN + 1], struct sql_res **row)
{
	char tenant[24], prefix[GATE_KEY_PREFIX_LEN + 1], hash[API_KEY_HASH_PARAM], d[24];
	const char *params[5] = {tenant, name, prefix, hash, d};
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(d, days);
	api_keys_mint(c->app->cfg, test, key, prefix, hash);
	e = api_sql(c, row,
		    "INSERT INTO api_keys AS k (tenant_id, name, prefix, hash, expires_at) "
		    "VALUES ($1, $2, $3, $4, CASE WHEN $5::int = 0 THEN NULL "
		    "ELSE now() + make_interval(days => $5::int) END) RETURNING " KEY_COLS,
		    5, params);
	return e != ERR_OK ? e : api_audit(c, c->tenant_id, "key.create", prefix);
}

enum err api_keys_revoke(struct hctx *c, int64_t id, struct sql_res **row)
{
	return api_change_owned(c,
				"UPDATE api_keys k SET revoked_at = now() WHERE k.tenant_id = $1 "
				"AND k.id = $2 AND k.revoked_at IS NULL RETURNING " KEY_COLS,
				id, NO_KEY, "key.revoke", K_PREFIX, row);
}

enum err api_keys_rotate(struct hctx *c, int64_t id, int64_t grace_minutes,
			 char key[GATE_KEY_LEN + 1], struct sql_res **old, struct sql_res **row)
{
	char tenant[24], ids[24], grace[24];
	const char *params[3] = {tenant, ids, grace};
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(ids, id);
	str_fmt_i64(grace, grace_minutes);
	/* The old key ends when the grace period does, or sooner if it was to anyway. */
	e = api_sql(c, old,
		    "UPDATE api_keys k SET expires_at = least(coalesce(k.expires_at, 'infinity'), "
		    "now() + make_interval(mins => $3::int)) "
		    "WHERE k.tenant_id = $1 AND k.id = $2 AND k.revoked_at IS NULL "
		    "AND (k.expires_at IS NULL OR k.expires_at > now()) RETURNING " KEY_COLS,
		    3, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(*old) != 1)
		return no_key(c);
	e = api_keys_create(c, sql_get(*old, 0, K_NAME), 0,
			    strncmp(sql_get(*old, 0, K_PREFIX), "tg_test_", 8) == 0, key, row);
	return e != ERR_OK ? e
			   : api_audit(c, c->tenant_id, "key.rotate", sql_get(*old, 0, K_PREFIX));
}

/* The route's :id as a key id; false (and a 404) when it is none. */
static bool key_id(struct hctx *c, int64_t *id)
{
	return str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, id) == ERR_OK;
}

enum err api_keys_list(struct hctx *c)
{
	struct api_qparam qp[] = {{"limit", NULL}, {"cursor", NULL}};
	char tenant[24], after[24], lim[24];
	const char *params[3] = {tenant, after, lim}, *bad, *why;
	int64_t limit = 100, cursor = 0;
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i, n;

	e = api_query_parse(c->arena, fcgi_param(c->rq, "QUERY_STRING"), qp, 2, &bad, &why);
	if (e == ERR_INPUT)
		return api_bad_param(c, bad, why);
	if (e != ERR_OK)
		return e;
	if (qp[0].value != NULL && str_to_i64(str_c(qp[0].value), 1, LIST_MAX, &limit) != ERR_OK)
		return api_bad_param(c, "limit", "limit must be a whole number from 1 to 500.");
	if (qp[1].value != NULL && str_to_i64(str_c(qp[1].value), 1, INT64_MAX, &cursor) != ERR_OK)
		return api_bad_param(
		    c, "cursor", "cursor must be a next_cursor value returned by this resource.");
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(after, cursor);
	str_fmt_i64(lim, limit + 1);
	e = api_sql(c, &r,
		    "SELECT " KEY_COLS " FROM api_keys k WHERE k.tenant_id = $1 "
		    "AND ($2::bigint = 0 OR k.id < $2::bigint) ORDER BY k.id DESC LIMIT $3::int",
		    3, params);
	if (e != ERR_OK)
		return e;
	n = sql_rows(r) > limit ? (int)limit : sql_rows(r);
	hctx_json_begin(c, &w);
	jsonx_arr_open(&w);
	for (i = 0; i < n; i++)
		api_keys_write(&w, r, i);
	jsonx_arr_close(&w);
	/* More after this page: where to go on from (newest first, by id). */
	jsonx_key(&w, "next_cursor");
	if (sql_rows(r) > limit)
		jsonx_str(&w, sql_get(r, n - 1, K_ID));
	else
		jsonx_null(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

struct create_req {
	const char *name;
	int64_t days;
	bool test;
};

static enum err create_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	struct create_req *q = arg;
	char key[GATE_KEY_LEN + 1];
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	if ((e = api_keys_create(c, q->name, q->days, q->test, key, &r)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	api_keys_write(&w, r, 0);
	buf_puts(secret, "\"key\":\"");
	buf_puts(secret, key); /* base62, '_': nothing to escape */
	buf_putc(secret, '"');
	cryptox_wipe(key, sizeof(key));
	return ERR_OK;
}

/* Reads the body's members: each wrong one is named, all of them at once. */
enum err api_keys_create_handler(struct hctx *c)
{
	static const char *const members[] = {"name", "expires_in_days", "test"};
	struct create_req q = {"", 0, false};
	struct jsonx_doc *d;
	const char *bad[3];
	size_t nbad = 0;
	enum err e;

	if ((e = api_read_json(c, members, 3, &d)) != ERR_OK)
		return e;
	if (jsonx_has(d, "name") && (!jsonx_get_str(d, "name", &q.name) || strlen(q.name) > 200))
		bad[nbad++] = "name must be a string of at most 200 characters";
	if (jsonx_has(d, "expires_in_days") &&
	    (!jsonx_get_int(d, "expires_in_days", &q.days) || q.days < 1 || q.days > 3650))
		bad[nbad++] = "expires_in_days must be a whole number from 1 to 3650";
	if (jsonx_has(d, "test") && !jsonx_get_bool(d, "test", &q.test))
		bad[nbad++] = "test must be true or false";
	if (nbad > 0)
		return api_bad_fields(c, bad, nbad);
	return api_change(c, 201, create_work, &q);
}

static enum err revoke_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	(void)secret;
	if ((e = api_keys_revoke(c, *(int64_t *)arg, &r)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	api_keys_write(&w, r, 0);
	return ERR_OK;
}

enum err api_keys_revoke_handler(struct hctx *c)
{
	int64_t id;

	if (!key_id(c, &id))
		return no_key(c);
	return api_change(c, 200, revoke_work, &id);
}

struct rotate_req {
	int64_t id, grace;
};

static enum err rotate_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	struct rotate_req *q = arg;
	char key[GATE_KEY_LEN + 1];
	struct sql_res *old, *r;
	struct jsonx_w w;
	enum err e;

	if ((e = api_keys_rotate(c, q->id, q->grace, key, &old, &r)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	jsonx_obj_open(&w);
	jsonx_key(&w, "new");
	api_keys_write(&w, r, 0);
	jsonx_key(&w, "old");
	api_keys_write(&w, old, 0);
	jsonx_obj_close(&w);
	buf_puts(secret, "\"key\":\"");
	buf_puts(secret, key);
	buf_putc(secret, '"');
	cryptox_wipe(key, sizeof(key));
	return ERR_OK;
}

enum err api_keys_rotate_handler(struct hctx *c)
{
	static const char *const members[] = {"grace_minutes"};
	struct rotate_req q = {0, 1440};
	struct jsonx_doc *d;
	enum err e;

	if (!key_id(c, &q.id))
		return no_key(c);
	if ((e = api_read_json(c, members, 1, &d)) != ERR_OK)
		return e;
	if (jsonx_has(d, "grace_minutes") &&
	    (!jsonx_get_int(d, "grace_minutes", &q.grace) || q.grace < 0 || q.grace > 43200)) {
		c->parameter = "grace_minutes";
		return api_bad_body(c, "grace_minutes must be a whole number from 0 to 43200 "
				       "(30 days).");
	}
	return api_change(c, 201, rotate_work, &q);
}
