/* The jwks child: fetches each JWT issuer's JWKS URL (every TOLLGATE_JWKS_REFRESH, and
 * within a second of a change, which clears fetched_at), converts its keys to PEM (lib/jwk)
 * and stores them in jwt_issuers.jwks_cache, whose change the syncer loads into shared
 * memory for the gate. Connections go only to addresses the SSRF rules allow (checked as
 * they are dialled). A failed fetch keeps the last good keys and records why. */
#ifndef APP_JWKS_H
#define APP_JWKS_H

#include <signal.h>

#include "../app.h"

int jwks_run(struct app *app, volatile sig_atomic_t *stop);

#endif
