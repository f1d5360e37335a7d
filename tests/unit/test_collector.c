/* The collector's handling of one access-log line, without a socket: the join with the
 * gate's decision by request id, the facts it adds to the key's usage, and lines that are
 * malformed or hostile (counted, skipped, never a crash). */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/collector/collector.h"
#include "fixture.h"

static struct fx_gate g;
static char key[GATE_KEY_LEN + 1];

#define TENANT 7
#define KEY_ID 4242
#define PEER   "10.1.2.3"

static void setup(void)
{
	fx_gate_open(&g);
	fx_tenant(&g, TENANT, "acme", TENANT_ACTIVE, "10.0.0.5:8080");
	fx_key(&g, KEY_ID, TENANT, 0, key);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(collector, .init = setup, .fini = teardown, .timeout = 20);

static const char *rid(uint64_t n)
{
	static char ids[8][37];
	char *s = ids[n % 8];

	fx_uuid(s, n);
	return s;
}

/* A gate decision for request n that the access log can then refer to. */
static void admit(uint64_t n)
{
	fx_gate_ask(&g, key, PEER, rid(n), NULL);
	cr_assert_eq(g.rs.status, 200, "status %d: %s", g.rs.status,
		     g.rs.body.p ? g.rs.body.p : "");
}

static char fmt_line[4096];
static size_t fmt_len;

/* Formats a line into fmt_line (length fmt_len); each '@' in it becomes a NUL byte. */
__attribute__((format(printf, 1, 0))) static void line_vf(const char *fmt, va_list ap)
{
	size_t i;
	int w;

	w = vsnprintf(fmt_line, sizeof(fmt_line), fmt, ap);
	cr_assert(w >= 0 && (size_t)w < sizeof(fmt_line));
	fmt_len = (size_t)w;
	for (i = 0; i < fmt_len; i++)
		if (fmt_line[i] == '@')
			fmt_line[i] = '\0';
}

__attribute__((format(printf, 1, 2))) static const char *line_f(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_vf(fmt, ap);
	va_end(ap);
	return fmt_line;
}

static void feed(const char *line)
{
	collector_line(&g.app, line, strlen(line));
}

/* A line shaped like Caddy's access log entry for request n. */
static void access_log(int status, const char *uri, uint64_t n, const char *more_headers)
{
	char line[2048];
	int w;

	w = snprintf(line, sizeof(line),
		     "{\"level\":\"info\",\"ts\":1767225600.5,\"logger\":\"http.log.access\","
		     "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.1.2.3\","
		     "\"proto\":\"HTTP/1.1\",\"method\":\"GET\",\"host\":\"api.example\","
		     "\"uri\":\"%s\",\"headers\":{\"User-Agent\":[\"curl/8\"]}},"
		     "\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0123,\"size\":512,"
		     "\"status\":%d,\"resp_headers\":{\"X-Request-Id\":[\"%s\"]%s}}",
		     uri, status, rid(n), more_headers ? more_headers : "");
	cr_assert(w > 0 && (size_t)w < sizeof(line));
	feed(line);
}

static struct state_usage usage_now(int64_t key_id)
{
	struct state_usage *u, copy;

	u = state_usage(&g.st, key_id, state_clock_ms(&g.st) / 3600000, TENANT, false);
	cr_assert_not_null(u, "no usage record for key %lld this hour", (long long)key_id);
	copy = *u;
	state_unlock(g.st.usage, u);
	return copy;
}

static void add_counts(const void *k, void *val, void *arg)
{
	const struct state_usage *u = val;
	int64_t *sum = arg;
	int i;

	(void)k;
	for (i = 0; i < USAGE__MAX; i++)
		*sum += u->count[i];
}

/* Every count of every usage record, added up. */
static int64_t all_usage(void)
{
	int64_t sum = 0;

	shm_pool_each(g.st.usage, add_counts, &sum);
	return sum;
}

static uint64_t metric(enum metric m)
{
	return state_metric_sum(&g.st, m);
}

Test(collector, joined_line_adds_status_latency_bytes_tokens_and_cost_to_the_key)
{
	struct state_usage u;

	admit(1);
	access_log(200, "/v1/x", 1, ",\"X-Usage-Tokens\":[\"42\"],\"X-Usage-Cost\":[\"0.001500\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1);
	cr_assert_eq(u.count[USAGE_3XX] + u.count[USAGE_4XX] + u.count[USAGE_5XX], 0);
	cr_assert_eq(u.count[USAGE_LATENCY_MS], 12);
	cr_assert_eq(u.count[USAGE_BYTES_OUT], 512);
	cr_assert_eq(u.count[USAGE_TOKENS], 42);
	cr_assert_eq(u.count[USAGE_COST_MICROS], 1500);
	cr_assert_eq(u.count[USAGE_REQUESTS], 0, "the collector does not bill requests");
	cr_assert_eq(u.tenant_id, TENANT);
	cr_assert_eq(metric(METRIC_LOG_LINES), 1);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 0);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0);

	/* A second request adds to the same hour's record. */
	admit(2);
	access_log(201, "/v1/y", 2, ",\"X-Usage-Tokens\":[\"8\"],\"X-Usage-Cost\":[\"2.5\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 2);
	cr_assert_eq(u.count[USAGE_LATENCY_MS], 24);
	cr_assert_eq(u.count[USAGE_BYTES_OUT], 1024);
	cr_assert_eq(u.count[USAGE_TOKENS], 50);
	cr_assert_eq(u.count[USAGE_COST_MICROS], 2501500);
}

Test(collector, usage_reported_as_plain_strings_is_read_too)
{
	struct state_usage u;

	admit(1);
	feed(line_f("{\"status\":200,\"duration\":1,\"size\":3,\"request\":{\"uri\":\"/v1/x\"},"
		    "\"resp_headers\":{\"X-Request-Id\":\"%s\",\"X-Usage-Tokens\":\"7\","
		    "\"X-Usage-Cost\":\"1\"}}",
		    rid(1)));
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1);
	cr_assert_eq(u.count[USAGE_LATENCY_MS], 1000);
	cr_assert_eq(u.count[USAGE_TOKENS], 7);
	cr_assert_eq(u.count[USAGE_COST_MICROS], 1000000);
}

