/* AI routes: aliases, fallback, streaming and metering over libcurl. */
#include "ai.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/codec.h"
#include "../../lib/cryptox.h"
#include "../../lib/http.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../api/api.h"
#include "../api/api_db.h"
#include "../serve/router.h"
#include "../state/state.h"
#include "../upstream/upstream.h"
#include "translate.h"

#define AI_MAX_TARGETS	 8
#define AI_MAX_ANSWER	 (16 * 1024 * 1024) /* a non-streamed answer, or a whole stream */
#define AI_MAX_ERROR	 (64 * 1024)	    /* a provider's error body kept to pass on */
#define AI_MAX_LINE	 (1024 * 1024)	    /* one SSE line, parsed for usage */
#define AI_WRITE_TIMEOUT 30000		    /* ms a stalled client may hold a stream write */
#define SEAL_PURPOSE	 "ai-provider-key"
#define AI_MAX_DIMS	 4096	       /* of an embedding the semantic cache compares */
#define AI_MAX_CACHED	 (1024 * 1024) /* the largest answer a cache keeps */

enum api_shape { SHAPE_OPENAI_CHAT, SHAPE_ANTHROPIC, SHAPE_EMBEDDINGS };

/* One provider/model of an alias, as loaded for one request. */
struct target {
	int64_t provider_id;
	char provider[64];
	bool anthropic; /* the provider's kind: Anthropic Messages; else OpenAI-compatible */
	char base_url[520];
	char key[520]; /* opened from its sealed form for this request; wiped after */
	char model[136];
	int64_t weight;
	int64_t cool_ms; /* cooling down until (wall-clock ms) as PostgreSQL says; 0: not */
	int64_t in_price, out_price; /* micros per million tokens */
};

/* What a budget caps: the tenant, the calling key, or the caller's team, per month or day. */
enum budget_of { B_TENANT, B_KEY, B_TENANT_DAY, B_KEY_DAY, B_TEAM, B_TEAM_DAY, B__MAX };

/* One request in the AI pool. */
struct call {
	struct hctx *c;
	enum api_shape shape;
	int64_t tenant_id, key_id;
	bool stream;
	struct jsonx_doc *req;
	const char *model; /* as the caller asked */
	struct target t[AI_MAX_TARGETS];
	int nt;
	/* The attempt in progress. */
	const struct target *at;
	int status;	  /* the provider's HTTP status, once its body began */
	bool started;	  /* the client's answer (a stream's head) has been sent */
	bool client_gone; /* a write to the client failed, or Caddy hung up */
	struct buf body;  /* a non-streamed answer, or a provider's error body */
	struct buf line;  /* a stream's partial SSE line */
	int64_t in_tok, out_tok;
	bool usage_seen;
	bool xlate; /* the provider speaks the other API: translated both ways */
	struct ai_stream_xlate sx;
	struct buf out;	  /* translated events, on their way to the client */
	bool over_budget; /* the month's budget is spent */
	int64_t left;	  /* what is left of the tightest budget; -1: none */
	/* The budgets (-1: none) and what was spent of each before this request, and the
	 * share past which the tenant is warned (of the monthly tenant and key budgets). */
	int64_t budget[B__MAX], spent[B__MAX], warn_pct;
	const char *team; /* the JWT caller's team ("": none) */
	int64_t cost;	  /* what the answer cost, once metered */
	bool store;	  /* the answer goes into the caches once it has been sent */
	/* The tenant's other AI settings. */
	int64_t tpm, key_tpm; /* tokens per minute; -1: none */
	int64_t cache_ttl;    /* seconds an answer is served again; 0: no cache */
	bool cache_any;	      /* requests that are not deterministic too */
	char semantic_alias[136];
	double semantic_threshold;
	/* The caches, for this request. */
	bool cacheable;		/* may be served from and stored in the caches */
	unsigned char hash[32]; /* the exact cache's key */
	const char *cached;	/* an answer found in a cache (arena) */
	float vec[AI_MAX_DIMS]; /* the prompt's embedding (semantic cache), */
	int dims;		/* 0 when there is none */
	char prompt[1024];	/* the prompt it is of */
};

static struct http *client;

void ai_worker_init(void)
{
	if (http_init() != ERR_OK)
		log_fatalx("libcurl failed to initialise");
	client = http_new();
}

void ai_worker_done(void)
{
	http_free(client);
	client = NULL;
	http_cleanup();
}

int64_t ai_cost_micros(int64_t tokens, int64_t micros_per_mtok)
{
	if (tokens <= 0 || micros_per_mtok <= 0)
		return 0;
	/* Both are bounded (a billion tokens, prices of a few million): no overflow. */
	return (tokens * micros_per_mtok + 999999) / 1000000;
}

void ai_cooldown_set(struct state *st, int64_t provider_id, int64_t until_ms)
{
	uint64_t h = codec_mix64((uint64_t)provider_id), i, probe;
	int64_t now = state_clock_ms(st);

	for (probe = 0; probe < 8; probe++) {
		struct state_cooldown *c =
		    &st->hdr->ai_cooldown[(h + probe) & (STATE_AI_COOLDOWNS - 1)];
		int64_t id = atomic_load(&c->provider_id);

		if (id == provider_id || id == 0 || atomic_load(&c->until_ms) <= now) {
			atomic_store(&c->provider_id, provider_id);
			atomic_store(&c->until_ms, until_ms);
			return;
		}
	}
	i = h & (STATE_AI_COOLDOWNS - 1); /* all taken: the home slot is reused */
	atomic_store(&st->hdr->ai_cooldown[i].provider_id, provider_id);
	atomic_store(&st->hdr->ai_cooldown[i].until_ms, until_ms);
}

int64_t ai_cooldown_until(const struct state *st, int64_t provider_id, int64_t now_ms)
{
	uint64_t h = codec_mix64((uint64_t)provider_id), probe;

	for (probe = 0; probe < 8; probe++) {
		const struct state_cooldown *c =
		    &st->hdr->ai_cooldown[(h + probe) & (STATE_AI_COOLDOWNS - 1)];
		int64_t until;

		if (atomic_load(&c->provider_id) != provider_id)
			continue;
		until = atomic_load(&c->until_ms);
		return until > now_ms ? until : 0;
	}
	return 0;
}

static void count(struct hctx *c, enum metric m, uint64_t n)
{
	struct state *st = c->app->state;

	state_metric_add(st, state_metric_row_misc(st), m, n);
}

static enum err problem(struct hctx *c, int status, enum problem_kind kind, const char *detail)
{
	c->detail = detail;
	router_problem(c, status, kind);
	return ERR_OK;
}

/* The tenant and key the gate admitted (trusted headers: Caddy strips any a client sent). */
static bool admitted(struct hctx *c, int64_t *tenant_id, int64_t *key_id)
{
	const char *t = fcgi_param(c->rq, "HTTP_X_TOLLGATE_TENANT_ID");
	const char *k = fcgi_param(c->rq, "HTTP_X_TOLLGATE_KEY");

	return fcgi_param(c->rq, "TG_AI") != NULL && t != NULL && k != NULL &&
	       str_to_i64(str_c(t), 1, INT64_MAX, tenant_id) == ERR_OK &&
	       str_to_i64(str_c(k), 1, INT64_MAX, key_id) == ERR_OK;
}

/* SSRF rules for every address a provider's name resolves to, checked by libcurl's
 * socket callback before it connects. */
static bool provider_addr_ok(void *arg, const unsigned char ip[16])
{
	struct call *k = arg;
	char why[128];

	if (upstream_addr_allowed(k->c->app->cfg, ip, why, sizeof(why)))
		return true;
	log_warnx("AI provider %s refused before connecting: %s", k->at->provider, why);
	return false;
}

/* An operator's provider has this added to its id, so that its cooldowns (shared by every
 * tenant that calls it) are never those of a tenant's provider. */
#define OPERATOR_IDS "1099511627776" /* 2^40 */

/* The alias's targets (or "provider/model" named directly), in the order of the list the
 * tenant's plan picks, each with its provider and prices. */
