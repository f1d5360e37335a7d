/* A tenant's own settings: the upstream its traffic goes to and its abuse mode, changed by
 * the portal and the management API through the same functions; and the tenant's view of
 * itself and of its audit log. */
#ifndef APP_API_TENANT_H
#define APP_API_TENANT_H

#include <stddef.h>

#include "../app.h"

/* Validates url (and the optional host header; "" is none) as the SSRF rules say and
 * makes it the tenant's default upstream, audited. ERR_INPUT with why filled (a sentence)
 * when either is refused. */
enum err api_tenant_set_upstream(struct hctx *c, const char *url, const char *host, char *why,
				 size_t whylen) WUR;
/* off, shadow or enforce (ERR_INPUT otherwise), audited. */
enum err api_tenant_set_mode(struct hctx *c, const char *mode) WUR;

/* GET /api/v1/tenant, PATCH /api/v1/tenant ({"abuse_mode": ...}), GET and PUT
 * /api/v1/upstream, GET /api/v1/audit. */
enum err api_tenant_get(struct hctx *c) WUR;
enum err api_tenant_patch(struct hctx *c) WUR;
enum err api_upstream_get(struct hctx *c) WUR;
enum err api_upstream_put(struct hctx *c) WUR;
enum err api_audit_list(struct hctx *c) WUR;

#endif
