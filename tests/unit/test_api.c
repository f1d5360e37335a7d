/* The management plane without a database: the router's path parameters, management
 * tokens, authentication up to the lookup, the decisions filters and cursor, and the
 * small parsers and writers the handlers share. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../app/api/api.h"
#include "../../app/api/api_auth.h"
#include "../../app/api/api_db.h"
#include "../../app/api/api_decisions.h"
#include "../../app/api/api_usage.h"
#include "../../app/serve/router.h"
#include "../../lib/codec.h"
#include "fixture.h"

/* ---- router_match ---------------------------------------------------------------- */

static bool match(const char *pattern, const char *path, struct hctx_param *p, size_t *n)
{
	return router_match(pattern, path, p, n);
}

Test(router_match, literal_paths_match_exactly)
{
	struct hctx_param p[HCTX_MAX_PARAMS];
	size_t n = 9;

	cr_assert(match("/health/live", "/health/live", p, &n));
	cr_assert_eq(n, 0);
	cr_assert_not(match("/health/live", "/health/live/", p, &n));
	cr_assert_not(match("/health/live", "/health/liv", p, &n));
	cr_assert_not(match("/health/live", "/health/lives", p, &n));
	cr_assert_not(match("/health/live", "", p, &n));
	cr_assert_not(match("/", "//", p, &n));
}

Test(router_match, a_parameter_captures_one_segment)
{
	struct hctx_param p[HCTX_MAX_PARAMS];
	size_t n;

	cr_assert(match("/api/v1/decisions/:id", "/api/v1/decisions/abc-123", p, &n));
	cr_assert_eq(n, 1);
	cr_assert(str_eq_c(p[0].name, "id"));
	cr_assert(str_eq_c(p[0].value, "abc-123"));
	cr_assert(match("/api/v1/decisions/:id/label", "/api/v1/decisions/x/label", p, &n));
	cr_assert(str_eq_c(p[0].value, "x"));
	cr_assert(match("/a/:x", "/a/:x", p, &n), "a colon in the path is an ordinary character");
}

Test(router_match, a_parameter_never_matches_empty_or_several_segments)
{
	struct hctx_param p[HCTX_MAX_PARAMS];
	size_t n;

	cr_assert_not(match("/api/v1/decisions/:id", "/api/v1/decisions/", p, &n));
	cr_assert_not(match("/api/v1/decisions/:id", "/api/v1/decisions", p, &n));
	cr_assert_not(match("/api/v1/decisions/:id", "/api/v1/decisions/a/b", p, &n));
	cr_assert_not(match("/api/v1/decisions/:id/label", "/api/v1/decisions//label", p, &n));
	cr_assert_not(match("/api/v1/decisions/:id/label", "/api/v1/decisions/a/labels", p, &n));
	cr_assert_not(match("/api/v1/decisions/:id/label", "/api/v1/decisions/a", p, &n));
}

Test(router_match, several_parameters_in_order)
{
	struct hctx_param p[HCTX_MAX_PARAMS];
	size_t n;

	cr_assert(match("/t/:tenant/keys/:key", "/t/acme/keys/42", p, &n));
	cr_assert_eq(n, 2);
	cr_assert(str_eq_c(p[0].name, "tenant"));
	cr_assert(str_eq_c(p[0].value, "acme"));
	cr_assert(str_eq_c(p[1].name, "key"));
	cr_assert(str_eq_c(p[1].value, "42"));
	cr_assert_not(match("/:a/:b/:c/:d/:e", "/1/2/3/4/5", p, &n), "at most HCTX_MAX_PARAMS");
	cr_assert(match("/:a/:b/:c/:d", "/1/2/3/4", p, &n));
}

Test(router_match, hctx_param_finds_by_name)
{
	struct hctx c;

	memset(&c, 0, sizeof(c));
	cr_assert(router_match("/d/:id/x/:y", "/d/abc/x/zz", c.params, &c.nparams));
	cr_assert(str_eq_c(hctx_param(&c, "id"), "abc"));
	cr_assert(str_eq_c(hctx_param(&c, "y"), "zz"));
	cr_assert_eq(hctx_param(&c, "nope").len, 0);
}

