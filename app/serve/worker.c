/* Worker accept loop: accept, dispatch through the pool's routes, answer, settle, reset. */
#include "worker.h"

#include <signal.h>
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

	struct fcgi_server_opts io = pool->io;

	/* A stop signal interrupts the wait for a request (that is how a worker learns to
	 * stop), never a request: libfcgi takes an interrupted read or write for a broken
	 * connection, and a request cut off that way is lost (its parameters half read) or
	 * asked again of another worker (one request decided, and billed, twice). So the
	 * stop signals stay blocked except while fcgi_server_accept() waits. */
	sigemptyset(&io.wake_signals);
	sigaddset(&io.wake_signals, SIGTERM);
	sigaddset(&io.wake_signals, SIGINT);
	sigprocmask(SIG_BLOCK, &io.wake_signals, NULL);
	if (fcgi_server_new(listen_fd, &io, &srv) != ERR_OK) {
		log_errorx("cannot start the FastCGI accept loop");
		return 1;
	}
	arena_init(&arena, ARENA_CHUNK, pool->max_arena);
	fcgi_response_init(&rs, pool->max_head, pool->max_response);
	memset(&rq, 0, sizeof(rq));
	rq.arena = &arena;
	while (!*stop) {
		if (fcgi_server_accept(srv, &rq) != ERR_OK)
			continue; /* a signal, or a connection another worker took */
		router_dispatch(app, pool->routes, &rq, &rs, &arena, &admit);
		delivered = fcgi_server_respond(srv, &rq, &rs);
		if (pool->settle != NULL)
			pool->settle(app, &admit, delivered);
		fcgi_server_finish(srv);
		fcgi_response_reset(&rs);
		arena_reset(&arena);
	}
	fcgi_response_free(&rs);
	arena_free(&arena);
	fcgi_server_free(srv);
	return 0;
}
