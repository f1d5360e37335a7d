/* The webhook outbox's sender, like the mailer's: a batch is claimed by pushing its next
 * attempt into the future (FOR UPDATE SKIP LOCKED: two nodes never take the same one) and
 * committed before anything is sent, so a sender killed mid-send leaves the hook to be
 * sent again when the claim runs out (receivers are told the event's id to drop a
 * repeat). Each POST is signed like Stripe's: Tollgate-Signature: t=<unix s>,v1=<hex
 * HMAC-SHA256 of "t.body" with the tenant's webhook secret>. The URL's addresses go
 * through the upstream rules again before libcurl connects. */
#include "hooks.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../lib/codec.h"
#include "../../lib/cryptox.h"
#include "../../lib/http.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../ai/ai_names.h"
#include "../upstream/upstream.h"
#include "outbox.h"

#define BATCH	   10
#define LOOK_EVERY 1000	 /* ms between looks at the outbox when it is empty */
#define TIMEOUT_MS 10000 /* a receiver has this long to answer */
#define MAX_ANSWER 65536

/* The claim holds for TIMEOUT_MS times 2^attempts: the backoff of a failure, and longer
 * than a send can take. 12 tries, over about 11 hours. */
static const char claim_sql[] =
    "UPDATE ai_webhook_outbox o SET attempts = o.attempts + 1, "
    "next_attempt_at = now() + make_interval(secs => $1::bigint / 1000.0 * "
    "(1 << least(o.attempts, 12))) "
    "WHERE o.id IN (SELECT id FROM ai_webhook_outbox WHERE sent_at IS NULL "
    "AND next_attempt_at <= now() AND attempts < 12 ORDER BY id LIMIT 10 "
    "FOR UPDATE SKIP LOCKED) RETURNING o.id, o.tenant_id, o.url, o.body, o.attempts";

static bool allowed(void *arg, const unsigned char ip[16])
{
	const struct config *cfg = arg;
	char why[128];

	return upstream_addr_allowed(cfg, ip, why, sizeof(why));
}

/* One POST; its outcome in msg (empty when the receiver took it). */
static bool post(struct app *app, struct http *h, const struct sql_res *r, int i, char *msg,
		 size_t n)
{
	const char *body = sql_get(r, i, 3);
	char secret[AI_WEBHOOK_SECRET_LEN], ts[24], sig[200], id[40];
	unsigned char mac[32];
	char hex[65];
	struct http_header hd[3];
	struct http_req rq;
	struct buf out;
	int64_t tenant = sql_get_i64(r, i, 1);
	int status = 0;
	enum err e;

	ai_webhook_secret(app->cfg, tenant, secret);
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	cryptox_hmac_sha256_dot(secret, strlen(secret), ts, strlen(ts), body, strlen(body), mac);
	codec_hex(mac, sizeof(mac), hex);
	snprintf(sig, sizeof(sig), "t=%s,v1=%s", ts, hex);
	snprintf(id, sizeof(id), "aiw_%s", sql_get(r, i, 0));
	hd[0] = (struct http_header){"Tollgate-Signature", sig};
	hd[1] = (struct http_header){"Tollgate-Event-Id", id};
	hd[2] = (struct http_header){NULL, NULL};
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = sql_get(r, i, 2);
	rq.content_type = "application/json";
	rq.headers = hd;
	rq.body = body;
	rq.len = strlen(body);
	rq.timeout_ms = TIMEOUT_MS;
	rq.max_response = MAX_ANSWER;
	rq.allow_addr = allowed;
	rq.arg = (void *)app->cfg;
	buf_init(&out, MAX_ANSWER);
	e = http_send(h, &rq, &status, &out, msg, n);
	buf_free(&out);
	cryptox_wipe(secret, sizeof(secret));
	if (e == ERR_OK && (status < 200 || status > 299))
		snprintf(msg, n, "the receiver answered %d", status);
	else if (e == ERR_OK)
		msg[0] = '\0';
	return e == ERR_OK && status >= 200 && status <= 299;
}

static int send_batch(struct app *app, struct sql *db, struct http *h)
{
	struct sql_res *r;
	char msg[512], timeout[24];
	const char *claim[1] = {timeout};
	int i, n;

	str_fmt_i64(timeout, TIMEOUT_MS);
	if (sql_exec(db, &r, claim_sql, 1, claim) != ERR_OK) {
		log_warnx("hooks: %s", sql_errmsg(db));
		return -1;
	}
	n = sql_rows(r);
	for (i = 0; i < n; i++) {
		const char *params[2] = {sql_get(r, i, 0), msg};
		bool sent = post(app, h, r, i, msg, sizeof(msg));

		if (sent)
			log_info("hooks: webhook %s delivered", sql_get(r, i, 0));
		else
			log_warnx("hooks: webhook %s, attempt %s: %s", sql_get(r, i, 0),
				  sql_get(r, i, 4), msg);
		if (sql_exec(db, NULL,
			     sent ? "UPDATE ai_webhook_outbox SET sent_at = now(), last_error = $2 "
				    "WHERE id = $1"
				  : "UPDATE ai_webhook_outbox SET last_error = $2 WHERE id = $1",
			     2, params) != ERR_OK)
			log_warnx("hooks: recording webhook %s: %s", sql_get(r, i, 0),
				  sql_errmsg(db));
	}
	sql_res_free(r);
	return n;
}

static int64_t hooks_round(struct outbox_round *r)
{
	int n = send_batch(r->app, r->db, r->h);

	if (n < 0)
		return -1;
	return n < BATCH ? LOOK_EVERY : 0;
}

int hooks_run(struct app *app, volatile sig_atomic_t *stop)
{
	return outbox_run(app, stop, "hooks", hooks_round, NULL);
}
