/* The operator's pages (/admin/...): the platform at a glance with every tenant, a
 * tenant's detail with suspend/resume, plan and abuse mode, and the audit log. */
#ifndef APP_ADMIN_H
#define APP_ADMIN_H

#include "../app.h"

/* Totals this month (requests, refusals by kind), top tenants, top blocked networks, and
 * the tenant list. */
enum err admin_home(struct hctx *c) WUR;
enum err admin_tenant(struct hctx *c) WUR;
/* Suspends or resumes (its keys stop or work again at once), changes the plan or the abuse
 * mode. */
enum err admin_tenant_update(struct hctx *c) WUR;
enum err admin_audit(struct hctx *c) WUR;

#endif
