/* A tenant's team and management tokens, for the portal's team page and the API alike:
 * members invited by mail (a user without a password and a 7-day link that sets one) and
 * removed; tokens made (shown once), listed and revoked. Each change audited. */
#ifndef APP_API_TEAM_H
#define APP_API_TEAM_H

#include "../app.h"
#include "api_auth.h"

struct sql_res;

/* role: owner or member. ERR_INPUT (c->detail) for a bad address or role, ERR_CONFLICT
 * when the address already has an account. *row: id, email, role. */
enum err api_team_invite(struct hctx *c, const char *email, const char *role,
			 struct sql_res **row) WUR;
/* ERR_NOTFOUND for no such member, and for the caller's own account. */
enum err api_team_remove(struct hctx *c, int64_t user_id) WUR;
/* *row: id, name, prefix, created_at. The token's secret goes to token (show once). */
enum err api_tokens_create(struct hctx *c, const char *name, char token[API_TOKEN_LEN + 1],
			   struct sql_res **row) WUR;
enum err api_tokens_revoke(struct hctx *c, int64_t id) WUR;

/* GET/POST /api/v1/members, POST /api/v1/members/:id/remove, GET/POST /api/v1/tokens,
 * POST /api/v1/tokens/:id/revoke. */
enum err api_members_get(struct hctx *c) WUR;
enum err api_members_post(struct hctx *c) WUR;
enum err api_members_remove_handler(struct hctx *c) WUR;
enum err api_tokens_get(struct hctx *c) WUR;
enum err api_tokens_post(struct hctx *c) WUR;
enum err api_tokens_revoke_handler(struct hctx *c) WUR;

#endif
