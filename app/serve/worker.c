/* Worker accept loop: one arena and one response buffer, reset after every request. */
#include "worker.h"

#include <string.h>

#include "../../lib/log.h"
#include "../gate/gate.h"
#include "router.h"

#define ARENA_CHUNK (16 * 1024)
#define MAX_HEAD    (16 * 1024)

int worker_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop)
{
	struct fcgi_server *srv;
	struct fcgi_response rs;
	struct fcgi_request rq;
	struct gate_admit admit;
	struct arena arena;

	if (fcgi_server_new(listen_fd, &srv) != ERR_OK) {
		log_errorx("cannot start the FastCGI accept loop");
		return 1;
	}
	arena_init(&arena, ARENA_CHUNK, (size_t)app->cfg->max_body * 2 + ARENA_CHUNK);
	fcgi_response_init(&rs, MAX_HEAD, (size_t)app->cfg->max_body * 4);
	memset(&rq, 0, sizeof(rq));
	rq.arena = &arena;
	while (!*stop) {
		if (fcgi_server_accept(srv, &rq) != ERR_OK)
			continue; /* a signal, or a connection that went away */
		router_dispatch(app, &rq, &rs, &arena, &admit);
		gate_settle(app, &admit, fcgi_server_respond(srv, &rs));
		fcgi_response_reset(&rs);
		arena_reset(&arena);
	}
	fcgi_response_free(&rs);
	arena_free(&arena);
	fcgi_server_free(srv);
	return 0;
}
