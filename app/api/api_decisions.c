/* Decisions: the list with its filters and cursor, one decision, and labelling. */
#include "api_decisions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/codec.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../abuse/engine.h"
#include "../abuse/score.h"
#include "api.h"
#include "api_audit.h"
#include "api_db.h"

#define CURSOR_VERSION 1

/* Every statement that returns decisions returns these columns, in this order. */
enum dcol {
	D_ID,
	D_AT,
	D_KEY,
	D_IP,
	D_NETWORK,
	D_OUTCOME,
	D_ENFORCED,
	D_REASON,
	D_SCORE,
	D_VERSION,
	D_METHOD,
	D_ROUTE,
	D_PAYLOAD,
	D_UA,
	D_HEADERS,
	D_FEATURES,
	D_LABEL,
	D_LABELED_AT,
	D_AT_US, /* the cursor's half: microseconds since the epoch */
	D_EXPLANATION,
	D__MAX
};

#define RFC3339_US(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define DECISION_COLS                                                                              \
	"d.id, " RFC3339_US(                                                                       \
	    "d.at") ", d.key_id, host(d.ip), d.network::text, d.outcome, "                         \
		    "d.enforced, d.reason, d.score, d.model_version, d.method, d.route, "          \
		    "d.payload_bytes, "                                                            \
		    "d.ua_family, d.header_names, d.features, d.label, " RFC3339_US(               \
			"d.labeled_at") ", "                                                       \
					"extract(epoch FROM date_trunc('second', d.at AT TIME "    \
					"ZONE 'UTC'))::bigint * 1000000 "                          \
					"+ extract(microseconds FROM d.at AT TIME ZONE "           \
					"'UTC')::bigint % 1000000, d.explanation::text"

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool is_outcome(const char *s)
{
	int o;

	for (o = 0; o < OUTCOME__MAX; o++)
		if (strcmp(s, abuse_outcome_name((enum abuse_outcome)o)) == 0)
			return true;
	return false;
}

/* The reasons a decision records: the rules' names and the other REASON_* ones. */
static bool is_reason(const char *s)
{
	static const int others[] = {REASON_MODEL, REASON_DENY_LIST, REASON_JUDGE};
	size_t i;
	int r;

	for (r = 0; r < RULE__MAX; r++)
		if (strcmp(s, abuse_rule_name(r)) == 0)
			return true;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strcmp(s, abuse_rule_name(others[i])) == 0)
			return true;
	return false;
}

static const char *const labels[] = {"false_positive", "confirmed_abuse"};

static bool digits(const char *s, size_t n, int *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

bool api_decisions_parse_time(const char *s, char out[API_TIME_MAX])
{
	size_t n = strlen(s), i = 19, frac = 0;
	int year, month, day, hour, min, sec, oh, om;

	out[0] = '\0';
	if (n < 20 || n >= API_TIME_MAX || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
	    !digits(s, 4, &year) || !digits(s + 5, 2, &month) || !digits(s + 8, 2, &day) ||
	    !digits(s + 11, 2, &hour) || !digits(s + 14, 2, &min) || !digits(s + 17, 2, &sec))
		return false;
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
	    hour > 23 || min > 59 || sec > 59)
		return false;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			frac++;
		if (frac == 0 || frac > 9)
			return false;
	}
	if (i == n - 1 && (s[i] == 'Z' || s[i] == 'z')) {
		/* UTC */
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
		   digits(s + i + 1, 2, &oh) && digits(s + i + 4, 2, &om)) {
		if (oh > 23 || om > 59)
			return false;
	} else {
		return false;
	}
	for (i = 0; i < n; i++)
		out[i] = s[i] == 't' ? 'T' : s[i] == 'z' ? 'Z' : s[i];
	out[n] = '\0';
	return true;
}

void api_decisions_cursor(int64_t at_us, const unsigned char id[16], char out[API_CURSOR_LEN + 1])
{
	unsigned char raw[25];
	uint64_t v = (uint64_t)at_us;
	int i;

	raw[0] = CURSOR_VERSION;
	for (i = 0; i < 8; i++)
		raw[1 + i] = (unsigned char)(v >> (56 - 8 * i));
	memcpy(raw + 9, id, 16);
	codec_hex(raw, sizeof(raw), out);
}

