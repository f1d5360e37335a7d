/* Caddy access log -> per-key usage facts. */
#include "collector.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/codec.h"
#include "../../lib/jsonx.h"
#include "../../lib/log.h"
#include "../../lib/str.h"
#include "../abuse/engine.h"
#include "../state/state.h"

#define MAX_CONNS   32
#define JOIN_SLOTS  65536 /* decisions remembered, a power of two */
#define JOIN_TTL_MS (10 * 60 * 1000)

struct conn {
	int fd;
	size_t len;
	bool skipping; /* inside an over-long line: drop until its newline */
	char *buf;
};

/* Decisions by request id, read from the workers' rings: an open-addressing table that
 * overwrites old entries (a decision is useful for minutes at most). */
struct join {
	struct state_decision *slots;
};

static struct join join;

/* Allocates the table on first use: collector_run() and tests calling collector_line(). */
static void join_init(void)
{
	if (join.slots != NULL)
		return;
	join.slots = calloc(JOIN_SLOTS, sizeof(*join.slots));
	if (join.slots == NULL)
		abort();
}

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

static void join_put(const struct state_decision *d)
{
	uint64_t i = uuid_hash(d->request_id) & (JOIN_SLOTS - 1), probe;

	if (is_zero(d->request_id))
		return;
	for (probe = 0; probe < 8; probe++, i = (i + 1) & (JOIN_SLOTS - 1)) {
		struct state_decision *s = &join.slots[i];

		if (is_zero(s->request_id) || memcmp(s->request_id, d->request_id, 16) == 0 ||
		    d->at_ms - s->at_ms > JOIN_TTL_MS) {
			*s = *d;
			return;
		}
	}
	join.slots[uuid_hash(d->request_id) & (JOIN_SLOTS - 1)] = *d; /* evict the home slot */
}

static bool join_take(const unsigned char id[16], struct state_decision *out)
{
	uint64_t i = uuid_hash(id) & (JOIN_SLOTS - 1), probe;

	for (probe = 0; probe < 8; probe++, i = (i + 1) & (JOIN_SLOTS - 1)) {
		struct state_decision *s = &join.slots[i];

		if (memcmp(s->request_id, id, 16) == 0) {
			*out = *s;
			memset(s->request_id, 0, 16);
			return true;
		}
	}
	return false;
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
			join_put(&r->items[tail & (STATE_RING_SIZE - 1)]);
			tail++;
		}
		atomic_store_explicit(&r->tail, tail, memory_order_release);
	}
}

/* The paths the Caddyfile's @management matcher sends to the worker pool directly. */
static bool is_management(const char *uri)
{
	static const char *const prefixes[] = {"/health/", "/api/",    "/portal/",
					       "/admin/",  "/metrics", "/webhooks/"};
	struct str u = str_c(uri);
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (str_has_prefix(u, prefixes[i]))
			return true;
	return false;
}

/* "0.000123" style decimal (what an upstream reports as cost) -> millionths. */
static int64_t parse_micros(const char *s)
{
	struct str whole, frac = str_trim(str_c(s));
	int64_t w = 0, f = 0;
	size_t i;

	str_cut(&frac, '.', &whole);
	if (str_to_i64(whole, 0, INT64_MAX / 1000000, &w) != ERR_OK)
		return 0;
	for (i = 0; i < 6; i++) {
		f *= 10;
		if (i < frac.len) {
			if (frac.p[i] < '0' || frac.p[i] > '9')
				return 0;
			f += frac.p[i] - '0';
		}
	}
	return w * 1000000 + f;
}

