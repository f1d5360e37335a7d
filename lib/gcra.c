/* Generic Cell Rate Algorithm in saturating int64 arithmetic. */
#include "gcra.h"

#include <assert.h>

/* In every use below only an overflow past INT64_MAX is possible (what is added or subtracted
 * moves the result up), so these saturate there and raise *big: a result that did not fit
 * can never admit a request. */
static int64_t add_sat(int64_t a, int64_t b, bool *big)
{
	int64_t v;

	if (__builtin_add_overflow(a, b, &v)) {
		*big = true;
		return INT64_MAX;
	}
	return v;
}

static int64_t sub_sat(int64_t a, int64_t b, bool *big)
{
	int64_t v;

	if (__builtin_sub_overflow(a, b, &v)) {
		*big = true;
		return INT64_MAX;
	}
	return v;
}

static int64_t mul_sat(int64_t a, int64_t b, bool *big)
{
	int64_t v;

	if (__builtin_mul_overflow(a, b, &v)) {
		*big = true;
		return INT64_MAX;
	}
	return v;
}

enum err gcra_limit_init(struct gcra_limit *out, int64_t rate, int64_t period_ns, int64_t burst)
{
	int64_t window;

	out->interval_ns = 0;
	out->burst = 0;
	if (rate < 1 || period_ns < 1 || burst < 1)
		return ERR_INPUT;
	/* ceil(period / rate) without forming period + rate - 1, which could overflow. */
	out->interval_ns = (period_ns - 1) / rate + 1;
	if (__builtin_mul_overflow(burst, out->interval_ns, &window)) {
		out->interval_ns = 0;
		return ERR_INPUT;
	}
	out->burst = burst;
	return ERR_OK;
}

void gcra_check(const struct gcra_limit *l, int64_t tat, int64_t now, int64_t cost,
		struct gcra_result *r)
{
	int64_t t = l->interval_ns, tau, t0, wait, need, ahead, new_tat = tat;
	bool big = false, ignored = false;

	assert(t >= 1 && l->burst >= 1 && cost >= 1);
	/* Exact for a limit from gcra_limit_init; saturation only guards hand-made ones. */
	tau = mul_sat(l->burst, t, &ignored);
	t0 = tat > now ? tat : now;
	wait = sub_sat(t0, now, &big); /* >= 0: how far the client is ahead of now */
	need = mul_sat(cost, t, &big);
	ahead = add_sat(wait, need, &big); /* new TAT - now */
	if (!big && ahead <= tau)
		new_tat = add_sat(t0, need, &big);

	r->allowed = !big && ahead <= tau;
	if (r->allowed) {
		r->tat = new_tat;
		r->remaining = (tau - ahead) / t;
		r->retry_after_ns = 0;
		r->reset_ns = ahead;
		return;
	}
	r->tat = tat;
	r->remaining = wait < tau ? (tau - wait) / t : 0;
	r->retry_after_ns = big ? INT64_MAX : ahead - tau;
	r->reset_ns = wait;
}

bool gcra_is_idle(int64_t tat, int64_t now)
{
	return tat <= now;
}
