/* Signing up, logging in and out. */
#include "portal_account.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../api/api.h"
#include "../api/api_audit.h"
#include "../api/api_db.h"
#include "../gate/gate_limits.h"
#include "portal.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024

static bool printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static const char *str_or(const char *s)
{
	return s != NULL ? s : "";
}

static const char *field(const struct form *f, const char *name)
{
	const char *v = f != NULL ? form_get(f, name) : NULL;

	return v != NULL ? v : "";
}

/* The sign-up or login form, again, with what was typed (but the password) and why not. */
static enum err account_form(struct hctx *c, const char *page, int status, const char *error)
{
	struct tmpl_value *ctx =
	    portal_ctx(c, strcmp(page, "signup") == 0 ? "Create your account" : "Log in", NULL);

	portal_set_str(ctx, "pre", portal_pre_token(c));
	portal_set_str(ctx, "email", field(c->form, "email"));
	portal_set_str(ctx, "org", field(c->form, "org"));
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	else if (strcmp(str_or(fcgi_param(c->rq, "QUERY_STRING")), "reset=1") == 0)
		portal_set_str(ctx, "notice",
			       "Your password was changed. Log in with the new one.");
	return portal_render(c, status, page, ctx);
}

enum err portal_signup_page(struct hctx *c)
{
	return account_form(c, "signup", 200, NULL);
}

enum err portal_login_page(struct hctx *c)
{
	return account_form(c, "login", 200, NULL);
}

/* Forms shown before login carry the double-submit token: a page of another site cannot
 * sign a browser up, or in, to an account of the attacker's. */
static enum err pre_form(struct hctx *c, const char *page, const struct form **f)
{
	enum err e = portal_form(c, f);

	if (e != ERR_OK)
		return e;
	if (!portal_pre_check(c, *f))
		return account_form(c, page, 403, "This form has expired. Please try again.") ==
			       ERR_OK
			   ? ERR_CONFLICT
			   : ERR_SYS;
	return ERR_OK;
}

static enum err welcome_mail(struct hctx *c, int64_t user_id, const char *email,
			     const char *org) WUR;

enum err portal_signup(struct hctx *c)
{
	const struct form *f;
	const char *email, *password, *org, *params[3];
	char hash[CRYPTOX_PWHASH_LEN], orgbuf[201];
	struct portal_session who;
	struct sql_res *r;
	struct str o;
	enum err e;

	if ((e = pre_form(c, "signup", &f)) != ERR_OK)
		return e == ERR_CONFLICT ? ERR_OK : e;
	email = field(f, "email");
	password = field(f, "password");
	o = str_trim(str_c(field(f, "org")));
	if (!api_email_ok(email))
		return account_form(c, "signup", 422, "Enter a valid email address.");
	if (strlen(password) < PASSWORD_MIN || strlen(password) > PASSWORD_MAX)
		return account_form(c, "signup", 422,
				    "Choose a password of at least 10 characters.");
	if (o.len == 0 || o.len > 200)
		return account_form(c, "signup", 422,
				    "Enter your organisation's name (at most 200 characters).");
	memcpy(orgbuf, o.p, o.len);
	orgbuf[o.len] = '\0';
	org = orgbuf;
	if (!printable(org))
		return account_form(c, "signup", 422,
				    "The organisation's name holds characters it may not.");
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	if (cryptox_pwhash(password, strlen(password), hash) != ERR_OK)
		return ERR_SYS;
	params[0] = email;
	params[1] = hash;
	params[2] = org;
	if ((e = api_sql_retry(c, &r,
			       "SELECT tenant_id, user_id, slug FROM tollgate_signup($1, $2, $3)",
			       3, params)) != ERR_OK)
		return e;
	cryptox_wipe(hash, sizeof(hash));
	if (sql_rows(r) != 1)
		return account_form(c, "signup", 422,
				    "An account with this email already exists. Log in instead.");
	c->tenant_id = sql_get_i64(r, 0, 0);
	log_info("portal: signed up tenant %s (id %lld)", sql_get(r, 0, 2),
		 (long long)c->tenant_id);
	if ((e = portal_session_start(c, sql_get_i64(r, 0, 1))) != ERR_OK)
		return e;
	memset(&who, 0, sizeof(who));
	snprintf(who.email, sizeof(who.email), "%s", email);
	c->session = &who;
	e = api_audit(c, c->tenant_id, "tenant.signup", sql_get(r, 0, 2));
	c->session = NULL;
	if (e == ERR_OK)
		e = welcome_mail(c, sql_get_i64(r, 0, 1), email, org);
	return e != ERR_OK ? e : portal_redirect(c, "/portal/");
}

