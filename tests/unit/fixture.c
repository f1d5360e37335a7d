/* Shared unit-test helpers: temporary folders and the socket-free gate/router harness. */
#include "fixture.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../../app/serve/console_pool.h"
#include "../../app/serve/gate_pool.h"
#include "../../app/serve/router.h"

void fx_mkdtemp(char *dir, size_t n)
{
	char tmpl[] = "/tmp/tollgate-unit-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl), "mkdtemp failed");
	cr_assert_lt(strlen(tmpl), n);
	memcpy(dir, tmpl, sizeof(tmpl));
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_rmtree(const char *dir)
{
	if (dir[0] != '\0')
		(void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fx_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "cannot create %s", path);
	cr_assert_eq(fputs(text, f) >= 0, true);
	cr_assert_eq(fclose(f), 0);
}

const struct state_sizes fx_sizes = {64, 16, 64, 256, 4, 1024, 64, 16};

void fx_gate_open(struct fx_gate *g)
{
	char path[300], msg[256];
	size_t i;

	memset(g, 0, sizeof(*g));
	log_init("unit", LOG_ERROR); /* the router warns on every 5xx */
	cr_assert_eq(cryptox_init(), ERR_OK);
	fx_mkdtemp(g->dir, sizeof(g->dir));
	snprintf(path, sizeof(path), "%s/state.shm", g->dir);
	cr_assert_eq(state_open(&g->st, path, &fx_sizes, msg, sizeof(msg)), ERR_OK, "%s", msg);
	/* Strings point to literals: this config is never passed to config_free(). */
	g->cfg.problem_base = "https://tollgate.dev/problems/";
	g->cfg.ready_staleness_ms = 3000;
	g->cfg.max_body = 1 << 20;
	g->cfg.ip_rps = 1000;
	g->cfg.ip_burst = 1000;
	g->cfg.authfail_per_minute = 1000;
	g->cfg.authfail_burst = 1000;
	g->cfg.quota_fail_open = true;
	for (i = 0; i < sizeof(g->cfg.secret_key); i++)
		g->cfg.secret_key[i] = (unsigned char)(0xa0 + i);
	g->cfg.has_secret = true;
	g->app.cfg = &g->cfg;
	g->app.state = &g->st;
	arena_init(&g->arena, 4096, 1 << 20);
	fcgi_response_init(&g->rs, 16 * 1024, 64 * 1024);
}

void fx_gate_close(struct fx_gate *g)
{
	fcgi_response_free(&g->rs);
	arena_free(&g->arena);
	state_close(&g->st);
	fx_rmtree(g->dir);
}

void fx_tenant(struct fx_gate *g, int64_t id, const char *slug, enum tenant_status status,
	       const char *upstream)
{
	struct state_tenant t;

	memset(&t, 0, sizeof(t));
	t.id = id;
	t.status = status;
	str_lcpy(t.slug, slug, sizeof(t.slug));
	str_lcpy(t.plan, "pro", sizeof(t.plan));
	str_lcpy(t.upstream, upstream, sizeof(t.upstream));
	t.key_rates = (struct state_rates){1000, 1000, 60000, 0};
	t.rates = (struct state_rates){1000, 1000, 60000, 0};
	t.monthly_quota = STATE_UNLIMITED;
	t.max_body = 1 << 20;
	cr_assert_eq(state_tenant_put(&g->st, &t), ERR_OK);
}

void fx_key(struct fx_gate *g, int64_t key_id, int64_t tenant_id, int64_t expires_at,
	    char key[GATE_KEY_LEN + 1])
{
	unsigned char hash[CRYPTOX_HASH_BYTES];
	char prefix[GATE_KEY_PREFIX_LEN + 1];
	struct state_key k;

	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	gate_keys_hash(g->cfg.secret_key, str_c(key), hash);
	memset(&k, 0, sizeof(k));
	k.id = key_id;
	k.tenant_id = tenant_id;
	k.expires_at = expires_at;
	cr_assert_eq(state_key_put(&g->st, hash, &k), ERR_OK);
}

void fx_key_limits(struct fx_gate *g, const char *key, int32_t rps, int32_t burst, int32_t rpm)
{
	unsigned char hash[CRYPTOX_HASH_BYTES];
	struct state_key k;

	gate_keys_hash(g->cfg.secret_key, str_c(key), hash);
	cr_assert(state_key_find(&g->st, hash, &k), "no such key %s", key);
	k.rps = rps;
	k.burst = burst;
	k.rpm = rpm;
	cr_assert_eq(state_key_put(&g->st, hash, &k), ERR_OK);
}

void fx_uuid(char out[37], uint64_t n)
{
	/* The first bytes vary as in a random (v4) UUID, which the collector's join hashes. */
	snprintf(out, 37, "%08x-0000-4000-8000-%012llx", (unsigned)((n + 1) * 0x9e3779b1u),
		 (unsigned long long)(n & 0xffffffffffffULL));
}

void fx_dispatch(struct fx_gate *g, char **envp)
{
	fcgi_response_reset(&g->rs);
	arena_reset(&g->arena);
	memset(&g->rq, 0, sizeof(g->rq));
	g->rq.envp = envp;
	g->rq.arena = &g->arena;
	/* Caddy sends the gate's requests (TG_GATE) to the gate's socket, the rest to the
	 * console's. */
	router_dispatch(&g->app,
			fcgi_param(&g->rq, "TG_GATE") != NULL ? &gate_pool_routes
							      : &console_pool_routes,
			&g->rq, &g->rs, &g->arena, &g->admit);
}

void fx_gate_ask(struct fx_gate *g, const char *key, const char *peer, const char *request_id,
		 const char *extra)
{
	size_t n = 0;

	g->ask_env[n++] = "REQUEST_METHOD=GET";
	g->ask_env[n++] = "PATH_INFO=/_tollgate/gate";
	g->ask_env[n++] = "TG_GATE=1";
	if (key != NULL) {
		snprintf(g->ask[0], sizeof(g->ask[0]), "HTTP_X_API_KEY=%s", key);
		g->ask_env[n++] = g->ask[0];
	}
	if (peer != NULL) {
		snprintf(g->ask[1], sizeof(g->ask[1]), "TG_PEER=%s", peer);
		g->ask_env[n++] = g->ask[1];
	}
	if (request_id != NULL) {
		snprintf(g->ask[2], sizeof(g->ask[2]), "TG_REQUEST_ID=%s", request_id);
		g->ask_env[n++] = g->ask[2];
	}
	if (extra != NULL) {
		str_lcpy(g->ask[3], extra, sizeof(g->ask[3]));
		g->ask_env[n++] = g->ask[3];
	}
	g->ask_env[n] = NULL;
	fx_dispatch(g, g->ask_env);
}

bool fx_header(const struct fx_gate *g, const char *name, char *out, size_t n)
{
	struct str v;

	out[0] = '\0';
	if (!fcgi_response_header_get(&g->rs, name, &v))
		return false;
	cr_assert_lt(v.len, n, "%s is too long for the buffer", name);
	memcpy(out, v.p, v.len);
	out[v.len] = '\0';
	return true;
}

void fx_assert_header(const struct fx_gate *g, const char *name, const char *want)
{
	struct str v;

	cr_assert(fcgi_response_header_get(&g->rs, name, &v), "no %s header in:\n%s", name,
		  g->rs.head.p ? g->rs.head.p : "");
	cr_assert(str_eq_c(v, want), "%s is '%.*s', want '%s'", name, (int)v.len, v.p, want);
}

struct jsonx_doc *fx_body_json(const struct fx_gate *g)
{
	struct jsonx_doc *d;
	char msg[256];

	cr_assert_eq(
	    jsonx_parse(g->rs.body.p ? g->rs.body.p : "", g->rs.body.len, &d, msg, sizeof(msg)),
	    ERR_OK, "body is not a JSON object (%s): %s", msg, g->rs.body.p ? g->rs.body.p : "");
	return d;
}

void fx_assert_problem(const struct fx_gate *g, int status, const char *slug,
		       const char *request_id)
{
	struct jsonx_doc *d;
	const char *type, *s;
	size_t tlen, slen = strlen(slug);
	int64_t st;

	cr_assert_eq(g->rs.status, status, "status %d, want %d; body %s", g->rs.status, status,
		     g->rs.body.p ? g->rs.body.p : "");
	fx_assert_header(g, "Content-Type", "application/problem+json");
	d = fx_body_json(g);
	cr_assert(jsonx_get_str(d, "type", &type));
	tlen = strlen(type);
	cr_assert(tlen >= slen && strcmp(type + tlen - slen, slug) == 0, "type %s, want *%s", type,
		  slug);
	cr_assert(strncmp(type, "https://tollgate.dev/problems/", 30) == 0, "type %s", type);
	cr_assert(jsonx_get_int(d, "status", &st));
	cr_assert_eq(st, status);
	cr_assert(jsonx_get_str(d, "title", &s));
	cr_assert_neq(s[0], '\0');
	cr_assert(jsonx_get_str(d, "request_id", &s), "no request_id in %s", g->rs.body.p);
	cr_assert_str_eq(s, request_id);
	jsonx_doc_free(d);
}