static const char targets_sql[] =
    "WITH t AS (SELECT id, plan_id FROM tenants WHERE id = $1), "
    "list AS ("
    " SELECT x.e ->> 'provider' AS provider, x.e ->> 'model' AS model, "
    "        coalesce((x.e ->> 'weight')::bigint, 0) AS weight, x.ord "
    " FROM t JOIN ai_aliases a ON a.tenant_id = t.id AND a.name = $2 "
    " CROSS JOIN LATERAL jsonb_array_elements(coalesce(a.by_plan -> t.plan_id, a.targets)) "
    "   WITH ORDINALITY AS x(e, ord) "
    " UNION ALL "
    " SELECT split_part($2, '/', 1), substr($2, strpos($2, '/') + 1), 0, 1 "
    " WHERE strpos($2, '/') > 1 AND NOT EXISTS "
    "   (SELECT 1 FROM ai_aliases WHERE tenant_id = $1 AND name = $2)) "
    "SELECT p.id, p.name, p.kind, p.base_url, coalesce(encode(p.key_sealed, 'hex'), ''), "
    "       l.model, l.weight, coalesce(pr.input_micros_per_mtok, 0), "
    "       coalesce(pr.output_micros_per_mtok, 0), "
    /* A cooldown another node wrote (the provider's, or this model's of it). */
    "       coalesce((SELECT (extract(epoch FROM max(c.until)) * 1000)::bigint "
    "         FROM ai_cooldowns c WHERE c.provider = p.id AND c.model IN ('', l.model) "
    "         AND c.until > now()), 0) "
    "FROM list l CROSS JOIN LATERAL ("
    /* The tenant's provider of that name, else the operator's (ids kept apart). */
    "  SELECT id, name, kind, base_url, key_sealed FROM ai_providers "
    "   WHERE tenant_id = $1 AND name = l.provider "
    "  UNION ALL "
    "  SELECT id + " OPERATOR_IDS ", name, kind, base_url, key_sealed "
    "   FROM ai_operator_providers WHERE name = l.provider LIMIT 1) p "
    "LEFT JOIN ai_prices pr ON pr.model = l.model "
    "ORDER BY l.ord LIMIT 8";

static enum err load_targets(struct call *k)
{
	const struct config *cfg = k->c->app->cfg;
	char tenant[24];
	const char *params[2] = {tenant, k->model};
	struct sql_res *r;
	enum err e;
	int i;

	str_fmt_i64(tenant, k->tenant_id);
	if ((e = api_sql(k->c, &r, targets_sql, 2, params)) != ERR_OK)
		return e;
	for (i = 0; i < sql_rows(r) && k->nt < AI_MAX_TARGETS; i++) {
		struct target *t = &k->t[k->nt];
		const char *hex = sql_get(r, i, 4);
		size_t n = strlen(hex) / 2;
		unsigned char sealed[600];

		memset(t, 0, sizeof(*t));
		t->provider_id = sql_get_i64(r, i, 0);
		str_lcpy(t->provider, sql_get(r, i, 1), sizeof(t->provider));
		t->anthropic = strcmp(sql_get(r, i, 2), "anthropic") == 0;
		str_lcpy(t->base_url, sql_get(r, i, 3), sizeof(t->base_url));
		str_lcpy(t->model, sql_get(r, i, 5), sizeof(t->model));
		t->weight = sql_get_i64(r, i, 6);
		t->in_price = sql_get_i64(r, i, 7);
		t->out_price = sql_get_i64(r, i, 8);
		t->cool_ms = sql_get_i64(r, i, 9);
		if (n > CRYPTOX_SEAL_EXTRA && n <= sizeof(sealed) &&
		    n - CRYPTOX_SEAL_EXTRA < sizeof(t->key) && codec_unhex(hex, n * 2, sealed, n) &&
		    cryptox_open(cfg->secret_key, SEAL_PURPOSE, sealed, n, t->key))
			t->key[n - CRYPTOX_SEAL_EXTRA] = '\0';
		else if (hex[0] != '\0')
			log_warnx("AI provider %s: its key cannot be opened (another server "
				  "secret?); calling it without one",
				  t->provider);
		/* Embeddings are OpenAI's alone. */
		if (k->shape == SHAPE_EMBEDDINGS && t->anthropic)
			continue;
		k->nt++;
	}
	return ERR_OK;
}

/* What cools down: a provider as a whole (key: its id) when it could not be reached, or one
 * of its models (key: a negative number made from both) when it answered 429, 5xx or
 * garbage, or did not answer in time: rate limits and overloads are often per model. */
static int64_t model_key(const struct target *t)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = t->model; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return -(int64_t)(codec_mix64(h ^ (uint64_t)t->provider_id) >> 2) - 1;
}

/* The first try goes to one of the weighted targets in proportion to its weight. */
static void pick_first(struct call *k)
{
	int64_t total = 0, x;
	int i;

	for (i = 0; i < k->nt; i++)
		total += k->t[i].weight;
	if (total <= 0)
		return;
	x = (int64_t)cryptox_uniform((uint32_t)(total < UINT32_MAX ? total : UINT32_MAX));
	for (i = 0; i < k->nt; i++) {
		if (x < k->t[i].weight)
			break;
		x -= k->t[i].weight;
	}
	if (i > 0 && i < k->nt) {
		struct target first = k->t[i];

		memmove(&k->t[1], &k->t[0], (size_t)i * sizeof(k->t[0]));
		k->t[0] = first;
	}
}

/* Usage from one JSON answer or stream event, in either provider's shape. */
static void take_usage(struct call *k, const struct jsonx_doc *d)
{
	int64_t v;

	if (jsonx_get_int(d, "usage.prompt_tokens", &v)) { /* OpenAI */
		k->in_tok = v;
		k->out_tok = jsonx_get_int(d, "usage.completion_tokens", &v) ? v : 0;
		k->usage_seen = true;
	}
	if (jsonx_get_int(d, "usage.input_tokens", &v)) { /* Anthropic answer */
		k->in_tok = v;
		k->usage_seen = true;
	}
	if (jsonx_get_int(d, "message.usage.input_tokens", &v)) { /* message_start */
		k->in_tok = v;
		k->usage_seen = true;
	}
	if (jsonx_get_int(d, "usage.output_tokens", &v)) { /* the answer, or message_delta */
		k->out_tok = v;
		k->usage_seen = true;
	}
	if (jsonx_get_int(d, "message.usage.output_tokens", &v) && v > k->out_tok)
		k->out_tok = v;
}

/* One complete SSE line of a stream: a data line's JSON may carry usage. */
static void stream_line(struct call *k, const char *p, size_t n)
{
	struct jsonx_doc *d;
	char msg[64];

	if (n < 5 || memcmp(p, "data:", 5) != 0)
		return;
	p += 5;
	n -= 5;
	while (n > 0 && *p == ' ') {
		p++;
		n--;
	}
	if (k->xlate) {
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		ai_stream_xlate_event(&k->sx, p, n, &k->out);
	}
	if (n == 0 || *p != '{' || jsonx_parse(p, n, &d, msg, sizeof(msg)) != ERR_OK)
		return;
	take_usage(k, d);
	jsonx_doc_free(d);
}

/* The answer's head for the client: what was called, and how. */
static void ai_headers(struct call *k, int attempts)
{
	fcgi_header(k->c->rs, "X-Tollgate-AI-Provider", k->at->provider);
	fcgi_header(k->c->rs, "X-Tollgate-AI-Model", k->at->model);
	fcgi_headerf(k->c->rs, "X-Tollgate-AI-Attempts", "%d", attempts);
}

/* The provider's body as it arrives: a stream goes to the client event by event (its head
 * is sent with the first bytes of a 2xx answer); anything else is kept. */
static bool on_body(void *arg, int status, const char *p, size_t n)
{
	struct call *k = arg;
	size_t i, start = 0;

	k->status = status;
	if (status < 200 || status > 299 || !k->stream) {
		size_t room = (status >= 200 && status <= 299 ? AI_MAX_ANSWER : AI_MAX_ERROR);

		if (k->body.len + n > room)
			return status >= 200 && status <= 299 ? false : true; /* keep the start */
		return buf_append(&k->body, p, n);
	}
	if (!k->started) {
		k->c->rs->status = 200;
		fcgi_header(k->c->rs, "Content-Type", "text/event-stream; charset=utf-8");
		fcgi_header(k->c->rs, "Cache-Control", "no-cache");
		fcgi_header(k->c->rs, "X-Accel-Buffering", "no");
		if (!fcgi_stream_begin(k->c->rq, k->c->rs, AI_WRITE_TIMEOUT)) {
			k->client_gone = true;
			return false;
		}
		k->started = true;
	}
	if (!k->xlate && !fcgi_stream_write(k->c->rq, k->c->rs, p, n)) {
		k->client_gone = true;
		return false;
	}
	/* Usage is read from the events on the way (lines may span pieces); a translated
	 * stream is written event by event as its lines complete. */
	for (i = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (k->line.len > 0) {
			buf_append(&k->line, p + start, i - start);
			stream_line(k, k->line.p, k->line.len);
			buf_reset(&k->line);
		} else
			stream_line(k, p + start, i - start);
		start = i + 1;
	}
	if (start < n && k->line.len + (n - start) <= AI_MAX_LINE)
		buf_append(&k->line, p + start, n - start);
	if (k->xlate && k->out.len > 0) {
		bool ok = fcgi_stream_write(k->c->rq, k->c->rs, k->out.p, k->out.len);

		buf_reset(&k->out);
		if (!ok) {
			k->client_gone = true;
			return false;
		}
	}
	return true;
}

