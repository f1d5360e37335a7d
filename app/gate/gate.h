/* The hot-path decision Caddy asks for on every proxied request (forward_auth). Reads
 * shared memory only: never PostgreSQL, never the network. */
#ifndef APP_GATE_H
#define APP_GATE_H

#include "../app.h"

/* 200 with X-Tollgate-Tenant, X-Tollgate-Key, X-Request-Id and X-Tollgate-Upstream when
 * the request may pass; otherwise an error (401 with WWW-Authenticate, 403, 502). */
enum err gate_handle(struct hctx *c) WUR;

#endif
