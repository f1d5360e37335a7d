/* The one wrapper of libsodium: randomness, keyed hashing, SHA-256, constant-time compare. */
#ifndef LIB_CRYPTOX_H
#define LIB_CRYPTOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CRYPTOX_KEY_BYTES  32 /* secret for keyed hashing */
#define CRYPTOX_HASH_BYTES 32

/* Initialises libsodium; call once before forking. ERR_SYS if it cannot. */
enum err cryptox_init(void) WUR;
/* Fills p with n unpredictable bytes. */
void cryptox_random(void *p, size_t n);
/* A uniform integer in [0, bound). */
uint32_t cryptox_uniform(uint32_t bound);
/* Keyed BLAKE2b-256 of msg: the stored form of a secret we must recognise but never keep. */
void cryptox_keyed_hash(unsigned char out[CRYPTOX_HASH_BYTES],
			const unsigned char key[CRYPTOX_KEY_BYTES], const void *msg, size_t n);
/* SHA-256 as 64 lowercase hex digits plus NUL. */
void cryptox_sha256_hex(const void *msg, size_t n, char out[65]);
/* Compares in time independent of the contents. */
bool cryptox_equal(const void *a, const void *b, size_t n);
/* Zeroes memory in a way the compiler cannot remove. */
void cryptox_wipe(void *p, size_t n);

/* Secrets Tollgate must use again (a provider's API key): sealed with XChaCha20-Poly1305
 * (libsodium's secretbox) under a key derived from secret and purpose, so the stored form
 * reads nothing without the server secret. The sealed form is CRYPTOX_SEAL_EXTRA bytes
 * longer than the plain text (a random nonce and the tag). */
#define CRYPTOX_SEAL_EXTRA 40
void cryptox_seal(const unsigned char secret[CRYPTOX_KEY_BYTES], const char *purpose,
		  const void *plain, size_t n, unsigned char *out);
/* Opens what cryptox_seal() made (n bytes, sealed with the same secret and purpose) into
 * out (n - CRYPTOX_SEAL_EXTRA bytes). False when it was not, or was altered. */
bool cryptox_open(const unsigned char secret[CRYPTOX_KEY_BYTES], const char *purpose,
		  const unsigned char *sealed, size_t n, void *out);

/* HMAC-SHA256 of "a.b" (a, a '.', then b) with key: how Stripe signs its webhooks
 * ("timestamp.body") and Tollgate signs its own. */
void cryptox_hmac_sha256_dot(const void *key, size_t keylen, const void *a, size_t an,
			     const void *b, size_t bn, unsigned char out[32]);

/* Base64 through libsodium. Decodes base64url without padding (RFC 7515's encoding in JWTs
 * and JWKs: '=' padding, the standard alphabet's '+' and '/', and stray bits are refused)
 * into out (size cap); returns the number of bytes, or -1 for input that is not that or
 * does not fit. */
long cryptox_b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap);
/* Encodes n bytes as standard base64 with '=' padding into out (size cap, NUL added), a
 * newline after every `wrap` characters (0: none; a multiple of 4: PEM uses 64). Returns
 * the length, or -1 when out is too small (or wrap is not a multiple of 4). */
long cryptox_b64_encode(const unsigned char *p, size_t n, size_t wrap, char *out, size_t cap);

/* Password hashes: Argon2id (libsodium's crypto_pwhash_str) at its "interactive" cost
 * (64 MiB, 2 passes), as a self-describing string of at most CRYPTOX_PWHASH_LEN - 1
 * characters. ERR_SYS when memory for the hash could not be had. */
#define CRYPTOX_PWHASH_LEN 128
enum err cryptox_pwhash(const char *password, size_t len, char out[CRYPTOX_PWHASH_LEN]) WUR;
/* True when password matches hash (in time independent of where they differ). */
bool cryptox_pwhash_verify(const char *hash, const char *password, size_t len);
/* True when hash was made with other parameters than cryptox_pwhash() uses now. */
bool cryptox_pwhash_needs_rehash(const char *hash);

#endif