bool api_decisions_cursor_parse(const char *s, int64_t *at_us, char id[37])
{
	unsigned char raw[25];
	uint64_t v = 0;
	int i;

	*at_us = 0;
	id[0] = '\0';
	/* Only the form this API writes (lowercase): one cursor, one spelling. */
	if (strlen(s) != API_CURSOR_LEN || strspn(s, "0123456789abcdef") != API_CURSOR_LEN ||
	    !codec_unhex(s, API_CURSOR_LEN, raw, sizeof(raw)) || raw[0] != CURSOR_VERSION)
		return false;
	for (i = 0; i < 8; i++)
		v = v << 8 | raw[1 + i];
	*at_us = (int64_t)v;
	codec_uuid(raw + 9, id);
	return true;
}

enum q { Q_OUTCOME, Q_REASON, Q_KEY, Q_SINCE, Q_UNTIL, Q_LABEL, Q_LIMIT, Q_CURSOR, Q__MAX };

enum err api_decisions_parse_filter(struct arena *a, const char *query,
				    struct api_decision_filter *f, const char **param,
				    const char **detail)
{
	struct api_qparam qp[Q__MAX] = {
	    [Q_OUTCOME] = {"outcome", NULL}, [Q_REASON] = {"reason", NULL},
	    [Q_KEY] = {"key_id", NULL},	     [Q_SINCE] = {"since", NULL},
	    [Q_UNTIL] = {"until", NULL},     [Q_LABEL] = {"label", NULL},
	    [Q_LIMIT] = {"limit", NULL},     [Q_CURSOR] = {"cursor", NULL},
	};
	static const char *const label_filters[] = {"false_positive", "confirmed_abuse", "none"};
	const char *why;
	enum err e;

	memset(f, 0, sizeof(*f));
	f->limit = API_DECISIONS_LIMIT_DEFAULT;
	*detail = NULL;
	e = api_query_parse(a, query, qp, Q__MAX, param, &why);
	if (e != ERR_OK) {
		*detail = why;
		return e;
	}
	*param = NULL;
	f->outcome = qp[Q_OUTCOME].value;
	f->reason = qp[Q_REASON].value;
	f->label = qp[Q_LABEL].value;
	if (f->outcome != NULL && !is_outcome(f->outcome)) {
		*param = "outcome";
		*detail = "outcome must be one of allow, flag, throttle, block.";
	} else if (f->reason != NULL && !is_reason(f->reason)) {
		*param = "reason";
		*detail = "reason must be a rule name (path_enumeration, key_guessing, ...), "
			  "model, deny_list or llm_judge; see docs/abuse-engine.md.";
	} else if (qp[Q_KEY].value != NULL &&
		   str_to_i64(str_c(qp[Q_KEY].value), 1, INT64_MAX, &f->key_id) != ERR_OK) {
		*param = "key_id";
		*detail = "key_id must be a positive integer.";
	} else if (qp[Q_SINCE].value != NULL &&
		   !api_decisions_parse_time(qp[Q_SINCE].value, f->since)) {
		*param = "since";
		*detail = "since must be an RFC 3339 time, such as 2026-05-01T00:00:00Z.";
	} else if (qp[Q_UNTIL].value != NULL &&
		   !api_decisions_parse_time(qp[Q_UNTIL].value, f->until)) {
		*param = "until";
		*detail = "until must be an RFC 3339 time, such as 2026-05-01T00:00:00Z.";
	} else if (f->label != NULL && !in_list(f->label, label_filters, 3)) {
		*param = "label";
		*detail = "label must be one of false_positive, confirmed_abuse, none.";
	} else if (qp[Q_LIMIT].value != NULL &&
		   str_to_i64(str_c(qp[Q_LIMIT].value), 1, API_DECISIONS_LIMIT_MAX, &f->limit) !=
		       ERR_OK) {
		*param = "limit";
		*detail = "limit must be an integer from 1 to 500.";
	} else if (qp[Q_CURSOR].value != NULL &&
		   !(f->has_cursor = api_decisions_cursor_parse(qp[Q_CURSOR].value,
								&f->cursor_at_us, f->cursor_id))) {
		*param = "cursor";
		*detail = "cursor must be a next_cursor value returned by this resource.";
	}
	return *param != NULL ? ERR_INPUT : ERR_OK;
}

