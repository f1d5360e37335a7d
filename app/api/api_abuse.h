/* A tenant's own abuse settings beyond its mode: address lists (allow, deny, suspect; its
 * entry wins over the operator's for its traffic) and the versions of its learned model
 * (list, activate one: a rollback). For the portal and the API alike, each change audited;
 * the tables' sync triggers bring it to every node within a second. */
#ifndef APP_API_ABUSE_H
#define APP_API_ABUSE_H

#include "../app.h"

struct sql_res;

/* ERR_INPUT with c->detail for a network that is not one or a verdict that is none. *row:
 * id, network, verdict, note, created_at. Adding an existing network replaces its entry. */
enum err api_lists_add(struct hctx *c, const char *network, const char *verdict, const char *note,
		       struct sql_res **row) WUR;
/* ERR_NOTFOUND when the tenant has no such entry. */
enum err api_lists_remove(struct hctx *c, int64_t id) WUR;
/* The tenant's entries (id, network, verdict, note, created_at), by network. */
enum err api_lists_rows(struct hctx *c, struct sql_res **r) WUR;
/* The tenant's models (version, active, trained_at, labels_used, metrics as JSON text,
 * t_flag, t_throttle, t_block), newest first. */
enum err api_models_rows(struct hctx *c, struct sql_res **r) WUR;
/* Makes version the tenant's active model (the one active before is not). ERR_NOTFOUND. */
enum err api_models_activate(struct hctx *c, int64_t version) WUR;

/* GET /api/v1/lists, POST /api/v1/lists, POST /api/v1/lists/:id/remove, GET /api/v1/models,
 * POST /api/v1/models/:version/activate. */
enum err api_lists_get(struct hctx *c) WUR;
enum err api_lists_post(struct hctx *c) WUR;
enum err api_lists_remove_handler(struct hctx *c) WUR;
enum err api_models_get(struct hctx *c) WUR;
enum err api_models_activate_handler(struct hctx *c) WUR;

#endif
