/* forward_auth decision: client IP -> API key -> tenant -> body size -> rate limits and
 * quota -> upstream, from shared memory only; then billing once Caddy has the answer. */
#include "gate.h"

#include <string.h>

#include "../../lib/addr.h"
#include "../../lib/codec.h"
#include "../../lib/log.h"
#include "../../lib/str.h"
#include "../state/state.h"
#include "gate_jwt.h"
#include "gate_keys.h"
#include "gate_limits.h"
#include "../abuse/engine.h"

/* The bodies Caddy cuts at, for a body whose length is not declared (a chunked upload,
 * which the gate cannot see): the smallest of these at least the tenant's limit. The
 * built-in plans' limits are among them (exact); another limit is rounded up, at most to
 * the next power of two. Above the last, nothing is cut (a declared length is still
 * checked here, exactly). The Caddyfile has a request_body rule for each. */
static const int64_t body_buckets[] = {
    64LL << 10,	 128LL << 10, 256LL << 10, 512LL << 10, 1LL << 20,    2LL << 20,
    4LL << 20,	 8LL << 20,   10LL << 20,  16LL << 20,	32LL << 20,   64LL << 20,
    100LL << 20, 128LL << 20, 256LL << 20, 512LL << 20, 1024LL << 20, 4096LL << 20,
};

static int64_t body_bucket(int64_t max_body)
{
	size_t i;

	for (i = 0; i < sizeof(body_buckets) / sizeof(body_buckets[0]); i++)
		if (body_buckets[i] >= max_body)
			return body_buckets[i];
	return 0;
}

/* Quota windows change once a month: keep the last ones per anchor (the calendar's is 0)
 * instead of calling gmtime for every request. A small direct-mapped cache: a miss only
 * costs the computation. */
#define WINDOW_CACHE 64

struct window_cache {
	int64_t anchor_s, start_h, end_h; /* end_h 0: empty */
};

static void quota_window(struct window_cache *wc, int64_t anchor_s, int64_t now_ms,
			 int64_t *start_h, int64_t *end_h)
{
	struct window_cache *e = &wc[(uint64_t)anchor_s % WINDOW_CACHE];
	int64_t now_h = now_ms / 3600000;

	if (e->end_h == 0 || e->anchor_s != anchor_s || now_h < e->start_h || now_h >= e->end_h) {
		e->anchor_s = anchor_s;
		state_quota_window(anchor_s, now_ms, &e->start_h, &e->end_h);
	}
	*start_h = e->start_h;
	*end_h = e->end_h;
}

/* Finds the key in "Authorization: Bearer <key>" or else in "X-Api-Key" (*bearer says
 * which). Returns false when neither carries one (another Authorization scheme belongs to
 * the upstream). */
static bool extract_key(struct hctx *c, struct str *key, bool *bearer)
{
	const char *auth = fcgi_param(c->rq, "HTTP_AUTHORIZATION");
	const char *xkey = fcgi_param(c->rq, "HTTP_X_API_KEY");

	key->p = "";
	key->len = 0;
	*bearer = false;
	if (auth != NULL) {
		struct str s = str_trim(str_c(auth));

		if (str_case_has_prefix(s, "Bearer ")) {
			*key = str_trim((struct str){s.p + 7, s.len - 7});
			*bearer = true;
			return true;
		}
	}
	if (xkey != NULL && xkey[0] != '\0') {
		*key = str_trim(str_c(xkey));
		return true;
	}
	return false;
}

