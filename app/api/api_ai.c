/* The tenant's AI settings, providers and aliases for the management API. Every statement
 * names the tenant and runs in its transaction; a provider's key is sealed before it
 * reaches PostgreSQL, and its plain text wiped once the request is done with it. */
#include "api_ai.h"

#include "../ai/ai_names.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../upstream/upstream.h"
#include "api.h"
#include "api_audit.h"

/* The limits of migrations/0014_ai.sql, and a few of the API's own. */
#define WEIGHT_MAX     1000
#define TARGETS_MAX    8
#define PLANS_MAX      16
#define REFS_MAX       (TARGETS_MAX * (1 + PLANS_MAX))
#define BAD_MAX	       16
#define ALIAS_JSON_MAX (256 * 1024)

#define PROVIDER_COLS                                                                              \
	"name, kind, base_url, key_sealed IS NOT NULL, " API_RFC3339(                              \
	    "created_at") ", " API_RFC3339("updated_at")
enum { P_NAME, P_KIND, P_BASE_URL, P_HAS_KEY, P_CREATED, P_UPDATED };
#define ALIAS_COLS                                                                                 \
	"name, targets::text, by_plan::text, " API_RFC3339("created_at") ", " API_RFC3339(         \
	    "updated_at")
enum { A_NAME, A_TARGETS, A_BY_PLAN, A_CREATED, A_UPDATED };

#define NO_PROVIDER "This tenant has no AI provider of that name."
#define NO_ALIAS    "This tenant has no AI alias of that name."

/* What is wrong with a body, every member at once (api_bad_fields); and the member, when
 * every complaint is about the same one, for the problem's parameter to name. */
struct checks {
	const char *why[BAD_MAX];
	size_t n;
	const char *member; /* NULL: several */
};

