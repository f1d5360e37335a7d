/* Shared-memory usage -> PostgreSQL; cluster usage -> the quota. */
#include "flusher.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/buf.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../state/state.h"
#include "samples.h"

#define BATCH_MAX 2000 /* (key, hour) records per transaction */

struct entry {
	struct state_usage_key key;
	int64_t tenant_id;
	int64_t count[USAGE__MAX];
	int64_t flushed[USAGE__MAX];
};

struct flusher {
	struct app *app;
	struct state *st;
	struct sql *db;
	bool down_logged;
	int64_t partitions_hour; /* business-clock hour of the last partition check */
	struct entry *batch;
	size_t n;
	bool more; /* records were left out of the batch for lack of room */
};

static void collect(const void *key, void *val, void *arg)
{
	struct flusher *f = arg;
	const struct state_usage *u = val;
	struct entry *e;
	int i;

	for (i = 0; i < USAGE__MAX; i++)
		if (u->count[i] != u->flushed[i])
			break;
	if (i == USAGE__MAX)
		return;
	if (f->n == BATCH_MAX) {
		f->more = true;
		return;
	}
	e = &f->batch[f->n++];
	memcpy(&e->key, key, sizeof(e->key));
	e->tenant_id = u->tenant_id;
	memcpy(e->count, u->count, sizeof(e->count));
	memcpy(e->flushed, u->flushed, sizeof(e->flushed));
}

/* Appends the PostgreSQL array literal of one column of the batch. */
static void array_of(struct buf *b, const struct flusher *f, int col)
{
	size_t i;

	buf_putc(b, '{');
	for (i = 0; i < f->n; i++) {
		const struct entry *e = &f->batch[i];

		if (i > 0)
			buf_putc(b, ',');
		if (col == -1)
			buf_printf(b, "%lld", (long long)e->key.key_id);
		else if (col == -2)
			buf_printf(b, "%lld", (long long)e->tenant_id);
		else if (col == -3) {
			time_t t = (time_t)(e->key.hour * 3600);
			struct tm tm;
			char ts[40];

			gmtime_r(&t, &tm);
			strftime(ts, sizeof(ts), "\"%Y-%m-%d %H:00:00+00\"", &tm);
			buf_puts(b, ts);
		} else
			buf_printf(b, "%lld", (long long)e->count[col]);
	}
	buf_putc(b, '}');
}

static void disconnect(struct flusher *f, const char *why)
{
	if (f->db != NULL)
		log_warnx("flush failed (%s): %s; usage stays in shared memory and is retried", why,
			  sql_errmsg(f->db));
	sql_free(f->db);
	f->db = NULL;
	atomic_store(&f->st->hdr->flush_ok, 0);
}

static bool connect_db(struct flusher *f)
{
	char msg[512];

	if (sql_connect(f->app->cfg->database_url, &f->db, msg, sizeof(msg)) != ERR_OK) {
		if (!f->down_logged)
			log_warnx("cannot reach PostgreSQL: %s; counting goes on in memory", msg);
		f->down_logged = true;
		atomic_store(&f->st->hdr->flush_ok, 0);
		return false;
	}
	if (f->down_logged)
		log_info("PostgreSQL is back; flushing what was counted meanwhile");
	f->down_logged = false;
	return true;
}

/* Keeps a monthly partition of usage_hourly ready for this month and the next. */
static void oldest_unflushed(const void *key, void *val, void *arg)
{
	const struct state_usage_key *k = key;
	const struct state_usage *u = val;
	int64_t *oldest = arg;
	int i;

	for (i = 0; i < USAGE__MAX; i++)
		if (u->count[i] != u->flushed[i] && k->hour < *oldest)
			*oldest = k->hour;
}