/* Tells the collector what was decided, and counts it for /metrics. */
static void record(struct hctx *c, int64_t now_ms, int64_t key_id, int64_t tenant_id, enum metric m)
{
	struct state_decision d;

	memset(&d, 0, sizeof(d));
	codec_uuid_parse(c->request_id, d.request_id);
	if (!hctx_client_ip(c, d.ip))
		memset(d.ip, 0, sizeof(d.ip));
	d.key_id = key_id;
	d.tenant_id = tenant_id;
	d.at_ms = now_ms;
	d.outcome = m == METRIC_ALLOWED ? DECISION_ALLOW : DECISION_DENY;
	d.route_hash = c->admit.route_hash;
	d.ua_hash = c->admit.ua_hash;
	d.path = c->admit.path;
	d.steps = c->admit.steps;
	memcpy(d.seg_pos, c->admit.seg_pos, sizeof(d.seg_pos));
	memcpy(d.seg_val, c->admit.seg_val, sizeof(d.seg_val));
	state_ring_push(c->app->state, c->app->ring, &d);
	state_metric_add(c->app->state, c->app->ring, m, 1);
}

static enum err deny_auth(struct hctx *c, enum problem_kind kind, const char *detail)
{
	c->problem = kind;
	c->detail = detail;
	if (kind == PROB_MISSING_API_KEY)
		fcgi_header(c->rs, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
	else
		fcgi_header(c->rs, "WWW-Authenticate",
			    "Bearer realm=\"tollgate\", error=\"invalid_token\"");
	return ERR_AUTH;
}

enum auth {
	AUTH_OK,
	AUTH_MISSING,
	AUTH_MALFORMED,
	AUTH_UNKNOWN,
	AUTH_EXPIRED,
	AUTH_TOKEN, /* a JWT that did not pass: jwt->verdict says why */
	AUTH__MAX
};

static uint64_t fnv64(uint64_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/* A bearer JWT: the issuer's synthetic key stands in for an API key. A caller is one
 * "key" to the abuse engine per issuer and subject; a refused token is one per token. */
static enum auth authenticate_jwt(struct hctx *c, struct str token, uint64_t *key_hash,
				  struct state_key *rec, struct state_tenant *tenant,
				  struct gate_jwt *jwt, enum jwt_verdict *verdict)
{
	struct state *st = c->app->state;
	int64_t now_s = state_clock_ms(st) / 1000;

	*verdict = gate_jwt_check(st, c->app->cfg->secret_key, token, now_s, jwt);
	if (*verdict != JWT_OK) {
		*key_hash = fnv64(0xcbf29ce484222325ULL, token.p, token.len) | 1;
		return AUTH_TOKEN;
	}
	*rec = jwt->key;
	*key_hash = fnv64(codec_mix64((uint64_t)rec->id), jwt->subject, strlen(jwt->subject)) | 1;
	if (!state_tenant_find(st, rec->tenant_id, tenant)) {
		*verdict = JWT_UNKNOWN_ISSUER;
		return AUTH_TOKEN;
	}
	return AUTH_OK;
}

/* Checks the presented key or token. *key_hash identifies what was presented (valid or
 * not) for the abuse engine's distinct-key counts; 0 when nothing was. */
static enum auth authenticate(struct hctx *c, struct str *key,
			      unsigned char hash[CRYPTOX_HASH_BYTES], uint64_t *key_hash,
			      struct state_key *rec, struct state_tenant *tenant,
			      struct gate_jwt *jwt, enum jwt_verdict *verdict)
{
	struct state *st = c->app->state;
	enum gate_key_env env;
	bool bearer;

	*key_hash = 0;
	*verdict = JWT_OK;
	jwt->subject[0] = '\0';
	jwt->team[0] = '\0';
	if (!extract_key(c, key, &bearer))
		return AUTH_MISSING;
	if (bearer && gate_jwt_is_jwt(*key))
		return authenticate_jwt(c, *key, key_hash, rec, tenant, jwt, verdict);
	if (gate_keys_check(*key, &env) != ERR_OK) {
		*key_hash =
		    fnv64(0xcbf29ce484222325ULL, key->p, key->len < 128 ? key->len : 128) | 1;
		return AUTH_MALFORMED;
	}
	gate_keys_hash(c->app->cfg->secret_key, *key, hash);
	memcpy(key_hash, hash, sizeof(*key_hash));
	*key_hash |= 1;
	if (!state_key_find(st, hash, rec) || !state_tenant_find(st, rec->tenant_id, tenant))
		return AUTH_UNKNOWN;
	if (rec->expires_at != 0 && rec->expires_at <= state_clock_ms(st) / 1000)
		return AUTH_EXPIRED;
	return AUTH_OK;
}

/* The engine's view of an admitted request, for the tenant's API, as an RFC 8941
 * dictionary: what the engine reached and why, and whether the request's key or route is
 * under a campaign. The API can step up there (a captcha, a second factor), where the gate
 * cannot tell a campaign's address that fails once from a user retrying after a typo.
 * Clients cannot send it: tollgate_strip removes every X-Tollgate-* header they send. */
static void risk_header(struct fcgi_response *rs, const struct abuse_result *ab)
{
	bool why = ab->outcome != OUTCOME_ALLOW;

	if (!ab->scored) {
		fcgi_header(rs, "X-Tollgate-Risk", "outcome=unscored");
		return;
	}
	fcgi_headerf(rs, "X-Tollgate-Risk", "outcome=%s, score=%.2f%s%s%s",
		     abuse_outcome_name(ab->outcome), (double)ab->score, why ? ", reason=" : "",
		     why ? abuse_rule_name(ab->reason) : "", ab->campaign ? ", campaign" : "");
}

/* 403 for a block, 429 for a throttle: problem type abnormal-usage-detected, with the id of
 * the decision (the request that decided it), which a tenant can label. */
static enum err refuse_abuse(struct hctx *c, const struct abuse_result *ab, int64_t now_ms,
			     int64_t key_id, int64_t tenant_id)
{
	char retry[24];

	codec_uuid(ab->decision_id, c->decision_id);
	str_fmt_i64(retry, ab->retry_after_s > 0 ? ab->retry_after_s : 1);
	fcgi_header(c->rs, "Retry-After", retry);
	c->problem = PROB_ABUSE;
	if (ab->outcome == OUTCOME_BLOCK) {
		c->detail =
		    "This client's traffic looks abusive and is blocked for a while. If this "
		    "is a mistake, the API's owner can clear it with the decision_id.";
		record(c, now_ms, key_id, tenant_id, METRIC_DENIED_OTHER);
		return ERR_FORBIDDEN;
	}
	c->detail = "This client's traffic looks abnormal and is slowed down for a while.";
	record(c, now_ms, key_id, tenant_id, METRIC_DENIED_RATE);
	return ERR_LIMIT;
}

/* Where Caddy sends an admitted request: the tenant's upstream address, once shared memory
 * says it may go there. A host name needs the resolver's verdict (for plain http, the
 * address it checked is what is dialled, so a name cannot be pointed elsewhere after the
 * check; over https the certificate check pins the name). Nothing here resolves. */
static enum err upstream_of(struct hctx *c, const struct state_tenant *t, char *dial, size_t n)
{
	struct state_resolved r;

	if (t->upstream[0] == '\0' || (t->upstream_flags & UPSTREAM_INVALID)) {
		c->problem = PROB_NO_UPSTREAM;
		c->detail = "The account that owns this API key has no upstream configured.";
		return ERR_UPSTREAM;
	}
	if (t->upstream_flags & UPSTREAM_FORBIDDEN) {
		c->problem = PROB_UPSTREAM_FORBIDDEN;
		c->detail = "The upstream of the account that owns this API key is not allowed.";
		return ERR_UPSTREAM;
	}
	if (!(t->upstream_flags & UPSTREAM_NAME)) {
		str_lcpy(dial, t->upstream, n);
		return ERR_OK;
	}
	if (!state_resolved_find(c->app->state, t->id, &r) || r.upstream_hash != t->upstream_hash) {
		fcgi_header(c->rs, "Retry-After", "1");
		c->problem = PROB_UNAVAILABLE;
		c->detail = "The upstream's address is being checked; retry shortly.";
		return ERR_UNAVAILABLE;
	}
	if (!r.ok) {
		c->problem = PROB_UPSTREAM_FORBIDDEN;
		c->detail = "The upstream of the account that owns this API key is not allowed.";
		return ERR_UPSTREAM;
	}
	if (t->upstream_flags & UPSTREAM_TLS)
		str_lcpy(dial, t->upstream, n);
	else
		addr_dial(r.ip, t->upstream_port, dial, n);
	return ERR_OK;
}

/* The AI pool's endpoint ("/chat/completions") when uri is one under the tenant's AI
 * prefix, or NULL: the request goes to the tenant's upstream. */
static const char *ai_endpoint(const struct state_tenant *t, const char *uri)
{
	static const char *const endpoints[] = {"/chat/completions", "/embeddings", "/messages",
						"/models"};
	size_t n = strlen(t->ai_prefix), len, i;

	if (!t->ai_on || uri == NULL || strncmp(uri, t->ai_prefix, n) != 0)
		return NULL;
	uri += n;
	len = strcspn(uri, "?");
	for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++)
		if (len == strlen(endpoints[i]) && memcmp(uri, endpoints[i], len) == 0)
			return endpoints[i];
	return NULL;
}

enum err gate_handle(struct hctx *c)
{
	static struct window_cache wc[WINDOW_CACHE];
	int64_t win, win_end;
	const struct config *cfg = c->app->cfg;
	struct state *st = c->app->state;
	int64_t now_ns = state_mono_ns(), now_ms = state_clock_ms(st), retry, length = 0;
	unsigned char hash[CRYPTOX_HASH_BYTES], ip[16];
	bool has_ip = hctx_client_ip(c, ip);
	const char *cl = fcgi_param(c->rq, "CONTENT_LENGTH");
	struct state_tenant tenant;
	struct limit_request lrq;
	struct limit_result lim;
	char id[24];
	struct state_usage *u;
	struct state_key rec, lim_key;
	struct gate_jwt jwt;
	enum jwt_verdict verdict;
	struct abuse_request ar;
	struct abuse_result ab;
	unsigned char request_id[16];
	char dial[192];
	const char *ai;
	uint64_t key_hash;
	enum auth auth;
	struct str key;
	enum err e;

