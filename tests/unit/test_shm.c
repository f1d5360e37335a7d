/* shm: file-backed regions, the hash table's contract, and what other processes see:
 * inserts and deletes across processes, no torn reads under a concurrent writer, and
 * recovery when a writer dies holding the lock. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/shm.h"
#include "fixture.h"

#define CTL 4096 /* bytes before the table: test control block, or a lone mutex */

struct ctl {
	_Atomic int stop;
	_Atomic uint64_t writer_ops;
	_Atomic uint64_t reader_found;
	_Atomic uint64_t reader_missing;
	_Atomic uint64_t reader_bad;
	struct shm_mutex mx;
};

static char dir[256], path[300];

static void setup(void)
{
	fx_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.shm", dir);
}

static void teardown(void)
{
	fx_rmtree(dir);
}

TestSuite(shm, .init = setup, .fini = teardown, .timeout = 15);

static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t region_size(uint32_t cap, uint32_t val_size)
{
	return CTL + shm_table_bytes(cap, sizeof(uint64_t), val_size);
}

/* Maps path (this process's own mapping) and formats the table if the file is new. */
static struct shm_table *open_table(struct shm_region *r, uint32_t cap, uint32_t val_size,
				    bool *created)
{
	struct shm_table *t;
	char msg[256];
	bool c;

	cr_assert_eq(shm_region_open(r, path, region_size(cap, val_size), &c, msg, sizeof(msg)),
		     ERR_OK, "%s", msg);
	t = (struct shm_table *)(void *)((char *)r->base + CTL);
	if (c)
		shm_table_init(t, cap, sizeof(uint64_t), val_size);
	if (created != NULL)
		*created = c;
	return t;
}

static struct ctl *ctl_of(struct shm_region *r)
{
	return r->base;
}

/* Simple tables map key k to 64-bit values; the hash is whatever the test passes. */
static enum err put(struct shm_table *t, uint64_t hash, uint64_t k, uint64_t v)
{
	return shm_table_put(t, hash, &k, &v);
}

static bool find(struct shm_table *t, uint64_t hash, uint64_t k, uint64_t *v)
{
	return shm_table_find(t, hash, &k, v);
}

static bool del(struct shm_table *t, uint64_t hash, uint64_t k)
{
	return shm_table_del(t, hash, &k);
}

/* Waits for pid and returns its exit status, or 1000 + signal if it was killed. */
static int reap(pid_t pid)
{
	int status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 1000 + WTERMSIG(status);
}

Test(shm, region_open_creates_zeroed_file_of_requested_size)
{
	struct shm_region r;
	struct stat st;
	char msg[256];
	bool created = false;
	size_t i;

	cr_assert_eq(shm_region_open(&r, path, 3 * 4096, &created, msg, sizeof(msg)), ERR_OK, "%s",
		     msg);
	cr_assert(created);
	cr_assert_eq(r.size, 3 * 4096);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_size, 3 * 4096);
	for (i = 0; i < r.size; i++)
		cr_assert_eq(((unsigned char *)r.base)[i], 0);
	shm_region_close(&r);
	cr_assert_null(r.base);
	cr_assert_eq(r.fd, -1);
}

Test(shm, region_open_in_missing_folder_fails_with_message)
{
	struct shm_region r;
	char msg[256];
	bool created;

	cr_assert_eq(
	    shm_region_open(&r, "/nonexistent-dir/x.shm", 4096, &created, msg, sizeof(msg)),
	    ERR_SYS);
	cr_assert(strstr(msg, "/nonexistent-dir/x.shm") != NULL, "%s", msg);
}

