/* The signed-in portal: dashboard and first-run guide, upstream, keys, quickstart, abuse.
 * Every statement names its tenant ($1) and runs in the tenant's transaction, behind
 * row-level security. */
#include "portal_pages.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../api/api.h"
#include "../api/api_abuse.h"
#include "../api/api_audit.h"
#include "../api/api_decisions.h"
#include "../api/api_keys.h"
#include "../api/api_tenant.h"
#include "portal.h"

#define THIS_MONTH "date_trunc('month', now() AT TIME ZONE 'UTC')::date"
#define TIME_FMT   "'YYYY-MM-DD HH24:MI'"

#define CHART_W 600
#define CHART_H 140

static const char *tenant_param(struct hctx *c, char buf[24])
{
	str_fmt_i64(buf, c->tenant_id);
	return buf;
}

static enum err not_found(struct hctx *c, const char *what)
{
	c->detail = what;
	return ERR_NOTFOUND;
}

/* A bar chart as SVG numbers: one bar per row of r (label, count), scaled to the largest. */
static struct tmpl_value *chart(struct hctx *c, const struct sql_res *r, int label_every)
{
	struct tmpl_value *ch = tmpl_map(c->arena), *bars = tmpl_list(c->arena);
	int i, n = sql_rows(r);
	int64_t max = 0, total = 0, v;
	double w = n > 0 ? (double)CHART_W / n : CHART_W;

	for (i = 0; i < n; i++) {
		v = sql_get_i64(r, i, 1);
		max = v > max ? v : max;
		total += v;
	}
	for (i = 0; i < n; i++) {
		struct tmpl_value *b = tmpl_map(c->arena);
		double h;

		v = sql_get_i64(r, i, 1);
		h = max > 0 ? (double)v * CHART_H / (double)max : 0;
		if (v > 0 && h < 1)
			h = 1;
		tmpl_map_set(b, "x", tmpl_num(c->arena, (double)(int64_t)(i * w * 10) / 10));
		tmpl_map_set(b, "w", tmpl_num(c->arena, (double)(int64_t)((w - 2) * 10) / 10));
		tmpl_map_set(b, "y",
			     tmpl_num(c->arena, (double)(int64_t)((CHART_H - h) * 10) / 10));
		tmpl_map_set(b, "h", tmpl_num(c->arena, (double)(int64_t)(h * 10) / 10));
		tmpl_map_set(b, "tx",
			     tmpl_num(c->arena, (double)(int64_t)((i + 0.5) * w * 10) / 10));
		portal_set_str(b, "label", sql_get(r, i, 0));
		portal_set_int(b, "count", v);
		tmpl_map_set(b, "tick", tmpl_bool(i % label_every == 0));
		tmpl_list_push(bars, b);
	}
	tmpl_map_set(ch, "bars", bars);
	portal_set_int(ch, "max", max);
	portal_set_int(ch, "total", total);
	portal_set_int(ch, "width", CHART_W);
	portal_set_int(ch, "height", CHART_H);
	portal_set_int(ch, "vh", CHART_H + 24);
	return ch;
}

/* The tenant's name, plan, quota, upstream, live keys and this month's requests. */
static enum err tenant_summary(struct hctx *c, struct tmpl_value *ctx, bool *has_traffic)
{
	static const char *const names[] = {"name",	  "slug",	"plan_id",    "plan",
					    "abuse_mode", "quota",	"upstream",   "live_keys",
					    "requests",	  "status_2xx", "status_3xx", "status_4xx",
					    "status_5xx", "host_header"};
	char tenant[24], money[48];
	const char *params[1] = {tenant_param(c, tenant)};
	struct tmpl_value *t;
	struct sql_res *r;
	char mode[32];
	int64_t used, quota, micros;
	enum err e;

