/* The console's route table, worker settings and database connection. */
#include "console_pool.h"

#include "../admin/admin.h"
#include "../billing/billing.h"
#include "../api/api_abuse.h"
#include "../api/api_ai.h"
#include "../api/api_jwt.h"
#include "../api/api_auth.h"
#include "../api/api_db.h"
#include "../api/api_decisions.h"
#include "../api/api_keys.h"
#include "../api/api_team.h"
#include "../api/api_tenant.h"
#include "../api/api_usage.h"
#include "../../lib/log.h"
#include "../health/health.h"
#include "../metrics/metrics.h"
#include "../portal/portal.h"
#include "../portal/portal_account.h"
#include "../portal/portal_pages.h"
#include "../portal/portal_team.h"
#include "worker.h"

#define CONSOLE_MAX_HEAD (16 * 1024)
/* A body no handler read is swallowed before answering (Caddy fails the request if its
 * write is cut short). Caddy has buffered it whole, under its own cap: this is quick, and
 * bounded by the read deadline anyway. */
#define CONSOLE_DRAIN_MAX (64 * 1024 * 1024)
/* Room for the largest management answer (a page of 500 decisions is some 600 KiB),
 * whatever TOLLGATE_MAX_BODY says; a buffer only grows as far as an answer needs. */
#define CONSOLE_MIN_RESPONSE (2 * 1024 * 1024)

static const struct route routes[] = {
    {"GET", "/health/live", health_live, 0},
    {"GET", "/health/ready", health_ready, 0},
    {"GET", "/metrics", metrics_handle, ROUTE_INTERNAL},
    {"GET", "/api/v1/decisions", api_decisions_list, ROUTE_TENANT},
    {"GET", "/api/v1/decisions/:id", api_decisions_get, ROUTE_TENANT},
    {"POST", "/api/v1/decisions/:id/label", api_decisions_label, ROUTE_TENANT},
    {"GET", "/api/v1/usage", api_usage_get, ROUTE_TENANT},
    {"GET", "/api/v1/keys", api_keys_list, ROUTE_TENANT},
    {"POST", "/api/v1/keys", api_keys_create_handler, ROUTE_TENANT},
    {"POST", "/api/v1/keys/:id/revoke", api_keys_revoke_handler, ROUTE_TENANT},
    {"POST", "/api/v1/keys/:id/rotate", api_keys_rotate_handler, ROUTE_TENANT},
    {"GET", "/api/v1/tenant", api_tenant_get, ROUTE_TENANT},
    {"PATCH", "/api/v1/tenant", api_tenant_patch, ROUTE_TENANT},
    {"GET", "/api/v1/upstream", api_upstream_get, ROUTE_TENANT},
    {"PUT", "/api/v1/upstream", api_upstream_put, ROUTE_TENANT},
    {"GET", "/api/v1/audit", api_audit_list, ROUTE_TENANT},
    {"GET", "/api/v1/members", api_members_get, ROUTE_TENANT},
    {"POST", "/api/v1/members", api_members_post, ROUTE_TENANT},
    {"POST", "/api/v1/members/:id/remove", api_members_remove_handler, ROUTE_TENANT},
    {"GET", "/api/v1/tokens", api_tokens_get, ROUTE_TENANT},
    {"POST", "/api/v1/tokens", api_tokens_post, ROUTE_TENANT},
    {"POST", "/api/v1/tokens/:id/revoke", api_tokens_revoke_handler, ROUTE_TENANT},
    {"GET", "/api/v1/lists", api_lists_get, ROUTE_TENANT},
    {"POST", "/api/v1/lists", api_lists_post, ROUTE_TENANT},
    {"POST", "/api/v1/lists/:id/remove", api_lists_remove_handler, ROUTE_TENANT},
    {"GET", "/api/v1/models", api_models_get, ROUTE_TENANT},
    {"GET", "/api/v1/ai", api_ai_get, ROUTE_TENANT},
    {"PATCH", "/api/v1/ai", api_ai_patch, ROUTE_TENANT},
    {"GET", "/api/v1/ai/providers", api_ai_providers_get, ROUTE_TENANT},
    {"PUT", "/api/v1/ai/providers/:name", api_ai_provider_put, ROUTE_TENANT},
    {"POST", "/api/v1/ai/providers/:name/remove", api_ai_provider_remove, ROUTE_TENANT},
    {"GET", "/api/v1/ai/aliases", api_ai_aliases_get, ROUTE_TENANT},
    {"PUT", "/api/v1/ai/aliases/:name", api_ai_alias_put, ROUTE_TENANT},
    {"POST", "/api/v1/ai/aliases/:name/remove", api_ai_alias_remove, ROUTE_TENANT},
    {"GET", "/api/v1/jwt/issuers", api_jwt_issuers_get, ROUTE_TENANT},
    {"PUT", "/api/v1/jwt/issuers", api_jwt_issuer_put, ROUTE_TENANT},
    {"POST", "/api/v1/jwt/issuers/:id/remove", api_jwt_issuer_remove, ROUTE_TENANT},
    {"GET", "/api/v1/billing", api_billing_get, ROUTE_TENANT},
    {"POST", "/api/v1/billing/checkout", api_billing_checkout, ROUTE_TENANT},
    {"POST", "/api/v1/billing/portal", api_billing_portal, ROUTE_TENANT},
    {"POST", "/stripe/webhook", billing_webhook, 0},
    {"POST", "/api/v1/models/:version/activate", api_models_activate_handler, ROUTE_TENANT},
    {"GET", "/portal/signup", portal_signup_page, ROUTE_PAGE},
    {"POST", "/portal/signup", portal_signup, ROUTE_PAGE},
    {"GET", "/portal/login", portal_login_page, ROUTE_PAGE},
    {"POST", "/portal/login", portal_login, ROUTE_PAGE},
    {"POST", "/portal/logout", portal_logout, ROUTE_SESSION},
    {"GET", "/portal/forgot", portal_forgot_page, ROUTE_PAGE},
    {"POST", "/portal/forgot", portal_forgot, ROUTE_PAGE},
    {"GET", "/portal/reset", portal_reset_page, ROUTE_PAGE},
    {"POST", "/portal/reset", portal_reset, ROUTE_PAGE},
    {"GET", "/portal/verify", portal_verify, ROUTE_PAGE},
    {"GET", "/portal/", portal_home, ROUTE_SESSION},
    {"GET", "/portal/upstream", portal_upstream_page, ROUTE_SESSION},
    {"POST", "/portal/upstream", portal_upstream_save, ROUTE_SESSION},
    {"GET", "/portal/keys", portal_keys, ROUTE_SESSION},
    {"POST", "/portal/keys", portal_key_create, ROUTE_SESSION},
    {"POST", "/portal/keys/:id/revoke", portal_key_revoke, ROUTE_SESSION},
    {"POST", "/portal/keys/:id/rotate", portal_key_rotate, ROUTE_SESSION},
    {"GET", "/portal/quickstart", portal_quickstart, ROUTE_SESSION},
    {"GET", "/portal/abuse", portal_abuse, ROUTE_SESSION},
    {"GET", "/portal/team", portal_team, ROUTE_SESSION},
    {"POST", "/portal/team/invite", portal_invite, ROUTE_SESSION},
    {"POST", "/portal/team/:id/remove", portal_member_remove, ROUTE_SESSION},
    {"POST", "/portal/tokens", portal_token_create, ROUTE_SESSION},
    {"POST", "/portal/tokens/:id/revoke", portal_token_revoke, ROUTE_SESSION},
    {"POST", "/portal/abuse/mode", portal_abuse_mode, ROUTE_SESSION},
    {"POST", "/portal/abuse/lists", portal_list_add, ROUTE_SESSION},
    {"POST", "/portal/abuse/lists/:id/remove", portal_list_remove, ROUTE_SESSION},
    {"POST", "/portal/abuse/models/:version/activate", portal_model_activate, ROUTE_SESSION},
    {"POST", "/portal/decisions/:id/label", portal_label, ROUTE_SESSION},
    {"GET", "/portal/billing", portal_billing, ROUTE_SESSION},
    {"POST", "/portal/billing", portal_billing_change, ROUTE_SESSION},
    {"POST", "/portal/billing/manage", portal_billing_manage, ROUTE_SESSION},
    {"GET", "/portal/support", portal_support, ROUTE_SESSION},
    {"POST", "/portal/support", portal_support_post, ROUTE_SESSION},
    {"GET", "/admin/login", portal_admin_login_page, ROUTE_PAGE},
    {"POST", "/admin/login", portal_admin_login, ROUTE_PAGE},
    {"POST", "/admin/logout", portal_logout, ROUTE_ADMIN},
    {"GET", "/admin/", admin_home, ROUTE_ADMIN},
    {"GET", "/admin/audit", admin_audit, ROUTE_ADMIN},
    {"GET", "/admin/tenants/:id", admin_tenant, ROUTE_ADMIN},
    {"POST", "/admin/tenants/:id", admin_tenant_update, ROUTE_ADMIN},
    {"GET", "/admin/plans", admin_plans, ROUTE_ADMIN},
    {"POST", "/admin/plans/:id", admin_plan_update, ROUTE_ADMIN},
    {"GET", "/admin/billing", admin_billing, ROUTE_ADMIN},
    {"POST", "/admin/billing", admin_billing_reconcile, ROUTE_ADMIN},
    {"GET", "/admin/support", admin_support, ROUTE_ADMIN},
    {"POST", "/admin/support/:id/close", admin_support_close, ROUTE_ADMIN},
};

