/* Address lists and model versions of one tenant. */
#include "api_abuse.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/jsonx.h"
#include "../../lib/sql.h"
#include "api.h"
#include "api_audit.h"

#define LIST_COLS "id, network::text, verdict, note, " API_RFC3339("created_at")
#define MODEL_COLS                                                                                 \
	"version, active, " API_RFC3339(                                                           \
	    "trained_at") ", labels_used, metrics::text, t_flag::text, "                           \
			  "t_throttle::text, t_block::text"

enum err api_lists_add(struct hctx *c, const char *network, const char *verdict, const char *note,
		       struct sql_res **row)
{
	char tenant[24];
	const char *params[4] = {tenant, network, verdict, note};
	enum err e;

	if (strcmp(verdict, "allow") != 0 && strcmp(verdict, "deny") != 0 &&
	    strcmp(verdict, "suspect") != 0) {
		c->parameter = "verdict";
		c->detail = "verdict must be allow, deny or suspect.";
		return ERR_INPUT;
	}
	if (strlen(note) > 200) {
		c->parameter = "note";
		c->detail = "note is at most 200 characters.";
		return ERR_INPUT;
	}
	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, NULL, "SAVEPOINT list_add", 0, NULL)) != ERR_OK)
		return e;
	e = api_sql(c, row,
		    "INSERT INTO ip_lists (tenant_id, network, verdict, note) "
		    "VALUES ($1, $2::cidr, $3, $4) ON CONFLICT (coalesce(tenant_id, 0), network) "
		    "DO UPDATE SET verdict = EXCLUDED.verdict, note = EXCLUDED.note "
		    "RETURNING " LIST_COLS,
		    4, params);
	if (e == ERR_INPUT) {
		/* Not a network: the statement failed, the request's transaction goes on. */
		if ((e = api_sql(c, NULL, "ROLLBACK TO SAVEPOINT list_add", 0, NULL)) != ERR_OK)
			return e;
		c->parameter = "network";
		c->detail = "network must be an address or a network: 203.0.113.7, 203.0.113.0/24, "
			    "2001:db8::/32.";
		return ERR_INPUT;
	}
	if (e != ERR_OK)
		return e;
	return api_audit(c, c->tenant_id, "list.add", sql_get(*row, 0, 1));
}

enum err api_lists_remove(struct hctx *c, int64_t id)
{
	return api_change_owned(c,
				"DELETE FROM ip_lists WHERE tenant_id = $1 AND id = $2 "
				"RETURNING network::text",
				id, "There is no such entry in this tenant's lists.", "list.remove",
				0, NULL);
}

/* The tenant's own address-list entries, for the API and the portal. */
#define LISTS_QUERY "SELECT " LIST_COLS " FROM ip_lists WHERE tenant_id = $1 ORDER BY network"

enum err api_lists_rows(struct hctx *c, struct sql_res **r)
{
	char tenant[24];
	const char *params[1] = {tenant};

	str_fmt_i64(tenant, c->tenant_id);
	return api_sql(c, r, LISTS_QUERY, 1, params);
}

enum err api_models_rows(struct hctx *c, struct sql_res **r)
{
	char tenant[24];
	const char *params[1] = {tenant};

	str_fmt_i64(tenant, c->tenant_id);
	return api_sql(c, r,
		       "SELECT " MODEL_COLS " FROM abuse_models WHERE tenant_id = $1 "
		       "ORDER BY version DESC LIMIT 50",
		       1, params);
}

