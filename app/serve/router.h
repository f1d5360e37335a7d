/* The only file that knows every URL: a table of routes, one dispatcher that enforces
 * route flags, calls the handler and renders every error in one place. */
#ifndef APP_ROUTER_H
#define APP_ROUTER_H

#include "../app.h"

/* Handles one request: fills rs completely (status, headers, body). Never fails. *admit
 * says whether the gate let the request through (to be billed once it is delivered). */
void router_dispatch(struct app *app, struct fcgi_request *rq, struct fcgi_response *rs,
		     struct arena *arena, struct gate_admit *admit);

/* Matches path against a route pattern: literal segments match exactly, a ":name" segment
 * matches one non-empty segment (no '/'). On a match the captured segments go to params
 * (at most HCTX_MAX_PARAMS, in order; slices of pattern and path) and *n gets their
 * number. */
bool router_match(const char *pattern, const char *path, struct hctx_param *params, size_t *n);

#endif
