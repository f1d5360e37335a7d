/* The problem catalogue, the JSON success envelope, path parameters and the management
 * plane's database connection. */
#include "app.h"

#include <string.h>

#include "../lib/jsonx.h"
#include "../lib/sql.h"

static const struct {
	const char *slug;
	const char *title;
} problems[PROB__MAX] = {
    [PROB_NONE] = {"about:blank", "Error"},
    [PROB_MISSING_API_KEY] = {"missing-api-key", "API key required"},
    [PROB_INVALID_API_KEY] = {"invalid-api-key", "Invalid API key"},
    [PROB_TENANT_SUSPENDED] = {"tenant-suspended", "Account suspended"},
    [PROB_NO_UPSTREAM] = {"no-upstream", "No upstream configured"},
    [PROB_NOT_READY] = {"not-ready", "Not ready"},
    [PROB_NOT_FOUND] = {"not-found", "Not found"},
    [PROB_METHOD_NOT_ALLOWED] = {"method-not-allowed", "Method not allowed"},
    [PROB_BAD_REQUEST] = {"bad-request", "Bad request"},
    [PROB_TOO_LARGE] = {"payload-too-large", "Payload too large"},
    [PROB_CONFLICT] = {"conflict", "Conflict"},
    [PROB_FORBIDDEN] = {"forbidden", "Forbidden"},
    [PROB_RATE_LIMITED] = {"rate-limited", "Too many requests"},
    [PROB_QUOTA_EXCEEDED] = {"quota-exceeded", "Monthly quota exceeded"},
    [PROB_ABUSE] = {"abnormal-usage-detected", "Abnormal usage detected"},
    [PROB_UNAVAILABLE] = {"unavailable", "Service unavailable"},
    [PROB_INTERNAL] = {"internal-error", "Internal error"},
    [PROB_MISSING_TOKEN] = {"missing-token", "Management token required"},
    [PROB_INVALID_TOKEN] = {"invalid-token", "Invalid management token"},
    [PROB_INVALID_PARAMETER] = {"invalid-parameter", "Invalid parameter"},
    [PROB_INVALID_BODY] = {"invalid-body", "Invalid request body"},
    [PROB_IDEMPOTENCY_KEY_REUSED] = {"idempotency-key-reused",
				     "Idempotency key reused with another request"},
};

const char *problem_slug(enum problem_kind k)
{
	return problems[k < PROB__MAX ? k : PROB_NONE].slug;
}

const char *problem_title(enum problem_kind k)
{
	return problems[k < PROB__MAX ? k : PROB_NONE].title;
}

void hctx_json_begin(struct hctx *c, struct jsonx_w *w)
{
	fcgi_header(c->rs, "Content-Type", "application/json");
	jsonx_w_init(w, &c->rs->body);
	jsonx_obj_open(w);
	jsonx_key(w, "data");
}

void hctx_json_end(struct hctx *c, struct jsonx_w *w)
{
	jsonx_key(w, "meta");
	jsonx_obj_open(w);
	jsonx_kstr(w, "request_id", c->request_id);
	jsonx_obj_close(w);
	jsonx_obj_close(w);
}

struct str hctx_param(const struct hctx *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nparams; i++)
		if (str_eq_c(c->params[i].name, name))
			return c->params[i].value;
	return (struct str){"", 0};
}

enum err hctx_db(struct hctx *c)
{
	struct app_db *d = c->app->db;

	if (c->db != NULL && sql_is_ok(c->db))
		return ERR_OK;
	c->db = NULL;
	if (d == NULL)
		return ERR_DB;
	if (!sql_is_ok(d->conn) && d->open(d) != ERR_OK)
		return ERR_DB;
	c->db = d->conn;
	return ERR_OK;
}