static void format_hour(int64_t hour, char *out, size_t n)
{
	time_t t = (time_t)(hour * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:00:00+00", &tm);
}

/* Once an hour: monthly partitions of usage_hourly ready for this month and the next, and
 * what can no longer be needed dropped (see tollgate_usage_retention). A failure here is
 * logged and does not stop flushing: rows land in the default partition meanwhile. */
static void maintain(struct flusher *f, int64_t now_ms)
{
	int64_t hour = now_ms / 3600000, oldest = hour;
	char now_s[32], before_s[32], inc[24], months[16];
	const char *p1[] = {now_s};
	const char *p4[] = {f->app->cfg->node_id, inc, before_s, months};
	char days[16];
	const char *pd[] = {days};

	if (hour == f->partitions_hour)
		return;
	format_hour(hour, now_s, sizeof(now_s));
	if (sql_exec(f->db, NULL,
		     "SELECT tollgate_usage_partition($1::timestamptz), "
		     "tollgate_usage_partition($1::timestamptz + interval '1 month')",
		     1, p1) != ERR_OK)
		log_warnx("could not prepare usage partitions: %s", sql_errmsg(f->db));
	shm_pool_each(f->st->usage, oldest_unflushed, &oldest);
	format_hour(oldest, before_s, sizeof(before_s));
	snprintf(inc, sizeof(inc), "%lld", (long long)f->st->hdr->incarnation);
	snprintf(months, sizeof(months), "%lld", (long long)f->app->cfg->usage_hourly_months);
	if (sql_exec(f->db, NULL,
		     "SELECT tollgate_usage_retention($1, $2::bigint, $3::timestamptz, $4::int)", 4,
		     p4) != ERR_OK)
		log_warnx("usage retention failed: %s", sql_errmsg(f->db));
	snprintf(days, sizeof(days), "%lld", (long long)f->app->cfg->decision_retention_days);
	if (sql_exec(f->db, NULL, "SELECT tollgate_abuse_retention($1::int)", 1, pd) != ERR_OK)
		log_warnx("decision retention failed: %s", sql_errmsg(f->db));
	f->partitions_hour = hour;
}

/* Marks what PostgreSQL now holds, and adds the requests of the tenant's running quota
 * window to its share. */
static void mark_flushed(struct flusher *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct entry *e = &f->batch[i];
		struct state_usage *u = state_usage(f->st, e->key.key_id, e->key.hour, 0, false);
		struct state_tenant_use *tu;
		int64_t grew = e->count[USAGE_REQUESTS] - e->flushed[USAGE_REQUESTS];

		if (u != NULL) {
			memcpy(u->flushed, e->count, sizeof(u->flushed));
			state_unlock(f->st->usage, u);
		}
		if (grew <= 0)
			continue;
		tu = state_tenant_use(f->st, e->tenant_id, false);
		if (tu != NULL) {
			if (e->key.hour >= tu->win && e->key.hour < tu->win_end)
				tu->flushed_mine += grew;
			state_unlock(f->st->tenant_use, tu);
		}
	}
}

static enum err flush_batch(struct flusher *f)
{
	struct state_hdr *h = f->st->hdr;
	struct buf cols[USAGE__MAX + 3];
	const char *params[USAGE__MAX + 6];
	char node_inc[24], seq[24];
	struct sql_res *r = NULL;
	enum err rc;
	int i;

	snprintf(node_inc, sizeof(node_inc), "%lld", (long long)h->incarnation);
	/* A fresh number for every attempt: a batch is only ever sent once with its number. */
	snprintf(seq, sizeof(seq), "%llu",
		 (unsigned long long)atomic_fetch_add(&h->flush_seq, 1) + 1);
	params[0] = f->app->cfg->node_id;
	params[1] = node_inc;
	params[2] = seq;
	for (i = 0; i < USAGE__MAX + 3; i++) {
		buf_init(&cols[i], 0);
		array_of(&cols[i], f, i < 3 ? -1 - i : i - 3);
		params[3 + i] = cols[i].p;
	}
	rc = sql_exec(
	    f->db, &r,
	    "SELECT tollgate_flush($1, $2::bigint, $3::bigint, $4::bigint[], $5::bigint[], "
	    "$6::timestamptz[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], "
	    "$11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[])",
	    USAGE__MAX + 6, params);
	for (i = 0; i < USAGE__MAX + 3; i++)
		buf_free(&cols[i]);
	if (rc != ERR_OK)
		return rc;
	if (strcmp(sql_get(r, 0, 0), "t") != 0)
		log_warnx("flush batch %s was already applied; nothing added twice", seq);
	sql_res_free(r);
	mark_flushed(f);
	return ERR_OK;
}

/* Cluster totals per tenant: of the calendar month (from usage_tenant_monthly) for the
 * records counting one, and of each billing-period window (summed from usage_hourly: the
 * windows are whole hours) for the others. */
struct totals {
	int64_t month_start_h, month_end_h, now_h;
	int64_t *ids, *requests;
	int n;
	/* The billing-period windows running now, collected before the query. */
	struct buf win_ids, win_starts, win_ends;
	int nwin;
};

