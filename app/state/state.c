/* Shared-memory layout: header, tables, pools, rings, metrics. */
#include "state.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../lib/codec.h"
#include "../../lib/cryptox.h"
#include "../../lib/gcra.h"
#include "../../lib/log.h"

#define STATE_MAGIC		0x74676174656c6c6fULL /* "tgatello" */
#define STATE_VERSION		19
#define STATE_METRIC_ROWS_EXTRA 3 /* collector, flusher, the rest */

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

/* Tables are sized so that max entries fill at most 3/4 of their slots. */
static uint32_t slots_for(uint32_t max)
{
	return (uint32_t)(((uint64_t)max * 4 + 2) / 3);
}

/* Quota records cannot be dropped while their month runs: twice the tenants, so that no
 * tenant ever finds its probe path full. */
static uint32_t tenant_use_slots(const struct state_sizes *sz)
{
	return sz->max_tenants * 2;
}

struct layout {
	size_t keys, tenants, ips, key_use, tenant_use, usage, rings, metrics, nets, routes, lists,
	    models, samples, grays, join, resolved, jwt_issuers, size;
};

static void plan_layout(const struct state_sizes *sz, struct layout *l)
{
	size_t off = align64(sizeof(struct state_hdr));

	l->keys = off;
	off = align64(off + shm_table_bytes(slots_for(sz->max_keys), STATE_KEY_HASH_BYTES,
					    sizeof(struct state_key)));
	l->tenants = off;
	off = align64(off + shm_table_bytes(slots_for(sz->max_tenants), sizeof(int64_t),
					    sizeof(struct state_tenant)));
	l->ips = off;
	off = align64(off +
		      shm_pool_bytes(slots_for(sz->max_clients), 16, sizeof(struct state_ip_use)));
	l->key_use = off;
	off = align64(off + shm_pool_bytes(slots_for(sz->max_keys), sizeof(int64_t),
					   sizeof(struct state_key_use)));
	l->tenant_use = off;
	off = align64(off + shm_pool_bytes(tenant_use_slots(sz), sizeof(int64_t),
					   sizeof(struct state_tenant_use)));
	l->usage = off;
	off = align64(off + shm_pool_bytes(sz->usage_slots, sizeof(struct state_usage_key),
					   sizeof(struct state_usage)));
	l->nets = off;
	off = align64(off + shm_pool_bytes(slots_for(sz->max_clients / 4 + 16), 16,
					   sizeof(struct state_net_use)));
	l->routes = off;
	off =
	    align64(off + shm_pool_bytes(slots_for(sz->max_routes), sizeof(struct state_route_key),
					 sizeof(struct state_route_use)));
	l->lists = off;
	off = align64(off + shm_table_bytes(slots_for(sz->max_list_entries),
					    sizeof(struct state_list_key),
					    sizeof(struct state_list_entry)));
	l->models = off;
	off = align64(off + shm_table_bytes(slots_for(sz->max_tenants + 1), sizeof(int64_t),
					    sizeof(struct state_model)));
	l->samples = off;
	off = align64(off + (size_t)sz->rings * sizeof(struct state_sample_ring));
	l->grays = off;
	off = align64(off + (size_t)sz->rings * sizeof(struct state_gray_ring));
	l->rings = off;
	off = align64(off + (size_t)sz->rings * sizeof(struct state_ring));
	l->metrics = off;
	off = align64(off + ((size_t)sz->rings + STATE_METRIC_ROWS_EXTRA) *
				sizeof(_Atomic uint64_t[METRIC__MAX]));
	l->join = off;
	off = align64(off + (size_t)STATE_JOIN_SLOTS * sizeof(struct state_decision));
	l->resolved = off;
	off = align64(off + shm_table_bytes(slots_for(sz->max_tenants), sizeof(int64_t),
					    sizeof(struct state_resolved)));
	l->jwt_issuers = off;
	off = align64(off + shm_table_bytes(slots_for(sz->max_jwt_issuers), STATE_KEY_HASH_BYTES,
					    sizeof(struct state_jwt_issuer)));
	l->size = off;
}