Test(collector, statuses_count_by_class)
{
	static const int statuses[] = {301, 404, 503, 399, 499, 599};
	struct state_usage u;
	uint64_t n;

	for (n = 0; n < sizeof(statuses) / sizeof(statuses[0]); n++) {
		admit(n + 1);
		access_log(statuses[n], "/v1/x", n + 1, NULL);
	}
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 0);
	cr_assert_eq(u.count[USAGE_3XX], 2);
	cr_assert_eq(u.count[USAGE_4XX], 2);
	cr_assert_eq(u.count[USAGE_5XX], 2);
	cr_assert_eq(u.count[USAGE_TOKENS], 0);
	cr_assert_eq(u.count[USAGE_COST_MICROS], 0);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 0);
}

Test(collector, a_refusal_by_the_gate_counts_as_the_keys_4xx)
{
	struct state_usage u;

	fx_key_limits(&g, key, 1, 1, 0);
	admit(1);
	fx_gate_ask(&g, key, PEER, rid(2), NULL);
	cr_assert_eq(g.rs.status, 429);
	access_log(200, "/v1/x", 1, NULL);
	access_log(429, "/v1/x", 2, NULL);
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1);
	cr_assert_eq(u.count[USAGE_4XX], 1);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0);
}

Test(collector, the_same_request_id_twice_counts_once_then_as_unmatched)
{
	struct state_usage u;

	admit(1);
	access_log(200, "/v1/x", 1, ",\"X-Usage-Tokens\":[\"42\"]");
	access_log(200, "/v1/x", 1, ",\"X-Usage-Tokens\":[\"42\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1, "a replayed line was counted again");
	cr_assert_eq(u.count[USAGE_TOKENS], 42);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 1);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 0);
	cr_assert_eq(metric(METRIC_LOG_LINES), 2);
}

