/* The AI pool's route table, worker settings, database connection and HTTP client. */
#include "ai_pool.h"

#include "../ai/ai.h"
#include "../api/api_db.h"
#include "worker.h"

#define AI_MAX_HEAD	(16 * 1024)
#define AI_DRAIN_MAX	(64 * 1024 * 1024)
#define AI_MAX_RESPONSE (17 * 1024 * 1024) /* a non-streamed answer (app/ai, 16 MiB) */

/* The gate admitted the request and named the endpoint (Caddy rewrote the path to it). */
static const struct route routes[] = {
    {"POST", "/chat/completions", ai_chat, 0},
    {"POST", "/messages", ai_messages, 0},
    {"POST", "/embeddings", ai_embeddings, 0},
    {"GET", "/models", ai_models, 0},
};

const struct route_table ai_pool_routes = {
    .name = "ai",
    .routes = routes,
    .n = sizeof(routes) / sizeof(routes[0]),
};

int ai_pool_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop)
{
	const struct config *cfg = app->cfg;
	size_t body = (size_t)cfg->ai_max_body;
	struct worker_pool pool = {
	    .routes = &ai_pool_routes,
	    .io = {.read_timeout_ms = cfg->console_read_timeout_ms, .drain_max = AI_DRAIN_MAX},
	    .max_head = AI_MAX_HEAD,
	    .max_response = AI_MAX_RESPONSE,
	    .max_arena = body * 3 + 256 * 1024,
	    .settle = ai_settle,
	};
	struct app_db db;
	int rc;

	ai_worker_init();
	api_db_init(&db, cfg->database_url);
	app->db = &db;
	rc = worker_run(app, listen_fd, &pool, stop);
	app->db = NULL;
	api_db_close(&db);
	ai_worker_done();
	return rc;
}
