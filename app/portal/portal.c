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

/* The policy with more places forms may lead to (a redirect to them included). */
static char *afmt_csp(struct hctx *c, const char *form_targets)
{
	size_t n = sizeof(csp) + strlen(form_targets) + 2;
	char *p = arena_alloc(c->arena, n);
	const char *at = strstr(csp, "form-action 'self'") + strlen("form-action 'self'");

	if (p != NULL)
		snprintf(p, n, "%.*s %s%s", (int)(at - csp), csp, form_targets, at);
	return p;
}

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

/* The two kinds of signed-in browser: a tenant's staff (the portal) and an operator (the
 * admin pages). Each has its own cookie, its own hashes and its own lookup. */
struct session_kind {
	const char *cookie, *cookie_https;
	const char *purpose; /* of the cookie's stored hash; "<purpose>-csrf" derives the token */
	int64_t max_age_s;
};
static const struct session_kind USER = {SESSION_COOKIE, SESSION_COOKIE_HTTPS, "session",
					 SESSION_MAX_AGE_S};
static const struct session_kind OPERATOR = {"tg_admin", "__Host-tg_admin", "admin", 12 * 3600};

static const char *kind_cookie(const struct hctx *c, const struct session_kind *k)
{
	return portal_https(c) ? k->cookie_https : k->cookie;
}

/* The cookie of kind k, checked: its row (r), the session it makes (*out, with its CSRF
 * token), and on a POST the form's token. */
static enum err session_check(struct hctx *c, const struct session_kind *k, const char *lookup,
			      struct sql_res **r, struct portal_session **out)
{
	char token[TOKEN_HEX + 1], hex[2 * CRYPTOX_HASH_BYTES + 3], purpose[32];
	unsigned char hash[CRYPTOX_HASH_BYTES];
	const char *params[1] = {hex}, *method = fcgi_param(c->rq, "REQUEST_METHOD"), *sent;
	struct portal_session *s;
	const struct form *f;
	enum err e;

	if (!cookie_token(c, kind_cookie(c, k), token))
		return ERR_AUTH;
	if (api_db_open(c) != ERR_OK)
		return api_unavailable(c);
	token_hash(c, k->purpose, token, hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	if ((e = api_sql_retry(c, r, lookup, 1, params)) != ERR_OK)
		return e;
	if (sql_rows(*r) != 1)
		return ERR_AUTH;
	if ((s = arena_alloc(c->arena, sizeof(*s))) == NULL)
		return ERR_TOOBIG;
	memset(s, 0, sizeof(*s));
	s->id = sql_get_i64(*r, 0, 0);
	s->user_id = sql_get_i64(*r, 0, 1);
	s->is_operator = k == &OPERATOR;
	snprintf(purpose, sizeof(purpose), "%s-csrf", k->purpose);
	{
		unsigned char h[CRYPTOX_HASH_BYTES];

		token_hash(c, purpose, token, h);
		codec_hex(h, sizeof(h), s->csrf);
	}
	cryptox_wipe(token, sizeof(token));
	c->session = s;
	*out = s;
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
	return ERR_OK;
}

enum err portal_auth_session(struct hctx *c)
{
	struct portal_session *s;
	struct sql_res *r;
	enum err e;

	e = session_check(c, &USER,
			  "SELECT session_id, user_id, tenant_id, email, role, status "
			  "FROM tollgate_session_lookup($1)",
			  &r, &s);
	if (e != ERR_OK)
		return e;
	snprintf(s->email, sizeof(s->email), "%s", sql_get(r, 0, 3));
	snprintf(s->role, sizeof(s->role), "%s", sql_get(r, 0, 4));
	c->tenant_id = sql_get_i64(r, 0, 2);
	/* A suspended tenant's staff may still log out, and nothing else. */
	if (strcmp(sql_get(r, 0, 5), "active") != 0 &&
	    strcmp(fcgi_param(c->rq, "PATH_INFO"), "/portal/logout") != 0) {
		c->detail = "Your organisation's account is suspended. Contact the operator.";
		return ERR_FORBIDDEN;
	}
	if (api_db_tenant_begin(c) != ERR_OK)
		return api_unavailable(c);
	return ERR_OK;
}

enum err portal_auth_admin(struct hctx *c)
{
	struct portal_session *s;
	struct sql_res *r;
	enum err e;