	/* Key guessing from one address is throttled: once the address has failed too often,
	 * what fails is refused with 429. A valid key is never refused for what others
	 * sharing its address did (it has its own limits); guessing one is hopeless anyway
	 * (190 bits), the throttle is against the load and the noise. */
	auth = authenticate(c, &key, hash, &key_hash, &rec, &tenant, &jwt, &verdict);
	if (auth != AUTH_OK && has_ip && limits_authfail_exhausted(st, cfg, ip, now_ns, &retry)) {
		fcgi_headerf(c->rs, "Retry-After", "%lld", (long long)retry);
		c->problem = PROB_RATE_LIMITED;
		c->detail = "Too many failed authentications from this address.";
		record(c, now_ms, 0, 0, METRIC_DENIED_RATE);
		return ERR_LIMIT;
	}

	/* The abuse engine sees every request, with a valid key or not. */
	memset(&ar, 0, sizeof(ar));
	ar.ip = has_ip ? ip : NULL;
	codec_uuid_parse(c->request_id, request_id);
	ar.request_id = request_id;
	ar.rq = c->rq;
	ar.tenant = auth == AUTH_OK ? &tenant : NULL;
	ar.key_id = auth == AUTH_OK ? rec.id : 0;
	ar.key_hash = key_hash;
	ar.auth_failed = auth != AUTH_OK;
	ar.key_dormant = auth == AUTH_OK && rec.dormant;
	ar.method = fcgi_param(c->rq, "TG_METHOD");
	ar.uri = fcgi_param(c->rq, "TG_URI");
	ar.payload =
	    cl != NULL && str_to_i64(str_c(cl), 0, INT64_MAX, &length) == ERR_OK ? length : 0;
	ar.user_agent = fcgi_param(c->rq, "HTTP_USER_AGENT");
	ar.now_ns = now_ns;
	ar.now_ms = now_ms;
	abuse_check(st, cfg, c->app->ring, &ar, &ab);
	_Static_assert(sizeof(c->admit.seg_pos) == sizeof(ab.route.seg_pos), "segments");
	c->admit.route_hash = ab.route.hash;
	c->admit.ua_hash = ab.route.ua_hash;
	c->admit.path = ab.route.path;
	c->admit.steps = ab.route.steps;
	memcpy(c->admit.seg_pos, ab.route.seg_pos, sizeof(c->admit.seg_pos));
	memcpy(c->admit.seg_val, ab.route.seg_val, sizeof(c->admit.seg_val));
	if (ab.enforced && ab.outcome >= OUTCOME_THROTTLE)
		return refuse_abuse(c, &ab, now_ms, ar.key_id, ar.tenant ? tenant.id : 0);

