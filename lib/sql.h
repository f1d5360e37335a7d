/* The one wrapper of libpq: connections, parameterised queries (text values only through
 * $n), scripts, transactions, and LISTEN/NOTIFY. */
#ifndef LIB_SQL_H
#define LIB_SQL_H

/* The gate's pool is built with TOLLGATE_HOT_PATH: it never waits on PostgreSQL. */
#ifdef TOLLGATE_HOT_PATH
#error "lib/sql.h is not for the hot path: the gate answers from shared memory"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct sql;
struct sql_res;

/* Connects with a libpq connection string. On failure *out is NULL and msg says why. */
enum err sql_connect(const char *conninfo, struct sql **out, char *msg, size_t msglen) WUR;
void sql_free(struct sql *db);
/* True while the connection is usable. */
bool sql_is_ok(const struct sql *db);
/* The last error message of the connection (one line), for logs. */
const char *sql_errmsg(const struct sql *db);
/* SQLSTATE of the last failed query ("23505"...), or "" . */
const char *sql_state(const struct sql *db);
/* The constraint the last failed statement broke ("tenants_plan_id_fkey"), or "". */
const char *sql_constraint(const struct sql *db);

/* Runs query with n text parameters (NULL = SQL NULL). Results are returned through *out
 * (free with sql_res_free) or discarded when out is NULL. A unique or exclusion violation
 * is ERR_CONFLICT, a check or foreign-key violation ERR_INPUT, anything else ERR_DB. */
enum err sql_exec(struct sql *db, struct sql_res **out, const char *query, int n,
		  const char *const *params) WUR;
/* Runs several statements without parameters (a migration file). */
enum err sql_script(struct sql *db, const char *script) WUR;

int sql_rows(const struct sql_res *r);
/* Value as text ("" for NULL); valid until sql_res_free. */
const char *sql_get(const struct sql_res *r, int row, int col);
bool sql_is_null(const struct sql_res *r, int row, int col);
int64_t sql_get_i64(const struct sql_res *r, int row, int col);
/* A real[] or float8[] column ("{0.5,-1.25}") decoded into exactly n floats; false when it
 * is NULL, malformed or of another length. */
bool sql_get_floats(const struct sql_res *r, int row, int col, float *out, int n);
/* A bytea column (hex output format) decoded into exactly n bytes; false otherwise. */
bool sql_get_bytes(const struct sql_res *r, int row, int col, void *out, size_t n);
void sql_res_free(struct sql_res *r);

/* Transactions: begin, then commit or rollback; rollback is safe after a failed query. */
enum err sql_begin(struct sql *db) WUR;
enum err sql_commit(struct sql *db) WUR;
void sql_rollback(struct sql *db);

/* LISTEN on a channel (an identifier we choose, never user input). */
enum err sql_listen(struct sql *db, const char *channel) WUR;
/* The socket to poll for notifications. */
int sql_socket(const struct sql *db);
/* Reads what the server sent; ERR_DB when the connection is lost. */
enum err sql_consume(struct sql *db) WUR;
/* Next pending notification: copies channel and payload (truncated to their sizes).
 * Returns false when there is none. */
bool sql_notification(struct sql *db, char *channel, size_t chlen, char *payload, size_t plen);

/* Formats a byte string as a bytea text literal ("\x0a1b...") for a $n parameter. */
void sql_bytea_param(const void *p, size_t n, char *out, size_t outlen);

#endif
