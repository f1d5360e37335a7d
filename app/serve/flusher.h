/* The flusher: moves usage counted in shared memory to PostgreSQL at least once per
 * TOLLGATE_FLUSH_INTERVAL, and reads the cluster's monthly usage back for the quota.
 * Counters are cumulative per (key, hour) and this node's incarnation; PostgreSQL keeps the
 * values last flushed and adds only the growth, so a repeated or retried flush adds
 * nothing, and a flush that fails is simply done again later with larger values. */
#ifndef APP_FLUSHER_H
#define APP_FLUSHER_H

#include <signal.h>

#include "../app.h"

int flusher_run(struct app *app, volatile sig_atomic_t *stop);

#endif
