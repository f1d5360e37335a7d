/* The operator's pages. They run as the admin role (migrations/0008), which sees every
 * tenant; every change is written to the audit log in the same transaction. */
#include "admin.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../api/api.h"
#include "../api/api_audit.h"
#include "../portal/portal.h"

#define THIS_MONTH "date_trunc('month', now() AT TIME ZONE 'UTC')::date"
#define TIME_FMT   "'YYYY-MM-DD HH24:MI'"

enum err admin_home(struct hctx *c)
{
	static const char *const tenant_cols[] = {"id",	      "slug",	   "name",
						  "plan",     "status",	   "abuse_mode",
						  "requests", "live_keys", "created"};
	static const char *const total_cols[] = {"tenants",  "active",	   "suspended",
						 "requests", "status_4xx", "status_5xx",
						 "blocked",  "throttled",  "flagged"};
	static const char *const top_cols[] = {"slug", "requests"};
	static const char *const net_cols[] = {"network", "blocks", "tenants"};
	struct tmpl_value *ctx = portal_ctx(c, "Platform", "admin_home");
	struct sql_res *tenants, *totals, *top, *nets;
	enum err e;

	if ((e = api_sql(c, &totals,
			 "SELECT (SELECT count(*) FROM tenants), "
			 "(SELECT count(*) FROM tenants WHERE status = 'active'), "
			 "(SELECT count(*) FROM tenants WHERE status = 'suspended'), "
			 "coalesce(sum(requests), 0), coalesce(sum(status_4xx), 0), "
			 "coalesce(sum(status_5xx), 0), "
			 "(SELECT count(*) FROM abuse_decisions WHERE outcome = 'block' "
			 "AND at >= date_trunc('month', now())), "
			 "(SELECT count(*) FROM abuse_decisions WHERE outcome = 'throttle' "
			 "AND at >= date_trunc('month', now())), "
			 "(SELECT count(*) FROM abuse_decisions WHERE outcome = 'flag' "
			 "AND at >= date_trunc('month', now())) "
			 "FROM usage_monthly WHERE month = " THIS_MONTH,
			 0, NULL)) != ERR_OK ||
	    (e = api_sql(
		 c, &tenants,
		 "SELECT t.id, t.slug, t.name, t.plan_id, t.status, t.abuse_mode, "
		 "coalesce((SELECT sum(m.requests) FROM usage_monthly m "
		 "WHERE m.tenant_id = t.id AND m.month = " THIS_MONTH "), 0), "
		 "(SELECT count(*) FROM api_keys k WHERE k.tenant_id = t.id "
		 "AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())), "
		 "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
		 "FROM tenants t ORDER BY t.id DESC LIMIT 500",
		 0, NULL)) != ERR_OK ||
	    (e = api_sql(c, &top,
			 "SELECT t.slug, sum(m.requests) FROM usage_monthly m "
			 "JOIN tenants t ON t.id = m.tenant_id WHERE m.month = " THIS_MONTH " "
			 "GROUP BY t.slug HAVING sum(m.requests) > 0 ORDER BY 2 DESC LIMIT 10",
			 0, NULL)) != ERR_OK ||
	    (e = api_sql(c, &nets,
			 "SELECT network::text, count(*), count(DISTINCT tenant_id) "
			 "FROM abuse_decisions WHERE outcome = 'block' "
			 "AND at >= date_trunc('month', now()) GROUP BY network "
			 "ORDER BY 2 DESC LIMIT 10",
			 0, NULL)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "totals", portal_first(portal_rows(c, totals, total_cols, 9)));
	tmpl_map_set(ctx, "tenants", portal_rows(c, tenants, tenant_cols, 9));
	tmpl_map_set(ctx, "top_tenants", portal_rows(c, top, top_cols, 2));
	tmpl_map_set(ctx, "networks", portal_rows(c, nets, net_cols, 3));
	return portal_render(c, 200, "admin/home", ctx);
}

/* The route's :id, a tenant id, as text (and in c->tenant_id, for the audit log). */
static bool tenant_id(struct hctx *c, char out[24])
{
	if (str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, &c->tenant_id) != ERR_OK)
		return false;
	str_fmt_i64(out, c->tenant_id);
	return true;
}

enum err admin_tenant(struct hctx *c)
{
	static const char *const info_cols[] = {"id",	    "slug",    "name",
						"plan_id",  "status",  "abuse_mode",
						"upstream", "created", "requests"};
	static const char *const user_cols[] = {"email", "role", "last_login"};
	static const char *const key_cols[] = {"prefix", "name", "status", "created"};
	static const char *const audit_cols[] = {"at", "actor", "action", "target", "ip"};
	static const char *const plan_cols[] = {"id", "name"};
	char id[24];
	const char *params[1] = {id};
	struct tmpl_value *ctx, *t, *plans;
	struct sql_res *info, *users, *keys, *audit, *pl;
	struct tmpl_item *it;
	enum err e;
	char key[40];

