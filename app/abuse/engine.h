/* The abuse engine on the hot path: updates what shared memory knows of the client (its
 * address, its key, its network, the route's usual body size) from each request, turns it
 * into the feature vector, scores it with the heuristics or the tenant's model (and any
 * cached LLM verdict), and decides allow / flag / throttle / block. In shadow mode it only
 * records; in enforce mode the gate acts on it. Shared memory only: no database, no
 * network (the judge and the trainer are other processes). */
#ifndef APP_ABUSE_ENGINE_H
#define APP_ABUSE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/fcgi.h"
#include "../config.h"
#include "../state/state.h"
#include "inspect.h"
#include "score.h"

/* What the gate knows of one request when it asks the engine. */
struct abuse_request {
	const unsigned char *ip;	   /* 16 bytes, or NULL when the address is unknown */
	const unsigned char *request_id;   /* 16 bytes (zeros when Caddy sent none) */
	const struct fcgi_request *rq;	   /* for header names when a sample is kept */
	const struct state_tenant *tenant; /* NULL when no valid key was presented */
	int64_t key_id;			   /* 0 when none */
	uint64_t key_hash; /* of what was presented as a key, valid or not; 0: none */
	bool auth_failed;  /* a key was missing, malformed, unknown or expired */
	bool key_dormant;  /* the valid key was dormant (struct state_key) */
	const char *method;
	const char *uri;
	int64_t payload; /* declared Content-Length */
	const char *user_agent;
	int64_t now_ns; /* CLOCK_MONOTONIC */
	int64_t now_ms; /* business clock */
};

/* The request's route as the engine saw it: the template's hash, and the literal path
 * segments (position, value) the collector learns parameters from when the answer is 2xx. */
#define ABUSE_ROUTE_SEGS 3
struct abuse_route {
	uint64_t hash;
	uint64_t seg_pos[ABUSE_ROUTE_SEGS], seg_val[ABUSE_ROUTE_SEGS];
	int nseg;
	uint64_t ua_hash; /* the whole User-Agent string's (none: an empty one's), never 0 */
	uint64_t path;	  /* the raw path's hash (no query), its low bit set for a write */
	uint32_t steps;	  /* ABUSE_STEP_*: whose walk of ids this request stepped up */
};

/* A request that went up its template's ids, near the last one, for the key's client and
 * for the address's: the answers to such steps are the walk's own (walks_ids()). */
#define ABUSE_STEP_KEY 1u
#define ABUSE_STEP_IP  2u

struct abuse_result {
	enum abuse_outcome outcome;
	bool enforced; /* the gate must act: 403 for a block, 429 for a throttle */
	int reason;    /* enum abuse_rule, -1 for "model", -2 for an address list */
	float score;
	int64_t retry_after_s;
	unsigned char decision_id[16]; /* the request that decided an active block */
	struct abuse_route route;
	bool scored;   /* the engine judged it (not off for the tenant, nor allow-listed) */
	bool campaign; /* its key or its route is under a campaign */
};

/* Decides for one request and records what it must (sample rings, client state).
 * `ring` is the worker's ring index. */
void abuse_check(struct state *st, const struct config *cfg, uint32_t ring,
		 const struct abuse_request *ar, struct abuse_result *out);

/* Post-response facts from the access log (the collector): the status of the response to
 * the request the gate decided as d. Counts it for the address, the key, the route and the
 * network; starts a campaign on a key or route that many addresses fail on; learns the
 * tenant's path parameters from 2xx answers. */
void abuse_observe_response(struct state *st, const struct state_decision *d, int status,
			    int64_t now_ns);

/* Tenant tenant_id labelled a false positive: lift the client's active block or throttle
 * on that tenant's traffic (and its cached verdict), and leave it alone for `exempt_s`
 * seconds on that tenant's traffic only. key_id 0 or ip NULL skip that side. */
void abuse_lift(struct state *st, int64_t tenant_id, const unsigned char *ip, int64_t key_id,
		int64_t exempt_s);

/* The client's network: /24 for IPv4, /48 for IPv6. */
void abuse_network_of(const unsigned char ip[16], unsigned char net[16]);
/* The record number a path segment carries (digits, a slug's closing digits, a short
 * lowercase code in base 36), or -1. `param`: the tenant's answers showed the segment's
 * position to be a parameter, and a code there may be letters alone. */
int64_t abuse_segment_id(const char *seg, size_t len, bool param);

#endif
