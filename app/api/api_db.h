/* The console worker's PostgreSQL connection for the management plane: opened on first
 * use, reopened after it was lost, never retried more than once a second during an
 * outage. The gate's pool has none (it answers from shared memory). */
#ifndef APP_API_DB_H
#define APP_API_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/sql.h"
#include "../app.h"

struct app_db {
	struct sql *conn; /* NULL until first use, or after a failure */
	const char *url;
	int64_t retry_after_ms; /* CLOCK_MONOTONIC: no connection attempt before this */
	bool down_logged;
	bool in_tx; /* the request's transaction, with its tenant set, is open */
};

/* Prepares d for url (borrowed: it must outlive d); connects nothing yet. */
void api_db_init(struct app_db *d, const char *url);
void api_db_close(struct app_db *d);

/* The role the console's queries run as (migrations/0006): row-level security shows it a
 * tenant's rows only inside a transaction that set that tenant (api_db_tenant_begin). */
#define API_DB_ROLE "tollgate_console"

/* The connection of the worker serving c, opened (or reopened when the last query lost
 * it) now if need be. ERR_DB when PostgreSQL cannot be reached (logged once per outage),
 * or when this process has none: the router answers 503 unavailable. The connection
 * outlives the request: a handler leaves no transaction open on it. */
enum err api_db_open(struct hctx *c) WUR;
/* The connection as it stands (NULL when none): after api_db_open() succeeded. */
struct sql *api_db_conn(const struct hctx *c);

/* Opens the request's transaction and sets its tenant (c->tenant_id) for row-level
 * security: everything a ROUTE_TENANT handler does runs in it. */
enum err api_db_tenant_begin(struct hctx *c) WUR;
/* The admin role (migrations/0008): sees every tenant, with the rights the admin pages
 * need. A signed-in operator's request runs in a transaction that switched to it. */
#define API_DB_ADMIN_ROLE "tollgate_admin"
/* Opens the request's transaction as the admin role; ended as the tenant's is. */
enum err api_db_admin_begin(struct hctx *c) WUR;
/* Ends it: commits when e is ERR_OK (returning ERR_DB if the commit fails), else rolls
 * back and returns e. A no-op returning e when none is open. */
enum err api_db_tenant_end(struct hctx *c, enum err e) WUR;
/* Rolls the request's transaction back now (a replayed idempotent request). */
void api_db_rollback(struct hctx *c);

#endif