	e = api_sql(c, &r,
		    "SELECT t.name, t.slug, t.plan_id, p.name, t.abuse_mode, l.monthly_requests, "
		    "u.url, (SELECT count(*) FROM api_keys k WHERE k.tenant_id = t.id "
		    "AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())), "
		    "coalesce(sum(m.requests), 0), coalesce(sum(m.status_2xx), 0), "
		    "coalesce(sum(m.status_3xx), 0), coalesce(sum(m.status_4xx), 0), "
		    "coalesce(sum(m.status_5xx), 0), u.host_header, coalesce(sum(m.tokens), 0), "
		    "coalesce(sum(m.cost_micros), 0), t.ai_prefix IS NOT NULL, t.ai_budget_micros "
		    "FROM tenants t JOIN plans p ON p.id = t.plan_id "
		    "JOIN tenant_limits l ON l.tenant_id = t.id "
		    "LEFT JOIN upstreams u ON u.tenant_id = t.id AND u.is_default "
		    "LEFT JOIN usage_monthly m ON m.tenant_id = t.id AND m.month = " THIS_MONTH " "
		    "WHERE t.id = $1 "
		    "GROUP BY t.id, p.name, l.monthly_requests, u.url, u.host_header",
		    1, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_AUTH; /* the tenant is gone: the session with it */
	t = portal_row(c, r, 0, names, 14);
	used = sql_get_i64(r, 0, 8);
	quota = sql_is_null(r, 0, 5) ? 0 : sql_get_i64(r, 0, 5);
	portal_set_count(t, "requests", used);
	portal_set_str(t, "requests_word", used == 1 ? "request" : "requests");
	if (quota > 0)
		portal_set_count(t, "quota", quota);
	for (int j = 9; j <= 12; j++)
		portal_set_count(t, names[j], sql_get_i64(r, 0, j));
	if (quota > 0) {
		int64_t pct = used >= quota ? 100 : used * 100 / quota;

		portal_set_int(t, "quota_pct", pct);
		tmpl_map_set(t, "quota_warn", tmpl_bool(pct >= 80));
	}
	tmpl_map_set(t, "unlimited", tmpl_bool(sql_is_null(r, 0, 5)));
	/* AI routes: the month's tokens and what they cost, against the budget if any. */
	if (strcmp(sql_get(r, 0, 16), "t") == 0 || sql_get_i64(r, 0, 14) > 0) {
		tmpl_map_set(t, "ai", tmpl_bool(true));
		portal_set_count(t, "ai_tokens", sql_get_i64(r, 0, 14));
		micros = sql_get_i64(r, 0, 15);
		str_fmt_micros(micros, money, sizeof(money));
		portal_set_str(t, "ai_cost", money);
		if (!sql_is_null(r, 0, 17)) {
			int64_t budget = sql_get_i64(r, 0, 17);

			str_fmt_micros(budget, money, sizeof(money));
			portal_set_str(t, "ai_budget", money);
			portal_set_int(t, "ai_budget_pct",
				       budget <= 0 || micros >= budget ? 100
								       : micros * 100 / budget);
		}
	}
	snprintf(mode, sizeof(mode), "mode_%s", sql_get(r, 0, 4)); /* "mode_shadow": true */
	tmpl_map_set(t, mode, tmpl_bool(true));
	tmpl_map_set(ctx, "tenant", t);
	tmpl_map_set(ctx, "has_upstream", tmpl_bool(!sql_is_null(r, 0, 6)));
	tmpl_map_set(ctx, "has_key", tmpl_bool(sql_get_i64(r, 0, 7) > 0));
	*has_traffic = used > 0;
	tmpl_map_set(ctx, "has_traffic", tmpl_bool(used > 0));
	portal_set_str(ctx, "gateway_url", c->app->cfg->gateway_url);
	return ERR_OK;
}

enum err portal_home(struct hctx *c)
{
	static const char *const top_names[] = {"prefix", "name", "requests"};
	static const char *const dec_names[] = {"outcome", "count"};
	char tenant[24];
	const char *params[1] = {tenant_param(c, tenant)};
	struct tmpl_value *ctx = portal_ctx(c, "Dashboard", "home");
	struct sql_res *days, *hours, *top, *dec;
	bool traffic;
	enum err e;
	int i;

