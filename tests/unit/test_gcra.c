/* gcra: bursts, the sustained rate, the bound over every window, a token-bucket model, and
 * saturation at the edges of int64. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "../../lib/gcra.h"

#define NREQ 2000

static struct gcra_limit limit(int64_t rate, int64_t period_ns, int64_t burst)
{
	struct gcra_limit l;

	cr_assert_eq(gcra_limit_init(&l, rate, period_ns, burst), ERR_OK, "%lld/%lld burst %lld",
		     (long long)rate, (long long)period_ns, (long long)burst);
	return l;
}

/* Feeds one request and returns the decision; stores the new state like a caller would. */
static struct gcra_result take(const struct gcra_limit *l, int64_t *tat, int64_t now, int64_t cost)
{
	struct gcra_result r;

	gcra_check(l, *tat, now, cost, &r);
	*tat = r.tat;
	return r;
}

/* splitmix64: small, seeded, the same on every platform. */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Roughly uniform in [lo, hi]; the modulo bias does not matter here. */
static int64_t rnd(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd_next(s) % (uint64_t)(hi - lo + 1));
}

/* A random limit and NREQ requests in time order, mixing bursts at one instant, gaps near
 * T, short and uniform gaps and long idle spells; costs mostly 1, sometimes above burst. */
struct sched {
	int64_t rate, period, burst;
	struct gcra_limit l;
	int64_t start;
	int64_t at[NREQ];
	int64_t cost[NREQ];
};

static void sched_make(struct sched *s, uint64_t seed)
{
	uint64_t g = seed;
	int64_t w[5], wsum = 0, t, tau, pmulti;
	size_t i, k;

	s->rate = rnd(&g, 1, 1000);
	switch (rnd(&g, 0, 3)) {
	case 0:
		s->period = s->rate * rnd(&g, 1, 1000000); /* T exact */
		break;
	case 1:
		s->period = rnd(&g, 1, s->rate); /* more than one per ns: T = 1 */
		break;
	default:
		s->period = rnd(&g, 1, 1000000000); /* T usually rounded up */
		break;
	}
	s->burst = rnd(&g, 0, 1) ? rnd(&g, 1, 4) : rnd(&g, 1, 50);
	s->l = limit(s->rate, s->period, s->burst);
	t = s->l.interval_ns;
	tau = s->burst * t;
	for (k = 0; k < 5; k++)
		wsum += w[k] = rnd(&g, 0, 10);
	if (wsum == 0)
		wsum = w[1] = 1;
	pmulti = rnd(&g, 0, 2) * 15; /* percent of requests costing more than 1 */
	s->start = rnd(&g, 0, 1000000000000);
	for (i = 0, t = s->start; i < NREQ; i++) {
		int64_t pick = rnd(&g, 0, wsum - 1), T = s->l.interval_ns, gap;

		for (k = 0; pick >= w[k]; k++)
			pick -= w[k];
		switch (k) {
		case 0:
			gap = 0;
			break;
		case 1:
			gap = T + rnd(&g, -2, 2);
			gap = gap < 0 ? 0 : gap;
			break;
		case 2:
			gap = rnd(&g, 0, T / 4);
			break;
		case 3:
			gap = rnd(&g, 0, 2 * T);
			break;
		default:
			gap = rnd(&g, tau / 2, 3 * tau);
			break;
		}
		t += i ? gap : 0;
		s->at[i] = t;
		s->cost[i] = rnd(&g, 0, 99) < pmulti ? rnd(&g, 2, s->burst + 2) : 1;
	}
}

Test(gcra, limit_init_rejects_bad_parameters)
{
	static const int64_t bad[][3] = {{0, 1000, 1},
					 {-1, 1000, 1},
					 {INT64_MIN, 1000, 1},
					 {1, 0, 1},
					 {1, -5, 1},
					 {1, INT64_MIN, 1},
					 {1, 1000, 0},
					 {1, 1000, -1},
					 {1, 1000, INT64_MIN},
					 /* burst * T would not fit */
					 {1, INT64_MAX, 2},
					 {1, INT64_MAX / 2 + 1, 2},
					 {2, INT64_MAX, 3}};
	struct gcra_limit l;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l.interval_ns = l.burst = 7;
		cr_assert_eq(gcra_limit_init(&l, bad[i][0], bad[i][1], bad[i][2]), ERR_INPUT,
			     "case %zu accepted", i);
		cr_assert_eq(l.interval_ns, 0, "case %zu: out not cleared", i);
		cr_assert_eq(l.burst, 0, "case %zu: out not cleared", i);
	}
	l = limit(1, INT64_MAX, 1);
	cr_assert_eq(l.interval_ns, INT64_MAX);
	l = limit(1, INT64_MAX / 2, 2);
	cr_assert_eq(l.interval_ns, INT64_MAX / 2);
}