/* The welcome mail, with the link that verifies the address (valid 7 days). */
static enum err welcome_mail(struct hctx *c, int64_t user_id, const char *email, const char *org)
{
	char token[PORTAL_TOKEN_HEX + 1], hash[2 * 32 + 3], tenant[24], user[24], body[2048];
	const char *params[3] = {tenant, user, hash};
	enum err e;

	portal_token_new(c, "verify", token, hash);
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(user, user_id);
	e = api_sql(c, NULL,
		    "INSERT INTO user_tokens (tenant_id, user_id, purpose, hash, expires_at) "
		    "VALUES ($1, $2, 'verify', $3, now() + interval '7 days')",
		    3, params);
	snprintf(body, sizeof(body),
		 "Welcome to Tollgate, and thank you for signing up %s.\n\n"
		 "Confirm that this address is yours:\n\n  %s/portal/verify?token=%s\n\n"
		 "The link works for 7 days. If you did not sign up, ignore this mail.\n",
		 org, c->app->cfg->console_url, token);
	if (e == ERR_OK)
		e = portal_mail(c, email, "Confirm your email for Tollgate", body);
	cryptox_wipe(token, sizeof(token));
	cryptox_wipe(body, sizeof(body));
	return e;
}

/* Checked when the email is unknown, so that a wrong email costs what a wrong password
 * does: timing tells nothing about who has an account. */
static const char *dummy_hash(void)
{
	static char h[CRYPTOX_PWHASH_LEN];

	if (h[0] == '\0' && cryptox_pwhash("not a password", 14, h) != ERR_OK)
		h[0] = '\0';
	return h;
}

/* Email and password, checked (Argon2id) against a user of a tenant or an operator;
 * failures count against the address like bad keys, and past the allowance even the right
 * password waits. */
static enum err login(struct hctx *c, bool admin)
{
	static const char wrong[] = "The email or the password is not right.";
	const char *page = admin ? "admin/login" : "login";
	const struct form *f;
	const char *email, *password, *params[1];
	struct portal_session who;
	unsigned char ip[16];
	bool has_ip = hctx_client_ip(c, ip), ok;
	struct sql_res *r;
	int64_t retry;
	enum err e;

	if ((e = pre_form(c, page, &f)) != ERR_OK)
		return e == ERR_CONFLICT ? ERR_OK : e;
	if (has_ip &&
	    limits_authfail_exhausted(c->app->state, c->app->cfg, ip, state_mono_ns(), &retry)) {
		fcgi_headerf(c->rs, "Retry-After", "%lld", (long long)retry);
		return account_form(c, page, 429,
				    "Too many failed attempts from your address. "
				    "Wait a minute and try again.");
	}
	email = field(f, "email");
	password = field(f, "password");
	if (!api_email_ok(email) || strlen(password) > PASSWORD_MAX)
		return account_form(c, page, 422, wrong);
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	params[0] = email;
	e = api_sql_retry(c, &r,
			  admin ? "SELECT operator_id, 0, password_hash, 'active' "
				  "FROM tollgate_operator_lookup($1)"
				: "SELECT user_id, tenant_id, password_hash, status "
				  "FROM tollgate_login_lookup($1)",
			  1, params);
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) == 1)
		ok = cryptox_pwhash_verify(sql_get(r, 0, 2), password, strlen(password));
	else {
		(void)cryptox_pwhash_verify(dummy_hash(), password, strlen(password));
		ok = false;
	}
	if (!ok) {
		if (has_ip)
			limits_authfail_count(c->app->state, c->app->cfg, ip, state_mono_ns());
		return account_form(c, page, 401, wrong);
	}
	if (strcmp(sql_get(r, 0, 3), "active") != 0) {
		c->detail = "Your organisation's account is suspended. Contact the operator.";
		return ERR_FORBIDDEN;
	}
	memset(&who, 0, sizeof(who));
	snprintf(who.email, sizeof(who.email), "%s", email);
	who.is_operator = admin;
	c->session = &who;
	if (admin) {
		if (api_db_admin_begin(c) != ERR_OK)
			return api_unavailable(c);
		e = portal_admin_session_start(c, sql_get_i64(r, 0, 0));
	} else {
		c->tenant_id = sql_get_i64(r, 0, 1);
		e = portal_session_start(c, sql_get_i64(r, 0, 0));
	}
	if (e == ERR_OK)
		e = api_audit(c, c->tenant_id, admin ? "operator.login" : "user.login", email);
	c->session = NULL;
	if (e != ERR_OK)
		return e;
	return portal_redirect(c, admin ? "/admin/" : "/portal/");
}

