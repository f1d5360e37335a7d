/* API keys: the one place that mints a key (secret, prefix, stored hash) and creates,
 * revokes and rotates keys, for the CLI, the portal and the management API alike; and
 * the API's /api/v1/keys handlers. */
#ifndef APP_API_KEYS_H
#define APP_API_KEYS_H

#include <stdbool.h>

#include "../../lib/cryptox.h"
#include "../app.h"
#include "../config.h"
#include "../gate/gate_keys.h"

#define API_KEY_HASH_PARAM (2 * CRYPTOX_HASH_BYTES + 3) /* "\\x" + hex + NUL */

struct sql_res;
struct jsonx_w;

/* A new live (or test) key: its secret (to show once, then wipe), its display prefix, and
 * its keyed hash as an SQL bytea parameter for api_keys.hash. */
void api_keys_mint(const struct config *cfg, bool test, char key[GATE_KEY_LEN + 1],
		   char prefix[GATE_KEY_PREFIX_LEN + 1], char hash_param[API_KEY_HASH_PARAM]);

/* In c's tenant transaction, each audited. *row gets the key as api_keys_write() wants it.
 * ERR_NOTFOUND (with c->detail) for an id that is not an active key of the tenant.
 * days 0: never expires. The secret goes to key. */
enum err api_keys_create(struct hctx *c, const char *name, int64_t days, bool test,
			 char key[GATE_KEY_LEN + 1], struct sql_res **row) WUR;
enum err api_keys_revoke(struct hctx *c, int64_t id, struct sql_res **row) WUR;
/* A new key with the old one's name, the old one ending grace_minutes from now (0: now). */
enum err api_keys_rotate(struct hctx *c, int64_t id, int64_t grace_minutes,
			 char key[GATE_KEY_LEN + 1], struct sql_res **old,
			 struct sql_res **row) WUR;

/* One key as a JSON object: id, name, prefix, status, created_at, expires_at, revoked_at. */
void api_keys_write(struct jsonx_w *w, const struct sql_res *r, int row);

/* GET /api/v1/keys (newest first, ?limit=, ?cursor=), POST /api/v1/keys, POST
 * /api/v1/keys/:id/revoke, POST /api/v1/keys/:id/rotate. */
enum err api_keys_list(struct hctx *c) WUR;
enum err api_keys_create_handler(struct hctx *c) WUR;
enum err api_keys_revoke_handler(struct hctx *c) WUR;
enum err api_keys_rotate_handler(struct hctx *c) WUR;

#endif
