/* JWKS URLs -> PEM keys in PostgreSQL, off the gate. */
#include "jwks.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/jwk.h"
#include "../../lib/log.h"
#include "../../lib/str.h"
#include "../upstream/upstream.h"
#include "outbox.h"

#define BATCH	       16
#define LOOK_EVERY_MS  1000 /* a new or changed issuer is fetched within this */
#define FETCH_TIMEOUT  10000
#define JWKS_MAX_BYTES (256 * 1024)

/* Issuers due: never fetched (new, or their URL changed) first, then the oldest. */
static const char due_sql[] =
    "SELECT id, issuer, jwks_url, coalesce(jwks_cache, '') FROM jwt_issuers "
    "WHERE jwks_url IS NOT NULL AND (fetched_at IS NULL "
    "OR fetched_at < now() - make_interval(secs => $1::bigint / 1000.0)) "
    "ORDER BY fetched_at NULLS FIRST, id LIMIT 16";

static bool addr_ok(void *arg, const unsigned char ip[16])
{
	struct app *app = arg;
	char why[128];

	if (upstream_addr_allowed(app->cfg, ip, why, sizeof(why)))
		return true;
	log_warnx("jwks: refused an address before connecting: %s", why);
	return false;
}

/* Fetches url and converts it; ERR_OK with the PEMs in pems, else why says what failed. */
static enum err fetch(struct outbox_round *r, const char *url, struct buf *pems, char *why,
		      size_t n)
{
	struct http_req rq;
	struct buf body;
	char msg[256];
	size_t count = 0;
	int status = 0;
	enum err e;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url;
	rq.timeout_ms = FETCH_TIMEOUT;
	rq.max_response = JWKS_MAX_BYTES;
	rq.allow_addr = addr_ok;
	rq.arg = r->app;
	buf_init(&body, JWKS_MAX_BYTES + 1);
	e = http_send(r->h, &rq, &status, &body, msg, sizeof(msg));
	if (e != ERR_OK) {
		snprintf(why, n, "fetching the JWKS failed: %s", msg);
		goto out;
	}
	if (status != 200) {
		snprintf(why, n, "the JWKS URL answered %d", status);
		e = ERR_UPSTREAM;
		goto out;
	}
	e = jwk_set_to_pems(body.p != NULL ? body.p : "", body.len, pems, &count, msg, sizeof(msg));
	if (e != ERR_OK) {
		snprintf(why, n, "the JWKS is unusable: %s", msg);
		goto out;
	}
	if (count == 0) {
		snprintf(why, n, "the JWKS has no usable key%s%s", msg[0] ? ": " : "", msg);
		e = ERR_INPUT;
	}
out:
	buf_free(&body);
	return e;
}

static int64_t jwks_round(struct outbox_round *r)
{
	char refresh[24], why[320];
	const char *params[1] = {refresh};
	struct sql_res *res;
	int i, n;

	str_fmt_i64(refresh, r->app->cfg->jwks_refresh_ms);
	if (sql_exec(r->db, &res, due_sql, 1, params) != ERR_OK) {
		log_warnx("jwks: %s", sql_errmsg(r->db));
		return -1;
	}
	n = sql_rows(res);
	for (i = 0; i < n && !*r->stop; i++) {
		const char *id = sql_get(res, i, 0), *issuer = sql_get(res, i, 1);
		struct buf pems;
		enum err e;

		buf_init(&pems, 64 * 1024);
		why[0] = '\0';
		if (fetch(r, sql_get(res, i, 2), &pems, why, sizeof(why)) != ERR_OK) {
			const char *p[2] = {id, why};

			log_warnx("jwks: issuer %s: %s (its last good keys stay)", issuer, why);
			e = sql_exec(r->db, NULL,
				     "UPDATE jwt_issuers SET fetched_at = now(), fetch_error = $2 "
				     "WHERE id = $1",
				     2, p);
		} else if (strcmp(pems.p, sql_get(res, i, 3)) == 0) {
			const char *p[1] = {id};

			e = sql_exec(
			    r->db, NULL,
			    "UPDATE jwt_issuers SET fetched_at = now(), fetch_error = NULL "
			    "WHERE id = $1",
			    1, p);
		} else {
			const char *p[2] = {id, pems.p};

			log_info("jwks: issuer %s has new keys", issuer);
			e = sql_exec(r->db, NULL,
				     "UPDATE jwt_issuers SET jwks_cache = $2, fetched_at = now(), "
				     "fetch_error = NULL WHERE id = $1",
				     2, p);
		}
		buf_free(&pems);
		if (e != ERR_OK) {
			log_warnx("jwks: recording issuer %s: %s", issuer, sql_errmsg(r->db));
			sql_res_free(res);
			return -1;
		}
	}
	sql_res_free(res);
	return n == BATCH ? 0 : LOOK_EVERY_MS;
}

int jwks_run(struct app *app, volatile sig_atomic_t *stop)
{
	return outbox_run(app, stop, "jwks", jwks_round, NULL);
}
