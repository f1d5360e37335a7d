/* /health/live and /health/ready. */
#ifndef APP_HEALTH_H
#define APP_HEALTH_H

#include "../app.h"

/* 200 while the worker answers. */
enum err health_live(struct hctx *c) WUR;
/* 200 when the syncer has loaded shared memory and reached PostgreSQL recently; 503
 * problem+json naming what is missing otherwise. */
enum err health_ready(struct hctx *c) WUR;

#endif
