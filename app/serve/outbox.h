/* What the background children that drain an outbox share (the mailer, the biller): one
 * PostgreSQL connection, made again after a failure (every 5 s while PostgreSQL is down),
 * one HTTP client that a stop signal aborts, and rounds until told to stop. */
#ifndef APP_OUTBOX_H
#define APP_OUTBOX_H

#include <signal.h>
#include <stdint.h>

#include "../../lib/http.h"
#include "../../lib/sql.h"
#include "../app.h"

struct outbox_round {
	struct app *app;
	struct sql *db;
	struct http *h;
	volatile sig_atomic_t *stop;
	void *arg;
};

/* Runs round until *stop: it returns how long to wait (ms) before the next one, or -1
 * when its connection failed (a new one is made after a second). name prefixes the log.
 * Returns the child's exit status. */
int outbox_run(struct app *app, volatile sig_atomic_t *stop, const char *name,
	       int64_t (*round)(struct outbox_round *r), void *arg);

#endif