Test(shm, reopen_with_same_size_keeps_data)
{
	struct shm_region r;
	struct shm_table *t;
	uint64_t v = 0;
	bool created;

	t = open_table(&r, 64, 8, &created);
	cr_assert(created);
	cr_assert_eq(put(t, mix(1), 1, 111), ERR_OK);
	shm_region_sync(&r);
	shm_region_close(&r);

	t = open_table(&r, 64, 8, &created);
	cr_assert_not(created, "same size must reuse the file");
	cr_assert(shm_table_is_shaped(t, 64, 8, 8));
	shm_table_recover(t);
	cr_assert(find(t, mix(1), 1, &v));
	cr_assert_eq(v, 111);
	cr_assert_eq(shm_table_count(t), 1);
	shm_region_close(&r);
}

Test(shm, reopen_with_other_size_starts_from_zero)
{
	struct shm_region r;
	struct shm_table *t;
	bool created;

	t = open_table(&r, 64, 8, &created);
	cr_assert_eq(put(t, mix(1), 1, 111), ERR_OK);
	shm_region_close(&r);
	t = open_table(&r, 128, 8, &created);
	cr_assert(created, "a new size must start over");
	cr_assert(shm_table_is_shaped(t, 128, 8, 8));
	cr_assert_not(find(t, mix(1), 1, NULL));
	shm_region_close(&r);
}

Test(shm, table_shape_rounds_capacity_to_power_of_two)
{
	struct shm_region r;
	struct shm_table *t;

	cr_assert_lt(shm_table_bytes(64, 8, 8), shm_table_bytes(65, 8, 8));
	cr_assert_eq(shm_table_bytes(100, 8, 8), shm_table_bytes(128, 8, 8));
	t = open_table(&r, 100, 8, NULL);
	cr_assert_eq(t->capacity, 128);
	cr_assert(shm_table_is_shaped(t, 100, 8, 8));
	cr_assert(shm_table_is_shaped(t, 128, 8, 8));
	cr_assert_not(shm_table_is_shaped(t, 256, 8, 8));
	cr_assert_not(shm_table_is_shaped(t, 128, 8, 16));
	cr_assert_not(shm_table_is_shaped(t, 128, 16, 8));
	cr_assert_eq((uintptr_t)t->slots % 64, 0);
	shm_region_close(&r);
}

Test(shm, put_then_find_returns_value)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v, k;

	for (k = 0; k < 40; k++)
		cr_assert_eq(put(t, mix(k), k, k * 10), ERR_OK);
	for (k = 0; k < 40; k++) {
		v = 0;
		cr_assert(find(t, mix(k), k, &v), "key %llu", (unsigned long long)k);
		cr_assert_eq(v, k * 10);
	}
	cr_assert(find(t, mix(3), 3, NULL), "find with NULL val");
	cr_assert_eq(shm_table_count(t), 40);
	shm_region_close(&r);
}

Test(shm, find_of_missing_key_is_false_even_with_same_hash)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v = 99;

	cr_assert_not(find(t, 5, 1, &v));
	cr_assert_eq(put(t, 5, 1, 10), ERR_OK);
	cr_assert_not(find(t, 5, 2, &v), "a key with the same hash matched");
	cr_assert_not(find(t, 6, 1, &v), "the hash is part of the match");
	shm_region_close(&r);
}

Test(shm, put_replaces_value_without_growing_count)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v;

	cr_assert_eq(put(t, mix(7), 7, 1), ERR_OK);
	cr_assert_eq(put(t, mix(7), 7, 2), ERR_OK);
	cr_assert(find(t, mix(7), 7, &v));
	cr_assert_eq(v, 2);
	cr_assert_eq(shm_table_count(t), 1);
	shm_region_close(&r);
}

Test(shm, del_removes_only_that_key)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v;

	cr_assert_eq(put(t, mix(1), 1, 10), ERR_OK);
	cr_assert_eq(put(t, mix(2), 2, 20), ERR_OK);
	cr_assert(del(t, mix(1), 1));
	cr_assert_not(del(t, mix(1), 1), "second delete reported success");
	cr_assert_not(del(t, mix(9), 9));
	cr_assert_not(find(t, mix(1), 1, &v));
	cr_assert(find(t, mix(2), 2, &v));
	cr_assert_eq(v, 20);
	cr_assert_eq(shm_table_count(t), 1);
	shm_region_close(&r);
}

