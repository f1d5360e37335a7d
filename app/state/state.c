/* Shared-memory layout: header, key table, tenant table. */
#include "state.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define STATE_MAGIC   0x74676174656c6c6fULL /* "tgatello" */
#define STATE_VERSION 1

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

/* Tables are sized so that max entries fill at most 3/4 of their slots. */
static uint32_t slots_for(uint32_t max)
{
	return (uint32_t)(((uint64_t)max * 4 + 2) / 3);
}

enum err state_open(struct state *s, const char *path, uint32_t max_keys, uint32_t max_tenants,
		    char *msg, size_t msglen)
{
	size_t keys_off = align64(sizeof(struct state_hdr));
	size_t keys_bytes =
	    shm_table_bytes(slots_for(max_keys), STATE_KEY_HASH_BYTES, sizeof(struct state_key));
	size_t tenants_off = align64(keys_off + keys_bytes);
	size_t tenants_bytes =
	    shm_table_bytes(slots_for(max_tenants), sizeof(int64_t), sizeof(struct state_tenant));
	size_t size = align64(tenants_off + tenants_bytes);
	bool created, fresh;
	enum err rc;

	memset(s, 0, sizeof(*s));
	rc = shm_region_open(&s->region, path, size, &created, msg, msglen);
	if (rc != ERR_OK)
		return rc;
	s->hdr = s->region.base;
	s->keys = (struct shm_table *)(void *)((char *)s->region.base + keys_off);
	s->tenants = (struct shm_table *)(void *)((char *)s->region.base + tenants_off);
	fresh = created || s->hdr->magic != STATE_MAGIC || s->hdr->version != STATE_VERSION ||
		s->hdr->keys_off != keys_off || s->hdr->tenants_off != tenants_off ||
		!shm_table_is_shaped(s->keys, slots_for(max_keys), STATE_KEY_HASH_BYTES,
				     sizeof(struct state_key)) ||
		!shm_table_is_shaped(s->tenants, slots_for(max_tenants), sizeof(int64_t),
				     sizeof(struct state_tenant));
	if (fresh) {
		memset(s->hdr, 0, sizeof(*s->hdr));
		shm_table_init(s->keys, slots_for(max_keys), STATE_KEY_HASH_BYTES,
			       sizeof(struct state_key));
		shm_table_init(s->tenants, slots_for(max_tenants), sizeof(int64_t),
			       sizeof(struct state_tenant));
		s->hdr->version = STATE_VERSION;
		s->hdr->max_keys = max_keys;
		s->hdr->max_tenants = max_tenants;
		s->hdr->keys_off = keys_off;
		s->hdr->tenants_off = tenants_off;
		s->hdr->magic = STATE_MAGIC;
	} else {
		/* Nobody else maps it yet: clear what dead processes may have left locked. */
		shm_table_recover(s->keys);
		shm_table_recover(s->tenants);
	}
	/* Keys and tenants are a copy of PostgreSQL: not trusted until the syncer reloads. */
	atomic_store(&s->hdr->loaded, 0);
	atomic_store(&s->hdr->db_up, 0);
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

static uint64_t id_hash64(int64_t id)
{
	/* splitmix64 finaliser; tenant ids are ours, not attacker-chosen. */
	uint64_t z = (uint64_t)id + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

bool state_key_find(struct state *s, const unsigned char hash[STATE_KEY_HASH_BYTES],
		    struct state_key *out)
{
	return shm_table_find(s->keys, key_hash64(hash), hash, out);
}

bool state_tenant_find(struct state *s, int64_t id, struct state_tenant *out)
{
	return shm_table_find(s->tenants, id_hash64(id), &id, out);
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
	return shm_table_put(s->tenants, id_hash64(t->id), &t->id, t);
}

bool state_tenant_del(struct state *s, int64_t id)
{
	return shm_table_del(s->tenants, id_hash64(id), &id);
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
}

int64_t state_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
