/* Caddy's access log (a file) -> per-key usage facts. */
#include "collector.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/codec.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/str.h"
#include "../abuse/engine.h"
#include "../state/state.h"

#define JOIN_TTL_MS    (10 * 60 * 1000)
#define READ_BUF       (2 * COLLECTOR_MAX_LINE)
#define PUNCH_STEP     ((off_t)16 * 1024 * 1024) /* give back read log space this often */
#define IDLE_MS	       100			 /* at most this long between ring drains */
#define BATCH_MS       2			 /* after a wake-up, to read lines in batches */
#define CHECK_EVERY_MS 1000			 /* a look for rotation or truncation */

static uint64_t uuid_hash(const unsigned char id[16])
{
	uint64_t a, b;

	memcpy(&a, id, 8);
	memcpy(&b, id + 8, 8);
	/* Both halves through the mixer: every byte reaches the slot bits. */
	return codec_mix64(a ^ codec_mix64(b));
}

static bool is_zero(const unsigned char id[16])
{
	static const unsigned char zero[16];

	return memcmp(id, zero, 16) == 0;
}

/* Decisions by request id live in shared memory (state->join), so that a collector that
 * dies, and the one that replaces it, lose none: an open-addressing table that overwrites
 * old entries (a decision is useful for minutes at most). Only the collector uses it. A
 * decision is taken out when its line is applied, so a line read twice (after a crash
 * between applying and saving the read position) finds nothing the second time. */
static void join_put(struct state *st, const struct state_decision *d)
{
	uint64_t i = uuid_hash(d->request_id) & (STATE_JOIN_SLOTS - 1), probe;

	if (is_zero(d->request_id))
		return;
	for (probe = 0; probe < 8; probe++, i = (i + 1) & (STATE_JOIN_SLOTS - 1)) {
		struct state_decision *s = &st->join[i];

		if (is_zero(s->request_id) || memcmp(s->request_id, d->request_id, 16) == 0 ||
		    d->at_ms - s->at_ms > JOIN_TTL_MS) {
			*s = *d;
			return;
		}
	}
	st->join[uuid_hash(d->request_id) & (STATE_JOIN_SLOTS - 1)] = *d; /* evict the home slot */
}

/* The decision for request id, left in the table: it is taken out (its id zeroed) only
 * once its line has been applied. */
static struct state_decision *join_find(struct state *st, const unsigned char id[16])
{
	uint64_t i = uuid_hash(id) & (STATE_JOIN_SLOTS - 1), probe;

	for (probe = 0; probe < 8; probe++, i = (i + 1) & (STATE_JOIN_SLOTS - 1))
		if (memcmp(st->join[i].request_id, id, 16) == 0)
			return &st->join[i];
	return NULL;
}

/* Moves every decision the workers published into the join table. */
static void drain_rings(struct state *st)
{
	uint32_t i;

	for (i = 0; i < st->hdr->nrings; i++) {
		struct state_ring *r = &st->rings[i];
		uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);

		while (tail < head) {
			join_put(st, &r->items[tail & (STATE_RING_SIZE - 1)]);
			tail++;
		}
		atomic_store_explicit(&r->tail, tail, memory_order_release);
	}
}

/* What one response may report, at most: more is a broken or hostile upstream, and is
 * ignored (and counted) rather than let one tenant's upstream overflow anything. */
#define MAX_TOKENS_PER_RESPONSE 1000000000LL /* a billion tokens */
#define MAX_MICROS_PER_RESPONSE 1000000000LL /* 1,000 in the currency */
#define MAX_BYTES_PER_RESPONSE	(1LL << 40)
/* Counters saturate here, far below INT64_MAX: sums in PostgreSQL cannot overflow either. */
#define COUNTER_CAP (INT64_MAX / 4)

/* "0.000123" style decimal (what an upstream reports as cost) -> millionths, at most
 * MAX_MICROS_PER_RESPONSE; -1 when it is not such a number. */
