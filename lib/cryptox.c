/* libsodium wrapper. */
#include "cryptox.h"

#include <sodium.h>

#include "codec.h"

enum err cryptox_init(void)
{
	return sodium_init() < 0 ? ERR_SYS : ERR_OK;
}

void cryptox_random(void *p, size_t n)
{
	randombytes_buf(p, n);
}

uint32_t cryptox_uniform(uint32_t bound)
{
	return randombytes_uniform(bound);
}

void cryptox_keyed_hash(unsigned char out[CRYPTOX_HASH_BYTES],
			const unsigned char key[CRYPTOX_KEY_BYTES], const void *msg, size_t n)
{
	crypto_generichash(out, CRYPTOX_HASH_BYTES, msg, n, key, CRYPTOX_KEY_BYTES);
}

void cryptox_sha256_hex(const void *msg, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, msg, n);
	codec_hex(h, sizeof(h), out);
}

bool cryptox_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void cryptox_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
