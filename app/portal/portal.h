/* The onboarding portal (/portal/...): pages for a tenant's staff, rendered from
 * templates/ on the console's pool. This header is the part every page shares: the
 * compiled templates, the session behind the cookie, CSRF tokens, forms, and rendering a
 * page or an error page with the headers a careful site sends. */
#ifndef APP_PORTAL_H
#define APP_PORTAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/form.h"
#include "../../lib/tmpl.h"
#include "../app.h"

/* The signed-in user behind a request's session cookie (ROUTE_SESSION routes). */
struct portal_session {
	int64_t id;
	int64_t user_id;
	char email[256];
	char role[16];
	char csrf[65];	  /* the token every form of this session carries */
	bool is_operator; /* an operator's session (admin pages); user_id is the operator's */
};

/* Loads templates from dir into this process (a console worker, at start; a reload starts
 * new workers, which load them again). False with msg filled when they do not compile:
 * pages then answer 500, the API keeps working. */
bool portal_load(const char *dir, char *msg, size_t msglen);
void portal_unload(void);
/* The templates, or NULL when none are loaded. */
const struct tmpl_set *portal_templates(void);

/* The route table's auth_session: the session cookie's user and tenant, whose transaction
 * it opens (as api_auth_tenant does for tokens). ERR_AUTH when there is no live session
 * (portal_page_error sends the browser to the login page). On a POST, the form's csrf
 * field must be the session's token: ERR_FORBIDDEN otherwise. */
enum err portal_auth_session(struct hctx *c) WUR;
/* The route table's auth_admin: an operator's session cookie, whose transaction it opens
 * as the admin role (every tenant visible); CSRF as above. */
enum err portal_auth_admin(struct hctx *c) WUR;
/* The route table's page_error: an HTML page for e (or the redirect to log in). */
void portal_page_error(struct hctx *c, int status, enum err e);

/* The request's urlencoded body, parsed (at most 64 KiB); read once, kept in c. ERR_INPUT
 * with a page-ready message in c->detail for a malformed form. */
enum err portal_form(struct hctx *c, const struct form **out) WUR;

/* A fresh context for a page, with what the layout shows (the user, the CSRF token, which
 * navigation entry is current). */
struct tmpl_value *portal_ctx(struct hctx *c, const char *title, const char *nav);
/* Renders template name with ctx as the answer, with status and the page headers. */
enum err portal_render(struct hctx *c, int status, const char *name,
		       const struct tmpl_value *ctx) WUR;
/* The same, for a page whose forms may also lead elsewhere (Stripe's hosted pages):
 * form_targets is a space-separated list of origins the page's CSP adds to form-action. */
enum err portal_render_to(struct hctx *c, int status, const char *name,
			  const struct tmpl_value *ctx, const char *form_targets) WUR;
/* 303 See Other to path (a local path: it must start with '/'). */
enum err portal_redirect(struct hctx *c, const char *path) WUR;

/* Starts a session for user_id of tenant_id (c->tenant_id is set and its transaction
 * opened here) and sets its cookie. */
enum err portal_session_start(struct hctx *c, int64_t user_id) WUR;
/* Starts an operator's session and sets its cookie. */
enum err portal_admin_session_start(struct hctx *c, int64_t operator_id) WUR;
/* Ends the current session (either kind) and clears its cookie. */
enum err portal_session_end(struct hctx *c) WUR;

/* The double-submit token of forms shown before login (sign-up, login): set as a cookie
 * when the browser has none, and put in the form; portal_pre_check() compares the two. */
const char *portal_pre_token(struct hctx *c);
bool portal_pre_check(struct hctx *c, const struct form *f);

/* A one-use token for a link in a mail: 64 hex digits (the link's), and its keyed hash
 * for purpose ("verify", "reset") as an SQL bytea parameter (what is stored). */
#define PORTAL_TOKEN_HEX 64
void portal_token_new(const struct hctx *c, const char *purpose, char token[PORTAL_TOKEN_HEX + 1],
		      char hash_param[2 * 32 + 3]);
/* The stored form of a token from a link; false when token is not one we make. */
bool portal_token_hash(const struct hctx *c, const char *purpose, const char *token,
		       char hash_param[2 * 32 + 3]);
/* Queues a mail in the outbox, in the request's transaction (the mailer sends it). */
enum err portal_mail(struct hctx *c, const char *to, const char *subject, const char *body) WUR;

/* The client's address as text ("" when unknown), for sessions and the audit log. */
void portal_client_ip(const struct hctx *c, char out[64]);

/* True when the request came over HTTPS (cookies get Secure and the __Host- prefix). */
bool portal_https(const struct hctx *c);

/* Row i of r as a map, each column under names[j] (NULL skips one; SQL NULL is null), with
 * the session's CSRF token for the forms a row carries; every row as a list of those; the
 * first map of such a list (NULL when empty). */
struct sql_res;
struct tmpl_value *portal_row(struct hctx *c, const struct sql_res *r, int i,
			      const char *const *names, int n);
struct tmpl_value *portal_rows(struct hctx *c, const struct sql_res *r, const char *const *names,
			       int n);
struct tmpl_value *portal_first(struct tmpl_value *list);

/* Values of ctx from SQL text, as pages show them. */
bool portal_set_str(struct tmpl_value *m, const char *key, const char *s);
bool portal_set_int(struct tmpl_value *m, const char *key, int64_t v);
/* A count as people read it: 1,234,567. */
bool portal_set_count(struct tmpl_value *m, const char *key, int64_t v);

#endif