static bool on_tick(void *arg)
{
	struct call *k = arg;

	if (!fcgi_peer_alive(k->c->rq))
		k->client_gone = true;
	return !k->client_gone;
}

/* The request as the target's provider takes it: the model replaced, and a stream asked
 * to report its usage. */
static bool provider_body(struct call *k, const struct target *t, struct buf *out)
{
	buf_reset(out);
	if (k->xlate)
		return k->shape == SHAPE_ANTHROPIC ? ai_request_to_openai(k->req, t->model, out)
						   : ai_request_to_anthropic(k->req, t->model, out);
	if (!jsonx_set_str(k->req, "model", t->model))
		return false;
	if (k->stream && k->shape == SHAPE_OPENAI_CHAT &&
	    !jsonx_set_bool(k->req, "stream_options.include_usage", true))
		return false;
	buf_reset(out);
	return jsonx_dump(k->req, "", out);
}

/* --- tokens per minute (per node) ------------------------------------------------------ */

static struct state_tpm *tpm_slot(struct state *st, int64_t id, int64_t minute)
{
	uint64_t h = codec_mix64((uint64_t)id), probe;

	for (probe = 0; probe < 16; probe++) {
		struct state_tpm *t = &st->hdr->ai_tpm[(h + probe) & (STATE_AI_TPM_SLOTS - 1)];
		int64_t cur = atomic_load(&t->id), expected = 0;

		if (cur == id)
			return t;
		/* A free slot, or one last counted more than a minute ago, is taken. */
		if ((cur == 0 && atomic_compare_exchange_strong(&t->id, &expected, id)) ||
		    (cur != 0 && atomic_load(&t->minute) < minute - 1 &&
		     atomic_compare_exchange_strong(&t->id, &cur, id))) {
			atomic_store(&t->tokens, 0);
			atomic_store(&t->minute, minute);
			return t;
		}
	}
	return NULL; /* all taken: not limited (the table is sized far above its use) */
}

static int64_t tpm_used(struct state *st, int64_t id, int64_t minute)
{
	struct state_tpm *t = tpm_slot(st, id, minute);

	return t != NULL && atomic_load(&t->minute) == minute ? atomic_load(&t->tokens) : 0;
}

static void tpm_add(struct state *st, int64_t id, int64_t minute, int64_t tokens)
{
	struct state_tpm *t = tpm_slot(st, id, minute);
	int64_t was;

	if (t == NULL)
		return;
	if ((was = atomic_load(&t->minute)) != minute &&
	    atomic_compare_exchange_strong(&t->minute, &was, minute))
		atomic_store(&t->tokens, 0);
	atomic_fetch_add(&t->tokens, tokens);
}

/* Adds the tokens and their cost to the key's usage this hour (the flusher takes them to
 * PostgreSQL with the request counts, exactly once). */
static int64_t meter(struct call *k)
{
	struct state *st = k->c->app->state;
	int64_t minute;
	int64_t cost = ai_cost_micros(k->in_tok, k->at->in_price) +
		       ai_cost_micros(k->out_tok, k->at->out_price);
	struct state_usage *u =
	    state_usage(st, k->key_id, state_clock_ms(st) / 3600000, k->tenant_id, true);

	if (u == NULL) {
		log_errorx("usage record for key %lld: no room; %lld tokens not metered",
			   (long long)k->key_id, (long long)(k->in_tok + k->out_tok));
		return cost;
	}
	u->count[USAGE_TOKENS] += k->in_tok + k->out_tok;
	u->count[USAGE_COST_MICROS] += cost;
	k->cost += cost;
	state_unlock(st->usage, u);
	count(k->c, METRIC_AI_TOKENS, (uint64_t)(k->in_tok + k->out_tok));
	minute = state_clock_ms(st) / 60000;
	tpm_add(st, k->key_id, minute, k->in_tok + k->out_tok);
	tpm_add(st, -k->tenant_id, minute, k->in_tok + k->out_tok);
	return cost;
}

/* Whether a provider's answer sends the caller to the next target. */
static bool worth_falling_back(int status)
{
	return status == 429 || status == 408 || status >= 500 || status == 0;
}

/* The tenant's AI settings, and what the month and the day (UTC) spent of each budget:
 * PostgreSQL's, plus what shared memory has not flushed yet this hour of the calling key;
 * the team's as the AI pool wrote it. ERR_LIMIT when a budget is spent. */
static enum err load_settings(struct call *k)
{
	static const char sql[] =
	    "WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month, "
	    "  (date_trunc('day', now() AT TIME ZONE 'UTC')) AS day) "
	    "SELECT t.ai_budget_micros, t.ai_key_budget_micros, t.ai_budget_day_micros, "
	    "  t.ai_key_budget_day_micros, CASE WHEN $3 <> '' THEN t.ai_team_budget_micros END, "
	    "  CASE WHEN $3 <> '' THEN t.ai_team_budget_day_micros END, "
	    "  coalesce((SELECT sum(cost_micros) FROM usage_monthly u WHERE u.tenant_id = $1 "
	    "     AND u.month = m.month), 0), "
	    "  coalesce((SELECT cost_micros FROM usage_monthly u WHERE u.key_id = $2 "
	    "     AND u.month = m.month), 0), "
	    "  coalesce((SELECT sum(cost_micros) FROM usage_hourly u WHERE u.tenant_id = $1 "
	    "     AND u.hour >= m.day AT TIME ZONE 'UTC'), 0), "
	    "  coalesce((SELECT sum(cost_micros) FROM usage_hourly u WHERE u.key_id = $2 "
	    "     AND u.hour >= m.day AT TIME ZONE 'UTC'), 0), "
	    "  coalesce((SELECT sum(cost_micros) FROM ai_team_spend s WHERE s.tenant_id = $1 "
	    "     AND s.team = $3 AND s.day >= m.month), 0), "
	    "  coalesce((SELECT sum(cost_micros) FROM ai_team_spend s WHERE s.tenant_id = $1 "
	    "     AND s.team = $3 AND s.day = m.day::date), 0), "
	    "  coalesce(t.ai_tpm, -1), coalesce(t.ai_key_tpm, -1), t.ai_cache_ttl_s, "
	    "  t.ai_cache_any, coalesce(t.ai_semantic_alias, ''), t.ai_semantic_threshold, "
	    "  t.ai_budget_warn_pct "
	    "FROM tenants t, m WHERE t.id = $1";
	struct state *st = k->c->app->state;
	char tenant[24], key[24];
	const char *params[3] = {tenant, key, k->team};
	int64_t unflushed = 0;
	struct state_usage *u;
	struct sql_res *r;
	bool spent = false;
	enum err e;
	int i;

