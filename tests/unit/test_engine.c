/* The abuse engine's decisions on the hot path, through the gate without sockets: who a
 * labelled false positive exempts, and who it does not. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../app/abuse/engine.h"
#include "../../lib/codec.h"
#include "fixture.h"

static struct fx_gate g;
static char key_a[GATE_KEY_LEN + 1], key_b[GATE_KEY_LEN + 1];

#define PEER "198.51.100.23"
#define A    1
#define B    2

static void enforce(int64_t id)
{
	struct state_tenant t;

	cr_assert(state_tenant_find(&g.st, id, &t));
	t.abuse_mode = ABUSE_ENFORCE;
	cr_assert_eq(state_tenant_put(&g.st, &t), ERR_OK);
}

static void setup(void)
{
	fx_gate_open(&g);
	g.cfg.abuse_engine = ABUSE_ENGINE_HEURISTICS;
	g.cfg.abuse_anon_mode = ABUSE_SHADOW;
	g.cfg.abuse_block_s = 300;
	g.cfg.abuse_throttle_s = 300;
	g.cfg.abuse_throttle_rps = 1;
	g.cfg.abuse_exempt_s = 3600;
	fx_tenant(&g, A, "alpha", TENANT_ACTIVE, "10.0.0.1:80");
	fx_tenant(&g, B, "bravo", TENANT_ACTIVE, "10.0.0.2:80");
	enforce(A);
	enforce(B);
	fx_key(&g, 11, A, 0, key_a);
	fx_key(&g, 22, B, 0, key_b);
}

static void teardown(void)
{
	fx_gate_close(&g);
}

TestSuite(engine, .init = setup, .fini = teardown);

/* Blocks the address as the engine would have, for one tenant's traffic or (0) all. */
static void block_address(int64_t for_tenant)
{
	unsigned char ip[16];
	struct state_ip_use *u;
	int64_t now = state_mono_ns();

	cr_assert(codec_ip_parse(PEER, ip));
	u = state_ip_use(&g.st, ip, now);
	cr_assert_not_null(u);
	u->abuse.until_ns = now + 100 * (int64_t)1000000000;
	u->abuse.until_tenant = for_tenant;
	u->abuse.until_outcome = OUTCOME_BLOCK;
	state_unlock(g.st.ips, u);
}

static int ask(const char *key)
{
	fx_gate_ask(&g, key, PEER, NULL, NULL);
	return g.rs.status;
}

Test(engine, a_false_positive_label_exempts_the_address_for_the_labelling_tenant_only)
{
	unsigned char ip[16];

	cr_assert(codec_ip_parse(PEER, ip));
	block_address(0); /* blocked for everyone (say, for its anonymous traffic) */
	cr_assert_eq(ask(key_a), 403);
	cr_assert_eq(ask(key_b), 403);
	abuse_lift(&g.st, A, ip, 0, g.cfg.abuse_exempt_s);
	cr_assert_eq(ask(key_a), 200, "A labelled it a false positive: A's traffic passes");
	cr_assert_eq(ask(key_b), 403, "B's protection is not A's to lift");
}

Test(engine, a_tenant_cannot_lift_another_tenants_block)
{
	unsigned char ip[16];

	cr_assert(codec_ip_parse(PEER, ip));
	block_address(B);
	cr_assert_eq(ask(key_a), 200, "a block for B's traffic is not applied to A's");
	cr_assert_eq(ask(key_b), 403);
	abuse_lift(&g.st, A, ip, 0, g.cfg.abuse_exempt_s);
	cr_assert_eq(ask(key_b), 403);
	abuse_lift(&g.st, B, ip, 0, g.cfg.abuse_exempt_s);
	cr_assert_eq(ask(key_b), 200);
}

Test(engine, a_deny_list_blocks_for_as_long_as_its_entry_stands)
{
	unsigned char ip[16];
	uint32_t gen = 7;

	cr_assert(codec_ip_parse(PEER, ip));
	cr_assert_eq(state_list_put(&g.st, A, ip, 128, LIST_DENY, gen), ERR_OK);
	cr_assert_eq(ask(key_a), 403, "A's own deny entry");
	cr_assert_eq(ask(key_b), 200, "A's list is not B's");
	state_list_sweep(&g.st, gen + 1); /* the syncer's next full load: the entry is gone */
	cr_assert_eq(ask(key_a), 200, "no block outlives its entry");
}
