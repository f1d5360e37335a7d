/* The gate's decision in one process, without Caddy, FastCGI or the network: what a gate
 * worker's CPU does per request between reading its parameters and writing its answer, and
 * how much of that is the abuse engine. `make bench` measures the same through the whole
 * stack, where the engine's few microseconds drown in Caddy's hundreds (its engine figure
 * there ranges from below 0 to 14 µs over the rounds); here they are counted alone.
 *
 * Usage: gate_cpu [REQUESTS [ROUNDS]]   (defaults 200000 and 5)
 *
 * The traffic, the same for every configuration (a fixed seed): one tenant in enforce mode
 * and 2,000 keys; 20,000 addresses; 88% of requests with one of the keys, 10% through a key
 * shared by many addresses (an app's), 2% with a made-up key; 24 route templates, about half
 * with a record id; 12 User-Agents; a body on one request in six. Every answer goes back
 * through abuse_observe_response() as the collector's would (a 401 for a bad key, the gate's
 * own refusals, 404 for one record in five, 200 otherwise), so that routes learn their
 * parameters and sizes and clients their answers as in production. Only router_dispatch()
 * is timed (CLOCK_MONOTONIC around each call, the clock's own cost subtracted); the
 * collector's side is timed apart.
 *
 * Each round runs the whole traffic on a fresh state for each configuration, in turn: the
 * engine off, heuristics, a tenant's trained model (the default engine; a tenant without
 * labels gets the heuristics' decisions from it). The traffic is replayed as fast as the
 * gate decides, a few hundred times faster than a real client population would send it, so
 * a few of these made-up clients go fast enough for the rate-based rules: the refusals are
 * printed, and cost about what an admission does.
 *
 * Printed, in ns per call (median, min and max over the rounds): for each configuration the
 * gate's decision and the collector's work per answer; then the engine's own cost, each
 * round's configuration minus the engine off in the same round. bench/run.sh reads it.  */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../app/abuse/engine.h"
#include "../app/app.h"
#include "../app/gate/gate_keys.h"
#include "../app/serve/gate_pool.h"
#include "../app/serve/router.h"
#include "../lib/codec.h"
#include "../lib/cryptox.h"
#include "../lib/log.h"
#include "../lib/str.h"

#define TENANT	   7
#define KEYS	   2000
#define ADDRESSES  20000
#define ROUNDS_MAX 15

struct req {
	char *env[12];
	char key[96], peer[48], uri[128], ua[128], rid[64], cl[32], method[24];
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *const ROUTES[] = {
    "/v1/items/#",	  "/v1/items",		 "/v1/items/#/reviews",
    "/v1/users/#",	  "/v1/users/#/orders",	 "/v1/orders/#",
    "/v1/orders",	  "/v1/search?q=lamp",	 "/v1/me",
    "/v1/carts/#/lines",  "/v1/stores",		 "/v1/stores/#/stock",
    "/v2/reports/daily",  "/v2/reports/#",	 "/v1/login",
    "/v1/events",	  "/v1/webhooks/stripe", "/v1/files/#",
    "/v1/categories",	  "/v1/prices/#",	 "/v1/health",
    "/v1/invoices/#/pdf", "/v1/settings",	 "/v1/notifications"};
static const char *const UAS[] = {
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "axios/1.6.8",
    "curl/8.5.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "ShopApp/5.2 (iPhone; iOS 17.4)",
    "ShopApp/5.2 (Android 14)",
    "node-fetch/1.0",
    "Java/17.0.10"};

/* The traffic: n requests, built once (formatting is not what is measured). */
static struct req *traffic(size_t n, char keys[KEYS][GATE_KEY_LEN + 1], const char *shared)
{
	struct req *t = calloc(n, sizeof(*t));
	size_t i;

