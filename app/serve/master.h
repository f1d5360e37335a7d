/* `tollgate serve --master`, started by the keeper with the sockets: it opens the
 * shared-memory region once the previous master's processes have let go of it, forks the
 * gate and console pools and the background children (syncer, flusher, collector, judge,
 * trainer), restarts any child that dies (with backoff), reloads configuration on SIGHUP
 * (replacing children so that each pool keeps serving) and drains on SIGTERM/SIGINT. */
#ifndef APP_MASTER_H
#define APP_MASTER_H

#include "../config.h"

/* Takes ownership of cfg. Returns the process exit status. */
int master_run(struct config *cfg);

#endif