static void point(struct state *s, const struct layout *l)
{
	char *base = s->region.base;

	s->hdr = (struct state_hdr *)(void *)base;
	s->keys = (struct shm_table *)(void *)(base + l->keys);
	s->tenants = (struct shm_table *)(void *)(base + l->tenants);
	s->ips = (struct shm_pool *)(void *)(base + l->ips);
	s->key_use = (struct shm_pool *)(void *)(base + l->key_use);
	s->tenant_use = (struct shm_pool *)(void *)(base + l->tenant_use);
	s->usage = (struct shm_pool *)(void *)(base + l->usage);
	s->rings = (struct state_ring *)(void *)(base + l->rings);
	s->nets = (struct shm_pool *)(void *)(base + l->nets);
	s->routes = (struct shm_pool *)(void *)(base + l->routes);
	s->lists = (struct shm_table *)(void *)(base + l->lists);
	s->models = (struct shm_table *)(void *)(base + l->models);
	s->samples = (struct state_sample_ring *)(void *)(base + l->samples);
	s->grays = (struct state_gray_ring *)(void *)(base + l->grays);
	s->metrics = (_Atomic uint64_t(*)[METRIC__MAX])(void *)(base + l->metrics);
	s->join = (struct state_decision *)(void *)(base + l->join);
	s->resolved = (struct shm_table *)(void *)(base + l->resolved);
	s->jwt_issuers = (struct shm_table *)(void *)(base + l->jwt_issuers);
}

static bool same_shape(const struct state *s, const struct state_sizes *sz, const struct layout *l)
{
	const struct state_hdr *h = s->hdr;

	return h->magic == STATE_MAGIC && h->version == STATE_VERSION && h->size == l->size &&
	       h->nrings == sz->rings && h->off_keys == l->keys && h->off_tenants == l->tenants &&
	       h->off_ips == l->ips && h->off_key_use == l->key_use &&
	       h->off_tenant_use == l->tenant_use && h->off_usage == l->usage &&
	       h->off_rings == l->rings && h->off_metrics == l->metrics && h->off_nets == l->nets &&
	       h->off_routes == l->routes && h->off_lists == l->lists &&
	       h->off_models == l->models && h->off_samples == l->samples &&
	       h->off_grays == l->grays && h->off_join == l->join &&
	       h->off_resolved == l->resolved && h->off_jwt_issuers == l->jwt_issuers &&
	       shm_table_is_shaped(s->keys, slots_for(sz->max_keys), STATE_KEY_HASH_BYTES,
				   sizeof(struct state_key)) &&
	       shm_table_is_shaped(s->tenants, slots_for(sz->max_tenants), sizeof(int64_t),
				   sizeof(struct state_tenant)) &&
	       shm_pool_is_shaped(s->usage, sz->usage_slots, sizeof(struct state_usage_key),
				  sizeof(struct state_usage)) &&
	       shm_pool_is_shaped(s->tenant_use, tenant_use_slots(sz), sizeof(int64_t),
				  sizeof(struct state_tenant_use));
}

/* Keeps a tenant's quota across a restart but not its rate-limit arrival times. */
static void forget_rates(const void *key, void *val, void *arg)
{
	struct state_tenant_use *u = val;

	(void)key;
	(void)arg;
	u->tat_sec = 0;
	u->tat_min = 0;
}

/* The kernel's boot id: CLOCK_MONOTONIC values are comparable only within one boot. */
static void read_boot_id(char out[40])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	size_t n = 0;

	memset(out, 0, 40);
	if (f != NULL) {
		n = fread(out, 1, 39, f);
		fclose(f);
	}
	out[n < 40 ? n : 39] = '\0';
	if (n == 0) /* unknown: never the same twice, so nothing is trusted across starts */
		cryptox_random(out, 16);
}

