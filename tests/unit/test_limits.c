/* Rate limits, the monthly quota, body size and failed-authentication throttling as the
 * gate applies them through the router, without sockets; billing after delivery; and the
 * decisions the gate leaves for the collector. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../app/gate/gate.h"
#include "fixture.h"

static struct fx_gate g;
static char key[GATE_KEY_LEN + 1], key2[GATE_KEY_LEN + 1], other[GATE_KEY_LEN + 1];

#define TENANT	 7
#define KEY_ID	 4242
#define KEY2_ID	 4343
#define TENANT_B 8
#define OTHER_ID 5151
#define PEER	 "10.1.2.3"

static void setup(void)
{
	fx_gate_open(&g);
	fx_tenant(&g, TENANT, "acme", TENANT_ACTIVE, "10.0.0.5:8080");
	fx_tenant(&g, TENANT_B, "globex", TENANT_ACTIVE, "10.0.0.6:8080");
	fx_key(&g, KEY_ID, TENANT, 0, key);
	fx_key(&g, KEY2_ID, TENANT, 0, key2);
	fx_key(&g, OTHER_ID, TENANT_B, 0, other);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(limits, .init = setup, .fini = teardown, .timeout = 20);

/* The request id of the n-th request of a test. */
static const char *rid(uint64_t n)
{
	static char ids[8][37];
	char *s = ids[n % 8];

	fx_uuid(s, n);
	return s;
}

static void ask(const char *k, const char *peer, uint64_t n)
{
	fx_gate_ask(&g, k, peer, rid(n), NULL);
}

static void assert_ok(uint64_t n)
{
	cr_assert_eq(g.rs.status, 200, "request %llu: status %d: %s", (unsigned long long)n,
		     g.rs.status, g.rs.body.p ? g.rs.body.p : "");
	cr_assert(g.admit.admitted);
}

static int64_t header_int(const char *name)
{
	char v[128], *end;
	long long n;

	cr_assert(fx_header(&g, name, v, sizeof(v)), "no %s header", name);
	n = strtoll(v, &end, 10);
	cr_assert(end != v && *end == '\0', "%s is '%s', not a number", name, v);
	return n;
}

/* Asserts the RateLimit header names policy with r=0, and returns its t. */
static int64_t assert_ratelimit_empty(const char *name, const char *policy)
{
	char v[256], want[64], *end;
	long long t;

	cr_assert(fx_header(&g, name, v, sizeof(v)), "no %s header", name);
	snprintf(want, sizeof(want), "\"%s\";r=0;t=", policy);
	cr_assert(strncmp(v, want, strlen(want)) == 0, "%s is '%s', want '%s...'", name, v, want);
	t = strtoll(v + strlen(want), &end, 10);
	cr_assert(end != v + strlen(want) && *end == '\0', "%s is '%s'", name, v);
	return t;
}

static void assert_refused(uint64_t n, const char *slug, const char *policy)
{
	fx_assert_problem(&g, 429, slug, rid(n));
	cr_assert_geq(header_int("Retry-After"), 1);
	cr_assert_geq(assert_ratelimit_empty("RateLimit", policy), 0);
	fx_assert_header(&g, "X-RateLimit-Remaining", "0");
	cr_assert_not(g.admit.admitted, "a refused request was admitted");
}

static void set_tenant(int64_t id, struct state_rates rates, int64_t quota, int64_t max_body)
{
	struct state_tenant t;

	cr_assert(state_tenant_find(&g.st, id, &t));
	t.rates = rates;
	t.monthly_quota = quota;
	t.max_body = max_body;
	cr_assert_eq(state_tenant_put(&g.st, &t), ERR_OK);
}

static void ip_bytes(const char *peer, unsigned char ip[16])
{
	struct in_addr v4;

	if (inet_pton(AF_INET, peer, &v4) == 1) {
		memset(ip, 0, 10);
		ip[10] = ip[11] = 0xff;
		memcpy(ip + 12, &v4, 4);
		return;
	}
	cr_assert_eq(inet_pton(AF_INET6, peer, ip), 1);
}

static struct state_key_use key_use_of(int64_t key_id)
{
	struct state_key_use *u = state_key_use(&g.st, key_id, state_mono_ns()), copy;

