/* The layout of Tollgate's shared-memory region: a header of node-wide facts and the
 * tables the syncer fills (keys, tenants) and the gate reads. The master creates it before
 * forking; children inherit the mapping. */
#ifndef APP_STATE_H
#define APP_STATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../lib/err.h"
#include "../../lib/shm.h"

#define STATE_KEY_HASH_BYTES 16 /* prefix of the keyed hash kept in memory */

enum tenant_status { TENANT_ACTIVE, TENANT_SUSPENDED, TENANT__MAX };

struct state_key {
	int64_t id;
	int64_t tenant_id;
	int64_t expires_at; /* unix seconds; 0 = never */
	uint32_t gen;	    /* sync generation that last wrote it */
	uint32_t flags;
};

struct state_tenant {
	int64_t id;
	uint32_t gen;
	uint32_t status; /* enum tenant_status */
	char slug[64];
	char plan[32];
	char upstream[192]; /* host:port that Caddy dials; "" when none is set */
};

struct state_hdr {
	uint64_t magic;
	uint32_t version;
	uint32_t max_keys;
	uint32_t max_tenants;
	uint32_t pad;
	uint64_t keys_off;
	uint64_t tenants_off;
	_Atomic uint32_t loaded;   /* the syncer finished a full load since the master started */
	_Atomic uint32_t db_up;	   /* the syncer's connection is healthy */
	_Atomic int64_t db_ok_ms;  /* wall-clock ms of its last good round-trip */
	_Atomic int64_t synced_ms; /* wall-clock ms of its last full load */
	_Atomic uint32_t sync_gen;
	_Atomic uint32_t resync_wanted; /* set by anyone to ask for a full load */
};

struct state {
	struct shm_region region;
	struct state_hdr *hdr;
	struct shm_table *keys;
	struct shm_table *tenants;
};

/* Maps the region at path sized for the limits, formatting it when it is new or its
 * shape changed, and resetting locks left by earlier processes. Only the master calls
 * this, before any child runs. */
enum err state_open(struct state *s, const char *path, uint32_t max_keys, uint32_t max_tenants,
		    char *msg, size_t msglen) WUR;
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

/* Wall-clock milliseconds (the one clock for periods and freshness). */
int64_t state_now_ms(void);

#endif
