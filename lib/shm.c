/* File-backed shared memory, robust mutexes and seqlocked hash tables. */
#include "shm.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TABLE_MAGIC 0x746731736874626cULL /* "tg1shtbl" */

enum slot_state { SLOT_EMPTY = 0, SLOT_USED = 1, SLOT_TOMB = 2 };

struct slot {
	_Atomic uint32_t seq;	/* odd while a writer is changing the slot */
	_Atomic uint32_t state; /* enum slot_state */
	uint64_t hash;
	unsigned char data[]; /* key, then value */
};

/* Spins before a reader suspects a dead writer and takes the lock to repair. */
#define SPIN_LIMIT 4096

enum err shm_region_open(struct shm_region *r, const char *path, size_t size, bool *created,
			 char *msg, size_t msglen)
{
	struct stat st;
	int fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	*created = false;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(msg, msglen, "open %s: %s", path, strerror(errno));
		return ERR_SYS;
	}
	if (fstat(fd, &st) < 0)
		goto fail;
	if ((size_t)st.st_size != size) {
		/* Another shape: start from zeros rather than misread old bytes. */
		if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)size) < 0)
			goto fail;
		*created = true;
	}
	r->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		goto fail;
	}
	r->size = size;
	r->fd = fd;
	return ERR_OK;
fail:
	snprintf(msg, msglen, "map %s (%zu bytes): %s", path, size, strerror(errno));
	close(fd);
	return ERR_SYS;
}

void shm_region_sync(struct shm_region *r)
{
	if (r->base != NULL)
		msync(r->base, r->size, MS_ASYNC);
}

void shm_region_close(struct shm_region *r)
{
	if (r->base != NULL)
		munmap(r->base, r->size);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

void shm_mutex_init(struct shm_mutex *mx)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&mx->m, &attr);
	pthread_mutexattr_destroy(&attr);
}

bool shm_mutex_lock(struct shm_mutex *mx)
{
	int rc = pthread_mutex_lock(&mx->m);

	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(&mx->m);
		return true;
	}
	if (rc != 0) {
		/* ENOTRECOVERABLE or worse: the memory is not a usable mutex. */
		fprintf(stderr, "shm: mutex lock failed: %s\n", strerror(rc));
		abort();
	}
	return false;
}

void shm_mutex_unlock(struct shm_mutex *mx)
{
	pthread_mutex_unlock(&mx->m);
}

static uint32_t round_pow2(uint32_t v)
{
	uint32_t p = 8;

	while (p < v && p < (1u << 31))
		p <<= 1;
	return p;
}

static uint32_t slot_bytes(uint32_t key_size, uint32_t val_size)
{
	size_t n = sizeof(struct slot) + key_size + val_size;

	return (uint32_t)((n + 7) & ~(size_t)7);
}

size_t shm_table_bytes(uint32_t capacity, uint32_t key_size, uint32_t val_size)
{
	return sizeof(struct shm_table) +
	       (size_t)round_pow2(capacity) * slot_bytes(key_size, val_size);
}

static struct slot *slot_at(struct shm_table *t, uint32_t i)
{
	return (struct slot *)(void *)(t->slots + (size_t)i * t->slot_size);
}

void shm_table_init(struct shm_table *t, uint32_t capacity, uint32_t key_size, uint32_t val_size)
{
	uint32_t cap = round_pow2(capacity);

	memset(t, 0, shm_table_bytes(cap, key_size, val_size));
	t->capacity = cap;
	t->key_size = key_size;
	t->val_size = val_size;
	t->slot_size = slot_bytes(key_size, val_size);
	shm_mutex_init(&t->lock);
	t->magic = TABLE_MAGIC;
}

bool shm_table_is_shaped(const struct shm_table *t, uint32_t capacity, uint32_t key_size,
			 uint32_t val_size)
{
	return t->magic == TABLE_MAGIC && t->capacity == round_pow2(capacity) &&
	       t->key_size == key_size && t->val_size == val_size &&
	       t->slot_size == slot_bytes(key_size, val_size);
}

/* Makes every seqlock even: a writer that died inside a slot leaves an odd one, and the
 * slot's bytes may be half old, half new. Such a slot cannot be trusted, so it is dropped
 * (made a tombstone) and the table's lost flag tells its owner to refill it. */