Test(shm, put_beyond_three_quarters_is_err_limit)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 16, 8, NULL);
	uint64_t k, v;

	for (k = 0; k < 12; k++)
		cr_assert_eq(put(t, mix(k), k, k), ERR_OK, "insert %llu", (unsigned long long)k);
	cr_assert_eq(put(t, mix(12), 12, 12), ERR_LIMIT);
	cr_assert_not(find(t, mix(12), 12, &v));
	cr_assert_eq(shm_table_count(t), 12);
	/* Updating a present key is not an insert. */
	cr_assert_eq(put(t, mix(3), 3, 333), ERR_OK);
	cr_assert(find(t, mix(3), 3, &v));
	cr_assert_eq(v, 333);
	cr_assert(del(t, mix(0), 0));
	cr_assert_eq(put(t, mix(12), 12, 12), ERR_OK);
	cr_assert_eq(put(t, mix(13), 13, 13), ERR_LIMIT);
	shm_region_close(&r);
}

Test(shm, tombstone_keeps_probe_chain_and_is_reused)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v;

	/* One hash for all: a single probe chain 1, 2, 3. */
	cr_assert_eq(put(t, 5, 1, 10), ERR_OK);
	cr_assert_eq(put(t, 5, 2, 20), ERR_OK);
	cr_assert_eq(put(t, 5, 3, 30), ERR_OK);
	cr_assert(del(t, 5, 2));
	cr_assert_eq(t->tombstones, 1);
	cr_assert(find(t, 5, 3, &v), "a tombstone cut the probe chain");
	cr_assert_eq(v, 30);
	/* Re-inserting an entry further down the chain must not create a duplicate. */
	cr_assert_eq(put(t, 5, 3, 31), ERR_OK);
	cr_assert_eq(shm_table_count(t), 2);
	cr_assert_eq(put(t, 5, 4, 40), ERR_OK);
	cr_assert_eq(t->tombstones, 0, "the tombstone was not reused");
	cr_assert(del(t, 5, 3));
	cr_assert(find(t, 5, 4, &v));
	cr_assert_eq(v, 40);
	cr_assert_not(find(t, 5, 3, &v), "a deleted duplicate is still visible");
	cr_assert_eq(shm_table_count(t), 2);
	shm_region_close(&r);
}

static void rebuild_keeps_entries(uint64_t (*hash)(uint64_t))
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint32_t gen0;
	uint64_t k, v;

	for (k = 0; k < 48; k++)
		cr_assert_eq(put(t, hash(k), k, k + 1000), ERR_OK);
	gen0 = atomic_load(&t->gen);
	for (k = 0; k < 40; k++)
		cr_assert(del(t, hash(k), k));
	cr_assert_neq(atomic_load(&t->gen), gen0, "no rebuild after 40 deletes");
	cr_assert_eq(atomic_load(&t->gen) % 2, 0, "rebuild left the table marked busy");
	cr_assert_leq(t->tombstones, 16);
	for (k = 100; k < 140; k++)
		cr_assert_eq(put(t, hash(k), k, k + 1000), ERR_OK, "insert %llu",
			     (unsigned long long)k);
	for (k = 0; k < 140; k++) {
		bool want = (k >= 40 && k < 48) || k >= 100;

		cr_assert_eq(find(t, hash(k), k, &v), want, "key %llu", (unsigned long long)k);
		if (want)
			cr_assert_eq(v, k + 1000);
	}
	cr_assert_eq(shm_table_count(t), 48);
	shm_region_close(&r);
}

static uint64_t clustered(uint64_t k)
{
	return k % 3;
}

Test(shm, rebuild_after_many_deletes_keeps_every_entry)
{
	rebuild_keeps_entries(mix);
}

Test(shm, rebuild_keeps_every_entry_with_colliding_hashes)
{
	rebuild_keeps_entries(clustered);
}