static void complain(struct hctx *c, struct checks *k, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void complain(struct hctx *c, struct checks *k, const char *member, const char *fmt, ...)
{
	char tmp[400];
	const char *why;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	why = arena_strndup(c->arena, tmp, strlen(tmp));
	if (k->n == 0)
		k->member = member;
	else if (k->member != NULL && strcmp(k->member, member) != 0)
		k->member = NULL;
	if (k->n < BAD_MAX)
		k->why[k->n++] = why != NULL ? why : "a member is invalid";
}

static enum err refuse(struct hctx *c, const struct checks *k)
{
	c->parameter = k->member;
	return api_bad_fields(c, k->why, k->n);
}

/* jsonx has no test for null: a member that is there and of no other type is one. */
static bool is_null(const struct jsonx_doc *d, const char *path)
{
	const char *s;
	double f;
	bool b;
	size_t n;

	return jsonx_has(d, path) && !jsonx_get_str(d, path, &s) && !jsonx_get_num(d, path, &f) &&
	       !jsonx_get_bool(d, path, &b) && !jsonx_get_len(d, path, &n);
}

/* An array with an element (an empty one cannot be told from {} by jsonx's getters). */
static bool has_elem(const struct jsonx_doc *d, const char *path)
{
	struct jsonx_doc *e;

	if (!jsonx_get_elem(d, path, 0, &e))
		return false;
	jsonx_doc_free(e);
	return true;
}

/* The route's :name, copied, when ok says it is a name; NULL otherwise. */
static const char *path_name(struct hctx *c, bool (*ok)(struct str))
{
	struct str s = hctx_param(c, "name");

	return ok(s) ? arena_strndup(c->arena, s.p, s.len) : NULL;
}

static void buf_release(void *p)
{
	buf_free(p);
}

/* A buffer of at most max bytes whose storage goes with the arena; NULL when it is full. */
static struct buf *arena_buf(struct hctx *c, size_t max)
{
	struct buf *b = arena_alloc(c->arena, sizeof(*b));

	if (b == NULL)
		return NULL;
	buf_init(b, max);
	return arena_defer(c->arena, buf_release, b) == 0 ? b : NULL;
}

/* ---- Settings ---------------------------------------------------------------------- */

/* The members of the settings and the tenants column each is kept in. */
enum setting_type { T_PREFIX, T_COUNT, T_BOOL, T_ALIAS, T_SIMILARITY, T_URL };
static const struct setting {
	const char *member, *column, *cast;
	enum setting_type type;
	bool nullable;
	int64_t min, max; /* of a count */
} settings[] = {
    {"prefix", "ai_prefix", "text", T_PREFIX, true, 0, 0},
    {"budget_micros", "ai_budget_micros", "bigint", T_COUNT, true, 0, INT64_MAX / 4},
    {"key_budget_micros", "ai_key_budget_micros", "bigint", T_COUNT, true, 0, INT64_MAX / 4},
    {"budget_day_micros", "ai_budget_day_micros", "bigint", T_COUNT, true, 0, INT64_MAX / 4},
    {"key_budget_day_micros", "ai_key_budget_day_micros", "bigint", T_COUNT, true, 0,
     INT64_MAX / 4},
    {"team_budget_micros", "ai_team_budget_micros", "bigint", T_COUNT, true, 0, INT64_MAX / 4},
    {"team_budget_day_micros", "ai_team_budget_day_micros", "bigint", T_COUNT, true, 0,
     INT64_MAX / 4},
    {"budget_warn_percent", "ai_budget_warn_pct", "integer", T_COUNT, false, 1, 100},
    {"budget_webhook_url", "ai_budget_webhook", "text", T_URL, true, 0, 0},
    {"tpm", "ai_tpm", "bigint", T_COUNT, true, 0, INT64_MAX / 4},
    {"key_tpm", "ai_key_tpm", "bigint", T_COUNT, true, 0, INT64_MAX / 4},
    {"cache_ttl_seconds", "ai_cache_ttl_s", "integer", T_COUNT, false, 0, 30 * 86400},
    {"cache_nondeterministic", "ai_cache_any", "boolean", T_BOOL, false, 0, 0},
    {"semantic_alias", "ai_semantic_alias", "text", T_ALIAS, true, 0, 0},
    {"semantic_threshold", "ai_semantic_threshold", "real", T_SIMILARITY, false, 0, 0},
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))
/* In the order of settings[] (write_settings() reads them by index). */
#define SETTINGS_COLS                                                                              \
	"ai_prefix, ai_budget_micros, ai_key_budget_micros, ai_budget_day_micros, "                \
	"ai_key_budget_day_micros, ai_team_budget_micros, ai_team_budget_day_micros, "             \
	"ai_budget_warn_pct, ai_budget_webhook, ai_tpm, ai_key_tpm, ai_cache_ttl_s, "              \
	"ai_cache_any, "                                                                           \
	"ai_semantic_alias, ai_semantic_threshold"

static void write_settings(struct hctx *c, struct jsonx_w *w, const struct sql_res *r)
{
	char secret[AI_WEBHOOK_SECRET_LEN];
	size_t i;

	jsonx_obj_open(w);
	for (i = 0; i < NSETTINGS; i++) {
		jsonx_key(w, settings[i].member);
		if (sql_is_null(r, 0, (int)i))
			jsonx_null(w);
		else if (settings[i].type == T_COUNT)
			jsonx_int(w, sql_get_i64(r, 0, (int)i));
		else if (settings[i].type == T_BOOL)
			jsonx_bool(w, strcmp(sql_get(r, 0, (int)i), "t") == 0);
		else if (settings[i].type == T_SIMILARITY)
			jsonx_number_text(w, sql_get(r, 0, (int)i));
		else
			jsonx_str(w, sql_get(r, 0, (int)i));
	}
	/* What the budget webhook's signatures are made with (read only). */
	ai_webhook_secret(c->app->cfg, c->tenant_id, secret);
	jsonx_kstr(w, "budget_webhook_secret", secret);
	jsonx_obj_close(w);
}

enum err api_ai_get(struct hctx *c)
{
	char tenant[24];
	const char *params[1] = {tenant};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r, "SELECT " SETTINGS_COLS " FROM tenants WHERE id = $1", 1,
			 params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_NOTFOUND;
	hctx_json_begin(c, &w);
	write_settings(c, &w, r);
	hctx_json_end(c, &w);
	return ERR_OK;
}

struct settings_req {
	bool set[NSETTINGS];	      /* the member was given */
	const char *value[NSETTINGS]; /* as SQL text; NULL: null, turned off */
	char num[NSETTINGS][32];
};

