/* Gray-zone clients -> one redacted call per batch to the LLM provider -> cached verdicts. */
#include "judge.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/cryptox.h"
#include "../../lib/http.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/str.h"
#include "engine.h"

#ifndef TOLLGATE_VERSION
#define TOLLGATE_VERSION "dev"
#endif

#define MS_NS		  1000000LL
#define TICK_MS		  20		  /* how often the rings are looked at */
#define GATHER_MS	  200		  /* how long a client waits for others to share its call */
#define STALE_NS	  (60000 * MS_NS) /* the engine asks again about a client after a minute */
#define BACKOFF_MIN_MS	  1000
#define BACKOFF_MAX_MS	  30000
#define MAX_SECRET	  600
#define ANTHROPIC_VERSION "2023-06-01"

static const char system_prompt[] =
    "You review clients of an API gateway that its abuse heuristics placed in a gray zone: "
    "suspicious enough to flag or slow down, not clear enough to block. For each client you "
    "get an opaque label, what identifies it (an API key or only its address), its network "
    "(a /24 or /48, never a full address), the route template it called last, its "
    "User-Agent family, the heuristic rules that fired, the rule or model that decided, the "
    "heuristic score (0 to 1) and feature values: ip_rate and key_rate are log1p(requests "
    "per minute)/5, the *_ratio features are shares from 0 to 1 (less when resting on fewer than "
    "five "
    "answers), distinct_routes is log1p(distinct routes in ten minutes)/5, distinct_keys "
    "log1p(distinct keys from the address beyond the first)/3, payload_z a capped body-size "
    "z-score/10, burstiness the 10-second rate over "
    "the 10-minute rate/20, ua_scripted 1 for no User-Agent or a scripting tool, "
    "net_failures log1p(failed authentications in the network)/5. Decide for each client "
    "whether its traffic is abuse (scraping, enumeration, key guessing, flooding, probing) "
    "or benign (a buggy integration, a legitimate burst, a client retrying errors). Answer "
    "with one JSON object and nothing else, exactly of this shape: "
    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9}]} with one "
    "entry per client label you were given, \"verdict\" one of \"abuse\", \"benign\" or "
    "\"unsure\", and \"confidence\" a number from 0 to 1. No other keys, no prose, no "
    "Markdown.";

enum judge_verdict judge_verdict_of(const char *word, double confidence)
{
	bool sure = confidence >= JUDGE_MIN_CONFIDENCE;

	if (strcmp(word, "abuse") == 0)
		return sure ? JUDGE_ABUSE : JUDGE_UNSURE;
	if (strcmp(word, "benign") == 0)
		return sure ? JUDGE_BENIGN : JUDGE_UNSURE;
	if (strcmp(word, "unsure") == 0)
		return JUDGE_UNSURE;
	return JUDGE_NONE;
}

static bool is_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

