/* `tollgate token ...`: management tokens for a tenant's own staff and tooling (the
 * /api/v1 management API), not API keys for its callers. */
#ifndef APP_CLI_TOKENS_H
#define APP_CLI_TOKENS_H

#include "../config.h"

/* create TENANT [--name NAME] | list TENANT | revoke TOKEN_ID; returns an exit status. */
int cli_tokens(const struct config *cfg, int argc, char **argv);

#endif
