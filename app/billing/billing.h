/* Billing on the console's pool (docs/billing.md): the Stripe webhook, the portal's plan
 * and support pages, the management API's /billing, and the operator's plans, billing and
 * support pages. Stripe is called from here (console workers) and the biller, never from
 * the gate. */
#ifndef APP_BILLING_H
#define APP_BILLING_H

#include "../app.h"

/* POST /stripe/webhook: a signed event from Stripe, applied once. */
enum err billing_webhook(struct hctx *c) WUR;

/* Portal (ROUTE_SESSION). */
enum err portal_billing(struct hctx *c) WUR;
enum err portal_billing_change(struct hctx *c) WUR; /* POST plan=...: checkout or switch */
enum err portal_billing_manage(struct hctx *c) WUR; /* POST: Stripe's billing portal */
enum err portal_support(struct hctx *c) WUR;
enum err portal_support_post(struct hctx *c) WUR;

/* Management API (ROUTE_TENANT). */
enum err api_billing_get(struct hctx *c) WUR;
enum err api_billing_checkout(struct hctx *c) WUR;
enum err api_billing_portal(struct hctx *c) WUR;

/* Operator's pages (ROUTE_ADMIN). */
enum err admin_plans(struct hctx *c) WUR;
enum err admin_plan_update(struct hctx *c) WUR;
enum err admin_billing(struct hctx *c) WUR;
enum err admin_billing_reconcile(struct hctx *c) WUR;
enum err admin_support(struct hctx *c) WUR;
enum err admin_support_close(struct hctx *c) WUR;

#endif