static enum err settings_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const struct settings_req *q = arg;
	const char *params[1 + 2 * NSETTINGS];
	char tenant[24], target[600];
	struct sql_res *r;
	struct jsonx_w w;
	struct buf sql;
	size_t used = 0, i;
	enum err e;
	int len;

	(void)secret;
	str_fmt_i64(tenant, c->tenant_id);
	params[0] = tenant;
	target[0] = '\0';
	buf_init(&sql, 8192);
	buf_puts(&sql, "UPDATE tenants SET ");
	for (i = 0; i < NSETTINGS; i++) {
		/* Column names come from the table above, never from the request. */
		buf_printf(&sql, "%s = CASE WHEN $%zu::bool THEN $%zu::%s ELSE %s END, ",
			   settings[i].column, 2 + 2 * i, 3 + 2 * i, settings[i].cast,
			   settings[i].column);
		params[1 + 2 * i] = q->set[i] ? "t" : "f";
		params[2 + 2 * i] = q->value[i];
		if (!q->set[i])
			continue;
		len = snprintf(target + used, sizeof(target) - used, "%s%s=%s", used ? " " : "",
			       settings[i].member, q->value[i] != NULL ? q->value[i] : "off");
		if (len > 0 && (size_t)len < sizeof(target) - used)
			used += (size_t)len;
	}
	buf_puts(&sql, "updated_at = now() WHERE id = $1 RETURNING " SETTINGS_COLS);
	if (used == 0) /* nothing to change: the settings as they are */
		e = api_sql(c, &r, "SELECT " SETTINGS_COLS " FROM tenants WHERE id = $1", 1,
			    params);
	else
		e = api_sql(c, &r, sql.p, (int)(1 + 2 * NSETTINGS), params);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_NOTFOUND;
	if (used > 0 && (e = api_audit(c, c->tenant_id, "ai.settings", target)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	write_settings(c, &w, r);
	return ERR_OK;
}

enum err api_ai_patch(struct hctx *c)
{
	const char *members[NSETTINGS];
	struct settings_req q;
	struct checks k = {{NULL}, 0, NULL};
	struct jsonx_doc *d;
	bool b;
	int64_t v;
	double f;
	enum err e;
	size_t i;

	memset(&q, 0, sizeof(q));
	for (i = 0; i < NSETTINGS; i++)
		members[i] = settings[i].member;
	if ((e = api_read_json(c, members, NSETTINGS, &d)) != ERR_OK)
		return e;
	for (i = 0; i < NSETTINGS; i++) {
		const char *m = settings[i].member;

		if (!jsonx_has(d, m))
			continue;
		q.set[i] = true;
		if (is_null(d, m)) {
			if (!settings[i].nullable)
				complain(c, &k, m, "%s cannot be null", m);
			continue; /* value NULL: off */
		}
		switch (settings[i].type) {
		case T_PREFIX:
			if (!jsonx_get_str(d, m, &q.value[i]) || !ai_prefix_ok(q.value[i]))
				complain(
				    c, &k, m,
				    "prefix must be null (AI routes off), \"\" (the root) or 1 "
				    "to %d segments such as /v1 or /ai/v1, each '/' and 1 to %d "
				    "letters, digits, '.', '_', '~' or '-'",
				    AI_PREFIX_SEGMENTS, AI_PREFIX_SEGMENT_MAX);
			break;
		case T_COUNT:
			if (!jsonx_get_int(d, m, &v) || v < settings[i].min || v > settings[i].max)
				complain(c, &k, m, "%s must be a whole number from %lld to %lld%s",
					 m, (long long)settings[i].min, (long long)settings[i].max,
					 settings[i].nullable ? ", or null" : "");
			else {
				str_fmt_i64(q.num[i], v);
				q.value[i] = q.num[i];
			}
			break;
		case T_BOOL:
			if (!jsonx_get_bool(d, m, &b))
				complain(c, &k, m, "%s must be true or false", m);
			else
				q.value[i] = b ? "t" : "f";
			break;
		case T_ALIAS:
			if (!jsonx_get_str(d, m, &q.value[i]) ||
			    !ai_alias_name_ok(str_c(q.value[i])))
				complain(c, &k, m, "%s must name an alias (or be null)", m);
			break;
		case T_URL: {
			const char *u;
			char *copy, why[400];

			if (!jsonx_get_str(d, m, &u) ||
			    (copy = arena_strndup(c->arena, u, strlen(u))) == NULL)
				complain(c, &k, m, "%s must be an http(s) URL, or null", m);
			else if (!ai_base_url_ok(c->app->cfg, copy, why, sizeof(why)))
				complain(c, &k, m, "%s%s", m,
					 why + (strncmp(why, "base_url", 8) == 0 ? 8 : 0));
			else
				q.value[i] = copy;
			break;
		}
		case T_SIMILARITY:
			if (!jsonx_get_num(d, m, &f) || !(f >= 0.5 && f <= 1.0))
				complain(c, &k, m, "%s must be a number from 0.5 to 1", m);
			else {
				snprintf(q.num[i], sizeof(q.num[i]), "%.6f", f);
				q.value[i] = q.num[i];
			}
			break;
		}
	}
	if (k.n > 0)
		return refuse(c, &k);
	return api_change(c, 200, settings_work, &q);
}

/* ---- Providers --------------------------------------------------------------------- */

/* operator: one of the operator's, which every tenant's aliases may name (read only). */
static void write_provider(struct jsonx_w *w, const struct sql_res *r, int i, bool operator)
{
	jsonx_obj_open(w);
	jsonx_kstr(w, "name", sql_get(r, i, P_NAME));
	jsonx_kstr(w, "kind", sql_get(r, i, P_KIND));
	jsonx_kstr(w, "base_url", sql_get(r, i, P_BASE_URL));
	jsonx_kbool(w, "has_key", strcmp(sql_get(r, i, P_HAS_KEY), "t") == 0);
	jsonx_kstr(w, "created_at", sql_get(r, i, P_CREATED));
	jsonx_kstr(w, "updated_at", sql_get(r, i, P_UPDATED));
	jsonx_kbool(w, "operator", operator);
	jsonx_obj_close(w);
}

enum err api_ai_providers_get(struct hctx *c)
{
	char tenant[24];
	const char *params[1] = {tenant};
	struct sql_res *r, *o;
	struct jsonx_w w;
	enum err e;
	int i;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r,
			 "SELECT " PROVIDER_COLS " FROM ai_providers WHERE tenant_id = $1 "
			 "ORDER BY name",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &o,
			 "SELECT " PROVIDER_COLS " FROM ai_operator_providers o "
			 "WHERE NOT EXISTS (SELECT 1 FROM ai_providers p WHERE p.tenant_id = $1 "
			 "AND p.name = o.name) ORDER BY name",
			 1, params)) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_arr_open(&w);
	for (i = 0; i < sql_rows(r); i++)
		write_provider(&w, r, i, false);
	for (i = 0; i < sql_rows(o); i++)
		write_provider(&w, o, i, true);
	jsonx_arr_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

