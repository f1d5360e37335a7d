/* Members and management tokens of one tenant. */
#include "api_team.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/jsonx.h"
#include "../../lib/sql.h"
#include "../portal/portal.h"
#include "api.h"
#include "api_audit.h"

/* Who invites, as the mail says it. */
static void inviter(const struct hctx *c, char *out, size_t n)
{
	if (c->session != NULL)
		snprintf(out, n, "%s", c->session->email);
	else
		snprintf(out, n, "Your team");
}

enum err api_team_invite(struct hctx *c, const char *email, const char *role, struct sql_res **row)
{
	char token[PORTAL_TOKEN_HEX + 1], hash[2 * 32 + 3], tenant[24], body[2048], who[300];
	const char *params[3] = {tenant, email, role};
	enum err e;

	if (!api_email_ok(email)) {
		c->parameter = "email";
		c->detail = "Enter a valid email address.";
		return ERR_INPUT;
	}
	if (strcmp(role, "owner") != 0 && strcmp(role, "member") != 0) {
		c->parameter = "role";
		c->detail = "role must be owner or member.";
		return ERR_INPUT;
	}
	str_fmt_i64(tenant, c->tenant_id);
	/* A savepoint: a taken address must not end the request's whole transaction. */
	if ((e = api_sql(c, NULL, "SAVEPOINT invite", 0, NULL)) != ERR_OK)
		return e;
	e = api_sql(c, row,
		    "INSERT INTO users (tenant_id, email, role) VALUES ($1, $2, $3) "
		    "RETURNING id, email, role",
		    3, params);
	if (e == ERR_CONFLICT) {
		if ((e = api_sql(c, NULL, "ROLLBACK TO SAVEPOINT invite", 0, NULL)) != ERR_OK)
			return e;
		c->parameter = "email";
		c->detail = "That address already has a Tollgate account.";
		return ERR_CONFLICT;
	}
	if (e != ERR_OK)
		return e;
	portal_token_new(c, "reset", token, hash);
	{
		const char *tp[3] = {tenant, sql_get(*row, 0, 0), hash};

		e = api_sql(
		    c, NULL,
		    "INSERT INTO user_tokens (tenant_id, user_id, purpose, hash, expires_at) "
		    "VALUES ($1, $2, 'invite', $3, now() + interval '7 days')",
		    3, tp);
	}
	inviter(c, who, sizeof(who));
	snprintf(body, sizeof(body),
		 "%s invited you to their organisation on Tollgate, as %s.\n\n"
		 "Choose your password to join:\n\n  %s/portal/reset?token=%s\n\n"
		 "The link works once, for 7 days.\n",
		 who, role, c->app->cfg->console_url, token);
	if (e == ERR_OK)
		e = portal_mail(c, email, "You are invited to Tollgate", body);
	cryptox_wipe(token, sizeof(token));
	cryptox_wipe(body, sizeof(body));
	return e != ERR_OK ? e : api_audit(c, c->tenant_id, "member.invite", email);
}

enum err api_team_remove(struct hctx *c, int64_t user_id)
{
	if (c->session != NULL && !c->session->is_operator && user_id == c->session->user_id) {
		c->detail = "You cannot remove yourself.";
		return ERR_NOTFOUND;
	}
	return api_change_owned(
	    c, "DELETE FROM users WHERE tenant_id = $1 AND id = $2 RETURNING email", user_id,
	    "There is no such member.", "member.remove", 0, NULL);
}

enum err api_tokens_create(struct hctx *c, const char *name, char token[API_TOKEN_LEN + 1],
			   struct sql_res **row)
{
	char prefix[API_TOKEN_PREFIX_LEN + 1], tenant[24], hex[2 * CRYPTOX_HASH_BYTES + 3];
	unsigned char hash[CRYPTOX_HASH_BYTES];
	const char *params[4] = {tenant, name, prefix, hex};
	enum err e;