/* ---- tokens and authentication through the router (no database) ------------------ */

static struct fx_gate g;

static void setup(void)
{
	fx_gate_open(&g);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(api_auth, .init = setup, .fini = teardown);

Test(api_auth, a_token_has_its_own_tag_and_checksum)
{
	char token[API_TOKEN_LEN + 1], prefix[API_TOKEN_PREFIX_LEN + 1], key[GATE_KEY_LEN + 1],
	    kprefix[GATE_KEY_PREFIX_LEN + 1];
	enum gate_key_env env;

	cr_assert_eq(API_TOKEN_LEN, 43);
	api_auth_token_new(token, prefix);
	cr_assert_eq(strlen(token), 43);
	cr_assert_eq(strncmp(token, "tgm_", 4), 0, "%s", token);
	cr_assert_eq(token[36], '_');
	cr_assert_eq(strlen(prefix), 12);
	cr_assert_eq(strncmp(prefix, token, 12), 0);
	cr_assert_eq(api_auth_token_check(str_c(token)), ERR_OK);
	cr_assert_neq(gate_keys_check(str_c(token), &env), ERR_OK, "a token is no API key");
	token[42] = token[42] == 'A' ? 'B' : 'A';
	cr_assert_neq(api_auth_token_check(str_c(token)), ERR_OK, "checksum");
	gate_keys_generate(GATE_KEY_LIVE, key, kprefix);
	cr_assert_neq(api_auth_token_check(str_c(key)), ERR_OK, "an API key is no token");
	cr_assert_neq(api_auth_token_check(str_c("tgm_")), ERR_OK);
}

Test(api_auth, no_token_is_401_missing_token_with_a_challenge)
{
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/api/v1/decisions", "TG_REQUEST_ID=r1",
		       NULL};

	fx_dispatch(&g, env);
	fx_assert_problem(&g, 401, "missing-token", "r1");
	fx_assert_header(&g, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
}

Test(api_auth, a_gateway_key_or_garbage_is_401_invalid_token_without_the_database)
{
	char key[GATE_KEY_LEN + 1], auth[128];
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/api/v1/usage", "TG_REQUEST_ID=r1", auth,
		       NULL};

	fx_tenant(&g, 1, "acme", TENANT_ACTIVE, "http://127.0.0.1:9");
	fx_key(&g, 1, 1, 0, key);
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", key);
	fx_dispatch(&g, env);
	fx_assert_problem(&g, 401, "invalid-token", "r1");
	fx_assert_header(&g, "WWW-Authenticate",
			 "Bearer realm=\"tollgate\", error=\"invalid_token\"");
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer hunter2");
	fx_dispatch(&g, env);
	fx_assert_problem(&g, 401, "invalid-token", "r1");
}

Test(api_auth, a_wellformed_token_without_a_database_is_503_unavailable)
{
	char token[API_TOKEN_LEN + 1], prefix[API_TOKEN_PREFIX_LEN + 1], auth[128];
	char *env[] = {"REQUEST_METHOD=GET", "PATH_INFO=/api/v1/decisions/abc", "TG_REQUEST_ID=r1",
		       auth, NULL};

	api_auth_token_new(token, prefix);
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=bearer  %s ", token);
	fx_dispatch(&g, env);
	fx_assert_problem(&g, 503, "unavailable", "r1");
	fx_assert_header(&g, "Retry-After", "1");
}

Test(api_auth, wrong_methods_are_405_before_authentication)
{
	char *post[] = {"REQUEST_METHOD=POST", "PATH_INFO=/api/v1/decisions", "TG_REQUEST_ID=r1",
			NULL};
	char *get[] = {"REQUEST_METHOD=GET", "PATH_INFO=/api/v1/decisions/x/label",
		       "TG_REQUEST_ID=r2", NULL};

	fx_dispatch(&g, post);
	fx_assert_problem(&g, 405, "method-not-allowed", "r1");
	fx_assert_header(&g, "Allow", "GET, HEAD");
	fx_dispatch(&g, get);
	fx_assert_problem(&g, 405, "method-not-allowed", "r2");
	fx_assert_header(&g, "Allow", "POST");
}