	k->left = -1;
	str_fmt_i64(tenant, k->tenant_id);
	str_fmt_i64(key, k->key_id);
	if ((e = api_sql(k->c, &r, sql, 3, params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_NOTFOUND;
	k->tpm = sql_get_i64(r, 0, 12);
	k->key_tpm = sql_get_i64(r, 0, 13);
	k->cache_ttl = sql_get_i64(r, 0, 14);
	k->cache_any = strcmp(sql_get(r, 0, 15), "t") == 0;
	str_lcpy(k->semantic_alias, sql_get(r, 0, 16), sizeof(k->semantic_alias));
	k->semantic_threshold = strtod(sql_get(r, 0, 17), NULL);
	k->warn_pct = sql_get_i64(r, 0, 18);
	u = state_usage(st, k->key_id, state_clock_ms(st) / 3600000, k->tenant_id, false);
	if (u != NULL) {
		unflushed = u->count[USAGE_COST_MICROS] - u->flushed[USAGE_COST_MICROS];
		state_unlock(st->usage, u);
	}
	for (i = 0; i < B__MAX; i++) {
		int64_t left;

		k->budget[i] = sql_is_null(r, 0, i) ? -1 : sql_get_i64(r, 0, i);
		k->spent[i] = sql_get_i64(r, 0, 6 + i) + (i < B_TEAM ? unflushed : 0);
		if (k->budget[i] < 0)
			continue;
		left = k->budget[i] - k->spent[i];
		spent |= left <= 0;
		if (left < 0)
			left = 0;
		if (k->left < 0 || left < k->left)
			k->left = left;
	}
	return spent ? ERR_LIMIT : ERR_OK;
}

/* The most a request may cost: its prompt (estimated from its size) and max_tokens of
 * answer at the dearest target's prices. */
static int64_t max_cost(const struct call *k)
{
	int64_t most = 0, out = 0, in = (int64_t)k->c->rq->body.len / 4 + 1, c;
	int i;

	if (!jsonx_get_int(k->req, "max_tokens", &out))
		(void)jsonx_get_int(k->req, "max_completion_tokens", &out);
	for (i = 0; i < k->nt; i++) {
		c = ai_cost_micros(in, k->t[i].in_price) + ai_cost_micros(out, k->t[i].out_price);
		if (c > most)
			most = c;
	}
	return most;
}

/* A request that took a budget past its warning share warns the tenant's owners (by mail,
 * once a month per budget: the database keeps which were given). */
static void budget_warn(struct call *k, int64_t cost)
{
	/* What this worker knows was warned of (tenant, key, month), so that requests past
	 * the line do not each ask the database. */
	static struct {
		int64_t tenant, key, month;
	} warned[64];
	static unsigned next;
	const int64_t budgets[2] = {k->budget[B_TENANT], k->budget[B_KEY]};
	const int64_t spent[2] = {k->spent[B_TENANT], k->spent[B_KEY]};
	time_t now_s = (time_t)(state_clock_ms(k->c->app->state) / 1000);
	struct tm tm;
	int64_t month;
	char tenant[24], key[24], sp[24], bu[24];
	const char *params[4] = {tenant, key, sp, bu};
	unsigned j;
	int i;

	/* The calendar month (UTC), as the database's record of warnings counts them. */
	gmtime_r(&now_s, &tm);
	month = (int64_t)tm.tm_year * 12 + tm.tm_mon;
	for (i = 0; i < 2; i++) {
		int64_t line =
		    budgets[i] / 100 * k->warn_pct + budgets[i] % 100 * k->warn_pct / 100;
		int64_t id = i == 0 ? 0 : k->key_id;
		bool known = false;

		if (budgets[i] < 0 || spent[i] + cost < line)
			continue;
		for (j = 0; j < sizeof(warned) / sizeof(warned[0]) && !known; j++)
			known = warned[j].tenant == k->tenant_id && warned[j].key == id &&
				warned[j].month == month;
		if (known)
			continue;
		warned[next % 64].tenant = k->tenant_id;
		warned[next % 64].key = id;
		warned[next % 64].month = month;
		next++;
		str_fmt_i64(tenant, k->tenant_id);
		str_fmt_i64(key, i == 0 ? 0 : k->key_id);
		str_fmt_i64(sp, spent[i] + cost);
		str_fmt_i64(bu, budgets[i]);
		if (api_db_tenant_begin(k->c) != ERR_OK ||
		    api_db_tenant_end(
			k->c, api_sql(k->c, NULL, "SELECT tollgate_ai_budget_warn($1, $2, $3, $4)",
				      4, params)) != ERR_OK)
			log_warnx("AI: a budget warning could not be recorded");
	}
}

/* Tells every node that a provider (or one of its models) is failing: they read it with
 * the targets of their next request. A failure to write it only leaves the others to find
 * out for themselves. */
static void cool_everywhere(struct call *k, const struct target *t, bool model_only)
{
	char provider[24], ms[24];
	const char *params[3] = {provider, model_only ? t->model : "", ms};

	str_fmt_i64(provider, t->provider_id);
	str_fmt_i64(ms, k->c->app->cfg->ai_cooldown_ms);
	if (k->c->app->cfg->ai_cooldown_ms <= 0)
		return;
	if (api_sql(
		k->c, NULL,
		"WITH gone AS (DELETE FROM ai_cooldowns WHERE until < now() - interval '1 hour') "
		"INSERT INTO ai_cooldowns (provider, model, until) "
		"VALUES ($1, $2, now() + make_interval(secs => $3::bigint / 1000.0)) "
		"ON CONFLICT (provider, model) DO UPDATE SET until = EXCLUDED.until",
		3, params) != ERR_OK)
		log_warnx("AI: a cooldown could not be shared with the other nodes");
}

/* A POST to a target's provider: url and body as given, its key in the header its kind
 * takes (auth holds the Bearer line), the pool's connect timeout, and the SSRF check
 * before connecting (k is the callbacks' argument). The caller sets the rest. */
static void provider_request(struct call *k, const struct target *t, const struct buf *url,
			     const struct buf *body, struct http_header hd[3], char *auth,
			     size_t authlen, struct http_req *rq)
{
	memset(hd, 0, 3 * sizeof(hd[0]));
	if (t->anthropic) {
		const char *v = fcgi_param(k->c->rq, "HTTP_ANTHROPIC_VERSION");

		hd[0] = (struct http_header){"x-api-key", t->key};
		hd[1] = (struct http_header){"anthropic-version", v != NULL ? v : "2023-06-01"};
	} else if (t->key[0] != '\0') {
		snprintf(auth, authlen, "Bearer %s", t->key);
		hd[0] = (struct http_header){"Authorization", auth};
	}
	memset(rq, 0, sizeof(*rq));
	rq->method = "POST";
	rq->url = url->p;
	rq->content_type = "application/json";
	rq->headers = hd;
	rq->body = body->p;
	rq->len = body->len;
	rq->max_response = AI_MAX_ANSWER;
	rq->allow_addr = provider_addr_ok;
	rq->arg = k;
	rq->connect_ms = k->c->app->cfg->ai_connect_timeout_ms;
}

/* Calls the targets in turn until one answers. */
static enum err run(struct call *k)
{
	const struct config *cfg = k->c->app->cfg;
	struct state *st = k->c->app->state;
	struct buf body, url;
	char auth[600], why[400] = "", money[32], tried[512] = "";
	size_t used;
	struct http_header hd[4];
	int i, attempts = 0, skipped = 0;
	int64_t now = state_clock_ms(st), soonest = 0, left = k->left, cost;
	bool timed_out = false;
	enum err e = ERR_OK;

	if (k->over_budget)
		return problem(k->c, 402, PROB_BUDGET_EXCEEDED,
			       "An AI budget is spent (the account's, the key's or the team's, "
			       "for the month or the day); it renews with the next one.");
	if (left >= 0 && max_cost(k) > left)
		return problem(k->c, 402, PROB_BUDGET_EXCEEDED,
			       "What is left of an AI budget cannot cover this request's largest "
			       "cost (its prompt and max_tokens).");
	pick_first(k);
	buf_init(&body, AI_MAX_ANSWER);
	buf_init(&url, 1024);
	buf_init(&k->body, AI_MAX_ANSWER);
	buf_init(&k->line, AI_MAX_LINE);
	buf_init(&k->out, AI_MAX_LINE);
	for (i = 0; i < k->nt && !k->started && !k->client_gone; i++) {
		const struct target *t = &k->t[i];
		int64_t until = ai_cooldown_until(st, t->provider_id, now), m;

		if ((m = ai_cooldown_until(st, model_key(t), now)) > until)
			until = m;
		if (t->cool_ms > now && t->cool_ms > until)
			until = t->cool_ms; /* another node found it failing */
		struct http_req rq;
		char msg[256];
		int status = 0;

		if (until > 0) {
			skipped++;
			soonest = soonest == 0 || until < soonest ? until : soonest;
			continue;
		}
		k->at = t;
		k->xlate = (k->shape == SHAPE_OPENAI_CHAT && t->anthropic) ||
			   (k->shape == SHAPE_ANTHROPIC && !t->anthropic);
		if (k->xlate && k->stream) {
			bool usage = false;

			(void)jsonx_get_bool(k->req, "stream_options.include_usage", &usage);
			ai_stream_xlate_init(&k->sx, k->shape == SHAPE_OPENAI_CHAT, k->model,
					     usage);
		}
		k->status = 0;
		k->usage_seen = false;
		k->in_tok = k->out_tok = 0;
		buf_reset(&k->body);
		if (!provider_body(k, t, &body)) {
			e = ERR_SYS;
			break;
		}
		buf_reset(&url);
		buf_printf(&url, "%s%s", t->base_url,
			   t->anthropic			  ? "/v1/messages"
			   : k->shape == SHAPE_EMBEDDINGS ? "/embeddings"
							  : "/chat/completions");
		provider_request(k, t, &url, &body, hd, auth, sizeof(auth), &rq);
		rq.timeout_ms = cfg->ai_timeout_ms;
		rq.on_data = on_body;
		rq.on_tick = on_tick;
		rq.first_byte_ms = cfg->ai_first_byte_timeout_ms;
		rq.idle_ms = cfg->ai_idle_timeout_ms;
		attempts++;
		e = http_send(client, &rq, &status, &k->body, msg, sizeof(msg));
		cryptox_wipe(auth, sizeof(auth));
		if (k->status == 0)
			k->status = status;
		if (k->client_gone)
			break;
		if (e == ERR_OK && k->status >= 200 && k->status <= 299) {
			struct jsonx_doc *d = NULL;

			if (k->started)
				break; /* a whole stream */
			if (jsonx_parse(k->body.p ? k->body.p : "", k->body.len, &d, msg,
					sizeof(msg)) == ERR_OK) {
				bool ok = true;

				take_usage(k, d);
				if (k->xlate) {
					buf_reset(&k->out);
					ok = k->shape == SHAPE_ANTHROPIC
						 ? ai_answer_to_anthropic(d, k->model, &k->out)
						 : ai_answer_to_openai(d, k->model, &k->out);
					buf_reset(&k->body);
					buf_append(&k->body, k->out.p, k->out.len);
				}
				jsonx_doc_free(d);
				if (ok)
					break;
			}
			snprintf(why, sizeof(why), "%s answered %d with a body that is not JSON",
				 t->provider, k->status);
		} else if (e == ERR_OK && !worth_falling_back(k->status)) {
			break; /* the caller's request is at fault: the provider says why */
		} else if (e == ERR_OK) {
			snprintf(why, sizeof(why), "%s answered %d", t->provider, k->status);
		} else {
			timed_out = e == ERR_TIMEOUT;
			snprintf(why, sizeof(why), "%s: %s", t->provider, msg);
			if (k->started)
				break; /* a stream cut short: nothing can be taken back */
		}
		log_warnx("AI: %s; %s", why,
			  i + 1 < k->nt ? "trying the next provider" : "none left");
		used = strlen(tried);
		snprintf(tried + used, sizeof(tried) - used, "%s%s", used ? ", " : "", t->provider);
		count(k->c, METRIC_AI_FALLBACKS, 1);
		ai_cooldown_set(st, e == ERR_OK || e == ERR_TIMEOUT ? model_key(t) : t->provider_id,
				state_clock_ms(st) + cfg->ai_cooldown_ms);
		cool_everywhere(k, t, e == ERR_OK || e == ERR_TIMEOUT);
		e = ERR_UPSTREAM;
		k->status = 0;
	}
	for (i = 0; i < k->nt; i++)
		cryptox_wipe(k->t[i].key, sizeof(k->t[i].key));
	buf_free(&body);
	buf_free(&url);

	if (k->client_gone) {
		/* The caller left: the provider's call was stopped. What it reported is kept. */
		if (k->at != NULL && k->usage_seen)
			(void)meter(k);
		log_info("AI: the caller went away; the provider call was stopped");
		count(k->c, METRIC_AI_CANCELLED, 1);
		e = ERR_OK;
	} else if (k->started) {
		count(k->c, METRIC_AI_ANSWERED, 1);
		/* A stream: its events went out; the usage it reported is metered, and the
		 * cost and what is left of the budget end it, as an SSE comment. */
		if (k->xlate) {
			buf_reset(&k->out);
			ai_stream_xlate_end(&k->sx, &k->out);
			(void)fcgi_stream_write(k->c->rq, k->c->rs, k->out.p, k->out.len);
		}
		cost = meter(k);
		budget_warn(k, cost);
		str_fmt_micros(cost, money, sizeof(money));
		buf_reset(&k->line);
		buf_printf(&k->line, ": tollgate tokens=%lld cost=%s",
			   (long long)(k->in_tok + k->out_tok), money);
		if (left >= 0) {
			str_fmt_micros(left > cost ? left - cost : 0, money, sizeof(money));
			buf_printf(&k->line, " budget_remaining=%s", money);
		}
		buf_puts(&k->line, "\n\n");
		(void)fcgi_stream_write(k->c->rq, k->c->rs, k->line.p, k->line.len);
		e = ERR_OK;
	} else if (k->at != NULL && k->status >= 200 && k->status <= 299) {
		count(k->c, METRIC_AI_ANSWERED, 1);
		cost = meter(k);
		budget_warn(k, cost);
		k->c->rs->status = 200;
		fcgi_header(k->c->rs, "Content-Type", "application/json");
		ai_headers(k, attempts);
		fcgi_headerf(k->c->rs, "X-Tollgate-AI-Tokens", "%lld",
			     (long long)(k->in_tok + k->out_tok));
		str_fmt_micros(cost, money, sizeof(money));
		fcgi_header(k->c->rs, "X-Tollgate-AI-Cost", money);
		if (left >= 0) {
			str_fmt_micros(left > cost ? left - cost : 0, money, sizeof(money));
			fcgi_header(k->c->rs, "X-Tollgate-Budget-Remaining", money);
		}
		buf_append(&k->c->rs->body, k->body.p, k->body.len);
		e = ERR_OK;
	} else if (k->at != NULL && k->status >= 400 && k->status <= 499 && k->status != 401 &&
		   k->status != 403 && k->status != 429 && k->status != 408) {
		/* The provider found fault with the caller's request: its words, as it said
		 * them (an SDK reads them). */
		k->c->rs->status = k->status;
		fcgi_header(k->c->rs, "Content-Type", "application/json");
		ai_headers(k, attempts);
		buf_append(&k->c->rs->body, k->body.p, k->body.len);
		e = ERR_OK;
	} else if (k->at != NULL && (k->status == 401 || k->status == 403)) {
		log_warnx("AI: %s refused the gateway's credentials (%d)", k->at->provider,
			  k->status);
		e = problem(k->c, 502, PROB_PROVIDERS_FAILED,
			    "The AI provider refused the gateway's credentials; the account's "
			    "provider settings need fixing.");
	} else if (attempts == 0 && skipped > 0) {
		count(k->c, METRIC_AI_FAILED, 1);
		fcgi_headerf(k->c->rs, "Retry-After", "%lld",
			     (long long)((soonest - now + 999) / 1000));
		e = problem(k->c, 503, PROB_PROVIDERS_FAILED,
			    "Every provider of this model failed recently and is cooling down; "
			    "retry after the time in Retry-After.");
	} else if (e == ERR_SYS) {
		k->c->detail = "The request could not be prepared for the provider.";
	} else {
		count(k->c, METRIC_AI_FAILED, 1);
		buf_reset(&k->line);
		buf_printf(&k->line, "Every provider of this model failed (%s).",
			   tried[0] ? tried : "none could be called");
		k->c->detail = arena_strndup(k->c->arena, k->line.p, k->line.len);
		e = problem(k->c, timed_out && attempts == 1 ? 504 : 502,
			    timed_out && attempts == 1 ? PROB_PROVIDER_TIMEOUT
						       : PROB_PROVIDERS_FAILED,
			    k->c->detail);
	}
	buf_free(&k->body);
	buf_free(&k->line);
	buf_free(&k->out);
	return e;
}

/* --- caches ----------------------------------------------------------------------------- */

/* Whether a request may be served from a cache and its answer kept: not a stream, the
 * tenant keeps answers, the caller did not say no-cache, and the answer would be the same
 * again (temperature 0, or embeddings) unless the tenant takes any. */
static bool cacheable(const struct call *k)
{
	const char *cc = fcgi_param(k->c->rq, "HTTP_CACHE_CONTROL");
	double t = 1;

	if (k->stream || k->cache_ttl <= 0)
		return false;
	if (cc != NULL && (strstr(cc, "no-cache") != NULL || strstr(cc, "no-store") != NULL))
		return false;
	if (k->shape == SHAPE_EMBEDDINGS || k->cache_any)
		return true;
	return jsonx_get_num(k->req, "temperature", &t) && t == 0;
}

/* The exact cache's key: the API's shape and the request as canonical JSON (members in
 * order). The end user's id ("user"), when sent, is part of it: one user's answers are
 * not served to another. */
static bool cache_key(struct call *k)
{
	struct buf b;
	char hex[65];
	bool ok;

	buf_init(&b, AI_MAX_ANSWER);
	buf_printf(&b, "%d:", (int)k->shape);
	ok = jsonx_dump_canonical(k->req, &b) && !b.overflow;
	if (ok) {
		cryptox_sha256_hex(b.p, b.len, hex);
		ok = codec_unhex(hex, 64, k->hash, sizeof(k->hash));
	}
	buf_free(&b);
	return ok;
}

static enum err exact_lookup(struct call *k)
{
	char tenant[24], hash[2 * 32 + 3];
	const char *params[2] = {tenant, hash};
	struct sql_res *r;
	enum err e;

	str_fmt_i64(tenant, k->tenant_id);
	sql_bytea_param(k->hash, sizeof(k->hash), hash, sizeof(hash));
	if ((e = api_sql(k->c, &r,
			 "SELECT body FROM ai_cache WHERE tenant_id = $1 AND hash = $2 "
			 "AND expires_at > now()",
			 2, params)) != ERR_OK)
		return e;
	if (sql_rows(r) == 1)
		k->cached = sql_get(r, 0, 0); /* the result lives as long as the arena */
	return ERR_OK;
}

/* The text the semantic cache compares: the last user turn's. */
static void prompt_of(struct call *k)
{
	size_t n = 0;
	struct jsonx_doc *m;
	struct buf b;
	const char *s;

	k->prompt[0] = '\0';
	if (!jsonx_get_len(k->req, "messages", &n) || n == 0 ||
	    !jsonx_get_elem(k->req, "messages", n - 1, &m))
		return;
	buf_init(&b, sizeof(k->prompt) - 1);
	if (jsonx_get_str(m, "content", &s))
		buf_puts(&b, s);
	else if (jsonx_get_len(m, "content", &n)) {
		size_t i;

		for (i = 0; i < n; i++) {
			struct jsonx_doc *part;

			if (jsonx_get_elem(m, "content", i, &part)) {
				if (jsonx_get_str(part, "text", &s))
					buf_puts(&b, s);
				jsonx_doc_free(part);
			}
		}
	}
	if (b.len > 0)
		str_lcpy(k->prompt, b.p,
			 b.len + 1 < sizeof(k->prompt) ? b.len + 1 : sizeof(k->prompt));
	buf_free(&b);
	jsonx_doc_free(m);
}

/* The prompt's embedding through the tenant's semantic alias (an OpenAI-compatible
 * embeddings model), metered like any call; false when none could be had. */
static bool embed_prompt(struct call *k)
{
	struct state *st = k->c->app->state;
	const struct config *cfg = k->c->app->cfg;
	struct call e;
	struct buf body, url, out;
	char auth[600], msg[256];
	struct http_header hd[3];
	bool ok = false;
	int i;

	memset(&e, 0, sizeof(e));
	e.c = k->c;
	e.shape = SHAPE_EMBEDDINGS;
	e.tenant_id = k->tenant_id;
	e.key_id = k->key_id;
	e.model = k->semantic_alias;
	if (api_db_tenant_begin(k->c) != ERR_OK)
		return false;
	if (api_db_tenant_end(k->c, load_targets(&e)) != ERR_OK)
		return false;
	buf_init(&body, 64 * 1024);
	buf_init(&url, 1024);
	buf_init(&out, AI_MAX_ANSWER);
	for (i = 0; i < e.nt && !ok; i++) {
		const struct target *t = &e.t[i];
		struct jsonx_w w;
		struct jsonx_doc *d = NULL;
		struct http_req rq;
		size_t n = 0, j;
		int status = 0;
		int64_t v;

		if (ai_cooldown_until(st, t->provider_id, state_clock_ms(st)) > 0)
			continue;
		buf_reset(&body);
		jsonx_w_init(&w, &body);
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "model", t->model);
		jsonx_kstr(&w, "input", k->prompt);
		jsonx_kstr(&w, "encoding_format", "float");
		jsonx_obj_close(&w);
		buf_reset(&url);
		buf_printf(&url, "%s/embeddings", t->base_url);
		e.at = t;
		provider_request(&e, t, &url, &body, hd, auth, sizeof(auth), &rq);
		rq.timeout_ms = cfg->ai_first_byte_timeout_ms;
		if (http_send(client, &rq, &status, &out, msg, sizeof(msg)) != ERR_OK ||
		    status != 200 ||
		    jsonx_parse(out.p ? out.p : "", out.len, &d, msg, sizeof(msg)) != ERR_OK) {
			log_warnx("AI: semantic cache: %s gave no embedding (%d)", t->provider,
				  status);
			continue;
		}
		if (jsonx_get_len(d, "data", &n) && n > 0) {
			struct jsonx_doc *first;

			if (jsonx_get_elem(d, "data", 0, &first)) {
				if (jsonx_get_len(first, "embedding", &n) && n > 0 &&
				    n <= AI_MAX_DIMS) {
					for (j = 0; j < n; j++) {
						struct jsonx_doc *x;
						double f = 0;

						if (jsonx_get_elem(first, "embedding", j, &x)) {
							(void)jsonx_get_num(x, "", &f);
							jsonx_doc_free(x);
						}
						k->vec[j] = (float)f;
					}
					k->dims = (int)n;
					ok = true;
				}
				jsonx_doc_free(first);
			}
		}
		e.in_tok = jsonx_get_int(d, "usage.prompt_tokens", &v) ? v : 0;
		e.out_tok = 0;
		(void)meter(&e);
		jsonx_doc_free(d);
	}
	cryptox_wipe(auth, sizeof(auth));
	for (i = 0; i < AI_MAX_TARGETS; i++)
		cryptox_wipe(e.t[i].key, sizeof(e.t[i].key));
	buf_free(&body);
	buf_free(&url);
	buf_free(&out);
	return ok;
}

/* Each AI worker keeps the embeddings of a few (tenant, model) pairs in memory, read again
 * from PostgreSQL when older than SEMANTIC_FRESH_MS (answers other workers kept). */
#define SEMANTIC_INDEXES  8
#define SEMANTIC_MAX	  2000 /* entries per index, the newest */
#define SEMANTIC_FRESH_MS 2000

struct semantic_index {
	int64_t tenant_id;
	char model[136];
	int64_t loaded_ms; /* CLOCK_MONOTONIC; 0: empty */
	int n, dims;
	int64_t *ids;
	float *vecs; /* n x dims, each normalised */
};

static struct semantic_index indexes[SEMANTIC_INDEXES];

static void normalise(float *v, int n)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += (double)v[i] * v[i];
	if (sum <= 0)
		return;
	sum = 1.0 / sqrt(sum);
	for (i = 0; i < n; i++)
		v[i] = (float)(v[i] * sum);
}

static struct semantic_index *index_for(struct call *k)
{
	struct semantic_index *x = NULL, *oldest = &indexes[0];
	int64_t now = state_mono_ns() / 1000000;
	char tenant[24], dims[16], lim[16];
	const char *params[4] = {tenant, k->model, dims, lim};
	struct sql_res *r;
	int i, n;