Test(collector, lines_in_any_order_join_their_own_decisions)
{
	struct state_usage u;
	uint64_t n;

	for (n = 1; n <= 20; n++)
		admit(n);
	for (n = 20; n >= 1; n--)
		access_log(200, "/v1/x", n, ",\"X-Usage-Tokens\":[\"1\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 20);
	cr_assert_eq(u.count[USAGE_TOKENS], 20);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0);
}

Test(collector, a_line_without_a_decision_is_unmatched)
{
	access_log(200, "/v1/x", 12, NULL);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 1, "a proxied request without a decision");
	feed(line_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[\"%s\"]}}",
		    rid(13))); /* no uri at all */
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 2);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 0);
	cr_assert_eq(all_usage(), 0);
}

Test(collector, a_line_read_twice_counts_once)
{
	struct state_usage u;

	/* A collector that dies after applying a line but before saving how far it read
	 * reads the line again: its decision was taken the first time. */
	admit(21);
	access_log(200, "/v1/x", 21, ",\"X-Usage-Tokens\":[\"7\"]");
	access_log(200, "/v1/x", 21, ",\"X-Usage-Tokens\":[\"7\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1);
	cr_assert_eq(u.count[USAGE_TOKENS], 7);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 1);
}

Test(collector, a_line_added_whose_decision_a_crash_left_behind_counts_once)
{
	struct state_ring *r = &g.st.rings[g.app.ring];
	struct state_decision left;
	struct state_usage u;

	/* A collector killed after adding a line to the usage record but before taking its
	 * decision out: the next one finds the decision and reads the line again. The record
	 * knows the line was added. (Here the decision is put back as the gate published it.) */
	admit(41);
	left = r->items[(atomic_load(&r->head) - 1) & (STATE_RING_SIZE - 1)];
	access_log(200, "/v1/x", 41, ",\"X-Usage-Tokens\":[\"5\"]");
	left.apply_hour = (int32_t)(state_clock_ms(&g.st) / 3600000);
	cr_assert(state_ring_push(&g.st, g.app.ring, &left));
	access_log(200, "/v1/x", 41, ",\"X-Usage-Tokens\":[\"5\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1, "the line was added twice");
	cr_assert_eq(u.count[USAGE_TOKENS], 5);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0, "the decision left behind was found");

	/* Killed before adding: the decision is there, the record does not have the line. */
	admit(42);
	access_log(200, "/v1/x", 42, ",\"X-Usage-Tokens\":[\"6\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 2);
	cr_assert_eq(u.count[USAGE_TOKENS], 11);
}

Test(collector, decisions_waiting_for_their_line_survive_a_new_collector)
{
	char path[300], msg[256];
	struct state_usage u;

	/* The decision is in the join table (shared memory) when the collector dies. */
	admit(31);
	access_log(200, "/v1/x", 99, NULL); /* drains the rings into the join table */
	state_close(&g.st);
	snprintf(path, sizeof(path), "%s/state.shm", g.dir);
	cr_assert_eq(state_open(&g.st, path, &fx_sizes, msg, sizeof(msg)), ERR_OK, "%s", msg);
	access_log(200, "/v1/x", 31, NULL);
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1, "the line found its decision after the restart");
}

Test(collector, an_unauthenticated_decision_adds_to_no_usage_record)
{
	fx_gate_ask(&g, "tg_live_not-a-key", PEER, rid(1), NULL);
	cr_assert_eq(g.rs.status, 401);
	fx_gate_ask(&g, NULL, PEER, rid(2), NULL);
	cr_assert_eq(g.rs.status, 401);
	access_log(401, "/v1/x", 1, ",\"X-Usage-Tokens\":[\"42\"]");
	access_log(401, "/v1/x", 2, NULL);
	cr_assert_eq(all_usage(), 0, "usage was attributed without a key");
	cr_assert_eq(shm_pool_used(g.st.usage), 0);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0, "the decision was there");
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 0);
}

