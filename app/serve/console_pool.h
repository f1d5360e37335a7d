/* The console's pool: Tollgate's own URLs (management API, health, metrics, and later the
 * portal, admin pages and webhooks), on their own socket and Caddy site. Its workers read
 * bodies (bounded in size by TOLLGATE_MAX_BODY and in time by TOLLGATE_CONSOLE_READ_TIMEOUT)
 * and hold a PostgreSQL connection each; however slow their clients, the gate's pool is
 * not touched. */
#ifndef APP_CONSOLE_POOL_H
#define APP_CONSOLE_POOL_H

#include <signal.h>

#include "../app.h"
#include "router.h"

extern const struct route_table console_pool_routes;

/* A console worker's life: serves the console socket until *stop. */
int console_pool_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop);

#endif
