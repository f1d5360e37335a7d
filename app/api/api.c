/* Query strings, JSON bodies and numbers, arena-owned query results, problems and
 * Idempotency-Key for the management-plane handlers. */
#include "api.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/form.h"
#include "../../lib/log.h"
#include "api_audit.h"
#include "api_db.h"

#define IDEM_KEY_MAX 255

/* A sentence for a problem's detail, in the arena; fallback when the arena is full. */
static const char *afmt(struct arena *a, const char *fallback, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *afmt(struct arena *a, const char *fallback, const char *fmt, ...)
{
	char tmp[512], *out;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return fallback;
	out = arena_strndup(a, tmp, strlen(tmp));
	return out != NULL ? out : fallback;
}

enum err api_query_parse(struct arena *a, const char *query, struct api_qparam *qp, size_t n,
			 const char **bad, const char **why)
{
	struct str q = str_c(query), pair, name;
	unsigned long long seen = 0;
	size_t i;

	assert(n <= 64);
	*bad = NULL;
	*why = NULL;
	for (i = 0; i < n; i++)
		qp[i].value = NULL;
	while (q.len > 0) {
		const char *dn, *dv;

		str_cut(&q, '&', &pair);
		if (pair.len == 0)
			continue;
		str_cut(&pair, '=', &name);
		dn = form_decode(a, name, false, why);
		if (dn == NULL) {
			*bad = arena_strndup(a, name.p, name.len);
			if (*why == NULL || *bad == NULL)
				return ERR_TOOBIG;
			*why = afmt(a, "A query parameter name is malformed.",
				    "The query parameter name '%.64s' %s.", *bad, *why);
			return ERR_INPUT;
		}
		for (i = 0; i < n; i++)
			if (strcmp(qp[i].name, dn) == 0)
				break;
		*bad = dn;
		if (i == n) {
			*why = afmt(a, "Unknown query parameter.",
				    "'%.64s' is not a query parameter of this resource.", dn);
			return ERR_INPUT;
		}
		if (seen & (1ULL << i)) {
			*why = afmt(a, "A query parameter is given twice.",
				    "The query parameter '%s' is given more than once.", dn);
			return ERR_INPUT;
		}
		seen |= 1ULL << i;
		dv = form_decode(a, pair, false, why);
		if (dv == NULL) {
			if (*why == NULL)
				return ERR_TOOBIG;
			*why = afmt(a, "A query parameter is malformed.",
				    "The value of the query parameter '%s' %s.", dn, *why);
			return ERR_INPUT;
		}
		*bad = NULL;
		qp[i].value = dv[0] != '\0' ? dv : NULL;
	}
	return ERR_OK;
}

enum err api_bad_param(struct hctx *c, const char *param, const char *detail)
{
	c->problem = PROB_INVALID_PARAMETER;
	c->parameter = param;
	c->detail = detail;
	return ERR_INPUT;
}

bool api_email_ok(const char *e)
{
	const char *at = strchr(e, '@'), *p;
	size_t n = strlen(e);

	if (n < 3 || n > 254 || at == NULL || at == e || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strpbrk(e, " \t\r\n<>\"'") != NULL)
		return false;
	for (p = e; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

enum err api_bad_fields(struct hctx *c, const char *const *why, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 2048);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "; " : "", why[i]);
	buf_putc(&b, '.');
	c->detail = b.overflow ? "Several members of the body are invalid."
			       : arena_strndup(c->arena, b.p, b.len);
	buf_free(&b);
	c->problem = PROB_INVALID_BODY;
	return ERR_INPUT;
}

enum err api_bad_body(struct hctx *c, const char *detail)
{
	c->problem = PROB_INVALID_BODY;
	c->detail = detail;
	return ERR_INPUT;
}

static void doc_free(void *p)
{
	jsonx_doc_free(p);
}

/* "application/json", any case, alone or with parameters (charset=utf-8). */
static bool is_json_type(const char *ct)
{
	struct str s = str_trim(str_c(ct));
	size_t n = sizeof("application/json") - 1;

	return str_case_has_prefix(s, "application/json") &&
	       (s.len == n || s.p[n] == ';' || s.p[n] == ' ' || s.p[n] == '\t');
}

enum err api_read_json(struct hctx *c, const char *const *allowed, size_t n, struct jsonx_doc **out)
{
	struct jsonx_doc *d;
	char msg[256], unknown[64];
	enum err e;

	*out = NULL;
	if (!is_json_type(fcgi_param(c->rq, "CONTENT_TYPE")))
		return api_bad_body(c, "Send the body as Content-Type: application/json.");
	e = fcgi_read_body(c->rq, (size_t)c->app->cfg->max_body);
	if (e == ERR_TOOBIG) {
		c->detail = "The request body is over TOLLGATE_MAX_BODY.";
		return ERR_TOOBIG;
	}
	if (e == ERR_TIMEOUT) {
		c->detail = "The request body did not arrive in time.";
		return ERR_TIMEOUT;
	}
	if (e != ERR_OK)
		return api_bad_body(c, "The request body is shorter than its Content-Length.");
	if (c->rq->body.len == 0)
		return api_bad_body(c, "A JSON object is required as the request body.");
	if (jsonx_parse(c->rq->body.p, c->rq->body.len, &d, msg, sizeof(msg)) != ERR_OK)
		return api_bad_body(c, afmt(c->arena, "The body is not a JSON object.",
					    "The body is not a JSON object: %s.", msg));
	if (arena_defer(c->arena, doc_free, d) != 0)
		return ERR_TOOBIG;
	if (api_json_unknown_member(c->rq->body, allowed, n, unknown, sizeof(unknown))) {
		c->parameter = arena_strndup(c->arena, unknown, strlen(unknown));
		return api_bad_body(
		    c, afmt(c->arena, "The body has an unknown member.",
			    "The body has a member '%s' this resource does not know.", unknown));
	}
	*out = d;
	return ERR_OK;
}

bool api_json_unknown_member(struct str json, const char *const *allowed, size_t n, char *unknown,
			     size_t len)
{
	const char *p = json.p;
	size_t i, j, k, start;
	int depth = 0;

	for (i = 0; i < json.len; i++) {
		if (p[i] == '{' || p[i] == '[') {
			depth++;
			continue;
		}
		if (p[i] == '}' || p[i] == ']') {
			depth--;
			continue;
		}
		if (p[i] != '"')
			continue;
		for (start = ++i; i < json.len && p[i] != '"'; i++)
			if (p[i] == '\\')
				i++;
		if (depth != 1 || i >= json.len)
			continue;
		for (j = i + 1; j < json.len && strchr(" \t\r\n", p[j]) != NULL && p[j] != '\0';
		     j++)
			;
		if (j >= json.len || p[j] != ':')
			continue; /* a value, not a member name */
		for (k = 0; k < n; k++)
			if (strlen(allowed[k]) == i - start &&
			    memcmp(allowed[k], p + start, i - start) == 0)
				break;
		if (k == n) {
			snprintf(unknown, len, "%.*s", (int)(i - start), p + start);
			return true;
		}
	}
	return false;
}

void api_json_knum(struct jsonx_w *w, const char *key, const char *text)
{
	jsonx_key(w, key);
	jsonx_number_text(w, text);
}

static void res_free(void *p)
{
	sql_res_free(p);
}

/* SQLSTATE classes that say "not now" rather than "this statement is wrong": connection,
 * resources, operator intervention (statement_timeout, shutdown), transaction rollback. */
static bool is_transient(const char *state)
{
	return strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
	       strncmp(state, "57", 2) == 0 || strncmp(state, "40", 2) == 0;
}

/* What a failed sql_exec means for the request; see api_sql. */
static enum err failed(struct hctx *c, enum err e)
{
	struct sql *db = api_db_conn(c);

	if (e != ERR_DB)
		return e;
	if (sql_is_ok(db) && !is_transient(sql_state(db))) {
		log_warnx("management API: statement failed: %s", sql_errmsg(db));
		c->detail = "The request could not be completed.";
		return ERR_SYS;
	}
	log_warnx("management API: PostgreSQL unavailable: %s",
		  db != NULL ? sql_errmsg(db) : "no connection");
	return api_unavailable(c);
}

/* Hands r to the arena. */
static enum err keep(struct hctx *c, struct sql_res *r, struct sql_res **out)
{
	if (r != NULL && arena_defer(c->arena, res_free, r) != 0)
		return ERR_TOOBIG; /* r was freed */
	if (out != NULL)
		*out = r;
	return ERR_OK;
}

enum err api_list_rows(struct hctx *c, const char *query,
		       void (*row)(struct jsonx_w *w, const struct sql_res *r, int i))
{
	char tenant[24];
	const char *params[1] = {tenant};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r, query, 1, params)) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_arr_open(&w);
	for (i = 0; i < sql_rows(r); i++)
		row(&w, r, i);
	jsonx_arr_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

