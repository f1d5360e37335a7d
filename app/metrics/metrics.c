/* Prometheus exposition of the counters every process keeps in shared memory. */
#include "metrics.h"

#include <time.h>

#include "../state/state.h"

static void counter(struct buf *b, const char *name, const char *help, const char *labels,
		    uint64_t v, bool header)
{
	if (header)
		buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	buf_printf(b, "%s%s %llu\n", name, labels, (unsigned long long)v);
}

static void gauge(struct buf *b, const char *name, const char *help, int64_t v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name,
		   (long long)v);
}

enum err metrics_handle(struct hctx *c)
{
	static const struct {
		enum metric m;
		const char *outcome;
	} decisions[] = {
	    {METRIC_ALLOWED, "allowed"},	  {METRIC_DENIED_AUTH, "unauthenticated"},
	    {METRIC_DENIED_RATE, "rate_limited"}, {METRIC_DENIED_QUOTA, "quota_exceeded"},
	    {METRIC_DENIED_SIZE, "too_large"},	  {METRIC_DENIED_OTHER, "other"},
	};
	struct state *st = c->app->state;
	struct state_hdr *h = st->hdr;
	struct buf *b = &c->rs->body;
	uint64_t dropped = 0;
	int64_t oldest;
	char labels[64];
	size_t i;

