/* `tollgate serve`: the master process. It opens the FastCGI socket and the shared-memory
 * region, forks the workers and the syncer, restarts any child that dies (with backoff),
 * reloads configuration on SIGHUP (replacing children) and drains on SIGTERM/SIGINT. */
#ifndef APP_MASTER_H
#define APP_MASTER_H

#include "../config.h"

/* Takes ownership of cfg. Returns the process exit status. */
int master_run(struct config *cfg);

#endif
