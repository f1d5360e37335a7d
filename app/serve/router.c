/* The dispatcher, and the one mapping from enum err to HTTP status and problem. */
#include "router.h"

#include <string.h>

#include "../../lib/log.h"
#include "../../lib/problem.h"

static int err_status(enum err e)
{
	switch (e) {
	case ERR_OK:
		return 200;
	case ERR_INPUT:
		return 400;
	case ERR_AUTH:
		return 401;
	case ERR_FORBIDDEN:
		return 403;
	case ERR_NOTFOUND:
		return 404;
	case ERR_CONFLICT:
		return 409;
	case ERR_LIMIT:
		return 429;
	case ERR_TOOBIG:
		return 413;
	case ERR_DB:
		return 503;
	case ERR_UPSTREAM:
		return 502;
	case ERR_UNAVAILABLE:
		return 503;
	case ERR_SYS:
		return 500;
	case ERR_TIMEOUT:
		return 408;
	case ERR__MAX:
		break;
	}
	return 500;
}

static enum problem_kind err_problem(enum err e)
{
	switch (e) {
	case ERR_OK:
		return PROB_NONE;
	case ERR_INPUT:
		return PROB_BAD_REQUEST;
	case ERR_AUTH:
		return PROB_INVALID_API_KEY;
	case ERR_FORBIDDEN:
		return PROB_FORBIDDEN;
	case ERR_NOTFOUND:
		return PROB_NOT_FOUND;
	case ERR_CONFLICT:
		return PROB_CONFLICT;
	case ERR_LIMIT:
		return PROB_RATE_LIMITED;
	case ERR_TOOBIG:
		return PROB_TOO_LARGE;
	case ERR_DB:
		return PROB_UNAVAILABLE;
	case ERR_UPSTREAM:
		return PROB_NO_UPSTREAM;
	case ERR_UNAVAILABLE:
		return PROB_UNAVAILABLE;
	case ERR_SYS:
		return PROB_INTERNAL;
	case ERR_TIMEOUT:
		return PROB_TIMEOUT;
	case ERR__MAX:
		break;
	}
	return PROB_INTERNAL;
}

/* Replaces whatever the handler wrote with a problem+json body; keeps its headers. */
void router_problem(struct hctx *c, int status, enum problem_kind kind)
{
	const struct config *cfg = c->app->cfg;
	struct problem_ext ext[3] = {{"request_id", c->request_id, 0}};
	char type[600];
	struct problem p;

	snprintf(type, sizeof(type), "%s%s", cfg->problem_base, problem_slug(kind));
	memset(&p, 0, sizeof(p));
	p.type = type;
	p.title = problem_title(kind);
	p.status = status;
	p.detail = c->detail;
	p.ext = ext;
	p.next = 1;
	if (c->decision_id[0] != '\0')
		ext[p.next++] = (struct problem_ext){"decision_id", c->decision_id, 0};
	if (c->parameter != NULL)
		ext[p.next++] = (struct problem_ext){"parameter", c->parameter, 0};
	c->rs->status = p.status;
	buf_reset(&c->rs->body);
	fcgi_header(c->rs, "Content-Type", PROBLEM_CONTENT_TYPE);
	fcgi_header(c->rs, "Cache-Control", "no-store");
	problem_write(&c->rs->body, &p);
	if (p.status >= 500)
		log_warnx("%d %s: %s", status, problem_slug(kind), c->detail ? c->detail : "");
}

bool router_match(const char *pattern, const char *path, struct hctx_param *params, size_t *n)
{
	const char *p = pattern, *s = path, *name, *value;

	*n = 0;
	while (*p != '\0' && *s != '\0') {
		if (*p != ':' || p == pattern || p[-1] != '/') {
			if (*p++ != *s++)
				return false;
			continue;
		}
		for (name = ++p; *p != '\0' && *p != '/'; p++)
			;
		for (value = s; *s != '\0' && *s != '/'; s++)
			;
		if (s == value || *n == HCTX_MAX_PARAMS)
			return false;
		params[*n].name = (struct str){name, (size_t)(p - name)};
		params[*n].value = (struct str){value, (size_t)(s - value)};
		(*n)++;
	}
	return *p == '\0' && *s == '\0';
}

/* The route for method and path, or NULL; its path parameters go to c. *allow gets the
 * methods the path does accept (for 405's Allow header), empty if the path is unknown.
 * Gate routes exist only for requests that came through forward_auth, internal ones only
 * for the internal site: to anyone else they are unknown paths. */