enum err portal_login(struct hctx *c)
{
	return login(c, false);
}

enum err portal_admin_login_page(struct hctx *c)
{
	return account_form(c, "admin/login", 200, NULL);
}

enum err portal_admin_login(struct hctx *c)
{
	return login(c, true);
}

enum err portal_logout(struct hctx *c)
{
	bool admin = c->session->is_operator;
	enum err e = api_audit(c, c->tenant_id, admin ? "operator.logout" : "user.logout", "");

	if (e == ERR_OK)
		e = portal_session_end(c);
	return e != ERR_OK ? e : portal_redirect(c, admin ? "/admin/login" : "/portal/login");
}

/* A page that says one thing (a link's result, what happens next). */
static enum err notice(struct hctx *c, int status, const char *title, const char *text)
{
	struct tmpl_value *ctx = portal_ctx(c, title, NULL);

	portal_set_str(ctx, "text", text);
	return portal_render(c, status, "notice", ctx);
}

/* The token in the query string (?token=...), or NULL. */
static const char *query_token(struct hctx *c)
{
	struct form *q = arena_alloc(c->arena, sizeof(*q));
	const char *bad, *why;

	if (q == NULL || form_parse(c->arena, str_c(fcgi_param(c->rq, "QUERY_STRING")), false, q,
				    &bad, &why) != ERR_OK)
		return NULL;
	return form_get(q, "token");
}

enum err portal_forgot_page(struct hctx *c)
{
	struct tmpl_value *ctx = portal_ctx(c, "Forgot your password?", NULL);

	portal_set_str(ctx, "pre", portal_pre_token(c));
	return portal_render(c, 200, "forgot", ctx);
}

/* Always the same answer, whether the email has an account or not. Each request counts
 * against the address like a failed login, which bounds the mail one client can cause. */
enum err portal_forgot(struct hctx *c)
{
	static const char sent[] = "If an account uses that address, a link to choose a new "
				   "password is on its way. It works for one hour.";
	char token[PORTAL_TOKEN_HEX + 1], hash[2 * 32 + 3], body[1024];
	const struct form *f;
	const char *email, *params[2];
	unsigned char ip[16];
	bool has_ip = hctx_client_ip(c, ip);
	struct sql_res *r;
	int64_t retry;
	enum err e;