void judge_network_text(const unsigned char ip[16], char *out, size_t n)
{
	static const unsigned char v4[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	unsigned char net[16];
	char text[INET6_ADDRSTRLEN];
	bool is_v4 = memcmp(ip, v4, 12) == 0;

	if (is_zero(ip, 16)) {
		snprintf(out, n, "unknown");
		return;
	}
	abuse_network_of(ip, net);
	if (inet_ntop(is_v4 ? AF_INET : AF_INET6, is_v4 ? net + 12 : net, text, sizeof(text)) ==
	    NULL) {
		snprintf(out, n, "unknown");
		return;
	}
	snprintf(out, n, "%s/%d", text, is_v4 ? 24 : 48);
}

static double or_zero(float v)
{
	return isfinite(v) ? (double)v : 0.0;
}

/* One client as the provider sees it: a JSON object, no secret, no full address. */
static void describe(struct buf *b, const struct judge_client *c)
{
	const struct state_gray *g = &c->g;
	char net[64];
	bool first = true;
	int f;

	judge_network_text(g->ip, net, sizeof(net));
	buf_puts(b, "{\"client\":");
	buf_json_str(b, c->label);
	buf_printf(b, ",\"identified_by\":\"%s\",\"network\":", g->key_id ? "api_key" : "address");
	buf_json_str(b, net);
	buf_puts(b, ",\"route\":");
	buf_json_str(b, g->route[0] ? g->route : "/");
	buf_puts(b, ",\"user_agent_family\":");
	buf_json_str(b, g->ua_family[0] ? g->ua_family : "none");
	buf_puts(b, ",\"rules_fired\":[");
	for (f = F_RULE0; f < F_RULE0 + RULE__MAX; f++) {
		if (g->features[f] < 0.5f)
			continue;
		buf_printf(b, "%s\"%s\"", first ? "" : ",",
			   abuse_feature_name((enum abuse_feature)f));
		first = false;
	}
	buf_puts(b, "],\"decided_by\":");
	buf_json_str(b, abuse_rule_name(g->reason));
	buf_printf(b, ",\"score\":%.3g,\"features\":{", or_zero(g->score));
	first = true;
	for (f = F_RULE0 + RULE__MAX; f < F__MAX; f++) {
		buf_printf(b, "%s\"%s\":%.3g", first ? "" : ",",
			   abuse_feature_name((enum abuse_feature)f), or_zero(g->features[f]));
		first = false;
	}
	buf_puts(b, "}}");
}

void judge_request_body(const struct config *cfg, const struct judge_client *cs, size_t n,
			struct buf *body)
{
	struct jsonx_w w;
	struct buf user;
	size_t i;

	buf_init(&user, 0);
	buf_puts(&user, "Judge these clients:\n{\"clients\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&user, ',');
		describe(&user, &cs[i]);
	}
	buf_puts(&user, "]}");

	buf_reset(body);
	jsonx_w_init(&w, body);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "model", cfg->judge_model);
	if (cfg->judge_provider == JUDGE_PROVIDER_ANTHROPIC) {
		jsonx_kint(&w, "max_tokens", 200 + 60 * (int64_t)n);
		jsonx_kstr(&w, "system", system_prompt);
	}
	jsonx_key(&w, "messages");
	jsonx_arr_open(&w);
	if (cfg->judge_provider != JUDGE_PROVIDER_ANTHROPIC) {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "role", "system");
		jsonx_kstr(&w, "content", system_prompt);
		jsonx_obj_close(&w);
	}
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "role", "user");
	jsonx_key(&w, "content");
	jsonx_strn(&w, user.p, user.len);
	jsonx_obj_close(&w);
	jsonx_arr_close(&w);
	if (cfg->judge_provider != JUDGE_PROVIDER_ANTHROPIC) {
		jsonx_key(&w, "response_format");
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "type", "json_object");
		jsonx_obj_close(&w);
	}
	jsonx_obj_close(&w);
	buf_free(&user);
}

const char *judge_endpoint(int provider)
{
	return provider == JUDGE_PROVIDER_ANTHROPIC ? "/v1/messages" : "/chat/completions";
}

/* The verdicts object inside the assistant's text, checked member by member. */
static enum err parse_verdicts(const char *text, const struct judge_client *cs, size_t n,
			       struct judge_answer *out, char *msg, size_t msglen)
{
	struct jsonx_doc *d = NULL, *e = NULL;
	char perr[160];
	size_t members = 0, nv = 0, i, k;
	enum err rc = ERR_INPUT;

	if (jsonx_parse(text, strlen(text), &d, perr, sizeof(perr)) != ERR_OK) {
		snprintf(msg, msglen, "the answer is not a JSON object");
		return ERR_INPUT;
	}
	if (!jsonx_get_len(d, "", &members) || members != 1 || !jsonx_get_len(d, "verdicts", &nv) ||
	    nv == 0 || nv > n) {
		snprintf(msg, msglen,
			 "the answer is not {\"verdicts\":[...]} with 1 to %zu entries", n);
		goto out;
	}
	for (i = 0; i < nv; i++) {
		const char *label, *word;
		double conf;
		int verdict;

		if (!jsonx_get_elem(d, "verdicts", i, &e) || !jsonx_get_len(e, "", &members) ||
		    members != 3 || !jsonx_get_str(e, "client", &label) ||
		    !jsonx_get_str(e, "verdict", &word) || !jsonx_get_num(e, "confidence", &conf)) {
			snprintf(msg, msglen,
				 "verdict %zu is not {\"client\",\"verdict\",\"confidence\"}",
				 i + 1);
			goto out;
		}
		for (k = 0; k < n && strcmp(cs[k].label, label) != 0; k++)
			;
		if (k == n || out[k].present) {
			snprintf(msg, msglen, "verdict %zu names an unknown or repeated client",
				 i + 1);
			goto out;
		}
		verdict = judge_verdict_of(word, conf);
		if (verdict == JUDGE_NONE || !(conf >= 0.0 && conf <= 1.0)) {
			snprintf(msg, msglen,
				 "verdict %zu has an unknown verdict or a confidence "
				 "outside 0..1",
				 i + 1);
			goto out;
		}
		out[k].present = true;
		out[k].verdict = verdict;
		out[k].confidence = (float)conf;
		jsonx_doc_free(e);
		e = NULL;
	}
	rc = ERR_OK;
out:
	jsonx_doc_free(e);
	jsonx_doc_free(d);
	return rc;
}

