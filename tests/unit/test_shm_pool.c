/* shm pools: records created locked and found again, never moving, reused only when the
 * caller says they are idle, bounded probing, and what several processes see: no lost
 * updates under a record's lock, no duplicate records from concurrent inserts, and no
 * wedge when a process dies holding a lock. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/shm.h"
#include "fixture.h"

#define CTL 4096 /* bytes before the pool: the test's control block */

/* What the tests keep in a record. */
struct val {
	int64_t counter;
	int64_t idle; /* the reclaimable test below says yes when set */
};

struct ctl {
	_Atomic int trying;	  /* set by a child just before it asks for a record */
	_Atomic int locked;	  /* set by a child once it holds a record */
	_Atomic uint64_t arrived; /* children at a barrier, over all its steps */
};

static char dir[256], path[300];

static void setup(void)
{
	fx_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/p.shm", dir);
}

static void teardown(void)
{
	fx_rmtree(dir);
}

TestSuite(shm_pool, .init = setup, .fini = teardown, .timeout = 20);

static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Maps a new file holding a control block and an empty pool of uint64_t keys. Children
 * forked afterwards share the mapping. */
static struct shm_pool *open_pool(struct shm_region *r, uint32_t cap)
{
	struct shm_pool *p;
	char msg[256];
	bool created;

	cr_assert_eq(shm_region_open(
			 r, path, CTL + shm_pool_bytes(cap, sizeof(uint64_t), sizeof(struct val)),
			 &created, msg, sizeof(msg)),
		     ERR_OK, "%s", msg);
	cr_assert(created);
	p = (struct shm_pool *)(void *)((char *)r->base + CTL);
	shm_pool_init(p, cap, sizeof(uint64_t), sizeof(struct val));
	cr_assert(shm_pool_is_shaped(p, cap, sizeof(uint64_t), sizeof(struct val)));
	return p;
}

static struct ctl *ctl_of(struct shm_region *r)
{
	return (struct ctl *)r->base;
}

static struct val *lock_key(struct shm_pool *p, uint64_t hash, uint64_t key, const struct val *init)
{
	return shm_pool_lock(p, hash, &key, init, NULL, NULL);
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		cr_assert_eq(errno, EINTR);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Waits until the child has asked for a record (c->trying) and then sleeps in futex(2),
 * i.e. waits for a mutex: the child does nothing else that can sleep, so from then on it
 * is waiting for the record's lock. Watches state, not the clock: false only when that
 * takes longer than a generous 10 s (/proc/PID/syscall starts with the number of the call a
 * blocked process is in, or says "running"), or at once when the child took the record. */
static bool waits_for_lock(struct ctl *c, pid_t pid)
{
	time_t give_up = time(NULL) + 10;
	char file[64];

	snprintf(file, sizeof(file), "/proc/%d/syscall", (int)pid);
	while (time(NULL) <= give_up) {
		long nr = -1;
		FILE *f;

		if (atomic_load(&c->locked))
			return false; /* it got the record: it never had to wait */
		if (atomic_load(&c->trying) && (f = fopen(file, "r")) != NULL) {
			if (fscanf(f, "%ld", &nr) != 1)
				nr = -1;
			fclose(f);
			if (nr == SYS_futex)
				return true;
		}
		sleep_ms(1);
	}
	return false;
}

static bool idle_record(const void *key, const void *val, void *arg)
{
	const struct val *v = val;
	int *calls = arg;

	(void)key;
	if (calls != NULL)
		(*calls)++;
	return v->idle != 0;
}

Test(shm_pool, lock_with_init_creates_a_locked_record_that_lookup_finds_again)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 64);
	struct val init = {7, 0}, other = {99, 0}, *v, *again;
	uint64_t key = 1;
	pid_t pid;

	cr_assert_eq(shm_pool_used(p), 0);
	cr_assert_null(lock_key(p, mix(1), 1, NULL), "lookup without init invented a record");
	cr_assert_eq(shm_pool_used(p), 0);

	v = lock_key(p, mix(1), 1, &init);
	cr_assert_not_null(v);
	cr_assert_eq(v->counter, 7);
	cr_assert_eq(shm_pool_used(p), 1);

	/* Returned locked: another process that wants it waits until we let go. */
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct val *cv;

		atomic_store(&ctl_of(&r)->trying, 1);
		cv = shm_pool_lock(p, mix(1), &key, NULL, NULL, NULL);
		if (cv == NULL)
			_exit(1);
		atomic_store(&ctl_of(&r)->locked, 1);
		cv->counter++;
		shm_pool_unlock(p, cv);
		_exit(0);
	}
	/* Not a pause that hopes the child got there: it is seen asleep on the mutex. */
	cr_assert(waits_for_lock(ctl_of(&r), pid),
		  "the child never blocked on the record (trying %d, locked %d)",
		  atomic_load(&ctl_of(&r)->trying), atomic_load(&ctl_of(&r)->locked));
	cr_assert_eq(atomic_load(&ctl_of(&r)->locked), 0, "the record was not returned locked");
	shm_pool_unlock(p, v);
	cr_assert_eq(reap(pid), 0);
	cr_assert_eq(atomic_load(&ctl_of(&r)->locked), 1);

	again = lock_key(p, mix(1), 1, NULL);
	cr_assert_eq(again, v, "a lookup found another record");
	cr_assert_eq(again->counter, 8);
	shm_pool_unlock(p, again);
	/* With init, an existing record is returned as it is, not re-initialised. */
	again = lock_key(p, mix(1), 1, &other);
	cr_assert_eq(again, v);
	cr_assert_eq(again->counter, 8);
	shm_pool_unlock(p, again);
	cr_assert_eq(shm_pool_used(p), 1);

	/* Same hash, other key: absent. */
	cr_assert_null(lock_key(p, mix(1), 2, NULL));
	again = lock_key(p, mix(1), 2, &other);
	cr_assert_not_null(again);
	cr_assert_neq(again, v);
	cr_assert_eq(again->counter, 99);
	shm_pool_unlock(p, again);
	cr_assert_eq(shm_pool_used(p), 2);
	shm_region_close(&r);
}

