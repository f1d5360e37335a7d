/* Sampled abuse decisions -> abuse_decisions. */
#include "samples.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/codec.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../state/state.h"

#define BATCH 500
#define COLS  17

enum col {
	C_ID,
	C_TENANT,
	C_KEY,
	C_IP,
	C_AT,
	C_OUTCOME,
	C_ENFORCED,
	C_REASON,
	C_SCORE,
	C_VERSION,
	C_METHOD,
	C_ROUTE,
	C_PAYLOAD,
	C_UA,
	C_HEADERS,
	C_FEATURES,
	C_EXPLANATION
};

/* One element of a PostgreSQL array literal, quoted, with " and \ escaped. */
static void quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void append(struct state *st, struct buf *cols, const struct state_sample *s)
{
	char text[64], features[16 * F__MAX], why[1024];
	struct abuse_model m;
	size_t i, o = 0;
	time_t t = (time_t)(s->at_ms / 1000);
	struct tm tm;

	for (i = 0; i < COLS; i++)
		buf_putc(&cols[i], cols[i].len > 1 ? ',' : '{');
	codec_uuid(s->request_id, text);
	buf_puts(&cols[C_ID], text);
	buf_printf(&cols[C_TENANT], "%lld", (long long)s->tenant_id);
	buf_printf(&cols[C_KEY], "%lld", (long long)s->key_id);
	codec_ip_format(s->ip, text, sizeof(text));
	buf_puts(&cols[C_IP], text);
	gmtime_r(&t, &tm);
	strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &tm);
	buf_printf(&cols[C_AT], "\"%s.%03d+00\"", text, (int)(s->at_ms % 1000));
	quoted(&cols[C_OUTCOME], abuse_outcome_name((enum abuse_outcome)s->outcome));
	buf_puts(&cols[C_ENFORCED], s->enforced ? "t" : "f");
	quoted(&cols[C_REASON], abuse_rule_name(s->reason));
	buf_printf(&cols[C_SCORE], "%.6g", (double)s->score);
	buf_printf(&cols[C_VERSION], "%lld", (long long)s->model_version);
	quoted(&cols[C_METHOD], s->method);
	quoted(&cols[C_ROUTE], s->route);
	buf_printf(&cols[C_PAYLOAD], "%lld", (long long)s->payload);
	quoted(&cols[C_UA], s->ua_family);
	quoted(&cols[C_HEADERS], s->headers);
	features[o++] = '{';
	for (i = 0; i < F__MAX; i++) {
		int n = snprintf(features + o, sizeof(features) - o, "%s%.6g", i ? "," : "",
				 (double)s->features[i]);

		if (n > 0 && (size_t)n < sizeof(features) - o)
			o += (size_t)n;
	}
	snprintf(features + o, sizeof(features) - o, "}");
	quoted(&cols[C_FEATURES], features);
	/* Explained by the model that decided: still the tenant's active one unless it changed
	 * since (then the rule alone is known). */
	state_model_get(st, s->tenant_id, &m);
	if (m.version == s->model_version &&
	    abuse_explain(&m, s->features, s->reason, why, sizeof(why)))
		quoted(&cols[C_EXPLANATION], why);
	else {
		snprintf(why, sizeof(why),
			 "{\"rule\":\"%s\",\"model_version\":%lld,\"signals\":[]}",
			 abuse_rule_name(s->reason), (long long)s->model_version);
		quoted(&cols[C_EXPLANATION], why);
	}
}

enum err samples_flush(struct app *app, struct sql *db)
{
	struct state *st = app->state;
	uint32_t r;

	for (r = 0; r < st->hdr->nrings; r++) {
		struct state_sample_ring *ring = &st->samples[r];

		for (;;) {
			uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
			uint64_t head = atomic_load_explicit(&ring->head, memory_order_acquire),
				 end;
			struct buf cols[COLS];
			const char *params[COLS + 1];
			enum err rc;
			uint64_t i;
			int c;

			if (tail == head)
				break;
			end = head - tail > BATCH ? tail + BATCH : head;
			for (c = 0; c < COLS; c++)
				buf_init(&cols[c], 0);
			for (i = tail; i < end; i++)
				append(st, cols, &ring->items[i & (STATE_SAMPLE_RING - 1)]);
			params[0] = app->cfg->node_id;
			for (c = 0; c < COLS; c++) {
				buf_putc(&cols[c], '}');
				params[c + 1] = cols[c].p;
			}
			rc = sql_exec(
			    db, NULL,
			    "SELECT tollgate_record_decisions($1, $2::uuid[], $3::bigint[], "
			    "$4::bigint[], $5::inet[], $6::timestamptz[], $7::text[], "
			    "$8::boolean[], $9::text[], $10::real[], $11::bigint[], "
			    "$12::text[], $13::text[], $14::bigint[], $15::text[], "
			    "$16::text[], $17::text[], $18::text[])",
			    COLS + 1, params);
			for (c = 0; c < COLS; c++)
				buf_free(&cols[c]);
			if (rc != ERR_OK) {
				log_warnx("could not store abuse decisions: %s", sql_errmsg(db));
				return ERR_DB;
			}
			/* Committed: the worker may reuse these entries now. */
			atomic_store_explicit(&ring->tail, end, memory_order_release);
		}
	}
	return ERR_OK;
}
