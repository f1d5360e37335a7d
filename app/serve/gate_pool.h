/* The gate's pool: the one route Caddy's forward_auth asks on every proxied request. Its
 * workers read no body, open no PostgreSQL connection, make no outbound call and never
 * sleep; this module and what it links are built into a test binary without lib/sql and
 * lib/http (the Makefile's wall), so that a future dependency fails the build. */
#ifndef APP_GATE_POOL_H
#define APP_GATE_POOL_H

#include <signal.h>

#include "../app.h"
#include "router.h"

/* The gate pool's route table (for unit tests that dispatch without a socket). */
extern const struct route_table gate_pool_routes;

/* A gate worker's life: serves the gate socket until *stop. */
int gate_pool_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop);

#endif
