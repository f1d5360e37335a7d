/* The resolver: a background child that resolves tenants' upstream host names and checks
 * every address against the SSRF rules (app/upstream), again every 30 s, writing its
 * verdict (and, for plain http, the checked address to dial) to shared memory for the
 * gate. The gate never resolves a name and never lets a request go to one that has not
 * been checked. */
#ifndef APP_RESOLVER_H
#define APP_RESOLVER_H

#include <signal.h>

#include "../app.h"

int resolver_run(struct app *app, volatile sig_atomic_t *stop);

#endif
