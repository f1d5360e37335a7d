/* The AI pool: OpenAI- and Anthropic-compatible routes (app/ai), on their own socket. */
#ifndef APP_AI_POOL_H
#define APP_AI_POOL_H

#include <signal.h>

#include "../app.h"

int ai_pool_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop);

#endif
