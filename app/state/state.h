/* The layout of Tollgate's shared-memory region: a header of node-wide facts, the tables
 * the syncer fills (keys, tenants) and the gate reads, the pools the gate updates in place
 * (rate-limit state, quota, usage counters), and one ring per worker through which the
 * gate tells the collector what it decided. The master creates it before forking;
 * children inherit the mapping. Lock order: ip -> key -> tenant -> usage records. */
#ifndef APP_STATE_H
#define APP_STATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../lib/err.h"
#include "../../lib/shm.h"
#include "../abuse/score.h"

#define STATE_KEY_HASH_BYTES 16	  /* prefix of the keyed hash kept in memory */
#define STATE_RING_SIZE	     8192 /* decisions per worker ring (a power of two) */
#define STATE_UNLIMITED	     (-1) /* a monthly quota without a limit */

enum tenant_status { TENANT_ACTIVE, TENANT_SUSPENDED, TENANT__MAX };

/* Rate limits: a sustained rate per second with a burst, and a rate per minute. */
struct state_rates {
	int32_t rps;
	int32_t burst;
	int32_t rpm;
	int32_t pad;
};

/* 40 bytes: with its 16-byte hash and the slot header, 72 bytes a slot. */
struct state_key {
	int64_t id;
	int64_t tenant_id;
	int64_t expires_at; /* unix seconds; 0 = never */
	int32_t rps;	    /* the key's own limits; 0: its tenant's key_rates */
	int32_t burst;
	int32_t rpm;
	uint32_t gen; /* sync generation that last wrote it */
	/* Made over a month ago and used neither this calendar month nor the last (UTC): a
	 * key woken after that long, during a spray of dead keys on its route, is the
	 * spray's (a leaked key of a dormant account). */
	int32_t dormant;
	int32_t pad;
};

struct state_tenant {
	int64_t id;
	uint32_t gen;
	uint32_t status; /* enum tenant_status */
	char slug[64];
	char plan[32];
	char upstream[192];  /* host:port that Caddy dials; "" when none is set */
	char ai_prefix[136]; /* where AI routes start ("/v1", "" for the root); see ai_on */
	int32_t ai_on;	     /* the tenant turned AI routes on */
	int32_t pad_ai;
	char upstream_host[256]; /* the Host header the upstream gets */
	uint32_t upstream_flags; /* enum upstream_flag */
	uint32_t upstream_port;
	uint64_t upstream_hash;	      /* of the upstream's URL, to match resolutions to it */
	struct state_rates key_rates; /* default per key */
	struct state_rates rates;     /* the tenant as a whole */
	int64_t monthly_quota;	      /* requests per quota window, or STATE_UNLIMITED */
	/* 0: the quota window is the calendar month (UTC). Else the start (unix s) of a paid
	 * subscription's period: windows run a month from its day of the month and hour. */
	int64_t quota_anchor_s;
	int64_t max_body;    /* bytes; a larger declared Content-Length gets 413 */
	int32_t abuse_mode;  /* enum abuse_mode */
	int32_t sample_rate; /* store 1 in sample_rate allowed decisions */
	int32_t judge_enabled;
	int32_t judge_wait_ms;
};

enum abuse_mode { ABUSE_OFF, ABUSE_SHADOW, ABUSE_ENFORCE, ABUSE__MAX };

/* What the syncer made of a tenant's upstream URL. */
enum upstream_flag {
	UPSTREAM_TLS = 1 << 0,	     /* https: Caddy verifies the upstream's certificate */
	UPSTREAM_NAME = 1 << 1,	     /* a host name: usable once the resolver has checked it */
	UPSTREAM_FORBIDDEN = 1 << 2, /* an address upstreams may not have (SSRF rules) */
	UPSTREAM_INVALID = 1 << 3,   /* not a URL Tollgate can proxy to */
};