Test(shm, matches_a_reference_model_under_random_churn)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 32, 8, NULL);
	uint64_t model[48], rng = 12345, v;
	bool present[48] = {false};
	uint32_t n = 0;
	int i;

	for (i = 0; i < 20000; i++) {
		uint64_t k = rng_next(&rng) % 48, h = mix(k) & 7;

		if (rng_next(&rng) % 3 == 0) {
			cr_assert_eq(del(t, h, k), present[k], "op %d del %llu", i,
				     (unsigned long long)k);
			n -= present[k];
			present[k] = false;
		} else {
			enum err rc = put(t, h, k, (uint64_t)i);

			if (!present[k] && n == 24) {
				cr_assert_eq(rc, ERR_LIMIT, "op %d: %u entries of 32", i, n);
				continue;
			}
			cr_assert_eq(rc, ERR_OK, "op %d put %llu", i, (unsigned long long)k);
			n += !present[k];
			present[k] = true;
			model[k] = (uint64_t)i;
		}
		if (i % 64 == 0) {
			uint64_t j;

			for (j = 0; j < 48; j++) {
				cr_assert_eq(find(t, mix(j) & 7, j, &v), present[j],
					     "op %d key %llu", i, (unsigned long long)j);
				if (present[j])
					cr_assert_eq(v, model[j]);
			}
			cr_assert_eq(shm_table_count(t), n);
			cr_assert_eq(t->count + t->tombstones <= 24, true);
		}
	}
	shm_region_close(&r);
}

struct sweep_arg {
	uint64_t limit;
	int calls;
};

static bool keep_small(const void *key, const void *val, void *arg)
{
	struct sweep_arg *a = arg;
	uint64_t k, v;

	memcpy(&k, key, 8);
	memcpy(&v, val, 8);
	a->calls++;
	return v == k * 2 && k < a->limit;
}

Test(shm, sweep_removes_what_keep_rejects)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	struct sweep_arg a = {10, 0};
	uint64_t k, v;

	for (k = 0; k < 40; k++)
		cr_assert_eq(put(t, mix(k), k, k * 2), ERR_OK);
	cr_assert_eq(shm_table_sweep(t, keep_small, &a), 30);
	cr_assert_eq(a.calls, 40);
	cr_assert_eq(shm_table_count(t), 10);
	for (k = 0; k < 40; k++)
		cr_assert_eq(find(t, mix(k), k, &v), k < 10, "key %llu", (unsigned long long)k);
	cr_assert_eq(shm_table_sweep(t, keep_small, &a), 0);
	shm_region_close(&r);
}

/* A child with its own mapping of the file: puts key -> value (or deletes it when
 * value is 0) and exits 0, or 1 on failure. Never returns. */
static void child_writes(uint32_t cap, uint64_t key, uint64_t value)
{
	struct shm_region r;
	struct shm_table *t;
	char msg[256];
	bool created;
	int rc = 0;

	if (shm_region_open(&r, path, region_size(cap, 8), &created, msg, sizeof(msg)) != ERR_OK ||
	    created)
		_exit(1);
	t = (struct shm_table *)(void *)((char *)r.base + CTL);
	if (value != 0)
		rc = put(t, mix(key), key, value) == ERR_OK ? 0 : 2;
	else
		rc = del(t, mix(key), key) ? 0 : 3;
	shm_region_close(&r);
	_exit(rc);
}

Test(shm, find_sees_insert_from_other_process)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v = 0;
	pid_t pid;

	cr_assert_not(find(t, mix(77), 77, &v));
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		child_writes(64, 77, 7777);
	cr_assert_eq(reap(pid), 0);
	cr_assert(find(t, mix(77), 77, &v), "insert by another process not seen");
	cr_assert_eq(v, 7777);
	cr_assert_eq(shm_table_count(t), 1);
	shm_region_close(&r);
}

