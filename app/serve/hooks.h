/* The sender of tenants' webhooks (AI budget warnings): drains ai_webhook_outbox. */
#ifndef APP_HOOKS_H
#define APP_HOOKS_H

#include <signal.h>

#include "../app.h"

int hooks_run(struct app *app, volatile sig_atomic_t *stop);

#endif