enum err state_open(struct state *s, const char *path, const struct state_sizes *sz, char *msg,
		    size_t msglen)
{
	struct layout l;
	bool created;
	enum err rc;
	char boot[40];

	memset(s, 0, sizeof(*s));
	read_boot_id(boot);
	plan_layout(sz, &l);
	rc = shm_region_open(&s->region, path, l.size, &created, msg, msglen);
	if (rc != ERR_OK)
		return rc;
	point(s, &l);
	if (created || !same_shape(s, sz, &l)) {
		/* A new copy of the counters: it gets its own incarnation, so PostgreSQL never
		 * mistakes its fresh zeros for a step backwards of the old copy. */
		memset(s->hdr, 0, sizeof(*s->hdr));
		shm_table_init(s->keys, slots_for(sz->max_keys), STATE_KEY_HASH_BYTES,
			       sizeof(struct state_key));
		shm_table_init(s->tenants, slots_for(sz->max_tenants), sizeof(int64_t),
			       sizeof(struct state_tenant));
		shm_pool_init(s->ips, slots_for(sz->max_clients), 16, sizeof(struct state_ip_use));
		shm_pool_init(s->key_use, slots_for(sz->max_keys), sizeof(int64_t),
			      sizeof(struct state_key_use));
		shm_pool_init(s->tenant_use, tenant_use_slots(sz), sizeof(int64_t),
			      sizeof(struct state_tenant_use));
		shm_pool_init(s->usage, sz->usage_slots, sizeof(struct state_usage_key),
			      sizeof(struct state_usage));
		memset(s->rings, 0, (size_t)sz->rings * sizeof(struct state_ring));
		shm_pool_init(s->nets, slots_for(sz->max_clients / 4 + 16), 16,
			      sizeof(struct state_net_use));
		shm_pool_init(s->routes, slots_for(sz->max_routes), sizeof(struct state_route_key),
			      sizeof(struct state_route_use));
		shm_table_init(s->lists, slots_for(sz->max_list_entries),
			       sizeof(struct state_list_key), sizeof(struct state_list_entry));
		shm_table_init(s->models, slots_for(sz->max_tenants + 1), sizeof(int64_t),
			       sizeof(struct state_model));
		memset(s->samples, 0, (size_t)sz->rings * sizeof(struct state_sample_ring));
		memset(s->grays, 0, (size_t)sz->rings * sizeof(struct state_gray_ring));
		memset(s->metrics, 0,
		       ((size_t)sz->rings + STATE_METRIC_ROWS_EXTRA) * sizeof(*s->metrics));
		do
			cryptox_random(&s->hdr->incarnation, sizeof(s->hdr->incarnation));
		while (s->hdr->incarnation == 0 || s->hdr->incarnation > INT64_MAX);
		s->hdr->version = STATE_VERSION;
		atomic_store(&s->hdr->reconcile_diff, -1);
		s->hdr->nrings = sz->rings;
		s->hdr->size = l.size;
		s->hdr->off_keys = l.keys;
		s->hdr->off_tenants = l.tenants;
		s->hdr->off_ips = l.ips;
		s->hdr->off_key_use = l.key_use;
		s->hdr->off_tenant_use = l.tenant_use;
		s->hdr->off_usage = l.usage;
		s->hdr->off_rings = l.rings;
		s->hdr->off_metrics = l.metrics;
		s->hdr->off_nets = l.nets;
		s->hdr->off_routes = l.routes;
		s->hdr->off_lists = l.lists;
		s->hdr->off_models = l.models;
		s->hdr->off_samples = l.samples;
		s->hdr->off_grays = l.grays;
		s->hdr->off_join = l.join;
		s->hdr->off_resolved = l.resolved;
		s->hdr->off_jwt_issuers = l.jwt_issuers;
		shm_table_init(s->resolved, slots_for(sz->max_tenants), sizeof(int64_t),
			       sizeof(struct state_resolved));
		shm_table_init(s->jwt_issuers, slots_for(sz->max_jwt_issuers), STATE_KEY_HASH_BYTES,
			       sizeof(struct state_jwt_issuer));
		memset(s->join, 0, (size_t)STATE_JOIN_SLOTS * sizeof(struct state_decision));
		memcpy(s->hdr->boot_id, boot, sizeof(boot));
		s->hdr->magic = STATE_MAGIC;
	} else {
		/* Nobody else maps it (the caller holds the generation lock): clear what dead
		 * processes may have left locked. */
		shm_table_recover(s->keys);
		shm_table_recover(s->tenants);
		shm_pool_recover(s->tenant_use);
		shm_pool_recover(s->usage);
		shm_table_recover(s->lists);
		shm_table_recover(s->models);
		shm_table_recover(s->resolved);
		shm_table_recover(s->jwt_issuers);
		if (memcmp(s->hdr->boot_id, boot, sizeof(boot)) == 0) {
			/* The same boot: arrival times, abuse state and active blocks are still
			 * valid on CLOCK_MONOTONIC and carry over the restart. */
			shm_pool_recover(s->ips);
			shm_pool_recover(s->key_use);
			shm_pool_recover(s->nets);
			shm_pool_recover(s->routes);
		} else {
			/* CLOCK_MONOTONIC restarted with the machine: start rate-limit and abuse
			 * state afresh rather than trust old arrival times. */
			shm_pool_clear(s->ips);
			shm_pool_clear(s->key_use);
			shm_pool_clear(s->nets);
			shm_pool_clear(s->routes);
			shm_pool_each(s->tenant_use, forget_rates, NULL);
			memset(s->hdr->full_at_ms, 0, sizeof(s->hdr->full_at_ms));
			memset(s->hdr->full_logged_ms, 0, sizeof(s->hdr->full_logged_ms));
			memcpy(s->hdr->boot_id, boot, sizeof(boot));
		}
	}
	/* Keys and tenants are a copy of PostgreSQL: not trusted until the syncer reloads. */
	atomic_store(&s->hdr->loaded, 0);
	atomic_store(&s->hdr->db_up, 0);
	atomic_store(&s->hdr->flush_ok, 0);
	atomic_store(&s->hdr->clock_offset_ms, 0);
	atomic_store(&s->hdr->clock_shift_allowed, 0);
	return ERR_OK;
}

