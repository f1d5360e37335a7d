/* The problem types Tollgate answers with (RFC 9457): one enum, one catalogue of slugs and
 * titles (in problems.c and docs/problems.md). */
#ifndef APP_PROBLEMS_H
#define APP_PROBLEMS_H

enum problem_kind {
	PROB_NONE,
	PROB_MISSING_API_KEY,
	PROB_INVALID_API_KEY,
	PROB_TENANT_SUSPENDED,
	PROB_NO_UPSTREAM,
	PROB_NOT_READY,
	PROB_NOT_FOUND,
	PROB_METHOD_NOT_ALLOWED,
	PROB_BAD_REQUEST,
	PROB_TOO_LARGE,
	PROB_CONFLICT,
	PROB_FORBIDDEN,
	PROB_RATE_LIMITED,
	PROB_QUOTA_EXCEEDED,
	PROB_ABUSE,
	PROB_UNAVAILABLE,
	PROB_INTERNAL,
	PROB_MISSING_TOKEN,	     /* management API: no Authorization: Bearer tgm_... */
	PROB_INVALID_TOKEN,	     /* management API: malformed, unknown or revoked token */
	PROB_INVALID_PARAMETER,	     /* a query or path parameter ("parameter" names it) */
	PROB_INVALID_BODY,	     /* a JSON body: not JSON, wrong type, unknown member */
	PROB_IDEMPOTENCY_KEY_REUSED, /* the same Idempotency-Key with another request */
	PROB_TIMEOUT,		     /* the request (its body) did not arrive in time */
	PROB_UPSTREAM_FORBIDDEN,     /* the tenant's upstream is somewhere requests may not go */
	PROB_MODEL_NOT_FOUND,	     /* AI routes: no alias or provider/model by that name */
	PROB_BUDGET_EXCEEDED,	     /* AI routes: the key's or tenant's spending cap */
	PROB_PROVIDERS_FAILED,	     /* AI routes: every provider of the alias failed */
	PROB_PROVIDER_TIMEOUT,	     /* AI routes: the provider did not answer in time */
	PROB__MAX
};

const char *problem_slug(enum problem_kind k);
const char *problem_title(enum problem_kind k);

#endif