	if ((e = tenant_summary(c, ctx, &traffic)) != ERR_OK)
		return e;
	{
		char user[24];
		const char *up[2] = {tenant, user};
		struct sql_res *v;

		str_fmt_i64(user, c->session->user_id);
		if ((e = api_sql(c, &v,
				 "SELECT email_verified_at IS NULL FROM users "
				 "WHERE tenant_id = $1 AND id = $2",
				 2, up)) != ERR_OK)
			return e;
		tmpl_map_set(ctx, "unverified",
			     tmpl_bool(sql_rows(v) == 1 && strcmp(sql_get(v, 0, 0), "t") == 0));
	}
	tmpl_map_set(ctx, "setup_done",
		     tmpl_bool(tmpl_map_get(ctx, "has_upstream")->b &&
			       tmpl_map_get(ctx, "has_key")->b && traffic));
	if ((e = api_sql(c, &days,
			 "SELECT to_char(d, 'MM-DD'), coalesce(sum(h.requests), 0) "
			 "FROM generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') - "
			 "interval '13 days', date_trunc('day', now() AT TIME ZONE 'UTC'), "
			 "interval '1 day') d LEFT JOIN usage_hourly h ON h.tenant_id = $1 "
			 "AND h.hour >= d AT TIME ZONE 'UTC' "
			 "AND h.hour < (d + interval '1 day') AT TIME ZONE 'UTC' "
			 "GROUP BY d ORDER BY d",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &hours,
			 "SELECT to_char(d, 'HH24') || 'h', coalesce(sum(h.requests), 0) "
			 "FROM generate_series(date_trunc('hour', now() AT TIME ZONE 'UTC') - "
			 "interval '23 hours', date_trunc('hour', now() AT TIME ZONE 'UTC'), "
			 "interval '1 hour') d LEFT JOIN usage_hourly h ON h.tenant_id = $1 "
			 "AND h.hour = d AT TIME ZONE 'UTC' GROUP BY d ORDER BY d",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &top,
			 "SELECT k.prefix, k.name, m.requests FROM usage_monthly m "
			 "JOIN api_keys k ON k.id = m.key_id AND k.tenant_id = m.tenant_id "
			 "WHERE m.tenant_id = $1 AND m.month = " THIS_MONTH " AND m.requests > 0 "
			 "ORDER BY m.requests DESC, k.id LIMIT 5",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &dec,
			 "SELECT outcome, count(*) FROM abuse_decisions WHERE tenant_id = $1 "
			 "AND at >= date_trunc('month', now()) AND outcome <> 'allow' "
			 "GROUP BY outcome ORDER BY outcome",
			 1, params)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "days", chart(c, days, 2));
	tmpl_map_set(ctx, "hours", chart(c, hours, 3));
	tmpl_map_set(ctx, "top_keys", portal_rows(c, top, top_names, 3));
	tmpl_map_set(ctx, "decisions", portal_rows(c, dec, dec_names, 2));
	for (i = 0; i < sql_rows(dec); i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_count", sql_get(dec, i, 0));
		portal_set_str(ctx, key, sql_get(dec, i, 1));
	}
	return portal_render(c, 200, "home", ctx);
}

static enum err upstream_form(struct hctx *c, int status, const char *error, const char *url,
			      const char *host)
{
	struct tmpl_value *ctx = portal_ctx(c, "Upstream", "upstream");
	bool traffic;
	enum err e;

	if ((e = tenant_summary(c, ctx, &traffic)) != ERR_OK)
		return e;
	if (error != NULL) {
		portal_set_str(ctx, "error", error);
		portal_set_str(ctx, "url", url);
		portal_set_str(ctx, "host", host);
	} else {
		const struct tmpl_value *t = tmpl_map_get(ctx, "tenant");
		const struct tmpl_value *u = tmpl_map_get(t, "upstream"),
					*h = tmpl_map_get(t, "host_header");

		tmpl_map_set(ctx, "url", u);
		tmpl_map_set(ctx, "host", h);
	}
	return portal_render(c, status, "upstream", ctx);
}

enum err portal_upstream_page(struct hctx *c)
{
	return upstream_form(c, 200, NULL, NULL, NULL);
}

enum err portal_upstream_save(struct hctx *c)
{
	const char *url = form_get(c->form, "url"), *host = form_get(c->form, "host");
	char why[400];
	enum err e;