/* A JWT issuer a tenant trusts (app/gate/gate_jwt.c), as the syncer loaded it: the tenant
 * and the synthetic API key its callers are metered and limited as (with that key's own
 * limits), the claims it checks, and its public keys as PEM (from its JWKS URL, as the
 * jwks child last fetched them, or from static keys). About 4.9 KiB. */
#define STATE_JWT_ISSUER_MAX 256 /* "iss", with the NUL */
#define STATE_JWT_KEYS	     4	 /* keys per issuer: a rotation needs two */
#define STATE_JWT_PEM_MAX    1024

struct state_jwt_issuer {
	int64_t key_id;
	int64_t tenant_id;
	int32_t rps; /* the synthetic key's own limits; 0: its tenant's key_rates */
	int32_t burst;
	int32_t rpm;
	uint32_t gen;
	int32_t nkeys;
	int32_t pad;
	char issuer[STATE_JWT_ISSUER_MAX];
	char audience[STATE_JWT_ISSUER_MAX]; /* "": aud is not checked */
	char team_claim[64];		     /* "": no team */
	char pem[STATE_JWT_KEYS][STATE_JWT_PEM_MAX];
};

/* The resolver's last look at a tenant's upstream host name. */
struct state_resolved {
	uint64_t upstream_hash; /* the URL it is about */
	int32_t ok;		/* every address it resolved to may be an upstream */
	int32_t pad;
	unsigned char ip[16]; /* the address to dial (plain http pins it) */
	int64_t at_ms;	      /* CLOCK_MONOTONIC */
	char why[96];	      /* when not ok */
};

/* Who failed on a key or a route lately: the addresses answered 401/403 in this 10-minute
 * window and the last (the collector's bitmaps), and the campaign they made, if any. */
struct abuse_failing {
	uint64_t cur[2], prev[2];
	int64_t window;
	int64_t campaign_until_ns; /* many addresses failing: a campaign until then */
};

/* What the abuse engine keeps about one client (an address or a key). Counts decay
 * exponentially (time constants in abuse/engine.c) and are brought up to date at `last_ns`.
 * The bitmaps count distinct things the client touched in this 10-minute window and the
 * last (linear counting):
 *   seen:    a key's route templates; an address's keys presented [0,1] and, without a
 *            key, route templates [2,3];
 *   paths:   the raw paths (query left out), for "many records, few templates";
 *   fan:     a key's addresses [0,1] and networks [2,3] (fan-out);
 * and `failing` holds a key's addresses whose answers on it were 401 or 403.
 * Response counts come from the access log (the collector), so they cover what the
 * tenant's API answered too: a login API's 401s are visible here. */
/* Route templates whose ids a client's walk is followed on at once: a scraper cycling
 * through five record kinds (heldout3) thrashed four slots and never looked like a walk. */
#define ABUSE_ID_SLOTS 8