enum err api_unavailable(struct hctx *c)
{
	c->detail = "The database is unavailable; try again shortly.";
	fcgi_header(c->rs, "Retry-After", "1");
	return ERR_DB;
}

enum err api_sql(struct hctx *c, struct sql_res **out, const char *query, int n,
		 const char *const *params)
{
	struct sql_res *r = NULL;
	enum err e;

	if (out != NULL)
		*out = NULL;
	e = sql_exec(api_db_conn(c), out != NULL ? &r : NULL, query, n, params);
	return e != ERR_OK ? failed(c, e) : keep(c, r, out);
}

enum err api_sql_retry(struct hctx *c, struct sql_res **out, const char *query, int n,
		       const char *const *params)
{
	struct sql_res *r = NULL;
	enum err e;

	if (out != NULL)
		*out = NULL;
	e = sql_exec(api_db_conn(c), out != NULL ? &r : NULL, query, n, params);
	if (e == ERR_DB && !sql_is_ok(api_db_conn(c))) {
		log_info("management API: connection to PostgreSQL lost (%s); reconnecting",
			 sql_errmsg(api_db_conn(c)));
		if (api_db_open(c) != ERR_OK)
			return api_unavailable(c);
		e = sql_exec(api_db_conn(c), out != NULL ? &r : NULL, query, n, params);
	}
	return e != ERR_OK ? failed(c, e) : keep(c, r, out);
}

