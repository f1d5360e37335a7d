/* The dispatcher every pool shares: it matches a request against its pool's route table,
 * enforces the route's flags, calls the handler and renders every error in one place (the
 * one mapping from enum err to an HTTP status and a problem). The tables themselves, the
 * only code that knows URLs, are in routes.c. */
#ifndef APP_ROUTER_H
#define APP_ROUTER_H

#include "../app.h"

enum route_flag {
	ROUTE_GATE = 1 << 0,	 /* only through Caddy's forward_auth (TG_GATE in its env) */
	ROUTE_TENANT = 1 << 1,	 /* a tenant's management token first (the table's auth) */
	ROUTE_INTERNAL = 1 << 2, /* only through the internal site (TG_INTERNAL in its env) */
	ROUTE_PAGE = 1 << 3,	 /* an HTML page: errors are pages too (the table's page_error) */
	ROUTE_SESSION = 1 << 4,	 /* a page behind a signed-in session (the table's auth_session) */
	ROUTE_ADMIN = 1 << 5,	 /* a page behind an operator's session (the table's auth_admin) */
};

/* Paths are patterns (router_match): a ":name" segment captures one path segment. When two
 * patterns match one path, the first in the table wins: literal routes go first. */
struct route {
	const char *method;
	const char *path;
	enum err (*fn)(struct hctx *);
	unsigned flags;
};

/* A pool's routes, and how it authenticates ROUTE_TENANT requests (NULL: none has it) and
 * ends what that began once the handler is done (commits its tenant's transaction; a
 * failure to do so replaces the answer with that error). */
struct route_table {
	const char *name; /* "gate", "console": for logs */
	const struct route *routes;
	size_t n;
	enum err (*auth_tenant)(struct hctx *);
	enum err (*tenant_done)(struct hctx *, enum err handler_result);
	/* ROUTE_SESSION's and ROUTE_ADMIN's authentication, and how pages (and unknown paths
	 * under one of page_prefixes, a NULL-terminated list) show an error: as a page with
	 * this status, not a problem+json. */
	enum err (*auth_session)(struct hctx *);
	enum err (*auth_admin)(struct hctx *);
	void (*page_error)(struct hctx *, int status, enum err e);
	const char *const *page_prefixes;
};

/* Handles one request: fills rs completely (status, headers, body). Never fails. *admit
 * says whether the gate let the request through (to be billed once it is delivered). */
void router_dispatch(struct app *app, const struct route_table *t, struct fcgi_request *rq,
		     struct fcgi_response *rs, struct arena *arena, struct gate_admit *admit);

/* Replaces whatever the handler wrote with a problem+json body of kind and status
 * (c->detail, the request id and any decision id or parameter in it); keeps its headers.
 * For a handler whose status is not one of enum err's: it returns ERR_OK after. */
void router_problem(struct hctx *c, int status, enum problem_kind kind);

/* Matches path against a route pattern: literal segments match exactly, a ":name" segment
 * matches one non-empty segment (no '/'). On a match the captured segments go to params
 * (at most HCTX_MAX_PARAMS, in order; slices of pattern and path) and *n gets their
 * number. */
bool router_match(const char *pattern, const char *path, struct hctx_param *params, size_t *n);

#endif