struct abuse_client {
	float req10s, req1m, req10m;	  /* decayed requests */
	float auth, fail;		  /* decayed authentications with a key, and failures */
	float resp, n404, n4xx, n5xx;	  /* decayed responses, from the access log */
	float n2xx, denied;		  /* ... successes, and 401/403 answers */
	float id_reqs, id_up;		  /* requests with a record id, and small steps up */
	float id_near;			  /* ... and steps within 16 of the last id, any way */
	float step_resp, step404;	  /* decayed answers to the steps up, and their 404s */
	float gap_mean, gap_var;	  /* inter-arrival seconds, exponentially weighted */
	float paced;			  /* decayed requests that came at a reading pace */
	float focus;			  /* Misra-Gries count of the main route template */
	uint32_t ua_mask, ua_mask_prev;	  /* User-Agent families seen, this window and the last */
	uint64_t uas, uas_prev;		  /* the User-Agents themselves (a bitmap of 64) */
	uint64_t fail_uas, fail_uas_prev; /* ... those that failed (a bad key, a 401/403) */
	uint64_t focus_route;
	uint64_t id_route[ABUSE_ID_SLOTS]; /* the last id seen on each of the last templates */
	int64_t id_last[ABUSE_ID_SLOTS];
	int64_t id_alt[ABUSE_ID_SLOTS]; /* ... and the one before it, or INT64_MIN */
	int64_t first_ns;		/* first request since the record was (re)used */
	int64_t last_ns;
	int64_t resp_ns; /* when the response counts were last decayed */
	uint64_t seen[4], seen_prev[4];
	uint64_t paths[4], paths_prev[4];
	uint64_t fan[4], fan_prev[4];
	uint64_t missed[4],
	    missed_prev[4]; /* paths a read found missing (404), not created since */
	int64_t window;
	/* The paths reads found missing (404) this second and the last, not created since: a
	 * creation may still take them back, so they do not count as misses yet (walks_ids()). */
	uint64_t young[2], young_prev[2];
	int64_t young_window;
	struct abuse_failing failing; /* keys only */
	/* An active decision on this client. */
	int64_t until_ns;      /* a block or throttle lasts until then */
	int64_t until_tenant;  /* for whose traffic (0: all of it) */
	int32_t until_outcome; /* OUTCOME_THROTTLE or OUTCOME_BLOCK */
	int32_t until_reason;
	unsigned char until_decision[16]; /* the request id that decided it */
	int64_t throttle_tat;		  /* the slow lane while throttled */
	int64_t exempt_until_ns; /* a false positive was labelled: leave it alone until then, */
	int64_t exempt_tenant;	 /* for this tenant's traffic only */
	/* The LLM judge's cached verdict (enum judge_verdict) and when it was asked. */
	int64_t verdict_until_ns;
	int32_t verdict;
	float verdict_confidence;
	int64_t judge_asked_ns;
	/* Keys only: when the key was last woken (first used while dormant). */
	int64_t woke_ns;
	/* Addresses only: the last block of this address for any tenant (cross-tenant signal). */
	int64_t blocked_any_ns;
	int64_t blocked_any_tenant;
};

/* Per client IP: GCRA arrival times (general rate, failed authentications) and the abuse
 * engine's view of the address. */
struct state_ip_use {
	int64_t tat_req;
	int64_t tat_authfail;
	struct abuse_client abuse;
};

/* Per key: GCRA arrival times for its per-second and per-minute limits, and the abuse
 * engine's view of the key. */
struct state_key_use {
	int64_t tat_sec;
	int64_t tat_min;
	struct abuse_client abuse;
};

/* Per network (/24 for IPv4, /48 for IPv6): failed authentications spread over addresses,
 * the gate's (a bad key) and the API's (401/403 in the access log). */
struct state_net_use {
	float fail; /* decayed, 10-minute time constant */
	int32_t pad;
	int64_t last_ns;
	uint64_t ips[2], ips_prev[2]; /* failing addresses, bitmap per 10-minute window */
	int64_t window;
};

/* Per tenant and route template: the usual declared body size (the exponentially weighted
 * mean and variance of its logarithm),
 * and how its answers went (the collector), for campaigns against one route. */
#define STATE_ROUTE_UAS 4

struct state_route_key {
	int64_t tenant_id;
	uint64_t route_hash;
};

/* The same pool also holds, per tenant and path position (the template before it, salted),
 * the values that answered 2xx there: once enough different ones have, the position is a
 * parameter (":var") in the tenant's route templates. Templates are learned per tenant from
 * what its API answered, not assumed from the shape of a segment alone. And per tenant, in
 * 64 records, the User-Agents its API answered 2xx lately (values as two 128-bit windows,
 * resp_ns the window; engine.c, ua_known()). */
