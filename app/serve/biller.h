/* The biller: a background child (when TOLLGATE_STRIPE_API_KEY is set) that keeps Stripe in
 * step with Tollgate (docs/billing.md). Every TOLLGATE_BILLING_INTERVAL it queues the
 * flushed usage of every customer as meter events (migrations/0011's outbox); every second
 * it applies downgrades that come with time (a grace period run out, a cancelled period
 * ended) and sends due meter events: at most one call in flight per customer across every
 * node, each with its deterministic identifier (a retry is never billed twice), failures
 * retried with jittered exponential backoff, for as long as Stripe is down. Once an hour
 * it reconciles the current month, for the metric. */
#ifndef APP_BILLER_H
#define APP_BILLER_H

#include <signal.h>

#include "../app.h"

int biller_run(struct app *app, volatile sig_atomic_t *stop);

#endif
