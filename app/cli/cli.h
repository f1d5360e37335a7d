/* Operator commands that change or list PostgreSQL rows: tenants and API keys. */
#ifndef APP_CLI_H
#define APP_CLI_H

#include "../config.h"

/* Each takes the arguments after the command word(s) and returns an exit status. */
int cli_tenant(const struct config *cfg, int argc, char **argv);
int cli_key(const struct config *cfg, int argc, char **argv);

#endif