	cr_assert_not_null(u);
	copy = *u;
	state_unlock(g.st.key_use, u);
	return copy;
}

static struct state_ip_use ip_use_of(const char *peer)
{
	unsigned char ip[16];
	struct state_ip_use *u, copy;

	ip_bytes(peer, ip);
	u = state_ip_use(&g.st, ip, state_mono_ns());
	cr_assert_not_null(u);
	copy = *u;
	state_unlock(g.st.ips, u);
	return copy;
}

static struct state_tenant_use tenant_use_of(int64_t tenant_id)
{
	struct state_tenant_use *u = state_tenant_use(&g.st, tenant_id, false), copy;

	cr_assert_not_null(u, "tenant %lld has no usage record", (long long)tenant_id);
	copy = *u;
	state_unlock(g.st.tenant_use, u);
	return copy;
}

static const char *const copied[] = {"X-Tollgate-RateLimit-Policy", "X-Tollgate-RateLimit",
				     "X-Tollgate-RateLimit-Limit", "X-Tollgate-RateLimit-Remaining",
				     "X-Tollgate-RateLimit-Reset"};

Test(limits, key_burst_of_three_passes_three_then_refuses_with_ratelimit_headers)
{
	static const char *const remaining[] = {"2", "1", "0"};
	char v[512];
	uint64_t n;
	size_t i;

	fx_key_limits(&g, key, 1, 3, 0);
	for (n = 0; n < 3; n++) {
		ask(key, PEER, n);
		assert_ok(n);
		for (i = 0; i < sizeof(copied) / sizeof(copied[0]); i++) {
			cr_assert(fx_header(&g, copied[i], v, sizeof(v)), "200 without %s",
				  copied[i]);
			cr_assert_neq(v[0], '\0', "%s is empty", copied[i]);
		}
		fx_assert_header(&g, "X-Tollgate-RateLimit-Remaining", remaining[n]);
		fx_assert_header(&g, "X-Tollgate-RateLimit-Limit", "3");
		cr_assert(fx_header(&g, "X-Tollgate-RateLimit", v, sizeof(v)));
		cr_assert(strncmp(v, "\"key-second\";", 13) == 0, "RateLimit %s", v);
		cr_assert(fx_header(&g, "X-Tollgate-RateLimit-Policy", v, sizeof(v)));
		cr_assert_not_null(strstr(v, "\"key-second\";q=3;w=3"), "policy %s", v);
		cr_assert_not(fx_header(&g, "Retry-After", v, sizeof(v)), "200 with Retry-After");
	}
	ask(key, PEER, 3);
	assert_refused(3, "rate-limited", "key-second");
	cr_assert_geq(assert_ratelimit_empty("RateLimit", "key-second"), 1);
	cr_assert_not(fx_header(&g, "X-Tollgate-Key", v, sizeof(v)), "a 429 names the key");
}

Test(limits, key_without_own_limits_uses_its_tenants_key_rates)
{
	struct state_tenant t;

	cr_assert(state_tenant_find(&g.st, TENANT, &t));
	t.key_rates = (struct state_rates){1, 2, 1000, 0};
	cr_assert_eq(state_tenant_put(&g.st, &t), ERR_OK);
	ask(key, PEER, 0);
	assert_ok(0);
	ask(key2, PEER, 1); /* each key has its own */
	assert_ok(1);
	ask(key, PEER, 2);
	assert_ok(2);
	ask(key, PEER, 3);
	assert_refused(3, "rate-limited", "key-second");
}

Test(limits, tenant_minute_limit_is_shared_by_its_keys)
{
	char v[256];

	set_tenant(TENANT, (struct state_rates){1000, 1000, 3, 0}, STATE_UNLIMITED, 1 << 20);
	ask(key, PEER, 0);
	assert_ok(0);
	ask(key, PEER, 1);
	assert_ok(1);
	ask(key2, PEER, 2);
	assert_ok(2);
	fx_assert_header(&g, "X-Tollgate-RateLimit-Remaining", "0");
	cr_assert(fx_header(&g, "X-Tollgate-RateLimit", v, sizeof(v)));
	cr_assert(strncmp(v, "\"tenant-minute\";r=0;", 20) == 0, "RateLimit %s", v);
	ask(key2, PEER, 3);
	assert_refused(3, "rate-limited", "tenant-minute");
	cr_assert_geq(header_int("Retry-After"), 10);
	ask(key, PEER, 4);
	assert_refused(4, "rate-limited", "tenant-minute");
	/* Another tenant's key is not affected. */
	ask(other, PEER, 5);
	assert_ok(5);
}