static void repair_slots(struct shm_table *t)
{
	uint32_t i;

	for (i = 0; i < t->capacity; i++) {
		struct slot *s = slot_at(t, i);
		uint32_t seq = atomic_load(&s->seq);

		if (seq & 1) {
			atomic_store(&s->state, SLOT_TOMB);
			atomic_store(&s->seq, seq + 1);
			atomic_store(&t->lost, 1);
		}
	}
}

static void recount(struct shm_table *t)
{
	uint32_t i, used = 0, tombs = 0;

	for (i = 0; i < t->capacity; i++) {
		uint32_t st = atomic_load(&slot_at(t, i)->state);

		used += st == SLOT_USED;
		tombs += st == SLOT_TOMB;
	}
	t->count = used;
	t->tombstones = tombs;
}

/* Called with the lock held after EOWNERDEAD (or at recovery). */
static void repair(struct shm_table *t)
{
	uint32_t gen = atomic_load(&t->gen);

	if (gen & 1) {
		/* Died during a rebuild: entries may be anywhere. Empty the table. */
		uint32_t i;

		for (i = 0; i < t->capacity; i++) {
			struct slot *s = slot_at(t, i);

			atomic_store(&s->state, SLOT_EMPTY);
			atomic_store(&s->seq, 0);
		}
		atomic_store(&t->lost, 1);
		atomic_store(&t->gen, gen + 1);
	}
	repair_slots(t);
	recount(t);
}

static void table_lock(struct shm_table *t)
{
	if (shm_mutex_lock(&t->lock))
		repair(t);
}

void shm_table_recover(struct shm_table *t)
{
	shm_mutex_init(&t->lock);
	repair(t);
}

static void cpu_relax(unsigned spins)
{
	if (spins > 64)
		sched_yield();
#if defined(__x86_64__) || defined(__i386__)
	else
		__builtin_ia32_pause();
#endif
}

/* A reader that spun too long takes and drops the lock: if a writer died, the lock's
 * EOWNERDEAD path repairs the table; if a writer is merely slow, we wait for it. */
static void unwedge(struct shm_table *t)
{
	table_lock(t);
	shm_mutex_unlock(&t->lock);
}

static void slot_write_begin(struct slot *s)
{
	atomic_fetch_add_explicit(&s->seq, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
}

static void slot_write_end(struct slot *s)
{
	atomic_fetch_add_explicit(&s->seq, 1, memory_order_release);
}

bool shm_table_find(struct shm_table *t, uint64_t hash, const void *key, void *val)
{
	unsigned spins = 0;

	for (;;) {
		uint32_t gen = atomic_load_explicit(&t->gen, memory_order_acquire);
		uint32_t mask = t->capacity - 1, i = (uint32_t)hash & mask, probes;
		bool found = false, torn = false;

		if (gen & 1) {
			if (++spins > SPIN_LIMIT) {
				unwedge(t);
				spins = 0;
			}
			cpu_relax(spins);
			continue;
		}
		for (probes = 0; probes < t->capacity; probes++, i = (i + 1) & mask) {
			struct slot *s = slot_at(t, i);
			uint32_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);
			uint32_t st = atomic_load_explicit(&s->state, memory_order_relaxed);
			bool match;

			if (seq & 1) {
				torn = true;
				break;
			}
			if (st == SLOT_EMPTY)
				break;
			if (st != SLOT_USED || s->hash != hash)
				continue;
			match = memcmp(s->data, key, t->key_size) == 0;
			if (match && val != NULL)
				memcpy(val, s->data + t->key_size, t->val_size);
			atomic_thread_fence(memory_order_acquire);
			if (atomic_load_explicit(&s->seq, memory_order_relaxed) != seq) {
				torn = true;
				break;
			}
			if (match) {
				found = true;
				break;
			}
		}
		atomic_thread_fence(memory_order_acquire);
		if (!torn && atomic_load_explicit(&t->gen, memory_order_relaxed) == gen)
			return found;
		if (++spins > SPIN_LIMIT) {
			unwedge(t);
			spins = 0;
		}
		cpu_relax(spins);
	}
}

/* Writer-side lookup (lock held): index of the key's slot, or -1; *free_at gets the first
 * reusable slot on the probe path (tombstone or the terminating empty slot), or -1. */