#define MOVE_KEYS 600

/* Keys 0, 8, .., 88 share a hash: a chain of 12 grows among the others. */
static uint64_t move_hash(uint64_t k)
{
	return k % 8 == 0 && k < 96 ? mix(0) : mix(k);
}

Test(shm_pool, records_never_move_while_others_are_inserted)
{
	static struct val *where[MOVE_KEYS];
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 2048);
	struct val init = {0, 0}, *v;
	uint64_t k, j;

	for (k = 0; k < MOVE_KEYS; k++) {
		uint64_t h = move_hash(k);

		v = lock_key(p, h, k, &init);
		cr_assert_not_null(v, "key %llu found no room", (unsigned long long)k);
		v->counter = (int64_t)k + 1000;
		where[k] = v;
		shm_pool_unlock(p, v);
		for (j = 0; j <= k; j += 37) {
			v = lock_key(p, move_hash(j), j, NULL);
			cr_assert_eq(v, where[j], "key %llu moved after inserting %llu",
				     (unsigned long long)j, (unsigned long long)k);
			shm_pool_unlock(p, v);
		}
	}
	for (k = 0; k < MOVE_KEYS; k++) {
		v = lock_key(p, move_hash(k), k, NULL);
		cr_assert_eq(v, where[k], "key %llu moved", (unsigned long long)k);
		cr_assert_eq(v->counter, (int64_t)k + 1000);
		shm_pool_unlock(p, v);
	}
	cr_assert_eq(shm_pool_used(p), MOVE_KEYS);
	shm_region_close(&r);
}