struct state_route_use {
	float n; /* samples so far, capped: the weight of the history */
	float mean, var;
	float resp, denied; /* decayed responses and 401/403 answers (2-minute constant) */
	int32_t variable;   /* a path position: learned to be a parameter */
	int64_t resp_ns;
	uint64_t values[4]; /* a path position: values that answered 2xx (linear counting) */
	struct abuse_failing failing;
	/* The User-Agents answered here lately (a hash of the whole string, 0: a free slot;
	 * those that fail keep theirs), and per User-Agent its decayed answers and 401/403s,
	 * with resp and denied: a campaign's own User-Agent fails nearly always, an app's
	 * succeeds. */
	uint64_t ua[STATE_ROUTE_UAS];
	float ua_resp[STATE_ROUTE_UAS], ua_denied[STATE_ROUTE_UAS];
};

/* Address lists: an entry for a network, operator-wide (tenant 0) or a tenant's. */
enum list_verdict { LIST_NONE, LIST_ALLOW, LIST_DENY, LIST_SUSPECT, LIST__MAX };

struct state_list_key {
	int64_t tenant_id;
	unsigned char net[16]; /* masked to the prefix */
	int32_t prefix;	       /* 0..128, on the IPv4-mapped IPv6 form */
	int32_t pad;
};

struct state_list_entry {
	int32_t verdict; /* enum list_verdict */
	uint32_t gen;
};

/* A model for a tenant (0: the global one), as the syncer loaded it. */
struct state_model {
	struct abuse_model model;
	uint32_t gen;
	int32_t pad;
};

/* A sampled decision on its way to PostgreSQL (abuse_decisions) through the flusher. */
struct state_sample {
	unsigned char request_id[16];
	int64_t tenant_id; /* 0: no valid key */
	int64_t key_id;
	int64_t at_ms;
	int64_t model_version;
	int64_t payload;
	unsigned char ip[16];
	float features[F__MAX];
	float score;
	int32_t outcome; /* enum abuse_outcome */
	int32_t reason;	 /* enum abuse_rule, or -1 */
	int32_t enforced;
	char method[8];
	char ua_family[16];
	char route[96];
	char headers[192]; /* header names, sorted, comma-separated; never values */
};

#define STATE_SAMPLE_RING 4096

struct state_sample_ring {
	_Atomic uint64_t head;
	_Atomic uint64_t tail;
	_Atomic uint64_t dropped;
	uint64_t pad[5];
	struct state_sample items[STATE_SAMPLE_RING];
};

/* A gray-zone client on its way to the LLM judge. */
struct state_gray {
	int64_t tenant_id;
	int64_t key_id; /* 0: the address is the client */
	unsigned char ip[16];
	int64_t at_ms;
	float features[F__MAX];
	float score;
	int32_t reason;
	char route[64];
	char ua_family[16];
};

#define STATE_GRAY_RING 1024

struct state_gray_ring {
	_Atomic uint64_t head;
	_Atomic uint64_t tail;
	_Atomic uint64_t dropped;
	uint64_t pad[5];
	struct state_gray items[STATE_GRAY_RING];
};

/* Per tenant: rate-limit state and the monthly quota as this node sees it. */
struct state_tenant_use {
	int64_t tat_sec;
	int64_t tat_min;
	int64_t win;	      /* the quota window the fields below count: its first hour */
	int64_t win_end;      /* and the first hour after it (hours since the epoch) */
	int64_t calendar;     /* 1: the window is a calendar month; 0: a billing period */
	int64_t admitted;     /* admissions on this node (this incarnation) in the window */
	int64_t others;	      /* the rest of the cluster's usage in it, as last read */
	int64_t flushed_mine; /* of `admitted`, what the flusher has written to PostgreSQL */
	int64_t others_known; /* 1 once `others` was read from PostgreSQL for the window */
};

/* Usage counters of one key in one hour. Cumulative: they only grow. */
enum usage_field {
	USAGE_REQUESTS, /* admitted by the gate and handed to Caddy */
	USAGE_2XX,	/* from the access log (the collector) */
	USAGE_3XX,
	USAGE_4XX,
	USAGE_5XX,
	USAGE_LATENCY_MS, /* sum */
	USAGE_BYTES_OUT,
	USAGE_TOKENS,	   /* the upstream's X-Usage-Tokens header or trailer */
	USAGE_COST_MICROS, /* the upstream's X-Usage-Cost, in millionths */
	USAGE__MAX
};

