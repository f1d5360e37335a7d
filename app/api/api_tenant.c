/* The tenant's settings, its view of itself, and its audit log. */
#include "api_tenant.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../upstream/upstream.h"
#include "api.h"
#include "api_audit.h"

enum err api_tenant_set_upstream(struct hctx *c, const char *url, const char *host, char *why,
				 size_t whylen)
{
	char tenant[24], reason[320];
	const char *params[3] = {tenant, url, host};
	struct sql_res *r;
	struct addr_url u;
	enum err e;

	snprintf(why, whylen, "The upstream was refused.");
	/* The scheme in lower case, as stored and as the upstreams table's check wants it. */
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(why, whylen,
			 "The upstream must be an http:// or https:// URL (scheme in lower case).");
		return ERR_INPUT;
	}
	if (upstream_check(c->app->cfg, url, &u, reason, sizeof(reason)) != ERR_OK) {
		snprintf(why, whylen, "The upstream must be an http:// or https:// URL: %s",
			 reason);
		return ERR_INPUT;
	}
	if (host[0] != '\0' && !upstream_host_header_ok(host)) {
		snprintf(why, whylen, "The Host header must be HOST or HOST:PORT.");
		return ERR_INPUT;
	}
	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r,
			 "UPDATE upstreams SET url = $2, host_header = nullif($3, '') "
			 "WHERE tenant_id = $1 AND is_default RETURNING id",
			 3, params)) != ERR_OK)
		return e;
	if (sql_rows(r) == 0 &&
	    (e = api_sql(c, NULL,
			 "INSERT INTO upstreams (tenant_id, name, url, is_default, host_header) "
			 "VALUES ($1, 'default', $2, true, nullif($3, ''))",
			 3, params)) != ERR_OK)
		return e;
	log_info("tenant %lld upstream set to %s", (long long)c->tenant_id, url);
	return api_audit(c, c->tenant_id, "upstream.set", url);
}

enum err api_tenant_set_mode(struct hctx *c, const char *mode)
{
	char tenant[24];
	const char *params[2] = {tenant, mode};
	enum err e;

	if (strcmp(mode, "off") != 0 && strcmp(mode, "shadow") != 0 && strcmp(mode, "enforce") != 0)
		return ERR_INPUT;
	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(c, NULL, "UPDATE tenants SET abuse_mode = $2, updated_at = now() WHERE id = $1",
		    2, params);
	return e != ERR_OK ? e : api_audit(c, c->tenant_id, "abuse.mode", mode);
}

enum err api_tenant_get(struct hctx *c)
{
	char tenant[24];
	const char *params[1] = {tenant};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(
	    c, &r,
	    "SELECT t.id, t.slug, t.name, t.plan_id, t.status, t.abuse_mode, "
	    "l.monthly_requests, coalesce(um.requests, 0), u.url, u.host_header, " API_RFC3339(
		"t.created_at") " FROM tenants t JOIN tenant_limits l ON l.tenant_id = t.id "
				"LEFT JOIN upstreams u ON u.tenant_id = t.id AND u.is_default "
				"LEFT JOIN usage_tenant_monthly um ON um.tenant_id = t.id "
				"AND um.month = date_trunc('month', now() AT TIME ZONE "
				"'UTC')::date "
				"WHERE t.id = $1",
	    1, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_NOTFOUND;
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kint(&w, "id", sql_get_i64(r, 0, 0));
	jsonx_kstr(&w, "slug", sql_get(r, 0, 1));
	jsonx_kstr(&w, "name", sql_get(r, 0, 2));
	jsonx_kstr(&w, "plan", sql_get(r, 0, 3));
	jsonx_kstr(&w, "status", sql_get(r, 0, 4));
	jsonx_kstr(&w, "abuse_mode", sql_get(r, 0, 5));
	jsonx_key(&w, "monthly_quota");
	if (sql_is_null(r, 0, 6))
		jsonx_null(&w);
	else
		jsonx_int(&w, sql_get_i64(r, 0, 6));
	jsonx_kint(&w, "requests_this_month", sql_get_i64(r, 0, 7));
	jsonx_key(&w, "upstream");
	if (sql_is_null(r, 0, 8))
		jsonx_null(&w);
	else {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "url", sql_get(r, 0, 8));
		jsonx_kstr(&w, "host_header", sql_is_null(r, 0, 9) ? NULL : sql_get(r, 0, 9));
		jsonx_obj_close(&w);
	}
	jsonx_kstr(&w, "created_at", sql_get(r, 0, 10));
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

static enum err mode_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const char *mode = arg;
	struct jsonx_w w;
	enum err e;