Test(shm_pool, new_key_reuses_an_idle_record_on_its_probe_path_but_never_a_busy_one)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 64);
	struct val init = {5, 0}, fresh = {1, 0}, *a, *b, *c, *d, *e, *v;
	const uint64_t h = 3; /* home 3, crafted: every key below shares it */
	uint64_t key;
	int calls = 0;

	a = lock_key(p, h, 100, &init);
	cr_assert_not_null(a);
	shm_pool_unlock(p, a);
	b = lock_key(p, h, 101, &init);
	cr_assert_not_null(b);
	b->counter = 55;
	shm_pool_unlock(p, b);
	cr_assert_eq(shm_pool_used(p), 2);

	/* Nothing is idle: a new key takes a new record, whatever the callback is asked. */
	key = 102;
	c = shm_pool_lock(p, h, &key, &fresh, idle_record, &calls);
	cr_assert_not_null(c);
	cr_assert(c != a && c != b);
	cr_assert_gt(calls, 0, "the reclaimable test was never asked");
	shm_pool_unlock(p, c);
	cr_assert_eq(shm_pool_used(p), 3);

	/* a goes idle: the next new key on its path takes a's record instead of a new one. */
	v = lock_key(p, h, 100, NULL);
	cr_assert_eq(v, a);
	v->idle = 1;
	shm_pool_unlock(p, v);
	key = 103;
	d = shm_pool_lock(p, h, &key, &fresh, idle_record, NULL);
	cr_assert_eq(d, a, "the idle record on the probe path was not reused");
	cr_assert_eq(d->counter, 1, "a reused record must start from init");
	cr_assert_eq(d->idle, 0);
	shm_pool_unlock(p, d);
	cr_assert_eq(shm_pool_used(p), 3);
	cr_assert_null(lock_key(p, h, 100, NULL), "the reclaimed key is still found");
	v = lock_key(p, h, 101, NULL);
	cr_assert_eq(v, b);
	cr_assert_eq(v->counter, 55, "a busy record was touched");
	shm_pool_unlock(p, v);
	v = lock_key(p, h, 103, NULL);
	cr_assert_eq(v, a);
	shm_pool_unlock(p, v);

	/* Without a reclaimable test, an idle record stays with its key. */
	v = lock_key(p, h, 101, NULL);
	v->idle = 1;
	shm_pool_unlock(p, v);
	e = lock_key(p, h, 104, &fresh);
	cr_assert_not_null(e);
	cr_assert(e != a && e != b && e != c);
	shm_pool_unlock(p, e);
	cr_assert_eq(shm_pool_used(p), 4);
	v = lock_key(p, h, 101, NULL);
	cr_assert_eq(v, b);
	shm_pool_unlock(p, v);

	/* An idle record off the key's probe path is not reused either. */
	key = 200;
	v = shm_pool_lock(p, 40, &key, &fresh, idle_record, NULL);
	cr_assert_not_null(v);
	cr_assert(v != b, "a record outside the probe path was reused");
	shm_pool_unlock(p, v);
	cr_assert_eq(shm_pool_used(p), 5);
	shm_region_close(&r);
}

Test(shm_pool, no_room_within_max_probe_of_home_returns_null)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 64);
	struct val init = {0, 0}, *v;
	uint64_t k, key;

	cr_assert_eq(p->max_probe, 32);
	/* 32 keys whose hashes differ but whose home is slot 0 fill slots 0..31. */
	for (k = 0; k < 32; k++) {
		v = lock_key(p, k << 32, k, &init);
		cr_assert_not_null(v, "key %llu", (unsigned long long)k);
		shm_pool_unlock(p, v);
	}
	cr_assert_eq(shm_pool_used(p), 32);
	cr_assert_null(lock_key(p, 99ULL << 32, 99, &init), "a record beyond max_probe was made");
	cr_assert_null(lock_key(p, 99ULL << 32, 99, NULL));
	key = 99;
	cr_assert_null(shm_pool_lock(p, 99ULL << 32, &key, &init, idle_record, NULL),
		       "a busy record was reclaimed");
	cr_assert_eq(shm_pool_used(p), 32, "a failed insert changed the count");
	for (k = 0; k < 32; k++) {
		v = lock_key(p, k << 32, k, NULL);
		cr_assert_not_null(v, "key %llu lost", (unsigned long long)k);
		shm_pool_unlock(p, v);
	}

	/* Home 1 reaches slot 32, just inside its window. */
	v = lock_key(p, 1, 500, &init);
	cr_assert_not_null(v);
	shm_pool_unlock(p, v);

	/* Once one is idle, the caller's test lets the key in. */
	v = lock_key(p, 7ULL << 32, 7, NULL);
	v->idle = 1;
	shm_pool_unlock(p, v);
	v = shm_pool_lock(p, 99ULL << 32, &key, &init, idle_record, NULL);
	cr_assert_not_null(v);
	shm_pool_unlock(p, v);
	cr_assert_eq(shm_pool_used(p), 33);
	shm_region_close(&r);
}

Test(shm_pool, small_pool_full_of_colliding_keys_refuses_another)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 32);
	struct val init = {0, 0}, *v;
	uint64_t k;

	for (k = 0; k < 32; k++) {
		v = lock_key(p, 5, k, &init); /* one hash for all */
		cr_assert_not_null(v, "key %llu", (unsigned long long)k);
		shm_pool_unlock(p, v);
	}
	cr_assert_null(lock_key(p, 5, 32, &init));
	cr_assert_null(lock_key(p, 17, 33, &init));
	cr_assert_eq(shm_pool_used(p), 32);
	shm_region_close(&r);
}

#define NCHILD	   4
#define INCREMENTS 10000