Test(limits, monthly_quota_refuses_the_fourth_until_the_month_ends_and_counts_no_refusal)
{
	int64_t now_ms, month, left_s, retry, t;
	uint64_t n;

	set_tenant(TENANT, (struct state_rates){1000, 1000, 60000, 0}, 3, 1 << 20);
	for (n = 0; n < 3; n++) {
		char want[8];

		ask(n % 2 ? key2 : key, PEER, n);
		assert_ok(n);
		snprintf(want, sizeof(want), "%d", (int)(2 - n));
		fx_assert_header(&g, "X-Tollgate-RateLimit-Remaining", want);
	}
	cr_assert_eq(tenant_use_of(TENANT).admitted, 3);

	ask(key, PEER, 3);
	now_ms = state_clock_ms(&g.st);
	month = state_month_of(now_ms);
	left_s = (state_month_start_ms(month + 1) - now_ms + 999) / 1000;
	fx_assert_problem(&g, 429, "quota-exceeded", rid(3));
	cr_assert_not(g.admit.admitted);
	retry = header_int("Retry-After");
	cr_assert(retry >= left_s - 2 && retry <= left_s + 2,
		  "Retry-After %lld, month ends in %lld", (long long)retry, (long long)left_s);
	t = assert_ratelimit_empty("RateLimit", "month");
	cr_assert(t >= left_s - 2 && t <= left_s + 2, "t=%lld, month ends in %lld", (long long)t,
		  (long long)left_s);
	fx_assert_header(&g, "X-RateLimit-Limit", "3");
	fx_assert_header(&g, "X-RateLimit-Remaining", "0");

	ask(key2, PEER, 4);
	fx_assert_problem(&g, 429, "quota-exceeded", rid(4));
	cr_assert_eq(tenant_use_of(TENANT).admitted, 3, "a refusal took quota");
	/* The quota is the tenant's: another tenant still passes. */
	ask(other, PEER, 5);
	assert_ok(5);
}

Test(limits, refusal_by_the_tenant_leaves_key_and_ip_state_untouched)
{
	struct state_key_use k1, k2;
	struct state_ip_use i1, i2;
	struct state_tenant_use t1, t2;

	set_tenant(TENANT, (struct state_rates){1, 1, 60000, 0}, STATE_UNLIMITED, 1 << 20);
	ask(key, PEER, 0);
	assert_ok(0);
	k1 = key_use_of(KEY_ID);
	i1 = ip_use_of(PEER);
	t1 = tenant_use_of(TENANT);
	cr_assert_neq(k1.tat_sec, 0, "the admission was not counted for the key");
	cr_assert_neq(i1.tat_req, 0, "the admission was not counted for the IP");

	ask(key, PEER, 1);
	assert_refused(1, "rate-limited", "tenant-second");
	k2 = key_use_of(KEY_ID);
	i2 = ip_use_of(PEER);
	t2 = tenant_use_of(TENANT);
	cr_assert_eq(k2.tat_sec, k1.tat_sec, "the key's per-second state moved");
	cr_assert_eq(k2.tat_min, k1.tat_min, "the key's per-minute state moved");
	cr_assert_eq(i2.tat_req, i1.tat_req, "the IP's state moved");
	cr_assert_eq(t2.tat_min, t1.tat_min);
	cr_assert_eq(t2.admitted, 1);
}

Test(limits, refusal_by_the_key_leaves_ip_and_tenant_state_untouched)
{
	struct state_ip_use i1, i2;
	struct state_tenant_use t1, t2;

	fx_key_limits(&g, key, 1, 1, 0);
	ask(key, PEER, 0);
	assert_ok(0);
	i1 = ip_use_of(PEER);
	t1 = tenant_use_of(TENANT);
	ask(key, PEER, 1);
	assert_refused(1, "rate-limited", "key-second");
	i2 = ip_use_of(PEER);
	t2 = tenant_use_of(TENANT);
	cr_assert_eq(i2.tat_req, i1.tat_req, "the IP's state moved");
	cr_assert_eq(t2.tat_sec, t1.tat_sec, "the tenant's per-second state moved");
	cr_assert_eq(t2.tat_min, t1.tat_min, "the tenant's per-minute state moved");
	cr_assert_eq(t2.admitted, t1.admitted, "the refusal took quota");
}

