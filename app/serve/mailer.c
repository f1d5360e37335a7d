/* The outbox's sender. A batch is claimed by pushing its next attempt into the future
 * (FOR UPDATE SKIP LOCKED, so two nodes never take the same mail) and committed before
 * anything is sent: a mailer killed mid-send leaves the mail to be sent again when the
 * claim runs out. A sent mail keeps its row but loses its body, which may hold a link that
 * must not outlive its use at rest. */
#include "mailer.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/http.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "outbox.h"

#define BATCH	   10
#define LOOK_EVERY 500 /* ms between looks at the outbox when it is empty */

/* Claims up to BATCH due mails: the claim holds for TOLLGATE_SMTP_TIMEOUT times 2^attempts,
 * which is both the backoff of a failure and longer than a send can take. */
static const char claim_sql[] =
    "UPDATE mail_outbox m SET attempts = m.attempts + 1, "
    "next_attempt_at = now() + make_interval(secs => $1::bigint / 1000.0 * "
    "(1 << least(m.attempts, 7))) "
    "WHERE m.id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL "
    "AND next_attempt_at <= now() AND attempts < 8 ORDER BY id LIMIT 10 " /* 8 tries */
    "FOR UPDATE SKIP LOCKED) RETURNING m.id, m.to_addr, m.subject, m.body, m.attempts";

static int send_batch(struct app *app, struct sql *db, struct http *h)
{
	const struct config *cfg = app->cfg;
	struct sql_res *r;
	char msg[512], timeout[24];
	const char *claim[1] = {timeout};
	int i, n;

	str_fmt_i64(timeout, cfg->smtp_timeout_ms);
	if (sql_exec(db, &r, claim_sql, 1, claim) != ERR_OK) {
		log_warnx("mailer: %s", sql_errmsg(db));
		return -1;
	}
	n = sql_rows(r);
	for (i = 0; i < n; i++) {
		struct http_mail m = {cfg->smtp_url,   cfg->smtp_user,	 cfg->smtp_password,
				      cfg->smtp_from,  sql_get(r, i, 1), sql_get(r, i, 2),
				      sql_get(r, i, 3)};
		const char *params[2] = {sql_get(r, i, 0), msg};
		enum err e = http_mail_send(h, &m, cfg->smtp_timeout_ms, msg, sizeof(msg));

		if (e == ERR_OK) {
			msg[0] = '\0';
			log_info("mailer: sent mail %s", sql_get(r, i, 0));
			e = sql_exec(
			    db, NULL,
			    "UPDATE mail_outbox SET sent_at = now(), body = '', last_error = $2 "
			    "WHERE id = $1",
			    2, params);
		} else {
			log_warnx("mailer: mail %s, attempt %s: %s", sql_get(r, i, 0),
				  sql_get(r, i, 4), msg);
			e = sql_exec(db, NULL,
				     "UPDATE mail_outbox SET last_error = $2 WHERE id = $1", 2,
				     params);
		}
		if (e != ERR_OK)
			log_warnx("mailer: recording mail %s: %s", sql_get(r, i, 0),
				  sql_errmsg(db));
	}
	sql_res_free(r);
	return n;
}

static int64_t mailer_round(struct outbox_round *r)
{
	int n = send_batch(r->app, r->db, r->h);

	if (n < 0)
		return -1;
	return n < BATCH ? LOOK_EVERY : 0;
}

int mailer_run(struct app *app, volatile sig_atomic_t *stop)
{
	return outbox_run(app, stop, "mailer", mailer_round, NULL);
}
