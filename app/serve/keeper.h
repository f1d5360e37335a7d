/* `tollgate serve`: the keeper. It holds the listening sockets (binding them, or taking
 * them from systemd's socket activation) for its whole life and runs the master as its
 * child (`tollgate serve --master`), handing the sockets over. When the master dies it
 * starts another; on SIGUSR2 it replaces it with the program file as it is now (a binary
 * upgrade); SIGHUP goes to the master (reload); SIGTERM/SIGINT stop both. Connections that
 * arrive while no master runs wait in the sockets' backlog: none is refused.
 * One keeper per shared-memory file (a lock file beside it). */
#ifndef APP_KEEPER_H
#define APP_KEEPER_H

#include "../config.h"

/* Takes ownership of cfg. Returns the process exit status. */
int keeper_run(struct config *cfg);

#endif
