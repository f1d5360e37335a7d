/* `tollgate billing reconcile`: the month's usage against what was reported to Stripe
 * and what Stripe's meter holds (app/billing/reconcile). */
#ifndef APP_CLI_BILLING_H
#define APP_CLI_BILLING_H

#include "../config.h"

int cli_billing(const struct config *cfg, int argc, char **argv);

#endif
