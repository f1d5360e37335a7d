/* The syncer: keeps keys and tenants in shared memory equal to PostgreSQL. It loads
 * everything at start, applies LISTEN/NOTIFY changes as they come, reloads everything
 * periodically and after any reconnect, and records database health for /health/ready. */
#ifndef APP_SYNCER_H
#define APP_SYNCER_H

#include <signal.h>

#include "../app.h"

/* The channel the migrations' triggers notify. */
#define SYNCER_CHANNEL "tollgate_sync"

int syncer_run(struct app *app, volatile sig_atomic_t *stop);

#endif