static int64_t parse_micros(const char *s)
{
	struct str whole, frac = str_trim(str_c(s));
	int64_t w = 0, f = 0;
	size_t i;

	str_cut(&frac, '.', &whole);
	if (str_to_i64(whole, 0, MAX_MICROS_PER_RESPONSE / 1000000, &w) != ERR_OK || frac.len > 18)
		return -1;
	for (i = 0; i < frac.len; i++)
		if (frac.p[i] < '0' || frac.p[i] > '9')
			return -1;
	for (i = 0; i < 6; i++)
		f = f * 10 + (i < frac.len ? frac.p[i] - '0' : 0);
	w = w * 1000000 + f;
	return w <= MAX_MICROS_PER_RESPONSE ? w : -1;
}

static void add(int64_t *counter, int64_t n)
{
	*counter = n > COUNTER_CAP - *counter ? COUNTER_CAP : *counter + n;
}

/* Adds a line's facts to its key's usage in the hour d->apply_hour, unless that record's
 * last line was this one. */
static void add_usage(struct state *st, struct jsonx_doc *doc, const struct state_decision *d,
		      int status)
{
	uint32_t row = state_metric_row_collector(st);
	const char *tokens = NULL, *cost = NULL;
	int64_t size = 0, tok = 0, micros = 0;
	struct state_usage *u;
	double duration = 0;
	int field;

	(void)jsonx_get_num(doc, "duration", &duration);
	if (!jsonx_get_int(doc, "size", &size) || size < 0 || size > MAX_BYTES_PER_RESPONSE)
		size = 0;
	if (jsonx_get_str_first(doc, "resp_headers.X-Usage-Tokens", &tokens) &&
	    str_to_i64(str_trim(str_c(tokens)), 0, MAX_TOKENS_PER_RESPONSE, &tok) != ERR_OK) {
		state_metric_add(st, row, METRIC_USAGE_REJECTED, 1);
		tok = 0;
	}
	if (jsonx_get_str_first(doc, "resp_headers.X-Usage-Cost", &cost) &&
	    (micros = parse_micros(cost)) < 0) {
		state_metric_add(st, row, METRIC_USAGE_REJECTED, 1);
		micros = 0;
	}
	/* Post-response facts count in the hour the response finished. */
	u = state_usage(st, d->key_id, d->apply_hour, d->tenant_id, true);
	if (u == NULL)
		return;
	if (memcmp(u->last_line, d->request_id, 16) != 0) {
		field = status < 300   ? USAGE_2XX
			: status < 400 ? USAGE_3XX
			: status < 500 ? USAGE_4XX
				       : USAGE_5XX;
		add(&u->count[field], 1);
		if (duration > 0 && duration < 86400.0 * 365)
			add(&u->count[USAGE_LATENCY_MS], (int64_t)(duration * 1000.0 + 0.5));
		add(&u->count[USAGE_BYTES_OUT], size);
		add(&u->count[USAGE_TOKENS], tok);
		add(&u->count[USAGE_COST_MICROS], micros);
		memcpy(u->last_line, d->request_id, 16);
	}
	state_unlock(st->usage, u);
}

