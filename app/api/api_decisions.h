/* A tenant's sampled abuse decisions and its labels on them: GET /api/v1/decisions (newest
 * first, filtered, keyset-paginated), GET /api/v1/decisions/:id, and POST
 * /api/v1/decisions/:id/label, where a false positive lifts the client's block on every
 * node at once. Every statement is scoped to the authenticated tenant. */
#ifndef APP_API_DECISIONS_H
#define APP_API_DECISIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../app.h"

#define API_DECISIONS_LIMIT_DEFAULT 50
#define API_DECISIONS_LIMIT_MAX	    500
#define API_CURSOR_LEN		    50 /* hex of: version, at (microseconds), id */
#define API_TIME_MAX		    40 /* a normalised RFC 3339 time, with its NUL */

/* The list's query parameters, validated. */
struct api_decision_filter {
	const char *outcome;	  /* allow, flag, throttle, block; NULL: any */
	const char *reason;	  /* a rule name, model, deny_list or llm_judge; NULL: any */
	int64_t key_id;		  /* 0: any */
	char since[API_TIME_MAX]; /* RFC 3339, normalised; "": open */
	char until[API_TIME_MAX];
	const char *label; /* false_positive, confirmed_abuse, or none (unlabelled); NULL: any */
	int64_t limit;
	bool has_cursor; /* the page after (cursor_at_us, cursor_id) */
	int64_t cursor_at_us;
	char cursor_id[37];
};

/* Parses QUERY_STRING (NULL is empty) into f. ERR_INPUT with *param naming the offending
 * parameter and *detail saying why; ERR_TOOBIG when the arena is full. */
enum err api_decisions_parse_filter(struct arena *a, const char *query,
				    struct api_decision_filter *f, const char **param,
				    const char **detail) WUR;

/* The opaque cursor of a position in the list, and back. The parser refuses anything it
 * did not write (wrong length, version or digits). */
void api_decisions_cursor(int64_t at_us, const unsigned char id[16], char out[API_CURSOR_LEN + 1]);
bool api_decisions_cursor_parse(const char *s, int64_t *at_us, char id[37]);

/* Checks an RFC 3339 date-time ("2026-05-01T12:00:00Z", "...T12:00:00.5+02:00"; 'T' and
 * 'Z' in either case) and writes it normalised (upper case) to out. False when it is not
 * one, or a date that does not exist. */
bool api_decisions_parse_time(const char *s, char out[API_TIME_MAX]);

/* Handlers (ROUTE_TENANT). */
enum err api_decisions_list(struct hctx *c) WUR;
enum err api_decisions_get(struct hctx *c) WUR;
enum err api_decisions_label(struct hctx *c) WUR;

/* The route's :id as a decision id (a UUID, normalised); false when it is none. */
bool api_decisions_id(struct hctx *c, char id[37]);

/* Labels decision id of c's tenant (false_positive or confirmed_abuse) in the open
 * transaction; *row gets the decision (DECISION_COLS). A false positive also tells every
 * node's syncer to lift the client's block once this commits. ERR_NOTFOUND when the tenant
 * has no such decision. */
struct sql_res;
enum err api_decisions_set_label(struct hctx *c, const char *id, const char *label,
				 struct sql_res **row) WUR;
/* Lifts the block of the labelled decision row on this node now. */
void api_decisions_lift_here(struct hctx *c, const char *id, const struct sql_res *row);

#endif
