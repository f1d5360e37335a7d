/* Rate limits (GCRA per client IP, per key and per tenant, each per second with a burst
 * and per minute), the monthly quota, and the headers that report them. All limits of one
 * request are checked and counted in one step, under the records of the IP, the key and
 * the tenant locked in that order: either every limit counts the request or none does. */
#ifndef APP_GATE_LIMITS_H
#define APP_GATE_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/fcgi.h"
#include "../config.h"
#include "../state/state.h"

enum limit_policy {
	POL_IP,
	POL_KEY_SECOND,
	POL_KEY_MINUTE,
	POL_TENANT_SECOND,
	POL_TENANT_MINUTE,
	POL_MONTH,
	POL__MAX
};

/* One policy as the RateLimit headers report it. */
struct limit_view {
	bool applies;
	int64_t quota;	   /* q: requests per window */
	int64_t window_s;  /* w */
	int64_t remaining; /* r: after this request */
	int64_t reset_s;   /* t: seconds until the limit is full again */
};

enum limit_verdict {
	VERDICT_ALLOW,
	VERDICT_RATE,  /* a rate limit: 429 rate-limited */
	VERDICT_QUOTA, /* the monthly quota: 429 quota-exceeded */
	VERDICT_BUSY,  /* no room to record the request: 503 */
	VERDICT__MAX
};

struct limit_result {
	enum limit_verdict verdict;
	enum limit_policy culprit; /* the policy that refused */
	int64_t retry_after_s;	   /* >= 1 when refused */
	struct limit_view pol[POL__MAX];
};

struct limit_request {
	const unsigned char *ip; /* 16 bytes (IPv4 as ::ffff:a.b.c.d), or NULL if unknown */
	const struct state_key *key;
	const struct state_tenant *tenant;
	int64_t now_ns;	 /* CLOCK_MONOTONIC, for the rate limits */
	int64_t now_ms;	 /* the business clock, for the quota window */
	int64_t win;	 /* the tenant's quota window holding now_ms: its first hour */
	int64_t win_end; /* and the first hour after it (state_quota_window) */
};

/* Decides and, when allowed, counts: every rate limit and one request of the quota. */
void limits_decide(struct state *st, const struct config *cfg, const struct limit_request *rq,
		   struct limit_result *out);
/* Gives back the quota a request took when its admission never reached Caddy. */
void limits_unreserve(struct state *st, int64_t tenant_id, int64_t win);

/* Failed authentications per client IP: whether one more would be refused (and when it
 * could be retried), and counting one. */
bool limits_authfail_exhausted(struct state *st, const struct config *cfg,
			       const unsigned char ip[16], int64_t now_ns, int64_t *retry_after_s);
void limits_authfail_count(struct state *st, const struct config *cfg, const unsigned char ip[16],
			   int64_t now_ns);

/* Adds RateLimit-Policy, RateLimit and X-RateLimit-{Limit,Remaining,Reset} (names prefixed
 * with X-Tollgate- when `for_copy`: Caddy copies those onto the client's response), and
 * Retry-After when refused. */
void limits_headers(struct fcgi_response *rs, const struct limit_result *r, int64_t now_ms,
		    bool for_copy);

#endif
