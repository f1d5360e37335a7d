/* API-key format, generation, checksum and hashing. */
#include "gate_keys.h"

#include <string.h>

#include "../../lib/codec.h"

static const char *const env_tags[GATE_KEY__MAX] = {"tg_live_", "tg_test_"};

void gate_keys_generate_tagged(const char *tag, char *key)
{
	size_t n = strlen(tag), i;

	memcpy(key, tag, n);
	for (i = 0; i < GATE_KEY_RANDOM_LEN; i++)
		key[n + i] = codec_base62_alphabet[cryptox_uniform(62)];
	key[n + GATE_KEY_RANDOM_LEN] = '_';
	codec_base62_u32(codec_crc32(key, n + GATE_KEY_RANDOM_LEN),
			 key + n + GATE_KEY_RANDOM_LEN + 1, GATE_KEY_CRC_LEN);
	key[GATE_KEY_LEN_TAGGED(n)] = '\0';
}

enum err gate_keys_check_tagged(struct str key, const char *tag)
{
	size_t n = strlen(tag);
	char crc[GATE_KEY_CRC_LEN];

	if (key.len != GATE_KEY_LEN_TAGGED(n) || memcmp(key.p, tag, n) != 0 ||
	    key.p[n + GATE_KEY_RANDOM_LEN] != '_' ||
	    !codec_is_base62(key.p + n, GATE_KEY_RANDOM_LEN) ||
	    !codec_is_base62(key.p + n + GATE_KEY_RANDOM_LEN + 1, GATE_KEY_CRC_LEN))
		return ERR_INPUT;
	codec_base62_u32(codec_crc32(key.p, n + GATE_KEY_RANDOM_LEN), crc, GATE_KEY_CRC_LEN);
	if (memcmp(crc, key.p + n + GATE_KEY_RANDOM_LEN + 1, GATE_KEY_CRC_LEN) != 0)
		return ERR_INPUT;
	return ERR_OK;
}

void gate_keys_generate(enum gate_key_env env, char key[GATE_KEY_LEN + 1],
			char prefix[GATE_KEY_PREFIX_LEN + 1])
{
	gate_keys_generate_tagged(env_tags[env], key);
	memcpy(prefix, key, GATE_KEY_PREFIX_LEN);
	prefix[GATE_KEY_PREFIX_LEN] = '\0';
}

enum err gate_keys_check(struct str key, enum gate_key_env *env)
{
	int e;

	*env = GATE_KEY_LIVE;
	if (key.len != GATE_KEY_LEN)
		return ERR_INPUT;
	for (e = 0; e < GATE_KEY__MAX; e++)
		if (memcmp(key.p, env_tags[e], 8) == 0)
			break;
	if (e == GATE_KEY__MAX || gate_keys_check_tagged(key, env_tags[e]) != ERR_OK)
		return ERR_INPUT;
	*env = (enum gate_key_env)e;
	return ERR_OK;
}

void gate_keys_hash(const unsigned char secret[CRYPTOX_KEY_BYTES], struct str key,
		    unsigned char out[CRYPTOX_HASH_BYTES])
{
	cryptox_keyed_hash(out, secret, key.p, key.len);
}
