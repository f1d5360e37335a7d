/* Reconciliation: three sums per customer and what they say when they disagree. */
#include "reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/jsonx.h"
#include "../../lib/str.h"
#include "stripe.h"

static const char per_customer[] =
    "SELECT a.tenant_id, t.slug, a.customer_id, "
    "coalesce((SELECT sum(u.requests) FROM usage_hourly u WHERE u.tenant_id = a.tenant_id "
    "AND u.hour >= greatest($1::timestamptz, a.meter_from) AND u.hour < $2::timestamptz), 0), "
    "coalesce((SELECT sum(o.value) FROM meter_outbox o WHERE o.tenant_id = a.tenant_id "
    "AND o.hour >= $1::timestamptz AND o.hour < $2::timestamptz), 0), "
    "coalesce((SELECT sum(o.value) FROM meter_outbox o WHERE o.tenant_id = a.tenant_id "
    "AND o.hour >= $1::timestamptz AND o.hour < $2::timestamptz AND o.sent_at IS NOT NULL), 0) "
    "FROM billing_accounts a JOIN tenants t ON t.id = a.tenant_id "
    "WHERE a.customer_id IS NOT NULL AND a.meter_from IS NOT NULL "
    "AND a.meter_from < $2::timestamptz ORDER BY t.slug";

/* Stripe's meter total for a customer over [from, to) (unix s); -1 when unknown. */
static int64_t stripe_total(struct http *h, const struct config *cfg, const char *customer,
			    int64_t from, int64_t to, char *note, size_t notelen)
{
	struct stripe_answer a;
	char path[512];
	size_t n = 0, i;
	int64_t sum = 0, v;

	if (h == NULL)
		return -1;
	if (cfg->stripe_meter_id[0] == '\0') {
		snprintf(note, notelen,
			 "Stripe's total unknown: TOLLGATE_STRIPE_METER_ID is not set");
		return -1;
	}
	snprintf(path, sizeof(path),
		 "/v1/billing/meters/%s/event_summaries?customer=%s&start_time=%lld&end_time=%lld",
		 cfg->stripe_meter_id, customer, (long long)from, (long long)to);
	if (stripe_call(h, cfg, "GET", path, NULL, NULL, &a) != ERR_OK) {
		snprintf(note, notelen, "Stripe's total unknown: %.150s", a.msg);
		return -1;
	}
	(void)jsonx_get_len(a.body, "data", &n);
	for (i = 0; i < n; i++) {
		struct jsonx_doc *e = NULL;

		if (jsonx_get_elem(a.body, "data", i, &e) &&
		    jsonx_get_int(e, "aggregated_value", &v))
			sum += v;
		jsonx_doc_free(e);
	}
	jsonx_doc_free(a.body);
	return sum;
}