	(void)secret;
	if ((e = api_tenant_set_mode(c, mode)) != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "abuse_mode", mode);
	jsonx_obj_close(&w);
	return ERR_OK;
}

enum err api_tenant_patch(struct hctx *c)
{
	static const char *const members[] = {"abuse_mode"};
	struct jsonx_doc *d;
	const char *mode = NULL;
	enum err e;

	if ((e = api_read_json(c, members, 1, &d)) != ERR_OK)
		return e;
	if (!jsonx_get_str(d, "abuse_mode", &mode) ||
	    (strcmp(mode, "off") != 0 && strcmp(mode, "shadow") != 0 &&
	     strcmp(mode, "enforce") != 0)) {
		c->parameter = "abuse_mode";
		return api_bad_body(c, "abuse_mode must be off, shadow or enforce.");
	}
	return api_change(c, 200, mode_work, (void *)mode);
}

enum err api_upstream_get(struct hctx *c)
{
	char tenant[24];
	const char *params[1] = {tenant};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(
		 c, &r,
		 "SELECT url, host_header FROM upstreams WHERE tenant_id = $1 AND is_default", 1,
		 params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1) {
		c->detail = "No upstream is set yet: PUT one.";
		return ERR_NOTFOUND;
	}
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "url", sql_get(r, 0, 0));
	jsonx_kstr(&w, "host_header", sql_is_null(r, 0, 1) ? NULL : sql_get(r, 0, 1));
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

struct upstream_req {
	const char *url, *host;
};

static enum err upstream_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	struct upstream_req *q = arg;
	char why[400];
	struct jsonx_w w;
	enum err e;

	(void)secret;
	e = api_tenant_set_upstream(c, q->url, q->host, why, sizeof(why));
	if (e == ERR_INPUT) {
		c->parameter = strncmp(why, "The Host", 8) == 0 ? "host_header" : "url";
		return api_bad_body(c, arena_strndup(c->arena, why, strlen(why)));
	}
	if (e != ERR_OK)
		return e;
	jsonx_w_init(&w, data);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "url", q->url);
	jsonx_kstr(&w, "host_header", q->host[0] != '\0' ? q->host : NULL);
	jsonx_obj_close(&w);
	return ERR_OK;
}

enum err api_upstream_put(struct hctx *c)
{
	static const char *const members[] = {"url", "host_header"};
	struct upstream_req q = {NULL, ""};
	const char *bad[2];
	size_t nbad = 0;
	struct jsonx_doc *d;
	enum err e;

	if ((e = api_read_json(c, members, 2, &d)) != ERR_OK)
		return e;
	if (!jsonx_get_str(d, "url", &q.url))
		bad[nbad++] = jsonx_has(d, "url") ? "url must be a string" : "url is required";
	if (jsonx_has(d, "host_header") && !jsonx_get_str(d, "host_header", &q.host)) {
		q.host = "";
		bad[nbad++] = "host_header must be a string (\"\" for none)";
	}
	if (nbad > 0)
		return api_bad_fields(c, bad, nbad);
	return api_change(c, 200, upstream_work, &q);
}

enum err api_audit_list(struct hctx *c)
{
	struct api_qparam qp[] = {{"limit", NULL}};
	char tenant[24], lim[24];
	const char *params[2] = {tenant, lim}, *bad, *why;
	int64_t limit = 100;
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i;

	e = api_query_parse(c->arena, fcgi_param(c->rq, "QUERY_STRING"), qp, 1, &bad, &why);
	if (e == ERR_INPUT)
		return api_bad_param(c, bad, why);
	if (e != ERR_OK)
		return e;
	if (qp[0].value != NULL && str_to_i64(str_c(qp[0].value), 1, 500, &limit) != ERR_OK)
		return api_bad_param(c, "limit", "limit must be a whole number from 1 to 500.");
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(lim, limit);
	if ((e = api_sql(c, &r,
			 "SELECT " API_RFC3339(
			     "at") ", actor, action, target, ip FROM audit_log "
				   "WHERE tenant_id = $1 ORDER BY at DESC, id DESC LIMIT $2::int",
			 2, params)) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_arr_open(&w);
	for (i = 0; i < sql_rows(r); i++) {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "at", sql_get(r, i, 0));
		jsonx_kstr(&w, "actor", sql_get(r, i, 1));
		jsonx_kstr(&w, "action", sql_get(r, i, 2));
		jsonx_kstr(&w, "target", sql_get(r, i, 3));
		jsonx_kstr(&w, "ip", sql_get(r, i, 4));
		jsonx_obj_close(&w);
	}
	jsonx_arr_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}