	if (auth != AUTH_OK) {
		static const char *const details[AUTH__MAX] = {
		    [AUTH_MISSING] = "Send an API key as 'Authorization: Bearer <key>' or "
				     "'X-Api-Key: <key>'.",
		    [AUTH_MALFORMED] = "The API key is malformed.",
		    [AUTH_UNKNOWN] = "The API key is unknown or has been revoked.",
		    [AUTH_EXPIRED] = "The API key has expired.",
		    [AUTH_TOKEN] = NULL, /* the token's own reason */
		};

		if (has_ip)
			limits_authfail_count(st, cfg, ip, now_ns);
		record(c, now_ms, 0, 0, METRIC_DENIED_AUTH);
		return deny_auth(c,
				 auth == AUTH_MISSING ? PROB_MISSING_API_KEY : PROB_INVALID_API_KEY,
				 auth == AUTH_TOKEN ? gate_jwt_why(verdict) : details[auth]);
	}
	if (tenant.status != TENANT_ACTIVE) {
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_OTHER);
		c->problem = PROB_TENANT_SUSPENDED;
		c->detail = "The account that owns this API key is suspended.";
		return ERR_FORBIDDEN;
	}
	/* AI routes are served by the AI pool, which needs no upstream. */
	ai = ai_endpoint(&tenant, fcgi_param(c->rq, "TG_URI"));
	dial[0] = '\0';
	if (ai == NULL && (e = upstream_of(c, &tenant, dial, sizeof(dial))) != ERR_OK) {
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_OTHER);
		return e;
	}
	/* Caddy sends the Content-Length the client declared (0 for chunked uploads). */
	if (cl != NULL && cl[0] != '\0' &&
	    (str_to_i64(str_c(cl), 0, INT64_MAX, &length) != ERR_OK || length > tenant.max_body)) {
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_SIZE);
		fcgi_headerf(c->rs, "X-Tollgate-Max-Body", "%lld", (long long)tenant.max_body);
		c->problem = PROB_TOO_LARGE;
		c->detail = "The request body is larger than this API accepts.";
		return ERR_TOOBIG;
	}

	quota_window(wc, tenant.quota_anchor_s, now_ms, &win, &win_end);
	c->admit.key_id = rec.id;
	c->admit.tenant_id = tenant.id;
	c->admit.hour = now_ms / 3600000;
	c->admit.win = win;
	/* Make sure the request can be billed before letting it through. */
	u = state_usage(st, rec.id, c->admit.hour, tenant.id, true);
	if (u == NULL) {
		/* state_usage() raised the alarm (metric, log, readiness). */
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_OTHER);
		fcgi_header(c->rs, "Retry-After", "1");
		c->problem = PROB_UNAVAILABLE;
		c->detail = "Usage cannot be recorded right now; retry shortly.";
		return ERR_UNAVAILABLE;
	}
	state_unlock(st->usage, u);

	/* A JWT caller's team gets the issuer key's rate limits to itself: its GCRA state is
	 * kept under an id of its own in the key-use pool. Quota, metering and abuse stay
	 * the issuer key's (docs/jwt.md). */
	lim_key = rec;
	if (jwt.team[0] != '\0')
		lim_key.id = gate_jwt_team_id(rec.id, jwt.team);
	memset(&lrq, 0, sizeof(lrq));
	lrq.ip = has_ip ? ip : NULL;
	lrq.key = &lim_key;
	lrq.tenant = &tenant;
	lrq.now_ns = now_ns;
	lrq.now_ms = now_ms;
	lrq.win = win;
	lrq.win_end = win_end;
	limits_decide(st, cfg, &lrq, &lim);
	switch (lim.verdict) {
	case VERDICT_ALLOW:
		break;
	case VERDICT_RATE:
		limits_headers(c->rs, &lim, now_ms, false);
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_RATE);
		c->problem = PROB_RATE_LIMITED;
		c->detail = "A rate limit was exceeded; see RateLimit and Retry-After.";
		return ERR_LIMIT;
	case VERDICT_QUOTA:
		limits_headers(c->rs, &lim, now_ms, false);
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_QUOTA);
		c->problem = PROB_QUOTA_EXCEEDED;
		c->detail = "The monthly request quota is used up; it renews with the next month "
			    "or billing period (Retry-After).";
		return ERR_LIMIT;
	case VERDICT_BUSY:
	case VERDICT__MAX:
		fcgi_header(c->rs, "Retry-After", "1");
		record(c, now_ms, rec.id, tenant.id, METRIC_DENIED_OTHER);
		c->problem = PROB_UNAVAILABLE;
		c->detail = "This request cannot be accounted for right now; retry shortly.";
		return ERR_UNAVAILABLE;
	}

	c->admit.admitted = true;
	record(c, now_ms, rec.id, tenant.id, METRIC_ALLOWED);
	/* Caddy copies these onto the proxied request; every one must always be present. */
	fcgi_header(c->rs, "X-Tollgate-Tenant", tenant.slug);
	str_fmt_i64(id, rec.id);
	fcgi_header(c->rs, "X-Tollgate-Key", id);
	str_fmt_i64(id, tenant.id);
	fcgi_header(c->rs, "X-Tollgate-Tenant-Id", id);
	fcgi_header(c->rs, "X-Tollgate-Route", ai != NULL ? "ai" : "upstream");
	fcgi_header(c->rs, "X-Tollgate-AI-Path", ai != NULL ? ai : "/");
	fcgi_header(c->rs, "X-Tollgate-Upstream", dial);
	fcgi_header(c->rs, "X-Tollgate-Upstream-Host", tenant.upstream_host);
	fcgi_header(c->rs, "X-Tollgate-Upstream-Scheme",
		    (tenant.upstream_flags & UPSTREAM_TLS) ? "https" : "http");
	str_fmt_i64(id, body_bucket(tenant.max_body));
	fcgi_header(c->rs, "X-Tollgate-Body-Limit", id);
	fcgi_header(c->rs, "X-Request-Id", c->request_id);
	/* A JWT caller's identity for the upstream; empty for API keys. */
	fcgi_header(c->rs, "X-Tollgate-Subject", jwt.subject);
	fcgi_header(c->rs, "X-Tollgate-Team", jwt.team);
	risk_header(c->rs, &ab);
	limits_headers(c->rs, &lim, now_ms, true);
	return ERR_OK;
}

void gate_settle(struct app *app, const struct gate_admit *a, bool delivered)
{
	struct state *st = app->state;
	struct state_usage *u;

	if (!a->admitted)
		return;
	if (!delivered) {
		/* Caddy never got the answer: nothing passed, nothing to bill. */
		limits_unreserve(st, a->tenant_id, a->win);
		return;
	}
	u = state_usage(st, a->key_id, a->hour, a->tenant_id, true);
	if (u == NULL) {
		log_errorx("usage record for key %lld vanished; one request not billed",
			   (long long)a->key_id);
		return;
	}
	u->count[USAGE_REQUESTS]++;
	state_unlock(st->usage, u);
}
