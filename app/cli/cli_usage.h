/* Operator commands about metered time: `tollgate usage` (a tenant's month, per key, against
 * its quota) and `tollgate clock` (the test-only offset of the running server's clock). */
#ifndef APP_CLI_USAGE_H
#define APP_CLI_USAGE_H

#include "../config.h"

/* Each takes the arguments after the command word and returns an exit status: 0 done,
 * 1 refused (no such tenant, database or shared memory unavailable, clock shifting not
 * allowed), 2 bad usage. */
int cli_usage_show(const struct config *cfg, int argc, char **argv);
int cli_usage_clock(const struct config *cfg, int argc, char **argv);

#endif