/* ---- the decisions filter and cursor ---------------------------------------------- */

static struct arena a;

static void arena_setup(void)
{
	arena_init(&a, 1024, 1 << 16);
}

static void arena_teardown(void)
{
	arena_free(&a);
}

TestSuite(api_filter, .init = arena_setup, .fini = arena_teardown);

static enum err parse(const char *q, struct api_decision_filter *f, const char **param)
{
	const char *detail;
	enum err e = api_decisions_parse_filter(&a, q, f, param, &detail);

	if (e == ERR_INPUT)
		cr_assert(detail != NULL && detail[0] != '\0', "no detail for %s", q);
	return e;
}

Test(api_filter, nothing_means_everything_fifty_at_a_time)
{
	struct api_decision_filter f;
	const char *param;

	cr_assert_eq(parse(NULL, &f, &param), ERR_OK);
	cr_assert_eq(f.limit, 50);
	cr_assert_null(f.outcome);
	cr_assert_null(f.reason);
	cr_assert_null(f.label);
	cr_assert_eq(f.key_id, 0);
	cr_assert_str_empty(f.since);
	cr_assert_str_empty(f.until);
	cr_assert_not(f.has_cursor);
	cr_assert_eq(parse("", &f, &param), ERR_OK);
	cr_assert_eq(parse("&&", &f, &param), ERR_OK);
}

Test(api_filter, every_filter_at_once)
{
	struct api_decision_filter f;
	const char *param;

	cr_assert_eq(parse("outcome=block&reason=path_enumeration&key_id=42&since=2026-05-01T00:"
			   "00:00Z&until=2026-05-02t00:00:00.5%2B02:00&label=none&limit=500",
			   &f, &param),
		     ERR_OK);
	cr_assert_str_eq(f.outcome, "block");
	cr_assert_str_eq(f.reason, "path_enumeration");
	cr_assert_eq(f.key_id, 42);
	cr_assert_str_eq(f.since, "2026-05-01T00:00:00Z");
	cr_assert_str_eq(f.until, "2026-05-02T00:00:00.5+02:00");
	cr_assert_str_eq(f.label, "none");
	cr_assert_eq(f.limit, 500);
}

Test(api_filter, reasons_are_the_engines_own_names)
{
	struct api_decision_filter f;
	const char *param;

	cr_assert_eq(parse("reason=model", &f, &param), ERR_OK);
	cr_assert_eq(parse("reason=deny_list", &f, &param), ERR_OK);
	cr_assert_eq(parse("reason=llm_judge", &f, &param), ERR_OK);
	cr_assert_eq(parse("reason=distributed_guessing", &f, &param), ERR_OK);
	cr_assert_eq(parse("reason=Model", &f, &param), ERR_INPUT);
}

Test(api_filter, an_empty_value_is_no_filter_and_plus_is_kept)
{
	struct api_decision_filter f;
	const char *param;

	cr_assert_eq(parse("outcome=&limit=&since=2026-05-01T10:00:00+02:00", &f, &param), ERR_OK);
	cr_assert_null(f.outcome);
	cr_assert_eq(f.limit, 50);
	cr_assert_str_eq(f.since, "2026-05-01T10:00:00+02:00");
}