Test(limits, declared_body_above_the_tenants_max_body_is_413)
{
	set_tenant(TENANT, (struct state_rates){1000, 1000, 60000, 0}, STATE_UNLIMITED, 100);
	fx_gate_ask(&g, key, PEER, rid(0), "CONTENT_LENGTH=101");
	fx_assert_problem(&g, 413, "payload-too-large", rid(0));
	fx_assert_header(&g, "X-Tollgate-Max-Body", "100");
	cr_assert_not(g.admit.admitted);

	fx_gate_ask(&g, key, PEER, rid(1), "CONTENT_LENGTH=100");
	assert_ok(1);
	fx_gate_ask(&g, key, PEER, rid(2), "CONTENT_LENGTH=0");
	assert_ok(2);
	fx_gate_ask(&g, key, PEER, rid(3), "CONTENT_LENGTH="); /* chunked: nothing declared */
	assert_ok(3);

	fx_gate_ask(&g, key, PEER, rid(4), "CONTENT_LENGTH=abc");
	fx_assert_problem(&g, 413, "payload-too-large", rid(4));
	fx_gate_ask(&g, key, PEER, rid(5), "CONTENT_LENGTH=-1");
	fx_assert_problem(&g, 413, "payload-too-large", rid(5));
	fx_gate_ask(&g, key, PEER, rid(6), "CONTENT_LENGTH=99999999999999999999999");
	fx_assert_problem(&g, 413, "payload-too-large", rid(6));
	fx_gate_ask(&g, key, PEER, rid(7), "CONTENT_LENGTH=50x");
	fx_assert_problem(&g, 413, "payload-too-large", rid(7));
}

static void assert_throttled(uint64_t n)
{
	struct jsonx_doc *d;
	const char *detail;

	fx_assert_problem(&g, 429, "rate-limited", rid(n));
	cr_assert_geq(header_int("Retry-After"), 1);
	d = fx_body_json(&g);
	cr_assert(jsonx_get_str(d, "detail", &detail));
	cr_assert_not_null(strstr(detail, "failed authentications"), "detail: %s", detail);
	jsonx_doc_free(d);
	cr_assert_not(g.admit.admitted);
}

/* Two failed authentications from peer, then its valid key is refused; a neighbour's is
 * not. */
/* After too many failures from peer, what fails from the same client (same_client: the
 * same address, or for IPv6 another in its /64) is refused with 429; a valid key is not
 * (a bystander behind the same NAT keeps working); another client is untouched. */
static void check_authfail_throttle(const char *peer, const char *same_client,
				    const char *other_client)
{
	char unknown[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];

	g.cfg.authfail_burst = 2;
	g.cfg.authfail_per_minute = 1;
	gate_keys_generate(GATE_KEY_LIVE, unknown, prefix); /* well formed, never stored */
	ask(unknown, peer, 0);
	fx_assert_problem(&g, 401, "invalid-api-key", rid(0));
	ask("tg_live_not-even-a-key", peer, 1);
	fx_assert_problem(&g, 401, "invalid-api-key", rid(1));
	ask(unknown, peer, 2);
	assert_throttled(2);
	ask(key, peer, 3);
	assert_ok(3);
	ask(unknown, same_client, 4);
	assert_throttled(4);
	ask(unknown, other_client, 5);
	fx_assert_problem(&g, 401, "invalid-api-key", rid(5));
}

Test(limits, failed_authentications_from_an_ipv4_address_throttle_it)
{
	check_authfail_throttle("10.0.0.9", "10.0.0.9", "10.0.0.10");
}

