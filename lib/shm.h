/* Shared memory that survives the processes using it: a file-backed mapping, robust
 * process-shared mutexes, and fixed-size hash tables with lock-free readers.
 *
 * Tables: open addressing with linear probing over slots of (hash, key, value). Writers
 * take the table's robust mutex; readers take no lock and copy a slot under its seqlock,
 * retrying while a writer is inside it. Deleting leaves a tombstone; when tombstones pass
 * a quarter of the table, the writer rebuilds it in place under the table generation
 * counter, which readers check to restart a lookup that overlapped the rebuild.
 * A writer that dies inside the mutex is detected (EOWNERDEAD) by the next locker, which
 * drops the slot the writer was changing (or, if the death interrupted a rebuild, empties
 * the table) and raises the table's `lost` flag so its owner can refill it.
 * Hashes are supplied by the caller (keyed when keys come from outside, to resist
 * flooding). */
#ifndef LIB_SHM_H
#define LIB_SHM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct shm_region {
	void *base;
	size_t size;
	int fd;
};

/* Maps the file at path with the given size, creating it if needed. *created is true when
 * the file is new or had another size (its contents are then all zero). */
enum err shm_region_open(struct shm_region *r, const char *path, size_t size, bool *created,
			 char *msg, size_t msglen) WUR;
/* Writes dirty pages back to the file (msync). */
void shm_region_sync(struct shm_region *r);
void shm_region_close(struct shm_region *r);

struct shm_mutex {
	pthread_mutex_t m;
};

void shm_mutex_init(struct shm_mutex *mx);
/* Locks; returns true when the previous owner died holding it (the caller repairs what
 * the lock guards; the mutex is already marked consistent). */
bool shm_mutex_lock(struct shm_mutex *mx);
void shm_mutex_unlock(struct shm_mutex *mx);

struct shm_table {
	uint64_t magic;
	uint32_t capacity; /* slots, a power of two */
	uint32_t key_size;
	uint32_t val_size;
	uint32_t slot_size;
	uint32_t count;	       /* live entries (writers only) */
	uint32_t tombstones;   /* (writers only) */
	_Atomic uint32_t gen;  /* odd while a rebuild is under way */
	_Atomic uint32_t lost; /* set when a repair had to empty the table */
	struct shm_mutex lock;
	unsigned char slots[] __attribute__((aligned(64)));
};

/* Bytes a table of this shape needs (capacity rounded up to a power of two). */
size_t shm_table_bytes(uint32_t capacity, uint32_t key_size, uint32_t val_size);
/* Formats memory (at least shm_table_bytes()) as an empty table. */
void shm_table_init(struct shm_table *t, uint32_t capacity, uint32_t key_size, uint32_t val_size);
/* True if the memory already holds a table of exactly this shape. */
bool shm_table_is_shaped(const struct shm_table *t, uint32_t capacity, uint32_t key_size,
			 uint32_t val_size);
/* Resets every lock and seqlock after all users are known to be gone (process start). */
void shm_table_recover(struct shm_table *t);

/* Lock-free lookup; copies the value into val (if not NULL) and returns true if found. */
bool shm_table_find(struct shm_table *t, uint64_t hash, const void *key, void *val);
/* Inserts or replaces. ERR_LIMIT when the table is full (no more than 3/4 may be used). */
enum err shm_table_put(struct shm_table *t, uint64_t hash, const void *key, const void *val) WUR;
/* Removes; returns true if the key was there. */
bool shm_table_del(struct shm_table *t, uint64_t hash, const void *key);
/* Removes every entry for which keep() returns false; returns how many were removed. */
size_t shm_table_sweep(struct shm_table *t,
		       bool (*keep)(const void *key, const void *val, void *arg), void *arg);
uint32_t shm_table_count(struct shm_table *t);
/* Calls fn on every entry, under the writers' lock (readers go on; writers wait). */
void shm_table_each(struct shm_table *t, void (*fn)(const void *key, const void *val, void *arg),
		    void *arg);
/* Returns and clears the lost flag. */
bool shm_table_take_lost(struct shm_table *t);

/* Pools: fixed records that never move, for state updated in place (rate-limit arrival
 * times, counters). A lookup probes without a lock and returns the record's value locked
 * with the record's own robust mutex; the caller updates it and unlocks. Inserts, and
 * reuse of a record that the caller's `reclaimable` test says carries no state any more,
 * happen under the pool mutex (always taken before a record's, never after). Records are
 * never emptied, only reused, so probe chains never break; a key lives within max_probe
 * slots of its home, so a lookup is bounded. */
struct shm_pool {
	uint64_t magic;
	uint32_t capacity; /* records, a power of two */
	uint32_t key_size;
	uint32_t val_size;
	uint32_t rec_size;
	uint32_t max_probe;
	_Atomic uint32_t used;
	struct shm_mutex lock;
	unsigned char recs[] __attribute__((aligned(64)));
};

/* Decides whether a record may be reused for another key: it must carry nothing that
 * would be lost (unflushed counts) or change a future decision. Called with it locked. */
typedef bool (*shm_reclaimable_fn)(const void *key, const void *val, void *arg);

size_t shm_pool_bytes(uint32_t capacity, uint32_t key_size, uint32_t val_size);
void shm_pool_init(struct shm_pool *p, uint32_t capacity, uint32_t key_size, uint32_t val_size);
bool shm_pool_is_shaped(const struct shm_pool *p, uint32_t capacity, uint32_t key_size,
			uint32_t val_size);
/* Resets every mutex after all users are known to be gone (process start). */
void shm_pool_recover(struct shm_pool *p);
/* Forgets every record (process start, for state that need not survive a restart). */
void shm_pool_clear(struct shm_pool *p);

/* The value of key's record, locked; NULL if there is none. With init != NULL a missing
 * record is created from init (reusing a reclaimable one on the probe path first when
 * reclaimable != NULL); NULL then means no room within max_probe slots of the key's home.
 * Unlock with shm_pool_unlock(). */
void *shm_pool_lock(struct shm_pool *p, uint64_t hash, const void *key, const void *init,
		    shm_reclaimable_fn reclaimable, void *arg);
void shm_pool_unlock(struct shm_pool *p, void *val);
/* Calls fn on every record, each locked while fn runs. */
void shm_pool_each(struct shm_pool *p, void (*fn)(const void *key, void *val, void *arg),
		   void *arg);
uint32_t shm_pool_used(struct shm_pool *p);

#endif