	url = url != NULL ? url : "";
	host = host != NULL ? host : "";
	e = api_tenant_set_upstream(c, url, host, why, sizeof(why));
	if (e == ERR_INPUT)
		return upstream_form(c, 422, why, url, host);
	return e != ERR_OK ? e : portal_redirect(c, "/portal/");
}

/* The keys page, with a key just made (secret shown once) when key is not NULL. */
static enum err keys_page(struct hctx *c, int status, const char *key, const char *error)
{
	static const char *const names[] = {"id",      "name",	 "prefix",   "created",
					    "expires", "status", "requests", "last_used"};
	char tenant[24];
	const char *params[1] = {tenant_param(c, tenant)};
	struct tmpl_value *ctx = portal_ctx(c, "API keys", "keys"), *list;
	struct sql_res *r;
	enum err e;
	int i;

	e = api_sql(
	    c, &r,
	    "SELECT k.id, k.name, k.prefix, to_char(k.created_at AT TIME ZONE 'UTC', " TIME_FMT
	    "), to_char(k.expires_at AT TIME ZONE 'UTC', " TIME_FMT "), "
	    "CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' "
	    "WHEN k.expires_at <= now() THEN 'expired' "
	    "WHEN k.expires_at <= now() + interval '31 days' THEN 'expiring' ELSE 'active' END, "
	    "coalesce(m.requests, 0), (SELECT to_char(max(h.hour) AT TIME ZONE 'UTC', " TIME_FMT
	    ") FROM usage_hourly h WHERE h.tenant_id = k.tenant_id AND h.key_id = k.id) "
	    "FROM api_keys k LEFT JOIN usage_monthly m ON m.tenant_id = k.tenant_id "
	    "AND m.key_id = k.id AND m.month = " THIS_MONTH " "
	    "WHERE k.tenant_id = $1 ORDER BY k.id DESC LIMIT 200",
	    1, params);
	if (e != ERR_OK)
		return e;
	list = tmpl_list(c->arena);
	for (i = 0; i < sql_rows(r); i++) {
		struct tmpl_value *m = portal_row(c, r, i, names, 8);

		/* An expiring key (one rotated, say) may be revoked, not rotated again. */
		tmpl_map_set(m, "active", tmpl_bool(strcmp(sql_get(r, i, 5), "active") == 0));
		tmpl_map_set(m, "live",
			     tmpl_bool(strcmp(sql_get(r, i, 5), "active") == 0 ||
				       strcmp(sql_get(r, i, 5), "expiring") == 0));
		portal_set_count(m, "requests", sql_get_i64(r, i, 6));
		tmpl_list_push(list, m);
	}
	tmpl_map_set(ctx, "keys", list);
	portal_set_str(ctx, "gateway_url", c->app->cfg->gateway_url);
	if (key != NULL) {
		portal_set_str(ctx, "new_key", key);
		portal_set_str(ctx, "key", key); /* for the curl lines */
	}
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	return portal_render(c, status, "keys", ctx);
}

enum err portal_keys(struct hctx *c)
{
	return keys_page(c, 200, NULL, NULL);
}

enum err portal_key_create(struct hctx *c)
{
	const char *name = form_get(c->form, "name"), *days = form_get(c->form, "expires_days");
	char key[GATE_KEY_LEN + 1];
	struct sql_res *r;
	int64_t d = 0;
	enum err e;

	name = name != NULL ? name : "";
	days = days != NULL ? days : "";
	if (strlen(name) > 200)
		return keys_page(c, 422, NULL, "A key's name is at most 200 characters.");
	if (days[0] != '\0' && str_to_i64(str_c(days), 1, 3650, &d) != ERR_OK)
		return keys_page(c, 422, NULL, "Expiry must be a number of days from 1 to 3650.");
	if ((e = api_keys_create(c, name, d, form_get(c->form, "test") != NULL, key, &r)) != ERR_OK)
		return e;
	e = keys_page(c, 201, key, NULL);
	cryptox_wipe(key, sizeof(key));
	return e;
}

enum err portal_key_revoke(struct hctx *c)
{
	struct sql_res *r;
	int64_t id;
	enum err e;

