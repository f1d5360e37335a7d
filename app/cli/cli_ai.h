/* `tollgate ai ...`: the operator's price list for AI routes (what a million tokens of each
 * model costs, which the AI pool meters calls at) and a tenant's AI settings at a glance. */
#ifndef APP_CLI_AI_H
#define APP_CLI_AI_H

#include "../config.h"

/* price set MODEL --input MICROS --output MICROS | price list [--json] |
 * price remove MODEL | show TENANT. Takes the arguments after `ai` and returns an exit
 * status: 0 done, 1 the database refused or there is no such row, 2 bad usage (nothing was
 * changed). A price applies to the next AI call on every node (the pool reads it per call). */
int cli_ai(const struct config *cfg, int argc, char **argv);

#endif