Test(shm, find_sees_delete_from_other_process)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v;
	pid_t pid;

	cr_assert_eq(put(t, mix(5), 5, 55), ERR_OK);
	cr_assert_eq(put(t, mix(6), 6, 66), ERR_OK);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		child_writes(64, 5, 0);
	cr_assert_eq(reap(pid), 0);
	cr_assert_not(find(t, mix(5), 5, &v), "delete by another process not seen");
	cr_assert(find(t, mix(6), 6, &v));
	cr_assert_eq(shm_table_count(t), 1);
	shm_region_close(&r);
}

Test(shm, update_from_other_process_is_seen)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v;
	pid_t pid;

	cr_assert_eq(put(t, mix(5), 5, 1), ERR_OK);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		child_writes(64, 5, 2);
	cr_assert_eq(reap(pid), 0);
	cr_assert(find(t, mix(5), 5, &v));
	cr_assert_eq(v, 2);
}

/* The concurrent test's values: every word derives from (key, version), so a value made
 * of two writes is detected; 1 KiB so that a copy takes long enough to race with. */
#define NWORDS 126
#define NKEYS  180
#define PINNED 20 /* keys below this are only ever updated, never deleted */

struct cval {
	uint64_t key;
	uint64_t version;
	uint64_t w[NWORDS];
};

static void cval_make(struct cval *v, uint64_t key, uint64_t version)
{
	int i;

	v->key = key;
	v->version = version;
	for (i = 0; i < NWORDS; i++)
		v->w[i] = mix(key * 1000003 + version * 31 + (uint64_t)i);
}

static bool cval_ok(const struct cval *v, uint64_t key)
{
	struct cval want;

	if (v->key != key)
		return false;
	cval_make(&want, key, v->version);
	return memcmp(&want, v, sizeof(want)) == 0;
}

static uint64_t chash(uint64_t k)
{
	return mix(k) & 0x3f; /* few distinct hashes: long probe chains to race over */
}

static int writer_loop(struct shm_table *t, struct ctl *c)
{
	static uint64_t ver[NKEYS];
	static bool present[NKEYS];
	uint64_t rng = 88172645463325252ULL, ops = 0, k;
	struct cval v;

	for (k = 0; k < PINNED; k++)
		present[k] = true; /* put by the test before the writer starts */

	while (!atomic_load(&c->stop)) {
		k = rng_next(&rng) % NKEYS;
		if (k >= PINNED && present[k] && rng_next(&rng) % 4 == 0) {
			if (!shm_table_del(t, chash(k), &k))
				return 2;
			present[k] = false;
		} else {
			enum err rc;

			cval_make(&v, k, ++ver[k]);
			rc = shm_table_put(t, chash(k), &k, &v);
			if (rc == ERR_OK)
				present[k] = true;
			else if (rc != ERR_LIMIT)
				return 3;
		}
		/* The writer's own view must be exact. */
		if (ops % 16 == 0) {
			bool found = shm_table_find(t, chash(k), &k, &v);

			if (found != present[k] ||
			    (found && (!cval_ok(&v, k) || v.version != ver[k])))
				return 4;
		}
		/* Now and then empty everything: enough tombstones to force rebuilds. */
		if (++ops % 2048 == 0)
			for (k = PINNED; k < NKEYS; k++)
				if (present[k]) {
					if (!shm_table_del(t, chash(k), &k))
						return 5;
					present[k] = false;
				}
		if (ops % 256 == 0)
			atomic_store(&c->writer_ops, ops); /* progress, for the test to watch */
	}
	atomic_store(&c->writer_ops, ops);
	return 0;
}