struct provider_req {
	const char *name, *kind, *base_url;
	const char *key; /* NULL: none to store */
	bool keep_key;	 /* api_key absent: the stored one (if any) stays */
};

static enum err provider_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const struct provider_req *q = arg;
	unsigned char sealed[AI_API_KEY_MAX + CRYPTOX_SEAL_EXTRA];
	char tenant[24], hex[2 * sizeof(sealed) + 3];
	const char *keep = q->keep_key ? "t" : "f";
	const char *params[6] = {tenant, q->name, q->kind, q->base_url, NULL, keep};
	struct sql_res *r;
	struct jsonx_w w;
	size_t n;
	enum err e;

	(void)secret;
	str_fmt_i64(tenant, c->tenant_id);
	if (q->key != NULL) {
		n = strlen(q->key);
		cryptox_seal(c->app->cfg->secret_key, API_AI_KEY_PURPOSE, q->key, n, sealed);
		sql_bytea_param(sealed, n + CRYPTOX_SEAL_EXTRA, hex, sizeof(hex));
		params[4] = hex;
	}
	e = api_sql(
	    c, &r,
	    "INSERT INTO ai_providers AS p (tenant_id, name, kind, base_url, key_sealed) "
	    "VALUES ($1, $2, $3, $4, $5::bytea) ON CONFLICT (tenant_id, name) DO UPDATE "
	    "SET kind = EXCLUDED.kind, base_url = EXCLUDED.base_url, "
	    "key_sealed = CASE WHEN $6::bool THEN p.key_sealed ELSE EXCLUDED.key_sealed END, "
	    "updated_at = now() RETURNING " PROVIDER_COLS,
	    6, params);
	if (e != ERR_OK)
		return e;
	log_info("tenant %lld AI provider %s set to %s %s", (long long)c->tenant_id, q->name,
		 q->kind, q->base_url);
	if ((e = api_audit(c, c->tenant_id, "ai.provider.set", q->name)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	write_provider(&w, r, 0, false);
	return ERR_OK;
}

/* The plain key is in the parsed document and in the body it came in: both are wiped
 * once the request is done with them, whatever came of it. */
static void wipe_key(struct hctx *c, const char *key)
{
	if (key != NULL)
		cryptox_wipe((char *)key, strlen(key));
	if (c->rq->body.p != NULL)
		cryptox_wipe((char *)c->rq->body.p, c->rq->body.len);
}

enum err api_ai_provider_put(struct hctx *c)
{
	static const char *const members[] = {"kind", "base_url", "api_key"};
	struct provider_req q = {NULL, NULL, NULL, NULL, false};
	struct checks k = {{NULL}, 0, NULL};
	const char *url = NULL, *key = NULL;
	struct jsonx_doc *d;
	char why[400], *stored;
	enum err e;

	if ((q.name = path_name(c, ai_provider_name_ok)) == NULL)
		return api_bad_param(c, "name",
				     "A provider's name is 1 to 63 of a-z, 0-9, '_' and '-', "
				     "starting with a letter or a digit.");
	if ((e = api_read_json(c, members, 3, &d)) != ERR_OK)
		goto out;
	if (!jsonx_get_str(d, "kind", &q.kind) ||
	    (strcmp(q.kind, "openai") != 0 && strcmp(q.kind, "anthropic") != 0))
		complain(c, &k, "kind", "kind must be openai or anthropic");
	if (!jsonx_get_str(d, "base_url", &url))
		complain(c, &k, "base_url",
			 jsonx_has(d, "base_url") ? "base_url must be a string"
						  : "base_url is required");
	q.keep_key = !jsonx_has(d, "api_key");
	if (!q.keep_key && !is_null(d, "api_key") &&
	    (!jsonx_get_str(d, "api_key", &key) || !ai_api_key_ok(key)))
		complain(c, &k, "api_key",
			 "api_key must be 1 to %d visible ASCII characters (no spaces), or null "
			 "to remove the stored one",
			 AI_API_KEY_MAX);
	if (k.n > 0) {
		e = refuse(c, &k);
		goto out;
	}
	if ((stored = arena_strndup(c->arena, url, strlen(url))) == NULL ||
	    !ai_base_url_ok(c->app->cfg, stored, why, sizeof(why))) {
		c->parameter = "base_url";
		e = api_bad_body(c, arena_strndup(c->arena, why, strlen(why)));
		goto out;
	}
	q.base_url = stored;
	q.key = key;
	e = api_change(c, 200, provider_work, &q);
out:
	wipe_key(c, key);
	return e;
}

/* ---- Removal ----------------------------------------------------------------------- */

struct remove_req {
	const char *name, *sql, *missing, *action;
};

static enum err remove_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const struct remove_req *q = arg;
	char tenant[24];
	const char *params[2] = {tenant, q->name};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	(void)secret;
	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r, q->sql, 2, params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1) {
		c->detail = q->missing;
		return ERR_NOTFOUND;
	}
	if ((e = api_audit(c, c->tenant_id, q->action, q->name)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "name", q->name);
	jsonx_kbool(&w, "removed", true);
	jsonx_obj_close(&w);
	return ERR_OK;
}