Test(shm_pool, increments_from_many_processes_under_the_record_lock_are_never_lost)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 64);
	struct val init = {0, 0}, *v;
	pid_t pids[NCHILD];
	int i;

	for (i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		cr_assert_geq(pids[i], 0);
		if (pids[i] == 0) {
			int n;

			for (n = 0; n < INCREMENTS; n++) {
				volatile int64_t *c;
				int64_t was;

				v = lock_key(p, mix(42), 42, &init);
				if (v == NULL)
					_exit(1);
				/* A read, a yield now and then, a write: lost without the lock. */
				c = &v->counter;
				was = *c;
				if (n % 512 == 0)
					sched_yield();
				*c = was + 1;
				shm_pool_unlock(p, v);
			}
			_exit(0);
		}
	}
	for (i = 0; i < NCHILD; i++)
		cr_assert_eq(reap(pids[i]), 0, "child %d failed", i);
	v = lock_key(p, mix(42), 42, NULL);
	cr_assert_not_null(v);
	cr_assert_eq(v->counter, (int64_t)NCHILD * INCREMENTS, "%lld increments, want %d",
		     (long long)v->counter, NCHILD * INCREMENTS);
	shm_pool_unlock(p, v);
	cr_assert_eq(shm_pool_used(p), 1, "concurrent creators made more than one record");
	shm_region_close(&r);
}

#define SPAN	  600 /* keys each child creates */
#define STRIDE	  100 /* child i covers keys i * STRIDE .. + SPAN */
#define ROUNDS	  2
#define ALL_KEYS  ((NCHILD - 1) * STRIDE + SPAN)
#define SAME_HASH 450 /* keys k and k + 450 share a hash: the key compare matters */

static uint64_t overlap_hash(uint64_t k)
{
	return mix(k % SAME_HASH);
}

struct census {
	int seen[ALL_KEYS];
	int64_t counter[ALL_KEYS];
	int strays;
};

static void count_record(const void *key, void *val, void *arg)
{
	struct census *c = arg;
	const struct val *v = val;
	uint64_t k;

	memcpy(&k, key, sizeof(k));
	if (k >= ALL_KEYS) {
		c->strays++;
		return;
	}
	c->seen[k]++;
	c->counter[k] = v->counter;
}

/* How many children's ranges cover key k. */
static int64_t coverage(uint64_t k)
{
	int64_t n = 0;
	int i;

	for (i = 0; i < NCHILD; i++)
		n += k >= (uint64_t)i * STRIDE && k < (uint64_t)i * STRIDE + SPAN;
	return n;
}

/* Waits until every child has passed step (each passes each step once); false when that
 * takes so long that a sibling must be dead. */
static bool barrier(struct ctl *c, uint64_t step, time_t give_up)
{
	atomic_fetch_add(&c->arrived, 1);
	while (atomic_load(&c->arrived) < (step + 1) * NCHILD) {
		if (time(NULL) > give_up)
			return false;
		sched_yield();
	}
	return true;
}

/* Child i's part: in the first round all children step through the keys together, so that
 * those whose ranges share a key race to create it; later rounds only count. */
static void create_overlapping(struct shm_pool *p, struct ctl *c, int i)
{
	time_t give_up = time(NULL) + 10;
	uint64_t first = (uint64_t)i * STRIDE, key;
	struct val init = {0, 0};
	int round;

	for (round = 0; round < ROUNDS; round++) {
		for (key = 0; key < ALL_KEYS; key++) {
			struct val *v;

			if (key >= first && key < first + SPAN) {
				v = shm_pool_lock(p, overlap_hash(key), &key, &init, NULL, NULL);
				if (v == NULL)
					_exit(1);
				v->counter++;
				shm_pool_unlock(p, v);
			}
			if (round == 0 && !barrier(c, key, give_up))
				_exit(2);
		}
	}
	_exit(0);
}

Test(shm_pool, concurrent_creators_of_overlapping_keys_make_each_record_once)
{
	static struct census c;
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 4096);
	pid_t pids[NCHILD];
	uint64_t k;
	int i;

	for (i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		cr_assert_geq(pids[i], 0);
		if (pids[i] == 0)
			create_overlapping(p, ctl_of(&r), i);
	}
	for (i = 0; i < NCHILD; i++)
		cr_assert_eq(reap(pids[i]), 0, "child %d failed (1: no room, 2: stuck)", i);

	shm_pool_each(p, count_record, &c);
	cr_assert_eq(c.strays, 0);
	for (k = 0; k < ALL_KEYS; k++) {
		cr_assert_eq(c.seen[k], 1, "key %llu has %d records", (unsigned long long)k,
			     c.seen[k]);
		cr_assert_eq(c.counter[k], coverage(k) * ROUNDS, "key %llu counted %lld",
			     (unsigned long long)k, (long long)c.counter[k]);
	}
	cr_assert_eq(shm_pool_used(p), ALL_KEYS);
	shm_region_close(&r);
}