static int reader_loop(struct shm_table *t, struct ctl *c)
{
	uint64_t rng = 0x2545F4914F6CDD1DULL, found = 0, missing = 0, bad = 0, k;
	struct cval v;

	while (!atomic_load(&c->stop)) {
		k = rng_next(&rng) % NKEYS;
		if (shm_table_find(t, chash(k), &k, &v)) {
			found++;
			if (!cval_ok(&v, k))
				bad++;
		} else {
			missing++;
			if (k < PINNED)
				bad++; /* present all along: a lookup that overlapped a change */
		}
		if ((found + missing) % 256 == 0) { /* progress, for the test to watch */
			atomic_store(&c->reader_found, found);
			atomic_store(&c->reader_missing, missing);
		}
	}
	atomic_store(&c->reader_found, found);
	atomic_store(&c->reader_missing, missing);
	atomic_store(&c->reader_bad, bad);
	return bad != 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Enough racing for the checks below to prove something. */
static bool raced_enough(struct ctl *c)
{
	return atomic_load(&c->writer_ops) > 1000 && atomic_load(&c->reader_found) > 1000 &&
	       atomic_load(&c->reader_missing) > 0;
}

Test(shm, readers_never_see_torn_values_while_a_writer_runs)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 256, sizeof(struct cval), NULL);
	struct ctl *c = ctl_of(&r);
	pid_t writer, reader;
	int64_t started;
	struct cval v;
	uint64_t k;
	int ws, rs;

	for (k = 0; k < PINNED; k++) {
		cval_make(&v, k, 0);
		cr_assert_eq(shm_table_put(t, chash(k), &k, &v), ERR_OK);
	}

	writer = fork();
	cr_assert_geq(writer, 0);
	if (writer == 0)
		_exit(writer_loop(t, c));
	reader = fork();
	cr_assert_geq(reader, 0);
	if (reader == 0)
		_exit(reader_loop(t, c));
	/* They race for at least 800 ms, and on until both have done enough: on a busy machine
	 * that takes longer, so the clock sets only the minimum (and a generous 10 s limit). */
	started = mono_ms();
	while (mono_ms() - started < 800 || (!raced_enough(c) && mono_ms() - started < 10000))
		usleep(10 * 1000);
	atomic_store(&c->stop, 1);
	ws = reap(writer);
	rs = reap(reader);
	cr_assert_eq(ws, 0, "writer failed with %d", ws);
	cr_assert_eq(atomic_load(&c->reader_bad), 0, "%llu torn, wrong or missed values",
		     (unsigned long long)atomic_load(&c->reader_bad));
	cr_assert_eq(rs, 0, "reader failed with %d", rs);
	cr_assert_gt(atomic_load(&c->writer_ops), 1000, "the writer barely ran");
	cr_assert_gt(atomic_load(&c->reader_found), 1000,
		     "the reader found too little to prove it");
	cr_assert_gt(atomic_load(&c->reader_missing), 0);
	shm_region_close(&r);
}

Test(shm, mutex_held_by_dead_process_reports_owner_died_once)
{
	struct shm_region r;
	struct ctl *c;
	char msg[256];
	bool created;
	pid_t pid;

	cr_assert_eq(shm_region_open(&r, path, CTL, &created, msg, sizeof(msg)), ERR_OK, "%s", msg);
	c = ctl_of(&r);
	shm_mutex_init(&c->mx);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		shm_mutex_lock(&c->mx);
		_exit(0); /* dies holding it */
	}
	cr_assert_eq(reap(pid), 0);
	cr_assert(shm_mutex_lock(&c->mx), "owner death not reported");
	shm_mutex_unlock(&c->mx);
	cr_assert_not(shm_mutex_lock(&c->mx), "the mutex was not made consistent");
	shm_mutex_unlock(&c->mx);
	shm_region_close(&r);
}

Test(shm, table_works_after_writer_died_holding_lock)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t k, v;
	pid_t pid;

	for (k = 0; k < 10; k++)
		cr_assert_eq(put(t, mix(k), k, k + 100), ERR_OK);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		shm_mutex_lock(&t->lock);
		_exit(0);
	}
	cr_assert_eq(reap(pid), 0);
	cr_assert(find(t, mix(3), 3, &v));
	cr_assert_eq(v, 103);
	cr_assert_eq(put(t, mix(50), 50, 150), ERR_OK, "put after owner death");
	cr_assert(find(t, mix(50), 50, &v));
	cr_assert_eq(v, 150);
	cr_assert(del(t, mix(0), 0));
	cr_assert_eq(shm_table_count(t), 10);
	cr_assert_not(shm_table_take_lost(t), "a clean death must not lose the table");
	shm_region_close(&r);
}