enum err api_models_activate(struct hctx *c, int64_t version)
{
	char tenant[24], v[24];
	const char *params[2] = {tenant, v};
	struct sql_res *r;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(v, version);
	if ((e = api_sql(c, &r,
			 "SELECT 1 FROM abuse_models WHERE tenant_id = $1 AND version = $2::int", 2,
			 params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1) {
		c->detail = "This tenant has no model of that version.";
		return ERR_NOTFOUND;
	}
	/* One active model per tenant, checked row by row: the old one off first. */
	if ((e = api_sql(c, NULL,
			 "UPDATE abuse_models SET active = false WHERE tenant_id = $1 AND active "
			 "AND version <> $2::int",
			 2, params)) != ERR_OK ||
	    (e = api_sql(c, NULL,
			 "UPDATE abuse_models SET active = true WHERE tenant_id = $1 "
			 "AND version = $2::int",
			 2, params)) != ERR_OK)
		return e;
	return api_audit(c, c->tenant_id, "model.activate", v);
}

static void write_entry(struct jsonx_w *w, const struct sql_res *r, int i)
{
	jsonx_obj_open(w);
	jsonx_kint(w, "id", sql_get_i64(r, i, 0));
	jsonx_kstr(w, "network", sql_get(r, i, 1));
	jsonx_kstr(w, "verdict", sql_get(r, i, 2));
	jsonx_kstr(w, "note", sql_get(r, i, 3));
	jsonx_kstr(w, "created_at", sql_get(r, i, 4));
	jsonx_obj_close(w);
}

enum err api_lists_get(struct hctx *c)
{
	return api_list_rows(c, LISTS_QUERY, write_entry);
}

struct entry_req {
	const char *network, *verdict, *note;
};

static enum err add_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	struct entry_req *q = arg;
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	(void)secret;
	if ((e = api_lists_add(c, q->network, q->verdict, q->note, &r)) != ERR_OK) {
		if (e == ERR_INPUT)
			c->problem = PROB_INVALID_BODY;
		return e;
	}
	jsonx_w_init(&w, data);
	write_entry(&w, r, 0);
	return ERR_OK;
}

enum err api_lists_post(struct hctx *c)
{
	static const char *const members[] = {"network", "verdict", "note"};
	struct entry_req q = {NULL, NULL, ""};
	const char *bad[3];
	size_t nbad = 0;
	struct jsonx_doc *d;
	enum err e;

	if ((e = api_read_json(c, members, 3, &d)) != ERR_OK)
		return e;
	if (!jsonx_get_str(d, "network", &q.network))
		bad[nbad++] = "network must be a string (203.0.113.0/24)";
	if (!jsonx_get_str(d, "verdict", &q.verdict))
		bad[nbad++] = "verdict must be allow, deny or suspect";
	if (jsonx_has(d, "note") && !jsonx_get_str(d, "note", &q.note)) {
		q.note = "";
		bad[nbad++] = "note must be a string";
	}
	if (nbad > 0)
		return api_bad_fields(c, bad, nbad);
	return api_change(c, 201, add_work, &q);
}

enum err api_lists_remove_handler(struct hctx *c)
{
	return api_change_id(c, "id", "There is no such entry in this tenant's lists.",
			     api_lists_remove, "removed");
}

enum err api_models_get(struct hctx *c)
{
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i;

	if ((e = api_models_rows(c, &r)) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_arr_open(&w);
	for (i = 0; i < sql_rows(r); i++) {
		jsonx_obj_open(&w);
		jsonx_kint(&w, "version", sql_get_i64(r, i, 0));
		jsonx_kbool(&w, "active", strcmp(sql_get(r, i, 1), "t") == 0);
		jsonx_kstr(&w, "trained_at", sql_get(r, i, 2));
		jsonx_kint(&w, "labels_used", sql_get_i64(r, i, 3));
		jsonx_key(&w, "metrics");
		jsonx_raw(&w, sql_get(r, i, 4), strlen(sql_get(r, i, 4)));
		jsonx_key(&w, "thresholds");
		jsonx_obj_open(&w);
		api_json_knum(&w, "flag", sql_get(r, i, 5));
		api_json_knum(&w, "throttle", sql_get(r, i, 6));
		api_json_knum(&w, "block", sql_get(r, i, 7));
		jsonx_obj_close(&w);
		jsonx_obj_close(&w);
	}
	jsonx_arr_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

/* api_models_activate() takes the version as an int64_t, as api_change_id() gives it. */
enum err api_models_activate_handler(struct hctx *c)
{
	return api_change_id(c, "version", "This tenant has no model of that version.",
			     api_models_activate, "active");
}