/* Chat Completions: choices[0].message.content, when the model finished normally. */
static enum err openai_text(const struct jsonx_doc *d, const struct judge_client *cs, size_t n,
			    struct judge_answer *out, char *msg, size_t msglen)
{
	struct jsonx_doc *choice = NULL;
	const char *text, *finish;
	enum err rc = ERR_INPUT;

	if (!jsonx_get_elem(d, "choices", 0, &choice) ||
	    !jsonx_get_str(choice, "message.content", &text)) {
		snprintf(msg, msglen, "no choices[0].message.content in the answer");
		goto out;
	}
	if (jsonx_get_str(choice, "finish_reason", &finish) && strcmp(finish, "stop") != 0) {
		snprintf(msg, msglen, "the answer was cut short (finish_reason %s)",
			 strcmp(finish, "length") == 0 ? "length" : "not stop");
		goto out;
	}
	rc = parse_verdicts(text, cs, n, out, msg, msglen);
out:
	jsonx_doc_free(choice);
	return rc;
}

/* Messages: the first text block of content, when the model finished normally. */
static enum err anthropic_text(const struct jsonx_doc *d, const struct judge_client *cs, size_t n,
			       struct judge_answer *out, char *msg, size_t msglen)
{
	struct jsonx_doc *block = NULL;
	const char *type, *text = NULL, *stop;
	size_t nblocks = 0, i;
	enum err rc = ERR_INPUT;

	if (jsonx_get_str(d, "stop_reason", &stop) && strcmp(stop, "end_turn") != 0 &&
	    strcmp(stop, "stop_sequence") != 0) {
		snprintf(msg, msglen, "the answer was cut short (stop_reason %s)",
			 strcmp(stop, "max_tokens") == 0 ? "max_tokens" : "not end_turn");
		return ERR_INPUT;
	}
	if (!jsonx_get_len(d, "content", &nblocks))
		nblocks = 0;
	for (i = 0; i < nblocks && text == NULL; i++) {
		jsonx_doc_free(block);
		block = NULL;
		if (!jsonx_get_elem(d, "content", i, &block))
			break;
		if (jsonx_get_str(block, "type", &type) && strcmp(type, "text") == 0 &&
		    !jsonx_get_str(block, "text", &text))
			break;
	}
	if (text == NULL)
		snprintf(msg, msglen, "no text block in the answer's content");
	else
		rc = parse_verdicts(text, cs, n, out, msg, msglen);
	jsonx_doc_free(block);
	return rc;
}

enum err judge_parse_reply(int provider, const char *body, size_t len,
			   const struct judge_client *cs, size_t n, struct judge_answer *out,
			   char *msg, size_t msglen)
{
	struct jsonx_doc *d = NULL;
	char perr[160];
	enum err rc;

	memset(out, 0, n * sizeof(*out));
	msg[0] = '\0';
	if (jsonx_parse(body, len, &d, perr, sizeof(perr)) != ERR_OK) {
		snprintf(msg, msglen, "the provider's body is not a JSON object");
		return ERR_INPUT;
	}
	if (provider == JUDGE_PROVIDER_ANTHROPIC)
		rc = anthropic_text(d, cs, n, out, msg, msglen);
	else
		rc = openai_text(d, cs, n, out, msg, msglen);
	jsonx_doc_free(d);
	if (rc != ERR_OK)
		memset(out, 0, n * sizeof(*out));
	return rc;
}

static bool same_client(const struct state_gray *a, const struct state_gray *b)
{
	if (a->key_id != 0 || b->key_id != 0)
		return a->key_id == b->key_id;
	return memcmp(a->ip, b->ip, 16) == 0;
}

/* The client's record, locked; *pool is the pool to unlock it with. NULL when none. */
static struct abuse_client *record_of(struct state *st, const struct state_gray *g, int64_t now,
				      struct shm_pool **pool, void **rec)
{
	struct state_key_use *k;
	struct state_ip_use *i;

