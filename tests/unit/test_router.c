/* The router: unknown paths, wrong methods and the health endpoints, without sockets. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <string.h>

#include "../../app/serve/router.h"
#include "fixture.h"

static struct fx_gate g;

static void setup(void)
{
	fx_gate_open(&g);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(router, .init = setup, .fini = teardown);

Test(router, unknown_path_is_404_problem)
{
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/nope", "TG_REQUEST_ID=req-1", NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 404, "not-found", "req-1");
	fx_assert_header(&g, "Cache-Control", "no-store");
}

Test(router, missing_path_and_method_is_404)
{
	char *env[] = {"TG_REQUEST_ID=req-1", NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 404, "not-found", "req-1");
}

Test(router, missing_request_id_becomes_dash)
{
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/nope", NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 404, "not-found", "-");
}

Test(router, post_to_health_live_is_405)
{
	char *env[] = {"REQUEST_METHOD=POST", "PATH_INFO=/health/live", "TG_REQUEST_ID=req-1",
		       NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 405, "method-not-allowed", "req-1");
}

Test(router, method_not_allowed_lists_the_allowed_methods)
{
	char *env[] = {"REQUEST_METHOD=DELETE", "PATH_INFO=/health/ready", "TG_REQUEST_ID=req-1",
		       NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 405, "method-not-allowed", "req-1");
	fx_assert_header(&g, "Allow", "GET, HEAD");
}

Test(router, gate_route_is_unknown_without_forward_auth_whatever_the_method)
{
	char *get[] = {"REQUEST_METHOD=GET", "PATH_INFO=/_tollgate/gate", "TG_REQUEST_ID=req-1",
		       NULL};
	char *post[] = {"REQUEST_METHOD=POST", "PATH_INFO=/_tollgate/gate", "TG_REQUEST_ID=req-2",
			NULL};

	fx_dispatch(&g, get);
	fx_assert_problem(&g, 404, "not-found", "req-1");
	fx_dispatch(&g, post);
	fx_assert_problem(&g, 404, "not-found", "req-2");
}

Test(router, paths_match_exactly)
{
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/health/live/", "TG_REQUEST_ID=req-1",
		       NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 404, "not-found", "req-1");
}

Test(router, health_live_is_200_json)
{
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/health/live", "TG_REQUEST_ID=req-1",
		       "TG_INTERNAL=1", NULL};
	struct jsonx_doc *d;
	const char *s;
	int64_t pid;

	fx_dispatch(&g, env);
	cr_assert_eq(g.rs.status, 200);
	fx_assert_header(&g, "Content-Type", "application/json");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "data.status", &s));
	cr_assert_str_eq(s, "live");
	cr_assert(jsonx_get_int(d, "data.pid", &pid));
	cr_assert_gt(pid, 0);
	cr_assert(jsonx_get_str(d, "meta.request_id", &s));
	cr_assert_str_eq(s, "req-1");
	jsonx_doc_free(d);
}

Test(router, head_is_served_by_the_get_route)
{
	char *env[] = {"REQUEST_METHOD=HEAD", "PATH_INFO=/health/live", "TG_REQUEST_ID=req-1",
		       NULL};

	fx_dispatch(&g, env);
	cr_assert_eq(g.rs.status, 200);
}

Test(router, public_health_answers_say_no_more_than_the_status)
{
	char *live[] = {"REQUEST_METHOD=GET", "PATH_INFO=/health/live", "TG_REQUEST_ID=req-1",
			NULL};
	char *ready[] = {"REQUEST_METHOD=GET", "PATH_INFO=/health/ready", "TG_REQUEST_ID=req-1",
			 NULL};
	struct jsonx_doc *d;
	const char *s;
	int64_t n;

	fx_dispatch(&g, live);
	cr_assert_eq(g.rs.status, 200);
	d = fx_body_json(&g);
	cr_assert_not(jsonx_get_int(d, "data.pid", &n), "the pid is for the internal site");
	jsonx_doc_free(d);
	fx_dispatch(&g, ready);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert(strstr(s, "PostgreSQL") == NULL, "a public answer names no dependency: %s", s);
	jsonx_doc_free(d);
	atomic_store(&g.st.hdr->loaded, 1);
	atomic_store(&g.st.hdr->db_up, 1);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms());
	fx_dispatch(&g, ready);
	cr_assert_eq(g.rs.status, 200);
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "data.status", &s));
	cr_assert_str_eq(s, "ready");
	cr_assert_not(jsonx_get_int(d, "data.keys", &n), "counts are for the internal site");
	jsonx_doc_free(d);
}

Test(router, metrics_exist_only_on_the_internal_site)
{
	char *pub[] = {"REQUEST_METHOD=GET", "PATH_INFO=/metrics", "TG_REQUEST_ID=req-1", NULL};
	char *internal[] = {"REQUEST_METHOD=GET", "PATH_INFO=/metrics", "TG_REQUEST_ID=req-1",
			    "TG_INTERNAL=1", NULL};

	fx_dispatch(&g, pub);
	fx_assert_problem(&g, 404, "not-found", "req-1");
	fx_dispatch(&g, internal);
	cr_assert_eq(g.rs.status, 200);
}

Test(router, a_full_key_table_makes_the_node_not_ready_and_a_full_client_table_degraded)
{
	char *ready[] = {"REQUEST_METHOD=GET", "PATH_INFO=/health/ready", "TG_REQUEST_ID=req-1",
			 "TG_INTERNAL=1", NULL};
	struct jsonx_doc *d;
	const char *s;

	atomic_store(&g.st.hdr->loaded, 1);
	atomic_store(&g.st.hdr->db_up, 1);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms());
	state_table_full(&g.st, TABLE_CLIENTS);
	fx_dispatch(&g, ready);
	cr_assert_eq(g.rs.status, 200);
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "data.status", &s));
	cr_assert_str_eq(s, "degraded");
	cr_assert(jsonx_get_str_first(d, "data.full_tables", &s));
	cr_assert_str_eq(s, "clients");
	jsonx_doc_free(d);
	state_table_full(&g.st, TABLE_KEYS);
	fx_dispatch(&g, ready);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert(strstr(s, "TOLLGATE_MAX_KEYS") != NULL, "%s", s);
	jsonx_doc_free(d);
	cr_assert_eq(atomic_load(&g.st.hdr->full_count[TABLE_KEYS]), 1);
}

static char *ready_env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/health/ready", "TG_REQUEST_ID=req-1",
			    "TG_INTERNAL=1", NULL};

Test(router, health_ready_is_503_until_loaded)
{
	struct jsonx_doc *d;
	const char *s;

	fx_dispatch(&g, ready_env);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
	/* The database is up but nothing is loaded yet. */
	atomic_store(&g.st.hdr->db_up, 1);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms());
	fx_dispatch(&g, ready_env);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert(strstr(s, "not loaded") != NULL, "%s", s);
	jsonx_doc_free(d);
}