Test(api_filter, each_bad_value_names_its_parameter)
{
	static const char *const cases[][2] = {
	    {"outcome=blocked", "outcome"},
	    {"reason=", NULL},
	    {"reason=bogus", "reason"},
	    {"key_id=0", "key_id"},
	    {"key_id=-3", "key_id"},
	    {"key_id=9223372036854775808", "key_id"},
	    {"since=2026-05-01", "since"},
	    {"since=2026-05-01T00:00:00", "since"},
	    {"since=2026-02-29T00:00:00Z", "since"},
	    {"since=2026-05-01T24:00:00Z", "since"},
	    {"since=2026-05-01T00:00:00.Z", "since"},
	    {"since=2026-05-01T00:00:00.1234567890Z", "since"},
	    {"since=2026-05-01T00:00:00+2:00", "since"},
	    {"until=0000-01-01T00:00:00Z", "until"},
	    {"label=labelled", "label"},
	    {"limit=0", "limit"},
	    {"limit=501", "limit"},
	    {"limit=1e2", "limit"},
	    {"cursor=zz", "cursor"},
	    {"colour=red", "colour"},
	    {"outcome=block&outcome=flag", "outcome"},
	    {"outcome=%4", "outcome"},
	    {"outcome=%00", "outcome"},
	    {"out%63ome=%62lock", NULL},
	};
	struct api_decision_filter f;
	const char *param;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum err e = parse(cases[i][0], &f, &param);

		arena_reset(&a);
		if (cases[i][1] == NULL) {
			cr_assert_eq(e, ERR_OK, "%s", cases[i][0]);
			continue;
		}
		cr_assert_eq(e, ERR_INPUT, "%s", cases[i][0]);
		cr_assert_str_eq(param, cases[i][1], "%s", cases[i][0]);
	}
}

Test(api_filter, leap_days_exist_in_leap_years_only)
{
	char out[API_TIME_MAX];

	cr_assert(api_decisions_parse_time("2024-02-29T23:59:59Z", out));
	cr_assert(api_decisions_parse_time("2000-02-29T00:00:00Z", out));
	cr_assert_not(api_decisions_parse_time("1900-02-29T00:00:00Z", out));
	cr_assert_not(api_decisions_parse_time("2026-04-31T00:00:00Z", out));
	cr_assert(api_decisions_parse_time("2026-12-31t23:59:59.123456789-12:30", out));
	cr_assert_str_eq(out, "2026-12-31T23:59:59.123456789-12:30");
}

Test(api_filter, a_cursor_round_trips_and_nothing_else_parses)
{
	unsigned char id[16];
	char text[37], cursor[API_CURSOR_LEN + 1], back[37];
	int64_t at;
	struct api_decision_filter f;
	const char *param;
	char q[128];

	cr_assert(codec_uuid_parse("0b6f3a52-9c1e-4d7a-8f00-123456789abc", id));
	codec_uuid(id, text);
	api_decisions_cursor(1777636800123456LL, id, cursor);
	cr_assert_eq(strlen(cursor), API_CURSOR_LEN);
	cr_assert(api_decisions_cursor_parse(cursor, &at, back));
	cr_assert_eq(at, 1777636800123456LL);
	cr_assert_str_eq(back, text);
	api_decisions_cursor(-1, id, cursor); /* before 1970: still a position */
	cr_assert(api_decisions_cursor_parse(cursor, &at, back));
	cr_assert_eq(at, -1);
	{
		/* One cursor, one spelling: the uppercase of a valid cursor is not one (found by
		 * fuzz_api_query). */
		char upper[API_CURSOR_LEN + 1];
		size_t i;

		for (i = 0; i <= API_CURSOR_LEN; i++)
			upper[i] = (char)(cursor[i] >= 'a' && cursor[i] <= 'f' ? cursor[i] - 32
									       : cursor[i]);
		cr_assert_not(api_decisions_cursor_parse(upper, &at, back));
	}

	snprintf(q, sizeof(q), "limit=2&cursor=%s", cursor);
	cr_assert_eq(parse(q, &f, &param), ERR_OK);
	cr_assert(f.has_cursor);
	cr_assert_eq(f.cursor_at_us, -1);
	cr_assert_str_eq(f.cursor_id, text);

	cursor[0] = '2'; /* another version */
	cr_assert_not(api_decisions_cursor_parse(cursor, &at, back));
	cursor[0] = '0';
	cursor[1] = 'g';
	cr_assert_not(api_decisions_cursor_parse(cursor, &at, back));
	cr_assert_not(api_decisions_cursor_parse("", &at, back));
	cr_assert_not(api_decisions_cursor_parse("01", &at, back));
}

/* ---- shared parsers and writers ----------------------------------------------------- */