	if (!tenant_id(c, id)) {
		c->detail = "There is no such tenant.";
		return ERR_NOTFOUND;
	}
	if ((e = api_sql(
		 c, &info,
		 "SELECT t.id, t.slug, t.name, t.plan_id, t.status, t.abuse_mode, u.url, "
		 "to_char(t.created_at AT TIME ZONE 'UTC', " TIME_FMT "), "
		 "coalesce((SELECT sum(m.requests) FROM usage_monthly m "
		 "WHERE m.tenant_id = t.id AND m.month = " THIS_MONTH "), 0) "
		 "FROM tenants t LEFT JOIN upstreams u ON u.tenant_id = t.id AND u.is_default "
		 "WHERE t.id = $1",
		 1, params)) != ERR_OK)
		return e;
	if (sql_rows(info) != 1) {
		c->detail = "There is no such tenant.";
		return ERR_NOTFOUND;
	}
	if ((e = api_sql(c, &users,
			 "SELECT email, role, to_char(last_login_at AT TIME ZONE 'UTC', " TIME_FMT
			 ") "
			 "FROM users WHERE tenant_id = $1 ORDER BY id",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &keys,
			 "SELECT prefix, name, CASE WHEN revoked_at IS NOT NULL THEN 'revoked' "
			 "WHEN expires_at <= now() THEN 'expired' ELSE 'active' END, "
			 "to_char(created_at AT TIME ZONE 'UTC', " TIME_FMT ") "
			 "FROM api_keys WHERE tenant_id = $1 ORDER BY id DESC LIMIT 100",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &audit,
			 "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), actor, "
			 "action, target, ip FROM audit_log WHERE tenant_id = $1 "
			 "ORDER BY at DESC, id DESC LIMIT 50",
			 1, params)) != ERR_OK ||
	    (e = api_sql(c, &pl, "SELECT id, name FROM plans ORDER BY price_cents, id", 0, NULL)) !=
		ERR_OK)
		return e;
	ctx = portal_ctx(c, sql_get(info, 0, 2), "admin_home");
	if ((t = portal_first(portal_rows(c, info, info_cols, 9))) == NULL)
		return ERR_TOOBIG;
	snprintf(key, sizeof(key), "mode_%s", sql_get(info, 0, 5));
	tmpl_map_set(t, key, tmpl_bool(true));
	tmpl_map_set(t, "suspended", tmpl_bool(strcmp(sql_get(info, 0, 4), "suspended") == 0));
	tmpl_map_set(ctx, "tenant", t);
	plans = portal_rows(c, pl, plan_cols, 2);
	for (it = plans->head; it != NULL; it = it->next)
		if (strcmp(tmpl_map_get(it->v, "id")->s, sql_get(info, 0, 3)) == 0)
			tmpl_map_set((struct tmpl_value *)it->v, "current", tmpl_bool(true));
	tmpl_map_set(ctx, "plans", plans);
	tmpl_map_set(ctx, "users", portal_rows(c, users, user_cols, 3));
	tmpl_map_set(ctx, "keys", portal_rows(c, keys, key_cols, 4));
	tmpl_map_set(ctx, "audit", portal_rows(c, audit, audit_cols, 5));
	return portal_render(c, 200, "admin/tenant", ctx);
}

/* One change from the tenant page's forms: status, plan or abuse mode. */
enum err admin_tenant_update(struct hctx *c)
{
	const char *status = form_get(c->form, "status"), *plan = form_get(c->form, "plan");
	const char *mode = form_get(c->form, "abuse_mode"), *action, *value, *sql;
	char id[24], back[64];
	const char *params[2] = {id, NULL};
	struct sql_res *r;
	enum err e;

	if (!tenant_id(c, id)) {
		c->detail = "There is no such tenant.";
		return ERR_NOTFOUND;
	}
	if (status != NULL && (strcmp(status, "active") == 0 || strcmp(status, "suspended") == 0)) {
		action = strcmp(status, "active") == 0 ? "tenant.resume" : "tenant.suspend";
		value = status;
		sql = "UPDATE tenants SET status = $2, updated_at = now() WHERE id = $1 RETURNING "
		      "slug";
	} else if (plan != NULL && plan[0] != '\0') {
		action = "tenant.plan";
		value = plan;
		sql = "UPDATE tenants SET plan_id = p.id, updated_at = now() FROM plans p "
		      "WHERE tenants.id = $1 AND p.id = $2 RETURNING tenants.slug";
	} else if (mode != NULL && (strcmp(mode, "off") == 0 || strcmp(mode, "shadow") == 0 ||
				    strcmp(mode, "enforce") == 0)) {
		action = "tenant.abuse_mode";
		value = mode;
		sql = "UPDATE tenants SET abuse_mode = $2, updated_at = now() WHERE id = $1 "
		      "RETURNING slug";
	} else {
		c->detail = "Choose a status (active, suspended), a plan or an abuse mode.";
		return ERR_INPUT;
	}
	params[1] = value;
	if ((e = api_sql(c, &r, sql, 2, params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1) {
		c->detail = "There is no such tenant (or plan).";
		return ERR_NOTFOUND;
	}
	if ((e = api_audit(c, c->tenant_id, action, value)) != ERR_OK)
		return e;
	log_info("admin: %s %s %s by %s", action, sql_get(r, 0, 0), value, c->session->email);
	snprintf(back, sizeof(back), "/admin/tenants/%s", id);
	return portal_redirect(c, back);
}

enum err admin_audit(struct hctx *c)
{
	static const char *const cols[] = {"at", "tenant", "actor", "action", "target", "ip"};
	struct tmpl_value *ctx = portal_ctx(c, "Audit log", "admin_audit");
	struct sql_res *r;
	enum err e;

	if ((e = api_sql(c, &r,
			 "SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
			 "coalesce(t.slug, '—'), a.actor, a.action, a.target, a.ip "
			 "FROM audit_log a LEFT JOIN tenants t ON t.id = a.tenant_id "
			 "ORDER BY a.at DESC, a.id DESC LIMIT 200",
			 0, NULL)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "entries", portal_rows(c, r, cols, 6));
	return portal_render(c, 200, "admin/audit", ctx);
}