	*pool = NULL;
	*rec = NULL;
	if (g->key_id != 0) {
		if ((k = state_key_use(st, g->key_id, now)) == NULL)
			return NULL;
		*pool = st->key_use;
		*rec = k;
		return &k->abuse;
	}
	if ((i = state_ip_use(st, g->ip, now)) == NULL)
		return NULL;
	*pool = st->ips;
	*rec = i;
	return &i->abuse;
}

static bool has_fresh_verdict(struct state *st, const struct state_gray *g, int64_t now)
{
	struct shm_pool *pool;
	void *rec;
	struct abuse_client *a = record_of(st, g, now, &pool, &rec);
	bool fresh;

	if (a == NULL)
		return false;
	fresh = a->verdict != JUDGE_NONE && a->verdict_until_ns > now;
	state_unlock(pool, rec);
	return fresh;
}

static void take(struct state *st, const struct state_gray *g, int64_t now,
		 struct judge_client *pending, size_t *np, size_t max)
{
	struct state_tenant t;
	size_t i;

	if (g->key_id == 0 && is_zero(g->ip, 16))
		return; /* nobody to cache a verdict for */
	if (!state_tenant_find(st, g->tenant_id, &t) || !t.judge_enabled)
		return; /* the tenant turned the judge off since */
	for (i = 0; i < *np; i++) {
		if (same_client(&pending[i].g, g)) {
			pending[i].g = *g; /* the latest sighting describes it best */
			return;
		}
	}
	if (*np == max || has_fresh_verdict(st, g, now))
		return;
	memset(&pending[*np], 0, sizeof(pending[*np]));
	pending[*np].g = *g;
	pending[*np].queued_ns = now;
	(*np)++;
}

size_t judge_drain(struct state *st, int64_t now_ns, struct judge_client *pending, size_t *npending,
		   size_t max)
{
	size_t items = 0;
	uint32_t r;

	for (r = 0; r < st->hdr->nrings; r++) {
		struct state_gray_ring *ring = &st->grays[r];
		uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
		uint64_t head = atomic_load_explicit(&ring->head, memory_order_acquire);

		for (; tail != head; tail++, items++) {
			struct state_gray g = ring->items[tail & (STATE_GRAY_RING - 1)];

			take(st, &g, now_ns, pending, npending, max);
		}
		atomic_store_explicit(&ring->tail, tail, memory_order_release);
	}
	return items;
}

void judge_store(struct state *st, const struct judge_client *c, const struct judge_answer *a,
		 int64_t now_ns, int64_t ttl_ms)
{
	struct shm_pool *pool;
	void *rec;
	struct abuse_client *ab;

	if (!a->present)
		return;
	ab = record_of(st, &c->g, now_ns, &pool, &rec);
	if (ab == NULL)
		return;
	ab->verdict = a->verdict;
	ab->verdict_confidence = a->confidence;
	ab->verdict_until_ns = now_ns + ttl_ms * MS_NS;
	state_unlock(pool, rec);
}

/* The child's state between ticks. */
struct judge {
	struct state *st;
	const struct config *cfg;
	struct http *http;
	char url[768];
	char auth[MAX_SECRET + 16]; /* the header value with the API key; never logged */
	struct http_header headers[4];
	struct judge_client *pending;
	struct judge_answer answers[100];
	size_t npending;
	struct buf body, reply;
	uint32_t row;
	int failures; /* in a row */
	int64_t retry_at_ns;
	bool outage;
	uint64_t failed_in_outage;
};

/* The API key, from its file (preferred) or the variable, with surrounding space trimmed. */
static void load_key(struct judge *j, char *key, size_t n)
{
	const struct config *cfg = j->cfg;
	struct str s;

	key[0] = '\0';
	if (cfg->judge_api_key_file[0] != '\0') {
		FILE *f = fopen(cfg->judge_api_key_file, "r");
		size_t got;

		if (f == NULL) {
			char esc[256];

			log_warn("judge: cannot read TOLLGATE_JUDGE_API_KEY_FILE %s",
				 log_escape(esc, sizeof(esc), cfg->judge_api_key_file));
			return;
		}
		got = fread(key, 1, n - 1, f);
		fclose(f);
		key[got] = '\0';
	} else {
		str_lcpy(key, cfg->judge_api_key, n);
	}
	s = str_trim(str_c(key));
	while (s.len > 0 && (s.p[s.len - 1] == '\n' || s.p[s.len - 1] == '\r'))
		s.len--;
	memmove(key, s.p, s.len);
	key[s.len] = '\0';
}

