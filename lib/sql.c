/* libpq wrapper. */
#include "sql.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

struct sql {
	PGconn *conn;
	char state[6];
	char constraint[64]; /* of the last failed statement, when PostgreSQL names one */
	char msg[512];
};

struct sql_res {
	PGresult *res;
};

/* Keeps the first line of libpq's message, which is all a log line needs. */
static void set_msg(struct sql *db, const char *m)
{
	size_t n = 0;

	while (m[n] != '\0' && m[n] != '\n' && n + 1 < sizeof(db->msg)) {
		db->msg[n] = m[n];
		n++;
	}
	db->msg[n] = '\0';
}

/* libpq prints notices to stderr by default; route them through our quiet handler. */
static void on_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

enum err sql_connect(const char *conninfo, struct sql **out, char *msg, size_t msglen)
{
	struct sql *db;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		abort();
	db->conn = PQconnectdb(conninfo);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		set_msg(db, db->conn ? PQerrorMessage(db->conn) : "out of memory");
		snprintf(msg, msglen, "%s", db->msg);
		PQfinish(db->conn);
		free(db);
		return ERR_DB;
	}
	PQsetNoticeProcessor(db->conn, on_notice, NULL);
	*out = db;
	return ERR_OK;
}

void sql_free(struct sql *db)
{
	if (db == NULL)
		return;
	PQfinish(db->conn);
	free(db);
}

bool sql_is_ok(const struct sql *db)
{
	return db != NULL && PQstatus(db->conn) == CONNECTION_OK;
}

const char *sql_errmsg(const struct sql *db)
{
	return db->msg;
}

const char *sql_constraint(const struct sql *db)
{
	return db->constraint;
}

const char *sql_state(const struct sql *db)
{
	return db->state;
}

/* Classifies a failed result by SQLSTATE class. */
static enum err classify(struct sql *db, PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	snprintf(db->state, sizeof(db->state), "%s", st ? st : "");
	snprintf(db->constraint, sizeof(db->constraint), "%s",
		 res && PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME)
		     ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME)
		     : "");
	set_msg(db, res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	if (st == NULL)
		return ERR_DB;
	if (strcmp(st, "23505") == 0 || strcmp(st, "23P01") == 0)
		return ERR_CONFLICT;
	if (strncmp(st, "23", 2) == 0 || strncmp(st, "22", 2) == 0)
		return ERR_INPUT;
	return ERR_DB;
}

enum err sql_exec(struct sql *db, struct sql_res **out, const char *query, int n,
		  const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	if (out != NULL)
		*out = NULL;
	db->state[0] = '\0';
	db->constraint[0] = '\0';
	res = PQexecParams(db->conn, query, n, NULL, params, NULL, NULL, 0);
	st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		enum err e = classify(db, res);

		PQclear(res);
		return e;
	}
	if (out == NULL) {
		PQclear(res);
		return ERR_OK;
	}
	*out = malloc(sizeof(**out));
	if (*out == NULL)
		abort();
	(*out)->res = res;
	return ERR_OK;
}

enum err sql_script(struct sql *db, const char *script)
{
	PGresult *res = PQexec(db->conn, script);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	enum err e = ERR_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		e = classify(db, res);
	PQclear(res);
	return e;
}

int sql_rows(const struct sql_res *r)
{
	return PQntuples(r->res);
}

const char *sql_get(const struct sql_res *r, int row, int col)
{
	return PQgetvalue(r->res, row, col);
}

bool sql_is_null(const struct sql_res *r, int row, int col)
{
	return PQgetisnull(r->res, row, col) != 0;
}

int64_t sql_get_i64(const struct sql_res *r, int row, int col)
{
	return strtoll(PQgetvalue(r->res, row, col), NULL, 10);
}

bool sql_get_floats(const struct sql_res *r, int row, int col, float *out, int n)
{
	const char *s = PQgetvalue(r->res, row, col);
	char *end;
	int i;

	if (PQgetisnull(r->res, row, col) || *s++ != '{')
		return false;
	for (i = 0; i < n; i++) {
		out[i] = strtof(s, &end);
		if (end == s || (*end != ',' && *end != '}') || (*end == '}' && i != n - 1))
			return false;
		s = end + 1;
	}
	return s[-1] == '}' && *s == '\0';
}

bool sql_get_bytes(const struct sql_res *r, int row, int col, void *out, size_t n)
{
	const char *v = PQgetvalue(r->res, row, col);
	size_t len = (size_t)PQgetlength(r->res, row, col);

	if (len < 2 || v[0] != '\\' || v[1] != 'x')
		return false;
	return codec_unhex(v + 2, len - 2, out, n);
}

void sql_res_free(struct sql_res *r)
{
	if (r == NULL)
		return;
	PQclear(r->res);
	free(r);
}

enum err sql_begin(struct sql *db)
{
	return sql_exec(db, NULL, "BEGIN", 0, NULL);
}

enum err sql_commit(struct sql *db)
{
	return sql_exec(db, NULL, "COMMIT", 0, NULL);
}

void sql_rollback(struct sql *db)
{
	PQclear(PQexec(db->conn, "ROLLBACK"));
}

enum err sql_listen(struct sql *db, const char *channel)
{
	char q[128];

	snprintf(q, sizeof(q), "LISTEN %s", channel);
	return sql_script(db, q);
}

int sql_socket(const struct sql *db)
{
	return PQsocket(db->conn);
}

enum err sql_consume(struct sql *db)
{
	if (PQconsumeInput(db->conn) == 0 || PQstatus(db->conn) != CONNECTION_OK) {
		set_msg(db, PQerrorMessage(db->conn));
		return ERR_DB;
	}
	return ERR_OK;
}

bool sql_notification(struct sql *db, char *channel, size_t chlen, char *payload, size_t plen)
{
	PGnotify *n = PQnotifies(db->conn);

	if (n == NULL)
		return false;
	snprintf(channel, chlen, "%s", n->relname);
	snprintf(payload, plen, "%s", n->extra);
	PQfreemem(n);
	return true;
}

void sql_bytea_param(const void *p, size_t n, char *out, size_t outlen)
{
	if (outlen < 2 * n + 3) {
		out[0] = '\0';
		return;
	}
	out[0] = '\\';
	out[1] = 'x';
	codec_hex(p, n, out + 2);
}
