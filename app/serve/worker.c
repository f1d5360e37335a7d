/* Worker accept loop: one arena and one response buffer, reset after every request; and the
 * worker's PostgreSQL connection for the management plane, opened when first needed. */
#include "worker.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../gate/gate.h"
#include "router.h"

#define ARENA_CHUNK (16 * 1024)
#define MAX_HEAD    (16 * 1024)
/* Room for the largest management answer (a page of 500 decisions is some 600 KiB),
 * whatever TOLLGATE_MAX_BODY says; a buffer only grows as far as an answer needs. */
#define MIN_RESPONSE (2 * 1024 * 1024)

/* A worker answers the gate too: it must not hang on a database that does not answer. */
#define DB_CONNECT_TIMEOUT   "2"
#define DB_STATEMENT_TIMEOUT "SET statement_timeout = '5s'"
#define DB_RETRY_MS	     1000

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum err db_open(struct app_db *d)
{
	char msg[512];
	int64_t now = now_ms();

	sql_free(d->conn);
	d->conn = NULL;
	if (now < d->retry_after_ms)
		return ERR_DB;
	/* libpq reads this when the connection string does not say; only this process. */
	setenv("PGCONNECT_TIMEOUT", DB_CONNECT_TIMEOUT, 0);
	if (sql_connect(d->url, &d->conn, msg, sizeof(msg)) != ERR_OK ||
	    sql_exec(d->conn, NULL, DB_STATEMENT_TIMEOUT, 0, NULL) != ERR_OK) {
		if (d->conn != NULL)
			snprintf(msg, sizeof(msg), "%s", sql_errmsg(d->conn));
		sql_free(d->conn);
		d->conn = NULL;
		d->retry_after_ms = now + DB_RETRY_MS;
		if (!d->down_logged)
			log_warnx("management API: cannot reach PostgreSQL: %s", msg);
		d->down_logged = true;
		return ERR_DB;
	}
	if (d->down_logged)
		log_info("management API: connected to PostgreSQL again");
	d->down_logged = false;
	return ERR_OK;
}

int worker_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop)
{
	struct app_db db = {.open = db_open, .url = app->cfg->database_url};
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
	fcgi_response_init(&rs, MAX_HEAD,
			   app->cfg->max_body * 4 > MIN_RESPONSE ? (size_t)app->cfg->max_body * 4
								 : MIN_RESPONSE);
	memset(&rq, 0, sizeof(rq));
	rq.arena = &arena;
	app->db = &db;
	while (!*stop) {
		if (fcgi_server_accept(srv, &rq) != ERR_OK)
			continue; /* a signal, or a connection that went away */
		router_dispatch(app, &rq, &rs, &arena, &admit);
		gate_settle(app, &admit, fcgi_server_respond(srv, &rs));
		fcgi_response_reset(&rs);
		arena_reset(&arena);
	}
	app->db = NULL;
	sql_free(db.conn);
	fcgi_response_free(&rs);
	arena_free(&arena);
	fcgi_server_free(srv);
	return 0;
}
