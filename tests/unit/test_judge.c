/* The LLM judge without a network: the redacted request it builds for each provider, the
 * strict reading of answers (anything but the expected JSON is rejected whole), the
 * confidence rule, and the rings-to-cache path through shared memory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../app/abuse/judge.h"
#include "../../lib/jsonx.h"
#include "fixture.h"

static struct fx_gate g;

#define TENANT 7
#define OTHER  8
#define KEY_A  4242
#define KEY_B  4343
#define MS     1000000LL
#define TTL_MS 300000
#define V4_PEER                                                                                    \
	{                                                                                          \
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3                              \
	}
#define V4_OTHER                                                                                   \
	{                                                                                          \
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 9, 8, 7                              \
	}
#define V6_PEER                                                                                    \
	{                                                                                          \
		0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0, 0, 0xab, 0xcd       \
	}
#define ANSWER_OK "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9}]}"

static void judge_on(int64_t tenant, bool on)
{
	struct state_tenant t;

	cr_assert(state_tenant_find(&g.st, tenant, &t));
	t.judge_enabled = on;
	cr_assert_eq(state_tenant_put(&g.st, &t), ERR_OK);
}

static void setup(void)
{
	fx_gate_open(&g);
	fx_tenant(&g, TENANT, "acme", TENANT_ACTIVE, "10.0.0.5:8080");
	fx_tenant(&g, OTHER, "other", TENANT_ACTIVE, "10.0.0.5:8080");
	judge_on(TENANT, true);
	g.cfg.judge_model = "test-model";
	g.cfg.judge_provider = JUDGE_PROVIDER_OPENAI;
	g.cfg.judge_batch = 10;
	g.cfg.judge_ttl_ms = TTL_MS;
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(judge, .init = setup, .fini = teardown, .timeout = 20);

/* A gray-zone sighting as the engine queues it: the error_ratio rule fired. */
static struct state_gray gray(int64_t tenant, int64_t key_id, const unsigned char ip[16])
{
	struct state_gray s;

	memset(&s, 0, sizeof(s));
	s.tenant_id = tenant;
	s.key_id = key_id;
	memcpy(s.ip, ip, 16);
	s.at_ms = 1700000000000;
	s.features[F_BIAS] = 1.0f;
	s.features[F_RULE0 + RULE_ERROR_RATIO] = 1.0f;
	s.features[F_ERROR_RATIO] = 0.95f;
	s.features[F_NOT_FOUND_RATIO] = 0.9f;
	s.features[F_KEY_RATE] = 0.61f;
	s.score = 0.55f;
	s.reason = RULE_ERROR_RATIO;
	snprintf(s.route, sizeof(s.route), "/v1/users/:id");
	snprintf(s.ua_family, sizeof(s.ua_family), "python");
	return s;
}

static struct judge_client client(const char *label, struct state_gray s)
{
	struct judge_client c;

	memset(&c, 0, sizeof(c));
	c.g = s;
	snprintf(c.label, sizeof(c.label), "%s", label);
	return c;
}

Test(judge, confidence_below_the_bar_is_unsure)
{
	cr_assert_eq(judge_verdict_of("abuse", 0.9), JUDGE_ABUSE);
	cr_assert_eq(judge_verdict_of("abuse", 0.7), JUDGE_ABUSE);
	cr_assert_eq(judge_verdict_of("abuse", 0.69), JUDGE_UNSURE);
	cr_assert_eq(judge_verdict_of("benign", 1.0), JUDGE_BENIGN);
	cr_assert_eq(judge_verdict_of("benign", 0.5), JUDGE_UNSURE);
	cr_assert_eq(judge_verdict_of("unsure", 1.0), JUDGE_UNSURE);
	cr_assert_eq(judge_verdict_of("Abuse", 0.9), JUDGE_NONE);
	cr_assert_eq(judge_verdict_of("malicious", 0.9), JUDGE_NONE);
}

