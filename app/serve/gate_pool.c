/* The gate's route table and worker settings. */
#include "gate_pool.h"

#include "../gate/gate.h"
#include "worker.h"

/* forward_auth sends no body; a gate answer is a few hundred bytes of headers. */
#define GATE_MAX_HEAD	  (16 * 1024)
#define GATE_MAX_RESPONSE (16 * 1024)
#define GATE_MAX_ARENA	  (256 * 1024)
#define GATE_DRAIN_MAX	  (64 * 1024)
#define GATE_READ_MS	  1000

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
	    .io = {.read_timeout_ms = GATE_READ_MS, .drain_max = GATE_DRAIN_MAX},
	    .max_head = GATE_MAX_HEAD,
	    .max_response = GATE_MAX_RESPONSE,
	    .max_arena = GATE_MAX_ARENA,
	    .settle = gate_settle,
	};

	return worker_run(app, listen_fd, &pool, stop);
}
