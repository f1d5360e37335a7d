/* The audit log: who changed what, when and from where, written in the same transaction as
 * the change (so a change that did not commit left no entry, and none is lost). */
#ifndef APP_API_AUDIT_H
#define APP_API_AUDIT_H

#include <stdint.h>

#include "../app.h"

/* Records action ("key.create", "tenant.suspend"...) on target (a key prefix, a URL...) of
 * tenant_id (0: the platform) by the request's actor: the signed-in user or operator, or
 * the management token. */
enum err api_audit(struct hctx *c, int64_t tenant_id, const char *action, const char *target) WUR;

#endif