Test(router, health_ready_is_200_when_loaded_and_database_fresh)
{
	struct jsonx_doc *d;
	const char *s;
	int64_t n;

	fx_tenant(&g, 1, "one", TENANT_ACTIVE, "127.0.0.1:1");
	atomic_store(&g.st.hdr->loaded, 1);
	atomic_store(&g.st.hdr->db_up, 1);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms());
	atomic_store(&g.st.hdr->synced_ms, state_mono_ms());
	fx_dispatch(&g, ready_env);
	cr_assert_eq(g.rs.status, 200, "body %s", g.rs.body.p);
	fx_assert_header(&g, "Content-Type", "application/json");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "data.status", &s));
	cr_assert_str_eq(s, "ready");
	cr_assert(jsonx_get_int(d, "data.tenants", &n));
	cr_assert_eq(n, 1);
	cr_assert(jsonx_get_int(d, "data.keys", &n));
	cr_assert_eq(n, 0);
	cr_assert(jsonx_get_str(d, "meta.request_id", &s));
	cr_assert_str_eq(s, "req-1");
	jsonx_doc_free(d);
}

Test(router, health_ready_is_503_when_database_check_is_stale)
{
	atomic_store(&g.st.hdr->loaded, 1);
	atomic_store(&g.st.hdr->db_up, 1);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms() - 10 * g.cfg.ready_staleness_ms);
	fx_dispatch(&g, ready_env);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
}

Test(router, health_ready_is_503_when_database_down)
{
	struct jsonx_doc *d;
	const char *s;

	atomic_store(&g.st.hdr->loaded, 1);
	atomic_store(&g.st.hdr->db_up, 0);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms());
	fx_dispatch(&g, ready_env);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &s));
	cr_assert(strstr(s, "PostgreSQL") != NULL, "%s", s);
	jsonx_doc_free(d);
}