static int64_t locate(struct shm_table *t, uint64_t hash, const void *key, int64_t *free_at)
{
	uint32_t mask = t->capacity - 1, i = (uint32_t)hash & mask, probes;

	*free_at = -1;
	for (probes = 0; probes < t->capacity; probes++, i = (i + 1) & mask) {
		struct slot *s = slot_at(t, i);
		uint32_t st = atomic_load_explicit(&s->state, memory_order_relaxed);

		if (st == SLOT_EMPTY) {
			if (*free_at < 0)
				*free_at = i;
			return -1;
		}
		if (st == SLOT_TOMB) {
			if (*free_at < 0)
				*free_at = i;
			continue;
		}
		if (s->hash == hash && memcmp(s->data, key, t->key_size) == 0)
			return i;
	}
	return -1;
}

/* Writes a new entry into a free slot (lock held). */
static void place(struct shm_table *t, uint32_t i, uint64_t hash, const void *key, const void *val)
{
	struct slot *s = slot_at(t, i);

	slot_write_begin(s);
	if (atomic_load_explicit(&s->state, memory_order_relaxed) == SLOT_TOMB)
		t->tombstones--;
	s->hash = hash;
	memcpy(s->data, key, t->key_size);
	memcpy(s->data + t->key_size, val, t->val_size);
	atomic_store_explicit(&s->state, SLOT_USED, memory_order_relaxed);
	slot_write_end(s);
	t->count++;
}

