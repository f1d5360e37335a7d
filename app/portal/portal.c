/* Templates, sessions, CSRF, forms and page rendering for the portal. */
#include "portal.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/codec.h"
#include "../../lib/cookie.h"
#include "../../lib/cryptox.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../api/api.h"
#include "../api/api_db.h"

#define SESSION_COOKIE	     "tg_session"
#define SESSION_COOKIE_HTTPS "__Host-tg_session"
#define PRE_COOKIE	     "tg_pre"
#define PRE_COOKIE_HTTPS     "__Host-tg_pre"
#define SESSION_MAX_AGE_S    (7 * 24 * 3600)
#define TOKEN_BYTES	     32
#define TOKEN_HEX	     (2 * TOKEN_BYTES)
#define FORM_MAX	     (64 * 1024)

/* What a page may load and where it may be framed and posted: only this site. */
static const char csp[] = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
			  "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
			  "base-uri 'none'";

static struct tmpl_set *templates;

bool portal_load(const char *dir, char *msg, size_t msglen)
{
	struct tmpl_set *s;

	if (tmpl_set_load(dir, &s, msg, msglen) != ERR_OK)
		return false;
	portal_unload();
	templates = s;
	return true;
}

void portal_unload(void)
{
	tmpl_set_free(templates);
	templates = NULL;
}

const struct tmpl_set *portal_templates(void)
{
	return templates;
}

bool portal_https(const struct hctx *c)
{
	const char *h = fcgi_param(c->rq, "HTTPS");

	return h != NULL && strcmp(h, "on") == 0;
}

/* The keyed hash a session's cookie is stored as, or its CSRF token is derived from:
 * purpose keeps the two apart. */
static void token_hash(const struct hctx *c, const char *purpose, const char *token,
		       unsigned char out[CRYPTOX_HASH_BYTES])
{
	char msg[16 + TOKEN_HEX + 1];
	int n = snprintf(msg, sizeof(msg), "%s:%s", purpose, token);

	cryptox_keyed_hash(out, c->app->cfg->secret_key, msg, (size_t)n);
	cryptox_wipe(msg, sizeof(msg));
}

static void csrf_of(const struct hctx *c, const char *token, char out[65])
{
	unsigned char h[CRYPTOX_HASH_BYTES];

	token_hash(c, "csrf", token, h);
	codec_hex(h, sizeof(h), out);
}