enum err state_attach(struct state *s, const char *path, char *msg, size_t msglen)
{
	struct state_hdr peek;
	struct layout l;
	bool created;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "rb");
	if (f == NULL || fread(&peek, sizeof(peek), 1, f) != 1 || peek.magic != STATE_MAGIC ||
	    peek.version != STATE_VERSION) {
		if (f != NULL)
			fclose(f);
		snprintf(msg, msglen, "%s is not a running Tollgate's shared memory", path);
		return ERR_NOTFOUND;
	}
	fclose(f);
	if (shm_region_open(&s->region, path, peek.size, &created, msg, msglen) != ERR_OK)
		return ERR_SYS;
	l.keys = peek.off_keys;
	l.tenants = peek.off_tenants;
	l.ips = peek.off_ips;
	l.key_use = peek.off_key_use;
	l.tenant_use = peek.off_tenant_use;
	l.usage = peek.off_usage;
	l.rings = peek.off_rings;
	l.metrics = peek.off_metrics;
	l.nets = peek.off_nets;
	l.routes = peek.off_routes;
	l.lists = peek.off_lists;
	l.models = peek.off_models;
	l.samples = peek.off_samples;
	l.grays = peek.off_grays;
	l.join = peek.off_join;
	l.resolved = peek.off_resolved;
	l.jwt_issuers = peek.off_jwt_issuers;
	l.size = peek.size;
	point(s, &l);
	return ERR_OK;
}

void state_close(struct state *s)
{
	shm_region_close(&s->region);
	memset(s, 0, sizeof(*s));
}

static uint64_t key_hash64(const unsigned char hash[STATE_KEY_HASH_BYTES])
{
	uint64_t h;

	/* Already a keyed BLAKE2b output: any 8 bytes are uniform. */
	memcpy(&h, hash, sizeof(h));
	return h;
}

/* Client addresses are chosen by clients: hash them with this node's secret-ish seed (the
 * incarnation is random and never leaves the machine) so nobody can aim at one chain. */
static uint64_t ip_hash64(const struct state *s, const unsigned char ip[16])
{
	uint64_t a, b;

	memcpy(&a, ip, 8);
	memcpy(&b, ip + 8, 8);
	return codec_mix64(codec_mix64(a ^ s->hdr->incarnation) ^ b);
}

bool state_key_find(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES],
		    struct state_key *out)
{
	return shm_table_find(s->keys, key_hash64(hash), hash, out);
}

bool state_tenant_find(struct state *s, int64_t id, struct state_tenant *out)
{
	return shm_table_find(s->tenants, codec_mix64((uint64_t)id), &id, out);
}

enum err state_key_put(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES],
		       const struct state_key *k)
{
	return shm_table_put(s->keys, key_hash64(hash), hash, k);
}

bool state_key_del(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES])
{
	return shm_table_del(s->keys, key_hash64(hash), hash);
}

enum err state_tenant_put(struct state *s, const struct state_tenant *t)
{
	atomic_fetch_add(&s->hdr->tenants_version, 1);
	return shm_table_put(s->tenants, codec_mix64((uint64_t)t->id), &t->id, t);
}

bool state_tenant_del(struct state *s, int64_t id)
{
	atomic_fetch_add(&s->hdr->tenants_version, 1);
	return shm_table_del(s->tenants, codec_mix64((uint64_t)id), &id);
}

static bool key_is_current(const void *key, const void *val, void *arg)
{
	const struct state_key *k = val;

	(void)key;
	return k->gen == *(const uint32_t *)arg;
}

static bool tenant_is_current(const void *key, const void *val, void *arg)
{
	const struct state_tenant *t = val;

	(void)key;
	return t->gen == *(const uint32_t *)arg;
}

void state_sweep(struct state *s, uint32_t gen, size_t *keys_removed, size_t *tenants_removed)
{
	*keys_removed = shm_table_sweep(s->keys, key_is_current, &gen);
	*tenants_removed = shm_table_sweep(s->tenants, tenant_is_current, &gen);
	if (*tenants_removed > 0)
		atomic_fetch_add(&s->hdr->tenants_version, 1);
}

/* The abuse engine's view of a client may be forgotten once nothing about it is active
 * and it has been quiet for ten minutes (its decayed counts are then near zero). */
static bool abuse_idle(const struct abuse_client *a, int64_t now)
{
	return a->until_ns <= now && a->exempt_until_ns <= now && a->verdict_until_ns <= now &&
	       now - a->last_ns > 600 * (int64_t)1000000000 && gcra_is_idle(a->throttle_tat, now);
}

/* Rate-limit records whose arrival times are all in the past carry no state. */
static bool ip_idle(const void *key, const void *val, void *arg)
{
	const struct state_ip_use *u = val;
	int64_t now = *(const int64_t *)arg;

	(void)key;
	return gcra_is_idle(u->tat_req, now) && gcra_is_idle(u->tat_authfail, now) &&
	       abuse_idle(&u->abuse, now);
}