static void collect_windows(const void *key, void *val, void *arg)
{
	struct totals *t = arg;
	const struct state_tenant_use *tu = val;
	int64_t id;

	memcpy(&id, key, sizeof(id));
	if (tu->calendar || tu->win_end <= t->now_h || tu->win > t->now_h)
		return;
	buf_printf(&t->win_ids, "%s%lld", t->nwin ? "," : "{", (long long)id);
	buf_printf(&t->win_starts, "%s%lld", t->nwin ? "," : "{", (long long)tu->win);
	buf_printf(&t->win_ends, "%s%lld", t->nwin ? "," : "{", (long long)tu->win_end);
	t->nwin++;
}

static void apply_totals(const void *key, void *val, void *arg)
{
	const struct totals *t = arg;
	struct state_tenant_use *tu = val;
	int64_t id, total = 0;
	int i;

	memcpy(&id, key, sizeof(id));
	if (tu->win_end <= t->now_h || tu->win > t->now_h)
		return; /* no request in the running window yet: it reads back when one comes */
	if (tu->calendar && (tu->win != t->month_start_h || tu->win_end != t->month_end_h))
		return;
	for (i = 0; i < t->n; i++)
		if (t->ids[i] == id)
			total = t->requests[i];
	tu->others = total > tu->flushed_mine ? total - tu->flushed_mine : 0;
	tu->others_known = 1;
}

/* Adds rows of r (tenant id, requests) to t's totals. */
static void add_totals(struct totals *t, const struct sql_res *r)
{
	int i, n = sql_rows(r);
	int64_t *ids = realloc(t->ids, (size_t)(t->n + n + 1) * sizeof(int64_t));
	int64_t *req = realloc(t->requests, (size_t)(t->n + n + 1) * sizeof(int64_t));

	if (ids == NULL || req == NULL)
		abort();
	t->ids = ids;
	t->requests = req;
	for (i = 0; i < n; i++) {
		t->ids[t->n] = sql_get_i64(r, i, 0);
		t->requests[t->n] = sql_get_i64(r, i, 1);
		t->n++;
	}
}

/* Reads every tenant's requests in its running quota window (all nodes) into the quota
 * records. */
static enum err read_back(struct flusher *f, int64_t now_ms)
{
	int64_t month = state_month_of(now_ms);
	char day[16];
	const char *p[3] = {day, NULL, NULL};
	struct sql_res *r = NULL;
	struct totals t;
	time_t tt = (time_t)(state_month_start_ms(month) / 1000);
	struct tm tm;
	enum err rc;

	memset(&t, 0, sizeof(t));
	t.month_start_h = state_month_start_ms(month) / 3600000;
	t.month_end_h = state_month_start_ms(month + 1) / 3600000;
	t.now_h = now_ms / 3600000;
	gmtime_r(&tt, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	rc = sql_exec(f->db, &r,
		      "SELECT tenant_id, requests FROM usage_tenant_monthly WHERE month = $1::date",
		      1, p);
	if (rc != ERR_OK)
		return rc;
	add_totals(&t, r);
	sql_res_free(r);
	buf_init(&t.win_ids, 0);
	buf_init(&t.win_starts, 0);
	buf_init(&t.win_ends, 0);
	shm_pool_each(f->st->tenant_use, collect_windows, &t);
	if (t.nwin > 0) {
		/* A tenant in a billing period is not in the calendar totals' lookup: its own
		 * total comes after them and wins (apply_totals keeps the last match). */
		buf_putc(&t.win_ids, '}');
		buf_putc(&t.win_starts, '}');
		buf_putc(&t.win_ends, '}');
		p[0] = t.win_ids.p;
		p[1] = t.win_starts.p;
		p[2] = t.win_ends.p;
		rc =
		    sql_exec(f->db, &r,
			     "SELECT w.id, coalesce((SELECT sum(u.requests) FROM usage_hourly u "
			     "WHERE u.tenant_id = w.id AND u.hour >= to_timestamp(w.s * 3600) "
			     "AND u.hour < to_timestamp(w.e * 3600)), 0) "
			     "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS w(id, s, e)",
			     3, p);
		if (rc == ERR_OK) {
			add_totals(&t, r);
			sql_res_free(r);
		}
	}
	buf_free(&t.win_ids);
	buf_free(&t.win_starts);
	buf_free(&t.win_ends);
	/* The batch just flushed and this read come one after the other, in this process:
	 * flushed_mine and the totals agree. */
	if (rc == ERR_OK)
		shm_pool_each(f->st->tenant_use, apply_totals, &t);
	free(t.ids);
	free(t.requests);
	return rc;
}

/* A statement the data made fail (out of range, a constraint), on a live connection. */
static bool is_data_error(struct flusher *f)
{
	const char *state = sql_state(f->db);

	return sql_is_ok(f->db) && state != NULL &&
	       (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0);
}

/* A batch that the data made fail is sent again one record at a time, so that one bad
 * record (whatever put it there) can never hold up the others: a record that fails on its
 * own is logged, counted and left behind (marked flushed, so it is not tried for ever). */
static enum err flush_one_by_one(struct flusher *f)
{
	struct entry *all = malloc(f->n * sizeof(*all));
	size_t n = f->n, i;
	enum err rc = ERR_OK;

