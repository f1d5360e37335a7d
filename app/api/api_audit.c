/* The audit log's one writer. */
#include "api_audit.h"

#include <stdio.h>

#include "../../lib/codec.h"
#include "../portal/portal.h"
#include "api.h"

enum err api_audit(struct hctx *c, int64_t tenant_id, const char *action, const char *target)
{
	char tenant[24], actor[300], ip[64] = "";
	const char *params[5] = {tenant, actor, action, target, ip};
	unsigned char raw[16];

	str_fmt_i64(tenant, tenant_id);
	if (c->session != NULL)
		snprintf(actor, sizeof(actor), "%s:%s",
			 c->session->is_operator ? "operator" : "user", c->session->email);
	else if (c->token_id != 0)
		snprintf(actor, sizeof(actor), "token:%lld", (long long)c->token_id);
	else
		snprintf(actor, sizeof(actor), "anonymous");
	if (hctx_client_ip(c, raw))
		codec_ip_format(raw, ip, sizeof(ip));
	return api_sql(c, NULL,
		       "INSERT INTO audit_log (tenant_id, actor, action, target, ip) "
		       "VALUES (nullif($1, '0')::bigint, $2, $3, left($4, 300), $5)",
		       5, params);
}