/* Writes "features" and "rules_fired" from a real[] literal ("{1,0,0.25,...}"). As the
 * judge is shown them, rule slots (0 or 1) are listed by name in "rules_fired" when set, and
 * "features" holds the others: bias and the measured signals. */
static void write_features(struct jsonx_w *w, const char *s)
{
	char v[F__MAX][32];
	size_t n;
	int i, f;

	for (f = 0; f < F__MAX; f++)
		snprintf(v[f], sizeof(v[f]), "0");
	if (*s == '{')
		s++;
	for (f = 0; f < F__MAX && *s != '\0' && *s != '}'; f++) {
		n = strcspn(s, ",}");
		snprintf(v[f], sizeof(v[f]), "%.*s", (int)n, s);
		s += n;
		if (*s == ',')
			s++;
	}
	jsonx_key(w, "features");
	jsonx_obj_open(w);
	for (f = 0; f < F__MAX; f++)
		if (f < F_RULE0 || f >= F_RULE0 + RULE__MAX)
			api_json_knum(w, abuse_feature_name((enum abuse_feature)f), v[f]);
	jsonx_obj_close(w);
	jsonx_key(w, "rules_fired");
	jsonx_arr_open(w);
	for (i = 0; i < RULE__MAX; i++)
		if (strtof(v[F_RULE0 + i], NULL) >= 0.5f)
			jsonx_str(w, abuse_feature_name((enum abuse_feature)(F_RULE0 + i)));
	jsonx_arr_close(w);
}

static void kstr_or_null(struct jsonx_w *w, const struct sql_res *r, int row, int col,
			 const char *key)
{
	jsonx_kstr(w, key, sql_is_null(r, row, col) ? NULL : sql_get(r, row, col));
}

static void write_decision(struct jsonx_w *w, const struct sql_res *r, int row)
{
	jsonx_obj_open(w);
	jsonx_kstr(w, "id", sql_get(r, row, D_ID));
	jsonx_kstr(w, "at", sql_get(r, row, D_AT));
	jsonx_key(w, "key_id");
	if (sql_is_null(r, row, D_KEY))
		jsonx_null(w);
	else
		jsonx_int(w, sql_get_i64(r, row, D_KEY));
	jsonx_kstr(w, "ip", sql_get(r, row, D_IP));
	jsonx_kstr(w, "network", sql_get(r, row, D_NETWORK));
	jsonx_kstr(w, "outcome", sql_get(r, row, D_OUTCOME));
	jsonx_kbool(w, "enforced", strcmp(sql_get(r, row, D_ENFORCED), "t") == 0);
	jsonx_kstr(w, "reason", sql_get(r, row, D_REASON));
	api_json_knum(w, "score", sql_get(r, row, D_SCORE));
	jsonx_kint(w, "model_version", sql_get_i64(r, row, D_VERSION));
	jsonx_kstr(w, "method", sql_get(r, row, D_METHOD));
	jsonx_kstr(w, "route", sql_get(r, row, D_ROUTE));
	jsonx_kint(w, "payload_bytes", sql_get_i64(r, row, D_PAYLOAD));
	jsonx_kstr(w, "ua_family", sql_get(r, row, D_UA));
	jsonx_kstr(w, "header_names", sql_get(r, row, D_HEADERS));
	write_features(w, sql_get(r, row, D_FEATURES));
	kstr_or_null(w, r, row, D_LABEL, "label");
	kstr_or_null(w, r, row, D_LABELED_AT, "labeled_at");
	/* Written by us (abuse_explain) and stored as jsonb: valid JSON as it stands. */
	jsonx_key(w, "explanation");
	if (sql_is_null(r, row, D_EXPLANATION))
		jsonx_null(w);
	else
		jsonx_raw(w, sql_get(r, row, D_EXPLANATION),
			  strlen(sql_get(r, row, D_EXPLANATION)));
	jsonx_obj_close(w);
}

