/* The mailer: a background child that sends the portal's mails from the outbox
 * (migrations/0009) over SMTP, at least once each, retrying a failure with backoff. It runs
 * only when TOLLGATE_SMTP_URL is set; until then mails wait in the outbox. */
#ifndef APP_MAILER_H
#define APP_MAILER_H

#include <signal.h>

#include "../app.h"

int mailer_run(struct app *app, volatile sig_atomic_t *stop);

#endif
