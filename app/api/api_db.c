/* The management plane's connection to PostgreSQL, one per console worker. */
#include "api_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../lib/log.h"

/* A console worker must not hang on a database that does not answer. */
#define DB_CONNECT_TIMEOUT   "2"
#define DB_STATEMENT_TIMEOUT "SET statement_timeout = '5s'"
#define DB_ROLE		     "SET ROLE " API_DB_ROLE
#define DB_RETRY_MS	     1000

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void api_db_init(struct app_db *d, const char *url)
{
	d->conn = NULL;
	d->url = url;
	d->retry_after_ms = 0;
	d->down_logged = false;
	d->in_tx = false;
}

void api_db_close(struct app_db *d)
{
	sql_free(d->conn);
	d->conn = NULL;
}

static enum err reconnect(struct app_db *d)
{
	char msg[512];
	int64_t now = mono_ms();

	sql_free(d->conn);
	d->conn = NULL;
	if (now < d->retry_after_ms)
		return ERR_DB;
	/* libpq reads this when the connection string does not say; only this process. */
	setenv("PGCONNECT_TIMEOUT", DB_CONNECT_TIMEOUT, 0);
	d->in_tx = false;
	if (sql_connect(d->url, &d->conn, msg, sizeof(msg)) != ERR_OK ||
	    sql_exec(d->conn, NULL, DB_STATEMENT_TIMEOUT, 0, NULL) != ERR_OK ||
	    sql_exec(d->conn, NULL, DB_ROLE, 0, NULL) != ERR_OK) {
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

enum err api_db_open(struct hctx *c)
{
	struct app_db *d = c->app->db;

	if (d == NULL)
		return ERR_DB;
	if (sql_is_ok(d->conn))
		return ERR_OK;
	return reconnect(d);
}

struct sql *api_db_conn(const struct hctx *c)
{
	return c->app->db != NULL ? c->app->db->conn : NULL;
}

enum err api_db_tenant_begin(struct hctx *c)
{
	struct app_db *d = c->app->db;
	char tenant[24];
	const char *params[] = {tenant};

	if (d == NULL || !sql_is_ok(d->conn))
		return ERR_DB;
	snprintf(tenant, sizeof(tenant), "%lld", (long long)c->tenant_id);
	if (sql_exec(d->conn, NULL, "BEGIN", 0, NULL) != ERR_OK)
		return ERR_DB;
	d->in_tx = true;
	if (sql_exec(d->conn, NULL, "SELECT set_config('tollgate.tenant_id', $1, true)", 1,
		     params) != ERR_OK) {
		api_db_rollback(c);
		return ERR_DB;
	}
	return ERR_OK;
}

enum err api_db_admin_begin(struct hctx *c)
{
	struct app_db *d = c->app->db;

	if (d == NULL || !sql_is_ok(d->conn))
		return ERR_DB;
	if (sql_exec(d->conn, NULL, "BEGIN", 0, NULL) != ERR_OK)
		return ERR_DB;
	d->in_tx = true;
	if (sql_exec(d->conn, NULL, "SET LOCAL ROLE " API_DB_ADMIN_ROLE, 0, NULL) != ERR_OK) {
		api_db_rollback(c);
		return ERR_DB;
	}
	return ERR_OK;
}

enum err api_db_tenant_end(struct hctx *c, enum err e)
{
	struct app_db *d = c->app->db;

	if (d == NULL || !d->in_tx)
		return e;
	if (d->conn == NULL) { /* lost mid-request: nothing to end, and nothing committed */
		d->in_tx = false;
		return e != ERR_OK ? e : ERR_DB;
	}
	if (e != ERR_OK) {
		api_db_rollback(c);
		return e;
	}
	d->in_tx = false;
	if (sql_exec(d->conn, NULL, "COMMIT", 0, NULL) != ERR_OK) {
		log_warnx("management API: commit failed: %s", sql_errmsg(d->conn));
		return ERR_DB;
	}
	return ERR_OK;
}

void api_db_rollback(struct hctx *c)
{
	struct app_db *d = c->app->db;

	if (d == NULL || !d->in_tx)
		return;
	d->in_tx = false;
	if (d->conn != NULL)
		sql_rollback(d->conn);
}