Test(collector, unparsable_usage_headers_count_zero_but_the_line_still_counts)
{
	struct state_usage u;

	admit(1);
	access_log(200, "/v1/x", 1, ",\"X-Usage-Tokens\":[\"abc\"],\"X-Usage-Cost\":[\"x.5\"]");
	admit(2);
	access_log(200, "/v1/x", 2, ",\"X-Usage-Tokens\":[\"-5\"],\"X-Usage-Cost\":[\"-1\"]");
	admit(3);
	access_log(200, "/v1/x", 3,
		   ",\"X-Usage-Tokens\":[\"99999999999999999999999\"],"
		   "\"X-Usage-Cost\":[\"99999999999999999999.5\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 3);
	cr_assert_eq(u.count[USAGE_TOKENS], 0);
	cr_assert_eq(u.count[USAGE_COST_MICROS], 0);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 0);
}

/* Feeds n bytes and asserts that the line was counted malformed and changed no usage. */
static void assert_malformed(const char *line, size_t n, const char *what)
{
	uint64_t before = metric(METRIC_LOG_MALFORMED);
	int64_t usage = all_usage();

	collector_line(&g.app, line, n);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), before + 1, "%s: not counted malformed", what);
	cr_assert_eq(all_usage(), usage, "%s: changed usage", what);
}

/* Formats a line (see line_vf) and asserts that it is counted malformed. */
__attribute__((format(printf, 1, 2))) static void malformed_f(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_vf(fmt, ap);
	va_end(ap);
	assert_malformed(fmt_line, fmt_len, fmt_line);
}

#define RID_HDR "\"resp_headers\":{\"X-Request-Id\":[\"%s\"]}"

Test(collector, malformed_lines_are_counted_and_skipped)
{
	const char *id = rid(1);
	struct state_usage u;

	admit(1);
	malformed_f("not json %s", id);
	malformed_f("%s", "");
	malformed_f("[{\"status\":200," RID_HDR "}]", id);
	malformed_f("\"%s\"", id);
	malformed_f("{\"status\":200," RID_HDR, id); /* unclosed */
	malformed_f("{\"status\":200," RID_HDR "}{}", id);
	malformed_f("{" RID_HDR "}", id);
	malformed_f("{\"status\":null," RID_HDR "}", id);
	malformed_f("{\"status\":42," RID_HDR "}", id);
	malformed_f("{\"status\":600," RID_HDR "}", id);
	malformed_f("{\"status\":-200," RID_HDR "}", id);
	malformed_f("{\"status\":\"200\"," RID_HDR "}", id);
	malformed_f("{\"status\":200.5," RID_HDR "}", id);
	malformed_f("{\"status\":99999999999999999999999," RID_HDR "}", id);
	malformed_f("{\"status\":200,\"resp_headers\":{}}");
	malformed_f("{\"status\":200,\"resp_headers\":[\"%s\"]}", id);
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[\"req-1\"]}}");
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[\"%.35sg\"]}}", id);
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[\"%sa\"]}}", id);
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[]}}");
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[42]}}");
	malformed_f("{\"status\":200,\"status\":200," RID_HDR "}", id); /* a duplicate key */
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0);
	cr_assert_eq(metric(METRIC_LOG_LINES), metric(METRIC_LOG_MALFORMED));

	/* None of them consumed the decision: the real line still joins. */
	access_log(200, "/v1/x", 1, NULL);
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 1);
	cr_assert_eq(metric(METRIC_LOG_UNMATCHED), 0);
}

Test(collector, embedded_nul_bytes_make_a_line_malformed)
{
	const char *id = rid(1);

	admit(1);
	malformed_f("{\"status\":200,@" RID_HDR "}", id);	       /* between members */
	malformed_f("{\"status\":200,\"x\":\"a@b\"," RID_HDR "}", id); /* inside a string */
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[\"%s\\u0000\"]}}", id);
	malformed_f("{\"status\":200,\"resp_headers\":{\"X-Request-Id\":[\"%.18s@%s\"]}}", id,
		    id + 19);
	malformed_f("{\"status\":200," RID_HDR "}@garbage", id); /* after the object */
	malformed_f("@{\"status\":200," RID_HDR "}", id);
	cr_assert_eq(usage_now(KEY_ID).count[USAGE_2XX], 0);
	access_log(200, "/v1/x", 1, NULL);
	cr_assert_eq(usage_now(KEY_ID).count[USAGE_2XX], 1);
}