	for (i = 0; i < SEMANTIC_INDEXES; i++) {
		if (indexes[i].tenant_id == k->tenant_id && strcmp(indexes[i].model, k->model) == 0)
			x = &indexes[i];
		if (indexes[i].loaded_ms < oldest->loaded_ms)
			oldest = &indexes[i];
	}
	if (x != NULL && x->dims == k->dims && now - x->loaded_ms < SEMANTIC_FRESH_MS)
		return x;
	if (x == NULL)
		x = oldest;
	str_fmt_i64(tenant, k->tenant_id);
	str_fmt_i64(dims, k->dims);
	str_fmt_i64(lim, SEMANTIC_MAX);
	if (api_db_tenant_begin(k->c) != ERR_OK)
		return NULL;
	if (api_db_tenant_end(k->c,
			      api_sql(k->c, &r,
				      "SELECT id, embedding FROM ai_semantic "
				      "WHERE tenant_id = $1 AND model = $2 AND expires_at > now() "
				      "AND array_length(embedding, 1) = $3::int "
				      "ORDER BY id DESC LIMIT $4::int",
				      4, params)) != ERR_OK)
		return NULL;
	free(x->ids);
	free(x->vecs);
	memset(x, 0, sizeof(*x));
	n = sql_rows(r);
	x->ids = calloc((size_t)(n > 0 ? n : 1), sizeof(*x->ids));
	x->vecs = calloc((size_t)(n > 0 ? n : 1) * (size_t)k->dims, sizeof(*x->vecs));
	if (x->ids == NULL || x->vecs == NULL)
		abort();
	for (i = 0; i < n; i++) {
		float *v = &x->vecs[(size_t)x->n * (size_t)k->dims];

		if (!sql_get_floats(r, i, 1, v, k->dims))
			continue;
		normalise(v, k->dims);
		x->ids[x->n++] = sql_get_i64(r, i, 0);
	}
	x->tenant_id = k->tenant_id;
	str_lcpy(x->model, k->model, sizeof(x->model));
	x->dims = k->dims;
	x->loaded_ms = now;
	return x;
}

/* The closest cached prompt of this model; its similarity in *sim, or -1 when none. */
static int64_t semantic_best(struct call *k, double *sim)
{
	struct semantic_index *x = index_for(k);
	int64_t best = -1;
	int i, j;

	*sim = -1;
	if (x == NULL)
		return -1;
	for (i = 0; i < x->n; i++) {
		const float *v = &x->vecs[(size_t)i * (size_t)x->dims];
		double dot = 0;

		for (j = 0; j < x->dims; j++)
			dot += (double)v[j] * k->vec[j];
		if (dot > *sim) {
			*sim = dot;
			best = x->ids[i];
		}
	}
	return best;
}

static enum err semantic_lookup(struct call *k, char *why, size_t n)
{
	char tenant[24], id[24];
	const char *params[2] = {tenant, id};
	struct sql_res *r;
	double sim;
	int64_t best;
	enum err e;

