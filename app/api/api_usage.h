/* GET /api/v1/usage?month=YYYY-MM: a tenant's usage per key in one calendar month (UTC) as
 * the flushers wrote it to PostgreSQL, the totals, and the month's quota. */
#ifndef APP_API_USAGE_H
#define APP_API_USAGE_H

#include <stdbool.h>

#include "../app.h"

/* Checks "YYYY-MM" (year 0001-9999, month 01-12) and writes its first day, "YYYY-MM-01",
 * to first. */
bool api_usage_parse_month(const char *s, char first[11]);

/* The handler (ROUTE_TENANT). Without ?month=, the month of the business clock. */
enum err api_usage_get(struct hctx *c) WUR;

#endif