enum err api_begin(struct hctx *c)
{
	/* A tenant's request already runs in its own transaction (api_db_tenant_begin). */
	if (c->app->db != NULL && c->app->db->in_tx)
		return ERR_OK;
	return api_sql(c, NULL, "BEGIN", 0, NULL);
}

enum err api_commit(struct hctx *c)
{
	/* ...which the router commits once the handler has succeeded. */
	if (c->app->db != NULL && c->app->db->in_tx)
		return ERR_OK;
	return api_sql(c, NULL, "COMMIT", 0, NULL);
}

enum err api_idem_init(struct hctx *c, struct api_idem *im)
{
	const char *key = fcgi_param(c->rq, "HTTP_IDEMPOTENCY_KEY");
	const char *method = fcgi_param(c->rq, "REQUEST_METHOD");
	const char *path = fcgi_param(c->rq, "PATH_INFO");
	char body[65], *all;
	size_t i, n;

	memset(im, 0, sizeof(*im));
	if (key == NULL)
		return ERR_OK;
	n = strlen(key);
	for (i = 0; i < n; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			break;
	if (n == 0 || n > IDEM_KEY_MAX || i < n) {
		c->parameter = "Idempotency-Key";
		c->problem = PROB_INVALID_PARAMETER;
		c->detail = "Idempotency-Key must be 1 to 255 visible ASCII characters.";
		return ERR_INPUT;
	}
	cryptox_sha256_hex(c->rq->body.p != NULL ? c->rq->body.p : "", c->rq->body.len, body);
	method = method != NULL ? method : "";
	path = path != NULL ? path : "";
	n = strlen(method) + strlen(path) + sizeof(body) + 3;
	all = arena_alloc(c->arena, n);
	if (all == NULL)
		return ERR_TOOBIG;
	snprintf(all, n, "%s\n%s\n%s", method, path, body);
	cryptox_sha256_hex(all, strlen(all), im->request_hash);
	im->key = key;
	return ERR_OK;
}

enum err api_idem_claim(struct hctx *c, struct api_idem *im, bool *replayed)
{
	char tenant[24];
	const char *params[3] = {tenant, im->key, im->request_hash};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	*replayed = false;
	if (im->key == NULL)
		return ERR_OK;
	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(c, NULL,
		    "DELETE FROM api_idempotency "
		    "WHERE tenant_id = $1 AND created_at < now() - interval '24 hours'",
		    1, params);
	if (e == ERR_OK)
		e = api_sql(c, &r,
			    "INSERT INTO api_idempotency (tenant_id, key, request_hash) "
			    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
			    3, params);
	if (e != ERR_OK || sql_rows(r) == 1)
		return e;
	/* Used before: it committed (the insert waited for it), so its response is there. */
	e = api_sql(c, &r,
		    "SELECT request_hash, status, response FROM api_idempotency "
		    "WHERE tenant_id = $1 AND key = $2",
		    2, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1 || strcmp(sql_get(r, 0, 0), im->request_hash) != 0 ||
	    sql_is_null(r, 0, 2)) {
		c->problem = PROB_IDEMPOTENCY_KEY_REUSED;
		c->parameter = "Idempotency-Key";
		c->detail = "This Idempotency-Key was used with a different request; use a new "
			    "key for a new request.";
		return ERR_CONFLICT;
	}
	c->rs->status = (int)sql_get_i64(r, 0, 1);
	fcgi_header(c->rs, "Idempotent-Replayed", "true");
	hctx_json_begin(c, &w);
	jsonx_raw(&w, sql_get(r, 0, 2), strlen(sql_get(r, 0, 2)));
	hctx_json_end(c, &w);
	*replayed = true;
	return ERR_OK;
}

enum err api_idem_store(struct hctx *c, const struct api_idem *im, int status, const char *data)
{
	char tenant[24], st[8];
	const char *params[4] = {tenant, im->key, data, st};