	if (str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, &id) != ERR_OK)
		return not_found(c, "There is no such key.");
	if ((e = api_keys_revoke(c, id, &r)) != ERR_OK)
		return e;
	return portal_redirect(c, "/portal/keys");
}

/* A new key in place of an old one, which keeps working for the grace period the tenant
 * picked (minutes; 0 ends it now), so callers can move over without an outage. */
enum err portal_key_rotate(struct hctx *c)
{
	const char *grace = form_get(c->form, "grace_minutes");
	char key[GATE_KEY_LEN + 1];
	struct sql_res *old, *r;
	int64_t id, g;
	enum err e;

	if (str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, &id) != ERR_OK)
		return not_found(c, "There is no such key.");
	if (grace == NULL || str_to_i64(str_c(grace), 0, 43200, &g) != ERR_OK)
		return keys_page(c, 422, NULL,
				 "The grace period must be 0 to 43200 minutes (30 days).");
	if ((e = api_keys_rotate(c, id, g, key, &old, &r)) != ERR_OK)
		return e;
	e = keys_page(c, 201, key, NULL);
	cryptox_wipe(key, sizeof(key));
	return e;
}

enum err portal_quickstart(struct hctx *c)
{
	struct tmpl_value *ctx = portal_ctx(c, "Quickstart", "quickstart");
	bool traffic;
	enum err e;

	if ((e = tenant_summary(c, ctx, &traffic)) != ERR_OK)
		return e;
	portal_set_str(ctx, "key", "$KEY");
	/* Until the first request has arrived the page looks again every few seconds. */
	if (!traffic)
		portal_set_int(ctx, "refresh", 3);
	return portal_render(c, 200, "quickstart", ctx);
}

/* The tenant's address lists and model versions, then the page. */
static enum err abuse_settings(struct hctx *c, struct tmpl_value *ctx, int status)
{
	static const char *const list_names[] = {"id", "network", "verdict", "note", "created"};
	static const char *const model_names[] = {"version", "active", "trained",    "labels",
						  "metrics", "t_flag", "t_throttle", "t_block"};
	struct tmpl_value *models;
	struct tmpl_item *it;
	struct sql_res *l, *m;
	enum err e;

	if ((e = api_lists_rows(c, &l)) != ERR_OK || (e = api_models_rows(c, &m)) != ERR_OK)
		return e;
	models = portal_rows(c, m, model_names, 8);
	for (it = models->head; it != NULL; it = it->next) {
		struct tmpl_value *v = (struct tmpl_value *)it->v;

		tmpl_map_set(v, "is_active",
			     tmpl_bool(strcmp(tmpl_map_get(v, "active")->s, "t") == 0));
	}
	tmpl_map_set(ctx, "lists", portal_rows(c, l, list_names, 5));
	tmpl_map_set(ctx, "models", models);
	return portal_render(c, status, "abuse", ctx);
}

static enum err abuse_page(struct hctx *c, int status_or_ok, const char *error);

enum err portal_abuse(struct hctx *c)
{
	return abuse_page(c, 200, NULL);
}

static enum err abuse_page(struct hctx *c, int status_or_ok, const char *error)
{
	static const char *const names[] = {"id",     "at",    "outcome", "enforced",
					    "reason", "score", "method",  "route",
					    "ip",     "label", "prefix",  "why"};
	char tenant[24];
	const char *params[1] = {tenant_param(c, tenant)};
	struct tmpl_value *ctx = portal_ctx(c, "Abuse protection", "abuse"), *list;

	if (error != NULL)
		portal_set_str(ctx, "error", error);
	struct sql_res *r;
	bool traffic;
	enum err e;
	int i;

