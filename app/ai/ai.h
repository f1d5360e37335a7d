/* AI routes (docs/ai-routes.md): the AI pool's handlers. After the gate admitted a request
 * under the tenant's AI prefix, Caddy hands it to this pool, which reads the body, finds
 * the model's alias (an ordered list of provider/model), calls the providers with libcurl
 * (falling back along the list on 429, 5xx, connect errors, timeouts and garbage, skipping
 * providers that are cooling down), passes a stream through event by event, and meters
 * the provider's token usage and its cost in the key's usage record (shared memory, moved
 * to PostgreSQL by the flusher like every other count). */
#ifndef APP_AI_H
#define APP_AI_H

#include "../app.h"

enum err ai_chat(struct hctx *c);	/* POST .../chat/completions (OpenAI) */
enum err ai_messages(struct hctx *c);	/* POST .../messages (Anthropic) */
enum err ai_embeddings(struct hctx *c); /* POST .../embeddings (OpenAI) */
enum err ai_models(struct hctx *c);	/* GET .../models: the tenant's aliases */

/* The cost in millionths of a currency unit of tokens at a price per million tokens,
 * rounded up (a call is never free because it was small). */
int64_t ai_cost_micros(int64_t tokens, int64_t micros_per_mtok);

/* Providers (or one model of one) that failed are skipped by every AI worker for a while
 * (TOLLGATE_AI_COOLDOWN). id: any non-zero number naming what cools down. */
void ai_cooldown_set(struct state *st, int64_t id, int64_t until_ms);
/* The time (wall-clock ms) until which id cools down, or 0. */
int64_t ai_cooldown_until(const struct state *st, int64_t id, int64_t now_ms);

/* After an answer was written (the pool's settle hook): keeps it in the caches. */
void ai_settle(struct app *app, const struct gate_admit *a, bool delivered);

/* The per-process part of the pool: its HTTP client (call once in each AI worker). */
void ai_worker_init(void);
void ai_worker_done(void);

#endif
