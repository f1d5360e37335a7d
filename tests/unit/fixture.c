/* Shared unit-test helpers: temporary folders and the socket-free gate/router harness. */
#include "fixture.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/log.h"
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

void fx_gate_open(struct fx_gate *g)
{
	char path[300], msg[256];
	size_t i;

	memset(g, 0, sizeof(*g));
	log_init("unit", LOG_ERROR); /* the router warns on every 5xx */
	cr_assert_eq(cryptox_init(), ERR_OK);
	fx_mkdtemp(g->dir, sizeof(g->dir));
	snprintf(path, sizeof(path), "%s/state.shm", g->dir);
	cr_assert_eq(state_open(&g->st, path, 64, 16, msg, sizeof(msg)), ERR_OK, "%s", msg);
	/* Strings point to literals: this config is never passed to config_free(). */
	g->cfg.problem_base = "https://tollgate.dev/problems/";
	g->cfg.ready_staleness_ms = 3000;
	g->cfg.max_body = 1 << 20;
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

void fx_dispatch(struct fx_gate *g, char **envp)
{
	fcgi_response_reset(&g->rs);
	arena_reset(&g->arena);
	memset(&g->rq, 0, sizeof(g->rq));
	g->rq.envp = envp;
	g->rq.arena = &g->arena;
	router_dispatch(&g->app, &g->rq, &g->rs, &g->arena);
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
