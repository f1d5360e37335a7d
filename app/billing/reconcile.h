/* Monthly reconciliation (docs/billing.md): for each customer, the month's usage in
 * PostgreSQL, what the biller queued and reported as meter events, and what Stripe's
 * meter holds (its event summaries). Every run is stored (billing_reconciliations): the
 * biller exports the last one's differences as a metric. Used by `tollgate billing
 * reconcile` and the admin pages. */
#ifndef APP_BILLING_RECONCILE_H
#define APP_BILLING_RECONCILE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/buf.h"
#include "../../lib/http.h"
#include "../../lib/sql.h"
#include "../config.h"

struct reconcile_row {
	int64_t tenant_id;
	char slug[64];
	char customer[128];
	int64_t usage;	  /* requests served in the month, from the account's meter start */
	int64_t queued;	  /* put in the meter outbox */
	int64_t reported; /* of which Stripe accepted */
	int64_t stripe;	  /* Stripe's meter total for the customer and month; -1 unknown */
	char note[200];	  /* why it differs, in words; "" when it does not */
};

struct reconcile {
	char month[8]; /* YYYY-MM */
	struct reconcile_row *rows;
	int n;
	int differences;
};

/* Reconciles month ("YYYY-MM") with db (the owner's or the admin role's connection, in
 * no transaction: the result is stored in one of its own) and h (to ask Stripe; NULL
 * does not). ERR_INPUT for a bad month, ERR_DB otherwise; msg says why. */
enum err reconcile_run(struct sql *db, struct http *h, const struct config *cfg, const char *month,
		       struct reconcile *out, char *msg, size_t msglen) WUR;
void reconcile_free(struct reconcile *r);
/* The result as JSON ({"month", "differences", "customers": [...]}). */
void reconcile_json(const struct reconcile *r, struct buf *out);

#endif
