/* The biller's loop. Claims are committed before anything is sent: a biller killed
 * mid-call leaves its claim to run out, and the event is sent again with the same
 * identifier, which Stripe answers as a duplicate (counted as sent). */
#include "biller.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../lib/http.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../billing/reconcile.h"
#include "../billing/stripe.h"
#include "outbox.h"

#define BATCH		10
#define TICK_MS		1000
#define RECONCILE_EVERY (3600 * 1000)
#define CLAIM_LOCK	"7467617465" /* one claimer at a time, cluster-wide */

/* The longest-due event of a customer that has none in flight. One at a time, claimed just
 * before its call: a claim taken for a batch could run out while the calls before it are
 * made, and another node would then send it at the same time. */
static const char claim_sql[] =
    "UPDATE meter_outbox o SET attempts = o.attempts + 1, "
    "claimed_until = now() + make_interval(secs => $1::bigint / 1000.0 + 2) "
    "WHERE o.id = (SELECT m.id FROM meter_outbox m "
    "WHERE m.sent_at IS NULL AND m.next_attempt_at <= now() AND NOT EXISTS ("
    "SELECT 1 FROM meter_outbox b WHERE b.customer_id = m.customer_id AND b.sent_at IS NULL "
    "AND b.claimed_until > now()) ORDER BY m.next_attempt_at, m.id LIMIT 1) "
    "RETURNING o.id, o.customer_id, o.value, o.identifier, "
    "extract(epoch FROM o.hour)::bigint, o.attempts";

static enum err claim(struct sql *db, const struct config *cfg, struct sql_res **r)
{
	char timeout[24];
	const char *p[1] = {timeout};

	str_fmt_i64(timeout, cfg->stripe_timeout_ms);
	if (sql_begin(db) != ERR_OK)
		return ERR_DB;
	if (sql_exec(db, NULL, "SELECT pg_advisory_xact_lock(" CLAIM_LOCK ")", 0, NULL) != ERR_OK ||
	    sql_exec(db, r, claim_sql, 1, p) != ERR_OK) {
		sql_rollback(db);
		return ERR_DB;
	}
	if (sql_commit(db) != ERR_OK) {
		sql_res_free(*r);
		*r = NULL;
		return ERR_DB;
	}
	return ERR_OK;
}

/* Sends one claimed event and records the outcome. */
static void send_one(struct app *app, struct sql *db, struct http *h, const struct sql_res *r,
		     int i)
{
	const struct config *cfg = app->cfg;
	struct stripe_answer a;
	struct buf form;
	const char *params[2];
	enum err e;

	buf_init(&form, 0);
	stripe_form_add(&form, "event_name", cfg->stripe_meter_event);
	stripe_form_add(&form, "payload[stripe_customer_id]", sql_get(r, i, 1));
	stripe_form_add(&form, "payload[value]", sql_get(r, i, 2));
	stripe_form_add(&form, "identifier", sql_get(r, i, 3));
	stripe_form_add(&form, "timestamp", sql_get(r, i, 4));
	e = stripe_call(h, cfg, "POST", "/v1/billing/meter_events", &form, sql_get(r, i, 3), &a);
	buf_free(&form);
	jsonx_doc_free(a.body);
	params[0] = sql_get(r, i, 0);
	if (e == ERR_OK || a.duplicate) {
		state_metric_add(app->state, state_metric_row_misc(app->state), METRIC_METER_SENT,
				 1);
		e = sql_exec(db, NULL,
			     "UPDATE meter_outbox SET sent_at = now(), claimed_until = NULL, "
			     "last_error = '' WHERE id = $1",
			     1, params);
	} else {
		state_metric_add(app->state, state_metric_row_misc(app->state),
				 METRIC_METER_FAILURES, 1);
		log_warnx("biller: meter event %s, attempt %s: %s", sql_get(r, i, 3),
			  sql_get(r, i, 5), a.msg);
		params[1] = a.msg;
		/* 1, 2, 4... s up to 5 min, each drawn from its upper half: clients that failed
		 * together do not come back together. The customer's other events wait as long:
		 * the backoff is the customer's, not one event's. */
		e = sql_exec(
		    db, NULL,
		    "WITH failed AS (UPDATE meter_outbox SET claimed_until = NULL, "
		    "last_error = left($2, 500), next_attempt_at = now() + make_interval(secs => "
		    "least(300, 2 ^ least(attempts - 1, 12)) * (0.5 + random() / 2)) "
		    "WHERE id = $1 RETURNING customer_id, next_attempt_at) "
		    "UPDATE meter_outbox o SET next_attempt_at = f.next_attempt_at FROM failed f "
		    "WHERE o.customer_id = f.customer_id AND o.sent_at IS NULL AND o.id <> $1 "
		    "AND o.next_attempt_at < f.next_attempt_at",
		    2, params);
	}
	if (e != ERR_OK)
		log_warnx("biller: recording meter event %s: %s", sql_get(r, i, 3), sql_errmsg(db));
}