	if ((e = tenant_summary(c, ctx, &traffic)) != ERR_OK)
		return e;
	e = api_sql(c, &r,
		    "SELECT d.id, to_char(d.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
		    "d.outcome, d.enforced::text, d.reason, round(d.score::numeric, 2)::text, "
		    "d.method, d.route, host(d.ip), d.label, k.prefix, "
		    /* the explanation's signals, as people read them: name +contribution */
		    "(SELECT string_agg(s ->> 'signal' || ' +' || "
		    "round((s ->> 'contribution')::numeric, 1), ', ') "
		    "FROM jsonb_array_elements(d.explanation -> 'signals') s) "
		    "FROM abuse_decisions d LEFT JOIN api_keys k ON k.id = d.key_id "
		    "AND k.tenant_id = d.tenant_id "
		    "WHERE d.tenant_id = $1 AND d.outcome <> 'allow' ORDER BY d.at DESC LIMIT 50",
		    1, params);
	if (e != ERR_OK)
		return e;
	list = tmpl_list(c->arena);
	for (i = 0; i < sql_rows(r); i++) {
		struct tmpl_value *m = portal_row(c, r, i, names, 12);

		tmpl_map_set(m, "enforced", tmpl_bool(strcmp(sql_get(r, i, 3), "true") == 0));
		tmpl_map_set(m, "unlabelled", tmpl_bool(sql_is_null(r, i, 9)));
		tmpl_list_push(list, m);
	}
	tmpl_map_set(ctx, "decisions", list);
	return abuse_settings(c, ctx, status_or_ok);
}

enum err portal_abuse_mode(struct hctx *c)
{
	const char *mode = form_get(c->form, "mode");
	enum err e = api_tenant_set_mode(c, mode != NULL ? mode : "");

	if (e == ERR_INPUT)
		c->detail = "The mode must be off, shadow or enforce.";
	return e != ERR_OK ? e : portal_redirect(c, "/portal/abuse");
}

enum err portal_label(struct hctx *c)
{
	const char *label = form_get(c->form, "label");
	struct sql_res *r;
	char id[37];
	enum err e;

	if (!api_decisions_id(c, id))
		return not_found(c, "There is no such decision.");
	if (label == NULL ||
	    (strcmp(label, "false_positive") != 0 && strcmp(label, "confirmed_abuse") != 0)) {
		c->detail = "The label must be false_positive or confirmed_abuse.";
		return ERR_INPUT;
	}
	if ((e = api_decisions_set_label(c, id, label, &r)) != ERR_OK ||
	    (e = api_audit(c, c->tenant_id, "decision.label", id)) != ERR_OK)
		return e;
	if (strcmp(label, "false_positive") == 0)
		api_decisions_lift_here(c, id, r);
	return portal_redirect(c, "/portal/abuse");
}

enum err portal_list_add(struct hctx *c)
{
	const char *network = form_get(c->form, "network"), *verdict = form_get(c->form, "verdict");
	const char *note = form_get(c->form, "note");
	struct sql_res *r;
	enum err e;

	e = api_lists_add(c, network != NULL ? network : "", verdict != NULL ? verdict : "",
			  note != NULL ? note : "", &r);
	if (e == ERR_INPUT)
		return abuse_page(c, 422, c->detail);
	return e != ERR_OK ? e : portal_redirect(c, "/portal/abuse");
}

enum err portal_list_remove(struct hctx *c)
{
	int64_t id;
	enum err e;

	if (str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, &id) != ERR_OK)
		return not_found(c, "There is no such entry.");
	if ((e = api_lists_remove(c, id)) != ERR_OK)
		return e;
	return portal_redirect(c, "/portal/abuse");
}

enum err portal_model_activate(struct hctx *c)
{
	int64_t v;
	enum err e;

	if (str_to_i64(hctx_param(c, "version"), 1, INT32_MAX, &v) != ERR_OK)
		return not_found(c, "There is no such model version.");
	if ((e = api_models_activate(c, v)) != ERR_OK)
		return e;
	return portal_redirect(c, "/portal/abuse");
}
