/* Minting API keys. */
#include "api_keys.h"

#include "../../lib/sql.h"

void api_keys_mint(const struct config *cfg, bool test, char key[GATE_KEY_LEN + 1],
		   char prefix[GATE_KEY_PREFIX_LEN + 1], char hash_param[API_KEY_HASH_PARAM])
{
	unsigned char hash[CRYPTOX_HASH_BYTES];

	gate_keys_generate(test ? GATE_KEY_TEST : GATE_KEY_LIVE, key, prefix);
	gate_keys_hash(cfg->secret_key, str_c(key), hash);
	sql_bytea_param(hash, sizeof(hash), hash_param, API_KEY_HASH_PARAM);
}
