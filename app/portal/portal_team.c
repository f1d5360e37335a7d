/* The portal's team page: members (invited by mail, removed by an owner) and management
 * tokens (made, shown once, revoked). */
#include "portal_team.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../api/api.h"
#include "../api/api_audit.h"
#include "../api/api_auth.h"
#include "../api/api_team.h"
#include "portal.h"

#define TIME_FMT "'YYYY-MM-DD HH24:MI'"

static bool is_owner(const struct hctx *c)
{
	return strcmp(c->session->role, "owner") == 0;
}

/* The page, with a token just made (shown once) or what went wrong. */
static enum err team_page(struct hctx *c, int status, const char *token, const char *error,
			  const char *notice)
{
	static const char *const user_cols[] = {"id",	      "email",	 "role",
						"last_login", "pending", "me"};
	static const char *const token_cols[] = {"id",	    "name",	 "prefix",
						 "created", "last_used", "active"};
	char tenant[24], me[24];
	const char *params[2] = {tenant, me};
	struct tmpl_value *ctx = portal_ctx(c, "Team and tokens", "team"), *users;
	struct sql_res *u, *t;
	struct tmpl_item *it;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(me, c->session->user_id);
	if ((e = api_sql(
		 c, &u,
		 "SELECT id, email, role, to_char(last_login_at AT TIME ZONE 'UTC', " TIME_FMT
		 "), CASE WHEN password_hash IS NULL THEN 't' END, "
		 "CASE WHEN id = $2 THEN 't' END "
		 "FROM users WHERE tenant_id = $1 ORDER BY id",
		 2, params)) != ERR_OK ||
	    (e = api_sql(c, &t,
			 "SELECT id, name, prefix, to_char(created_at AT TIME ZONE 'UTC', " TIME_FMT
			 "), to_char(last_used_at AT TIME ZONE 'UTC', " TIME_FMT "), "
			 "CASE WHEN revoked_at IS NULL THEN 't' END "
			 "FROM api_tokens WHERE tenant_id = $1 ORDER BY id DESC LIMIT 200",
			 1, params)) != ERR_OK)
		return e;
	users = portal_rows(c, u, user_cols, 6);
	/* An owner may remove anyone but themselves. */
	for (it = users->head; it != NULL; it = it->next)
		tmpl_map_set(
		    (struct tmpl_value *)it->v, "removable",
		    tmpl_bool(is_owner(c) && tmpl_map_get(it->v, "me")->kind == TMPL_NULL));
	tmpl_map_set(ctx, "users", users);
	tmpl_map_set(ctx, "tokens", portal_rows(c, t, token_cols, 6));
	tmpl_map_set(ctx, "owner", tmpl_bool(is_owner(c)));
	if (token != NULL)
		portal_set_str(ctx, "new_token", token);
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	if (notice != NULL)
		portal_set_str(ctx, "notice", notice);
	return portal_render(c, status, "team", ctx);
}

enum err portal_team(struct hctx *c)
{
	return team_page(c, 200, NULL, NULL, NULL);
}

enum err portal_invite(struct hctx *c)
{
	const char *email = form_get(c->form, "email"), *role = form_get(c->form, "role");
	struct sql_res *r;
	enum err e;

	if (!is_owner(c)) {
		c->detail = "Only an owner can invite members.";
		return ERR_FORBIDDEN;
	}
	e = api_team_invite(c, email != NULL ? email : "",
			    role != NULL && strcmp(role, "owner") == 0 ? "owner" : "member", &r);
	if (e == ERR_INPUT || e == ERR_CONFLICT)
		return team_page(c, 422, NULL, c->detail, NULL);
	return e != ERR_OK ? e : team_page(c, 201, NULL, NULL, "Invitation sent.");
}

enum err portal_member_remove(struct hctx *c)
{
	int64_t v;
	enum err e;

	if (!is_owner(c)) {
		c->detail = "Only an owner can remove members.";
		return ERR_FORBIDDEN;
	}
	if (str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, &v) != ERR_OK) {
		c->detail = "There is no such member.";
		return ERR_NOTFOUND;
	}
	if ((e = api_team_remove(c, v)) != ERR_OK)
		return e;
	return portal_redirect(c, "/portal/team");
}

enum err portal_token_create(struct hctx *c)
{
	const char *name = form_get(c->form, "name");
	char token[API_TOKEN_LEN + 1];
	struct sql_res *r;
	enum err e;

	e = api_tokens_create(c, name != NULL ? name : "", token, &r);
	if (e == ERR_INPUT)
		return team_page(c, 422, NULL, c->detail, NULL);
	if (e == ERR_OK)
		e = team_page(c, 201, token, NULL, NULL);
	cryptox_wipe(token, sizeof(token));
	return e;
}

enum err portal_token_revoke(struct hctx *c)
{
	int64_t v;
	enum err e;

	if (str_to_i64(hctx_param(c, "id"), 1, INT64_MAX, &v) != ERR_OK) {
		c->detail = "There is no such token.";
		return ERR_NOTFOUND;
	}
	if ((e = api_tokens_revoke(c, v)) != ERR_OK)
		return e;
	return portal_redirect(c, "/portal/team");
}