struct state_usage_key {
	int64_t key_id;
	int64_t hour; /* hours since the epoch, UTC */
};

struct state_usage {
	int64_t tenant_id;
	int64_t count[USAGE__MAX];
	int64_t flushed[USAGE__MAX]; /* what PostgreSQL holds of count (written by the flusher) */
	/* The request id of the last access-log line added here: a collector killed after
	 * adding a line but before taking its decision out re-reads the line, and must not
	 * add it twice. */
	unsigned char last_line[16];
};

/* What the gate decided for one request, for the collector to join with the access log. */
enum decision_outcome { DECISION_ALLOW, DECISION_DENY, DECISION__MAX };

struct state_decision {
	unsigned char request_id[16]; /* the UUID Caddy made, as bytes */
	unsigned char ip[16];	      /* the client's address (behind trusted proxies too) */
	int64_t key_id;		      /* 0 when no key was recognised */
	int64_t tenant_id;
	int64_t at_ms;
	int32_t outcome;     /* enum decision_outcome */
	int32_t apply_hour;  /* the usage hour the collector applies the line to; 0 before */
	uint64_t route_hash; /* the request's route template, for per-route answers */
	/* Literal path segments the gate saw (position key, value hash), for the collector to
	 * learn parameters from successful answers; zero when unused. */
	uint64_t seg_pos[3], seg_val[3];
	uint64_t ua_hash; /* the request's User-Agent, as engine.h's abuse_route has it */
	uint64_t path;	  /* the request's path, as engine.h's abuse_route has it */
	uint32_t steps;	  /* whose walk it stepped up, as engine.h's abuse_route has it */
	uint32_t spare;
};

struct state_ring {
	_Atomic uint64_t head; /* written by the worker */
	_Atomic uint64_t tail; /* written by the collector */
	_Atomic uint64_t dropped;
	uint64_t pad[5];
	struct state_decision items[STATE_RING_SIZE];
};

/* Counters for /metrics; each worker adds to its own row, so no two writers share one. */
enum metric {
	METRIC_ALLOWED,
	METRIC_DENIED_AUTH,
	METRIC_DENIED_RATE,
	METRIC_DENIED_QUOTA,
	METRIC_DENIED_SIZE,
	METRIC_DENIED_OTHER,
	METRIC_LOG_LINES,
	METRIC_LOG_MALFORMED,
	METRIC_LOG_UNMATCHED,
	METRIC_FLUSHES,
	METRIC_FLUSH_FAILURES,
	METRIC_ABUSE_FLAGGED,
	METRIC_ABUSE_THROTTLED,
	METRIC_ABUSE_BLOCKED,
	METRIC_ABUSE_SHADOW, /* would have throttled or blocked, in shadow mode */
	METRIC_JUDGE_CALLS,
	METRIC_JUDGE_FAILURES,
	METRIC_SAMPLES_DROPPED,
	METRIC_FLUSH_SKIPPED,	  /* usage records PostgreSQL refused on their own, left behind */
	METRIC_USAGE_REJECTED,	  /* upstream usage reports out of bounds, ignored */
	METRIC_WEBHOOKS_REJECTED, /* Stripe webhooks refused (bad signature, body) or failed */
	METRIC_WEBHOOKS_APPLIED,
	METRIC_METER_SENT,     /* meter events Stripe accepted (or already had) */
	METRIC_METER_FAILURES, /* meter-event calls that failed (retried with backoff) */
	METRIC_AI_ANSWERED,    /* AI requests a provider answered */
	METRIC_AI_FAILED,      /* AI requests no provider answered (502, 503, 504) */
	METRIC_AI_FALLBACKS,   /* attempts that failed and sent the request to the next target */
	METRIC_AI_CACHE_HITS,  /* AI answers served from a cache (exact or semantic) */
	METRIC_AI_TOKENS,      /* tokens metered by the AI pool */
	METRIC_AI_CANCELLED,   /* AI requests whose caller left (the provider call stopped) */
	METRIC__MAX
};

