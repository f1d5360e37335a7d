/* PostgreSQL -> shared memory, for keys and tenants. */
#include "syncer.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/codec.h"
#include "../../lib/jwk.h"
#include "../../lib/log.h"
#include "../abuse/engine.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../state/state.h"
#include "../upstream/upstream.h"

#define PING_MS	     1000
#define RECONNECT_MS 1000

struct syncer {
	struct app *app;
	struct state *st;
	struct sql *db;
	bool down_logged;
	int64_t next_ping;
	int64_t next_full;
};

static const char tenant_sql[] =
    "SELECT t.id, t.slug, t.status, t.plan_id, coalesce(u.url, ''), "
    "l.key_rps, l.key_burst, l.key_rpm, l.tenant_rps, l.tenant_burst, l.tenant_rpm, "
    "coalesce(l.monthly_requests, -1), l.max_body_bytes, "
    "t.abuse_mode, t.abuse_sample_rate, t.judge_enabled, t.judge_wait_ms, "
    "coalesce(u.host_header, ''), "
    /* A paid subscription's period: the quota window follows it (docs/billing.md). */
    "CASE WHEN b.status IN ('active', 'trialing', 'past_due', 'unpaid') "
    "AND t.plan_id = b.paid_plan THEN coalesce(extract(epoch FROM b.period_start)::bigint, 0) "
    "ELSE 0 END, t.ai_prefix IS NOT NULL, coalesce(t.ai_prefix, '') "
    "FROM tenants t JOIN tenant_limits l ON l.tenant_id = t.id "
    "LEFT JOIN upstreams u ON u.tenant_id = t.id AND u.is_default "
    "LEFT JOIN billing_accounts b ON b.tenant_id = t.id";

static const char key_sql[] =
    "SELECT k.id, k.tenant_id, k.hash, "
    "coalesce(extract(epoch FROM k.expires_at)::bigint, 0), "
    "(k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())), "
    "coalesce(k.rps, 0), coalesce(k.burst, 0), coalesce(k.rpm, 0), "
    /* A JWT issuer's key: its issuer's record in memory carries its limits too. */
    "EXISTS (SELECT 1 FROM jwt_issuers j WHERE j.key_id = k.id), "
    /* Dormant: made over a month ago, and no request this calendar month or the last. */
    "(k.created_at < now() - interval '31 days' AND NOT EXISTS (SELECT 1 FROM usage_monthly m "
    "WHERE m.key_id = k.id AND m.month >= (date_trunc('month', now() AT TIME ZONE 'UTC') "
    "- interval '1 month')::date)) "
    "FROM api_keys k";

/* Issuers whose synthetic key is active, with that key's own limits. */
static const char issuer_sql[] =
    "SELECT j.issuer, j.tenant_id, j.key_id, coalesce(j.audience, ''), "
    "coalesce(j.team_claim, ''), coalesce(j.static_keys, ''), coalesce(j.jwks_cache, ''), "
    "coalesce(k.rps, 0), coalesce(k.burst, 0), coalesce(k.rpm, 0) "
    "FROM jwt_issuers j JOIN api_keys k ON k.id = j.key_id "
    "WHERE k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())";

/* What the gate needs of a tenant's upstream URL: the address Caddy dials, the Host the
 * upstream gets, and whether it may be used at all. An address is checked here; a host
 * name is checked (and, for plain http, pinned to a checked address) by the resolver. */
