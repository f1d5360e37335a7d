/* tollgate list (address lists) and tollgate model (the abuse model's versions): what an
 * operator once did with psql. */
#ifndef APP_CLI_ABUSE_H
#define APP_CLI_ABUSE_H

#include "../config.h"

int cli_list(const struct config *cfg, int argc, char **argv);
int cli_model(const struct config *cfg, int argc, char **argv);

#endif