/* Sends up to BATCH due events, each claimed just before its call; the number sent, or
 * -1 when PostgreSQL failed. */
static int send_batch(struct app *app, struct sql *db, struct http *h, volatile sig_atomic_t *stop)
{
	struct sql_res *r = NULL;
	int n = 0;

	while (n < BATCH && !*stop) {
		if (claim(db, app->cfg, &r) != ERR_OK) {
			log_warnx("biller: claiming meter events: %s", sql_errmsg(db));
			return -1;
		}
		if (sql_rows(r) == 0) {
			sql_res_free(r);
			break;
		}
		send_one(app, db, h, r, 0);
		sql_res_free(r);
		n++;
	}
	return n;
}

/* The outbox's depth and age, and the last reconciliation's differences, for /metrics. */
static void gauges(struct app *app, struct sql *db)
{
	struct state_hdr *hdr = app->state->hdr;
	struct sql_res *r;

	if (sql_exec(db, &r,
		     "SELECT count(*), coalesce(extract(epoch FROM min(created_at))::bigint, 0), "
		     "coalesce((SELECT differences FROM billing_reconciliations ORDER BY id DESC "
		     "LIMIT 1), -1) FROM meter_outbox WHERE sent_at IS NULL",
		     0, NULL) != ERR_OK)
		return;
	atomic_store(&hdr->meter_depth, sql_get_i64(r, 0, 0));
	atomic_store(&hdr->meter_oldest_s, sql_get_i64(r, 0, 1));
	atomic_store(&hdr->reconcile_diff, sql_get_i64(r, 0, 2));
	sql_res_free(r);
}

static void reconcile_now(struct app *app, struct sql *db, struct http *h)
{
	struct reconcile rec;
	char month[8], msg[256];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(month, sizeof(month), "%Y-%m", &tm);
	if (reconcile_run(db, h, app->cfg, month, &rec, msg, sizeof(msg)) != ERR_OK) {
		log_warnx("biller: reconciling %s: %s", month, msg);
		return;
	}
	if (rec.differences > 0)
		log_warnx("biller: reconciling %s: %d customers differ (tollgate billing reconcile "
			  "--month %s)",
			  month, rec.differences, month);
	reconcile_free(&rec);
}

struct biller {
	int64_t last_fill, last_deep_fill, last_reconcile; /* state_now_ms() */
};

/* One round; false when the connection is lost. */
static bool round_trip(struct app *app, struct sql *db, struct http *h, struct biller *b,
		       volatile sig_atomic_t *stop)
{
	int64_t now = state_now_ms();
	/* 48 hours back each time; once an hour as far as Stripe takes (a late node's flush). */
	bool deep = now - b->last_deep_fill >= RECONCILE_EVERY;
	const char *since[1] = {deep ? "34 days" : "48 hours"};
	struct sql_res *r;
	int n;

	if (now - b->last_fill >= app->cfg->billing_interval_ms) {
		if (sql_exec(db, &r, "SELECT tollgate_meter_fill($1::interval)", 1, since) !=
		    ERR_OK) {
			log_warnx("biller: queueing usage: %s", sql_errmsg(db));
			return sql_is_ok(db);
		}
		if (sql_get_i64(r, 0, 0) > 0)
			log_debug("biller: %lld meter events queued",
				  (long long)sql_get_i64(r, 0, 0));
		sql_res_free(r);
		b->last_fill = now;
		if (deep)
			b->last_deep_fill = now;
	}
	if (sql_exec(db, &r, "SELECT tollgate_billing_expire()", 0, NULL) != ERR_OK) {
		log_warnx("biller: downgrades: %s", sql_errmsg(db));
		return sql_is_ok(db);
	}
	if (sql_get_i64(r, 0, 0) > 0)
		log_info("biller: %lld tenants fell to Free (grace or paid period over)",
			 (long long)sql_get_i64(r, 0, 0));
	sql_res_free(r);
	do
		n = send_batch(app, db, h, stop);
	while (n == BATCH && !*stop);
	if (n < 0)
		return sql_is_ok(db);
	if (now - b->last_reconcile >= RECONCILE_EVERY) {
		reconcile_now(app, db, h);
		b->last_reconcile = now;
	}
	gauges(app, db);
	return true;
}

static int64_t biller_round(struct outbox_round *r)
{
	return round_trip(r->app, r->db, r->h, r->arg, r->stop) ? TICK_MS : -1;
}

int biller_run(struct app *app, volatile sig_atomic_t *stop)
{
	/* The first reconciliation a minute after start, then hourly. */
	struct biller b = {0, 0, state_now_ms() - RECONCILE_EVERY + 60000};

	return outbox_run(app, stop, "biller", biller_round, &b);
}
