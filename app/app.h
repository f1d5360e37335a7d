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

struct app {
	const struct config *cfg;
	struct state *state;
	uint32_t ring; /* this worker's decision ring and metrics row */
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
	PROB__MAX
};

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
};

const char *problem_slug(enum problem_kind k);
const char *problem_title(enum problem_kind k);

/* Starts a success body {"data": ... and sets the JSON content type; finish with
 * hctx_json_end(), which adds "meta": {"request_id": ...}}. */
struct jsonx_w;
void hctx_json_begin(struct hctx *c, struct jsonx_w *w);
void hctx_json_end(struct hctx *c, struct jsonx_w *w);

#endif
