/* A FastCGI worker: accepts requests on the shared socket until told to stop. */
#ifndef APP_WORKER_H
#define APP_WORKER_H

#include <signal.h>

#include "../app.h"

/* Serves until *stop becomes non-zero; the request in progress is finished first.
 * Returns the process exit status. */
int worker_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop);

#endif