enum err api_ai_provider_remove(struct hctx *c)
{
	struct remove_req q = {
	    path_name(c, ai_provider_name_ok),
	    "DELETE FROM ai_providers WHERE tenant_id = $1 AND name = $2 RETURNING name",
	    NO_PROVIDER, "ai.provider.remove"};

	if (q.name == NULL) {
		c->detail = NO_PROVIDER;
		return ERR_NOTFOUND;
	}
	return api_change(c, 200, remove_work, &q);
}

/* ---- Aliases ----------------------------------------------------------------------- */

static void write_alias(struct jsonx_w *w, const struct sql_res *r, int i)
{
	jsonx_obj_open(w);
	jsonx_kstr(w, "name", sql_get(r, i, A_NAME));
	jsonx_key(w, "targets");
	jsonx_raw(w, sql_get(r, i, A_TARGETS), strlen(sql_get(r, i, A_TARGETS)));
	jsonx_key(w, "by_plan");
	jsonx_raw(w, sql_get(r, i, A_BY_PLAN), strlen(sql_get(r, i, A_BY_PLAN)));
	jsonx_kstr(w, "created_at", sql_get(r, i, A_CREATED));
	jsonx_kstr(w, "updated_at", sql_get(r, i, A_UPDATED));
	jsonx_obj_close(w);
}

