/* API-key format, generation, checksum and hashing. */
#include "gate_keys.h"

#include <string.h>

#include "../../lib/codec.h"

static const char *const env_tags[GATE_KEY__MAX] = {"tg_live_", "tg_test_"};

void gate_keys_generate(enum gate_key_env env, char key[GATE_KEY_LEN + 1],
			char prefix[GATE_KEY_PREFIX_LEN + 1])
{
	size_t i;
	uint32_t crc;

	memcpy(key, env_tags[env], 8);
	for (i = 0; i < GATE_KEY_RANDOM_LEN; i++)
		key[8 + i] = codec_base62_alphabet[cryptox_uniform(62)];
	crc = codec_crc32(key, 8 + GATE_KEY_RANDOM_LEN);
	key[8 + GATE_KEY_RANDOM_LEN] = '_';
	codec_base62_u32(crc, key + 8 + GATE_KEY_RANDOM_LEN + 1, GATE_KEY_CRC_LEN);
	key[GATE_KEY_LEN] = '\0';
	memcpy(prefix, key, GATE_KEY_PREFIX_LEN);
	prefix[GATE_KEY_PREFIX_LEN] = '\0';
}

enum err gate_keys_check(struct str key, enum gate_key_env *env)
{
	char crc[GATE_KEY_CRC_LEN];
	int e;

	*env = GATE_KEY_LIVE;
	if (key.len != GATE_KEY_LEN)
		return ERR_INPUT;
	for (e = 0; e < GATE_KEY__MAX; e++)
		if (memcmp(key.p, env_tags[e], 8) == 0)
			break;
	if (e == GATE_KEY__MAX || key.p[8 + GATE_KEY_RANDOM_LEN] != '_' ||
	    !codec_is_base62(key.p + 8, GATE_KEY_RANDOM_LEN) ||
	    !codec_is_base62(key.p + 8 + GATE_KEY_RANDOM_LEN + 1, GATE_KEY_CRC_LEN))
		return ERR_INPUT;
	codec_base62_u32(codec_crc32(key.p, 8 + GATE_KEY_RANDOM_LEN), crc, GATE_KEY_CRC_LEN);
	if (memcmp(crc, key.p + 8 + GATE_KEY_RANDOM_LEN + 1, GATE_KEY_CRC_LEN) != 0)
		return ERR_INPUT;
	*env = (enum gate_key_env)e;
	return ERR_OK;
}

void gate_keys_hash(const unsigned char secret[CRYPTOX_KEY_BYTES], struct str key,
		    unsigned char out[CRYPTOX_HASH_BYTES])
{
	cryptox_keyed_hash(out, secret, key.p, key.len);
}
