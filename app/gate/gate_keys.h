/* API keys: tg_<env>_<32 base62>_<6 base62 CRC-32>. The checksum lets the gate reject a
 * mistyped or invented key without a lookup; the stored form is a keyed hash. The same
 * format under another tag makes other secrets (management tokens: tgm_...). */
#ifndef APP_GATE_KEYS_H
#define APP_GATE_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "../../lib/cryptox.h"
#include "../../lib/err.h"
#include "../../lib/str.h"

#define GATE_KEY_RANDOM_LEN 32
#define GATE_KEY_CRC_LEN    6
#define GATE_KEY_LEN	    (8 + GATE_KEY_RANDOM_LEN + 1 + GATE_KEY_CRC_LEN) /* 47 */
#define GATE_KEY_PREFIX_LEN 16 /* shown in lists: "tg_live_" + 8 random characters */

enum gate_key_env { GATE_KEY_LIVE, GATE_KEY_TEST, GATE_KEY__MAX };

/* Length of a secret of this format whose tag has tag_len characters. */
#define GATE_KEY_LEN_TAGGED(tag_len) ((tag_len) + GATE_KEY_RANDOM_LEN + 1 + GATE_KEY_CRC_LEN)

/* The format under any tag (a short literal such as "tgm_"): writes tag, 32 random base62
 * characters, '_' and the checksum of what precedes it, then a NUL, into key, which holds
 * GATE_KEY_LEN_TAGGED(strlen(tag)) + 1 bytes. */
void gate_keys_generate_tagged(const char *tag, char *key);
/* Checks that key is tag followed by the random part and a matching checksum. ERR_INPUT
 * when any of it is wrong. */
enum err gate_keys_check_tagged(struct str key, const char *tag) WUR;

/* Writes a new key and its display prefix (both NUL-terminated). */
void gate_keys_generate(enum gate_key_env env, char key[GATE_KEY_LEN + 1],
			char prefix[GATE_KEY_PREFIX_LEN + 1]);
/* Checks length, alphabet, environment and checksum. ERR_INPUT when any is wrong. */
enum err gate_keys_check(struct str key, enum gate_key_env *env) WUR;
/* The keyed hash stored in PostgreSQL (32 bytes); the first STATE_KEY_HASH_BYTES of it
 * are the in-memory lookup key. */
void gate_keys_hash(const unsigned char secret[CRYPTOX_KEY_BYTES], struct str key,
		    unsigned char out[CRYPTOX_HASH_BYTES]);

#endif
