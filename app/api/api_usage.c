/* A tenant's monthly usage and quota for dashboards. */
#include "api_usage.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/jsonx.h"
#include "api.h"

/* Columns 3.. of the per-key statement, summed into "totals". */
static const char *const counters[] = {"requests",   "status_2xx", "status_3xx",
				       "status_4xx", "status_5xx", "latency_ms",
				       "bytes_out",  "tokens",	   "cost_micros"};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

bool api_usage_parse_month(const char *s, char first[11])
{
	int month;
	size_t i;

	first[0] = '\0';
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (i = 0; i < 7; i++)
		if (i != 4 && !(s[i] >= '0' && s[i] <= '9'))
			return false;
	month = (s[5] - '0') * 10 + (s[6] - '0');
	if (month < 1 || month > 12 || memcmp(s, "0000", 4) == 0)
		return false;
	snprintf(first, 11, "%.7s-01", s);
	return true;
}

enum err api_usage_get(struct hctx *c)
{
	struct api_qparam qp[] = {{"month", NULL}};
	char tenant[24], first[16];
	const char *params[2] = {tenant, first}, *bad, *why;
	int64_t totals[NCOUNTERS] = {0}, m;
	struct sql_res *q, *r;
	struct jsonx_w w;
	size_t j;
	enum err e;
	int i;

	e = api_query_parse(c->arena, fcgi_param(c->rq, "QUERY_STRING"), qp, 1, &bad, &why);
	if (e == ERR_INPUT)
		return api_bad_param(c, bad, why);
	if (e != ERR_OK)
		return e;
	if (qp[0].value != NULL && !api_usage_parse_month(qp[0].value, first))
		return api_bad_param(c, "month",
				     "month must be YYYY-MM, with a month from 01 to 12.");
	if (qp[0].value == NULL) {
		m = state_month_of(state_clock_ms(c->app->state));
		snprintf(first, sizeof(first), "%04d-%02d-01", (int)(1970 + m / 12),
			 (int)(m % 12 + 1));
	}
	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(c, &q,
		    "SELECT l.monthly_requests, coalesce(um.requests, 0) FROM tenant_limits l "
		    "LEFT JOIN usage_tenant_monthly um "
		    "ON um.tenant_id = l.tenant_id AND um.month = $2::date "
		    "WHERE l.tenant_id = $1",
		    2, params);
	if (e == ERR_OK)
		e = api_sql(c, &r,
			    "SELECT u.key_id, coalesce(k.prefix, ''), coalesce(k.name, ''), "
			    "u.requests, u.status_2xx, u.status_3xx, u.status_4xx, u.status_5xx, "
			    "u.latency_ms, u.bytes_out, u.tokens, u.cost_micros "
			    "FROM usage_monthly u "
			    "LEFT JOIN api_keys k ON k.id = u.key_id AND k.tenant_id = u.tenant_id "
			    "WHERE u.tenant_id = $1 AND u.month = $2::date ORDER BY u.key_id",
			    2, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(q) != 1) {
		c->detail = "No such tenant.";
		return ERR_NOTFOUND; /* deleted since its token was checked */
	}
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_key(&w, "month");
	jsonx_strn(&w, first, 7);
	jsonx_key(&w, "keys");
	jsonx_arr_open(&w);
	for (i = 0; i < sql_rows(r); i++) {
		jsonx_obj_open(&w);
		jsonx_kint(&w, "key_id", sql_get_i64(r, i, 0));
		jsonx_kstr(&w, "prefix", sql_get(r, i, 1));
		jsonx_kstr(&w, "name", sql_get(r, i, 2));
		for (j = 0; j < NCOUNTERS; j++) {
			int64_t v = sql_get_i64(r, i, 3 + (int)j);

			totals[j] += v;
			jsonx_kint(&w, counters[j], v);
		}
		jsonx_obj_close(&w);
	}
	jsonx_arr_close(&w);
	jsonx_key(&w, "totals");
	jsonx_obj_open(&w);
	for (j = 0; j < NCOUNTERS; j++)
		jsonx_kint(&w, counters[j], totals[j]);
	jsonx_obj_close(&w);
	jsonx_key(&w, "quota");
	jsonx_obj_open(&w);
	jsonx_key(&w, "limit");
	if (sql_is_null(q, 0, 0))
		jsonx_null(&w);
	else
		jsonx_int(&w, sql_get_i64(q, 0, 0));
	jsonx_kint(&w, "used", sql_get_i64(q, 0, 1));
	jsonx_key(&w, "remaining");
	if (sql_is_null(q, 0, 0))
		jsonx_null(&w);
	else
		jsonx_int(&w, sql_get_i64(q, 0, 0) > sql_get_i64(q, 0, 1)
				  ? sql_get_i64(q, 0, 0) - sql_get_i64(q, 0, 1)
				  : 0);
	jsonx_obj_close(&w);
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}