	fcgi_header(c->rs, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	fcgi_header(c->rs, "Cache-Control", "no-store");
	for (i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
		snprintf(labels, sizeof(labels), "{outcome=\"%s\"}", decisions[i].outcome);
		counter(b, "tollgate_gate_decisions_total", "Gate decisions by outcome.", labels,
			state_metric_sum(st, decisions[i].m), i == 0);
	}
	counter(
	    b, "tollgate_abuse_decisions_total",
	    "Abuse-engine decisions other than allow (shadow: would have throttled or blocked).",
	    "{outcome=\"flag\"}", state_metric_sum(st, METRIC_ABUSE_FLAGGED), true);
	counter(b, "tollgate_abuse_decisions_total", "", "{outcome=\"throttle\"}",
		state_metric_sum(st, METRIC_ABUSE_THROTTLED), false);
	counter(b, "tollgate_abuse_decisions_total", "", "{outcome=\"block\"}",
		state_metric_sum(st, METRIC_ABUSE_BLOCKED), false);
	counter(b, "tollgate_abuse_decisions_total", "", "{outcome=\"shadow\"}",
		state_metric_sum(st, METRIC_ABUSE_SHADOW), false);
	counter(b, "tollgate_abuse_samples_dropped_total",
		"Sampled decisions dropped because a ring was full.", "",
		state_metric_sum(st, METRIC_SAMPLES_DROPPED), true);
	counter(b, "tollgate_ai_requests_total", "AI requests by outcome.",
		"{outcome=\"answered\"}", state_metric_sum(st, METRIC_AI_ANSWERED), true);
	counter(b, "tollgate_ai_requests_total", "", "{outcome=\"failed\"}",
		state_metric_sum(st, METRIC_AI_FAILED), false);
	counter(b, "tollgate_ai_requests_total", "", "{outcome=\"cached\"}",
		state_metric_sum(st, METRIC_AI_CACHE_HITS), false);
	counter(b, "tollgate_ai_requests_total", "", "{outcome=\"cancelled\"}",
		state_metric_sum(st, METRIC_AI_CANCELLED), false);
	counter(b, "tollgate_ai_fallbacks_total",
		"AI provider attempts that failed and sent the request to the next target.", "",
		state_metric_sum(st, METRIC_AI_FALLBACKS), true);
	counter(b, "tollgate_ai_tokens_total", "Tokens (prompt and answer) the AI pool metered.",
		"", state_metric_sum(st, METRIC_AI_TOKENS), true);
	counter(b, "tollgate_judge_calls_total", "Calls to the LLM judge.", "",
		state_metric_sum(st, METRIC_JUDGE_CALLS), true);
	counter(b, "tollgate_judge_failures_total",
		"LLM judge calls that failed (the engine fell back to heuristics and the model).",
		"", state_metric_sum(st, METRIC_JUDGE_FAILURES), true);
	counter(b, "tollgate_access_log_lines_total", "Access-log lines the collector read.", "",
		state_metric_sum(st, METRIC_LOG_LINES), true);
	counter(b, "tollgate_access_log_malformed_total",
		"Access-log lines skipped as malformed or too long.", "",
		state_metric_sum(st, METRIC_LOG_MALFORMED), true);
	counter(b, "tollgate_access_log_unmatched_total",
		"Access-log lines with no gate decision to join.", "",
		state_metric_sum(st, METRIC_LOG_UNMATCHED), true);
	counter(b, "tollgate_flushes_total", "Successful usage flushes to PostgreSQL.", "",
		state_metric_sum(st, METRIC_FLUSHES), true);
	counter(b, "tollgate_flush_failures_total", "Usage flushes that failed (retried).", "",
		state_metric_sum(st, METRIC_FLUSH_FAILURES), true);
	counter(b, "tollgate_flush_skipped_total",
		"Usage records PostgreSQL refused on their own and that were left behind (logged).",
		"", state_metric_sum(st, METRIC_FLUSH_SKIPPED), true);
	counter(b, "tollgate_usage_reports_rejected_total",
		"X-Usage-Tokens or X-Usage-Cost values from upstreams out of bounds, ignored.", "",
		state_metric_sum(st, METRIC_USAGE_REJECTED), true);
	for (i = 0; i < h->nrings; i++)
		dropped += atomic_load(&st->rings[i].dropped);
	counter(b, "tollgate_decisions_dropped_total",
		"Decisions the collector never saw because a ring was full.", "", dropped, true);
	for (i = 0; i < TABLE__MAX; i++) {
		snprintf(labels, sizeof(labels), "{table=\"%s\"}",
			 state_table_name((enum state_table)i));
		counter(b, "tollgate_table_full_total",
			"Times a shared-memory table had no room (see the log for the setting).",
			labels, atomic_load(&h->full_count[i]), i == 0);
	}
	counter(b, "tollgate_stripe_webhooks_total",
		"Stripe webhook deliveries: applied (or recognised as repeated or stale), or "
		"rejected (bad signature or body, or not stored: Stripe delivers it again).",
		"{outcome=\"applied\"}", state_metric_sum(st, METRIC_WEBHOOKS_APPLIED), true);
	counter(b, "tollgate_stripe_webhooks_total", "", "{outcome=\"rejected\"}",
		state_metric_sum(st, METRIC_WEBHOOKS_REJECTED), false);
	counter(b, "tollgate_meter_events_total",
		"Meter-event calls to Stripe: sent (accepted, or already there) or failed "
		"(retried with backoff).",
		"{outcome=\"sent\"}", state_metric_sum(st, METRIC_METER_SENT), true);
	counter(b, "tollgate_meter_events_total", "", "{outcome=\"failed\"}",
		state_metric_sum(st, METRIC_METER_FAILURES), false);
	gauge(b, "tollgate_billing_outbox_depth", "Meter events queued and not yet sent to Stripe.",
	      atomic_load(&h->meter_depth));
	oldest = atomic_load(&h->meter_oldest_s);
	gauge(b, "tollgate_billing_outbox_oldest_age_seconds",
	      "How long the oldest unsent meter event has waited (0: none).",
	      oldest > 0 && (int64_t)time(NULL) > oldest ? (int64_t)time(NULL) - oldest : 0);
	gauge(b, "tollgate_billing_reconcile_differences",
	      "Customers whose usage, reported usage and Stripe's meter differ, at the last "
	      "reconciliation (-1: none run yet).",
	      atomic_load(&h->reconcile_diff));
	gauge(b, "tollgate_keys", "API keys loaded in memory.", shm_table_count(st->keys));
	gauge(b, "tollgate_tenants", "Tenants loaded in memory.", shm_table_count(st->tenants));
	gauge(b, "tollgate_usage_records", "Usage records (key and hour) in shared memory.",
	      shm_pool_used(st->usage));
	gauge(b, "tollgate_client_records", "Client addresses tracked in shared memory.",
	      shm_pool_used(st->ips));
	gauge(b, "tollgate_database_up", "1 when the syncer reached PostgreSQL recently.",
	      atomic_load(&h->db_up));
	gauge(b, "tollgate_flush_up", "1 when the last usage flush succeeded.",
	      atomic_load(&h->flush_ok));
	gauge(b, "tollgate_last_flush_timestamp_seconds", "When usage was last flushed.",
	      atomic_load(&h->flushed_ms) / 1000);
	return ERR_OK;
}
