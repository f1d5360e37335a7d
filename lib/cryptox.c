/* libsodium wrapper. */
#include "cryptox.h"

#include <string.h>

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

_Static_assert(CRYPTOX_SEAL_EXTRA == crypto_secretbox_xchacha20poly1305_NONCEBYTES +
					 crypto_secretbox_xchacha20poly1305_MACBYTES,
	       "seal overhead");

static void seal_key(const unsigned char secret[CRYPTOX_KEY_BYTES], const char *purpose,
		     unsigned char key[crypto_secretbox_xchacha20poly1305_KEYBYTES])
{
	crypto_generichash(key, crypto_secretbox_xchacha20poly1305_KEYBYTES,
			   (const unsigned char *)purpose, strlen(purpose), secret,
			   CRYPTOX_KEY_BYTES);
}

void cryptox_seal(const unsigned char secret[CRYPTOX_KEY_BYTES], const char *purpose,
		  const void *plain, size_t n, unsigned char *out)
{
	unsigned char key[crypto_secretbox_xchacha20poly1305_KEYBYTES];

	seal_key(secret, purpose, key);
	randombytes_buf(out, crypto_secretbox_xchacha20poly1305_NONCEBYTES);
	crypto_secretbox_xchacha20poly1305_easy(out + crypto_secretbox_xchacha20poly1305_NONCEBYTES,
						plain, n, out, key);
	sodium_memzero(key, sizeof(key));
}

bool cryptox_open(const unsigned char secret[CRYPTOX_KEY_BYTES], const char *purpose,
		  const unsigned char *sealed, size_t n, void *out)
{
	unsigned char key[crypto_secretbox_xchacha20poly1305_KEYBYTES];
	bool ok;

	if (n < CRYPTOX_SEAL_EXTRA)
		return false;
	seal_key(secret, purpose, key);
	ok = crypto_secretbox_xchacha20poly1305_open_easy(
		 out, sealed + crypto_secretbox_xchacha20poly1305_NONCEBYTES,
		 n - crypto_secretbox_xchacha20poly1305_NONCEBYTES, sealed, key) == 0;
	sodium_memzero(key, sizeof(key));
	return ok;
}

void cryptox_hmac_sha256_dot(const void *key, size_t keylen, const void *a, size_t an,
			     const void *b, size_t bn, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, a, an);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, b, bn);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

long cryptox_b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
	const char *end = NULL;
	size_t len = 0;

	if (sodium_base642bin(out, cap, s, n, NULL, &len, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != s + n)
		return -1;
	return (long)len;
}

long cryptox_b64_encode(const unsigned char *p, size_t n, size_t wrap, char *out, size_t cap)
{
	/* Whole lines of `wrap` characters are encoded from wrap / 4 * 3 bytes each. */
	size_t step = wrap > 0 ? wrap / 4 * 3 : n, len = 0, i;

	if (wrap % 4 != 0 || (wrap > 0 && step == 0) || cap == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < n; i += step) {
		size_t take = n - i < step ? n - i : step;
		size_t need = sodium_base64_ENCODED_LEN(take, sodium_base64_VARIANT_ORIGINAL);

		if (i > 0) {
			if (len + 1 >= cap)
				return -1;
			out[len++] = '\n';
		}
		if (need > cap - len) /* libsodium aborts on a short buffer: checked first */
			return -1;
		sodium_bin2base64(out + len, cap - len, p + i, take,
				  sodium_base64_VARIANT_ORIGINAL);
		len += need - 1;
	}
	out[len] = '\0';
	return (long)len;
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

enum err cryptox_pwhash(const char *password, size_t len, char out[CRYPTOX_PWHASH_LEN])
{
	_Static_assert(CRYPTOX_PWHASH_LEN >= crypto_pwhash_STRBYTES, "room for the hash");

	if (crypto_pwhash_str_alg(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_SYS;
	return ERR_OK;
}

bool cryptox_pwhash_verify(const char *hash, const char *password, size_t len)
{
	return crypto_pwhash_str_verify(hash, password, len) == 0;
}

bool cryptox_pwhash_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