	if (im->key == NULL)
		return ERR_OK;
	str_fmt_i64(tenant, c->tenant_id);
	snprintf(st, sizeof(st), "%d", status);
	return api_sql(c, NULL,
		       "UPDATE api_idempotency SET status = $4::int, response = $3 "
		       "WHERE tenant_id = $1 AND key = $2",
		       4, params);
}

enum err api_change(struct hctx *c, int status, api_work_fn work, void *arg)
{
	struct buf data, secret;
	struct api_idem im;
	struct jsonx_w w;
	bool replayed;
	enum err e;

	if ((e = api_idem_init(c, &im)) != ERR_OK || (e = api_begin(c)) != ERR_OK)
		return e;
	if ((e = api_idem_claim(c, &im, &replayed)) != ERR_OK || replayed) {
		api_db_rollback(c);
		return e;
	}
	buf_init(&data, 4 << 20);
	buf_init(&secret, 4096);
	e = work(c, arg, &data, &secret);
	if (e == ERR_OK && (data.overflow || secret.overflow || data.len < 2))
		e = ERR_SYS;
	if (e == ERR_OK)
		e = api_idem_store(c, &im, status, data.p);
	if (e == ERR_OK)
		e = api_commit(c);
	if (e != ERR_OK) {
		api_db_rollback(c);
	} else {
		c->rs->status = status;
		hctx_json_begin(c, &w);
		/* The stored answer, with the secret (if any) added as its last members: a
		 * replay gets the answer without it, the secret being shown only once. */
		if (secret.len > 0) {
			jsonx_raw(&w, data.p, data.len - 1); /* without its '}' */
			buf_putc(&c->rs->body, ',');
			buf_append(&c->rs->body, secret.p, secret.len);
			buf_putc(&c->rs->body, '}');
		} else
			jsonx_raw(&w, data.p, data.len);
		hctx_json_end(c, &w);
	}
	if (secret.p != NULL)
		cryptox_wipe(secret.p, secret.cap);
	buf_free(&data);
	buf_free(&secret);
	return e;
}

/* What api_change_id() hands its work. */
struct change_id {
	int64_t id;
	enum err (*op)(struct hctx *, int64_t);
	const char *id_name, *done;
};

static enum err change_id_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const struct change_id *q = arg;
	enum err e;

	(void)secret;
	if ((e = q->op(c, q->id)) != ERR_OK)
		return e;
	buf_printf(data, "{\"%s\":%lld,\"%s\":true}", q->id_name, (long long)q->id, q->done);
	return ERR_OK;
}

enum err api_change_id(struct hctx *c, const char *param, const char *missing,
		       enum err (*op)(struct hctx *, int64_t), const char *done)
{
	struct change_id q = {0, op, param, done};

	if (str_to_i64(hctx_param(c, param), 1, INT64_MAX, &q.id) != ERR_OK) {
		c->detail = missing;
		return ERR_NOTFOUND;
	}
	return api_change(c, 200, change_id_work, &q);
}

enum err api_change_owned(struct hctx *c, const char *sql, int64_t id, const char *missing,
			  const char *action, int target_col, struct sql_res **row)
{
	char tenant[24], ids[24];
	const char *params[2] = {tenant, ids};
	struct sql_res *r;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(ids, id);
	if ((e = api_sql(c, &r, sql, 2, params)) != ERR_OK)
		return e;
	if (row != NULL)
		*row = r;
	if (sql_rows(r) != 1) {
		c->detail = missing;
		return ERR_NOTFOUND;
	}
	return api_audit(c, c->tenant_id, action, sql_get(r, 0, target_col));
}
