/* The portal's team page: members (an owner invites them by mail, as owner or member, and
 * removes them) and management tokens for the tenant's tooling (made, shown once, revoked). */
#ifndef APP_PORTAL_TEAM_H
#define APP_PORTAL_TEAM_H

#include "../app.h"

enum err portal_team(struct hctx *c) WUR;
enum err portal_invite(struct hctx *c) WUR;
enum err portal_member_remove(struct hctx *c) WUR;
enum err portal_token_create(struct hctx *c) WUR;
enum err portal_token_revoke(struct hctx *c) WUR;

#endif