/* The fixed-size tables of shared memory, for the "full" alarms (metrics, log, readiness). */
enum state_table {
	TABLE_KEYS,
	TABLE_TENANTS,
	TABLE_CLIENTS, /* per-address limits and abuse state */
	TABLE_KEY_USE,
	TABLE_TENANT_USE,
	TABLE_USAGE,
	TABLE_NETS,
	TABLE_ROUTES,
	TABLE_LISTS,
	TABLE_MODELS,
	TABLE_DECISIONS, /* a worker's decision ring (the collector fell behind) */
	TABLE_JWT_ISSUERS,
	TABLE__MAX
};

/* Decisions the collector remembers by request id until their access-log line comes. */
#define STATE_JOIN_SLOTS 65536 /* a power of two */

#define STATE_AI_COOLDOWNS 256	/* a power of two */
#define STATE_AI_TPM_SLOTS 4096 /* a power of two */

struct state_hdr {
	uint64_t magic;
	uint32_t version;
	uint32_t nrings;
	uint64_t incarnation; /* random, made with the file: names this copy of the counters */
	uint64_t size;
	uint64_t off_keys, off_tenants, off_ips, off_key_use, off_tenant_use, off_usage, off_rings,
	    off_metrics, off_nets, off_routes, off_lists, off_models, off_samples, off_grays;
	_Atomic uint64_t list_prefixes[3]; /* bit n: some list entry has prefix length n */
	_Atomic uint32_t loaded;   /* the syncer finished a full load since the master started */
	_Atomic uint32_t db_up;	   /* the syncer's connection is healthy */
	_Atomic int64_t db_ok_ms;  /* CLOCK_MONOTONIC ms of its last good round-trip */
	_Atomic int64_t synced_ms; /* CLOCK_MONOTONIC ms of its last full load */
	_Atomic uint32_t sync_gen;
	_Atomic uint32_t resync_wanted;	 /* set by anyone to ask for a full load */
	_Atomic int64_t clock_offset_ms; /* added to the business clock (tests only) */
	_Atomic uint32_t clock_shift_allowed;
	_Atomic uint32_t flush_ok;  /* the last flush reached PostgreSQL */
	_Atomic int64_t flushed_ms; /* wall-clock ms of the last successful flush */
	_Atomic uint64_t flush_seq; /* last batch sequence number used */
	uint64_t off_join, off_resolved, off_jwt_issuers;
	_Atomic uint64_t tenants_version; /* bumped by every change to the tenant table */
	char boot_id[40]; /* the kernel's boot_id when the monotonic state was written */
	/* How far the collector has read the access log (it alone writes these). */
	_Atomic uint64_t alog_dev, alog_ino, alog_off;
	/* Table-full alarms: how often, when last (CLOCK_MONOTONIC ms), when last logged. */
	_Atomic uint64_t full_count[TABLE__MAX];
	_Atomic int64_t full_at_ms[TABLE__MAX];
	_Atomic int64_t full_logged_ms[TABLE__MAX];
	/* Billing, as the biller last saw it: unsent meter events, when the oldest was queued
	 * (wall-clock s; 0: none), and the last reconciliation's differences (-1: none yet). */
	_Atomic int64_t meter_depth, meter_oldest_s, reconcile_diff;
	/* AI providers cooling down after a failure (429, 5xx, connect error, timeout): every
	 * AI worker skips one until its time (wall-clock ms). Open addressing by provider id;
	 * a slot whose time has passed is free. */
	struct state_cooldown {
		_Atomic int64_t provider_id;
		_Atomic int64_t until_ms;
	} ai_cooldown[STATE_AI_COOLDOWNS];
	/* AI tokens per minute on this node, per key (id > 0) and per tenant (id < 0): the
	 * minute (since the epoch) a slot counts, and its tokens so far. */
	struct state_tpm {
		_Atomic int64_t id;
		_Atomic int64_t minute;
		_Atomic int64_t tokens;
	} ai_tpm[STATE_AI_TPM_SLOTS];
};