void collector_line(struct app *app, const char *line, size_t len)
{
	struct state *st = app->state;
	uint32_t row = state_metric_row_collector(st);
	struct state_decision *slot, d;
	const char *rid = NULL;
	struct jsonx_doc *doc;
	unsigned char id[16];
	int64_t status = 0;
	char msg[160];

	state_metric_add(st, row, METRIC_LOG_LINES, 1);
	if (jsonx_parse(line, len, &doc, msg, sizeof(msg)) != ERR_OK) {
		state_metric_add(st, row, METRIC_LOG_MALFORMED, 1);
		return;
	}
	if (!jsonx_get_int(doc, "status", &status) || status < 100 || status > 599 ||
	    !jsonx_get_str_first(doc, "resp_headers.X-Request-Id", &rid) ||
	    !codec_uuid_parse(rid, id)) {
		state_metric_add(st, row, METRIC_LOG_MALFORMED, 1);
		jsonx_doc_free(doc);
		return;
	}
	if ((slot = join_find(st, id)) == NULL) {
		drain_rings(st);
		if ((slot = join_find(st, id)) == NULL) {
			/* Every request on the gateway site passed the gate: a line read again
			 * (its decision was taken), or one whose decision was dropped. */
			state_metric_add(st, row, METRIC_LOG_UNMATCHED, 1);
			jsonx_doc_free(doc);
			return;
		}
	}
	if (slot->key_id != 0) {
		/* The hour is fixed at the first try, so that a retry finds the same record. */
		if (slot->apply_hour == 0)
			slot->apply_hour = (int32_t)(state_clock_ms(st) / 3600000);
		add_usage(st, doc, slot, (int)status);
	}
	d = *slot;
	memset(slot->request_id, 0, 16);
	jsonx_doc_free(doc);
	/* The abuse engine learns how the client's responses went (404s, errors). The client
	 * is the address the gate decided for (behind a trusted proxy, not the proxy's). */
	abuse_observe_response(st, &d, (int)status, state_mono_ns());
}
/* The access log as the collector reads it: one open file, where it has read to (the
 * offset of buf[0]), and what it has read past that but not yet handed over. */
struct reader {
	struct app *app;
	const char *path;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off;     /* the file offset of buf[0]: everything before it is applied */
	off_t punched; /* space below this was given back to the file system */
	bool can_punch;
	bool skipping; /* inside an over-long line: drop until its newline */
	size_t len;
	char *buf;
};

/* Opens the log (creating it, so that Caddy appends to a file the collector may trim) and
 * resumes where shared memory says the last collector stopped, if it is the same file. */
static bool reader_open(struct reader *r)
{
	struct state_hdr *h = r->app->state->hdr;
	struct stat st;

	r->fd = open(r->path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		log_error("collector: open %s", r->path);
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		return false;
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->off = 0;
	if (atomic_load(&h->alog_dev) == (uint64_t)st.st_dev &&
	    atomic_load(&h->alog_ino) == (uint64_t)st.st_ino) {
		r->off = (off_t)atomic_load(&h->alog_off);
		if (r->off > st.st_size) /* truncated since: start over */
			r->off = 0;
	}
	atomic_store(&h->alog_dev, (uint64_t)st.st_dev);
	atomic_store(&h->alog_ino, (uint64_t)st.st_ino);
	atomic_store(&h->alog_off, (uint64_t)r->off);
	r->punched = 0;
	r->can_punch = true;
	r->len = 0;
	r->skipping = false;
	log_info("reading %s from byte %lld", r->path, (long long)r->off);
	return true;
}

static void reader_close(struct reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Gives the disk space of what has been applied back to the file system (a hole: the file
 * keeps its size and Caddy keeps appending), so the log never needs rotating. */
static void punch(struct reader *r)
{
	off_t to = r->off & ~(off_t)4095;

	if (!r->can_punch || to - r->punched < PUNCH_STEP)
		return;
	if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, r->punched,
		      to - r->punched) < 0) {
		log_warn("collector: cannot free the read part of %s (rotate it with "
			 "copytruncate instead)",
			 r->path);
		r->can_punch = false;
		return;
	}
	r->punched = to;
}

/* Reads what the file has past what is buffered and hands over each complete line.
 * Returns false at the end of the file. */
