/* Generic Cell Rate Algorithm: a pure rate-limit decision over state the caller stores.
 *
 * A limit admits at most `burst` requests at once and refills at `rate` per `period`. The
 * whole state of one client is a single int64_t, its theoretical arrival time (TAT): the
 * instant at which its limit would be full again if nothing more arrived. The caller keeps
 * it wherever it likes (a shared-memory table, a database row), passes it in, and writes
 * back `tat` from the result. Nothing here allocates, locks, reads a clock or keeps globals;
 * concurrent callers serialise read-decide-write themselves.
 *
 * Times are int64_t nanoseconds on one clock that never goes back (CLOCK_MONOTONIC). A
 * stored TAT only means something on the clock that produced it: state that outlives the
 * clock (a restarted CLOCK_MONOTONIC after a reboot) must be dropped, or a client may be
 * told to wait for as long as the old clock was ahead. A zeroed record reads as fresh
 * whenever now >= 0.
 *
 * This is the "virtual scheduling" form and admits exactly the requests that a token bucket
 * of capacity `burst`, refilled by one token every interval_ns, would admit. In any window
 * [t1, t2] the admitted cost is at most burst + (t2 - t1) / interval_ns, which never exceeds
 * burst + rate * (t2 - t1) / period because interval_ns is rounded up. */
#ifndef LIB_GCRA_H
#define LIB_GCRA_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* A rate limit: at most `burst` requests at once, refilled at `rate` per `period`. */
struct gcra_limit {
	int64_t interval_ns; /* T: period / rate, rounded up so the limit is never exceeded */
	int64_t burst;	     /* B >= 1 */
};

/* Fills *out for `rate` requests per `period_ns` with bursts of up to `burst`. Clears *out
 * first. ERR_INPUT if rate < 1, period_ns < 1, burst < 1, or burst * T does not fit in an
 * int64_t (a burst window of more than 292 years). A rate above one per nanosecond is
 * rounded down to one per nanosecond (T = 1). */
enum err gcra_limit_init(struct gcra_limit *out, int64_t rate, int64_t period_ns,
			 int64_t burst) WUR;

struct gcra_result {
	bool allowed;
	/* The state to store: the new TAT if allowed, else the `tat` passed in, unchanged, so a
	 * caller may skip the write and a flood of denials never pushes a client further back. */
	int64_t tat;
	/* Requests of cost 1 still allowed at `now` after this decision (>= 0). */
	int64_t remaining;
	/* 0 if allowed; else how long until this same request would be allowed. */
	int64_t retry_after_ns;
	/* How long until the limit is full again (all `burst` available); 0 if it already is. */
	int64_t reset_ns;
};

/* Decides one request of weight `cost` (>= 1) at `now` given the stored `tat`, which is
 * fresh (full limit) when it is <= now. Fills *r; reads nothing else.
 *
 * With T = interval_ns and B = burst: t0 = max(tat, now), and the request is allowed iff
 * t0 + cost * T - now <= B * T, the new TAT then being t0 + cost * T.
 *
 * A cost above `burst` is never allowed: retry_after_ns is then what the formula gives,
 * (t0 - now) + (cost - burst) * T, but retrying after it is denied again. Callers that let
 * costs vary should reject such requests outright (the limit can never admit them).
 *
 * Arithmetic saturates instead of wrapping: durations that do not fit come back as
 * INT64_MAX, meaning "never". A request whose new TAT would pass INT64_MAX is denied with
 * retry_after_ns = INT64_MAX (the clock has run out). */
void gcra_check(const struct gcra_limit *l, int64_t tat, int64_t now, int64_t cost,
		struct gcra_result *r);

/* True if `tat` carries no state any more at `now` (the limit is full again): the record
 * can be forgotten or reused without changing any later decision. */
bool gcra_is_idle(int64_t tat, int64_t now);

#endif