static void set_up(struct judge *j)
{
	const struct config *cfg = j->cfg;
	char key[MAX_SECRET];
	size_t ulen = strlen(cfg->judge_url), h = 0;

	while (ulen > 0 && cfg->judge_url[ulen - 1] == '/')
		ulen--;
	snprintf(j->url, sizeof(j->url), "%.*s%s", (int)ulen, cfg->judge_url,
		 judge_endpoint(cfg->judge_provider));
	load_key(j, key, sizeof(key));
	if (key[0] == '\0')
		log_warnx(
		    "judge: no API key (TOLLGATE_JUDGE_API_KEY or _FILE); calling without one");
	if (cfg->judge_provider == JUDGE_PROVIDER_ANTHROPIC) {
		snprintf(j->auth, sizeof(j->auth), "%s", key);
		if (key[0] != '\0')
			j->headers[h++] = (struct http_header){"x-api-key", j->auth};
		j->headers[h++] = (struct http_header){"anthropic-version", ANTHROPIC_VERSION};
	} else if (key[0] != '\0') {
		snprintf(j->auth, sizeof(j->auth), "Bearer %s", key);
		j->headers[h++] = (struct http_header){"Authorization", j->auth};
	}
	j->headers[h++] = (struct http_header){"User-Agent", "tollgate-judge/" TOLLGATE_VERSION};
	j->headers[h] = (struct http_header){NULL, NULL};
	cryptox_wipe(key, sizeof(key));
}

/* A short reason for a failed call, without anything the provider echoed back but its error
 * type (a message may quote part of the key). */
static void error_reason(const struct judge *j, int status, char *out, size_t n)
{
	struct jsonx_doc *d = NULL;
	const char *type = NULL;
	char perr[64], esc[64];

	if (jsonx_parse(j->reply.p ? j->reply.p : "", j->reply.len, &d, perr, sizeof(perr)) ==
	    ERR_OK) {
		if (!jsonx_get_str(d, "error.type", &type))
			type = NULL;
	}
	if (type != NULL)
		snprintf(out, n, "HTTP %d (%s)", status, log_escape(esc, sizeof(esc), type));
	else
		snprintf(out, n, "HTTP %d", status);
	jsonx_doc_free(d);
}

/* One call about the first batch of pending clients; they leave the queue whatever happens
 * (the engine asks again about a client a minute later). */
static void call_once(struct judge *j)
{
	const struct config *cfg = j->cfg;
	size_t n = j->npending < (size_t)cfg->judge_batch ? j->npending : (size_t)cfg->judge_batch;
	int64_t t0 = state_mono_ns(), now;
	char msg[256] = "";
	int status = 0, counts[JUDGE__MAX] = {0};
	enum err rc;
	size_t i;

	if (n > sizeof(j->answers) / sizeof(j->answers[0]))
		n = sizeof(j->answers) / sizeof(j->answers[0]);
	for (i = 0; i < n; i++)
		snprintf(j->pending[i].label, sizeof(j->pending[i].label), "c%zu", i + 1);
	judge_request_body(cfg, j->pending, n, &j->body);
	state_metric_add(j->st, j->row, METRIC_JUDGE_CALLS, 1);
	rc = http_post_json(j->http, j->url, j->headers, j->body.p, j->body.len,
			    cfg->judge_timeout_ms, JUDGE_MAX_RESPONSE, &status, &j->reply, msg,
			    sizeof(msg));
	if (rc == ERR_OK && (status < 200 || status > 299)) {
		error_reason(j, status, msg, sizeof(msg));
		rc = ERR_UPSTREAM;
	}
	if (rc == ERR_OK)
		rc = judge_parse_reply(cfg->judge_provider, j->reply.p, j->reply.len, j->pending, n,
				       j->answers, msg, sizeof(msg));
	now = state_mono_ns();
	if (rc == ERR_OK) {
		for (i = 0; i < n; i++) {
			judge_store(j->st, &j->pending[i], &j->answers[i], now, cfg->judge_ttl_ms);
			counts[j->answers[i].present ? j->answers[i].verdict : JUDGE_NONE]++;
		}
		log_debug("judge: %zu clients in %lld ms: %d abuse, %d benign, %d unsure, %d "
			  "unanswered",
			  n, (long long)((now - t0) / MS_NS), counts[JUDGE_ABUSE],
			  counts[JUDGE_BENIGN], counts[JUDGE_UNSURE], counts[JUDGE_NONE]);
		if (j->outage)
			log_info("judge: the provider answers again (after %llu failed calls)",
				 (unsigned long long)j->failed_in_outage);
		j->outage = false;
		j->failures = 0;
		j->failed_in_outage = 0;
		j->retry_at_ns = 0;
	} else {
		int64_t backoff = BACKOFF_MIN_MS;
		int k;

		state_metric_add(j->st, j->row, METRIC_JUDGE_FAILURES, 1);
		for (k = 0; k < j->failures && backoff < BACKOFF_MAX_MS; k++)
			backoff *= 2;
		if (backoff > BACKOFF_MAX_MS)
			backoff = BACKOFF_MAX_MS;
		j->failures++;
		j->failed_in_outage++;
		j->retry_at_ns = now + backoff * MS_NS;
		if (!j->outage)
			log_warnx("judge: the provider call failed: %s (%s); deciding without the "
				  "judge, calling again with backoff",
				  msg[0] ? msg : "no detail", err_name(rc));
		j->outage = true;
	}
	j->npending -= n;
	memmove(j->pending, j->pending + n, j->npending * sizeof(*j->pending));
}