static const char *const page_prefixes[] = {"/portal", "/admin", NULL};

const struct route_table console_pool_routes = {
    .name = "console",
    .routes = routes,
    .n = sizeof(routes) / sizeof(routes[0]),
    .auth_tenant = api_auth_tenant,
    .tenant_done = api_db_tenant_end,
    .auth_session = portal_auth_session,
    .auth_admin = portal_auth_admin,
    .page_error = portal_page_error,
    .page_prefixes = page_prefixes,
};

int console_pool_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop)
{
	const struct config *cfg = app->cfg;
	size_t body = (size_t)cfg->max_body;
	struct worker_pool pool = {
	    .routes = &console_pool_routes,
	    .io = {.read_timeout_ms = cfg->console_read_timeout_ms, .drain_max = CONSOLE_DRAIN_MAX},
	    .max_head = CONSOLE_MAX_HEAD,
	    .max_response = body * 4 > CONSOLE_MIN_RESPONSE ? body * 4 : CONSOLE_MIN_RESPONSE,
	    .max_arena = body * 2 + 64 * 1024,
	    .settle = NULL,
	};
	struct app_db db;
	char msg[512];
	int rc;

	if (!portal_load(cfg->templates_dir, msg, sizeof(msg)))
		log_errorx("portal templates not loaded (pages answer 503): %s", msg);
	api_db_init(&db, cfg->database_url);
	app->db = &db;
	rc = worker_run(app, listen_fd, &pool, stop);
	app->db = NULL;
	api_db_close(&db);
	portal_unload();
	return rc;
}
