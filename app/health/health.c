/* Liveness and readiness. Readiness reads facts the syncer keeps in shared memory, so a
 * probe never adds load to PostgreSQL. */
#include "health.h"

#include <unistd.h>

#include "../../lib/jsonx.h"

enum err health_live(struct hctx *c)
{
	struct jsonx_w w;

	fcgi_header(c->rs, "Cache-Control", "no-store");
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "status", "live");
	jsonx_kint(&w, "pid", (int64_t)getpid());
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

enum err health_ready(struct hctx *c)
{
	struct state_hdr *h = c->app->state->hdr;
	int64_t now = state_now_ms(), ok_ms = atomic_load(&h->db_ok_ms);
	bool loaded = atomic_load(&h->loaded) != 0;
	bool db = atomic_load(&h->db_up) != 0 && now - ok_ms <= c->app->cfg->ready_staleness_ms;
	struct jsonx_w w;

	if (!db || !loaded) {
		c->problem = PROB_NOT_READY;
		c->detail = !db && !loaded ? "PostgreSQL is unreachable and keys are not loaded."
			    : !db	   ? "PostgreSQL is unreachable."
					   : "Keys and tenants are not loaded into memory yet.";
		return ERR_UNAVAILABLE; /* the problem renderer adds Cache-Control */
	}
	fcgi_header(c->rs, "Cache-Control", "no-store");
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "status", "ready");
	jsonx_kint(&w, "keys", shm_table_count(c->app->state->keys));
	jsonx_kint(&w, "tenants", shm_table_count(c->app->state->tenants));
	jsonx_kint(&w, "db_checked_ms_ago", now - ok_ms);
	jsonx_kint(&w, "synced_ms_ago", now - atomic_load(&h->synced_ms));
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}