enum err api_decisions_list(struct hctx *c)
{
	static const char sql[] =
	    "SELECT " DECISION_COLS " FROM abuse_decisions d WHERE d.tenant_id = $1 "
	    "AND ($2::text IS NULL OR d.outcome = $2) "
	    "AND ($3::text IS NULL OR d.reason = $3) "
	    "AND ($4::bigint IS NULL OR d.key_id = $4) "
	    "AND ($5::timestamptz IS NULL OR d.at >= $5) "
	    "AND ($6::timestamptz IS NULL OR d.at < $6) "
	    "AND ($7::text IS NULL OR d.label = $7 OR ($7 = 'none' AND d.label IS NULL)) "
	    "AND ($8::bigint IS NULL OR (d.at, d.id) < "
	    "('epoch'::timestamptz + $8 * interval '1 microsecond', $9::uuid)) "
	    "ORDER BY d.at DESC, d.id DESC LIMIT $10";
	struct api_decision_filter f;
	char tenant[24], key[24], at[24], limit[24], cursor[API_CURSOR_LEN + 1];
	const char *params[10], *param, *detail;
	unsigned char id[16];
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i, rows;

	e = api_decisions_parse_filter(c->arena, fcgi_param(c->rq, "QUERY_STRING"), &f, &param,
				       &detail);
	if (e == ERR_INPUT)
		return api_bad_param(c, param, detail);
	if (e != ERR_OK)
		return e;
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(key, f.key_id);
	str_fmt_i64(at, f.cursor_at_us);
	str_fmt_i64(limit, f.limit + 1); /* one more tells whether there is a next page */
	params[0] = tenant;
	params[1] = f.outcome;
	params[2] = f.reason;
	params[3] = f.key_id != 0 ? key : NULL;
	params[4] = f.since[0] != '\0' ? f.since : NULL;
	params[5] = f.until[0] != '\0' ? f.until : NULL;
	params[6] = f.label;
	params[7] = f.has_cursor ? at : NULL;
	params[8] = f.has_cursor ? f.cursor_id : NULL;
	params[9] = limit;
	e = api_sql(c, &r, sql, 10, params);
	if (e != ERR_OK)
		return e;
	rows = sql_rows(r);
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_key(&w, "items");
	jsonx_arr_open(&w);
	for (i = 0; i < rows && i < f.limit; i++)
		write_decision(&w, r, i);
	jsonx_arr_close(&w);
	jsonx_key(&w, "next_cursor");
	if (rows > f.limit && codec_uuid_parse(sql_get(r, (int)f.limit - 1, D_ID), id)) {
		api_decisions_cursor(sql_get_i64(r, (int)f.limit - 1, D_AT_US), id, cursor);
		jsonx_str(&w, cursor);
	} else {
		jsonx_null(&w);
	}
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

/* The :id parameter as a canonical UUID; false (404: no such decision) otherwise. */
bool api_decisions_id(struct hctx *c, char id[37])
{
	struct str s = hctx_param(c, "id");
	unsigned char raw[16];
	char text[37];

	if (str_copy(s, text, sizeof(text)) != ERR_OK || !codec_uuid_parse(text, raw))
		return false;
	codec_uuid(raw, id);
	return true;
}

static enum err not_found(struct hctx *c)
{
	c->detail = "No such decision.";
	return ERR_NOTFOUND;
}

enum err api_decisions_get(struct hctx *c)
{
	char tenant[24], id[37];
	const char *params[2] = {tenant, id};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	if (!api_decisions_id(c, id))
		return not_found(c);
	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(c, &r,
		    "SELECT " DECISION_COLS
		    " FROM abuse_decisions d WHERE d.tenant_id = $1 AND d.id = $2",
		    2, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return not_found(c);
	hctx_json_begin(c, &w);
	write_decision(&w, r, 0);
	hctx_json_end(c, &w);
	return ERR_OK;
}

/* Validates the body {"label": "false_positive" | "confirmed_abuse"}. */
static enum err read_label(struct hctx *c, const char **label)
{
	static const char *const members[] = {"label"};
	struct jsonx_doc *d;
	enum err e;