Test(gcra, limit_interval_rounds_up)
{
	cr_assert_eq(limit(3, 1000, 1).interval_ns, 334);
	cr_assert_eq(limit(4, 1000, 1).interval_ns, 250);
	cr_assert_eq(limit(999, 1000, 1).interval_ns, 2);
	cr_assert_eq(limit(1000, 1000, 1).interval_ns, 1);
	cr_assert_eq(limit(5000, 1000, 1).interval_ns, 1);
	cr_assert_eq(limit(1, 1, 1).interval_ns, 1);
	cr_assert_eq(limit(INT64_MAX, INT64_MAX, 1).interval_ns, 1);
	cr_assert_eq(limit(INT64_MAX - 1, INT64_MAX, 1).interval_ns, 2);
	cr_assert_eq(limit(3, 1000, 9).burst, 9);
}

Test(gcra, fresh_limit_admits_exactly_burst_at_once)
{
	struct gcra_limit l = limit(10, 1000, 5); /* T = 100 */
	struct gcra_result r;
	int64_t tat = 0, now = 12345, i;

	for (i = 0; i < 5; i++) {
		r = take(&l, &tat, now, 1);
		cr_assert(r.allowed, "request %lld denied", (long long)i);
		cr_assert_eq(r.remaining, 4 - i);
		cr_assert_eq(r.retry_after_ns, 0);
		cr_assert_eq(r.reset_ns, (i + 1) * 100);
		cr_assert_eq(r.tat, now + (i + 1) * 100);
	}
	r = take(&l, &tat, now, 1);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_ns, 100);
	cr_assert_eq(r.remaining, 0);
	cr_assert_eq(r.reset_ns, 500);
	cr_assert_eq(r.tat, now + 500);
}

Test(gcra, sustains_one_request_per_interval_after_burst)
{
	struct gcra_limit l = limit(3, 1000, 4); /* T = 334 */
	struct gcra_result r, early;
	int64_t tat = 0, now = 1000000, k;

	for (k = 0; k < 4; k++)
		cr_assert(take(&l, &tat, now, 1).allowed);
	for (k = 1; k <= 10000; k++) {
		gcra_check(&l, tat, now + k * 334 - 1, 1, &early);
		cr_assert_not(early.allowed, "admitted 1 ns early at step %lld", (long long)k);
		cr_assert_eq(early.retry_after_ns, 1);
		r = take(&l, &tat, now + k * 334, 1);
		cr_assert(r.allowed, "step %lld denied", (long long)k);
		cr_assert_eq(r.remaining, 0);
		cr_assert_eq(r.reset_ns, 4 * 334);
	}
}

Test(gcra, full_burst_returns_after_burst_times_interval)
{
	struct gcra_limit l = limit(7, 1000, 6); /* T = 143 */
	int64_t tat = 0, t = 5000, last, copy, k;

	for (k = 0; k < 6; k++)
		cr_assert(take(&l, &tat, t, 1).allowed);
	/* A few more at the sustained rate, each emptying the limit; the last one counts. */
	for (last = t, k = 0; k < 3; k++)
		cr_assert_eq(take(&l, &tat, last += 143, 1).remaining, 0);
	cr_assert_not(gcra_is_idle(tat, last + 6 * 143 - 1));
	cr_assert(gcra_is_idle(tat, last + 6 * 143));
	cr_assert(gcra_is_idle(0, last));

	/* One nanosecond short: one request is still owed. */
	copy = tat;
	for (k = 0; k < 5; k++)
		cr_assert(take(&l, &copy, last + 6 * 143 - 1, 1).allowed);
	cr_assert_not(take(&l, &copy, last + 6 * 143 - 1, 1).allowed);

	for (k = 0; k < 6; k++) {
		struct gcra_result r = take(&l, &tat, last + 6 * 143, 1);

		cr_assert(r.allowed, "request %lld of the refilled burst denied", (long long)k);
		cr_assert_eq(r.remaining, 5 - k);
	}
	cr_assert_not(take(&l, &tat, last + 6 * 143, 1).allowed);
}