static const struct route *find_route(struct hctx *c, const struct route_table *t,
				      const char *method, const char *path, char *allow,
				      size_t allowlen)
{
	bool via_gate = fcgi_param(c->rq, "TG_GATE") != NULL;
	bool internal = fcgi_param(c->rq, "TG_INTERNAL") != NULL;
	struct hctx_param params[HCTX_MAX_PARAMS];
	size_t i, used = 0, n;

	allow[0] = '\0';
	for (i = 0; i < t->n; i++) {
		const struct route *r = &t->routes[i];
		int len;

		if (((r->flags & ROUTE_GATE) && !via_gate) ||
		    ((r->flags & ROUTE_INTERNAL) && !internal) ||
		    !router_match(r->path, path, params, &n))
			continue;
		if (strcmp(r->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
			memcpy(c->params, params, n * sizeof(params[0]));
			c->nparams = n;
			return r;
		}
		len = snprintf(allow + used, allowlen - used, "%s%s%s", used ? ", " : "", r->method,
			       strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
		if (len > 0 && (size_t)len < allowlen - used)
			used += (size_t)len;
	}
	return NULL;
}

static bool under_page_prefix(const struct route_table *t, const char *path)
{
	const char *const *p;

	if (t->page_prefixes == NULL || path == NULL)
		return false;
	for (p = t->page_prefixes; *p != NULL; p++)
		if (str_has_prefix(str_c(path), *p))
			return true;
	return false;
}

void router_dispatch(struct app *app, const struct route_table *t, struct fcgi_request *rq,
		     struct fcgi_response *rs, struct arena *arena, struct gate_admit *admit)
{
	const char *method = fcgi_param(rq, "REQUEST_METHOD");
	const char *path = fcgi_param(rq, "PATH_INFO");
	const char *rid = fcgi_param(rq, "TG_REQUEST_ID");
	const struct route *r;
	char allow[64];
	struct hctx c;
	bool page;
	enum err e;

	memset(&c, 0, sizeof(c));
	c.app = app;
	c.rq = rq;
	c.rs = rs;
	c.arena = arena;
	/* Caddy passes {http.request.uuid}; the fallback only shows when the Caddyfile lacks it. */
	c.request_id = rid != NULL && rid[0] != '\0' ? rid : "-";
	rs->status = 200;
	log_set_request(c.request_id);

	r = find_route(&c, t, method ? method : "", path ? path : "", allow, sizeof(allow));
	page = r != NULL ? (r->flags & (ROUTE_PAGE | ROUTE_SESSION | ROUTE_ADMIN)) != 0
			 : under_page_prefix(t, path);
	if (page && t->page_error == NULL)
		page = false;
	if (r == NULL && page) {
		c.detail = allow[0] != '\0' ? "This page does not take that method."
					    : "There is no such page.";
		if (allow[0] != '\0')
			fcgi_header(rs, "Allow", allow);
		t->page_error(&c, allow[0] != '\0' ? 405 : 404, ERR_NOTFOUND);
	} else if (r == NULL && allow[0] != '\0') {
		fcgi_header(rs, "Allow", allow);
		c.detail = "This resource does not support that method.";
		router_problem(&c, 405, PROB_METHOD_NOT_ALLOWED);
	} else if (r == NULL) {
		c.detail = "No such resource.";
		router_problem(&c, 404, PROB_NOT_FOUND);
	} else {
		e = ERR_OK;
		if (r->flags & ROUTE_TENANT)
			e = t->auth_tenant != NULL ? t->auth_tenant(&c) : ERR_SYS;
		else if (r->flags & ROUTE_SESSION)
			e = t->auth_session != NULL ? t->auth_session(&c) : ERR_SYS;
		else if (r->flags & ROUTE_ADMIN)
			e = t->auth_admin != NULL ? t->auth_admin(&c) : ERR_SYS;
		if (e == ERR_OK)
			e = r->fn(&c);
		/* Pages may open their tenant's transaction themselves (logging in does). */
		if ((r->flags & (ROUTE_TENANT | ROUTE_SESSION | ROUTE_ADMIN | ROUTE_PAGE)) &&
		    t->tenant_done != NULL)
			e = t->tenant_done(&c, e);
		if (e != ERR_OK && page)
			t->page_error(&c, err_status(e), e);
		else if (e != ERR_OK)
			router_problem(&c, err_status(e),
				       c.problem != PROB_NONE ? c.problem : err_problem(e));
		else if (rs->body.overflow || rs->head.overflow) {
			/* An answer that did not fit is not sent in part: the headers go too. */
			c.detail = "The answer was larger than this server sends.";
			buf_reset(&rs->head);
			router_problem(&c, 500, PROB_INTERNAL);
		}
	}
	*admit = c.admit;
	if (rs->status != 200)
		admit->admitted = false;
	log_set_request(NULL);
}