Test(shm_pool, process_dying_with_a_record_locked_does_not_wedge_the_next_locker)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 64);
	struct val init = {10, 0}, *v, *first;
	pid_t pid;

	first = lock_key(p, mix(9), 9, &init);
	cr_assert_not_null(first);
	shm_pool_unlock(p, first);

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct val *cv = lock_key(p, mix(9), 9, NULL);

		if (cv == NULL)
			_exit(1);
		cv->counter = 11;
		_exit(0); /* dies holding it */
	}
	cr_assert_eq(reap(pid), 0);

	v = lock_key(p, mix(9), 9, NULL);
	cr_assert_eq(v, first, "the record held by a dead process was not found");
	cr_assert_eq(v->counter, 11);
	shm_pool_unlock(p, v);
	v = lock_key(p, mix(9), 9, &init);
	cr_assert_eq(v, first, "the mutex was left unusable");
	shm_pool_unlock(p, v);
	cr_assert_eq(shm_pool_used(p), 1);
	shm_region_close(&r);
}

Test(shm_pool, process_dying_with_the_pool_locked_does_not_block_inserts)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 64);
	struct val init = {3, 0}, *v;
	pid_t pid;

	v = lock_key(p, mix(1), 1, &init);
	shm_pool_unlock(p, v);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		(void)shm_mutex_lock(&p->lock);
		_exit(0);
	}
	cr_assert_eq(reap(pid), 0);
	v = lock_key(p, mix(2), 2, &init);
	cr_assert_not_null(v, "insert after the pool lock's owner died");
	cr_assert_eq(v->counter, 3);
	shm_pool_unlock(p, v);
	v = lock_key(p, mix(1), 1, NULL);
	cr_assert_not_null(v);
	shm_pool_unlock(p, v);
	cr_assert_eq(shm_pool_used(p), 2);
	shm_region_close(&r);
}

#define EACH_KEYS 100

struct visits {
	int seen[EACH_KEYS];
	int total;
	int wrong;
};

static void visit(const void *key, void *val, void *arg)
{
	struct visits *vs = arg;
	const struct val *v = val;
	uint64_t k;

	memcpy(&k, key, sizeof(k));
	vs->total++;
	if (k >= EACH_KEYS || v->counter != (int64_t)k * 3) {
		vs->wrong++;
		return;
	}
	vs->seen[k]++;
}

Test(shm_pool, each_visits_every_record_once_and_clear_empties_the_pool)
{
	struct shm_region r;
	struct shm_pool *p = open_pool(&r, 256);
	struct visits vs;
	struct val init = {0, 0}, *v;
	uint64_t k;

	memset(&vs, 0, sizeof(vs));
	shm_pool_each(p, visit, &vs);
	cr_assert_eq(vs.total, 0);
	for (k = 0; k < EACH_KEYS; k++) {
		v = lock_key(p, k % 10 == 0 ? 77 : mix(k), k, &init);
		cr_assert_not_null(v);
		v->counter = (int64_t)k * 3;
		shm_pool_unlock(p, v);
	}
	shm_pool_each(p, visit, &vs);
	cr_assert_eq(vs.total, EACH_KEYS);
	cr_assert_eq(vs.wrong, 0);
	for (k = 0; k < EACH_KEYS; k++)
		cr_assert_eq(vs.seen[k], 1, "key %llu visited %d times", (unsigned long long)k,
			     vs.seen[k]);

	shm_pool_clear(p);
	cr_assert_eq(shm_pool_used(p), 0);
	memset(&vs, 0, sizeof(vs));
	shm_pool_each(p, visit, &vs);
	cr_assert_eq(vs.total, 0, "clear left %d records", vs.total);
	for (k = 0; k < EACH_KEYS; k++)
		cr_assert_null(lock_key(p, k % 10 == 0 ? 77 : mix(k), k, NULL));
	v = lock_key(p, mix(5), 5, &init);
	cr_assert_not_null(v, "a cleared pool takes new records");
	shm_pool_unlock(p, v);
	cr_assert_eq(shm_pool_used(p), 1);
	shm_region_close(&r);
}
