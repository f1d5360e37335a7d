/* What a process of `tollgate serve` holds for its whole life, and what a handler gets
 * for one request. */
#ifndef APP_APP_H
#define APP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/arena.h"
#include "../lib/err.h"
#include "../lib/fcgi.h"
#include "config.h"
#include "state/state.h"

struct sql;

/* A worker's PostgreSQL connection for the management plane (never the gate's: the gate
 * answers from shared memory). Opened on first use and again after it failed; the worker
 * owns it and sets open. */
struct app_db {
	struct sql *conn; /* NULL until first use, or after a failure */
	/* Replaces conn with a new connection. ERR_DB (logged once per outage) when
	 * PostgreSQL cannot be reached, and without a new attempt for a second after that. */
	enum err (*open)(struct app_db *db);
	const char *url;
	int64_t retry_after_ms; /* CLOCK_MONOTONIC: no connection attempt before this */
	bool down_logged;
};

struct app {
	const struct config *cfg;
	struct state *state;
	uint32_t ring;	   /* this worker's decision ring and metrics row */
	struct app_db *db; /* workers only; NULL elsewhere (and in unit tests) */
};

/* A request the gate admitted, to be billed once its admission has reached Caddy. */
struct gate_admit {
	bool admitted;
	int64_t key_id;
	int64_t tenant_id;
	int64_t hour;  /* of the decision: hours since the epoch */
	int64_t month; /* of the decision: months since 1970-01 */
};

/* Problem types Tollgate answers with; the catalogue (slug, title) is in app.c and in
 * docs/problems.md. */
enum problem_kind {
	PROB_NONE,
	PROB_MISSING_API_KEY,
	PROB_INVALID_API_KEY,
	PROB_TENANT_SUSPENDED,
	PROB_NO_UPSTREAM,
	PROB_NOT_READY,
	PROB_NOT_FOUND,
	PROB_METHOD_NOT_ALLOWED,
	PROB_BAD_REQUEST,
	PROB_TOO_LARGE,
	PROB_CONFLICT,
	PROB_FORBIDDEN,
	PROB_RATE_LIMITED,
	PROB_QUOTA_EXCEEDED,
	PROB_ABUSE,
	PROB_UNAVAILABLE,
	PROB_INTERNAL,
	PROB_MISSING_TOKEN,	     /* management API: no Authorization: Bearer tgm_... */
	PROB_INVALID_TOKEN,	     /* management API: malformed, unknown or revoked token */
	PROB_INVALID_PARAMETER,	     /* a query or path parameter ("parameter" names it) */
	PROB_INVALID_BODY,	     /* a JSON body: not JSON, wrong type, unknown member */
	PROB_IDEMPOTENCY_KEY_REUSED, /* the same Idempotency-Key with another request */
	PROB__MAX
};

#define HCTX_MAX_PARAMS 4

/* One request. Handlers fill rs on success; on failure they may pick a problem kind and
 * a detail, add headers (WWW-Authenticate), and return the error: the router renders it. */
struct hctx {
	struct app *app;
	struct fcgi_request *rq;
	struct fcgi_response *rs;
	struct arena *arena;
	const char *request_id;
	enum problem_kind problem;
	const char *detail;
	struct gate_admit admit; /* filled by the gate when it lets the request through */
	char decision_id[37];	 /* an abuse decision's id, added to the problem body if set */
	const char *parameter;	 /* the invalid parameter, added to the problem body if set */

	/* The route's ":name" path segments, in order: slices of PATH_INFO. */
	struct hctx_param {
		struct str name, value;
	} params[HCTX_MAX_PARAMS];
	size_t nparams;

	/* Management plane (ROUTE_TENANT): the tenant and token that authenticated, and the
	 * worker's connection once hctx_db() opened it. */
	int64_t tenant_id;
	int64_t token_id;
	struct sql *db;
};

/* The value of the path parameter name (":name" in the route), or the empty slice. */
struct str hctx_param(const struct hctx *c, const char *name);

/* The worker's management-plane connection, in c->db: opened (or reopened, when the last
 * query lost it) now if need be. ERR_DB when PostgreSQL cannot be reached, or when this
 * process has none: the router answers 503 unavailable. The connection outlives the
 * request: a handler leaves no transaction open on it. */
enum err hctx_db(struct hctx *c) WUR;

const char *problem_slug(enum problem_kind k);
const char *problem_title(enum problem_kind k);

/* Starts a success body {"data": ... and sets the JSON content type; finish with
 * hctx_json_end(), which adds "meta": {"request_id": ...}}. */
struct jsonx_w;
void hctx_json_begin(struct hctx *c, struct jsonx_w *w);
void hctx_json_end(struct hctx *c, struct jsonx_w *w);

#endif