Test(gcra, denials_leave_state_unchanged)
{
	struct gcra_limit l = limit(3, 1000, 2); /* T = 334 */
	struct gcra_result r;
	int64_t tat = 0, now = 77, stored, t;

	cr_assert(take(&l, &tat, now, 1).allowed);
	cr_assert(take(&l, &tat, now, 1).allowed);
	stored = tat;
	/* Flood every nanosecond until a slot opens: nothing may move the state. */
	for (t = now; t < now + 334; t++) {
		r = take(&l, &tat, t, 1);
		cr_assert_not(r.allowed, "admitted at %lld", (long long)t);
		cr_assert_eq(r.tat, stored);
		cr_assert_eq(r.retry_after_ns, now + 334 - t);
	}
	r = take(&l, &tat, now + 334, 1);
	cr_assert(r.allowed, "denials delayed the client");
	cr_assert_eq(r.tat, stored + 334);

	/* Even a fresh (zeroed) record comes back as it was when denied. */
	gcra_check(&l, 0, now, 3, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.tat, 0);
	gcra_check(&l, -5, now, 3, &r);
	cr_assert_eq(r.tat, -5);
}

/* The largest excess, over every window [t_i, t_j] of admitted requests i <= j, of
 * cost(i..j) * T - (t_j - t_i) over the allowance B * T, by brute force. */
static int64_t worst_window_brute(const int64_t *at, const int64_t *cost, size_t m, int64_t t,
				  int64_t tau)
{
	int64_t worst = INT64_MIN, sum;
	size_t i, j;

	for (i = 0; i < m; i++)
		for (sum = 0, j = i; j < m; j++) {
			sum += cost[j];
			if (sum * t - (at[j] - at[i]) - tau > worst)
				worst = sum * t - (at[j] - at[i]) - tau;
		}
	return worst;
}

/*
 * cost(i..j) * scale - (t_j - t_i) * per <= allowance for all i <= j, rewritten with prefix
 * sums C as (C_j * scale - t_j * per) - (C_{i-1} * scale - t_i * per) <= allowance: keeping
 * the minimum of the second term over i <= j checks every window in one pass. Returns the
 * largest excess over the allowance (<= 0 when the bound holds). Times are relative to the
 * schedule's start so that t * per stays far from overflow.
 */
static int64_t worst_window(const int64_t *at, const int64_t *cost, size_t m, int64_t scale,
			    int64_t per, int64_t allowance)
{
	int64_t worst = INT64_MIN, lo = INT64_MAX, c = 0, v;
	size_t j;

	for (j = 0; j < m; j++) {
		v = c * scale - at[j] * per; /* C_{j-1} * scale - t_j * per */
		lo = v < lo ? v : lo;
		c += cost[j];
		v = c * scale - at[j] * per - lo - allowance;
		worst = v > worst ? v : worst;
	}
	return worst;
}

Test(gcra, never_exceeds_rate_plus_burst_in_any_window)
{
	static struct sched s;
	static int64_t at[NREQ], cost[NREQ];
	int64_t tat, t, worst, tight = 0;
	uint64_t n;
	size_t i, m;

	for (n = 0; n < 600; n++) {
		sched_make(&s, 0x6c696d6974ull + n);
		t = s.l.interval_ns;
		for (tat = 0, m = 0, i = 0; i < NREQ; i++) {
			if (!take(&s.l, &tat, s.at[i], s.cost[i]).allowed)
				continue;
			at[m] = s.at[i] - s.start;
			cost[m++] = s.cost[i];
		}
		cr_assert_gt(m, 0);
		/* In units of T: never more than B + (t_j - t_i) / T. */
		worst = worst_window(at, cost, m, t, 1, s.burst * t);
		cr_assert_leq(worst, 0, "schedule %llu: window over B + dt/T by %lld ns (T %lld)",
			      (unsigned long long)n, (long long)worst, (long long)t);
		if (n < 20)
			cr_assert_eq(worst, worst_window_brute(at, cost, m, t, s.burst * t),
				     "schedule %llu: one-pass and brute-force checks disagree",
				     (unsigned long long)n);
		tight += worst > -t;
		/* In the configured units: never more than B + rate * (t_j - t_i) / period. */
		worst = worst_window(at, cost, m, s.period, s.rate, s.burst * s.period);
		cr_assert_leq(worst, 0, "schedule %llu: window over B + rate * dt / period",
			      (unsigned long long)n);
	}
	/* The schedules must actually push against the limit, or the bound proves nothing. */
	cr_assert_gt(tight, 500, "only %lld of 600 schedules reached the bound", (long long)tight);
}

