/* Operator commands for plans and the limits they carry (rates, monthly quota, body size),
 * with their overrides per tenant (`tenant set|show`) and per key (`key set`). */
#ifndef APP_CLI_LIMITS_H
#define APP_CLI_LIMITS_H

#include "../config.h"

/* Each takes the arguments after the command word(s) and returns an exit status: 0 done,
 * 1 the database refused or the row does not exist, 2 bad usage (nothing was changed).
 * A change is one statement or one transaction, so a failure changes nothing. */
int cli_limits_plan(const struct config *cfg, int argc, char **argv);
int cli_limits_tenant_set(const struct config *cfg, int argc, char **argv);
int cli_limits_tenant_show(const struct config *cfg, int argc, char **argv);
int cli_limits_key_set(const struct config *cfg, int argc, char **argv);

#endif
