/* A FastCGI worker's accept loop, the same for every pool: one arena and one response
 * buffer, reset after every request. What differs between pools (routes, input limits,
 * billing after the answer) comes in a struct worker_pool. */
#ifndef APP_WORKER_H
#define APP_WORKER_H

#include <signal.h>

#include "../app.h"
#include "router.h"

struct worker_pool {
	const struct route_table *routes;
	struct fcgi_server_opts io; /* input deadline and drain bound */
	size_t max_head;	    /* response header bytes */
	size_t max_response;	    /* response body bytes */
	size_t max_arena;	    /* per-request memory */
	/* Called once the answer was written (delivered: Caddy has it all); NULL: none. */
	void (*settle)(struct app *app, const struct gate_admit *a, bool delivered);
};

/* Serves until *stop becomes non-zero; the request in progress is finished first.
 * Returns the process exit status. */
int worker_run(struct app *app, int listen_fd, const struct worker_pool *pool,
	       volatile sig_atomic_t *stop);

#endif