static bool key_use_idle(const void *key, const void *val, void *arg)
{
	const struct state_key_use *u = val;
	int64_t now = *(const int64_t *)arg;

	(void)key;
	return gcra_is_idle(u->tat_sec, now) && gcra_is_idle(u->tat_min, now) &&
	       abuse_idle(&u->abuse, now);
}

static bool net_idle(const void *key, const void *val, void *arg)
{
	const struct state_net_use *u = val;

	(void)key;
	return *(const int64_t *)arg - u->last_ns > 1800 * (int64_t)1000000000;
}

/* Route statistics are cheap to relearn: any record may go when room is needed. */
static bool route_reusable(const void *key, const void *val, void *arg)
{
	(void)key;
	(void)val;
	(void)arg;
	return true;
}

/* A record that could not be made is a full table: say so. */
static void *or_full(struct state *s, void *rec, enum state_table t)
{
	if (rec == NULL)
		state_table_full(s, t);
	return rec;
}

/* An IPv6 client is its /64: one host gets a /64, and counting /128s would let it rotate
 * through 2^64 addresses past every per-address limit (and fill the pool). */
static const unsigned char *client_of(const unsigned char ip[16], unsigned char buf[16])
{
	static const unsigned char v4[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (memcmp(ip, v4, 12) == 0)
		return ip;
	memcpy(buf, ip, 8);
	memset(buf + 8, 0, 8);
	return buf;
}

struct state_ip_use *state_ip_use(struct state *s, const unsigned char ip[16], int64_t now_ns)
{
	static const struct state_ip_use fresh;
	unsigned char buf[16];
	const unsigned char *key = client_of(ip, buf);

	return or_full(s, shm_pool_lock(s->ips, ip_hash64(s, key), key, &fresh, ip_idle, &now_ns),
		       TABLE_CLIENTS);
}

struct state_key_use *state_key_use(struct state *s, int64_t key_id, int64_t now_ns)
{
	static const struct state_key_use fresh;

	return or_full(s,
		       shm_pool_lock(s->key_use, codec_mix64((uint64_t)key_id), &key_id, &fresh,
				     key_use_idle, &now_ns),
		       TABLE_KEY_USE);
}

/* A tenant's quota record may go when the tenant no longer exists, or when it holds
 * nothing of the running month and no rate-limit state. (Called only on inserts.) */
static bool tenant_use_idle(const void *key, const void *val, void *arg)
{
	struct state *s = arg;
	const struct state_tenant_use *u = val;
	int64_t id, now_ns = state_mono_ns();

	memcpy(&id, key, sizeof(id));
	if (!state_tenant_find(s, id, NULL))
		return true;
	return u->win_end <= state_clock_ms(s) / 3600000 && gcra_is_idle(u->tat_sec, now_ns) &&
	       gcra_is_idle(u->tat_min, now_ns);
}

struct state_tenant_use *state_tenant_use(struct state *s, int64_t tenant_id, bool create)
{
	static const struct state_tenant_use fresh;

	struct state_tenant_use *u =
	    shm_pool_lock(s->tenant_use, codec_mix64((uint64_t)tenant_id), &tenant_id,
			  create ? &fresh : NULL, create ? tenant_use_idle : NULL, s);

	return create ? or_full(s, u, TABLE_TENANT_USE) : u;
}

/* A usage record may go once PostgreSQL holds all of it and its hour is over. */
static bool usage_done(const void *key, const void *val, void *arg)
{
	const struct state_usage_key *k = key;
	const struct state_usage *u = val;
	int64_t hour = *(const int64_t *)arg;
	int i;

	if (k->hour >= hour)
		return false;
	for (i = 0; i < USAGE__MAX; i++)
		if (u->flushed[i] != u->count[i])
			return false;
	return true;
}

struct state_usage *state_usage(struct state *s, int64_t key_id, int64_t hour, int64_t tenant_id,
				bool create)
{
	struct state_usage_key k = {key_id, hour};
	struct state_usage fresh;

	memset(&fresh, 0, sizeof(fresh));
	fresh.tenant_id = tenant_id;
	struct state_usage *u =
	    shm_pool_lock(s->usage, codec_mix64((uint64_t)key_id ^ codec_mix64((uint64_t)hour)), &k,
			  create ? &fresh : NULL, usage_done, &hour);

	return create ? or_full(s, u, TABLE_USAGE) : u;
}

struct state_net_use *state_net_use(struct state *s, const unsigned char net[16], int64_t now_ns)
{
	static const struct state_net_use fresh;

	return or_full(s, shm_pool_lock(s->nets, ip_hash64(s, net), net, &fresh, net_idle, &now_ns),
		       TABLE_NETS);
}

struct state_route_use *state_route_use(struct state *s, int64_t tenant_id, uint64_t route_hash)
{
	static const struct state_route_use fresh;
	struct state_route_key k = {tenant_id, route_hash};

	return or_full(s,
		       shm_pool_lock(s->routes, codec_mix64((uint64_t)tenant_id ^ route_hash), &k,
				     &fresh, route_reusable, NULL),
		       TABLE_ROUTES);
}

static uint64_t list_hash(const struct state_list_key *k)
{
	uint64_t a, b;

	memcpy(&a, k->net, 8);
	memcpy(&b, k->net + 8, 8);
	return codec_mix64(
	    a ^ codec_mix64(b ^ codec_mix64((uint64_t)k->tenant_id + (uint64_t)k->prefix)));
}

static void mask_to(const unsigned char ip[16], int prefix, unsigned char out[16])
{
	int i;

	for (i = 0; i < 16; i++) {
		int bits = prefix - 8 * i;

		out[i] = bits >= 8   ? ip[i]
			 : bits <= 0 ? 0
				     : (unsigned char)(ip[i] & (0xff << (8 - bits)));
	}
}

enum list_verdict state_list_find(struct state *s, int64_t tenant_id, const unsigned char ip[16])
{
	struct state_list_key k;
	struct state_list_entry e;
	int prefix, t;

	for (prefix = 128; prefix >= 0; prefix--) {
		if (!(atomic_load_explicit(&s->hdr->list_prefixes[prefix / 64],
					   memory_order_relaxed) &
		      (1ULL << (prefix % 64))))
			continue;
		memset(&k, 0, sizeof(k));
		mask_to(ip, prefix, k.net);
		k.prefix = prefix;
		/* The tenant's own entry first, then the operator's. */
		for (t = 0; t < 2; t++) {
			k.tenant_id = t == 0 ? tenant_id : 0;
			if ((t == 0 && tenant_id == 0) ||
			    !shm_table_find(s->lists, list_hash(&k), &k, &e))
				continue;
			return (enum list_verdict)e.verdict;
		}
	}
	return LIST_NONE;
}

enum err state_list_put(struct state *s, int64_t tenant_id, const unsigned char net[16], int prefix,
			enum list_verdict v, uint32_t gen)
{
	struct state_list_key k;
	struct state_list_entry e = {(int32_t)v, gen};

	if (prefix < 0 || prefix > 128)
		return ERR_INPUT;
	memset(&k, 0, sizeof(k));
	k.tenant_id = tenant_id;
	mask_to(net, prefix, k.net);
	k.prefix = prefix;
	atomic_fetch_or(&s->hdr->list_prefixes[prefix / 64], 1ULL << (prefix % 64));
	return shm_table_put(s->lists, list_hash(&k), &k, &e);
}

static bool list_is_current(const void *key, const void *val, void *arg)
{
	(void)key;
	return ((const struct state_list_entry *)val)->gen == *(const uint32_t *)arg;
}

void state_list_sweep(struct state *s, uint32_t gen)
{
	shm_table_sweep(s->lists, list_is_current, &gen);
}

bool state_resolved_find(struct state *s, int64_t tenant_id, struct state_resolved *out)
{
	return shm_table_find(s->resolved, codec_mix64((uint64_t)tenant_id), &tenant_id, out);
}

enum err state_resolved_put(struct state *s, int64_t tenant_id, const struct state_resolved *r)
{
	return shm_table_put(s->resolved, codec_mix64((uint64_t)tenant_id), &tenant_id, r);
}

static void issuer_hash(const unsigned char secret[32], const char *iss, size_t len,
			unsigned char out[STATE_KEY_HASH_BYTES])
{
	unsigned char h[CRYPTOX_HASH_BYTES];

	cryptox_keyed_hash(h, secret, iss, len);
	memcpy(out, h, STATE_KEY_HASH_BYTES);
}

bool state_jwt_issuer_find(struct state *s, const unsigned char secret[32], const char *iss,
			   size_t len, struct state_jwt_issuer *out)
{
	unsigned char h[STATE_KEY_HASH_BYTES];

	if (len >= STATE_JWT_ISSUER_MAX)
		return false;
	issuer_hash(secret, iss, len, h);
	return shm_table_find(s->jwt_issuers, key_hash64(h), h, out) &&
	       strlen(out->issuer) == len && memcmp(out->issuer, iss, len) == 0;
}

enum err state_jwt_issuer_put(struct state *s, const unsigned char secret[32],
			      const struct state_jwt_issuer *v)
{
	unsigned char h[STATE_KEY_HASH_BYTES];

	issuer_hash(secret, v->issuer, strlen(v->issuer), h);
	return shm_table_put(s->jwt_issuers, key_hash64(h), h, v);
}

static bool issuer_is_current(const void *key, const void *val, void *arg)
{
	(void)key;
	return ((const struct state_jwt_issuer *)val)->gen == *(const uint32_t *)arg;
}

void state_jwt_issuer_sweep(struct state *s, uint32_t gen)
{
	shm_table_sweep(s->jwt_issuers, issuer_is_current, &gen);
}

void state_model_get(struct state *s, int64_t tenant_id, struct abuse_model *out)
{
	struct state_model m;
	int64_t global = 0;

	if (shm_table_find(s->models, codec_mix64((uint64_t)tenant_id), &tenant_id, &m) ||
	    shm_table_find(s->models, codec_mix64(0), &global, &m)) {
		*out = m.model;
		return;
	}
	abuse_model_prior(out);
}

enum err state_model_put(struct state *s, int64_t tenant_id, const struct abuse_model *m,
			 uint32_t gen)
{
	struct state_model v;

	memset(&v, 0, sizeof(v));
	v.model = *m;
	v.gen = gen;
	return shm_table_put(s->models, codec_mix64((uint64_t)tenant_id), &tenant_id, &v);
}

static bool model_is_current(const void *key, const void *val, void *arg)
{
	(void)key;
	return ((const struct state_model *)val)->gen == *(const uint32_t *)arg;
}

void state_model_sweep(struct state *s, uint32_t gen)
{
	shm_table_sweep(s->models, model_is_current, &gen);
}

/* One producer (a worker), one consumer: the same discipline as the decision rings. */
#define RING_PUSH(ring, size, item)                                                                \
	do {                                                                                       \
		uint64_t head_ = atomic_load_explicit(&(ring)->head, memory_order_relaxed);        \
		if (head_ - atomic_load_explicit(&(ring)->tail, memory_order_acquire) >= (size)) { \
			atomic_fetch_add_explicit(&(ring)->dropped, 1, memory_order_relaxed);      \
			return false;                                                              \
		}                                                                                  \
		(ring)->items[head_ & ((size)-1)] = *(item);                                       \
		atomic_store_explicit(&(ring)->head, head_ + 1, memory_order_release);             \
		return true;                                                                       \
	} while (0)

bool state_sample_push(struct state *s, uint32_t ring, const struct state_sample *d)
{
	if (ring >= s->hdr->nrings)
		return false;
	RING_PUSH(&s->samples[ring], STATE_SAMPLE_RING, d);
}

bool state_gray_push(struct state *s, uint32_t ring, const struct state_gray *g)
{
	if (ring >= s->hdr->nrings)
		return false;
	RING_PUSH(&s->grays[ring], STATE_GRAY_RING, g);
}

void state_unlock(struct shm_pool *pool, void *record)
{
	shm_pool_unlock(pool, record);
}

bool state_ring_push(struct state *s, uint32_t ring, const struct state_decision *d)
{
	struct state_ring *r;
	uint64_t head;

	if (ring >= s->hdr->nrings)
		return false;
	r = &s->rings[ring];
	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (head - atomic_load_explicit(&r->tail, memory_order_acquire) >= STATE_RING_SIZE) {
		atomic_fetch_add_explicit(&r->dropped, 1, memory_order_relaxed);
		state_table_full(s, TABLE_DECISIONS);
		return false;
	}
	r->items[head & (STATE_RING_SIZE - 1)] = *d;
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

void state_metric_add(struct state *s, uint32_t row, enum metric m, uint64_t n)
{
	if (row < s->hdr->nrings + STATE_METRIC_ROWS_EXTRA)
		atomic_fetch_add_explicit(&s->metrics[row][m], n, memory_order_relaxed);
}

uint64_t state_metric_sum(struct state *s, enum metric m)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < s->hdr->nrings + STATE_METRIC_ROWS_EXTRA; i++)
		sum += atomic_load_explicit(&s->metrics[i][m], memory_order_relaxed);
	return sum;
}