Test(limits, failed_authentications_from_an_ipv6_network_throttle_its_slash_64)
{
	check_authfail_throttle("2001:db8::9", "2001:db8::ffff:1", "2001:db8:0:1::9");
	cr_assert_neq(ip_use_of("2001:db8::9").tat_authfail, 0);
	cr_assert_eq(ip_use_of("2001:db8::9").tat_authfail, ip_use_of("2001:db8::a").tat_authfail,
		     "one record per /64");
}

Test(limits, missing_keys_count_as_failed_authentications)
{
	g.cfg.authfail_burst = 2;
	g.cfg.authfail_per_minute = 1;
	ask(NULL, "10.0.0.9", 0);
	fx_assert_problem(&g, 401, "missing-api-key", rid(0));
	ask(NULL, "10.0.0.9", 1);
	fx_assert_problem(&g, 401, "missing-api-key", rid(1));
	ask(NULL, "10.0.0.9", 2);
	assert_throttled(2);
	ask(key, "10.0.0.9", 3);
	assert_ok(3);
}

Test(limits, per_ip_rate_refuses_the_third_request_within_a_second)
{
	g.cfg.ip_rps = 1;
	g.cfg.ip_burst = 2;
	ask(key, PEER, 0);
	assert_ok(0);
	ask(key2, PEER, 1); /* another key, same client */
	assert_ok(1);
	ask(other, PEER, 2);
	assert_refused(2, "rate-limited", "ip");
	ask(key, "10.1.2.4", 3);
	assert_ok(3);
	ask(key, "2001:db8::1", 4);
	assert_ok(4);
	ask(key, "2001:db8::1", 5);
	assert_ok(5);
	ask(key, "2001:db8::1", 6);
	assert_refused(6, "rate-limited", "ip");
}

static struct state_usage usage_of(int64_t key_id, int64_t hour)
{
	struct state_usage *u = state_usage(&g.st, key_id, hour, TENANT, false), copy;

	cr_assert_not_null(u, "no usage record for key %lld hour %lld", (long long)key_id,
			   (long long)hour);
	copy = *u;
	state_unlock(g.st.usage, u);
	return copy;
}

Test(limits, settle_bills_a_delivered_admission_and_returns_the_quota_of_an_undelivered_one)
{
	struct gate_admit refused;
	int64_t before, after;

	set_tenant(TENANT, (struct state_rates){1000, 1000, 60000, 0}, 100, 1 << 20);
	before = state_clock_ms(&g.st) / 3600000;
	ask(key, PEER, 0);
	after = state_clock_ms(&g.st) / 3600000;
	assert_ok(0);
	cr_assert(g.admit.hour == before || g.admit.hour == after);
	cr_assert_eq(g.admit.key_id, KEY_ID);
	cr_assert_eq(g.admit.tenant_id, TENANT);
	cr_assert_eq(usage_of(KEY_ID, g.admit.hour).count[USAGE_REQUESTS], 0,
		     "billed before delivery");
	cr_assert_eq(tenant_use_of(TENANT).admitted, 1);
	gate_settle(&g.app, &g.admit, true);
	cr_assert_eq(usage_of(KEY_ID, g.admit.hour).count[USAGE_REQUESTS], 1);
	cr_assert_eq(usage_of(KEY_ID, g.admit.hour).tenant_id, TENANT);
	cr_assert_eq(tenant_use_of(TENANT).admitted, 1);

	ask(key, PEER, 1);
	assert_ok(1);
	cr_assert_eq(tenant_use_of(TENANT).admitted, 2);
	gate_settle(&g.app, &g.admit, false);
	cr_assert_eq(usage_of(KEY_ID, g.admit.hour).count[USAGE_REQUESTS], 1,
		     "an undelivered admission was billed");
	cr_assert_eq(tenant_use_of(TENANT).admitted, 1, "the quota was not given back");

	/* key2 has not been used yet: its new limit starts from a clean state. */
	fx_key_limits(&g, key2, 1, 1, 0);
	ask(key2, PEER, 2);
	assert_ok(2);
	gate_settle(&g.app, &g.admit, true);
	cr_assert_eq(usage_of(KEY2_ID, g.admit.hour).count[USAGE_REQUESTS], 1);
	ask(key2, PEER, 3);
	assert_refused(3, "rate-limited", "key-second");
	cr_assert_not(g.admit.admitted);
	refused = g.admit;
	gate_settle(&g.app, &refused, true);
	gate_settle(&g.app, &refused, false);
	cr_assert_eq(usage_of(KEY2_ID, g.admit.hour).count[USAGE_REQUESTS], 1,
		     "a refusal was billed");
	cr_assert_eq(usage_of(KEY_ID, g.admit.hour).count[USAGE_REQUESTS], 1);
	cr_assert_eq(tenant_use_of(TENANT).admitted, 2, "a refusal changed the quota");
}

