/* Worker accept loop: accept, dispatch through the pool's routes, answer, settle, reset. */
#include "worker.h"

#include <string.h>

#include "../../lib/log.h"

#define ARENA_CHUNK (16 * 1024)

int worker_run(struct app *app, int listen_fd, const struct worker_pool *pool,
	       volatile sig_atomic_t *stop)
{
	struct fcgi_server *srv;
	struct fcgi_response rs;
	struct fcgi_request rq;
	struct gate_admit admit;
	struct arena arena;
	bool delivered;

	if (fcgi_server_new(listen_fd, &pool->io, &srv) != ERR_OK) {
		log_errorx("cannot start the FastCGI accept loop");
		return 1;
	}
	arena_init(&arena, ARENA_CHUNK, pool->max_arena);
	fcgi_response_init(&rs, pool->max_head, pool->max_response);
	memset(&rq, 0, sizeof(rq));
	rq.arena = &arena;
	while (!*stop) {
		if (fcgi_server_accept(srv, &rq) != ERR_OK)
			continue; /* a signal, or a connection that went away */
		router_dispatch(app, pool->routes, &rq, &rs, &arena, &admit);
		delivered = fcgi_server_respond(srv, &rq, &rs);
		if (pool->settle != NULL)
			pool->settle(app, &admit, delivered);
		fcgi_response_reset(&rs);
		arena_reset(&arena);
	}
	fcgi_response_free(&rs);
	arena_free(&arena);
	fcgi_server_free(srv);
	return 0;
}