uint32_t state_metric_row_collector(const struct state *s)
{
	return s->hdr->nrings;
}

uint32_t state_metric_row_flusher(const struct state *s)
{
	return s->hdr->nrings + 1;
}

uint32_t state_metric_row_misc(const struct state *s)
{
	return s->hdr->nrings + 2;
}

int64_t state_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t state_mono_ms(void)
{
	return state_mono_ns() / 1000000;
}

static const struct {
	const char *name, *setting;
} tables[TABLE__MAX] = {
    [TABLE_KEYS] = {"keys", "TOLLGATE_MAX_KEYS"},
    [TABLE_TENANTS] = {"tenants", "TOLLGATE_MAX_TENANTS"},
    [TABLE_CLIENTS] = {"clients", "TOLLGATE_MAX_CLIENTS"},
    [TABLE_KEY_USE] = {"key_limits", "TOLLGATE_MAX_KEYS"},
    [TABLE_TENANT_USE] = {"tenant_limits", "TOLLGATE_MAX_TENANTS"},
    [TABLE_USAGE] = {"usage", "TOLLGATE_USAGE_SLOTS"},
    [TABLE_NETS] = {"networks", "TOLLGATE_MAX_CLIENTS"},
    [TABLE_ROUTES] = {"routes", "TOLLGATE_MAX_ROUTES"},
    [TABLE_LISTS] = {"address_lists", "TOLLGATE_MAX_LIST_ENTRIES"},
    [TABLE_MODELS] = {"models", "TOLLGATE_MAX_TENANTS"},
    [TABLE_DECISIONS] = {"decision_rings", "(the collector is behind)"},
    [TABLE_JWT_ISSUERS] = {"jwt_issuers", "TOLLGATE_MAX_JWT_ISSUERS"},
};