	if (t == NULL)
		abort();
	for (i = 0; i < n; i++) {
		struct req *q = &t[i];
		uint64_t r = next(), who = next() % ADDRESSES, k = 0;
		const char *route = ROUTES[next() % (sizeof(ROUTES) / sizeof(ROUTES[0]))];
		int e = 0;

		/* A client is an address with its own key (10 addresses per key), or one of the
		 * app's users, or a made-up key now and then. */
		if (r % 100 < 88) {
			k = who % KEYS;
			snprintf(q->key, sizeof(q->key), "HTTP_X_API_KEY=%s", keys[k]);
		} else if (r % 100 < 98) {
			snprintf(q->key, sizeof(q->key), "HTTP_X_API_KEY=%s", shared);
		} else {
			snprintf(q->key, sizeof(q->key), "HTTP_X_API_KEY=tg_live_%016llx",
				 (unsigned long long)next());
		}
		snprintf(q->peer, sizeof(q->peer), "TG_PEER=10.%u.%u.%u", (unsigned)(who >> 16),
			 (unsigned)((who >> 8) & 255), (unsigned)(who & 255));
		const char *hole = strchr(route, '#');

		if (hole == NULL)
			snprintf(q->uri, sizeof(q->uri), "TG_URI=%s", route);
		else
			snprintf(q->uri, sizeof(q->uri), "TG_URI=%.*s%u%s", (int)(hole - route),
				 route, (unsigned)(next() % 50000), hole + 1);
		snprintf(q->ua, sizeof(q->ua), "HTTP_USER_AGENT=%s",
			 UAS[(who * 7 + k) % (sizeof(UAS) / sizeof(UAS[0]))]);
		snprintf(q->rid, sizeof(q->rid), "TG_REQUEST_ID=%08x-0000-4000-8000-%012llx",
			 (unsigned)next(), (unsigned long long)i);
		if (next() % 6 == 0) {
			snprintf(q->method, sizeof(q->method), "TG_METHOD=POST");
			snprintf(q->cl, sizeof(q->cl), "CONTENT_LENGTH=%u",
				 (unsigned)(200 + next() % 4000));
		} else {
			snprintf(q->method, sizeof(q->method), "TG_METHOD=GET");
		}
		q->env[e++] = "REQUEST_METHOD=GET";
		q->env[e++] = "PATH_INFO=/_tollgate/gate";
		q->env[e++] = "TG_GATE=1";
		q->env[e++] = q->key;
		q->env[e++] = q->peer;
		q->env[e++] = q->uri;
		q->env[e++] = q->ua;
		q->env[e++] = q->rid;
		q->env[e++] = q->method;
		if (q->cl[0] != '\0')
			q->env[e++] = q->cl;
	}
	return t;
}

struct run {
	double gate_ns, observe_ns;
	size_t refused;
};

/* One configuration over the whole traffic, on a fresh state. */
static struct run run_once(int engine, const struct req *t, size_t n, const char *dir,
			   char keys[KEYS][GATE_KEY_LEN + 1], const char *shared)
{
	struct config cfg;
	struct state st;
	struct state_sizes sz;
	struct app app;
	struct arena arena;
	struct fcgi_response rs;
	struct fcgi_request rq;
	struct gate_admit admit;
	struct state_tenant tn;
	struct run out = {0, 0, 0};
	char path[300], msg[256];
	int64_t gate = 0, observe = 0, clock_cost, t0;
	size_t i;

	if (config_load(&cfg, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "gate_cpu: %s\n", msg);
		exit(1);
	}
	for (i = 0; i < sizeof(cfg.secret_key); i++)
		cfg.secret_key[i] = (unsigned char)(0xa0 + i);
	cfg.has_secret = true;
	cfg.abuse_engine = engine;
	snprintf(path, sizeof(path), "%s/state-%d.shm", dir, engine);
	unlink(path);
	sz = (struct state_sizes){
	    .max_keys = (uint32_t)cfg.max_keys,
	    .max_tenants = (uint32_t)cfg.max_tenants,
	    .max_clients = (uint32_t)cfg.max_clients,
	    .usage_slots = (uint32_t)cfg.usage_slots,
	    .rings = 1,
	    .max_routes = (uint32_t)cfg.max_routes,
	    .max_list_entries = (uint32_t)cfg.max_list_entries,
	    .max_jwt_issuers = (uint32_t)cfg.max_jwt_issuers,
	};
	if (state_open(&st, path, &sz, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "gate_cpu: state: %s\n", msg);
		exit(1);
	}
	memset(&tn, 0, sizeof(tn));
	tn.id = TENANT;
	tn.status = TENANT_ACTIVE;
	tn.abuse_mode = ABUSE_ENFORCE;
	str_lcpy(tn.slug, "bench", sizeof(tn.slug));
	str_lcpy(tn.plan, "scale", sizeof(tn.plan));
	str_lcpy(tn.upstream, "http://127.0.0.1:9", sizeof(tn.upstream));
	/* Plan limits far above this traffic: what is measured is deciding, not refusing. */
	tn.key_rates = (struct state_rates){1000000, 1000000, 60000000, 0};
	tn.rates = tn.key_rates;
	tn.monthly_quota = STATE_UNLIMITED;
	tn.max_body = 1 << 20;
	if (state_tenant_put(&st, &tn) != ERR_OK)
		abort();
	/* The model configuration is a tenant's trained model (the prior decides as the
	 * heuristics do): the prior's weights, summed as a trained model's are. */
	if (engine == ABUSE_ENGINE_MODEL) {
		struct abuse_model m;

		abuse_model_prior(&m);
		m.prior = false;
		m.version = 1;
		if (state_model_put(&st, TENANT, &m, 1) != ERR_OK)
			abort();
	}
	for (i = 0; i <= KEYS; i++) {
		unsigned char hash[CRYPTOX_HASH_BYTES];
		struct state_key k;

		gate_keys_hash(cfg.secret_key, str_c(i < KEYS ? keys[i] : shared), hash);
		memset(&k, 0, sizeof(k));
		k.id = (int64_t)i + 1;
		k.tenant_id = TENANT;
		if (state_key_put(&st, hash, &k) != ERR_OK)
			abort();
	}
	cfg.ip_rps = 1000000;
	cfg.ip_burst = 1000000;
	cfg.authfail_per_minute = 1000000;
	cfg.authfail_burst = 1000000;
	memset(&app, 0, sizeof(app));
	app.cfg = &cfg;
	app.state = &st;
	app.ring = 0;
	arena_init(&arena, 4096, 1 << 20);
	fcgi_response_init(&rs, 16 * 1024, 64 * 1024);

	t0 = mono_ns();
	for (i = 0; i < 100000; i++)
		(void)mono_ns();
	clock_cost = (mono_ns() - t0) / 100000;

	for (i = 0; i < n; i++) {
		const struct req *q = &t[i];
		struct state_decision d;
		int64_t a, b, c;
		int status;

		fcgi_response_reset(&rs);
		arena_reset(&arena);
		memset(&rq, 0, sizeof(rq));
		rq.envp = (char **)q->env;
		rq.arena = &arena;
		memset(&admit, 0, sizeof(admit));
		a = mono_ns();
		router_dispatch(&app, &gate_pool_routes, &rq, &rs, &arena, &admit);
		b = mono_ns();
		gate += b - a - clock_cost;
		status = rs.status;
		out.refused += status == 403 || status == 429;

		/* The answer, as the collector would read it from Caddy's access log. */
		memset(&d, 0, sizeof(d));
		(void)codec_ip_parse(q->peer + 8, d.ip);
		d.key_id = admit.key_id;
		d.tenant_id = admit.tenant_id;
		d.outcome = status == 200 ? DECISION_ALLOW : DECISION_DENY;
		d.route_hash = admit.route_hash;
		d.ua_hash = admit.ua_hash;
		memcpy(d.seg_pos, admit.seg_pos, sizeof(d.seg_pos));
		memcpy(d.seg_val, admit.seg_val, sizeof(d.seg_val));
		if (status == 200 && next() % 5 == 0)
			status = 404;
		b = mono_ns();
		abuse_observe_response(&st, &d, status, state_mono_ns());
		c = mono_ns();
		observe += c - b - clock_cost;
		/* The collector and the sampler take what the gate queued. */
		atomic_store(&st.rings[0].tail, atomic_load(&st.rings[0].head));
		atomic_store(&st.samples[0].tail, atomic_load(&st.samples[0].head));
		atomic_store(&st.grays[0].tail, atomic_load(&st.grays[0].head));
	}
	out.gate_ns = (double)gate / (double)n;
	out.observe_ns = (double)observe / (double)n;
	fcgi_response_free(&rs);
	arena_free(&arena);
	state_close(&st);
	unlink(path);
	config_free(&cfg);
	return out;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* "<config> <what> <median> <min> <max>" (sorts v). */
static void print_row(const char *config, const char *what, double *v, long rounds)
{
	qsort(v, (size_t)rounds, sizeof(double), cmp);
	printf("%s %s %.0f %.0f %.0f\n", config, what, v[rounds / 2], v[0], v[rounds - 1]);
}

int main(int argc, char **argv)
{
	static char keys[KEYS][GATE_KEY_LEN + 1];
	static const char *const names[3] = {"off", "heuristics", "model"};
	char shared[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1],
	    dir[] = "/tmp/gatecpu.XXXXXX";
	double gate[3][ROUNDS_MAX], obs[3][ROUNDS_MAX], diff[2][ROUNDS_MAX];
	size_t refused[3] = {0, 0, 0};
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 5;
	struct req *t;
	int e;
	long r;

	if (n < 1000 || rounds < 1 || rounds > ROUNDS_MAX) {
		fprintf(stderr, "usage: gate_cpu [REQUESTS >= 1000 [ROUNDS 1-%d]]\n", ROUNDS_MAX);
		return 2;
	}
	log_init("gate_cpu", LOG_ERROR);
	if (cryptox_init() != ERR_OK || mkdtemp(dir) == NULL)
		return 1;
	for (e = 0; e < KEYS; e++)
		gate_keys_generate(GATE_KEY_LIVE, keys[e], prefix);
	gate_keys_generate(GATE_KEY_LIVE, shared, prefix);
	t = traffic((size_t)n, keys, shared);
	for (r = 0; r < rounds; r++)
		for (e = 0; e < 3; e++) {
			int engine = e == 0   ? ABUSE_ENGINE_OFF
				     : e == 1 ? ABUSE_ENGINE_HEURISTICS
					      : ABUSE_ENGINE_MODEL;
			struct run x = run_once(engine, t, (size_t)n, dir, keys, shared);

			gate[e][r] = x.gate_ns;
			obs[e][r] = x.observe_ns;
			refused[e] = x.refused;
		}
	rmdir(dir);
	printf(
	    "# gate_cpu: %ld requests, %ld rounds; ns per call: median, min, max over the rounds\n",
	    n, rounds);
	/* The engine's own cost: in each round, its configuration minus the engine off, run
	 * just before it on the same traffic. */
	for (r = 0; r < rounds; r++) {
		diff[0][r] = gate[1][r] - gate[0][r];
		diff[1][r] = gate[2][r] - gate[0][r];
	}
	for (e = 0; e < 3; e++) {
		print_row(names[e], "gate", gate[e], rounds);
		print_row(names[e], "observe", obs[e], rounds);
		printf("%s refused %zu\n", names[e], refused[e]);
	}
	print_row("heuristics-off", "gate", diff[0], rounds);
	print_row("model-off", "gate", diff[1], rounds);
	free(t);
	return 0;
}
