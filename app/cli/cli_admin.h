/* tollgate admin: operator accounts for the admin pages. */
#ifndef APP_CLI_ADMIN_H
#define APP_CLI_ADMIN_H

#include "../config.h"

int cli_admin(const struct config *cfg, int argc, char **argv);

#endif