const char *state_table_name(enum state_table t)
{
	return t < TABLE__MAX ? tables[t].name : "?";
}

const char *state_table_setting(enum state_table t)
{
	return t < TABLE__MAX ? tables[t].setting : "?";
}

#define FULL_LOG_EVERY_MS 10000

void state_table_full(struct state *s, enum state_table t)
{
	struct state_hdr *h = s->hdr;
	int64_t now = state_mono_ms(), last;

	if (t >= TABLE__MAX)
		return;
	atomic_fetch_add_explicit(&h->full_count[t], 1, memory_order_relaxed);
	atomic_store_explicit(&h->full_at_ms[t], now, memory_order_relaxed);
	last = atomic_load_explicit(&h->full_logged_ms[t], memory_order_relaxed);
	/* Whoever wins the exchange logs; everyone else within 10 s stays quiet. */
	if ((last == 0 || now - last >= FULL_LOG_EVERY_MS) &&
	    atomic_compare_exchange_strong(&h->full_logged_ms[t], &last, now))
		log_errorx("shared-memory table %s is full (%llu times so far): raise %s",
			   tables[t].name, (unsigned long long)atomic_load(&h->full_count[t]),
			   tables[t].setting);
}

bool state_table_was_full(struct state *s, enum state_table t, int64_t ms)
{
	int64_t at = t < TABLE__MAX ? atomic_load(&s->hdr->full_at_ms[t]) : 0;

	return at != 0 && state_mono_ms() - at <= ms;
}

