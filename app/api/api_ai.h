/* A tenant's AI routes through the management API: whether they are on and under which
 * path prefix, its monthly budgets, the providers it calls (an API key each, sealed with
 * the server secret and never shown again) and the aliases callers ask for. Each change
 * is audited; the AI pool and the syncer read the tables (migrations/0014_ai.sql). */
#ifndef APP_API_AI_H
#define APP_API_AI_H

#include "../app.h"

/* The purpose providers' keys are sealed under (cryptox_seal): the AI pool opens them
 * with it. */
#define API_AI_KEY_PURPOSE "ai-provider-key"

/* GET /api/v1/ai and PATCH /api/v1/ai ({"prefix", "budget_micros", "key_budget_micros"},
 * each optional, null turning it off). */
enum err api_ai_get(struct hctx *c) WUR;
enum err api_ai_patch(struct hctx *c) WUR;

/* GET /api/v1/ai/providers, PUT /api/v1/ai/providers/:name ({"kind", "base_url",
 * "api_key"}; api_key absent keeps the stored one, null removes it), POST
 * /api/v1/ai/providers/:name/remove. No answer ever holds a key. */
enum err api_ai_providers_get(struct hctx *c) WUR;
enum err api_ai_provider_put(struct hctx *c) WUR;
enum err api_ai_provider_remove(struct hctx *c) WUR;

/* GET /api/v1/ai/aliases, PUT /api/v1/ai/aliases/:name ({"targets", "by_plan"}: every
 * target names a provider the tenant has), POST /api/v1/ai/aliases/:name/remove. */
enum err api_ai_aliases_get(struct hctx *c) WUR;
enum err api_ai_alias_put(struct hctx *c) WUR;
enum err api_ai_alias_remove(struct hctx *c) WUR;

#endif