static const struct state_decision *last_decision(uint64_t head_before)
{
	struct state_ring *r = &g.st.rings[g.app.ring];
	uint64_t head = atomic_load(&r->head);

	cr_assert_eq(head, head_before + 1, "ring head %llu, want %llu", (unsigned long long)head,
		     (unsigned long long)(head_before + 1));
	return &r->items[(head - 1) & (STATE_RING_SIZE - 1)];
}

static void assert_decision(const struct state_decision *d, uint64_t n, int64_t key_id,
			    int64_t tenant_id, enum decision_outcome outcome)
{
	const char *s = rid(n);
	unsigned char want[16];
	size_t i, j = 0;

	/* The UUID's 32 hex digits, in order, are its 16 bytes. */
	for (i = 0; s[i] != '\0'; i += 2) {
		unsigned int byte;

		if (s[i] == '-')
			i++;
		cr_assert_eq(sscanf(s + i, "%2x", &byte), 1);
		want[j++] = (unsigned char)byte;
	}
	cr_assert_eq(j, 16);
	cr_assert_eq(memcmp(d->request_id, want, 16), 0, "request id bytes differ from %s", s);
	cr_assert_eq(d->key_id, key_id);
	cr_assert_eq(d->tenant_id, tenant_id);
	cr_assert_eq(d->outcome, (int32_t)outcome);
	cr_assert_gt(d->at_ms, 0);
}

Test(limits, every_decision_is_pushed_to_the_workers_ring)
{
	struct state_ring *r;
	static const unsigned char zero[16];
	uint64_t head;

	g.app.ring = 2;
	r = &g.st.rings[2];
	fx_key_limits(&g, key, 1, 1, 0);

	head = atomic_load(&r->head);
	cr_assert_eq(head, 0);
	ask(key, PEER, 0x1234abcd5678ULL);
	assert_ok(0);
	assert_decision(last_decision(head), 0x1234abcd5678ULL, KEY_ID, TENANT, DECISION_ALLOW);

	head = atomic_load(&r->head);
	ask(key, PEER, 2);
	fx_assert_problem(&g, 429, "rate-limited", rid(2));
	assert_decision(last_decision(head), 2, KEY_ID, TENANT, DECISION_DENY);

	head = atomic_load(&r->head);
	ask("tg_live_nope", PEER, 3);
	fx_assert_problem(&g, 401, "invalid-api-key", rid(3));
	assert_decision(last_decision(head), 3, 0, 0, DECISION_DENY);

	/* A request id that is not a UUID leaves zeros, which the collector ignores. */
	head = atomic_load(&r->head);
	fx_gate_ask(&g, key2, PEER, "req-1", NULL);
	assert_ok(4);
	cr_assert_eq(memcmp(last_decision(head)->request_id, zero, 16), 0);
	cr_assert_eq(last_decision(head)->key_id, KEY2_ID);

	cr_assert_eq(atomic_load(&g.st.rings[0].head), 0, "another worker's ring was used");
	cr_assert_eq(state_metric_sum(&g.st, METRIC_ALLOWED), 2);
	cr_assert_eq(state_metric_sum(&g.st, METRIC_DENIED_RATE), 1);
	cr_assert_eq(state_metric_sum(&g.st, METRIC_DENIED_AUTH), 1);
}

/* Hours since the epoch of a UTC date and hour. */
static int64_t utc_hour(int y, int m, int d, int h)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	return (int64_t)timegm(&tm) / 3600;
}

Test(limits, the_quota_window_is_the_calendar_month_without_a_billing_period)
{
	int64_t s, e;

	state_quota_window(0, utc_hour(2026, 12, 6, 11) * 3600000 + 123, &s, &e);
	cr_assert_eq(s, utc_hour(2026, 12, 1, 0));
	cr_assert_eq(e, utc_hour(2027, 1, 1, 0));
}