	why[0] = '\0';
	normalise(k->vec, k->dims);
	if ((best = semantic_best(k, &sim)) < 0 || sim < k->semantic_threshold)
		return ERR_OK;
	str_fmt_i64(tenant, k->tenant_id);
	str_fmt_i64(id, best);
	if ((e = api_db_tenant_begin(k->c)) != ERR_OK)
		return e;
	e = api_sql(k->c, &r,
		    "SELECT body, extract(epoch FROM now() - created_at)::bigint FROM ai_semantic "
		    "WHERE tenant_id = $1 AND id = $2 AND expires_at > now()",
		    2, params);
	if ((e = api_db_tenant_end(k->c, e)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_OK;
	k->cached = sql_get(r, 0, 0);
	snprintf(why, n, "similarity %.3f >= %.3f with entry %lld, kept %llds ago", sim,
		 k->semantic_threshold, (long long)best, (long long)sql_get_i64(r, 0, 1));
	return ERR_OK;
}

/* Keeps a fresh answer in the exact cache (and the semantic one, when the prompt has an
 * embedding). A failure to keep it is logged, never the caller's problem. */
static void cache_store(struct call *k)
{
	const struct buf *body = &k->c->rs->body;
	char tenant[24], hash[2 * 32 + 3], ttl[24], vec[AI_MAX_DIMS * 16 + 4];
	const char *params[5] = {tenant, hash, NULL, ttl, NULL};
	size_t used = 0;
	enum err e;
	int i;

	if (body->len == 0 || body->len > AI_MAX_CACHED)
		return;
	str_fmt_i64(tenant, k->tenant_id);
	str_fmt_i64(ttl, k->cache_ttl);
	sql_bytea_param(k->hash, sizeof(k->hash), hash, sizeof(hash));
	params[2] = arena_strndup(k->c->arena, body->p, body->len);
	if (params[2] == NULL || (e = api_db_tenant_begin(k->c)) != ERR_OK)
		return;
	e = api_sql(k->c, NULL,
		    "INSERT INTO ai_cache (tenant_id, hash, body, expires_at) "
		    "VALUES ($1, $2, $3, now() + make_interval(secs => $4::int)) "
		    "ON CONFLICT (tenant_id, hash) DO UPDATE SET body = EXCLUDED.body, "
		    "created_at = now(), expires_at = EXCLUDED.expires_at",
		    4, params);
	if (e == ERR_OK)
		e = api_sql(k->c, NULL,
			    "DELETE FROM ai_cache WHERE ctid IN (SELECT ctid FROM ai_cache "
			    "WHERE tenant_id = $1 AND expires_at < now() LIMIT 100)",
			    1, params);
	if (e == ERR_OK && k->dims > 0) {
		vec[used++] = '{';
		for (i = 0; i < k->dims && used < sizeof(vec) - 20; i++)
			used += (size_t)snprintf(vec + used, sizeof(vec) - used, "%s%.7g",
						 i ? "," : "", (double)k->vec[i]);
		vec[used++] = '}';
		vec[used] = '\0';
		{
			const char *sp[6] = {tenant, k->model, vec, k->prompt, params[2], ttl};

			e = api_sql(
			    k->c, NULL,
			    "INSERT INTO ai_semantic (tenant_id, model, embedding, prompt, "
			    "body, expires_at) VALUES ($1, $2, $3::real[], left($4, 200), $5, "
			    "now() + make_interval(secs => $6::int))",
			    6, sp);
		}
		if (e == ERR_OK)
			e = api_sql(
			    k->c, NULL,
			    "DELETE FROM ai_semantic WHERE id IN (SELECT id FROM ai_semantic "
			    "WHERE tenant_id = $1 AND expires_at < now() LIMIT 100)",
			    1, params);
		/* This worker's index reads the new entry at its next look. */
		for (i = 0; i < SEMANTIC_INDEXES; i++)
			if (indexes[i].tenant_id == k->tenant_id &&
			    strcmp(indexes[i].model, k->model) == 0)
				indexes[i].loaded_ms = 0;
	}
	if (api_db_tenant_end(k->c, e) != ERR_OK)
		log_warnx("AI: an answer could not be kept in the cache");
}

/* What a JWT caller's team spent, for the team budgets (ai_team_spend, per day). */
static void team_spend(struct call *k)
{
	char tenant[24], cost[24], tokens[24];
	const char *params[4] = {tenant, k->team, cost, tokens};

	str_fmt_i64(tenant, k->tenant_id);
	str_fmt_i64(cost, k->cost);
	str_fmt_i64(tokens, k->in_tok + k->out_tok);
	if (api_db_tenant_begin(k->c) != ERR_OK ||
	    api_db_tenant_end(
		k->c,
		api_sql(k->c, NULL,
			"INSERT INTO ai_team_spend (tenant_id, team, day, cost_micros, tokens) "
			"VALUES ($1, left($2, 128), (now() AT TIME ZONE 'UTC')::date, $3, $4) "
			"ON CONFLICT (tenant_id, team, day) DO UPDATE SET "
			"cost_micros = ai_team_spend.cost_micros + EXCLUDED.cost_micros, "
			"tokens = ai_team_spend.tokens + EXCLUDED.tokens",
			4, params)) != ERR_OK)
		log_warnx("AI: a team's spending could not be recorded");
}

/* An answer to keep in the caches once it has been sent (ai_settle, the pool's hook after
 * the answer is written): the caller does not wait for PostgreSQL. The request's context
 * (its response, arena and database connection) lives until then. */
static struct call *to_keep;
static struct hctx keep_ctx;

static void keep_later(const struct call *k)
{
	if (to_keep == NULL && (to_keep = malloc(sizeof(*to_keep))) == NULL)
		abort();
	*to_keep = *k;
	keep_ctx = *k->c;
	to_keep->c = &keep_ctx;
	to_keep->req = NULL; /* freed with the request; the store needs none of it */
}

void ai_settle(struct app *app, const struct gate_admit *a, bool delivered)
{
	(void)app;
	(void)a;
	(void)delivered; /* an answer the caller did not get is still a good answer */
	if (to_keep == NULL || to_keep->c == NULL)
		return;
	if (to_keep->store)
		cache_store(to_keep);
	if (to_keep->team[0] != '\0' && to_keep->cost > 0)
		team_spend(to_keep);
	cryptox_wipe(to_keep, sizeof(*to_keep));
	to_keep->c = NULL;
}

/* An answer from a cache: as the provider gave it, nothing metered, nothing called. */
static enum err serve_cached(struct call *k, const char *how, const char *why)
{
	count(k->c, METRIC_AI_CACHE_HITS, 1);
	k->c->rs->status = 200;
	fcgi_header(k->c->rs, "Content-Type", "application/json");
	fcgi_header(k->c->rs, "X-Tollgate-Cache", how);
	if (why != NULL && why[0] != '\0')
		fcgi_header(k->c->rs, "X-Tollgate-Cache-Explanation", why);
	fcgi_header(k->c->rs, "X-Tollgate-AI-Tokens", "0");
	fcgi_header(k->c->rs, "X-Tollgate-AI-Cost", "0.000000");
	buf_puts(&k->c->rs->body, k->cached);
	return ERR_OK;
}

/* Tokens per minute, per key and per tenant, on this node: a 429 when the minute's are
 * spent (the answer that spends them is let through whole). */
static bool over_tpm(struct call *k)
{
	struct state *st = k->c->app->state;
	int64_t now = state_clock_ms(st), minute = now / 60000;

	if ((k->key_tpm >= 0 && tpm_used(st, k->key_id, minute) >= k->key_tpm) ||
	    (k->tpm >= 0 && tpm_used(st, -k->tenant_id, minute) >= k->tpm)) {
		fcgi_headerf(k->c->rs, "Retry-After", "%lld",
			     (long long)((minute + 1) * 60000 - now + 999) / 1000);
		return true;
	}
	return false;
}

static enum err handle(struct hctx *c, enum api_shape shape)
{
	struct call k;
	char msg[160], why[200];
	enum err e;

	memset(&k, 0, sizeof(k));
	k.c = c;
	k.shape = shape;
	if (!admitted(c, &k.tenant_id, &k.key_id))
		return problem(c, 404, PROB_NOT_FOUND, "No such resource.");
	e = fcgi_read_body(c->rq, (size_t)c->app->cfg->ai_max_body);
	if (e == ERR_TOOBIG)
		return problem(c, 413, PROB_TOO_LARGE,
			       "The request body is larger than AI routes accept.");
	if (e != ERR_OK)
		return e;
	if (jsonx_parse(c->rq->body.p ? c->rq->body.p : "", c->rq->body.len, &k.req, msg,
			sizeof(msg)) != ERR_OK) {
		c->detail = arena_strndup(c->arena, msg, strlen(msg));
		return problem(c, 400, PROB_INVALID_BODY, c->detail);
	}
	if (!jsonx_get_str(k.req, "model", &k.model) || k.model[0] == '\0' ||
	    strlen(k.model) > 256) {
		jsonx_doc_free(k.req);
		c->parameter = "model";
		return problem(c, 400, PROB_INVALID_BODY, "model must be a non-empty string.");
	}
	k.model = arena_strndup(c->arena, k.model, strlen(k.model)); /* the doc changes */
	if ((k.team = fcgi_param(c->rq, "HTTP_X_TOLLGATE_TEAM")) == NULL)
		k.team = "";
	(void)jsonx_get_bool(k.req, "stream", &k.stream);
	if (shape == SHAPE_EMBEDDINGS)
		k.stream = false;
	/* The tenant's settings, in its own transaction (row-level security), closed before
	 * any provider is called: a stream may last minutes. */
	c->tenant_id = k.tenant_id;
	if ((e = api_db_open(c)) == ERR_OK && (e = api_db_tenant_begin(c)) == ERR_OK) {
		e = load_targets(&k);
		if (e == ERR_OK && k.nt > 0 && (e = load_settings(&k)) == ERR_LIMIT) {
			k.over_budget = true;
			e = ERR_OK;
		}
		if (e == ERR_OK && k.nt > 0 && !k.over_budget && (k.cacheable = cacheable(&k)) &&
		    cache_key(&k))
			e = exact_lookup(&k);
		e = api_db_tenant_end(c, e);
	}
	if (e == ERR_OK && k.nt == 0) {
		c->parameter = "model";
		e = problem(c, 404, PROB_MODEL_NOT_FOUND,
			    "No model or alias by that name is set up for this account (GET the "
			    "models route for the list).");
	} else if (e == ERR_OK && k.cached != NULL) {
		e = serve_cached(&k, "hit", NULL);
	} else if (e == ERR_OK && !k.over_budget && over_tpm(&k)) {
		e = problem(c, 429, PROB_RATE_LIMITED,
			    "The tokens per minute of this key or account are spent; see "
			    "Retry-After.");
	} else if (e == ERR_OK) {
		if (k.cacheable && k.semantic_alias[0] != '\0' && k.shape != SHAPE_EMBEDDINGS) {
			prompt_of(&k);
			if (k.prompt[0] != '\0' && embed_prompt(&k) &&
			    (e = semantic_lookup(&k, why, sizeof(why))) == ERR_OK &&
			    k.cached != NULL)
				e = serve_cached(&k, "semantic-hit", why);
		}
		if (e == ERR_OK && k.cached == NULL) {
			if (k.cacheable)
				fcgi_header(c->rs, "X-Tollgate-Cache", "miss");
			else if (k.cache_ttl > 0)
				fcgi_header(c->rs, "X-Tollgate-Cache", "bypass");
			e = run(&k);
			k.store =
			    e == ERR_OK && k.cacheable && c->rs->status == 200 && !c->rq->streamed;
			if (k.store || (k.team[0] != '\0' && k.cost > 0))
				keep_later(&k);
		}
	}
	for (int i = 0; i < AI_MAX_TARGETS; i++)
		cryptox_wipe(k.t[i].key, sizeof(k.t[i].key));
	jsonx_doc_free(k.req);
	return e;
}

enum err ai_chat(struct hctx *c)
{
	return handle(c, SHAPE_OPENAI_CHAT);
}

enum err ai_messages(struct hctx *c)
{
	return handle(c, SHAPE_ANTHROPIC);
}

enum err ai_embeddings(struct hctx *c)
{
	return handle(c, SHAPE_EMBEDDINGS);
}

enum err ai_models(struct hctx *c)
{
	bool anthropic = fcgi_param(c->rq, "HTTP_ANTHROPIC_VERSION") != NULL;
	char tenant[24];
	const char *params[1] = {tenant};
	int64_t tenant_id, key_id;
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;
	int i;

	if (!admitted(c, &tenant_id, &key_id))
		return problem(c, 404, PROB_NOT_FOUND, "No such resource.");
	str_fmt_i64(tenant, tenant_id);
	c->tenant_id = tenant_id;
	if ((e = api_db_open(c)) != ERR_OK || (e = api_db_tenant_begin(c)) != ERR_OK)
		return e;
	e = api_sql(c, &r,
		    "SELECT name, extract(epoch FROM created_at)::bigint, "
		    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
		    "FROM ai_aliases WHERE tenant_id = $1 ORDER BY name",
		    1, params);
	if ((e = api_db_tenant_end(c, e)) != ERR_OK)
		return e;
	fcgi_header(c->rs, "Content-Type", "application/json");
	jsonx_w_init(&w, &c->rs->body);
	jsonx_obj_open(&w);
	if (anthropic) /* Anthropic's SDK lists models in its own shape */
		jsonx_kbool(&w, "has_more", false);
	else
		jsonx_kstr(&w, "object", "list");
	jsonx_key(&w, "data");
	jsonx_arr_open(&w);
	for (i = 0; i < sql_rows(r); i++) {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "id", sql_get(r, i, 0));
		if (anthropic) {
			jsonx_kstr(&w, "type", "model");
			jsonx_kstr(&w, "display_name", sql_get(r, i, 0));
			jsonx_kstr(&w, "created_at", sql_get(r, i, 2));
		} else {
			jsonx_kstr(&w, "object", "model");
			jsonx_kint(&w, "created", sql_get_i64(r, i, 1));
			jsonx_kstr(&w, "owned_by", "tollgate");
		}
		jsonx_obj_close(&w);
	}
	jsonx_arr_close(&w);
	if (anthropic) {
		jsonx_kstr(&w, "first_id", sql_rows(r) > 0 ? sql_get(r, 0, 0) : NULL);
		jsonx_kstr(&w, "last_id", sql_rows(r) > 0 ? sql_get(r, sql_rows(r) - 1, 0) : NULL);
	}
	jsonx_obj_close(&w);
	return ERR_OK;
}
