/* What the management-plane handlers (/api/v1/) share: query strings, JSON bodies and
 * numbers, queries whose results the request's arena frees, the problems they answer
 * with, and Idempotency-Key on POST. */
#ifndef APP_API_H
#define APP_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/jsonx.h"
#include "../../lib/sql.h"
#include "../app.h"
#include "api_db.h"

/* A timestamptz column as RFC 3339 text in UTC, for JSON answers (SQL text). */
#define API_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* One query parameter a handler accepts: name in, value out. */
struct api_qparam {
	const char *name;
	const char *value; /* percent-decoded, in the arena; NULL when absent or empty */
};

/* Parses a query string (QUERY_STRING; NULL is empty) into qp, whose names are the only
 * ones accepted. %XX escapes are decoded, '+' is kept as '+' (an RFC 3339 offset). An
 * empty value counts as absent. ERR_INPUT, with *bad naming the parameter and *why a
 * sentence saying what is wrong (both in the arena), for an unknown or repeated name, a
 * bad escape or a NUL. ERR_TOOBIG when the arena is full. */
enum err api_query_parse(struct arena *a, const char *query, struct api_qparam *qp, size_t n,
			 const char **bad, const char **why) WUR;

/* 400 invalid-parameter naming param; detail is a sentence for people. */
enum err api_bad_param(struct hctx *c, const char *param, const char *detail) WUR;
/* 400 invalid-body. */
enum err api_bad_body(struct hctx *c, const char *detail) WUR;
/* An address mail could go to (and the users table's rule accepts): one '@' with something
 * on both sides, no spaces, quotes, angle brackets or control characters, at most 254. */
bool api_email_ok(const char *e);

/* invalid-body naming every bad member at once: why[] are sentences without a full stop
 * ("name must be a string"), joined with "; ". */
enum err api_bad_fields(struct hctx *c, const char *const *why, size_t n) WUR;

/* Reads and parses the request body as one JSON object of at most TOLLGATE_MAX_BODY bytes
 * sent as application/json, whose members are all among allowed (n names). The document
 * is freed with the arena. ERR_INPUT (invalid-body, or bad-request for the content type),
 * ERR_TOOBIG (413). */
enum err api_read_json(struct hctx *c, const char *const *allowed, size_t n,
		       struct jsonx_doc **out) WUR;
/* The first top-level member of a JSON object text (already known to be valid) whose name
 * is not among allowed, copied (raw, truncated) into unknown; false when there is none. */
bool api_json_unknown_member(struct str json, const char *const *allowed, size_t n, char *unknown,
			     size_t len);

/* Writes key and then a number given as text (PostgreSQL's output of a real); null when it
 * is not a JSON number (NaN, Infinity). */
void api_json_knum(struct jsonx_w *w, const char *key, const char *text);

/* sql_exec on the request's connection, its result freed with the arena. A lost
 * connection is ERR_DB (503 unavailable, Retry-After: 1); a failed statement on a live
 * one is a bug, ERR_SYS (500); constraint violations keep sql_exec's errors. Logged once
 * here, with the statement's error. */
enum err api_sql(struct hctx *c, struct sql_res **out, const char *query, int n,
		 const char *const *params) WUR;
/* api_sql for the first statement of a request, one that changes nothing: when the
 * connection turns out to be lost (PostgreSQL restarted since the last request), it is
 * tried once more on a new one. */
enum err api_sql_retry(struct hctx *c, struct sql_res **out, const char *query, int n,
		       const char *const *params) WUR;
/* A GET of the tenant's rows: query, with $1 the tenant (c->tenant_id), run through
 * api_sql(); each row written by row(); answered as {"data": [rows], "meta": ...}. */
enum err api_list_rows(struct hctx *c, const char *query,
		       void (*row)(struct jsonx_w *w, const struct sql_res *r, int i)) WUR;

/* 503 unavailable with Retry-After: 1 (the caller has logged why). */
enum err api_unavailable(struct hctx *c) WUR;
/* BEGIN and COMMIT through api_sql; rollback is sql_rollback(api_db_conn(c)). */
enum err api_begin(struct hctx *c) WUR;
enum err api_commit(struct hctx *c) WUR;

/* Idempotency-Key on a POST: the key, and the hash of the request it came with. */
struct api_idem {
	const char *key; /* NULL: the request has none */
	char request_hash[65];
};

/* Reads the Idempotency-Key header (1-255 visible ASCII characters; ERR_INPUT otherwise)
 * and hashes method, path and body with it. Call after the body is read. */
enum err api_idem_init(struct hctx *c, struct api_idem *im) WUR;
/* Inside the handler's transaction, before it changes anything: claims the key for this
 * tenant. *replayed true: the key was used before with the same request, whose stored
 * response has been written (the caller rolls back and returns ERR_OK). ERR_CONFLICT
 * (idempotency-key-reused) when it came with another request. A key whose request is not
 * done (a concurrent one) waits for it: PostgreSQL's unique index serialises the two.
 * Keys are kept 24 hours. No-op without a key. */
enum err api_idem_claim(struct hctx *c, struct api_idem *im, bool *replayed) WUR;
/* Stores the response's "data" (JSON text) for the key, in the same transaction as the
 * work it answers. No-op without a key. */
enum err api_idem_store(struct hctx *c, const struct api_idem *im, int status,
			const char *data) WUR;

/* A change through the API, idempotent when the request has an Idempotency-Key: work
 * does it in the request's transaction and writes the answer's "data" (one JSON object)
 * into data, and any secret to show only this once (JSON members: "key":"tg_...") into
 * secret. Then the answer is stored with the key, committed and sent with status; a
 * replay gets the stored answer, without the secret. */
typedef enum err (*api_work_fn)(struct hctx *c, void *arg, struct buf *data, struct buf *secret);
enum err api_change(struct hctx *c, int status, api_work_fn work, void *arg) WUR;
/* A change of one row of the request's tenant: runs sql with $1 the tenant and $2 id
 * (its result, freed with the arena, in *row when row is not NULL); ERR_NOTFOUND with
 * missing as the detail when it touched no row; else writes action to the audit log with
 * column target_col of the row as its target. */
enum err api_change_owned(struct hctx *c, const char *sql, int64_t id, const char *missing,
			  const char *action, int target_col, struct sql_res **row) WUR;

/* POST .../:param/verb: op(c, the route's :param as a positive id) as an api_change(),
 * answering 200 {"<param>": id, "<done>": true}; ERR_NOTFOUND with missing as the detail
 * when :param is no id. */
enum err api_change_id(struct hctx *c, const char *param, const char *missing,
		       enum err (*op)(struct hctx *, int64_t), const char *done) WUR;

#endif