static bool is_token(struct str s)
{
	size_t i;

	if (s.len != TOKEN_HEX)
		return false;
	for (i = 0; i < s.len; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return false;
	return true;
}

/* The token in cookie name, copied into out, when it is well formed. */
static bool cookie_token(const struct hctx *c, const char *name, char out[TOKEN_HEX + 1])
{
	struct str v;

	if (!cookie_get(fcgi_param(c->rq, "HTTP_COOKIE"), name, &v) || !is_token(v))
		return false;
	memcpy(out, v.p, TOKEN_HEX);
	out[TOKEN_HEX] = '\0';
	return true;
}

static bool set_cookie(struct hctx *c, const char *name, const char *value, int64_t max_age)
{
	char line[256];

	return cookie_format(line, sizeof(line), name, value, max_age, portal_https(c)) &&
	       fcgi_header(c->rs, "Set-Cookie", line);
}

static const char *session_cookie(const struct hctx *c)
{
	return portal_https(c) ? SESSION_COOKIE_HTTPS : SESSION_COOKIE;
}

enum err portal_form(struct hctx *c, const struct form **out)
{
	const char *ct = fcgi_param(c->rq, "CONTENT_TYPE"), *bad, *why;
	struct form *f;
	enum err e;

	if (c->form != NULL) {
		*out = c->form;
		return ERR_OK;
	}
	*out = NULL;
	if (ct == NULL ||
	    !str_case_has_prefix(str_trim(str_c(ct)), "application/x-www-form-urlencoded")) {
		c->detail = "This page takes a form (application/x-www-form-urlencoded).";
		return ERR_INPUT;
	}
	if ((e = fcgi_read_body(c->rq, FORM_MAX)) != ERR_OK) {
		c->detail = e == ERR_TOOBIG ? "The form is too large." : "The form did not arrive.";
		return e;
	}
	if ((f = arena_alloc(c->arena, sizeof(*f))) == NULL)
		return ERR_TOOBIG;
	e = form_parse(c->arena, c->rq->body, true, f, &bad, &why);
	if (e == ERR_INPUT) {
		c->detail = "The form is malformed.";
		log_info("portal: form field '%.64s' %s", bad, why);
		return e;
	}
	if (e != ERR_OK)
		return e;
	c->form = f;
	*out = f;
	return ERR_OK;
}

enum err portal_auth_session(struct hctx *c)
{
	char token[TOKEN_HEX + 1], hex[2 * CRYPTOX_HASH_BYTES + 3];
	unsigned char hash[CRYPTOX_HASH_BYTES];
	const char *params[1] = {hex}, *method = fcgi_param(c->rq, "REQUEST_METHOD"), *sent;
	struct portal_session *s;
	const struct form *f;
	struct sql_res *r;
	enum err e;

	if (!cookie_token(c, session_cookie(c), token))
		return ERR_AUTH;
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	token_hash(c, "session", token, hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	if ((e = api_sql_retry(c, &r,
			       "SELECT session_id, user_id, tenant_id, email, role, status "
			       "FROM tollgate_session_lookup($1)",
			       1, params)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_AUTH;
	if (strcmp(sql_get(r, 0, 5), "active") != 0) {
		c->detail = "Your organisation's account is suspended. Contact the operator.";
		return ERR_FORBIDDEN;
	}
	if ((s = arena_alloc(c->arena, sizeof(*s))) == NULL)
		return ERR_TOOBIG;
	memset(s, 0, sizeof(*s));
	s->id = sql_get_i64(r, 0, 0);
	s->user_id = sql_get_i64(r, 0, 1);
	snprintf(s->email, sizeof(s->email), "%s", sql_get(r, 0, 3));
	snprintf(s->role, sizeof(s->role), "%s", sql_get(r, 0, 4));
	csrf_of(c, token, s->csrf);
	cryptox_wipe(token, sizeof(token));
	c->session = s;
	c->tenant_id = sql_get_i64(r, 0, 2);
	if (method != NULL && strcmp(method, "POST") == 0) {
		if ((e = portal_form(c, &f)) != ERR_OK)
			return e;
		sent = form_get(f, "csrf");
		if (sent == NULL || strlen(sent) != 64 || !cryptox_equal(sent, s->csrf, 64)) {
			c->detail = "This form has expired or did not come from this site. "
				    "Go back, reload the page and try again.";
			return ERR_FORBIDDEN;
		}
	}
	if (api_db_tenant_begin(c) != ERR_OK)
		return api_unavailable(c);
	return ERR_OK;
}

enum err portal_session_start(struct hctx *c, int64_t user_id)
{
	unsigned char raw[TOKEN_BYTES], hash[CRYPTOX_HASH_BYTES];
	char token[TOKEN_HEX + 1], hex[2 * CRYPTOX_HASH_BYTES + 3], tenant[24], user[24];
	char ipbuf[64] = "";
	const char *params[4] = {tenant, user, hex, ipbuf}, *ip;
	enum err e;

	if (api_db_tenant_begin(c) != ERR_OK)
		return api_unavailable(c);
	cryptox_random(raw, sizeof(raw));
	codec_hex(raw, sizeof(raw), token);
	token_hash(c, "session", token, hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(user, user_id);
	ip = fcgi_param(c->rq, "TG_PEER");
	snprintf(ipbuf, sizeof(ipbuf), "%s", ip != NULL ? ip : "");
	e = api_sql(c, NULL,
		    "INSERT INTO portal_sessions (tenant_id, user_id, hash, ip) "
		    "VALUES ($1, $2, $3, $4)",
		    4, params);
	if (e == ERR_OK)
		e = api_sql(c, NULL,
			    "UPDATE users SET last_login_at = now() "
			    "WHERE tenant_id = $1 AND id = $2",
			    2, params);
	if (e == ERR_OK && !set_cookie(c, session_cookie(c), token, SESSION_MAX_AGE_S))
		e = ERR_SYS;
	cryptox_wipe(raw, sizeof(raw));
	cryptox_wipe(token, sizeof(token));
	return e;
}

enum err portal_session_end(struct hctx *c)
{
	char id[24], tenant[24];
	const char *params[2] = {tenant, id};
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(id, c->session->id);
	e = api_sql(c, NULL, "DELETE FROM portal_sessions WHERE tenant_id = $1 AND id = $2", 2,
		    params);
	if (e == ERR_OK && !set_cookie(c, session_cookie(c), "", 0))
		e = ERR_SYS;
	return e;
}

const char *portal_pre_token(struct hctx *c)
{
	const char *name = portal_https(c) ? PRE_COOKIE_HTTPS : PRE_COOKIE;
	unsigned char raw[TOKEN_BYTES];
	char *token = arena_alloc(c->arena, TOKEN_HEX + 1);

	if (token == NULL)
		return "";
	if (cookie_token(c, name, token))
		return token;
	cryptox_random(raw, sizeof(raw));
	codec_hex(raw, sizeof(raw), token);
	/* A browser session's cookie: it guards only the forms shown before login. */
	set_cookie(c, name, token, -1);
	return token;
}

bool portal_pre_check(struct hctx *c, const struct form *f)
{
	const char *name = portal_https(c) ? PRE_COOKIE_HTTPS : PRE_COOKIE;
	const char *sent = form_get(f, "csrf");
	char token[TOKEN_HEX + 1];

	return cookie_token(c, name, token) && sent != NULL && strlen(sent) == TOKEN_HEX &&
	       cryptox_equal(sent, token, TOKEN_HEX);
}

bool portal_set_str(struct tmpl_value *m, const char *key, const char *s)
{
	return tmpl_map_set(m, key, tmpl_str(m->arena, s));
}

bool portal_set_int(struct tmpl_value *m, const char *key, int64_t v)
{
	return tmpl_map_set(m, key, tmpl_int(m->arena, v));
}

struct tmpl_value *portal_ctx(struct hctx *c, const char *title, const char *nav)
{
	struct tmpl_value *m = tmpl_map(c->arena), *navs = tmpl_map(c->arena);

	portal_set_str(m, "title", title);
	portal_set_str(m, "request_id", c->request_id);
	if (c->session != NULL) {
		struct tmpl_value *u = tmpl_map(c->arena);

		portal_set_str(u, "email", c->session->email);
		portal_set_str(u, "role", c->session->role);
		tmpl_map_set(m, "user", u);
		portal_set_str(m, "csrf", c->session->csrf);
	}
	if (nav != NULL)
		tmpl_map_set(navs, nav, tmpl_bool(true));
	tmpl_map_set(m, "nav", navs);
	return m;
}

static void page_headers(struct hctx *c)
{
	fcgi_header(c->rs, "Content-Security-Policy", csp);
	fcgi_header(c->rs, "X-Frame-Options", "DENY");
	fcgi_header(c->rs, "X-Content-Type-Options", "nosniff");
	fcgi_header(c->rs, "Referrer-Policy", "same-origin");
	fcgi_header(c->rs, "Cache-Control", "no-store");
	if (portal_https(c))
		fcgi_header(c->rs, "Strict-Transport-Security", "max-age=31536000");
}

enum err portal_render(struct hctx *c, int status, const char *name, const struct tmpl_value *ctx)
{
	enum err e;

	if (templates == NULL) {
		c->detail = "The portal's templates are not loaded (see the server log).";
		return ERR_UNAVAILABLE;
	}
	buf_reset(&c->rs->body);
	e = tmpl_set_render(templates, name, ctx, &c->rs->body);
	if (e != ERR_OK) {
		log_warnx("portal: rendering %s: %s", name, err_name(e));
		return e == ERR_NOTFOUND ? ERR_SYS : e;
	}
	c->rs->status = status;
	fcgi_header(c->rs, "Content-Type", "text/html; charset=utf-8");
	page_headers(c);
	return ERR_OK;
}

enum err portal_redirect(struct hctx *c, const char *path)
{
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
		path = "/portal/"; /* never to another site */
	buf_reset(&c->rs->body);
	c->rs->status = 303;
	fcgi_header(c->rs, "Location", path);
	page_headers(c);
	return ERR_OK;
}

void portal_page_error(struct hctx *c, int status, enum err e)
{
	struct tmpl_value *ctx;
	const char *title;

	buf_reset(&c->rs->body);
	if (e == ERR_AUTH) {
		/* Not signed in (or the session ended): to the login page, and back after. */
		if (portal_redirect(c, "/portal/login") != ERR_OK)
			c->rs->status = 500;
		return;
	}
	switch (status) {
	case 400:
	case 422:
		title = "That did not work";
		break;
	case 403:
		title = "Not allowed";
		break;
	case 404:
		title = "Page not found";
		break;
	case 405:
		title = "Method not allowed";
		break;
	case 413:
		title = "Too large";
		break;
	case 429:
		title = "Too many attempts";
		break;
	case 503:
		title = "Temporarily unavailable";
		break;
	default:
		title = "Something went wrong";
		break;
	}
	ctx = portal_ctx(c, title, NULL);
	portal_set_int(ctx, "status", status);
	portal_set_str(ctx, "detail",
		       c->detail != NULL ? c->detail
					 : "The server could not complete this request.");
	if (status >= 500)
		log_warnx("portal: %d: %s", status, c->detail != NULL ? c->detail : err_name(e));
	if (portal_render(c, status, "error", ctx) != ERR_OK) {
		/* No templates: a plain page still says what happened. */
		buf_reset(&c->rs->body);
		c->rs->status = status;
		fcgi_header(c->rs, "Content-Type", "text/plain; charset=utf-8");
		buf_printf(&c->rs->body, "%d %s\n\nRequest id: %s\n", status, title, c->request_id);
	}
}