int64_t state_clock_ms(struct state *s)
{
	return state_now_ms() +
	       atomic_load_explicit(&s->hdr->clock_offset_ms, memory_order_relaxed);
}

int64_t state_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t state_month_of(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	return (int64_t)(tm.tm_year - 70) * 12 + tm.tm_mon;
}

int64_t state_month_start_ms(int64_t month)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(month / 12) + 70;
	tm.tm_mon = (int)(month % 12);
	tm.tm_mday = 1;
	return (int64_t)timegm(&tm) * 1000;
}

static int64_t days_in_month(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 1 && leap ? 29 : days[m];
}

/* Hours since the epoch of (year, month 0-11, day, hour) in UTC, the day clamped to the
 * month's last. */
static int64_t hour_of(int64_t y, int m, int day, int hour)
{
	struct tm tm;
	int64_t last = days_in_month(y, m);

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = m;
	tm.tm_mday = day > last ? (int)last : day;
	tm.tm_hour = hour;
	return (int64_t)timegm(&tm) / 3600;
}

void state_quota_window(int64_t anchor_s, int64_t now_ms, int64_t *start_h, int64_t *end_h)
{
	int64_t month = state_month_of(now_ms), y, now_h = now_ms / 3600000;
	time_t a = (time_t)anchor_s;
	struct tm at;
	int m;

	if (anchor_s <= 0) {
		*start_h = state_month_start_ms(month) / 3600000;
		*end_h = state_month_start_ms(month + 1) / 3600000;
		return;
	}
	gmtime_r(&a, &at);
	y = month / 12 + 1970;
	m = (int)(month % 12);
	*start_h = hour_of(y, m, at.tm_mday, at.tm_hour);
	if (*start_h > now_h) { /* this month's turn is still ahead: the window began last month */
		*end_h = *start_h;
		*start_h = m == 0 ? hour_of(y - 1, 11, at.tm_mday, at.tm_hour)
				  : hour_of(y, m - 1, at.tm_mday, at.tm_hour);
	} else
		*end_h = m == 11 ? hour_of(y + 1, 0, at.tm_mday, at.tm_hour)
				 : hour_of(y, m + 1, at.tm_mday, at.tm_hour);
}