Test(judge, networks_are_cut_to_24_or_48_bits)
{
	static const unsigned char v4[16] = V4_PEER, v6[16] = V6_PEER, zero[16] = {0};
	char out[64];

	judge_network_text(v4, out, sizeof(out));
	cr_assert_str_eq(out, "10.1.2.0/24");
	judge_network_text(v6, out, sizeof(out));
	cr_assert_str_eq(out, "2001:db8:1234::/48");
	judge_network_text(zero, out, sizeof(out));
	cr_assert_str_eq(out, "unknown");
}

Test(judge, endpoints_follow_the_provider)
{
	cr_assert_str_eq(judge_endpoint(JUDGE_PROVIDER_OPENAI), "/chat/completions");
	cr_assert_str_eq(judge_endpoint(JUDGE_PROVIDER_ANTHROPIC), "/v1/messages");
}

static struct jsonx_doc *body_of(const struct judge_client *cs, size_t n, struct buf *b)
{
	struct jsonx_doc *d;
	char msg[256];

	buf_init(b, 0);
	judge_request_body(&g.cfg, cs, n, b);
	cr_assert_not(b->overflow);
	cr_assert_eq(jsonx_parse(b->p, b->len, &d, msg, sizeof(msg)), ERR_OK, "%s: %s", msg, b->p);
	return d;
}

Test(judge, openai_request_is_a_json_mode_chat_with_a_redacted_summary)
{
	static const unsigned char ip[16] = V4_PEER, v6[16] = V6_PEER;
	struct judge_client cs[2] = {client("c1", gray(TENANT, KEY_A, ip)),
				     client("c2", gray(TENANT, 0, v6))};
	struct jsonx_doc *d, *m;
	const char *s;
	struct buf b;
	size_t n;

	d = body_of(cs, 2, &b);
	cr_assert(jsonx_get_str(d, "model", &s));
	cr_assert_str_eq(s, "test-model");
	cr_assert(jsonx_get_str(d, "response_format.type", &s));
	cr_assert_str_eq(s, "json_object");
	cr_assert(jsonx_get_len(d, "messages", &n));
	cr_assert_eq(n, 2);
	cr_assert(jsonx_get_elem(d, "messages", 0, &m));
	cr_assert(jsonx_get_str(m, "role", &s));
	cr_assert_str_eq(s, "system");
	cr_assert(jsonx_get_str(m, "content", &s));
	cr_assert_not_null(strstr(s, "{\"verdicts\":[{\"client\":\"c1\""), "the shape is told");
	jsonx_doc_free(m);
	cr_assert(jsonx_get_elem(d, "messages", 1, &m));
	cr_assert(jsonx_get_str(m, "role", &s));
	cr_assert_str_eq(s, "user");
	cr_assert(jsonx_get_str(m, "content", &s));
	cr_assert_not_null(strstr(s, "\"client\":\"c1\",\"identified_by\":\"api_key\","
				     "\"network\":\"10.1.2.0/24\""),
			   "%s", s);
	cr_assert_not_null(strstr(s, "\"client\":\"c2\",\"identified_by\":\"address\","
				     "\"network\":\"2001:db8:1234::/48\""),
			   "%s", s);
	cr_assert_not_null(strstr(s, "\"route\":\"/v1/users/:id\""), "%s", s);
	cr_assert_not_null(strstr(s, "\"user_agent_family\":\"python\""), "%s", s);
	cr_assert_not_null(strstr(s, "\"rules_fired\":[\"error_ratio\"]"), "%s", s);
	cr_assert_not_null(strstr(s, "\"decided_by\":\"error_ratio\""), "%s", s);
	cr_assert_not_null(strstr(s, "\"score\":0.55"), "%s", s);
	cr_assert_not_null(strstr(s, "\"client_error_share\":0.95"), "%s", s);
	cr_assert_not_null(strstr(s, "\"not_found_ratio\":0.9"), "%s", s);
	cr_assert_not_null(strstr(s, "\"net_failures\":0"), "every feature by name: %s", s);
	jsonx_doc_free(m);
	/* Neither the full address, nor the key's id, nor the tenant appears anywhere. */
	cr_assert_null(strstr(b.p, "10.1.2.3"), "%s", b.p);
	cr_assert_null(strstr(b.p, "abcd"), "%s", b.p);
	cr_assert_null(strstr(b.p, "4242"), "%s", b.p);
	cr_assert_null(strstr(b.p, "acme"), "%s", b.p);
	cr_assert_null(strstr(b.p, "bias"), "%s", b.p);
	jsonx_doc_free(d);
	buf_free(&b);
}

