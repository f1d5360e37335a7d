/* What a worker holds for its whole life (struct app) and what a handler gets for one
 * request (struct hctx). Nothing here reaches PostgreSQL or the network: the gate's pool
 * links this without lib/sql and lib/http. */
#ifndef APP_APP_H
#define APP_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "../lib/arena.h"
#include "../lib/err.h"
#include "../lib/fcgi.h"
#include "config.h"
#include "problems.h"
#include "state/state.h"

/* The management plane's PostgreSQL connection (console workers only; defined by
 * app/api/api_db.h). The gate's pool never has one. */
struct app_db;
struct portal_session;
struct form;

/* Rows of shared memory's per-process tables a process owns: APP_NO_RING for processes
 * that push no decisions (console workers, CLI). */
#define APP_NO_RING UINT32_MAX

struct app {
	const struct config *cfg;
	struct state *state;
	uint32_t ring;	   /* this gate worker's decision ring and metrics row */
	struct app_db *db; /* console workers only; NULL elsewhere (and in unit tests) */
};

/* A request the gate admitted, to be billed once its admission has reached Caddy. */
struct gate_admit {
	bool admitted;
	int64_t key_id;
	int64_t tenant_id;
	int64_t hour; /* of the decision: hours since the epoch */
	int64_t win;  /* of the decision: its tenant's quota window (first hour) */
	/* The abuse engine's view of the route, for the collector (engine.h's abuse_route). */
	uint64_t route_hash, seg_pos[3], seg_val[3], ua_hash, path;
	uint32_t steps;
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

	/* Management plane (ROUTE_TENANT): the tenant and token that authenticated. */
	int64_t tenant_id;
	int64_t token_id;

	/* Portal pages: the signed-in user (ROUTE_SESSION) and the parsed form of a POST. */
	struct portal_session *session;
	const struct form *form;
};

/* The client's address: Caddy's TCP peer (TG_PEER), or, when that is one of
 * TOLLGATE_TRUSTED_PROXIES, the nearest untrusted hop of the X-Forwarded-For it was sent
 * (TG_XFF). False when there is none. */
bool hctx_client_ip(const struct hctx *c, unsigned char out[16]);

/* A background child's pause: up to ms, in slices short enough that a stop signal that
 * arrived just before the pause (the race every signal-driven loop has) costs at most
 * APP_NAP_MS. Returns early once *stop is set. */
#define APP_NAP_MS 100
void app_sleep_ms(int64_t ms, volatile sig_atomic_t *stop);

/* The value of the path parameter name (":name" in the route), or the empty slice. */
struct str hctx_param(const struct hctx *c, const char *name);

/* Starts a success body {"data": ... and sets the JSON content type; finish with
 * hctx_json_end(), which adds "meta": {"request_id": ...}}. */
struct jsonx_w;
void hctx_json_begin(struct hctx *c, struct jsonx_w *w);
void hctx_json_end(struct hctx *c, struct jsonx_w *w);

#endif
