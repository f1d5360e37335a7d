/* A tenant's JWT issuers through the management API (docs/jwt.md): the identity providers
 * whose tokens its callers may present instead of API keys. Each issuer comes with a
 * synthetic API key of the tenant ("JWT: <issuer>", a random hash nobody can present),
 * under which its callers are limited and metered. Changes are audited; the syncer and
 * the jwks child read the table (migrations/0015_jwt.sql). */
#ifndef APP_API_JWT_H
#define APP_API_JWT_H

#include "../app.h"

/* GET /api/v1/jwt/issuers: the tenant's issuers, with their last fetch's outcome. */
enum err api_jwt_issuers_get(struct hctx *c) WUR;
/* PUT /api/v1/jwt/issuers ({"issuer", "audience"?, "jwks_url"?, "static_keys"?,
 * "team_claim"?}, exactly one of jwks_url and static_keys): creates the tenant's issuer
 * or replaces its settings (absent members become null), and asks for its keys to be
 * fetched again. 409 conflict when another tenant trusts the issuer. */
enum err api_jwt_issuer_put(struct hctx *c) WUR;
/* POST /api/v1/jwt/issuers/:id/remove: the issuer goes, its synthetic key is revoked
 * (its usage stays). */
enum err api_jwt_issuer_remove(struct hctx *c) WUR;

#endif