	if ((e = pre_form(c, "forgot", &f)) != ERR_OK)
		return e == ERR_CONFLICT ? ERR_OK : e;
	if (has_ip) {
		if (limits_authfail_exhausted(c->app->state, c->app->cfg, ip, state_mono_ns(),
					      &retry)) {
			fcgi_headerf(c->rs, "Retry-After", "%lld", (long long)retry);
			c->detail =
			    "Too many attempts from your address. Wait a minute and try again.";
			return ERR_LIMIT;
		}
		limits_authfail_count(c->app->state, c->app->cfg, ip, state_mono_ns());
	}
	email = field(f, "email");
	if (!api_email_ok(email))
		return notice(c, 200, "Check your mail", sent);
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	portal_token_new(c, "reset", token, hash);
	params[0] = email;
	params[1] = hash;
	if ((e = api_begin(c)) != ERR_OK)
		return e;
	e = api_sql(c, &r, "SELECT email FROM tollgate_reset_start($1, $2)", 2, params);
	if (e == ERR_OK && sql_rows(r) == 1) {
		snprintf(
		    body, sizeof(body),
		    "Someone (we hope you) asked to choose a new password for %s on Tollgate.\n\n"
		    "  %s/portal/reset?token=%s\n\n"
		    "The link works once, for one hour. If it was not you, ignore this mail: "
		    "your password stays as it is.\n",
		    sql_get(r, 0, 0), c->app->cfg->console_url, token);
		e = portal_mail(c, sql_get(r, 0, 0), "Choose a new Tollgate password", body);
		cryptox_wipe(body, sizeof(body));
	}
	cryptox_wipe(token, sizeof(token));
	if (e == ERR_OK)
		e = api_sql(c, NULL, "COMMIT", 0, NULL);
	if (e != ERR_OK) {
		api_db_rollback(c);
		return e;
	}
	return notice(c, 200, "Check your mail", sent);
}

static enum err reset_form(struct hctx *c, int status, const char *token, const char *error)
{
	struct tmpl_value *ctx = portal_ctx(c, "Choose a new password", NULL);

	portal_set_str(ctx, "pre", portal_pre_token(c));
	portal_set_str(ctx, "token", token);
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	return portal_render(c, status, "reset", ctx);
}

enum err portal_reset_page(struct hctx *c)
{
	const char *token = query_token(c);
	char hash[2 * 32 + 3];

	if (!portal_token_hash(c, "reset", token, hash))
		return notice(
		    c, 400, "That link is not right",
		    "The link is incomplete. Copy the whole link from the mail, or ask for "
		    "a new one.");
	return reset_form(c, 200, token, NULL);
}

enum err portal_reset(struct hctx *c)
{
	const struct form *f;
	const char *token, *password, *params[2];
	char hash[2 * 32 + 3], pw[CRYPTOX_PWHASH_LEN];
	struct sql_res *r;
	enum err e;

	if ((e = pre_form(c, "reset", &f)) != ERR_OK)
		return e == ERR_CONFLICT ? ERR_OK : e;
	token = field(f, "token");
	password = field(f, "password");
	if (!portal_token_hash(c, "reset", token, hash))
		return notice(c, 400, "That link is not right",
			      "The link is incomplete. Ask for a new one.");
	if (strlen(password) < PASSWORD_MIN || strlen(password) > PASSWORD_MAX)
		return reset_form(c, 422, token, "Choose a password of at least 10 characters.");
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	if (cryptox_pwhash(password, strlen(password), pw) != ERR_OK)
		return ERR_SYS;
	params[0] = hash;
	params[1] = pw;
	e = api_sql_retry(c, &r, "SELECT user_id, tenant_id FROM tollgate_reset_finish($1, $2)", 2,
			  params);
	cryptox_wipe(pw, sizeof(pw));
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return notice(c, 400, "That link has expired",
			      "The link was used already, or is more than an hour old. Ask for a "
			      "new one on the login page.");
	log_info("portal: user %s of tenant %s chose a new password", sql_get(r, 0, 0),
		 sql_get(r, 0, 1));
	return portal_redirect(c, "/portal/login?reset=1");
}

enum err portal_verify(struct hctx *c)
{
	const char *token = query_token(c), *params[1];
	char hash[2 * 32 + 3];
	struct sql_res *r;
	enum err e;

	if (!portal_token_hash(c, "verify", token, hash))
		return notice(c, 400, "That link is not right",
			      "The link is incomplete. Copy the whole link from the mail.");
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	params[0] = hash;
	if ((e = api_sql_retry(c, &r, "SELECT email FROM tollgate_verify_email($1)", 1, params)) !=
	    ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return notice(c, 400, "That link has expired",
			      "The link was used already, or is more than 7 days old.");
	return notice(c, 200, "Email confirmed", "Thank you: your address is confirmed.");
}