Test(judge, anthropic_request_has_a_system_field_and_one_user_message)
{
	static const unsigned char ip[16] = V4_PEER;
	struct judge_client cs[1] = {client("c1", gray(TENANT, KEY_A, ip))};
	struct jsonx_doc *d, *m;
	const char *s;
	int64_t max;
	struct buf b;
	size_t n;

	g.cfg.judge_provider = JUDGE_PROVIDER_ANTHROPIC;
	d = body_of(cs, 1, &b);
	cr_assert(jsonx_get_str(d, "model", &s));
	cr_assert_str_eq(s, "test-model");
	cr_assert(jsonx_get_int(d, "max_tokens", &max));
	cr_assert_gt(max, 100);
	cr_assert(jsonx_get_str(d, "system", &s));
	cr_assert_not_null(strstr(s, "JSON"));
	cr_assert_not(jsonx_has(d, "response_format"));
	cr_assert(jsonx_get_len(d, "messages", &n));
	cr_assert_eq(n, 1);
	cr_assert(jsonx_get_elem(d, "messages", 0, &m));
	cr_assert(jsonx_get_str(m, "role", &s));
	cr_assert_str_eq(s, "user");
	cr_assert(jsonx_get_str(m, "content", &s));
	cr_assert_not_null(strstr(s, "\"network\":\"10.1.2.0/24\""), "%s", s);
	jsonx_doc_free(m);
	jsonx_doc_free(d);
	buf_free(&b);
}

