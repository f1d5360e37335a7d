/* Management tokens: tgm_<32 base62>_<6 base62 CRC-32>, the API-key format under its own
 * tag (a gateway key never passes for one), stored in api_tokens as a keyed hash and a
 * display prefix; and the authentication of /api/v1 requests with them. */
#ifndef APP_API_AUTH_H
#define APP_API_AUTH_H

#include "../../lib/cryptox.h"
#include "../app.h"
#include "../gate/gate_keys.h"

#define API_TOKEN_TAG	     "tgm_"
#define API_TOKEN_LEN	     GATE_KEY_LEN_TAGGED(sizeof(API_TOKEN_TAG) - 1) /* 43 */
#define API_TOKEN_PREFIX_LEN (sizeof(API_TOKEN_TAG) - 1 + 8)		    /* "tgm_" + 8 */

/* Writes a new token and its display prefix (both NUL-terminated). */
void api_auth_token_new(char token[API_TOKEN_LEN + 1], char prefix[API_TOKEN_PREFIX_LEN + 1]);
/* Checks length, tag, alphabet and checksum. ERR_INPUT when any is wrong. */
enum err api_auth_token_check(struct str token) WUR;
/* The keyed hash stored in api_tokens.hash. */
void api_auth_token_hash(const unsigned char secret[CRYPTOX_KEY_BYTES], struct str token,
			 unsigned char out[CRYPTOX_HASH_BYTES]);

/* Authenticates a ROUTE_TENANT request by "Authorization: Bearer tgm_...": the format and
 * checksum first (no database), then an unrevoked token of an active tenant. Sets
 * c->tenant_id and c->token_id (and opens the worker's connection), and notes the token's use (at
 * most once a minute). ERR_AUTH (401 missing-token or invalid-token, with WWW-Authenticate),
 * ERR_FORBIDDEN (403 tenant-suspended), ERR_DB (503 when PostgreSQL is unreachable). */
enum err api_auth_tenant(struct hctx *c) WUR;

#endif