struct state_sizes {
	uint32_t max_keys;
	uint32_t max_tenants;
	uint32_t max_clients; /* tracked client IPs */
	uint32_t usage_slots; /* (key, hour) counters not yet written to PostgreSQL */
	uint32_t rings;	      /* one per worker */
	uint32_t max_routes;  /* (tenant, route template) body-size statistics */
	uint32_t max_list_entries;
	uint32_t max_jwt_issuers;
};

struct state {
	struct shm_region region;
	struct state_hdr *hdr;
	struct shm_table *keys;
	struct shm_table *tenants;
	struct shm_pool *ips;
	struct shm_pool *key_use;
	struct shm_pool *tenant_use;
	struct shm_pool *usage;
	struct shm_pool *nets;
	struct shm_pool *routes;
	struct shm_table *lists;
	struct shm_table *models;
	struct state_ring *rings;
	struct state_sample_ring *samples;	  /* one per worker */
	struct state_gray_ring *grays;		  /* one per worker */
	_Atomic uint64_t (*metrics)[METRIC__MAX]; /* [nrings + 3][METRIC__MAX] */
	struct state_decision *join;		  /* [STATE_JOIN_SLOTS], the collector's */
	struct shm_table *resolved;		  /* tenant id -> struct state_resolved */
	struct shm_table *jwt_issuers;		  /* hash of iss -> struct state_jwt_issuer */
};

/* Maps the region at path for the given sizes, formatting it when it is new or its shape
 * changed (a new incarnation), and otherwise keeping counters and quota while resetting
 * locks left by earlier processes and forgetting rate-limit state. Only the master calls
 * this, before any child runs. */
enum err state_open(struct state *s, const char *path, const struct state_sizes *sz, char *msg,
		    size_t msglen) WUR;
/* Maps an existing region without changing it (the CLI's `clock` command). */
enum err state_attach(struct state *s, const char *path, char *msg, size_t msglen) WUR;
void state_close(struct state *s);

/* Lookups (lock-free, hot path). */
bool state_key_find(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES],
		    struct state_key *out);
bool state_tenant_find(struct state *s, int64_t id, struct state_tenant *out);

/* Writers (syncer). */
enum err state_key_put(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES],
		       const struct state_key *k) WUR;
bool state_key_del(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES]);
enum err state_tenant_put(struct state *s, const struct state_tenant *t) WUR;
bool state_tenant_del(struct state *s, int64_t id);
/* Removes keys and tenants written by a generation older than gen. */
void state_sweep(struct state *s, uint32_t gen, size_t *keys_removed, size_t *tenants_removed);

/* Pools: the record for an id, locked (create it if absent); NULL when there is no room.
 * Unlock with state_unlock(pool, record). */
/* A client address's record; an IPv6 address shares its /64's. */
struct state_ip_use *state_ip_use(struct state *s, const unsigned char ip[16], int64_t now_ns);
struct state_key_use *state_key_use(struct state *s, int64_t key_id, int64_t now_ns);
struct state_tenant_use *state_tenant_use(struct state *s, int64_t tenant_id, bool create);
struct state_usage *state_usage(struct state *s, int64_t key_id, int64_t hour, int64_t tenant_id,
				bool create);
struct state_net_use *state_net_use(struct state *s, const unsigned char net[16], int64_t now_ns);
struct state_route_use *state_route_use(struct state *s, int64_t tenant_id, uint64_t route_hash);
void state_unlock(struct shm_pool *pool, void *record);

/* Address lists (syncer writes, gate reads): the most specific entry covering ip, the
 * tenant's before the operator's. */