void collector_line(struct app *app, const char *line, size_t len)
{
	struct state *st = app->state;
	uint32_t row = state_metric_row_collector(st);
	const char *rid = NULL, *tokens = NULL, *cost = NULL;
	int64_t status = 0, size = 0, tok = 0;
	unsigned char id[16];
	struct state_decision d;
	struct state_usage *u;
	struct jsonx_doc *doc;
	double duration = 0;
	char msg[160];
	int field;

	join_init();
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
	if (!join_take(id, &d)) {
		drain_rings(st);
		if (!join_take(id, &d)) {
			const char *uri = NULL;

			/* Management requests never pass the gate; anything else should have. */
			if (!jsonx_get_str(doc, "request.uri", &uri) || !is_management(uri))
				state_metric_add(st, row, METRIC_LOG_UNMATCHED, 1);
			jsonx_doc_free(doc);
			return;
		}
	}
	/* The abuse engine learns how the client's responses went (404s, errors). */
	{
		const char *remote = NULL;
		unsigned char ip[16];
		bool has_ip =
		    jsonx_get_str(doc, "request.remote_ip", &remote) && codec_ip_parse(remote, ip);

		abuse_observe_response(st, has_ip ? ip : NULL, d.key_id, (int)status,
				       state_mono_ns());
	}
	if (d.key_id == 0) { /* no key recognised: no usage to attribute */
		jsonx_doc_free(doc);
		return;
	}
	(void)jsonx_get_num(doc, "duration", &duration);
	(void)jsonx_get_int(doc, "size", &size);
	if (jsonx_get_str_first(doc, "resp_headers.X-Usage-Tokens", &tokens) &&
	    str_to_i64(str_trim(str_c(tokens)), 0, INT64_MAX / 2, &tok) != ERR_OK)
		tok = 0;
	(void)jsonx_get_str_first(doc, "resp_headers.X-Usage-Cost", &cost);

	/* Post-response facts count in the hour the response finished. */
	u = state_usage(st, d.key_id, state_clock_ms(st) / 3600000, d.tenant_id, true);
	if (u != NULL) {
		field = status < 300   ? USAGE_2XX
			: status < 400 ? USAGE_3XX
			: status < 500 ? USAGE_4XX
				       : USAGE_5XX;
		u->count[field]++;
		if (duration > 0 && duration < 86400.0 * 365)
			u->count[USAGE_LATENCY_MS] += (int64_t)(duration * 1000.0 + 0.5);
		if (size > 0)
			u->count[USAGE_BYTES_OUT] += size;
		u->count[USAGE_TOKENS] += tok;
		if (cost != NULL)
			u->count[USAGE_COST_MICROS] += parse_micros(cost);
		state_unlock(st->usage, u);
	} else {
		log_warnx("usage buffer full: access-log facts for key %lld dropped",
			  (long long)d.key_id);
	}
	jsonx_doc_free(doc);
}

static void close_conn(struct conn *c)
{
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Reads what is there (never waits) and hands over each complete line. */
static void read_conn(struct app *app, struct conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf + c->len, COLLECTOR_MAX_LINE - c->len);
		size_t start = 0, i;

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			close_conn(c);
			return;
		}
		if (n < 0)
			return;
		c->len += (size_t)n;
		for (i = 0; i < c->len; i++) {
			if (c->buf[i] != '\n')
				continue;
			if (c->skipping)
				c->skipping = false;
			else if (i > start)
				collector_line(app, c->buf + start, i - start);
			start = i + 1;
		}
		memmove(c->buf, c->buf + start, c->len - start);
		c->len -= start;
		if (c->len == COLLECTOR_MAX_LINE) {
			/* A line longer than any real log entry: count it once and skip it. */
			if (!c->skipping)
				state_metric_add(app->state, state_metric_row_collector(app->state),
						 METRIC_LOG_MALFORMED, 1);
			c->skipping = true;
			c->len = 0;
		}
	}
}

int collector_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop)
{
	struct conn conns[MAX_CONNS];
	struct pollfd pfd[MAX_CONNS + 1];
	int i;

	join_init();
	for (i = 0; i < MAX_CONNS; i++) {
		memset(&conns[i], 0, sizeof(conns[i]));
		conns[i].fd = -1;
	}
	fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
	while (!*stop) {
		int n = 0, ready;

		drain_rings(app->state);
		pfd[n].fd = listen_fd;
		pfd[n++].events = POLLIN;
		for (i = 0; i < MAX_CONNS; i++) {
			pfd[n].fd = conns[i].fd; /* -1 entries are ignored by poll */
			pfd[n++].events = POLLIN;
		}
		ready = poll(pfd, (nfds_t)n, 100);
		if (ready <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int fd;

			while ((fd = accept4(listen_fd, NULL, NULL,
					     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				for (i = 0; i < MAX_CONNS && conns[i].fd >= 0; i++)
					;
				if (i == MAX_CONNS) {
					log_warnx(
					    "more than %d access-log connections; closing one",
					    MAX_CONNS);
					close(fd);
					continue;
				}
				conns[i].fd = fd;
				conns[i].buf = malloc(COLLECTOR_MAX_LINE);
				if (conns[i].buf == NULL)
					abort();
			}
		}
		for (i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd >= 0 && (pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				read_conn(app, &conns[i]);
	}
	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0)
			close_conn(&conns[i]);
	free(join.slots);
	join.slots = NULL;
	return 0;
}