/* Rebuilds the table without tombstones (lock held). Readers restart via gen. */
static void rebuild(struct shm_table *t)
{
	size_t entry = 8 + (size_t)t->key_size + t->val_size;
	unsigned char *copy = malloc((size_t)t->count * entry + 1), *p;
	uint32_t i, n = 0;

	if (copy == NULL)
		abort();
	for (i = 0; i < t->capacity; i++) {
		struct slot *s = slot_at(t, i);

		if (atomic_load(&s->state) != SLOT_USED)
			continue;
		p = copy + (size_t)n++ * entry;
		memcpy(p, &s->hash, 8);
		memcpy(p + 8, s->data, (size_t)t->key_size + t->val_size);
	}
	atomic_fetch_add_explicit(&t->gen, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	for (i = 0; i < t->capacity; i++)
		atomic_store_explicit(&slot_at(t, i)->state, SLOT_EMPTY, memory_order_relaxed);
	t->count = 0;
	t->tombstones = 0;
	for (i = 0; i < n; i++) {
		uint64_t hash;
		int64_t at;

		p = copy + (size_t)i * entry;
		memcpy(&hash, p, 8);
		(void)locate(t, hash, p + 8, &at);
		place(t, (uint32_t)at, hash, p + 8, p + 8 + t->key_size);
	}
	atomic_fetch_add_explicit(&t->gen, 1, memory_order_release);
	free(copy);
}

enum err shm_table_put(struct shm_table *t, uint64_t hash, const void *key, const void *val)
{
	enum err rc = ERR_OK;
	int64_t at, free_at;

	table_lock(t);
	at = locate(t, hash, key, &free_at);
	if (at >= 0) {
		struct slot *s = slot_at(t, (uint32_t)at);

		slot_write_begin(s);
		memcpy(s->data + t->key_size, val, t->val_size);
		slot_write_end(s);
		goto out;
	}
	if ((uint64_t)(t->count + 1) * 4 > (uint64_t)t->capacity * 3) {
		rc = ERR_LIMIT;
		goto out;
	}
	if ((uint64_t)(t->count + t->tombstones + 1) * 4 > (uint64_t)t->capacity * 3) {
		rebuild(t);
		(void)locate(t, hash, key, &free_at);
	}
	place(t, (uint32_t)free_at, hash, key, val);
out:
	shm_mutex_unlock(&t->lock);
	return rc;
}

static void bury(struct shm_table *t, struct slot *s)
{
	slot_write_begin(s);
	atomic_store_explicit(&s->state, SLOT_TOMB, memory_order_relaxed);
	slot_write_end(s);
	t->count--;
	t->tombstones++;
}

bool shm_table_del(struct shm_table *t, uint64_t hash, const void *key)
{
	int64_t at, free_at;

	table_lock(t);
	at = locate(t, hash, key, &free_at);
	if (at >= 0) {
		bury(t, slot_at(t, (uint32_t)at));
		if (t->tombstones > t->capacity / 4)
			rebuild(t);
	}
	shm_mutex_unlock(&t->lock);
	return at >= 0;
}

size_t shm_table_sweep(struct shm_table *t,
		       bool (*keep)(const void *key, const void *val, void *arg), void *arg)
{
	size_t removed = 0;
	uint32_t i;

	table_lock(t);
	for (i = 0; i < t->capacity; i++) {
		struct slot *s = slot_at(t, i);

		if (atomic_load(&s->state) == SLOT_USED &&
		    !keep(s->data, s->data + t->key_size, arg)) {
			bury(t, s);
			removed++;
		}
	}
	if (t->tombstones > t->capacity / 4)
		rebuild(t);
	shm_mutex_unlock(&t->lock);
	return removed;
}

void shm_table_each(struct shm_table *t, void (*fn)(const void *key, const void *val, void *arg),
		    void *arg)
{
	uint32_t i;

	table_lock(t);
	for (i = 0; i < t->capacity; i++) {
		struct slot *s = slot_at(t, i);

		if (atomic_load(&s->state) == SLOT_USED)
			fn(s->data, s->data + t->key_size, arg);
	}
	shm_mutex_unlock(&t->lock);
}

uint32_t shm_table_count(struct shm_table *t)
{
	uint32_t n;

	table_lock(t);
	n = t->count;
	shm_mutex_unlock(&t->lock);
	return n;
}

bool shm_table_take_lost(struct shm_table *t)
{
	return atomic_exchange(&t->lost, 0) != 0;
}

#define POOL_MAGIC 0x746731706f6f6c73ULL /* "tg1pools" */

struct rec {
	_Atomic uint32_t state; /* SLOT_EMPTY or SLOT_USED */
	uint32_t pad;
	_Atomic uint64_t hash;
	struct shm_mutex lock;
	unsigned char data[] __attribute__((aligned(8))); /* key, then value */
};

static uint32_t rec_bytes(uint32_t key_size, uint32_t val_size)
{
	size_t n = sizeof(struct rec) + ((key_size + 7u) & ~7u) + val_size;

	return (uint32_t)((n + 63) & ~(size_t)63); /* a record per cache line or more */
}

size_t shm_pool_bytes(uint32_t capacity, uint32_t key_size, uint32_t val_size)
{
	return sizeof(struct shm_pool) +
	       (size_t)round_pow2(capacity) * rec_bytes(key_size, val_size);
}

static struct rec *rec_at(struct shm_pool *p, uint32_t i)
{
	return (struct rec *)(void *)(p->recs + (size_t)i * p->rec_size);
}

static unsigned char *rec_val(const struct shm_pool *p, struct rec *r)
{
	return r->data + ((p->key_size + 7u) & ~7u);
}

static struct rec *rec_of_val(const struct shm_pool *p, void *val)
{
	return (struct rec *)(void *)((unsigned char *)val - ((p->key_size + 7u) & ~7u) -
				      offsetof(struct rec, data));
}

void shm_pool_init(struct shm_pool *p, uint32_t capacity, uint32_t key_size, uint32_t val_size)
{
	uint32_t cap = round_pow2(capacity), i;

	memset(p, 0, shm_pool_bytes(cap, key_size, val_size));
	p->capacity = cap;
	p->key_size = key_size;
	p->val_size = val_size;
	p->rec_size = rec_bytes(key_size, val_size);
	p->max_probe = cap < 32 ? cap : 32;
	shm_mutex_init(&p->lock);
	for (i = 0; i < cap; i++)
		shm_mutex_init(&rec_at(p, i)->lock);
	p->magic = POOL_MAGIC;
}

bool shm_pool_is_shaped(const struct shm_pool *p, uint32_t capacity, uint32_t key_size,
			uint32_t val_size)
{
	return p->magic == POOL_MAGIC && p->capacity == round_pow2(capacity) &&
	       p->key_size == key_size && p->val_size == val_size &&
	       p->rec_size == rec_bytes(key_size, val_size);
}

void shm_pool_recover(struct shm_pool *p)
{
	uint32_t i;

	shm_mutex_init(&p->lock);
	for (i = 0; i < p->capacity; i++)
		shm_mutex_init(&rec_at(p, i)->lock);
}

void shm_pool_clear(struct shm_pool *p)
{
	shm_pool_init(p, p->capacity, p->key_size, p->val_size);
}

/* Locks r and checks that it holds key; on a mismatch (reused meanwhile) unlocks it. */
static bool lock_if_holds(struct shm_pool *p, struct rec *r, uint64_t hash, const void *key)
{
	shm_mutex_lock(&r->lock); /* a dead owner left plain values: nothing to repair */
	if (atomic_load(&r->state) == SLOT_USED && atomic_load(&r->hash) == hash &&
	    memcmp(r->data, key, p->key_size) == 0)
		return true;
	shm_mutex_unlock(&r->lock);
	return false;
}

void *shm_pool_lock(struct shm_pool *p, uint64_t hash, const void *key, const void *init,
		    shm_reclaimable_fn reclaimable, void *arg)
{
	uint32_t mask = p->capacity - 1, i, probe;
	struct rec *r, *spot = NULL;
	bool fresh;

	for (probe = 0, i = (uint32_t)hash & mask; probe < p->max_probe;
	     probe++, i = (i + 1) & mask) {
		r = rec_at(p, i);
		if (atomic_load_explicit(&r->state, memory_order_acquire) == SLOT_EMPTY)
			break;
		if (atomic_load_explicit(&r->hash, memory_order_relaxed) == hash &&
		    lock_if_holds(p, r, hash, key))
			return rec_val(p, r);
	}
	if (init == NULL)
		return NULL;

	/* Under the pool lock nobody else inserts or reuses: look again, then take the first
	 * empty or reclaimable record on the path. */
	/* A dead inserter leaves at most one half-written record, whose key won't match. */
	(void)shm_mutex_lock(&p->lock);
	for (probe = 0, i = (uint32_t)hash & mask; probe < p->max_probe;
	     probe++, i = (i + 1) & mask) {
		r = rec_at(p, i);
		if (atomic_load(&r->state) == SLOT_EMPTY) {
			if (spot == NULL)
				spot = r;
			break;
		}
		if (atomic_load(&r->hash) == hash && lock_if_holds(p, r, hash, key)) {
			if (spot != NULL)
				shm_mutex_unlock(&spot->lock);
			shm_mutex_unlock(&p->lock);
			return rec_val(p, r);
		}
		if (spot == NULL && reclaimable != NULL) {
			shm_mutex_lock(&r->lock);
			if (reclaimable(r->data, rec_val(p, r), arg))
				spot = r; /* keep it locked */
			else
				shm_mutex_unlock(&r->lock);
		}
	}
	if (spot == NULL) {
		shm_mutex_unlock(&p->lock);
		return NULL;
	}
	fresh = atomic_load(&spot->state) == SLOT_EMPTY;
	if (fresh)
		shm_mutex_lock(&spot->lock);
	/* Readers compare the hash before locking: change it first, the key under the lock. */
	atomic_store(&spot->hash, hash);
	memcpy(spot->data, key, p->key_size);
	memcpy(rec_val(p, spot), init, p->val_size);
	atomic_store_explicit(&spot->state, SLOT_USED, memory_order_release);
	if (fresh)
		atomic_fetch_add(&p->used, 1);
	shm_mutex_unlock(&p->lock);
	return rec_val(p, spot);
}

void shm_pool_unlock(struct shm_pool *p, void *val)
{
	shm_mutex_unlock(&rec_of_val(p, val)->lock);
}

void shm_pool_each(struct shm_pool *p, void (*fn)(const void *key, void *val, void *arg), void *arg)
{
	uint32_t i;

	for (i = 0; i < p->capacity; i++) {
		struct rec *r = rec_at(p, i);

		if (atomic_load(&r->state) != SLOT_USED)
			continue;
		shm_mutex_lock(&r->lock);
		fn(r->data, rec_val(p, r), arg);
		shm_mutex_unlock(&r->lock);
	}
}

uint32_t shm_pool_used(struct shm_pool *p)
{
	return atomic_load(&p->used);
}
