/* What AI settings may be: the names of providers, aliases and models, a prefix, a
 * provider's key and base URL. One set of rules for the management API and the CLI, and
 * the same as the tables' checks (migrations/0014_ai.sql). */
#ifndef APP_AI_NAMES_H
#define APP_AI_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/str.h"
#include "../config.h"

#define AI_PREFIX_SEGMENTS    4
#define AI_PREFIX_SEGMENT_MAX 32
#define AI_BASE_URL_MAX	      512
#define AI_API_KEY_MAX	      512
#define AI_MODEL_MAX	      128

/* ^[a-z0-9][a-z0-9_-]{0,62}$ */
bool ai_provider_name_ok(struct str s);
/* ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$ */
bool ai_alias_name_ok(struct str s);
/* 1 to AI_MODEL_MAX bytes, no control characters. */
bool ai_model_ok(const char *m);
/* ^(/[A-Za-z0-9._~-]{1,32}){0,4}$ ("" is the root), no segment "." or "..". */
bool ai_prefix_ok(const char *p);
/* 1 to AI_API_KEY_MAX visible ASCII characters. */
bool ai_api_key_ok(const char *k);
/* A provider's base URL, made what is stored in place (its trailing '/'s taken off): at
 * most AI_BASE_URL_MAX characters, an http:// or https:// origin the SSRF rules allow
 * (upstream_check(): TOLLGATE_UPSTREAM_ALLOW lets a network in; a host name is resolved)
 * and a path of plain segments. On false, why (a sentence) says what is wrong. */
bool ai_base_url_ok(const struct config *cfg, char *url, char *why, size_t n);

/* The secret a tenant's budget webhooks are signed with ("whsec_" and 64 hex digits):
 * derived from the server secret and the tenant, so it is never stored. */
#define AI_WEBHOOK_SECRET_LEN (6 + 64 + 1)
void ai_webhook_secret(const struct config *cfg, int64_t tenant_id,
		       char out[AI_WEBHOOK_SECRET_LEN]);

#endif