enum err api_ai_aliases_get(struct hctx *c)
{
	return api_list_rows(
	    c, "SELECT " ALIAS_COLS " FROM ai_aliases WHERE tenant_id = $1 ORDER BY name",
	    write_alias);
}

/* An alias to store: its targets and by_plan as normalised JSON (provider, model and
 * weight only), and every provider name they use, with where, to check they exist. */
struct alias_req {
	const char *name;
	struct buf *targets, *by_plan, *refs; /* refs: a JSON array of the names */
	struct jsonx_w refs_w;
	const char *where[REFS_MAX]; /* "targets[0]", "by_plan.free[1]"... */
	size_t nrefs;
};

/* Element i of the target array at label: an object {provider, model, weight?}, written
 * to w as such. */
static void check_target(struct hctx *c, const struct jsonx_doc *el, const char *label, size_t i,
			 struct jsonx_w *w, struct alias_req *q, struct checks *k)
{
	const char *member = strncmp(label, "by_plan", 7) == 0 ? "by_plan" : "targets";
	const char *provider = NULL, *model = NULL, *at;
	bool has_weight = jsonx_has(el, "weight");
	size_t members, known;
	char tmp[64];
	int64_t weight = 0;

	snprintf(tmp, sizeof(tmp), "%s[%zu]", label, i);
	if ((at = arena_strndup(c->arena, tmp, strlen(tmp))) == NULL)
		at = member;
	if (!jsonx_get_len(el, "", &members) || has_elem(el, "")) {
		complain(c, k, member, "%s must be an object {provider, model, weight}", at);
		return;
	}
	if (!jsonx_get_str(el, "provider", &provider))
		complain(c, k, member, "%s.provider must be a string, the name of a provider", at);
	else if (!ai_provider_name_ok(str_c(provider)))
		complain(c, k, member, "%s.provider: this tenant has no provider '%.64s'", at,
			 provider);
	else if (q->nrefs < REFS_MAX) {
		q->where[q->nrefs++] = at;
		jsonx_str(&q->refs_w, provider);
	}
	if (!jsonx_get_str(el, "model", &model) || !ai_model_ok(model))
		complain(c, k, member,
			 "%s.model must be a string of 1 to %d bytes without control characters",
			 at, AI_MODEL_MAX);
	if (has_weight &&
	    (!jsonx_get_int(el, "weight", &weight) || weight < 0 || weight > WEIGHT_MAX))
		complain(c, k, member, "%s.weight must be a whole number from 0 to %d", at,
			 WEIGHT_MAX);
	known =
	    (size_t)jsonx_has(el, "provider") + (size_t)jsonx_has(el, "model") + (size_t)has_weight;
	if (members > known)
		complain(c, k, member, "%s may have only provider, model and weight", at);
	jsonx_obj_open(w);
	jsonx_kstr(w, "provider", provider != NULL ? provider : "");
	jsonx_kstr(w, "model", model != NULL ? model : "");
	if (has_weight)
		jsonx_kint(w, "weight", weight);
	jsonx_obj_close(w);
}