#define MEG (1024 * 1024)

Test(collector, deep_nesting_is_malformed_and_does_not_crash)
{
	char *line = malloc(MEG);
	size_t i, n = 0;

	cr_assert_not_null(line);
	/* Deeper than jsonx allows, shallow enough for jansson to build it. */
	n = (size_t)snprintf(line, MEG, "{\"status\":200,\"x\":");
	for (i = 0; i < 100; i++)
		line[n++] = '[';
	for (i = 0; i < 100; i++)
		line[n++] = ']';
	line[n++] = '}';
	assert_malformed(line, n, "100 nested arrays");

	n = (size_t)snprintf(line, MEG, "{\"status\":200,\"x\":");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(line + n, MEG - n, "{\"a\":");
	line[n++] = '1';
	for (i = 0; i < 41; i++)
		line[n++] = '}';
	assert_malformed(line, n, "40 nested objects");

	/* A megabyte of openers: far past any parser's limit. */
	memset(line, '[', MEG);
	assert_malformed(line, MEG, "a megabyte of [");
	line[0] = '{';
	line[1] = '"';
	line[2] = 'a';
	line[3] = '"';
	line[4] = ':';
	assert_malformed(line, MEG, "an object over a megabyte of [");
	free(line);
}

Test(collector, a_megabyte_line_is_handled_without_a_crash)
{
	char *line = malloc(MEG + 64), head[256];
	size_t n, hn;

	cr_assert_not_null(line);
	admit(1);
	hn = (size_t)snprintf(
	    head, sizeof(head),
	    "{\"status\":200,\"request\":{\"uri\":\"/v1/x\"}," RID_HDR ",\"pad\":\"", rid(1));
	cr_assert_lt(hn, sizeof(head));
	/* Unterminated: a megabyte of string that never closes. */
	memcpy(line, head, hn);
	memset(line + hn, 'a', MEG - hn);
	assert_malformed(line, MEG, "an unterminated megabyte");
	/* Garbage of the same size. */
	memset(line, 0xff, MEG);
	assert_malformed(line, MEG, "a megabyte of 0xff");

	/* Well formed: counted like any other line (the socket reader is what drops lines
	 * over COLLECTOR_MAX_LINE). */
	n = MEG;
	memcpy(line, head, hn);
	memset(line + hn, 'a', n - hn);
	memcpy(line + n, "\"}", 2);
	n += 2;
	collector_line(&g.app, line, n);
	cr_assert_eq(metric(METRIC_LOG_LINES), 3);
	cr_assert_eq(metric(METRIC_LOG_MALFORMED), 2);
	cr_assert_eq(usage_now(KEY_ID).count[USAGE_2XX], 1);
	free(line);
}

Test(collector, usage_reports_out_of_bounds_are_ignored_and_counted)
{
	struct state_usage u;
	uint64_t n;

	for (n = 40; n < 46; n++)
		admit(n);
	access_log(200, "/v1/x", 40, ",\"X-Usage-Tokens\":[\"9223372036854775807\"]");
	access_log(200, "/v1/x", 41, ",\"X-Usage-Tokens\":[\"-5\"]");
	access_log(200, "/v1/x", 42, ",\"X-Usage-Cost\":[\"99999999.5\"]");
	access_log(200, "/v1/x", 43, ",\"X-Usage-Cost\":[\"0.5x\"]");
	access_log(200, "/v1/x", 44,
		   ",\"X-Usage-Tokens\":[\"1000000000\"],\"X-Usage-Cost\":[\"1000.000000\"]");
	access_log(200, "/v1/x", 45, ",\"X-Usage-Cost\":[\"0.0000019\"]");
	u = usage_now(KEY_ID);
	cr_assert_eq(u.count[USAGE_2XX], 6, "every response still counts");
	cr_assert_eq(u.count[USAGE_TOKENS], 1000000000, "only the largest allowed value");
	cr_assert_eq(u.count[USAGE_COST_MICROS], 1000000001);
	cr_assert_eq(metric(METRIC_USAGE_REJECTED), 4);
}