Test(limits, the_quota_window_follows_the_billing_period_in_whole_hours)
{
	/* A period that began on 2026-12-06 at 11:40:47: windows turn on the 6th at 11:00. */
	int64_t anchor = utc_hour(2026, 12, 6, 11) * 3600 + 40 * 60 + 47, s, e;

	state_quota_window(anchor, (utc_hour(2026, 12, 6, 11) * 3600 + 41 * 60) * 1000, &s, &e);
	cr_assert_eq(s, utc_hour(2026, 12, 6, 11));
	cr_assert_eq(e, utc_hour(2027, 1, 6, 11));
	/* On the 6th of January at 10:59 it is still December's window... */
	state_quota_window(anchor, utc_hour(2027, 1, 6, 10) * 3600000 + 3599000, &s, &e);
	cr_assert_eq(s, utc_hour(2026, 12, 6, 11));
	cr_assert_eq(e, utc_hour(2027, 1, 6, 11));
	/* ...and from 11:00 January's. */
	state_quota_window(anchor, utc_hour(2027, 1, 6, 11) * 3600000, &s, &e);
	cr_assert_eq(s, utc_hour(2027, 1, 6, 11));
	cr_assert_eq(e, utc_hour(2027, 2, 6, 11));
}

Test(limits, a_period_from_the_31st_turns_on_the_last_day_of_shorter_months)
{
	int64_t anchor = utc_hour(2027, 1, 31, 23) * 3600, s, e;

	state_quota_window(anchor, utc_hour(2027, 2, 15, 0) * 3600000, &s, &e);
	cr_assert_eq(s, utc_hour(2027, 1, 31, 23));
	cr_assert_eq(e, utc_hour(2027, 2, 28, 23));
	state_quota_window(anchor, utc_hour(2028, 2, 29, 23) * 3600000, &s, &e);
	cr_assert_eq(s, utc_hour(2028, 2, 29, 23), "a leap year's February has a 29th");
	cr_assert_eq(e, utc_hour(2028, 3, 31, 23));
	state_quota_window(anchor, utc_hour(2027, 1, 10, 0) * 3600000, &s, &e);
	cr_assert_eq(s, utc_hour(2026, 12, 31, 23), "January 10th is in December's window");
	cr_assert_eq(e, utc_hour(2027, 1, 31, 23));
}

Test(limits, a_paid_period_starts_a_fresh_quota_window_that_ends_with_the_period)
{
	struct state_tenant t;
	int64_t now_ms, start_h, end_h, retry, left_s;
	uint64_t n;

	set_tenant(TENANT, (struct state_rates){1000, 1000, 60000, 0}, 3, 1 << 20);
	for (n = 0; n < 3; n++) {
		ask(key, PEER, n);
		assert_ok(n);
	}
	ask(key, PEER, 3);
	fx_assert_problem(&g, 429, "quota-exceeded", rid(3));

	/* The tenant pays: its period began an hour ago. The window is the period's, and
	 * nothing of the calendar month's is counted in it. */
	now_ms = state_clock_ms(&g.st);
	cr_assert(state_tenant_find(&g.st, TENANT, &t));
	t.quota_anchor_s = now_ms / 1000 - 3600;
	cr_assert_eq(state_tenant_put(&g.st, &t), ERR_OK);
	state_quota_window(t.quota_anchor_s, now_ms, &start_h, &end_h);
	ask(key, PEER, 4);
	assert_ok(4);
	cr_assert_eq(tenant_use_of(TENANT).win, start_h);
	cr_assert_eq(tenant_use_of(TENANT).win_end, end_h);
	cr_assert_eq(tenant_use_of(TENANT).admitted, 1);
	for (n = 5; n < 7; n++) {
		ask(key, PEER, n);
		assert_ok(n);
	}
	ask(key, PEER, 7);
	fx_assert_problem(&g, 429, "quota-exceeded", rid(7));
	retry = header_int("Retry-After");
	left_s = (end_h * 3600000 - now_ms + 999) / 1000;
	cr_assert(retry >= left_s - 2 && retry <= left_s + 2,
		  "Retry-After %lld, the period's window ends in %lld", (long long)retry,
		  (long long)left_s);
}