/* The array of 1 to 8 targets at path (label in messages), written to w. */
static void check_targets(struct hctx *c, const struct jsonx_doc *d, const char *path,
			  const char *label, struct jsonx_w *w, struct alias_req *q,
			  struct checks *k)
{
	const char *member = strncmp(label, "by_plan", 7) == 0 ? "by_plan" : "targets";
	struct jsonx_doc *el;
	size_t n, i;

	if (!jsonx_get_len(d, path, &n) || n < 1 || n > TARGETS_MAX || !has_elem(d, path)) {
		complain(c, k, member, "%s must be an array of 1 to %d targets", label,
			 TARGETS_MAX);
		jsonx_null(w); /* a value for the key before it; refused anyway */
		return;
	}
	jsonx_arr_open(w);
	for (i = 0; i < n && jsonx_get_elem(d, path, i, &el); i++) {
		check_target(c, el, label, i, w, q, k);
		jsonx_doc_free(el);
	}
	jsonx_arr_close(w);
}

/* by_plan: an object from plan ids (the plans table's) to target arrays. jsonx cannot list
 * an object's members, so PostgreSQL does, from the body (valid JSON, as jansson read
 * it). */
static enum err check_by_plan(struct hctx *c, const struct jsonx_doc *d, struct alias_req *q,
			      struct checks *k)
{
	const char *params[1], *label;
	char path[64];
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i;

	jsonx_w_init(&w, q->by_plan);
	if (!jsonx_has(d, "by_plan") || is_null(d, "by_plan")) {
		jsonx_obj_open(&w);
		jsonx_obj_close(&w);
		return ERR_OK;
	}
	if ((params[0] = arena_strndup(c->arena, c->rq->body.p, c->rq->body.len)) == NULL)
		return ERR_TOOBIG;
	e = api_sql(c, &r,
		    "SELECT jsonb_typeof(b -> 'by_plan'), k, "
		    "EXISTS (SELECT 1 FROM plans p WHERE p.id = k) FROM (SELECT $1::jsonb AS b) s "
		    "LEFT JOIN LATERAL jsonb_object_keys(CASE WHEN jsonb_typeof(b -> 'by_plan') = "
		    "'object' THEN b -> 'by_plan' ELSE '{}' END) AS k ON true ORDER BY k",
		    1, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) < 1 || strcmp(sql_get(r, 0, 0), "object") != 0) {
		complain(c, k, "by_plan",
			 "by_plan must be an object from plan ids to target arrays");
		return ERR_OK;
	}
	if (sql_rows(r) > PLANS_MAX) {
		complain(c, k, "by_plan", "by_plan may have at most %d plans", PLANS_MAX);
		return ERR_OK;
	}
	jsonx_obj_open(&w);
	for (i = 0; i < sql_rows(r); i++) {
		const char *plan = sql_get(r, i, 1);

		if (sql_is_null(r, i, 1))
			continue; /* {} */
		if (strcmp(sql_get(r, i, 2), "t") != 0) {
			complain(c, k, "by_plan",
				 "by_plan: '%.32s' is not a plan's id (GET /api/v1/tenant shows "
				 "the tenant's)",
				 plan);
			continue;
		}
		/* A plan's id is ^[a-z][a-z0-9_-]{0,31}$: no '.' to upset the path. */
		snprintf(path, sizeof(path), "by_plan.%s", plan);
		if ((label = arena_strndup(c->arena, path, strlen(path))) == NULL)
			return ERR_TOOBIG;
		jsonx_key(&w, plan);
		check_targets(c, d, path, label, &w, q, k);
	}
	jsonx_obj_close(&w);
	return ERR_OK;
}