enum list_verdict state_list_find(struct state *s, int64_t tenant_id, const unsigned char ip[16]);
enum err state_list_put(struct state *s, int64_t tenant_id, const unsigned char net[16], int prefix,
			enum list_verdict v, uint32_t gen) WUR;
void state_list_sweep(struct state *s, uint32_t gen);
/* Models (syncer writes, gate reads): the tenant's, else the global one (tenant 0), else
 * the built-in prior. */
/* Upstream resolutions (the resolver writes, the gate reads). */
bool state_resolved_find(struct state *s, int64_t tenant_id, struct state_resolved *out);
enum err state_resolved_put(struct state *s, int64_t tenant_id, const struct state_resolved *r) WUR;

/* JWT issuers (syncer writes, gate reads), found by their "iss" (len bytes). The table's
 * key is a keyed hash of it (secret: the server's), the issuer's text is compared too. */
bool state_jwt_issuer_find(struct state *s, const unsigned char secret[32], const char *iss,
			   size_t len, struct state_jwt_issuer *out);
enum err state_jwt_issuer_put(struct state *s, const unsigned char secret[32],
			      const struct state_jwt_issuer *v) WUR;
void state_jwt_issuer_sweep(struct state *s, uint32_t gen);

void state_model_get(struct state *s, int64_t tenant_id, struct abuse_model *out);
enum err state_model_put(struct state *s, int64_t tenant_id, const struct abuse_model *m,
			 uint32_t gen) WUR;
void state_model_sweep(struct state *s, uint32_t gen);

/* Samples and gray-zone clients, per worker ring like decisions. */
bool state_sample_push(struct state *s, uint32_t ring, const struct state_sample *d);
bool state_gray_push(struct state *s, uint32_t ring, const struct state_gray *g);

/* Appends a decision to worker ring `ring`; false (and counted) when the ring is full. */
bool state_ring_push(struct state *s, uint32_t ring, const struct state_decision *d);
void state_metric_add(struct state *s, uint32_t row, enum metric m, uint64_t n);
uint64_t state_metric_sum(struct state *s, enum metric m);
/* Rows of the metrics table: one per ring (worker), then the collector, the flusher, and
 * the rest. */
uint32_t state_metric_row_collector(const struct state *s);
uint32_t state_metric_row_flusher(const struct state *s);
/* The row console workers and the biller share (their counters are atomic adds). */
uint32_t state_metric_row_misc(const struct state *s);

/* Wall-clock milliseconds, real: for timestamps people read. */
int64_t state_now_ms(void);
/* CLOCK_MONOTONIC milliseconds: for intervals and freshness (the same in every process). */
int64_t state_mono_ms(void);

/* A table was found full: counts it, remembers when (readiness degrades for a minute) and
 * logs it at most once per 10 s across all processes, naming the setting to raise. */
void state_table_full(struct state *s, enum state_table t);
/* The table's name ("keys") and the setting that sizes it. */
const char *state_table_name(enum state_table t);
const char *state_table_setting(enum state_table t);
/* True when the table was found full within the last ms milliseconds. */
bool state_table_was_full(struct state *s, enum state_table t, int64_t ms);
/* The business clock (months, hours, key expiry): real time plus the test offset, so a
 * test can cross a month without waiting for one. */
int64_t state_clock_ms(struct state *s);
/* CLOCK_MONOTONIC in ns, for rate limits: never shifted, never steps back. */
int64_t state_mono_ns(void);
/* Calendar helpers in UTC: months since 1970-01 and the ms at which a month starts. */
int64_t state_month_of(int64_t ms);
int64_t state_month_start_ms(int64_t month);
/* The quota window holding now_ms for a tenant whose quota_anchor_s is anchor_s: its first
 * hour and the first hour after it (hours since the epoch). A calendar month for anchor 0;
 * else a month from the anchor's day of the month (the last day in shorter months) and
 * hour, so that windows are made of whole hours of usage_hourly. */
void state_quota_window(int64_t anchor_s, int64_t now_ms, int64_t *start_h, int64_t *end_h);

#endif