/* The reference: a token bucket holding up to B tokens, refilled continuously at one token
 * per T. Credit is kept in nanoseconds (a token is worth T) so the model is exact. */
struct bucket {
	int64_t credit;
	int64_t last;
};

static bool bucket_take(struct bucket *b, const struct gcra_limit *l, int64_t now, int64_t cost,
			int64_t *remaining, int64_t *wait)
{
	int64_t cap = l->burst * l->interval_ns, need = cost * l->interval_ns;
	bool ok;

	b->credit = now - b->last >= cap - b->credit ? cap : b->credit + (now - b->last);
	b->last = now;
	ok = b->credit >= need;
	if (ok)
		b->credit -= need;
	*remaining = b->credit / l->interval_ns;
	*wait = ok ? 0 : need - b->credit;
	return ok;
}

Test(gcra, matches_token_bucket_model)
{
	static struct sched s;
	struct gcra_result r;
	struct bucket b;
	int64_t tat, remaining, wait, allowed = 0, denied = 0;
	uint64_t n;
	size_t i;
	bool ok;

	for (n = 0; n < 600; n++) {
		sched_make(&s, 0x6275636bull + n);
		b.credit = s.burst * s.l.interval_ns;
		b.last = s.at[0];
		for (tat = 0, i = 0; i < NREQ; i++) {
			r = take(&s.l, &tat, s.at[i], s.cost[i]);
			ok = bucket_take(&b, &s.l, s.at[i], s.cost[i], &remaining, &wait);
			cr_assert_eq(r.allowed, ok, "schedule %llu request %zu: gcra %d, bucket %d",
				     (unsigned long long)n, i, r.allowed, ok);
			cr_assert_eq(r.remaining, remaining, "schedule %llu request %zu",
				     (unsigned long long)n, i);
			cr_assert_eq(r.retry_after_ns, wait, "schedule %llu request %zu",
				     (unsigned long long)n, i);
			cr_assert_eq(r.reset_ns, s.burst * s.l.interval_ns - b.credit);
			allowed += ok;
			denied += !ok;
		}
	}
	cr_assert_gt(allowed, 100000);
	cr_assert_gt(denied, 100000);
}

Test(gcra, remaining_retry_after_and_reset_are_exact)
{
	static struct sched s;
	struct gcra_result r, again;
	int64_t tat, copy, k;
	uint64_t n;
	size_t i;

	for (n = 0; n < 150; n++) {
		sched_make(&s, 0x72657472ull + n);
		for (tat = 0, i = 0; i < NREQ; i++) {
			int64_t now = s.at[i], cost = s.cost[i];

			gcra_check(&s.l, tat, now, cost, &r);
			if (r.allowed) {
				cr_assert_leq(r.reset_ns, s.burst * s.l.interval_ns);
				/* Exactly `remaining` more requests fit at this instant. */
				for (copy = r.tat, k = 0; k < r.remaining; k++)
					cr_assert(take(&s.l, &copy, now, 1).allowed);
				cr_assert_not(take(&s.l, &copy, now, 1).allowed,
					      "schedule %llu request %zu: remaining too low",
					      (unsigned long long)n, i);
			} else {
				cr_assert_gt(r.retry_after_ns, 0);
				gcra_check(&s.l, tat, now + r.retry_after_ns, cost, &again);
				cr_assert_eq(again.allowed, cost <= s.burst,
					     "schedule %llu request %zu: retry_after wrong",
					     (unsigned long long)n, i);
				gcra_check(&s.l, tat, now + r.retry_after_ns - 1, cost, &again);
				cr_assert_not(again.allowed, "retry_after not the earliest time");
			}
			/* Full again after reset_ns, and not a nanosecond earlier. */
			cr_assert(gcra_is_idle(r.tat, now + r.reset_ns));
			cr_assert(r.reset_ns == 0 || !gcra_is_idle(r.tat, now + r.reset_ns - 1));
			gcra_check(&s.l, r.tat, now + r.reset_ns, 1, &again);
			cr_assert_eq(again.remaining, s.burst - 1);
			tat = r.tat;
		}
	}
}

