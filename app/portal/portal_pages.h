/* The portal's pages behind a session: GET pages render, POST forms change one thing and
 * send the browser on (303), or render the page again with what was wrong. */
#ifndef APP_PORTAL_PAGES_H
#define APP_PORTAL_PAGES_H

#include "../app.h"

/* The dashboard, with the first-run guide until the first request has arrived. */
enum err portal_home(struct hctx *c) WUR;
enum err portal_upstream_page(struct hctx *c) WUR;
/* Validated as the CLI does (the SSRF rules of app/upstream). */
enum err portal_upstream_save(struct hctx *c) WUR;
enum err portal_keys(struct hctx *c) WUR;
enum err portal_key_create(struct hctx *c) WUR;
enum err portal_key_revoke(struct hctx *c) WUR;
enum err portal_key_rotate(struct hctx *c) WUR;
/* curl lines for the tenant's gateway URL; waits (refreshing) for the first request. */
enum err portal_quickstart(struct hctx *c) WUR;
enum err portal_abuse(struct hctx *c) WUR;
enum err portal_abuse_mode(struct hctx *c) WUR;
enum err portal_label(struct hctx *c) WUR;
/* The tenant's own address lists and model versions (activate one: a rollback). */
enum err portal_list_add(struct hctx *c) WUR;
enum err portal_list_remove(struct hctx *c) WUR;
enum err portal_model_activate(struct hctx *c) WUR;

#endif
