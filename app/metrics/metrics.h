/* GET /metrics: node-wide counters in the Prometheus text format (version 0.0.4). */
#ifndef APP_METRICS_H
#define APP_METRICS_H

#include "../app.h"

enum err metrics_handle(struct hctx *c) WUR;

#endif