static bool reader_step(struct reader *r)
{
	struct state *st = r->app->state;
	ssize_t n = pread(r->fd, r->buf + r->len, READ_BUF - r->len, r->off + (off_t)r->len);
	size_t start = 0, i;

	if (n <= 0) {
		if (n < 0 && errno != EINTR)
			log_error("collector: read %s", r->path);
		return false;
	}
	r->len += (size_t)n;
	for (i = 0; i < r->len; i++) {
		if (r->buf[i] != '\n')
			continue;
		if (r->skipping)
			r->skipping = false;
		else if (i > start)
			collector_line(r->app, r->buf + start, i - start);
		start = i + 1;
	}
	/* Zeros are a hole left by an earlier collector (its position was lost): skip. */
	while (start < r->len && r->buf[start] == '\0' && !r->skipping)
		start++;
	if (r->len - start >= COLLECTOR_MAX_LINE) {
		/* A line longer than any real log entry: count it once and skip it. */
		if (!r->skipping)
			state_metric_add(st, state_metric_row_collector(st), METRIC_LOG_MALFORMED,
					 1);
		r->skipping = true;
		start = r->len;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
	r->off += (off_t)start;
	atomic_store(&st->hdr->alog_off, (uint64_t)r->off);
	punch(r);
	return true;
}

/* At the end of the file: has it been replaced (rotated by rename) or truncated? Then
 * switch to the file now at the path, after the rest of this one. */
static void reader_check(struct reader *r)
{
	struct stat st;

	if (stat(r->path, &st) == 0 && (st.st_dev != r->dev || st.st_ino != r->ino)) {
		while (reader_step(r))
			;
		log_info("collector: %s was replaced; reading the new file", r->path);
		reader_close(r);
		(void)reader_open(r);
		atomic_store(&r->app->state->hdr->alog_off, 0);
		r->off = 0;
	} else if (fstat(r->fd, &st) == 0 && st.st_size < r->off + (off_t)r->len) {
		log_info("collector: %s was truncated; reading it from the start", r->path);
		r->off = 0;
		r->len = 0;
		r->punched = 0;
		r->skipping = false;
		atomic_store(&r->app->state->hdr->alog_off, 0);
	}
}

/* Reads what inotify has queued; true when one of the events says the file itself was
 * moved, deleted or changed in its metadata (a rotation, a truncation to check). */
static bool take_events(int fd)
{
	char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(fd, events, sizeof(events))) > 0) {
		ssize_t off = 0;

		while (off + (ssize_t)sizeof(struct inotify_event) <= n) {
			const struct inotify_event *e = (const void *)(events + off);

			if (e->mask & (IN_MOVE_SELF | IN_DELETE_SELF | IN_ATTRIB | IN_IGNORED))
				changed = true;
			off += (ssize_t)sizeof(*e) + e->len;
		}
	}
	return changed;
}

int collector_run(struct app *app, volatile sig_atomic_t *stop)
{
	struct reader r;
	struct pollfd pfd;
	int64_t next_check = 0;
	int wd = -1;

	memset(&r, 0, sizeof(r));
	r.app = app;
	r.path = app->cfg->access_log;
	r.fd = -1;
	r.buf = malloc(READ_BUF);
	if (r.buf == NULL)
		abort();
	pfd.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	pfd.events = POLLIN;
	while (!*stop) {
		int64_t now;

		if (r.fd < 0 && !reader_open(&r)) {
			app_sleep_ms(1000, stop);
			continue;
		}
		if (wd < 0 && pfd.fd >= 0)
			wd = inotify_add_watch(
			    pfd.fd, r.path, IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
		drain_rings(app->state);
		if (reader_step(&r))
			continue;
		/* Caught up. A rotation or truncation is looked for when inotify says the file
		 * changed other than by growing, and once a second anyway. */
		now = state_mono_ms();
		if (now >= next_check) {
			ino_t before = r.ino;

			reader_check(&r);
			if (r.ino != before && wd >= 0) { /* a new file at the path: a new watch */
				inotify_rm_watch(pfd.fd, wd);
				wd = -1;
			}
			next_check = now + CHECK_EVERY_MS;
		}
		/* Wait for Caddy to write (inotify), or a little while; then let a few more lines
		 * come, so that one read takes a batch rather than one line. */
		if (poll(&pfd, pfd.fd >= 0 ? 1 : 0, IDLE_MS) > 0) {
			if (take_events(pfd.fd))
				next_check = 0;
			app_sleep_ms(BATCH_MS, stop);
		}
	}
	/* What Caddy wrote before the stop is applied before going. */
	drain_rings(app->state);
	while (r.fd >= 0 && reader_step(&r))
		;
	reader_close(&r);
	if (pfd.fd >= 0)
		close(pfd.fd);
	free(r.buf);
	return 0;
}