	e = session_check(
	    c, &OPERATOR,
	    "SELECT session_id, operator_id, email FROM tollgate_admin_session_lookup($1)", &r, &s);
	if (e != ERR_OK)
		return e;
	snprintf(s->email, sizeof(s->email), "%s", sql_get(r, 0, 2));
	snprintf(s->role, sizeof(s->role), "operator");
	if (api_db_admin_begin(c) != ERR_OK)
		return api_unavailable(c);
	return ERR_OK;
}

/* A new session of kind k: its secret goes to the cookie, its hash to params[hash_at] of
 * insert. */
static enum err session_new(struct hctx *c, const struct session_kind *k, const char *insert,
			    const char **params, int n, int hash_at)
{
	unsigned char raw[TOKEN_BYTES], hash[CRYPTOX_HASH_BYTES];
	char token[TOKEN_HEX + 1], hex[2 * CRYPTOX_HASH_BYTES + 3];
	enum err e;

	cryptox_random(raw, sizeof(raw));
	codec_hex(raw, sizeof(raw), token);
	token_hash(c, k->purpose, token, hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	params[hash_at] = hex;
	e = api_sql(c, NULL, insert, n, params);
	if (e == ERR_OK && !set_cookie(c, kind_cookie(c, k), token, k->max_age_s))
		e = ERR_SYS;
	cryptox_wipe(raw, sizeof(raw));
	cryptox_wipe(token, sizeof(token));
	return e;
}

enum err portal_session_start(struct hctx *c, int64_t user_id)
{
	char tenant[24], user[24], ip[64];
	const char *params[4] = {tenant, user, NULL, ip};
	enum err e;

	if (api_db_tenant_begin(c) != ERR_OK)
		return api_unavailable(c);
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(user, user_id);
	portal_client_ip(c, ip);
	e = session_new(c, &USER,
			"INSERT INTO portal_sessions (tenant_id, user_id, hash, ip) "
			"VALUES ($1, $2, $3, $4)",
			params, 4, 2);
	if (e == ERR_OK)
		e = api_sql(c, NULL,
			    "UPDATE users SET last_login_at = now() "
			    "WHERE tenant_id = $1 AND id = $2",
			    2, params);
	return e;
}

enum err portal_admin_session_start(struct hctx *c, int64_t operator_id)
{
	char op[24], ip[64];
	const char *params[3] = {op, NULL, ip};

	str_fmt_i64(op, operator_id);
	portal_client_ip(c, ip);
	return session_new(c, &OPERATOR, "SELECT tollgate_admin_session_start($1, $2, $3)", params,
			   3, 1);
}

enum err portal_session_end(struct hctx *c)
{
	char id[24], tenant[24];
	const char *params[2] = {tenant, id};
	const struct session_kind *k = c->session->is_operator ? &OPERATOR : &USER;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(id, c->session->id);
	if (c->session->is_operator)
		e = api_sql(c, NULL, "SELECT tollgate_admin_session_end($1)", 1, params + 1);
	else
		e = api_sql(c, NULL, "DELETE FROM portal_sessions WHERE tenant_id = $1 AND id = $2",
			    2, params);
	if (e == ERR_OK && !set_cookie(c, kind_cookie(c, k), "", 0))
		e = ERR_SYS;
	return e;
}

void portal_token_new(const struct hctx *c, const char *purpose, char token[PORTAL_TOKEN_HEX + 1],
		      char hash_param[2 * CRYPTOX_HASH_BYTES + 3])
{
	unsigned char raw[TOKEN_BYTES], hash[CRYPTOX_HASH_BYTES];

	cryptox_random(raw, sizeof(raw));
	codec_hex(raw, sizeof(raw), token);
	token_hash(c, purpose, token, hash);
	sql_bytea_param(hash, sizeof(hash), hash_param, 2 * CRYPTOX_HASH_BYTES + 3);
	cryptox_wipe(raw, sizeof(raw));
}

bool portal_token_hash(const struct hctx *c, const char *purpose, const char *token,
		       char hash_param[2 * CRYPTOX_HASH_BYTES + 3])
{
	unsigned char hash[CRYPTOX_HASH_BYTES];

	if (token == NULL || !is_token(str_c(token)))
		return false;
	token_hash(c, purpose, token, hash);
	sql_bytea_param(hash, sizeof(hash), hash_param, 2 * CRYPTOX_HASH_BYTES + 3);
	return true;
}

enum err portal_mail(struct hctx *c, const char *to, const char *subject, const char *body)
{
	const char *params[3] = {to, subject, body};

	return api_sql(c, NULL,
		       "INSERT INTO mail_outbox (to_addr, subject, body) VALUES ($1, $2, $3)", 3,
		       params);
}

void portal_client_ip(const struct hctx *c, char out[64])
{
	unsigned char ip[16];

	out[0] = '\0';
	if (hctx_client_ip(c, ip))
		codec_ip_format(ip, out, 64);
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

struct tmpl_value *portal_row(struct hctx *c, const struct sql_res *r, int i,
			      const char *const *names, int n)
{
	struct tmpl_value *m = tmpl_map(c->arena);
	int j;

	for (j = 0; j < n; j++)
		if (names[j] != NULL)
			tmpl_map_set(m, names[j],
				     sql_is_null(r, i, j) ? tmpl_null()
							  : tmpl_str(c->arena, sql_get(r, i, j)));
	if (c->session != NULL)
		portal_set_str(m, "csrf", c->session->csrf);
	return m;
}

struct tmpl_value *portal_rows(struct hctx *c, const struct sql_res *r, const char *const *names,
			       int n)
{
	struct tmpl_value *l = tmpl_list(c->arena);
	int i;

	for (i = 0; i < sql_rows(r); i++)
		tmpl_list_push(l, portal_row(c, r, i, names, n));
	return l;
}

struct tmpl_value *portal_first(struct tmpl_value *list)
{
	return list->head != NULL ? (struct tmpl_value *)list->head->v : NULL;
}

bool portal_set_str(struct tmpl_value *m, const char *key, const char *s)
{
	return tmpl_map_set(m, key, tmpl_str(m->arena, s));
}

bool portal_set_int(struct tmpl_value *m, const char *key, int64_t v)
{
	return tmpl_map_set(m, key, tmpl_int(m->arena, v));
}

bool portal_set_count(struct tmpl_value *m, const char *key, int64_t v)
{
	char digits[24], out[32];
	size_t n = str_fmt_i64(digits, v), i, o = 0, lead = digits[0] == '-';

	for (i = 0; i < n; i++) {
		if (i > lead && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return portal_set_str(m, key, out);
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
		tmpl_map_set(u, "operator", tmpl_bool(c->session->is_operator));
		tmpl_map_set(m, "user", u);
		portal_set_str(m, "csrf", c->session->csrf);
	}
	if (nav != NULL)
		tmpl_map_set(navs, nav, tmpl_bool(true));
	tmpl_map_set(m, "nav", navs);
	return m;
}

static void page_headers(struct hctx *c, const char *form_targets)
{
	if (form_targets != NULL && form_targets[0] != '\0') {
		char *policy = afmt_csp(c, form_targets);

		fcgi_header(c->rs, "Content-Security-Policy", policy != NULL ? policy : csp);
	} else
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
	return portal_render_to(c, status, name, ctx, NULL);
}

enum err portal_render_to(struct hctx *c, int status, const char *name,
			  const struct tmpl_value *ctx, const char *form_targets)
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
	page_headers(c, form_targets);
	return ERR_OK;
}

enum err portal_redirect(struct hctx *c, const char *path)
{
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
		path = "/portal/"; /* never to another site */
	buf_reset(&c->rs->body);
	c->rs->status = 303;
	fcgi_header(c->rs, "Location", path);
	page_headers(c, NULL);
	return ERR_OK;
}

void portal_page_error(struct hctx *c, int status, enum err e)
{
	struct tmpl_value *ctx;
	const char *title;

	buf_reset(&c->rs->body);
	if (e == ERR_AUTH) {
		/* Not signed in (or the session ended): to the login page. */
		const char *path = fcgi_param(c->rq, "PATH_INFO");
		bool admin = path != NULL && str_has_prefix(str_c(path), "/admin");

		if (portal_redirect(c, admin ? "/admin/login" : "/portal/login") != ERR_OK)
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
		buf_printf(&c->rs->body, "%d %s\n\n%s\n\nRequest id: %s\n", status, title,
			   c->detail != NULL ? c->detail : "", c->request_id);
	}
}
