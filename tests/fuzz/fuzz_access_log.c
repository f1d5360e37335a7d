/* Caddy's access log as the collector reads it: any line (a hostile upstream's usage
 * headers, a truncated write, bytes that are not JSON) is applied or counted and skipped,
 * never a crash, and never a counter that goes down. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../app/collector/collector.h"
#include "../../lib/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct state st;
static struct config cfg;
static struct app app;

/* The request id the seeds use: a decision for it waits in ring 0 before every line. */
static const char rid[] = "8d3c1f6e-2b4a-4c9d-9e8f-0a1b2c3d4e5f";

static void init(void)
{
	static const struct state_sizes sz = {64, 16, 64, 256, 2, 64, 64, 16};
	char path[64], msg[256];

	snprintf(path, sizeof(path), "/tmp/tollgate-fuzz-%ld.shm", (long)getpid());
	if (state_open(&st, path, &sz, msg, sizeof(msg)) != ERR_OK)
		abort();
	unlink(path); /* the mapping stays */
	app.cfg = &cfg;
	app.state = &st;
	app.ring = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_decision d;
	struct state_usage *u;
	int64_t before[USAGE__MAX], hour;
	int i;

	if (st.hdr == NULL)
		init();
	memset(&d, 0, sizeof(d));
	codec_uuid_parse(rid, d.request_id);
	d.key_id = 7;
	d.tenant_id = 3;
	d.at_ms = state_clock_ms(&st);
	(void)state_ring_push(&st, 0, &d);
	hour = state_clock_ms(&st) / 3600000;
	u = state_usage(&st, 7, hour, 3, true);
	assert(u != NULL);
	memcpy(before, u->count, sizeof(before));
	state_unlock(st.usage, u);
	collector_line(&app, (const char *)data, size);
	u = state_usage(&st, 7, hour, 3, true);
	assert(u != NULL);
	for (i = 0; i < USAGE__MAX; i++)
		assert(u->count[i] >= before[i] && u->count[i] >= 0);
	state_unlock(st.usage, u);
	return 0;
}