	if (strlen(name) > 200) {
		c->parameter = "name";
		c->detail = "A token's name is at most 200 characters.";
		return ERR_INPUT;
	}
	str_fmt_i64(tenant, c->tenant_id);
	api_auth_token_new(token, prefix);
	api_auth_token_hash(c->app->cfg->secret_key, str_c(token), hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	e = api_sql(
	    c, row,
	    "INSERT INTO api_tokens (tenant_id, name, prefix, hash) VALUES ($1, $2, $3, $4) "
	    "RETURNING id, name, prefix, " API_RFC3339("created_at"),
	    4, params);
	return e != ERR_OK ? e : api_audit(c, c->tenant_id, "token.create", prefix);
}

enum err api_tokens_revoke(struct hctx *c, int64_t id)
{
	return api_change_owned(c,
				"UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1 "
				"AND id = $2 AND revoked_at IS NULL RETURNING prefix",
				id, "There is no such token, or it is already revoked.",
				"token.revoke", 0, NULL);
}

static void write_member(struct jsonx_w *w, const struct sql_res *r, int i)
{
	jsonx_obj_open(w);
	jsonx_kint(w, "id", sql_get_i64(r, i, 0));
	jsonx_kstr(w, "email", sql_get(r, i, 1));
	jsonx_kstr(w, "role", sql_get(r, i, 2));
	jsonx_kbool(w, "invited", strcmp(sql_get(r, i, 3), "t") == 0);
	jsonx_kbool(w, "email_verified", strcmp(sql_get(r, i, 4), "t") == 0);
	jsonx_kstr(w, "last_login_at", sql_is_null(r, i, 5) ? NULL : sql_get(r, i, 5));
	jsonx_obj_close(w);
}

enum err api_members_get(struct hctx *c)
{
	return api_list_rows(
	    c,
	    "SELECT id, email, role, password_hash IS NULL, email_verified_at IS "
	    "NOT NULL, " API_RFC3339("last_login_at") " FROM users "
						      "WHERE tenant_id = $1 ORDER BY id",
	    write_member);
}

struct invite_req {
	const char *email, *role;
};

static enum err invite_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	struct invite_req *q = arg;
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	(void)secret;
	if ((e = api_team_invite(c, q->email, q->role, &r)) != ERR_OK) {
		if (e == ERR_INPUT)
			c->problem = PROB_INVALID_BODY;
		return e;
	}
	jsonx_w_init(&w, data);
	jsonx_obj_open(&w);
	jsonx_kint(&w, "id", sql_get_i64(r, 0, 0));
	jsonx_kstr(&w, "email", sql_get(r, 0, 1));
	jsonx_kstr(&w, "role", sql_get(r, 0, 2));
	jsonx_kbool(&w, "invited", true);
	jsonx_obj_close(&w);
	return ERR_OK;
}

enum err api_members_post(struct hctx *c)
{
	static const char *const members[] = {"email", "role"};
	struct invite_req q = {NULL, "member"};
	const char *bad[2];
	size_t nbad = 0;
	struct jsonx_doc *d;
	enum err e;

	if ((e = api_read_json(c, members, 2, &d)) != ERR_OK)
		return e;
	if (!jsonx_get_str(d, "email", &q.email))
		bad[nbad++] =
		    jsonx_has(d, "email") ? "email must be a string" : "email is required";
	if (jsonx_has(d, "role") && !jsonx_get_str(d, "role", &q.role)) {
		q.role = "member";
		bad[nbad++] = "role must be owner or member";
	}
	if (nbad > 0)
		return api_bad_fields(c, bad, nbad);
	return api_change(c, 201, invite_work, &q);
}

enum err api_members_remove_handler(struct hctx *c)
{
	return api_change_id(c, "id", "There is no such member.", api_team_remove, "removed");
}

static void write_token(struct jsonx_w *w, const struct sql_res *r, int i)
{
	jsonx_obj_open(w);
	jsonx_kint(w, "id", sql_get_i64(r, i, 0));
	jsonx_kstr(w, "name", sql_get(r, i, 1));
	jsonx_kstr(w, "prefix", sql_get(r, i, 2));
	jsonx_kstr(w, "created_at", sql_get(r, i, 3));
	jsonx_kstr(w, "last_used_at", sql_is_null(r, i, 4) ? NULL : sql_get(r, i, 4));
	jsonx_kstr(w, "revoked_at", sql_is_null(r, i, 5) ? NULL : sql_get(r, i, 5));
	jsonx_obj_close(w);
}

enum err api_tokens_get(struct hctx *c)
{
	return api_list_rows(
	    c,
	    "SELECT id, name, prefix, " API_RFC3339("created_at") ", " API_RFC3339(
		"last_used_at") ", " API_RFC3339("revoked_at") " FROM api_tokens "
							       "WHERE tenant_id = $1 "
							       "ORDER BY id DESC LIMIT 500",
	    write_token);
}

static enum err token_work(struct hctx *c, void *arg, struct buf *data, struct buf *secret)
{
	const char *name = arg;
	char token[API_TOKEN_LEN + 1];
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	if ((e = api_tokens_create(c, name, token, &r)) != ERR_OK) {
		if (e == ERR_INPUT)
			c->problem = PROB_INVALID_BODY;
		return e;
	}
	jsonx_w_init(&w, data);
	jsonx_obj_open(&w);
	jsonx_kint(&w, "id", sql_get_i64(r, 0, 0));
	jsonx_kstr(&w, "name", sql_get(r, 0, 1));
	jsonx_kstr(&w, "prefix", sql_get(r, 0, 2));
	jsonx_kstr(&w, "created_at", sql_get(r, 0, 3));
	jsonx_obj_close(&w);
	buf_printf(secret, "\"token\":\"%s\"", token); /* base62 and '_': nothing to escape */
	cryptox_wipe(token, sizeof(token));
	return ERR_OK;
}

enum err api_tokens_post(struct hctx *c)
{
	static const char *const members[] = {"name"};
	const char *name = "";
	struct jsonx_doc *d;
	enum err e;

	if ((e = api_read_json(c, members, 1, &d)) != ERR_OK)
		return e;
	if (jsonx_has(d, "name") && !jsonx_get_str(d, "name", &name)) {
		c->parameter = "name";
		return api_bad_body(c, "name must be a string.");
	}
	return api_change(c, 201, token_work, (void *)name);
}

enum err api_tokens_revoke_handler(struct hctx *c)
{
	return api_change_id(c, "id", "There is no such token.", api_tokens_revoke, "revoked");
}