	if (all == NULL)
		abort();
	memcpy(all, f->batch, n * sizeof(*all));
	for (i = 0; i < n && rc == ERR_OK; i++) {
		f->batch[0] = all[i];
		f->n = 1;
		rc = flush_batch(f);
		if (rc != ERR_OK && is_data_error(f)) {
			log_errorx("usage of key %lld at hour %lld cannot be stored (%s: %s); "
				   "skipped",
				   (long long)all[i].key.key_id, (long long)all[i].key.hour,
				   sql_state(f->db), sql_errmsg(f->db));
			state_metric_add(f->st, state_metric_row_flusher(f->st),
					 METRIC_FLUSH_SKIPPED, 1);
			mark_flushed(f);
			rc = ERR_OK;
		}
	}
	free(all);
	return rc;
}

/* One round: flush everything pending (in batches), then read the cluster's usage. */
static enum err flush_once(struct flusher *f, bool flush)
{
	int64_t now_ms = state_clock_ms(f->st);
	uint32_t row = state_metric_row_flusher(f->st);
	enum err rc = ERR_OK;

	maintain(f, now_ms);

	if (!flush)
		return read_back(f, now_ms);
	do {
		f->n = 0;
		f->more = false;
		shm_pool_each(f->st->usage, collect, f);
		if (f->n > 0 && (rc = flush_batch(f)) != ERR_OK && is_data_error(f))
			rc = flush_one_by_one(f);
		if (rc != ERR_OK)
			break;
	} while (f->more);
	if (rc == ERR_OK)
		rc = read_back(f, now_ms);
	if (rc == ERR_OK)
		rc = samples_flush(f->app, f->db);
	if (rc != ERR_OK) {
		state_metric_add(f->st, row, METRIC_FLUSH_FAILURES, 1);
		return rc;
	}
	state_metric_add(f->st, row, METRIC_FLUSHES, 1);
	atomic_store(&f->st->hdr->flushed_ms, state_now_ms());
	atomic_store(&f->st->hdr->flush_ok, 1);
	return ERR_OK;
}

/* Reading the cluster's usage back more often than flushing keeps a node's view of the
 * others at most one of their flush intervals (plus a quarter) old, which bounds how far
 * the nodes together can overshoot a quota. */
#define READS_PER_FLUSH 4

int flusher_run(struct app *app, volatile sig_atomic_t *stop)
{
	struct flusher f;
	int64_t next = 0, tick = 0;

	memset(&f, 0, sizeof(f));
	f.app = app;
	f.st = app->state;
	f.partitions_hour = -1;
	f.batch = calloc(BATCH_MAX, sizeof(*f.batch));
	if (f.batch == NULL)
		abort();
	for (;;) {
		bool last = *stop != 0;
		int64_t now = state_mono_ms();

		if (!last && now < next) {
			app_sleep_ms(next - now, stop);
			continue;
		}
		next = now + app->cfg->flush_interval_ms / READS_PER_FLUSH;
		if (f.db == NULL && !connect_db(&f)) {
			if (last)
				break;
			continue;
		}
		if (flush_once(&f, last || tick++ % READS_PER_FLUSH == 0) != ERR_OK)
			disconnect(&f, "flush");
		if (last)
			break; /* one final flush after SIGTERM, then out */
	}
	if (*stop)
		log_info("stopped after a final flush");
	sql_free(f.db);
	free(f.batch);
	return 0;
}