static enum err alias_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const struct alias_req *q = arg;
	char tenant[24];
	const char *params[4] = {tenant, q->name, q->targets->p, q->by_plan->p};
	const char *check[2] = {tenant, q->refs->p};
	struct sql_res *r;
	struct jsonx_w w;
	const char *where, *detail;
	char tmp[300];
	enum err e;
	int64_t at;

	(void)secret;
	str_fmt_i64(tenant, c->tenant_id);
	/* Every provider named is one of the tenant's, as the alias is stored. */
	e = api_sql(c, &r,
		    "SELECT t.n, t.i FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY "
		    "AS t(n, i) WHERE NOT EXISTS (SELECT 1 FROM ai_providers p "
		    "WHERE p.tenant_id = $1 AND p.name = t.n) AND NOT EXISTS "
		    "(SELECT 1 FROM ai_operator_providers o WHERE o.name = t.n) "
		    "ORDER BY t.i LIMIT 1",
		    2, check);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) == 1) {
		at = sql_get_i64(r, 0, 1);
		where = at >= 1 && (size_t)at <= q->nrefs ? q->where[at - 1] : "targets";
		snprintf(tmp, sizeof(tmp),
			 "%s.provider: neither this tenant nor the operator has a provider "
			 "'%s' (PUT /api/v1/ai/providers/%s makes it).",
			 where, sql_get(r, 0, 0), sql_get(r, 0, 0));
		detail = arena_strndup(c->arena, tmp, strlen(tmp));
		c->parameter = strncmp(where, "by_plan", 7) == 0 ? "by_plan" : "targets";
		return api_bad_body(c, detail != NULL ? detail : "An unknown provider is named.");
	}
	e = api_sql(
	    c, &r,
	    "INSERT INTO ai_aliases (tenant_id, name, targets, by_plan) "
	    "VALUES ($1, $2, $3::jsonb, $4::jsonb) ON CONFLICT (tenant_id, name) DO UPDATE "
	    "SET targets = EXCLUDED.targets, by_plan = EXCLUDED.by_plan, updated_at = now() "
	    "RETURNING " ALIAS_COLS,
	    4, params);
	if (e != ERR_OK)
		return e;
	if ((e = api_audit(c, c->tenant_id, "ai.alias.set", q->name)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	write_alias(&w, r, 0);
	return ERR_OK;
}

enum err api_ai_alias_put(struct hctx *c)
{
	static const char *const members[] = {"targets", "by_plan"};
	struct checks k = {{NULL}, 0, NULL};
	struct alias_req *q;
	struct jsonx_doc *d;
	struct jsonx_w w;
	enum err e;

	if ((q = arena_alloc(c->arena, sizeof(*q))) == NULL)
		return ERR_TOOBIG;
	memset(q, 0, sizeof(*q));
	if ((q->name = path_name(c, ai_alias_name_ok)) == NULL)
		return api_bad_param(c, "name",
				     "An alias's name is 1 to 128 letters, digits, '.', '_', ':' "
				     "and '-', starting with a letter or a digit.");
	if ((e = api_read_json(c, members, 2, &d)) != ERR_OK)
		return e;
	if ((q->targets = arena_buf(c, ALIAS_JSON_MAX)) == NULL ||
	    (q->by_plan = arena_buf(c, ALIAS_JSON_MAX)) == NULL ||
	    (q->refs = arena_buf(c, ALIAS_JSON_MAX)) == NULL)
		return ERR_TOOBIG;
	jsonx_w_init(&q->refs_w, q->refs);
	jsonx_arr_open(&q->refs_w);
	jsonx_w_init(&w, q->targets);
	if (!jsonx_has(d, "targets"))
		complain(c, &k, "targets", "targets is required");
	else
		check_targets(c, d, "targets", "targets", &w, q, &k);
	if ((e = check_by_plan(c, d, q, &k)) != ERR_OK)
		return e;
	jsonx_arr_close(&q->refs_w);
	if (k.n > 0)
		return refuse(c, &k);
	if (q->targets->overflow || q->by_plan->overflow || q->refs->overflow)
		return ERR_SYS;
	return api_change(c, 200, alias_work, q);
}

enum err api_ai_alias_remove(struct hctx *c)
{
	struct remove_req q = {
	    path_name(c, ai_alias_name_ok),
	    "DELETE FROM ai_aliases WHERE tenant_id = $1 AND name = $2 RETURNING name", NO_ALIAS,
	    "ai.alias.remove"};

	if (q.name == NULL) {
		c->detail = NO_ALIAS;
		return ERR_NOTFOUND;
	}
	return api_change(c, 200, remove_work, &q);
}
