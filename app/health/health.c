/* Liveness and readiness. Readiness reads facts the syncer keeps in shared memory, so a
 * probe never adds load to PostgreSQL. Only the internal site gets the details. */
#include "health.h"

#include <unistd.h>

#include "../../lib/jsonx.h"

/* A table found full within this window degrades readiness. */
#define FULL_WINDOW_MS 60000

/* Tables whose fullness makes the node answer wrongly (a valid key 401, a request 503):
 * not ready. The others cost precision (per-address limits, abuse statistics): degraded. */
static bool is_fatal(enum state_table t)
{
	return t == TABLE_KEYS || t == TABLE_TENANTS || t == TABLE_USAGE || t == TABLE_KEY_USE ||
	       t == TABLE_TENANT_USE;
}

static bool is_internal(const struct hctx *c)
{
	return fcgi_param(c->rq, "TG_INTERNAL") != NULL;
}

enum err health_live(struct hctx *c)
{
	struct jsonx_w w;

	fcgi_header(c->rs, "Cache-Control", "no-store");
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "status", "live");
	if (is_internal(c))
		jsonx_kint(&w, "pid", (int64_t)getpid());
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

enum err health_ready(struct hctx *c)
{
	struct state *st = c->app->state;
	struct state_hdr *h = st->hdr;
	int64_t now = state_mono_ms(), ok_ms = atomic_load(&h->db_ok_ms);
	bool loaded = atomic_load(&h->loaded) != 0;
	bool db = atomic_load(&h->db_up) != 0 && now - ok_ms <= c->app->cfg->ready_staleness_ms;
	bool fatal = false, degraded = false;
	enum state_table full = TABLE__MAX;
	struct jsonx_w w;
	int t;

	for (t = 0; t < TABLE__MAX; t++) {
		if (!state_table_was_full(st, (enum state_table)t, FULL_WINDOW_MS))
			continue;
		if (is_fatal((enum state_table)t)) {
			fatal = true;
			full = (enum state_table)t;
		}
		degraded = true;
	}
	if (!db || !loaded || fatal) {
		c->problem = PROB_NOT_READY;
		if (!is_internal(c))
			c->detail = "This node is not ready.";
		else if (!db || !loaded)
			c->detail = !db && !loaded
					? "PostgreSQL is unreachable and keys are not loaded."
				    : !db ? "PostgreSQL is unreachable."
					  : "Keys and tenants are not loaded into memory yet.";
		else
			c->detail = full == TABLE_KEYS	    ? "The key table is full: raise "
							      "TOLLGATE_MAX_KEYS."
				    : full == TABLE_TENANTS ? "The tenant table is full: raise "
							      "TOLLGATE_MAX_TENANTS."
				    : full == TABLE_USAGE
					? "The usage buffer is full: requests are refused until "
					  "the flusher reaches PostgreSQL (TOLLGATE_USAGE_SLOTS)."
					: "A limits table is full: raise TOLLGATE_MAX_KEYS or "
					  "TOLLGATE_MAX_TENANTS.";
		return ERR_UNAVAILABLE; /* the problem renderer adds Cache-Control */
	}
	fcgi_header(c->rs, "Cache-Control", "no-store");
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "status", degraded ? "degraded" : "ready");
	if (is_internal(c)) {
		jsonx_kint(&w, "keys", shm_table_count(st->keys));
		jsonx_kint(&w, "tenants", shm_table_count(st->tenants));
		jsonx_kint(&w, "db_checked_ms_ago", now - ok_ms);
		jsonx_kint(&w, "synced_ms_ago", now - atomic_load(&h->synced_ms));
		jsonx_key(&w, "full_tables");
		jsonx_arr_open(&w);
		for (t = 0; t < TABLE__MAX; t++)
			if (state_table_was_full(st, (enum state_table)t, FULL_WINDOW_MS))
				jsonx_str(&w, state_table_name((enum state_table)t));
		jsonx_arr_close(&w);
	}
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}
