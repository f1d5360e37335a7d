/* The gate's route table and worker settings. */
#include "gate_pool.h"

#include "../gate/gate.h"
#include "worker.h"

/* forward_auth sends no body; a gate answer is a few hundred bytes of headers. Only Caddy
 * can reach the socket, and it writes the whole request at once: no read deadline (it
 * would cost a system call per request), libfcgi's own wait for the parameters bounds a
 * peer that sends nothing. */
#define GATE_MAX_HEAD	  (16 * 1024)
#define GATE_MAX_RESPONSE (16 * 1024)
#define GATE_MAX_ARENA	  (256 * 1024)
#define GATE_DRAIN_MAX	  (64 * 1024)

static const struct route routes[] = {
    {"GET", "/_tollgate/gate", gate_handle, ROUTE_GATE},
};

const struct route_table gate_pool_routes = {
    .name = "gate",
    .routes = routes,
    .n = sizeof(routes) / sizeof(routes[0]),
    .auth_tenant = NULL,
    .tenant_done = NULL,
};

int gate_pool_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop)
{
	static const struct worker_pool pool = {
	    .routes = &gate_pool_routes,
	    .io = {.read_timeout_ms = 0, .drain_max = GATE_DRAIN_MAX},
	    .max_head = GATE_MAX_HEAD,
	    .max_response = GATE_MAX_RESPONSE,
	    .max_arena = GATE_MAX_ARENA,
	    .settle = gate_settle,
	};

	return worker_run(app, listen_fd, &pool, stop);
}
