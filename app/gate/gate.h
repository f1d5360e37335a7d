/* The hot-path decision Caddy asks for on every proxied request (forward_auth). Reads
 * shared memory only: never PostgreSQL, never the network. */
#ifndef APP_GATE_H
#define APP_GATE_H

#include "../app.h"

/* 200 with X-Tollgate-Tenant, X-Tollgate-Key, X-Request-Id, X-Tollgate-Upstream and the
 * X-Tollgate-RateLimit-* headers when the request may pass; otherwise an error: 401 with
 * WWW-Authenticate, 403 suspended, 413 too large, 429 rate-limited or quota-exceeded with
 * Retry-After and RateLimit headers, 502 no upstream, 503 when it cannot be accounted. */
enum err gate_handle(struct hctx *c) WUR;

/* Bills an admitted request once its answer was handed to Caddy (delivered), or gives
 * back its quota when it was not. Call after the response is written; a no-op for a
 * request the gate did not admit. */
void gate_settle(struct app *app, const struct gate_admit *a, bool delivered);

#endif