/* Wraps an assistant text the way each provider sends it. */
static void wrap(int provider, const char *text, struct buf *b)
{
	buf_init(b, 0);
	if (provider == JUDGE_PROVIDER_OPENAI) {
		buf_puts(b, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
			    "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
			    "\"assistant\",\"content\":");
		buf_json_str(b, text);
		buf_puts(b, ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
			    "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
			    "\"total_tokens\":11}}");
	} else {
		buf_puts(b, "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
			    "\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":");
		buf_json_str(b, text);
		buf_puts(b, "}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
			    "\"usage\":{\"input_tokens\":10,\"output_tokens\":3}}");
	}
}

static struct judge_client three[3];

static void make_three(void)
{
	static const unsigned char ip[16] = V4_PEER;

	three[0] = client("c1", gray(TENANT, KEY_A, ip));
	three[1] = client("c2", gray(TENANT, KEY_B, ip));
	three[2] = client("c3", gray(TENANT, 0, ip));
}

static enum err parse_text(int provider, const char *text, struct judge_answer out[3], char *msg,
			   size_t msglen)
{
	struct buf b;
	enum err rc;

	make_three();
	wrap(provider, text, &b);
	memset(out, 0x5a, 3 * sizeof(*out));
	rc = judge_parse_reply(provider, b.p, b.len, three, 3, out, msg, msglen);
	buf_free(&b);
	return rc;
}

Test(judge, answers_are_read_from_either_provider)
{
	static const int providers[] = {JUDGE_PROVIDER_OPENAI, JUDGE_PROVIDER_ANTHROPIC};
	struct judge_answer out[3];
	char msg[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		cr_assert_eq(parse_text(providers[i],
					"{\"verdicts\":[{\"client\":\"c2\",\"verdict\":\"benign\","
					"\"confidence\":0.8},{\"confidence\":1,\"client\":\"c1\","
					"\"verdict\":\"abuse\"},{\"client\":\"c3\",\"verdict\":"
					"\"abuse\",\"confidence\":0.2}]}",
					out, msg, sizeof(msg)),
			     ERR_OK, "%s", msg);
		cr_assert(out[0].present);
		cr_assert_eq(out[0].verdict, JUDGE_ABUSE);
		cr_assert_float_eq(out[0].confidence, 1.0f, 1e-6);
		cr_assert(out[1].present);
		cr_assert_eq(out[1].verdict, JUDGE_BENIGN);
		cr_assert_float_eq(out[1].confidence, 0.8f, 1e-6);
		cr_assert(out[2].present);
		cr_assert_eq(out[2].verdict, JUDGE_UNSURE, "abuse at 0.2 is unsure");
	}
}

Test(judge, a_partial_answer_leaves_the_rest_unanswered)
{
	struct judge_answer out[3];
	char msg[256];

	cr_assert_eq(parse_text(JUDGE_PROVIDER_OPENAI, ANSWER_OK, out, msg, sizeof(msg)), ERR_OK,
		     "%s", msg);
	cr_assert(out[0].present);
	cr_assert_not(out[1].present);
	cr_assert_not(out[2].present);
}

Test(judge, anything_but_the_exact_shape_is_rejected_whole)
{
	static const char *const bad[] = {
	    "The client c1 looks abusive.",
	    "```json\n" ANSWER_OK "\n```",
	    "",
	    "[]",
	    "{}",
	    "{\"verdicts\":[]}",
	    "{\"verdicts\":{\"c1\":\"abuse\"}}",
	    "{\"verdicts\":\"abuse\"}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9}],"
	    "\"note\":\"x\"}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9,"
	    "\"reason\":\"x\"}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\"}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":\"0.9\"}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":1.5}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":-0.1}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"evil\",\"confidence\":0.9}]}",
	    "{\"verdicts\":[{\"client\":1,\"verdict\":\"abuse\",\"confidence\":0.9}]}",
	    "{\"verdicts\":[{\"client\":\"c9\",\"verdict\":\"abuse\",\"confidence\":0.9}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9},"
	    "{\"client\":\"c1\",\"verdict\":\"benign\",\"confidence\":0.9}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9},"
	    "\"c2\"]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9},"
	    "{\"client\":\"c2\",\"verdict\":\"abuse\",\"confidence\":0.9},"
	    "{\"client\":\"c3\",\"verdict\":\"abuse\",\"confidence\":0.9},"
	    "{\"client\":\"c4\",\"verdict\":\"abuse\",\"confidence\":0.9}]}",
	    "{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9}]} x",
	};
	static const int providers[] = {JUDGE_PROVIDER_OPENAI, JUDGE_PROVIDER_ANTHROPIC};
	struct judge_answer out[3];
	char msg[256];
	size_t i, p;

	for (p = 0; p < 2; p++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			msg[0] = '\0';
			cr_assert_eq(parse_text(providers[p], bad[i], out, msg, sizeof(msg)),
				     ERR_INPUT, "accepted #%zu: %s", i, bad[i]);
			cr_assert_neq(msg[0], '\0', "#%zu without a reason", i);
			cr_assert_not(out[0].present || out[1].present || out[2].present,
				      "#%zu left an answer behind", i);
		}
	}
}

static enum err parse_body(int provider, const char *body, char *msg, size_t msglen)
{
	struct judge_answer out[3];

	make_three();
	return judge_parse_reply(provider, body, strlen(body), three, 3, out, msg, msglen);
}