Test(gcra, cost_above_burst_is_never_allowed)
{
	struct gcra_limit l = limit(10, 1000, 3); /* T = 100 */
	struct gcra_result r;

	gcra_check(&l, 0, 1000, 4, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.remaining, 3);
	cr_assert_eq(r.retry_after_ns, 100); /* the formula: (cost - B) * T */
	cr_assert_eq(r.reset_ns, 0);
	gcra_check(&l, 0, 1000 + 1000000000, 4, &r);
	cr_assert_not(r.allowed);
	gcra_check(&l, 0, 1000, 3, &r);
	cr_assert(r.allowed);
	cr_assert_eq(r.remaining, 0);
}

Test(gcra, huge_period_and_cost_saturate)
{
	struct gcra_limit l = limit(1, INT64_MAX / 2, 1);
	struct gcra_result r;
	int64_t tat = 0, now = 1000000000000000000;

	r = take(&l, &tat, now, 1);
	cr_assert(r.allowed);
	cr_assert_eq(r.tat, now + INT64_MAX / 2);
	cr_assert_eq(r.reset_ns, INT64_MAX / 2);
	r = take(&l, &tat, now, 1);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_ns, INT64_MAX / 2);
	cr_assert_eq(r.reset_ns, INT64_MAX / 2);

	/* cost * T does not fit: denied, "never", state untouched. */
	l = limit(1, 1000, 5);
	gcra_check(&l, 0, now, INT64_MAX, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.tat, 0);
	cr_assert_eq(r.retry_after_ns, INT64_MAX);
	cr_assert_eq(r.remaining, 5);
	cr_assert_eq(r.reset_ns, 0);
	gcra_check(&l, 0, now, INT64_MAX / 1000 + 1, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_ns, INT64_MAX);
	/* Fits, but far beyond the burst: the exact formula. */
	gcra_check(&l, 0, now, INT64_MAX / 1000, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_ns, (INT64_MAX / 1000 - 5) * 1000);

	/* The largest limit there is: T = INT64_MAX, B = 1. */
	l = limit(1, INT64_MAX, 1);
	gcra_check(&l, 0, 0, 1, &r);
	cr_assert(r.allowed);
	cr_assert_eq(r.tat, INT64_MAX);
	cr_assert_eq(r.remaining, 0);
	gcra_check(&l, 0, 1, 1, &r); /* the new TAT would pass INT64_MAX */
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_ns, INT64_MAX);
	cr_assert_eq(r.tat, 0);
}

Test(gcra, extreme_times_saturate)
{
	struct gcra_limit l = limit(1, 1000, 5); /* T = 1000 */
	struct gcra_result r;
	int64_t now = 1000000000000000000, tat;

	/* A TAT near INT64_MAX (from another clock, or corrupt): denied for as long as it says. */
	gcra_check(&l, INT64_MAX - 3, now, 1, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.tat, INT64_MAX - 3);
	cr_assert_eq(r.remaining, 0);
	cr_assert_eq(r.reset_ns, INT64_MAX - 3 - now);
	cr_assert_eq(r.retry_after_ns, INT64_MAX - 3 - now + 1000 - 5000);

	/* The distance itself does not fit. */
	gcra_check(&l, INT64_MAX, -now, 1, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.reset_ns, INT64_MAX);
	cr_assert_eq(r.retry_after_ns, INT64_MAX);
	cr_assert_eq(r.remaining, 0);
	gcra_check(&l, INT64_MAX, INT64_MIN, 1, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.reset_ns, INT64_MAX);

	/* Near the end of the clock: admitted while the new TAT fits, then "never". */
	tat = 0;
	cr_assert(take(&l, &tat, INT64_MAX - 4000, 4).allowed);
	cr_assert_eq(tat, INT64_MAX);
	cr_assert(gcra_is_idle(tat, INT64_MAX));
	gcra_check(&l, tat, INT64_MAX - 1, 1, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_ns, INT64_MAX);
	cr_assert_eq(r.remaining, 4);

	/* An old TAT far in the past is fresh, whatever the origin. */
	gcra_check(&l, INT64_MIN, INT64_MIN, 1, &r);
	cr_assert(r.allowed);
	cr_assert_eq(r.tat, INT64_MIN + 1000);
	cr_assert_eq(r.remaining, 4);
	cr_assert(gcra_is_idle(INT64_MIN, -1));
	cr_assert_not(gcra_is_idle(0, -1));
}