Test(router, reopened_state_is_not_ready_until_the_syncer_reloads)
{
	char path[300], msg[256];

	atomic_store(&g.st.hdr->loaded, 1);
	atomic_store(&g.st.hdr->db_up, 1);
	atomic_store(&g.st.hdr->db_ok_ms, state_mono_ms());
	fx_tenant(&g, 3, "kept", TENANT_ACTIVE, "127.0.0.1:1");
	state_close(&g.st);
	snprintf(path, sizeof(path), "%s/state.shm", g.dir);
	cr_assert_eq(state_open(&g.st, path, &fx_sizes, msg, sizeof(msg)), ERR_OK, "%s", msg);
	fx_dispatch(&g, ready_env);
	fx_assert_problem(&g, 503, "not-ready", "req-1");
	{
		struct state_tenant t;

		cr_assert(state_tenant_find(&g.st, 3, &t), "tenant lost across reopen");
		cr_assert_str_eq(t.slug, "kept");
	}
}

/* A handler whose headers do not fit the response's header buffer. */
static enum err huge_headers(struct hctx *c)
{
	char name[32];
	int i;

	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "X-Filler-%d", i);
		fcgi_header(c->rs, name, "0123456789abcdef0123456789abcdef");
	}
	return ERR_OK;
}

Test(router, headers_that_overflow_are_a_500_not_a_truncated_answer)
{
	static const struct route routes[] = {{"GET", "/huge", huge_headers, 0}};
	static const struct route_table table = {.name = "test", .routes = routes, .n = 1};
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/huge", "TG_REQUEST_ID=req-1", NULL};
	struct gate_admit admit;
	struct str v;

	fcgi_response_reset(&g.rs);
	memset(&g.rq, 0, sizeof(g.rq));
	g.rq.envp = env;
	g.rq.arena = &g.arena;
	router_dispatch(&g.app, &table, &g.rq, &g.rs, &g.arena, &admit);
	fx_assert_problem(&g, 500, "internal-error", "req-1");
	cr_assert_not(fcgi_response_header_get(&g.rs, "X-Filler-1", &v));
	cr_assert_not(g.rs.head.overflow);
}

static int page_errors, page_status;
static enum err page_err;

static void record_page_error(struct hctx *c, int status, enum err e)
{
	(void)c;
	page_errors++;
	page_status = status;
	page_err = e;
}

static enum err page_fails(struct hctx *c)
{
	(void)c;
	return ERR_FORBIDDEN;
}

static enum err no_session(struct hctx *c)
{
	(void)c;
	return ERR_AUTH;
}

static void dispatch_path(const struct route_table *t, const char *method, const char *path)
{
	static char m[64], p[128];
	char *env[] = {m, p, "TG_REQUEST_ID=req-2", NULL};
	struct gate_admit admit;

	snprintf(m, sizeof(m), "REQUEST_METHOD=%s", method);
	snprintf(p, sizeof(p), "PATH_INFO=%s", path);
	fcgi_response_reset(&g.rs);
	memset(&g.rq, 0, sizeof(g.rq));
	g.rq.envp = env;
	g.rq.arena = &g.arena;
	page_errors = 0;
	router_dispatch(&g.app, t, &g.rq, &g.rs, &g.arena, &admit);
}

Test(router, pages_show_their_errors_as_pages_and_the_api_as_problems)
{
	static const struct route routes[] = {
	    {"GET", "/portal/x", page_fails, ROUTE_PAGE},
	    {"GET", "/portal/y", page_fails, ROUTE_SESSION},
	    {"GET", "/api/z", page_fails, 0},
	};
	static const char *const prefixes[] = {"/portal", NULL};
	static const struct route_table table = {.name = "test",
						 .routes = routes,
						 .n = 3,
						 .auth_session = no_session,
						 .page_error = record_page_error,
						 .page_prefixes = prefixes};

	dispatch_path(&table, "GET", "/portal/x");
	cr_assert_eq(page_errors, 1);
	cr_assert_eq(page_status, 403);
	dispatch_path(&table, "GET", "/portal/y");
	cr_assert_eq(page_errors, 1);
	cr_assert_eq(page_err, ERR_AUTH, "the session is checked before the handler runs");
	dispatch_path(&table, "GET", "/portal/nowhere");
	cr_assert_eq(page_errors, 1);
	cr_assert_eq(page_status, 404);
	dispatch_path(&table, "POST", "/portal/x");
	cr_assert_eq(page_status, 405);
	dispatch_path(&table, "GET", "/api/z");
	cr_assert_eq(page_errors, 0);
	fx_assert_problem(&g, 403, "forbidden", "req-2");
	dispatch_path(&table, "GET", "/api/nowhere");
	cr_assert_eq(page_errors, 0);
	fx_assert_problem(&g, 404, "not-found", "req-2");
}
