/* OpenAI Chat Completions <-> Anthropic Messages, for an alias that crosses providers:
 * requests (system prompt, turns, text and tool calls, tool results, limits, stop
 * sequences, tools and tool choice), answers (text, tool calls, stop reasons, usage) and
 * streams, event by event. What one side has and the other lacks (images, logprobs, n > 1)
 * is left out, never guessed. Every function writes compact JSON (or SSE) into out and
 * returns false when the input is not of the shape it takes. */
#ifndef APP_AI_TRANSLATE_H
#define APP_AI_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/buf.h"
#include "../../lib/jsonx.h"

/* The max_tokens an Anthropic request must have, when an OpenAI caller set none. */
#define AI_DEFAULT_MAX_TOKENS 4096

bool ai_request_to_anthropic(const struct jsonx_doc *openai, const char *model, struct buf *out);
bool ai_request_to_openai(const struct jsonx_doc *anthropic, const char *model, struct buf *out);

/* An answer, given the model name the caller asked for. */
bool ai_answer_to_openai(const struct jsonx_doc *anthropic, const char *model, struct buf *out);
bool ai_answer_to_anthropic(const struct jsonx_doc *openai, const char *model, struct buf *out);

/* A stream's translation: each provider event (the JSON of its data line) becomes zero
 * or more caller events appended to out as SSE. */
struct ai_stream_xlate {
	bool to_openai; /* Anthropic events in, OpenAI chunks out; else the reverse */
	bool include_usage;
	const char *model; /* as the caller asked */
	char id[64];
	int64_t created;
	int64_t in_tok, out_tok;
	/* OpenAI -> Anthropic: what is open. */
	bool started, text_open, finished;
	int block;	/* index of the open (or next) content block */
	int tool_index; /* the OpenAI tool call the open block belongs to; -1: none */
	char stop[24];	/* the stop reason, once known */
	/* Anthropic -> OpenAI: the tool calls so far, by content block. */
	int tool_of_block[64];
	int tools;
};

void ai_stream_xlate_init(struct ai_stream_xlate *x, bool to_openai, const char *model,
			  bool include_usage);
/* One provider event's JSON (the data line; "[DONE]" for OpenAI's end). */
void ai_stream_xlate_event(struct ai_stream_xlate *x, const char *data, size_t n, struct buf *out);
/* What ends the caller's stream (called once the provider's stream ended well). */
void ai_stream_xlate_end(struct ai_stream_xlate *x, struct buf *out);

#endif