	*label = NULL;
	e = api_read_json(c, members, 1, &d);
	if (e != ERR_OK)
		return e;
	c->parameter = "label";
	if (!jsonx_get_str(d, "label", label))
		return api_bad_body(c, jsonx_has(d, "label") ? "label must be a string."
							     : "label is required.");
	if (!in_list(*label, labels, 2))
		return api_bad_body(c, "label must be false_positive or confirmed_abuse.");
	c->parameter = NULL;
	return ERR_OK;
}

enum err api_decisions_set_label(struct hctx *c, const char *id, const char *label,
				 struct sql_res **row)
{
	char tenant[24];
	const char *params[3] = {tenant, id, label};
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(c, row,
		    "UPDATE abuse_decisions d SET label = $3, labeled_at = now() "
		    "WHERE d.tenant_id = $1 AND d.id = $2 RETURNING " DECISION_COLS,
		    3, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(*row) != 1)
		return not_found(c);
	/* Every node's syncer (SYNCER_CHANNEL) lifts the block once this commits. */
	if (strcmp(label, "false_positive") == 0)
		e = api_sql(c, NULL,
			    "SELECT pg_notify('tollgate_sync', 'lift:' || tenant_id || ':' || "
			    "coalesce(key_id, 0) || ':' || host(ip)) FROM abuse_decisions "
			    "WHERE tenant_id = $1 AND id = $2",
			    2, params);
	return e;
}

void api_decisions_lift_here(struct hctx *c, const char *id, const struct sql_res *row)
{
	unsigned char ip[16];
	int64_t key_id = sql_is_null(row, 0, D_KEY) ? 0 : sql_get_i64(row, 0, D_KEY);
	bool has_ip = codec_ip_parse(sql_get(row, 0, D_IP), ip);

	abuse_lift(c->app->state, c->tenant_id, has_ip ? ip : NULL, key_id,
		   c->app->cfg->abuse_exempt_s);
	log_info("decision %s labelled false_positive: lifted key %lld / %s", id, (long long)key_id,
		 sql_get(row, 0, D_IP));
}

enum err api_decisions_label(struct hctx *c)
{
	char id[37];
	const char *label;
	struct api_idem im;
	struct sql_res *r;
	struct jsonx_w w;
	const char *data;
	bool replayed;
	enum err e;

	if (!api_decisions_id(c, id))
		return not_found(c);
	if ((e = read_label(c, &label)) != ERR_OK || (e = api_idem_init(c, &im)) != ERR_OK)
		return e;
	if ((e = api_begin(c)) != ERR_OK)
		return e;
	if ((e = api_idem_claim(c, &im, &replayed)) != ERR_OK || replayed)
		goto out;
	if ((e = api_decisions_set_label(c, id, label, &r)) != ERR_OK ||
	    (e = api_audit(c, c->tenant_id, "decision.label", id)) != ERR_OK)
		goto out;
	/* The answer is stored with the key before it is sent, and sent only once committed. */
	jsonx_w_init(&w, &c->rs->body);
	write_decision(&w, r, 0);
	data =
	    c->rs->body.overflow ? NULL : arena_strndup(c->arena, c->rs->body.p, c->rs->body.len);
	buf_reset(&c->rs->body);
	if (data == NULL) {
		e = ERR_SYS; /* a decision is some 1 KiB: never near the ceilings */
		goto out;
	}
	if ((e = api_idem_store(c, &im, 200, data)) != ERR_OK)
		goto out;
	if ((e = api_commit(c)) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_raw(&w, data, strlen(data));
	hctx_json_end(c, &w);
	/* This node at once, without waiting for its syncer. */
	if (strcmp(label, "false_positive") == 0)
		api_decisions_lift_here(c, id, r);
	return e;
out:
	api_db_rollback(c);
	return e;
}