Test(shm, recover_resets_lock_left_by_dead_process)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t v;
	pid_t pid;

	cr_assert_eq(put(t, mix(1), 1, 11), ERR_OK);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		shm_mutex_lock(&t->lock);
		_exit(0);
	}
	cr_assert_eq(reap(pid), 0);
	shm_table_recover(t);
	cr_assert_not(shm_mutex_lock(&t->lock), "recover left the owner-died state");
	shm_mutex_unlock(&t->lock);
	cr_assert_eq(put(t, mix(2), 2, 22), ERR_OK);
	cr_assert(find(t, mix(1), 1, &v));
	cr_assert_eq(v, 11);
	cr_assert_eq(shm_table_count(t), 2);
	shm_region_close(&r);
}

#define KILL_KEYS 40 /* of 48 usable slots: room for one more */

static uint64_t khash(uint64_t k)
{
	return mix(k) & 15;
}

/* Fills the table and empties it again, forever, so that a kill often lands inside a
 * rebuild or a slot write; a key's value is always mix(key), so only a half-made entry
 * (or a wrong key) can look inconsistent. */
static void churn_forever(struct shm_table *t, uint64_t seed)
{
	uint64_t rng = seed | 1, k, v;

	for (;;) {
		uint64_t start = rng_next(&rng) % KILL_KEYS;

		for (k = 0; k < KILL_KEYS; k++) {
			uint64_t key = (start + k) % KILL_KEYS;

			v = mix(key);
			if (shm_table_put(t, khash(key), &key, &v) == ERR_SYS)
				_exit(1);
		}
		for (k = 0; k < KILL_KEYS; k++) {
			uint64_t key = (start + k * 7) % KILL_KEYS;

			(void)shm_table_del(t, khash(key), &key);
		}
	}
}

Test(shm, writer_killed_at_random_points_leaves_consistent_table)
{
	struct shm_region r;
	struct shm_table *t = open_table(&r, 64, 8, NULL);
	uint64_t rng = (uint64_t)time(NULL) * 2654435761u + 1;
	int round;

	for (round = 0; round < 60; round++) {
		uint64_t k, v, extra = 1000 + (uint64_t)round;
		uint32_t found = 0;
		enum err rc;
		pid_t pid = fork();

		cr_assert_geq(pid, 0);
		if (pid == 0)
			churn_forever(t, rng_next(&rng));
		usleep((useconds_t)(100 + rng_next(&rng) % 1000));
		kill(pid, SIGKILL);
		cr_assert_eq(reap(pid), 1000 + SIGKILL);
		/* Readers first: a slot left mid-write must not wedge or mislead them. */
		for (k = 0; k < KILL_KEYS; k++) {
			if (find(t, khash(k), k, &v)) {
				cr_assert_eq(v, mix(k), "round %d: key %llu has a wrong value",
					     round, (unsigned long long)k);
				found++;
			}
		}
		/* Then a writer: takes the lock, and repairs if the child died holding it. */
		rc = put(t, khash(extra), extra, mix(extra));
		cr_assert_eq(rc, ERR_OK, "round %d: put gave %s", round, err_name(rc));
		cr_assert(find(t, khash(extra), extra, &v));
		cr_assert(del(t, khash(extra), extra));
		found = 0;
		for (k = 0; k < KILL_KEYS; k++) {
			if (find(t, khash(k), k, &v)) {
				cr_assert_eq(v, mix(k), "round %d: key %llu after repair", round,
					     (unsigned long long)k);
				found++;
			}
		}
		cr_assert_eq(shm_table_count(t), found, "round %d: count disagrees with finds",
			     round);
		(void)shm_table_take_lost(t);
	}
	shm_region_close(&r);
}
