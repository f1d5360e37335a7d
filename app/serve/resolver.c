/* Upstream host names -> checked addresses in shared memory. */
#include "resolver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/log.h"
#include "../../lib/str.h"
#include "../upstream/upstream.h"

#define RESOLVE_EVERY_MS 30000
#define LOOK_EVERY_MS	 100

struct name {
	int64_t tenant_id;
	uint64_t upstream_hash;
	char slug[64];
	char host[192];
};

struct names {
	struct name *v;
	size_t n, cap;
};

static void collect(const void *key, const void *val, void *arg)
{
	const struct state_tenant *t = val;
	struct names *l = arg;
	struct name *x;
	char *colon;

	(void)key;
	if (!(t->upstream_flags & UPSTREAM_NAME))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (l->v == NULL)
			abort();
	}
	x = &l->v[l->n++];
	x->tenant_id = t->id;
	x->upstream_hash = t->upstream_hash;
	str_lcpy(x->slug, t->slug, sizeof(x->slug));
	str_lcpy(x->host, t->upstream, sizeof(x->host));
	colon = strrchr(x->host, ':'); /* "name:port" */
	if (colon != NULL)
		*colon = '\0';
}

static void check(struct app *app, const struct name *x, const struct state_resolved *before,
		  bool had)
{
	unsigned char addrs[UPSTREAM_MAX_ADDRS][16];
	struct state_resolved r;
	int count, i;

	memset(&r, 0, sizeof(r));
	r.upstream_hash = x->upstream_hash;
	r.at_ms = state_mono_ms();
	count = upstream_resolve(x->host, addrs, UPSTREAM_MAX_ADDRS, r.why, sizeof(r.why));
	r.ok = count > 0;
	for (i = 0; i < count && r.ok; i++)
		if (!upstream_addr_allowed(app->cfg, addrs[i], r.why, sizeof(r.why)))
			r.ok = 0;
	if (r.ok) {
		memcpy(r.ip, addrs[0], 16);
	} else if (count < 0 && had && before->ok && before->upstream_hash == x->upstream_hash) {
		/* A resolver that fails for a moment does not take a known-good upstream away:
		 * its last checked address stays, and is tried again in 5 s. */
		r = *before;
		r.at_ms = state_mono_ms() - RESOLVE_EVERY_MS + 5000;
	}
	if (!r.ok && (!had || before->ok || before->upstream_hash != x->upstream_hash))
		log_warnx("tenant %s: upstream host %s refused: %s", x->slug, x->host, r.why);
	if (state_resolved_put(app->state, x->tenant_id, &r) != ERR_OK)
		state_table_full(app->state, TABLE_TENANTS);
}

int resolver_run(struct app *app, volatile sig_atomic_t *stop)
{
	struct names names = {NULL, 0, 0};
	uint64_t seen = 0;
	bool first = true;

	while (!*stop) {
		uint64_t version = atomic_load(&app->state->hdr->tenants_version);
		int64_t now = state_mono_ms();
		size_t i;

		/* The tenant table is walked (under its lock) only when it changed; between
		 * changes the list of host names is enough. */
		if (first || version != seen) {
			names.n = 0;
			shm_table_each(app->state->tenants, collect, &names);
			seen = version;
			first = false;
		}
		for (i = 0; i < names.n && !*stop; i++) {
			struct state_resolved r;
			bool had = state_resolved_find(app->state, names.v[i].tenant_id, &r);

			if (!had || r.upstream_hash != names.v[i].upstream_hash ||
			    now - r.at_ms >= RESOLVE_EVERY_MS)
				check(app, &names.v[i], &r, had);
		}
		app_sleep_ms(LOOK_EVERY_MS, stop);
	}
	free(names.v);
	return 0;
}