Test(api_misc, months_are_yyyy_mm)
{
	char first[11];

	cr_assert(api_usage_parse_month("2026-05", first));
	cr_assert_str_eq(first, "2026-05-01");
	cr_assert(api_usage_parse_month("0001-12", first));
	cr_assert_not(api_usage_parse_month("2026-13", first));
	cr_assert_not(api_usage_parse_month("2026-00", first));
	cr_assert_not(api_usage_parse_month("0000-01", first));
	cr_assert_not(api_usage_parse_month("2026-5", first));
	cr_assert_not(api_usage_parse_month("2026/05", first));
	cr_assert_not(api_usage_parse_month("2026-05-01", first));
}

Test(api_misc, json_numbers_follow_rfc_8259)
{
	static const char *const good[] = {"0", "-0", "1", "0.5", "1e-05", "-1.25E+10", "123"};
	static const char *const bad[] = {"",	"NaN", "Infinity", "-Infinity", "01", ".5",
					  "1.", "1e",  "+1",	   "0x10",	"1 "};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(jsonx_is_number(good[i]), "%s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(jsonx_is_number(bad[i]), "%s", bad[i]);
}

Test(api_misc, numbers_and_raw_values_keep_the_writer_in_step)
{
	struct jsonx_w w;
	struct buf b;

	buf_init(&b, 1024);
	jsonx_w_init(&w, &b);
	jsonx_obj_open(&w);
	api_json_knum(&w, "a", "0.25");
	api_json_knum(&w, "b", "NaN");
	jsonx_key(&w, "c");
	jsonx_raw(&w, "{\"x\":[1,2]}", 11);
	jsonx_kint(&w, "d", 4);
	jsonx_obj_close(&w);
	cr_assert_str_eq(b.p, "{\"a\":0.25,\"b\":null,\"c\":{\"x\":[1,2]},\"d\":4}");
	buf_free(&b);
}

Test(api_misc, unknown_members_are_found_at_the_top_level_only)
{
	static const char *const allowed[] = {"label"};
	char unknown[16];

	cr_assert_not(api_json_unknown_member(str_c("{\"label\":\"a:b\"}"), allowed, 1, unknown,
					      sizeof(unknown)));
	cr_assert_not(
	    api_json_unknown_member(str_c("{ \"label\" : {\"deep\": [\"x\", {\"y\":1}]} }"),
				    allowed, 1, unknown, sizeof(unknown)));
	cr_assert(api_json_unknown_member(str_c("{\"label\":\"x\",\"note\":\"y\"}"), allowed, 1,
					  unknown, sizeof(unknown)));
	cr_assert_str_eq(unknown, "note");
	cr_assert(api_json_unknown_member(str_c("{\"la\\\"bel\":1}"), allowed, 1, unknown,
					  sizeof(unknown)));
	cr_assert(
	    api_json_unknown_member(str_c("{\"labels\":1}"), allowed, 1, unknown, sizeof(unknown)));
	cr_assert_not(api_json_unknown_member(str_c("{}"), allowed, 1, unknown, sizeof(unknown)));
}

Test(api_misc, query_values_are_percent_decoded_into_the_arena)
{
	struct api_qparam qp[] = {{"q", NULL}, {"r", NULL}};
	const char *bad, *why;
	struct arena ar;

	arena_init(&ar, 256, 4096);
	cr_assert_eq(api_query_parse(&ar, "q=a%20b%2Bc+d&r", qp, 2, &bad, &why), ERR_OK);
	cr_assert_str_eq(qp[0].value, "a b+c+d");
	cr_assert_null(qp[1].value);
	cr_assert_eq(api_query_parse(&ar, "q=%E2%9C%93", qp, 2, &bad, &why), ERR_OK);
	cr_assert_str_eq(qp[0].value, "\xe2\x9c\x93");
	cr_assert_eq(api_query_parse(&ar, "s=1", qp, 2, &bad, &why), ERR_INPUT);
	cr_assert_str_eq(bad, "s");
	cr_assert_not_null(why);
	arena_free(&ar);
}

Test(api_db, a_new_connection_state_has_no_transaction_open)
{
	struct app_db d;

	memset(&d, 0xff, sizeof(d)); /* what the stack held before */
	api_db_init(&d, "dbname=x");
	cr_assert_not(d.in_tx, "a page that never opened the database must not commit on it");
	cr_assert_null(d.conn);
}