static void tenant_upstream(const struct config *cfg, const char *slug, const char *url,
			    const char *host_header, struct state_tenant *t)
{
	struct addr_url u;
	char why[192];
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;

	if (url[0] == '\0')
		return;
	for (p = url; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	for (p = host_header; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	t->upstream_hash = h | 1;
	if (addr_url_parse(url, &u, why, sizeof(why)) != ERR_OK ||
	    strlen(u.host) + 8 >= sizeof(t->upstream)) {
		log_warnx("tenant %s: upstream %s cannot be used: %s", slug, url, why);
		t->upstream_flags = UPSTREAM_INVALID;
		return;
	}
	if (u.https)
		t->upstream_flags |= UPSTREAM_TLS;
	t->upstream_port = u.port;
	if (host_header[0] != '\0')
		str_lcpy(t->upstream_host, host_header, sizeof(t->upstream_host));
	else
		upstream_host_header(&u, t->upstream_host, sizeof(t->upstream_host));
	if (!u.host_is_ip) {
		t->upstream_flags |= UPSTREAM_NAME;
		/* The length was checked above; the precision says so to the compiler. */
		snprintf(t->upstream, sizeof(t->upstream), "%.180s:%u", u.host, (unsigned)u.port);
		return;
	}
	addr_dial(u.ip, u.port, t->upstream, sizeof(t->upstream));
	if (!upstream_addr_allowed(cfg, u.ip, why, sizeof(why))) {
		log_warnx("tenant %s: upstream %s refused: %s", slug, url, why);
		t->upstream_flags |= UPSTREAM_FORBIDDEN;
	}
}

static void tenant_from_row(const struct config *cfg, const struct sql_res *r, int i, uint32_t gen,
			    struct state_tenant *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sql_get_i64(r, i, 0);
	t->gen = gen;
	str_lcpy(t->slug, sql_get(r, i, 1), sizeof(t->slug));
	t->status = strcmp(sql_get(r, i, 2), "active") == 0 ? TENANT_ACTIVE : TENANT_SUSPENDED;
	str_lcpy(t->plan, sql_get(r, i, 3), sizeof(t->plan));
	tenant_upstream(cfg, t->slug, sql_get(r, i, 4), sql_get(r, i, 17), t);
	t->key_rates.rps = (int32_t)sql_get_i64(r, i, 5);
	t->key_rates.burst = (int32_t)sql_get_i64(r, i, 6);
	t->key_rates.rpm = (int32_t)sql_get_i64(r, i, 7);
	t->rates.rps = (int32_t)sql_get_i64(r, i, 8);
	t->rates.burst = (int32_t)sql_get_i64(r, i, 9);
	t->rates.rpm = (int32_t)sql_get_i64(r, i, 10);
	t->monthly_quota = sql_get_i64(r, i, 11);
	t->max_body = sql_get_i64(r, i, 12);
	t->abuse_mode = strcmp(sql_get(r, i, 13), "enforce") == 0 ? ABUSE_ENFORCE
			: strcmp(sql_get(r, i, 13), "off") == 0	  ? ABUSE_OFF
								  : ABUSE_SHADOW;
	t->sample_rate = (int32_t)sql_get_i64(r, i, 14);
	t->judge_enabled = strcmp(sql_get(r, i, 15), "t") == 0;
	t->judge_wait_ms = (int32_t)sql_get_i64(r, i, 16);
	t->quota_anchor_s = sql_get_i64(r, i, 18);
	t->ai_on = strcmp(sql_get(r, i, 19), "t") == 0;
	str_lcpy(t->ai_prefix, sql_get(r, i, 20), sizeof(t->ai_prefix));
}

static const char model_sql[] =
    "SELECT coalesce(tenant_id, 0), version, weights, t_flag, t_throttle, t_block "
    "FROM abuse_models WHERE active";

static const char list_sql[] =
    "SELECT coalesce(tenant_id, 0), host(network), masklen(network), family(network), verdict "
    "FROM ip_lists";

static void load_models(struct syncer *s, const struct sql_res *r, uint32_t gen)
{
	int i;

	for (i = 0; i < sql_rows(r); i++) {
		struct abuse_model m;

		memset(&m, 0, sizeof(m));
		if (!sql_get_floats(r, i, 2, m.w, F__MAX)) {
			log_warnx("abuse model %s of tenant %s has the wrong number of weights; "
				  "skipped",
				  sql_get(r, i, 1), sql_get(r, i, 0));
			continue;
		}
		m.version = sql_get_i64(r, i, 1);
		m.t_flag = strtof(sql_get(r, i, 3), NULL);
		m.t_throttle = strtof(sql_get(r, i, 4), NULL);
		m.t_block = strtof(sql_get(r, i, 5), NULL);
		if (state_model_put(s->st, sql_get_i64(r, i, 0), &m, gen) != ERR_OK)
			state_table_full(s->st, TABLE_MODELS);
	}
}

static void load_lists(struct syncer *s, const struct sql_res *r, uint32_t gen)
{
	int i;

	for (i = 0; i < sql_rows(r); i++) {
		const char *v = sql_get(r, i, 4);
		int prefix = (int)sql_get_i64(r, i, 2);
		unsigned char addr[16];

		if (!codec_ip_parse(sql_get(r, i, 1), addr))
			continue;
		if (strcmp(sql_get(r, i, 3), "4") == 0)
			prefix += 96; /* on the IPv4-mapped form */
		if (state_list_put(s->st, sql_get_i64(r, i, 0), addr, prefix,
				   strcmp(v, "allow") == 0  ? LIST_ALLOW
				   : strcmp(v, "deny") == 0 ? LIST_DENY
							    : LIST_SUSPECT,
				   gen) != ERR_OK)
			state_table_full(s->st, TABLE_LISTS);
	}
}

/* Adds each "-----BEGIN PUBLIC KEY-----" block of text to the issuer's keys. */
static void add_pems(struct state_jwt_issuer *is, const char *text)
{
	static const char end[] = "-----END PUBLIC KEY-----";
	const char *p = text, *e;

	while ((p = strstr(p, "-----BEGIN PUBLIC KEY-----")) != NULL &&
	       (e = strstr(p, end)) != NULL) {
		size_t n = (size_t)(e - p) + sizeof(end) - 1;

		if (is->nkeys == STATE_JWT_KEYS) {
			log_warnx("JWT issuer %s has more than %d keys; the rest are ignored",
				  is->issuer, STATE_JWT_KEYS);
			return;
		}
		if (n < STATE_JWT_PEM_MAX)
			snprintf(is->pem[is->nkeys++], STATE_JWT_PEM_MAX, "%.*s\n", (int)n, p);
		else
			log_warnx("JWT issuer %s: a key is too long; ignored", is->issuer);
		p = e + sizeof(end) - 1;
	}
}

static void load_issuers(struct syncer *s, const struct sql_res *r, uint32_t gen)
{
	int i;

	for (i = 0; i < sql_rows(r); i++) {
		const char *stat = sql_get(r, i, 5);
		struct state_jwt_issuer is;

		memset(&is, 0, sizeof(is));
		str_lcpy(is.issuer, sql_get(r, i, 0), sizeof(is.issuer));
		is.tenant_id = sql_get_i64(r, i, 1);
		is.key_id = sql_get_i64(r, i, 2);
		str_lcpy(is.audience, sql_get(r, i, 3), sizeof(is.audience));
		str_lcpy(is.team_claim, sql_get(r, i, 4), sizeof(is.team_claim));
		is.rps = (int32_t)sql_get_i64(r, i, 7);
		is.burst = (int32_t)sql_get_i64(r, i, 8);
		is.rpm = (int32_t)sql_get_i64(r, i, 9);
		is.gen = gen;
		if (stat[0] == '{') {
			/* A static JWKS: converted here, as the jwks child converts a fetched one.
			 */
			struct buf pems;
			char why[200];
			size_t n;

			buf_init(&pems, 64 * 1024);
			if (jwk_set_to_pems(stat, strlen(stat), &pems, &n, why, sizeof(why)) !=
			    ERR_OK)
				log_warnx("JWT issuer %s: static keys: %s", is.issuer, why);
			else if (pems.p != NULL)
				add_pems(&is, pems.p);
			buf_free(&pems);
		} else {
			add_pems(&is, stat);
		}
		add_pems(&is, sql_get(r, i, 6));
		if (state_jwt_issuer_put(s->st, s->app->cfg->secret_key, &is) != ERR_OK)
			state_table_full(s->st, TABLE_JWT_ISSUERS);
	}
}

/* Applies one api_keys row: an active key is put, an inactive one removed. */
static void apply_key_row(struct syncer *s, const struct sql_res *r, int i, uint32_t gen)
{
	unsigned char hash[32];
	struct state_key k;

	if (!sql_get_bytes(r, i, 2, hash, sizeof(hash))) {
		log_warnx("api key %s has a malformed hash; skipped", sql_get(r, i, 0));
		return;
	}
	if (strcmp(sql_get(r, i, 8), "t") == 0)
		atomic_store(&s->st->hdr->resync_wanted, 1); /* its issuer's copy changes too */
	if (strcmp(sql_get(r, i, 4), "t") != 0) {
		state_key_del(s->st, hash);
		return;
	}
	memset(&k, 0, sizeof(k));
	k.id = sql_get_i64(r, i, 0);
	k.tenant_id = sql_get_i64(r, i, 1);
	k.expires_at = sql_get_i64(r, i, 3);
	k.rps = (int32_t)sql_get_i64(r, i, 5);
	k.burst = (int32_t)sql_get_i64(r, i, 6);
	k.rpm = (int32_t)sql_get_i64(r, i, 7);
	k.dormant = strcmp(sql_get(r, i, 9), "t") == 0;
	k.gen = gen;
	if (state_key_put(s->st, hash, &k) != ERR_OK)
		state_table_full(s->st, TABLE_KEYS); /* this key answers 401 until there is room */
}

static enum err full_load(struct syncer *s)
{
	struct state_hdr *h = s->st->hdr;
	uint32_t gen = atomic_load(&h->sync_gen) + 1;
	struct sql_res *tenants = NULL, *keys = NULL, *models = NULL, *lists = NULL,
		       *issuers = NULL;
	size_t gone_keys, gone_tenants;
	enum err rc;
	int i, n;

	/* One snapshot, so keys never refer to tenants from another moment. */
	rc = sql_exec(s->db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
	if (rc == ERR_OK)
		rc = sql_exec(s->db, &tenants, tenant_sql, 0, NULL);
	if (rc == ERR_OK)
		rc = sql_exec(s->db, &keys, key_sql, 0, NULL);
	if (rc == ERR_OK)
		rc = sql_exec(s->db, &models, model_sql, 0, NULL);
	if (rc == ERR_OK)
		rc = sql_exec(s->db, &lists, list_sql, 0, NULL);
	if (rc == ERR_OK)
		rc = sql_exec(s->db, &issuers, issuer_sql, 0, NULL);
	if (rc == ERR_OK)
		rc = sql_commit(s->db);
	if (rc != ERR_OK) {
		log_warnx("full load failed: %s", sql_errmsg(s->db));
		sql_rollback(s->db);
		goto out;
	}
	n = sql_rows(tenants);
	for (i = 0; i < n; i++) {
		struct state_tenant t;

		tenant_from_row(s->app->cfg, tenants, i, gen, &t);
		if (state_tenant_put(s->st, &t) != ERR_OK)
			state_table_full(s->st, TABLE_TENANTS);
	}
	n = sql_rows(keys);
	for (i = 0; i < n; i++)
		apply_key_row(s, keys, i, gen);
	load_models(s, models, gen);
	load_lists(s, lists, gen);
	load_issuers(s, issuers, gen);
	state_sweep(s->st, gen, &gone_keys, &gone_tenants);
	state_jwt_issuer_sweep(s->st, gen);
	state_model_sweep(s->st, gen);
	state_list_sweep(s->st, gen);
	atomic_store(&h->sync_gen, gen);
	atomic_store(&h->synced_ms, state_mono_ms());
	atomic_store(&h->loaded, 1);
	log_info("loaded %u keys and %u tenants (removed %zu keys, %zu tenants)",
		 shm_table_count(s->st->keys), shm_table_count(s->st->tenants), gone_keys,
		 gone_tenants);
out:
	sql_res_free(tenants);
	sql_res_free(keys);
	sql_res_free(models);
	sql_res_free(lists);
	sql_res_free(issuers);
	return rc;
}

static enum err reload_tenant(struct syncer *s, const char *id)
{
	uint32_t gen = atomic_load(&s->st->hdr->sync_gen);
	const char *params[] = {id};
	struct sql_res *r;
	char q[sizeof(tenant_sql) + 32];
	int64_t num;
	enum err rc;

	snprintf(q, sizeof(q), "%s WHERE t.id = $1", tenant_sql);
	rc = sql_exec(s->db, &r, q, 1, params);
	if (rc != ERR_OK)
		return rc;
	if (sql_rows(r) == 1) {
		struct state_tenant t;

		tenant_from_row(s->app->cfg, r, 0, gen, &t);
		if (state_tenant_put(s->st, &t) != ERR_OK)
			state_table_full(s->st, TABLE_TENANTS);
	} else if (str_to_i64(str_c(id), 1, INT64_MAX, &num) == ERR_OK) {
		state_tenant_del(s->st, num);
	}
	sql_res_free(r);
	return ERR_OK;
}

static enum err reload_key(struct syncer *s, const char *id)
{
	const char *params[] = {id};
	struct sql_res *r;
	char q[sizeof(key_sql) + 32];
	enum err rc;

	snprintf(q, sizeof(q), "%s WHERE k.id = $1", key_sql);
	rc = sql_exec(s->db, &r, q, 1, params);
	if (rc != ERR_OK)
		return rc;
	if (sql_rows(r) == 1)
		apply_key_row(s, r, 0, atomic_load(&s->st->hdr->sync_gen));
	else
		atomic_store(&s->st->hdr->resync_wanted,
			     1); /* deleted: we no longer know its hash */
	sql_res_free(r);
	return ERR_OK;
}

/* "lift:<tenant id>:<key id>:<address>": a false positive was labelled on some node; every
 * node lifts the client's block and cached verdict for that tenant at once. */
static enum err apply_lift(struct syncer *s, const char *what)
{
	struct str p = str_c(what), key, tenant;
	unsigned char ip[16];
	char addr[64];
	int64_t key_id = 0, tenant_id = 0;
	bool has_ip;

	if (!str_cut(&p, ':', &tenant) || str_to_i64(tenant, 1, INT64_MAX, &tenant_id) != ERR_OK ||
	    !str_cut(&p, ':', &key) || str_to_i64(key, 0, INT64_MAX, &key_id) != ERR_OK ||
	    str_copy(p, addr, sizeof(addr)) != ERR_OK)
		return ERR_OK;
	has_ip = codec_ip_parse(addr, ip);
	abuse_lift(s->st, tenant_id, has_ip ? ip : NULL, key_id, s->app->cfg->abuse_exempt_s);
	log_info("lifted abuse decisions on key %lld / %s (false positive)", (long long)key_id,
		 has_ip ? addr : "-");
	return ERR_OK;
}

/* Payloads are "<table>:<id>", written by the migrations' trigger. */
static enum err apply_notification(struct syncer *s, const char *payload)
{
	struct str p = str_c(payload), table;
	int64_t id;

	if (str_has_prefix(p, "lift:"))
		return apply_lift(s, payload + 5);
	if (!str_cut(&p, ':', &table) || str_to_i64(p, 1, INT64_MAX, &id) != ERR_OK) {
		atomic_store(&s->st->hdr->resync_wanted, 1);
		return ERR_OK;
	}
	if (str_eq_c(table, "api_keys"))
		return reload_key(s, p.p);
	if (str_eq_c(table, "tenants"))
		return reload_tenant(s, p.p);
	atomic_store(&s->st->hdr->resync_wanted, 1);
	return ERR_OK;
}

static void disconnect(struct syncer *s, const char *why)
{
	if (s->db != NULL)
		log_warnx("lost PostgreSQL (%s): %s; the gate keeps serving from memory", why,
			  sql_errmsg(s->db));
	sql_free(s->db);
	s->db = NULL;
	atomic_store(&s->st->hdr->db_up, 0);
}

static enum err connect_db(struct syncer *s)
{
	char msg[512];

	if (sql_connect(s->app->cfg->database_url, &s->db, msg, sizeof(msg)) != ERR_OK) {
		if (!s->down_logged)
			log_warnx("cannot reach PostgreSQL: %s (retrying every second)", msg);
		s->down_logged = true;
		return ERR_DB;
	}
	if (sql_listen(s->db, SYNCER_CHANNEL) != ERR_OK) {
		disconnect(s, "LISTEN");
		return ERR_DB;
	}
	/* LISTEN first, then load: nothing changed in between can be missed. */
	if (full_load(s) != ERR_OK) {
		disconnect(s, "load");
		return ERR_DB;
	}
	s->down_logged = false;
	atomic_store(&s->st->hdr->db_ok_ms, state_mono_ms());
	atomic_store(&s->st->hdr->db_up, 1);
	log_info("connected to PostgreSQL; listening on %s", SYNCER_CHANNEL);
	s->next_full = state_mono_ms() + s->app->cfg->sync_interval_ms;
	return ERR_OK;
}

/* Applies every queued notification; true if there was any. Disconnects on failure. */
static bool drain(struct syncer *s)
{
	char channel[64], payload[256];
	bool any = false;

	while (s->db != NULL &&
	       sql_notification(s->db, channel, sizeof(channel), payload, sizeof(payload))) {
		any = true;
		if (apply_notification(s, payload) != ERR_OK)
			disconnect(s, "apply");
	}
	return any;
}

/* One pass of the loop while connected: wait, apply notifications, ping, reload. */
static void step(struct syncer *s)
{
	struct state_hdr *h = s->st->hdr;
	struct pollfd pfd = {sql_socket(s->db), POLLIN, 0};
	int64_t now = state_mono_ms(), wait = s->next_ping - now;
	bool lost_keys, lost_tenants;

	if (wait < 0)
		wait = 0;
	if (wait > APP_NAP_MS)
		wait = APP_NAP_MS; /* a stop signal that came just before poll() waits no longer */
	/* Notifications that arrived while a query ran (a load, a reload, the ping) are
	 * already in libpq's queue and will not make the socket readable: take them first. */
	if (drain(s))
		wait = 0;
	if (s->db == NULL)
		return;
	if (poll(&pfd, 1, (int)wait) > 0) {
		if (sql_consume(s->db) != ERR_OK) {
			disconnect(s, "read");
			return;
		}
		drain(s);
		if (s->db == NULL)
			return;
	}
	now = state_mono_ms();
	if (now >= s->next_ping) {
		if (sql_exec(s->db, NULL, "SELECT 1", 0, NULL) != ERR_OK) {
			disconnect(s, "ping");
			return;
		}
		atomic_store(&h->db_ok_ms, state_mono_ms());
		s->next_ping = now + PING_MS;
	}
	/* Both flags are taken (and cleared), whichever is set. */
	lost_keys = shm_table_take_lost(s->st->keys);
	lost_tenants = shm_table_take_lost(s->st->tenants);
	if (shm_table_take_lost(s->st->jwt_issuers))
		lost_tenants = true;
	if (lost_keys || lost_tenants)
		atomic_store(&h->resync_wanted, 1);
	if (now >= s->next_full || atomic_exchange(&h->resync_wanted, 0)) {
		if (full_load(s) != ERR_OK) {
			disconnect(s, "load");
			return;
		}
		s->next_full = now + s->app->cfg->sync_interval_ms;
	}
}

int syncer_run(struct app *app, volatile sig_atomic_t *stop)
{
	struct syncer s;

	memset(&s, 0, sizeof(s));
	s.app = app;
	s.st = app->state;
	while (!*stop) {
		if (s.db == NULL && connect_db(&s) != ERR_OK) {
			app_sleep_ms(RECONNECT_MS, stop);
			continue;
		}
		step(&s);
	}
	sql_free(s.db);
	return 0;
}