/* Whether the first pending client should be asked about now, rather than wait for others
 * to share its call: the batch is full, it waited long enough, or a request is holding
 * for the answer (its tenant has a decision window). */
static bool due(struct judge *j, int64_t now)
{
	struct state_tenant t;
	size_t i;

	if (j->npending == 0 || now < j->retry_at_ns)
		return false;
	if (j->npending >= (size_t)j->cfg->judge_batch ||
	    now - j->pending[0].queued_ns >= GATHER_MS * MS_NS)
		return true;
	for (i = 0; i < j->npending; i++)
		if (state_tenant_find(j->st, j->pending[i].g.tenant_id, &t) && t.judge_wait_ms > 0)
			return true;
	return false;
}

/* Drops clients that waited out a minute of backoff: the engine has asked again since. */
static void expire(struct judge *j, int64_t now)
{
	size_t i, k = 0;

	for (i = 0; i < j->npending; i++)
		if (now - j->pending[i].queued_ns < STALE_NS)
			j->pending[k++] = j->pending[i];
	j->npending = k;
}

int judge_run(struct app *app, volatile sig_atomic_t *stop)
{
	struct judge *j = calloc(1, sizeof(*j));

	if (j == NULL)
		abort();
	if (http_init() != ERR_OK) {
		log_errorx("judge: libcurl failed to initialise");
		free(j);
		return 1;
	}
	j->st = app->state;
	j->cfg = app->cfg;
	/* Metric adds are atomic: the judge shares the flusher's row rather than change the
	 * shared-memory layout for two counters. */
	j->row = state_metric_row_flusher(j->st);
	j->pending = calloc(JUDGE_PENDING_MAX, sizeof(*j->pending));
	if (j->pending == NULL)
		abort();
	buf_init(&j->body, 0);
	buf_init(&j->reply, JUDGE_MAX_RESPONSE);
	j->http = http_new();
	http_set_abort_flag(j->http, stop);
	set_up(j);
	log_info("judge: asking %s model %s about gray-zone clients, %lld a call, verdicts kept "
		 "%lld s",
		 j->cfg->judge_provider == JUDGE_PROVIDER_ANTHROPIC ? "anthropic" : "openai",
		 j->cfg->judge_model, (long long)j->cfg->judge_batch,
		 (long long)(j->cfg->judge_ttl_ms / 1000));
	while (!*stop) {
		int64_t now = state_mono_ns();

		judge_drain(j->st, now, j->pending, &j->npending, JUDGE_PENDING_MAX);
		expire(j, now);
		if (due(j, now)) {
			call_once(j);
			continue;
		}
		app_sleep_ms(TICK_MS, stop);
	}
	http_free(j->http);
	http_cleanup();
	cryptox_wipe(j->auth, sizeof(j->auth));
	buf_free(&j->body);
	buf_free(&j->reply);
	free(j->pending);
	free(j);
	return 0;
}