/* Whether s is YYYY-MM with a real month; fills the bounds as text and unix seconds. */
static bool month_bounds(const char *s, char from[32], char to[32], int64_t *from_s, int64_t *to_s)
{
	int y, m;
	struct tm tm;

	if (s == NULL || strlen(s) != 7 || s[4] != '-' || sscanf(s, "%4d-%2d", &y, &m) != 2 ||
	    y < 2000 || y > 9998 || m < 1 || m > 12)
		return false;
	snprintf(from, 32, "%04d-%02d-01T00:00:00Z", y, m);
	snprintf(to, 32, "%04d-%02d-01T00:00:00Z", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	*from_s = (int64_t)timegm(&tm);
	tm.tm_year = (m == 12 ? y + 1 : y) - 1900;
	tm.tm_mon = m == 12 ? 0 : m;
	*to_s = (int64_t)timegm(&tm);
	return true;
}

static void explain(struct reconcile_row *r)
{
	if (r->note[0] != '\0')
		return;
	if (r->queued < r->usage)
		snprintf(r->note, sizeof(r->note),
			 "%lld requests served but not yet queued for Stripe",
			 (long long)(r->usage - r->queued));
	else if (r->queued > r->usage)
		snprintf(r->note, sizeof(r->note),
			 "%lld requests more queued for Stripe than were served (billed twice?)",
			 (long long)(r->queued - r->usage));
	else if (r->reported != r->queued)
		snprintf(r->note, sizeof(r->note),
			 "%lld requests queued but not yet accepted by Stripe (the outbox retries)",
			 (long long)(r->queued - r->reported));
	else if (r->stripe >= 0 && r->stripe != r->reported)
		snprintf(r->note, sizeof(r->note),
			 "Stripe's meter holds %lld, Tollgate reported %lld (Stripe aggregates "
			 "asynchronously: check again in a few minutes)",
			 (long long)r->stripe, (long long)r->reported);
}

enum err reconcile_run(struct sql *db, struct http *h, const struct config *cfg, const char *month,
		       struct reconcile *out, char *msg, size_t msglen)
{
	char from[32], to[32], diffs[16];
	const char *params[3] = {from, to, NULL};
	int64_t from_s, to_s;
	struct sql_res *r;
	struct buf json;
	int i;

	memset(out, 0, sizeof(*out));
	if (!month_bounds(month, from, to, &from_s, &to_s)) {
		snprintf(msg, msglen, "the month must be YYYY-MM, e.g. 2026-12");
		return ERR_INPUT;
	}
	str_lcpy(out->month, month, sizeof(out->month));
	if (sql_exec(db, &r, per_customer, 2, params) != ERR_OK) {
		snprintf(msg, msglen, "%s", sql_errmsg(db));
		return ERR_DB;
	}
	out->n = sql_rows(r);
	out->rows = calloc((size_t)out->n + 1, sizeof(*out->rows));
	if (out->rows == NULL)
		abort();
	for (i = 0; i < out->n; i++) {
		struct reconcile_row *row = &out->rows[i];

		row->tenant_id = sql_get_i64(r, i, 0);
		str_lcpy(row->slug, sql_get(r, i, 1), sizeof(row->slug));
		str_lcpy(row->customer, sql_get(r, i, 2), sizeof(row->customer));
		row->usage = sql_get_i64(r, i, 3);
		row->queued = sql_get_i64(r, i, 4);
		row->reported = sql_get_i64(r, i, 5);
		row->stripe =
		    stripe_total(h, cfg, row->customer, from_s, to_s, row->note, sizeof(row->note));
		explain(row);
		if (row->note[0] != '\0')
			out->differences++;
	}
	sql_res_free(r);
	buf_init(&json, 0);
	reconcile_json(out, &json);
	snprintf(diffs, sizeof(diffs), "%d", out->differences);
	params[0] = from;
	params[1] = diffs;
	params[2] = json.p;
	if (sql_exec(db, NULL,
		     "INSERT INTO billing_reconciliations (month, differences, report) "
		     "VALUES ($1::timestamptz::date, $2::integer, $3::jsonb)",
		     3, params) != ERR_OK) {
		snprintf(msg, msglen, "%s", sql_errmsg(db));
		buf_free(&json);
		reconcile_free(out);
		return ERR_DB;
	}
	buf_free(&json);
	return ERR_OK;
}

void reconcile_free(struct reconcile *r)
{
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

void reconcile_json(const struct reconcile *r, struct buf *out)
{
	struct jsonx_w w;
	int i;

	jsonx_w_init(&w, out);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "month", r->month);
	jsonx_kint(&w, "differences", r->differences);
	jsonx_key(&w, "customers");
	jsonx_arr_open(&w);
	for (i = 0; i < r->n; i++) {
		const struct reconcile_row *row = &r->rows[i];

		jsonx_obj_open(&w);
		jsonx_kstr(&w, "tenant", row->slug);
		jsonx_kstr(&w, "customer", row->customer);
		jsonx_kint(&w, "usage", row->usage);
		jsonx_kint(&w, "queued", row->queued);
		jsonx_kint(&w, "reported", row->reported);
		jsonx_key(&w, "stripe");
		if (row->stripe >= 0)
			jsonx_int(&w, row->stripe);
		else
			jsonx_null(&w);
		jsonx_key(&w, "difference");
		if (row->note[0] != '\0')
			jsonx_str(&w, row->note);
		else
			jsonx_null(&w);
		jsonx_obj_close(&w);
	}
	jsonx_arr_close(&w);
	jsonx_obj_close(&w);
}