Test(judge, envelopes_that_are_cut_short_refused_or_not_json_are_rejected)
{
	char msg[256];

	cr_assert_eq(parse_body(JUDGE_PROVIDER_OPENAI, "<html>502</html>", msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_eq(parse_body(JUDGE_PROVIDER_OPENAI, "{\"choices\":[]}", msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_eq(parse_body(JUDGE_PROVIDER_OPENAI,
				"{\"choices\":[{\"message\":{\"content\":null,\"refusal\":\"no\"},"
				"\"finish_reason\":\"stop\"}]}",
				msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_eq(parse_body(JUDGE_PROVIDER_OPENAI,
				"{\"choices\":[{\"message\":{\"content\":\"{\\\"verdicts\\\":[{"
				"\\\"client\\\":\\\"c1\\\",\\\"verdict\\\":\\\"abuse\\\",\\\""
				"confidence\\\":0.9}]}\"},\"finish_reason\":\"length\"}]}",
				msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_not_null(strstr(msg, "length"), "%s", msg);
	cr_assert_eq(
	    parse_body(JUDGE_PROVIDER_ANTHROPIC,
		       "{\"type\":\"message\",\"content\":[],\"stop_reason\":\"end_turn\"}", msg,
		       sizeof(msg)),
	    ERR_INPUT);
	cr_assert_eq(parse_body(JUDGE_PROVIDER_ANTHROPIC,
				"{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":"
				"\"{\\\"verdicts\\\":[\"}],\"stop_reason\":\"max_tokens\"}",
				msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_not_null(strstr(msg, "max_tokens"), "%s", msg);
	/* An error body with a 200 would be a provider bug: still no verdict. */
	cr_assert_eq(parse_body(JUDGE_PROVIDER_ANTHROPIC,
				"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
				"\"message\":\"Overloaded\"}}",
				msg, sizeof(msg)),
		     ERR_INPUT);
}

Test(judge, anthropic_text_may_follow_other_blocks)
{
	struct judge_answer out[3];
	char msg[256];
	const char *body = "{\"type\":\"message\",\"content\":[{\"type\":\"thinking\",\"thinking\":"
			   "\"hm\"},{\"type\":\"text\",\"text\":\"{\\\"verdicts\\\":[{\\\"client\\"
			   "\":\\\"c3\\\",\\\"verdict\\\":\\\"benign\\\",\\\"confidence\\\":0.75}]"
			   "}\"}],\"stop_reason\":\"end_turn\"}";

	make_three();
	cr_assert_eq(judge_parse_reply(JUDGE_PROVIDER_ANTHROPIC, body, strlen(body), three, 3, out,
				       msg, sizeof(msg)),
		     ERR_OK, "%s", msg);
	cr_assert(out[2].present);
	cr_assert_eq(out[2].verdict, JUDGE_BENIGN);
}

static int64_t verdict_of_key(int64_t key_id, int64_t now, float *conf, int64_t *until)
{
	struct state_key_use *k = state_key_use(&g.st, key_id, now);
	int64_t v;

	cr_assert_not_null(k);
	v = k->abuse.verdict;
	*conf = k->abuse.verdict_confidence;
	*until = k->abuse.verdict_until_ns;
	state_unlock(g.st.key_use, k);
	return v;
}

Test(judge, drain_takes_every_ring_once_per_client)
{
	static const unsigned char ip[16] = V4_PEER, other[16] = V4_OTHER, zero[16] = {0};
	struct judge_client pending[8];
	size_t n = 0, r;
	int64_t now = state_mono_ns();
	struct state_gray s;

	/* Key A in two rings (the later sighting wins), an address client, an address client
	 * for a tenant without the judge, and nobody at all. */
	s = gray(TENANT, KEY_A, ip);
	cr_assert(state_gray_push(&g.st, 0, &s));
	s.score = 0.8f;
	cr_assert(state_gray_push(&g.st, 2, &s));
	s = gray(TENANT, 0, other);
	cr_assert(state_gray_push(&g.st, 1, &s));
	s = gray(OTHER, KEY_B, ip);
	cr_assert(state_gray_push(&g.st, 1, &s));
	s = gray(TENANT, 0, zero);
	cr_assert(state_gray_push(&g.st, 3, &s));

	cr_assert_eq(judge_drain(&g.st, now, pending, &n, 8), 5);
	cr_assert_eq(n, 2);
	cr_assert_eq(pending[0].g.key_id, KEY_A);
	cr_assert_float_eq(pending[0].g.score, 0.8f, 1e-6);
	cr_assert_eq(pending[0].queued_ns, now);
	cr_assert_eq(pending[1].g.key_id, 0);
	cr_assert_arr_eq(pending[1].g.ip, other, 16);
	for (r = 0; r < g.st.hdr->nrings; r++)
		cr_assert_eq(atomic_load(&g.st.grays[r].tail), atomic_load(&g.st.grays[r].head),
			     "ring %zu not drained", r);
	/* Nothing new: nothing read, nothing added. */
	cr_assert_eq(judge_drain(&g.st, now, pending, &n, 8), 0);
	cr_assert_eq(n, 2);
}

Test(judge, drain_respects_its_room_and_fresh_verdicts)
{
	static const unsigned char ip[16] = V4_PEER;
	struct judge_client pending[1], c;
	struct judge_answer a = {true, JUDGE_BENIGN, 0.9f};
	size_t n = 0;
	int64_t now = state_mono_ns();
	struct state_gray s;

	/* Key A has a fresh verdict: not asked again. */
	c = client("c1", gray(TENANT, KEY_A, ip));
	judge_store(&g.st, &c, &a, now, TTL_MS);
	s = gray(TENANT, KEY_A, ip);
	cr_assert(state_gray_push(&g.st, 0, &s));
	s = gray(TENANT, KEY_B, ip);
	cr_assert(state_gray_push(&g.st, 0, &s));
	s = gray(TENANT, 0, ip);
	cr_assert(state_gray_push(&g.st, 0, &s));
	cr_assert_eq(judge_drain(&g.st, now, pending, &n, 1), 3);
	cr_assert_eq(n, 1, "one slot: the rest is dropped, the engine asks again later");
	cr_assert_eq(pending[0].g.key_id, KEY_B);
	/* Once the verdict expired, key A is asked about again. */
	n = 0;
	s = gray(TENANT, KEY_A, ip);
	cr_assert(state_gray_push(&g.st, 0, &s));
	cr_assert_eq(judge_drain(&g.st, now + (TTL_MS + 1) * MS, pending, &n, 1), 1);
	cr_assert_eq(n, 1);
	cr_assert_eq(pending[0].g.key_id, KEY_A);
}

Test(judge, store_caches_the_verdict_on_the_key_or_the_address)
{
	static const unsigned char ip[16] = V4_PEER;
	struct judge_client ck = client("c1", gray(TENANT, KEY_A, ip));
	struct judge_client ca = client("c2", gray(TENANT, 0, ip));
	struct judge_answer abuse = {true, JUDGE_ABUSE, 0.9f}, unsure = {true, JUDGE_UNSURE, 0.4f};
	struct judge_answer absent = {false, JUDGE_ABUSE, 1.0f};
	int64_t now = state_mono_ns(), until;
	struct state_ip_use *u;
	float conf;

	judge_store(&g.st, &ck, &abuse, now, TTL_MS);
	cr_assert_eq(verdict_of_key(KEY_A, now, &conf, &until), JUDGE_ABUSE);
	cr_assert_float_eq(conf, 0.9f, 1e-6);
	cr_assert_eq(until, now + TTL_MS * MS);
	judge_store(&g.st, &ca, &unsure, now, TTL_MS);
	u = state_ip_use(&g.st, ip, now);
	cr_assert_not_null(u);
	cr_assert_eq(u->abuse.verdict, JUDGE_UNSURE);
	cr_assert_float_eq(u->abuse.verdict_confidence, 0.4f, 1e-6);
	state_unlock(g.st.ips, u);
	/* An unanswered client keeps what it had. */
	judge_store(&g.st, &ck, &absent, now + 5, TTL_MS);
	cr_assert_eq(verdict_of_key(KEY_A, now, &conf, &until), JUDGE_ABUSE);
	cr_assert_eq(until, now + TTL_MS * MS);
}
