/* Minting API keys: the one place that makes a key's secret, prefix and stored hash, for
 * the CLI and the portal alike. */
#ifndef APP_API_KEYS_H
#define APP_API_KEYS_H

#include <stdbool.h>

#include "../../lib/cryptox.h"
#include "../config.h"
#include "../gate/gate_keys.h"

#define API_KEY_HASH_PARAM (2 * CRYPTOX_HASH_BYTES + 3) /* "\\x" + hex + NUL */

/* A new live (or test) key: its secret (to show once, then wipe), its display prefix, and
 * its keyed hash as an SQL bytea parameter for api_keys.hash. */
void api_keys_mint(const struct config *cfg, bool test, char key[GATE_KEY_LEN + 1],
		   char prefix[GATE_KEY_PREFIX_LEN + 1], char hash_param[API_KEY_HASH_PARAM]);

#endif
