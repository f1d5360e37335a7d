/* OpenAI <-> Anthropic request, answer and stream translation. */
#include "translate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/str.h"

#define MAX_TURNS   512
#define SCRATCH_MAX (16 * 1024 * 1024)

/* The string at path, or def when it is absent or not a string (jsonx_get_str() would
 * leave NULL). */
static const char *get_str(const struct jsonx_doc *d, const char *path, const char *def)
{
	const char *s;

	return jsonx_get_str(d, path, &s) ? s : def;
}

/* The value at path of d, written as it is. */
static void raw(struct jsonx_w *w, const struct jsonx_doc *d, const char *path)
{
	struct buf b;

	buf_init(&b, SCRATCH_MAX);
	if (jsonx_dump(d, path, &b))
		jsonx_raw(w, b.p, b.len);
	else
		jsonx_null(w);
	buf_free(&b);
}

static void kraw(struct jsonx_w *w, const char *key, const struct jsonx_doc *d, const char *path)
{
	jsonx_key(w, key);
	raw(w, d, path);
}

/* The value at path as JSON text, as a JSON string (OpenAI's tool arguments). */
static void kdumped(struct jsonx_w *w, const char *key, const struct jsonx_doc *d, const char *path)
{
	struct buf b;

	buf_init(&b, SCRATCH_MAX);
	if (!jsonx_dump(d, path, &b))
		buf_puts(&b, "{}");
	jsonx_key(w, key);
	jsonx_strn(w, b.p != NULL ? b.p : "", b.len);
	buf_free(&b);
}

/* A JSON object given as text (OpenAI's tool arguments), written as the object; {} when it
 * is not one. */
static void kparsed(struct jsonx_w *w, const char *key, const char *text)
{
	struct jsonx_doc *d;
	char msg[64];

	jsonx_key(w, key);
	if (text != NULL && jsonx_parse(text, strlen(text), &d, msg, sizeof(msg)) == ERR_OK) {
		raw(w, d, "");
		jsonx_doc_free(d);
	} else
		jsonx_raw(w, "{}", 2);
}

/* The text of a content that is a string, or an array of parts/blocks with "text". */
static void content_text(const struct jsonx_doc *d, const char *path, struct buf *out)
{
	const char *s;
	size_t n = 0, i;

	if (jsonx_get_str(d, path, &s)) {
		buf_puts(out, s);
		return;
	}
	if (!jsonx_get_len(d, path, &n))
		return;
	for (i = 0; i < n; i++) {
		struct jsonx_doc *part;
		const char *type = NULL, *text = NULL;

		if (!jsonx_get_elem(d, path, i, &part))
			continue;
		type = get_str(part, "type", type);
		if ((type == NULL || strcmp(type, "text") == 0) &&
		    jsonx_get_str(part, "text", &text)) {
			if (out->len > 0)
				buf_puts(out, "\n");
			buf_puts(out, text);
		}
		jsonx_doc_free(part);
	}
}

static void copy_number(struct jsonx_w *w, const struct jsonx_doc *d, const char *from,
			const char *to)
{
	double v;

	if (jsonx_get_num(d, from, &v))
		kraw(w, to, d, from);
}

/* Anthropic's tool_use blocks in the content at path, as OpenAI's "tool_calls" member
 * (written only when there is one); returns how many. */
static size_t tool_calls_of(struct jsonx_w *w, const struct jsonx_doc *d, const char *path)
{
	size_t n = 0, i, calls = 0;

	(void)jsonx_get_len(d, path, &n);
	for (i = 0; i < n; i++) {
		struct jsonx_doc *b;

		if (!jsonx_get_elem(d, path, i, &b))
			continue;
		if (strcmp(get_str(b, "type", ""), "tool_use") == 0) {
			if (calls++ == 0) {
				jsonx_key(w, "tool_calls");
				jsonx_arr_open(w);
			}
			jsonx_obj_open(w);
			jsonx_kstr(w, "id", get_str(b, "id", ""));
			jsonx_kstr(w, "type", "function");
			jsonx_key(w, "function");
			jsonx_obj_open(w);
			jsonx_kstr(w, "name", get_str(b, "name", ""));
			kdumped(w, "arguments", b, "input");
			jsonx_obj_close(w);
			jsonx_obj_close(w);
		}
		jsonx_doc_free(b);
	}
	if (calls > 0)
		jsonx_arr_close(w);
	return calls;
}

/* --- OpenAI request -> Anthropic request ------------------------------------------- */

/* One Anthropic turn being built: consecutive turns of one role are merged (Anthropic
 * wants them alternating; OpenAI sends one message per tool result). */
struct turn {
	bool user;
	struct buf blocks; /* comma-separated JSON blocks */
};

static struct turn *turn_for(struct turn *turns, int *n, bool user)
{
	if (*n > 0 && turns[*n - 1].user == user)
		return &turns[*n - 1];
	if (*n == MAX_TURNS)
		return NULL;
	turns[*n].user = user;
	buf_init(&turns[*n].blocks, SCRATCH_MAX);
	return &turns[(*n)++];
}

static void block_sep(struct turn *t)
{
	if (t->blocks.len > 0)
		buf_putc(&t->blocks, ',');
}

static void text_block(struct turn *t, const char *text, size_t n)
{
	struct jsonx_w w;

	if (n == 0)
		return;
	block_sep(t);
	jsonx_w_init(&w, &t->blocks);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "type", "text");
	jsonx_key(&w, "text");
	jsonx_strn(&w, text, n);
	jsonx_obj_close(&w);
}

bool ai_request_to_anthropic(const struct jsonx_doc *in, const char *model, struct buf *out)
{
	struct turn *turns = calloc(MAX_TURNS, sizeof(*turns));
	struct buf system, text;
	struct jsonx_w w;
	size_t n = 0, i, j, m;
	int nturns = 0, k;
	int64_t max = 0;
	const char *s;
	bool stream = false, ok = true;

	if (turns == NULL)
		abort();
	buf_init(&system, SCRATCH_MAX);
	buf_init(&text, SCRATCH_MAX);
	(void)jsonx_get_len(in, "messages", &n);
	for (i = 0; i < n && ok; i++) {
		struct jsonx_doc *msg;
		const char *role = "";
		struct turn *t;

		if (!jsonx_get_elem(in, "messages", i, &msg))
			continue;
		role = get_str(msg, "role", role);
		buf_reset(&text);
		content_text(msg, "content", &text);
		if (strcmp(role, "system") == 0 || strcmp(role, "developer") == 0) {
			if (system.len > 0 && text.len > 0)
				buf_puts(&system, "\n\n");
			buf_append(&system, text.p, text.len);
		} else if (strcmp(role, "tool") == 0) {
			const char *id = "";
			struct jsonx_w bw;

			id = get_str(msg, "tool_call_id", id);
			if ((t = turn_for(turns, &nturns, true)) == NULL) {
				ok = false;
			} else {
				block_sep(t);
				jsonx_w_init(&bw, &t->blocks);
				jsonx_obj_open(&bw);
				jsonx_kstr(&bw, "type", "tool_result");
				jsonx_kstr(&bw, "tool_use_id", id);
				jsonx_key(&bw, "content");
				jsonx_strn(&bw, text.p != NULL ? text.p : "", text.len);
				jsonx_obj_close(&bw);
			}
		} else if ((t = turn_for(turns, &nturns, strcmp(role, "assistant") != 0)) == NULL) {
			ok = false;
		} else {
			text_block(t, text.p, text.len);
			m = 0;
			if (!t->user && jsonx_get_len(msg, "tool_calls", &m))
				for (j = 0; j < m; j++) {
					struct jsonx_doc *call;
					const char *id = "", *name = "", *args = "{}";
					struct jsonx_w bw;

					if (!jsonx_get_elem(msg, "tool_calls", j, &call))
						continue;
					id = get_str(call, "id", id);
					name = get_str(call, "function.name", name);
					args = get_str(call, "function.arguments", args);
					block_sep(t);
					jsonx_w_init(&bw, &t->blocks);
					jsonx_obj_open(&bw);
					jsonx_kstr(&bw, "type", "tool_use");
					jsonx_kstr(&bw, "id", id);
					jsonx_kstr(&bw, "name", name);
					kparsed(&bw, "input", args);
					jsonx_obj_close(&bw);
					jsonx_doc_free(call);
				}
		}
		jsonx_doc_free(msg);
	}

	jsonx_w_init(&w, out);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "model", model);
	if (!jsonx_get_int(in, "max_tokens", &max) &&
	    !jsonx_get_int(in, "max_completion_tokens", &max))
		max = AI_DEFAULT_MAX_TOKENS;
	jsonx_kint(&w, "max_tokens", max > 0 ? max : AI_DEFAULT_MAX_TOKENS);
	if (system.len > 0) {
		jsonx_key(&w, "system");
		jsonx_strn(&w, system.p, system.len);
	}
	jsonx_key(&w, "messages");
	jsonx_arr_open(&w);
	for (k = 0; k < nturns; k++) {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "role", turns[k].user ? "user" : "assistant");
		jsonx_key(&w, "content");
		jsonx_raw(&w, "[", 1);
		/* The blocks were written apart: they go in as they are. */
		buf_append(out, turns[k].blocks.p != NULL ? turns[k].blocks.p : "",
			   turns[k].blocks.len);
		buf_putc(out, ']');
		jsonx_obj_close(&w);
		buf_free(&turns[k].blocks);
	}
	jsonx_arr_close(&w);
	copy_number(&w, in, "temperature", "temperature");
	copy_number(&w, in, "top_p", "top_p");
	if (jsonx_get_str(in, "stop", &s)) {
		jsonx_key(&w, "stop_sequences");
		jsonx_arr_open(&w);
		jsonx_str(&w, s);
		jsonx_arr_close(&w);
	} else if (jsonx_get_len(in, "stop", &m) && m > 0)
		kraw(&w, "stop_sequences", in, "stop");
	if (jsonx_get_bool(in, "stream", &stream) && stream)
		jsonx_kbool(&w, "stream", true);
	if (jsonx_get_len(in, "tools", &m) && m > 0) {
		jsonx_key(&w, "tools");
		jsonx_arr_open(&w);
		for (j = 0; j < m; j++) {
			struct jsonx_doc *tool;
			const char *name = "", *desc;

			if (!jsonx_get_elem(in, "tools", j, &tool))
				continue;
			name = get_str(tool, "function.name", name);
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "name", name);
			if (jsonx_get_str(tool, "function.description", &desc))
				jsonx_kstr(&w, "description", desc);
			if (jsonx_has(tool, "function.parameters"))
				kraw(&w, "input_schema", tool, "function.parameters");
			else {
				jsonx_key(&w, "input_schema");
				jsonx_raw(&w, "{\"type\":\"object\"}", 17);
			}
			jsonx_obj_close(&w);
			jsonx_doc_free(tool);
		}
		jsonx_arr_close(&w);
	}
	if (jsonx_get_str(in, "tool_choice", &s)) {
		jsonx_key(&w, "tool_choice");
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "type",
			   strcmp(s, "required") == 0 ? "any"
			   : strcmp(s, "none") == 0   ? "none"
						      : "auto");
		jsonx_obj_close(&w);
	} else if (jsonx_get_str(in, "tool_choice.function.name", &s)) {
		jsonx_key(&w, "tool_choice");
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "type", "tool");
		jsonx_kstr(&w, "name", s);
		jsonx_obj_close(&w);
	}
	jsonx_obj_close(&w);
	free(turns);
	buf_free(&system);
	buf_free(&text);
	return ok && !out->overflow;
}

/* --- Anthropic request -> OpenAI request ------------------------------------------- */

bool ai_request_to_openai(const struct jsonx_doc *in, const char *model, struct buf *out)
{
	struct buf text;
	struct jsonx_w w;
	size_t n = 0, i, j, m;
	int64_t max;
	const char *s;
	bool stream = false;

	buf_init(&text, SCRATCH_MAX);
	jsonx_w_init(&w, out);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "model", model);
	if (jsonx_get_int(in, "max_tokens", &max))
		jsonx_kint(&w, "max_tokens", max);
	jsonx_key(&w, "messages");
	jsonx_arr_open(&w);
	content_text(in, "system", &text);
	if (text.len > 0) {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "role", "system");
		jsonx_key(&w, "content");
		jsonx_strn(&w, text.p, text.len);
		jsonx_obj_close(&w);
	}
	(void)jsonx_get_len(in, "messages", &n);
	for (i = 0; i < n; i++) {
		struct jsonx_doc *msg;
		const char *role = "user";
		bool assistant;
		size_t calls = 0;

		if (!jsonx_get_elem(in, "messages", i, &msg))
			continue;
		role = get_str(msg, "role", role);
		assistant = strcmp(role, "assistant") == 0;
		/* Tool results come first, each as its own "tool" message. */
		m = 0;
		if (!assistant && jsonx_get_len(msg, "content", &m))
			for (j = 0; j < m; j++) {
				struct jsonx_doc *b;
				const char *type = "", *id = "";

				if (!jsonx_get_elem(msg, "content", j, &b))
					continue;
				type = get_str(b, "type", type);
				if (strcmp(type, "tool_result") == 0) {
					id = get_str(b, "tool_use_id", id);
					buf_reset(&text);
					content_text(b, "content", &text);
					jsonx_obj_open(&w);
					jsonx_kstr(&w, "role", "tool");
					jsonx_kstr(&w, "tool_call_id", id);
					jsonx_key(&w, "content");
					jsonx_strn(&w, text.p != NULL ? text.p : "", text.len);
					jsonx_obj_close(&w);
				}
				jsonx_doc_free(b);
			}
		buf_reset(&text);
		content_text(msg, "content", &text);
		if (assistant && jsonx_get_len(msg, "content", &m))
			for (j = 0; j < m; j++) {
				struct jsonx_doc *b;
				const char *type = "";

				if (jsonx_get_elem(msg, "content", j, &b)) {
					type = get_str(b, "type", type);
					calls += strcmp(type, "tool_use") == 0;
					jsonx_doc_free(b);
				}
			}
		if (text.len > 0 || calls > 0) {
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "role", assistant ? "assistant" : "user");
			jsonx_key(&w, "content");
			if (text.len > 0)
				jsonx_strn(&w, text.p, text.len);
			else
				jsonx_null(&w);
			(void)tool_calls_of(&w, msg, "content");
			jsonx_obj_close(&w);
		}
		jsonx_doc_free(msg);
	}
	jsonx_arr_close(&w);
	copy_number(&w, in, "temperature", "temperature");
	copy_number(&w, in, "top_p", "top_p");
	if (jsonx_get_len(in, "stop_sequences", &m) && m > 0)
		kraw(&w, "stop", in, "stop_sequences");
	if (jsonx_get_bool(in, "stream", &stream) && stream) {
		jsonx_kbool(&w, "stream", true);
		jsonx_key(&w, "stream_options");
		jsonx_obj_open(&w);
		jsonx_kbool(&w, "include_usage", true);
		jsonx_obj_close(&w);
	}
	if (jsonx_get_len(in, "tools", &m) && m > 0) {
		jsonx_key(&w, "tools");
		jsonx_arr_open(&w);
		for (j = 0; j < m; j++) {
			struct jsonx_doc *tool;
			const char *name = "", *desc;

			if (!jsonx_get_elem(in, "tools", j, &tool))
				continue;
			name = get_str(tool, "name", name);
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "type", "function");
			jsonx_key(&w, "function");
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "name", name);
			if (jsonx_get_str(tool, "description", &desc))
				jsonx_kstr(&w, "description", desc);
			if (jsonx_has(tool, "input_schema"))
				kraw(&w, "parameters", tool, "input_schema");
			jsonx_obj_close(&w);
			jsonx_obj_close(&w);
			jsonx_doc_free(tool);
		}
		jsonx_arr_close(&w);
	}
	if (jsonx_get_str(in, "tool_choice.type", &s)) {
		jsonx_key(&w, "tool_choice");
		const char *name = get_str(in, "tool_choice.name", NULL);

		if (strcmp(s, "tool") == 0 && name != NULL) {
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "type", "function");
			jsonx_key(&w, "function");
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "name", name);
			jsonx_obj_close(&w);
			jsonx_obj_close(&w);
		} else
			jsonx_str(&w, strcmp(s, "any") == 0    ? "required"
				      : strcmp(s, "none") == 0 ? "none"
							       : "auto");
	}
	jsonx_obj_close(&w);
	buf_free(&text);
	return !out->overflow;
}

/* --- answers -------------------------------------------------------------------------- */

static const char *finish_of(const char *stop_reason)
{
	if (stop_reason == NULL)
		return "stop";
	if (strcmp(stop_reason, "max_tokens") == 0 ||
	    strcmp(stop_reason, "model_context_window_exceeded") == 0)
		return "length";
	if (strcmp(stop_reason, "tool_use") == 0)
		return "tool_calls";
	if (strcmp(stop_reason, "refusal") == 0)
		return "content_filter";
	return "stop";
}

static const char *stop_of(const char *finish_reason)
{
	if (finish_reason == NULL)
		return "end_turn";
	if (strcmp(finish_reason, "length") == 0)
		return "max_tokens";
	if (strcmp(finish_reason, "tool_calls") == 0 || strcmp(finish_reason, "function_call") == 0)
		return "tool_use";
	if (strcmp(finish_reason, "content_filter") == 0)
		return "refusal";
	return "end_turn";
}

bool ai_answer_to_openai(const struct jsonx_doc *in, const char *model, struct buf *out)
{
	struct buf text;
	struct jsonx_w w;
	const char *id = "", *stop = NULL;
	int64_t itok = 0, otok = 0;
	size_t n = 0;

	if (!jsonx_get_len(in, "content", &n))
		return false;
	buf_init(&text, SCRATCH_MAX);
	content_text(in, "content", &text);
	id = get_str(in, "id", id);
	stop = get_str(in, "stop_reason", stop);
	(void)jsonx_get_int(in, "usage.input_tokens", &itok);
	(void)jsonx_get_int(in, "usage.output_tokens", &otok);
	jsonx_w_init(&w, out);
	jsonx_obj_open(&w);
	jsonx_key(&w, "id");
	{
		char full[128];

		snprintf(full, sizeof(full), "chatcmpl-%s", id);
		jsonx_str(&w, full);
	}
	jsonx_kstr(&w, "object", "chat.completion");
	jsonx_kint(&w, "created", (int64_t)time(NULL));
	jsonx_kstr(&w, "model", model);
	jsonx_key(&w, "choices");
	jsonx_arr_open(&w);
	jsonx_obj_open(&w);
	jsonx_kint(&w, "index", 0);
	jsonx_key(&w, "message");
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "role", "assistant");
	jsonx_key(&w, "content");
	if (text.len > 0)
		jsonx_strn(&w, text.p, text.len);
	else
		jsonx_null(&w);
	jsonx_key(&w, "refusal");
	jsonx_null(&w);
	(void)tool_calls_of(&w, in, "content");
	jsonx_obj_close(&w);
	jsonx_key(&w, "logprobs");
	jsonx_null(&w);
	jsonx_kstr(&w, "finish_reason", finish_of(stop));
	jsonx_obj_close(&w);
	jsonx_arr_close(&w);
	jsonx_key(&w, "usage");
	jsonx_obj_open(&w);
	jsonx_kint(&w, "prompt_tokens", itok);
	jsonx_kint(&w, "completion_tokens", otok);
	jsonx_kint(&w, "total_tokens", itok + otok);
	jsonx_obj_close(&w);
	jsonx_obj_close(&w);
	buf_free(&text);
	return !out->overflow;
}

bool ai_answer_to_anthropic(const struct jsonx_doc *in, const char *model, struct buf *out)
{
	struct jsonx_w w;
	const char *id = "", *finish = NULL, *text = NULL;
	int64_t itok = 0, otok = 0;
	size_t n = 0, i;
	char full[128];

	if (!jsonx_get_len(in, "choices", &n) || n == 0)
		return false;
	id = get_str(in, "id", id);
	(void)jsonx_get_int(in, "usage.prompt_tokens", &itok);
	(void)jsonx_get_int(in, "usage.completion_tokens", &otok);
	jsonx_w_init(&w, out);
	jsonx_obj_open(&w);
	snprintf(full, sizeof(full), "msg_%s", id);
	jsonx_kstr(&w, "id", full);
	jsonx_kstr(&w, "type", "message");
	jsonx_kstr(&w, "role", "assistant");
	jsonx_kstr(&w, "model", model);
	jsonx_key(&w, "content");
	jsonx_arr_open(&w);
	{
		struct jsonx_doc *choice;

		if (jsonx_get_elem(in, "choices", 0, &choice)) {
			finish = get_str(choice, "finish_reason", finish);
			if (jsonx_get_str(choice, "message.content", &text) && text[0] != '\0') {
				jsonx_obj_open(&w);
				jsonx_kstr(&w, "type", "text");
				jsonx_kstr(&w, "text", text);
				jsonx_obj_close(&w);
			}
			n = 0;
			(void)jsonx_get_len(choice, "message.tool_calls", &n);
			for (i = 0; i < n; i++) {
				struct jsonx_doc *call;
				const char *cid = "", *name = "", *args = "{}";

				if (!jsonx_get_elem(choice, "message.tool_calls", i, &call))
					continue;
				cid = get_str(call, "id", cid);
				name = get_str(call, "function.name", name);
				args = get_str(call, "function.arguments", args);
				jsonx_obj_open(&w);
				jsonx_kstr(&w, "type", "tool_use");
				jsonx_kstr(&w, "id", cid);
				jsonx_kstr(&w, "name", name);
				kparsed(&w, "input", args);
				jsonx_obj_close(&w);
				jsonx_doc_free(call);
			}
			/* finish points into choice: written before it is freed */
			jsonx_arr_close(&w);
			jsonx_kstr(&w, "stop_reason", stop_of(finish));
			jsonx_doc_free(choice);
		} else {
			jsonx_arr_close(&w);
			jsonx_kstr(&w, "stop_reason", "end_turn");
		}
	}
	jsonx_key(&w, "stop_sequence");
	jsonx_null(&w);
	jsonx_key(&w, "usage");
	jsonx_obj_open(&w);
	jsonx_kint(&w, "input_tokens", itok);
	jsonx_kint(&w, "output_tokens", otok);
	jsonx_obj_close(&w);
	jsonx_obj_close(&w);
	return !out->overflow;
}

/* --- streams ------------------------------------------------------------------------- */

void ai_stream_xlate_init(struct ai_stream_xlate *x, bool to_openai, const char *model,
			  bool include_usage)
{
	memset(x, 0, sizeof(*x));
	x->to_openai = to_openai;
	x->model = model;
	x->include_usage = include_usage;
	x->created = (int64_t)time(NULL);
	x->tool_index = -1;
	snprintf(x->id, sizeof(x->id), "stream");
}

/* Opens an OpenAI chunk's data line, up to its choices (left open for the caller). */
static void chunk_open(struct ai_stream_xlate *x, struct jsonx_w *w, struct buf *out)
{
	buf_puts(out, "data: ");
	jsonx_w_init(w, out);
	jsonx_obj_open(w);
	jsonx_kstr(w, "id", x->id);
	jsonx_kstr(w, "object", "chat.completion.chunk");
	jsonx_kint(w, "created", x->created);
	jsonx_kstr(w, "model", x->model);
	jsonx_key(w, "choices");
}

/* An OpenAI chunk: its delta (a JSON object's text) and finish reason (NULL: none). */
static void chunk(struct ai_stream_xlate *x, const char *delta, const char *finish, struct buf *out)
{
	struct jsonx_w w;

	chunk_open(x, &w, out);
	jsonx_arr_open(&w);
	jsonx_obj_open(&w);
	jsonx_kint(&w, "index", 0);
	jsonx_key(&w, "delta");
	jsonx_raw(&w, delta, strlen(delta));
	jsonx_key(&w, "logprobs");
	jsonx_null(&w);
	jsonx_key(&w, "finish_reason");
	jsonx_str(&w, finish);
	jsonx_obj_close(&w);
	jsonx_arr_close(&w);
	if (x->include_usage) { /* as OpenAI sends it: null until the last chunk */
		jsonx_key(&w, "usage");
		jsonx_null(&w);
	}
	jsonx_obj_close(&w);
	buf_puts(out, "\n\n");
}

/* An Anthropic event; body is the rest of its JSON object after "type". */
static void event(struct buf *out, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void event(struct buf *out, const char *type, const char *fmt, ...)
{
	va_list ap;

	buf_printf(out, "event: %s\ndata: {\"type\":\"%s\"", type, type);
	va_start(ap, fmt);
	buf_vprintf(out, fmt, ap);
	va_end(ap);
	buf_puts(out, "}\n\n");
}

/* s as a JSON string (quotes included), for the events built with printf. */
static char *quoted(const char *s, size_t n, struct buf *tmp)
{
	struct jsonx_w w;

	buf_reset(tmp);
	jsonx_w_init(&w, tmp);
	jsonx_strn(&w, s, n);
	buf_putc(tmp, '\0');
	return tmp->p;
}

static void from_anthropic(struct ai_stream_xlate *x, const struct jsonx_doc *d, struct buf *out)
{
	const char *type = "", *s = NULL;
	int64_t index = 0, v;
	struct buf delta, tmp;
	struct jsonx_w w;

	type = get_str(d, "type", type);
	(void)jsonx_get_int(d, "index", &index);
	buf_init(&delta, SCRATCH_MAX);
	buf_init(&tmp, SCRATCH_MAX);
	jsonx_w_init(&w, &delta);
	if (strcmp(type, "message_start") == 0) {
		if (jsonx_get_str(d, "message.id", &s))
			snprintf(x->id, sizeof(x->id), "chatcmpl-%s", s);
		if (jsonx_get_int(d, "message.usage.input_tokens", &v))
			x->in_tok = v;
		chunk(x, "{\"role\":\"assistant\",\"content\":\"\"}", NULL, out);
	} else if (strcmp(type, "content_block_start") == 0 &&
		   jsonx_get_str(d, "content_block.type", &s) && strcmp(s, "tool_use") == 0) {
		const char *id = "", *name = "";

		id = get_str(d, "content_block.id", id);
		name = get_str(d, "content_block.name", name);
		if (index >= 0 && index < 64)
			x->tool_of_block[index] = x->tools;
		jsonx_obj_open(&w);
		jsonx_key(&w, "tool_calls");
		jsonx_arr_open(&w);
		jsonx_obj_open(&w);
		jsonx_kint(&w, "index", x->tools++);
		jsonx_kstr(&w, "id", id);
		jsonx_kstr(&w, "type", "function");
		jsonx_key(&w, "function");
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "name", name);
		jsonx_kstr(&w, "arguments", "");
		jsonx_obj_close(&w);
		jsonx_obj_close(&w);
		jsonx_arr_close(&w);
		jsonx_obj_close(&w);
		buf_putc(&delta, '\0');
		chunk(x, delta.p, NULL, out);
	} else if (strcmp(type, "content_block_delta") == 0) {
		if (jsonx_get_str(d, "delta.text", &s)) {
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "content", s);
			jsonx_obj_close(&w);
		} else if (jsonx_get_str(d, "delta.partial_json", &s)) {
			jsonx_obj_open(&w);
			jsonx_key(&w, "tool_calls");
			jsonx_arr_open(&w);
			jsonx_obj_open(&w);
			jsonx_kint(&w, "index",
				   index >= 0 && index < 64 ? x->tool_of_block[index] : 0);
			jsonx_key(&w, "function");
			jsonx_obj_open(&w);
			jsonx_kstr(&w, "arguments", s);
			jsonx_obj_close(&w);
			jsonx_obj_close(&w);
			jsonx_arr_close(&w);
			jsonx_obj_close(&w);
		}
		if (delta.len > 0) {
			buf_putc(&delta, '\0');
			chunk(x, delta.p, NULL, out);
		}
	} else if (strcmp(type, "message_delta") == 0) {
		if (jsonx_get_int(d, "usage.output_tokens", &v))
			x->out_tok = v;
		if (jsonx_get_int(d, "usage.input_tokens", &v))
			x->in_tok = v;
		s = NULL;
		s = get_str(d, "delta.stop_reason", s);
		chunk(x, "{}", finish_of(s), out);
		x->finished = true;
	} else if (strcmp(type, "error") == 0) {
		const char *msg = "The provider failed mid-stream.";

		msg = get_str(d, "error.message", msg);
		buf_printf(
		    out,
		    "data: {\"error\":{\"message\":%s,\"type\":\"server_error\",\"param\":null,"
		    "\"code\":null}}\n\n",
		    quoted(msg, strlen(msg), &tmp));
	}
	buf_free(&delta);
	buf_free(&tmp);
}

/* Closes the open content block (OpenAI -> Anthropic). */
static void close_block(struct ai_stream_xlate *x, struct buf *out)
{
	if (!x->text_open && x->tool_index < 0)
		return;
	event(out, "content_block_stop", ",\"index\":%d", x->block);
	x->block++;
	x->text_open = false;
	x->tool_index = -1;
}

static void from_openai(struct ai_stream_xlate *x, const struct jsonx_doc *d, struct buf *out)
{
	struct jsonx_doc *choice = NULL;
	const char *s = NULL;
	struct buf tmp, tmp2;
	size_t n = 0, i;
	int64_t v;

	buf_init(&tmp, SCRATCH_MAX);
	buf_init(&tmp2, SCRATCH_MAX);
	if (!x->started) {
		const char *id = "";

		id = get_str(d, "id", id);
		snprintf(x->id, sizeof(x->id), "msg_%.50s", id);
		event(out, "message_start",
		      ",\"message\":{\"id\":%s,\"type\":\"message\",\"role\":\"assistant\","
		      "\"content\":[],\"model\":%s,\"stop_reason\":null,\"stop_sequence\":null,"
		      "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}",
		      quoted(x->id, strlen(x->id), &tmp),
		      quoted(x->model, strlen(x->model), &tmp2));
		x->started = true;
	}
	if (jsonx_get_int(d, "usage.prompt_tokens", &v)) {
		x->in_tok = v;
		if (jsonx_get_int(d, "usage.completion_tokens", &v))
			x->out_tok = v;
	}
	if (jsonx_get_elem(d, "choices", 0, &choice)) {
		if (jsonx_get_str(choice, "delta.content", &s) && s[0] != '\0') {
			if (x->tool_index >= 0)
				close_block(x, out);
			if (!x->text_open) {
				event(out, "content_block_start",
				      ",\"index\":%d,\"content_block\":{\"type\":\"text\",\"text\":"
				      "\"\"}",
				      x->block);
				x->text_open = true;
			}
			event(out, "content_block_delta",
			      ",\"index\":%d,\"delta\":{\"type\":\"text_delta\",\"text\":%s}",
			      x->block, quoted(s, strlen(s), &tmp));
		}
		if (jsonx_get_len(choice, "delta.tool_calls", &n))
			for (i = 0; i < n; i++) {
				struct jsonx_doc *call;
				int64_t ti = 0;
				const char *args = NULL;

				if (!jsonx_get_elem(choice, "delta.tool_calls", i, &call))
					continue;
				(void)jsonx_get_int(call, "index", &ti);
				if (ti != x->tool_index) {
					const char *id = "", *name = "";

					close_block(x, out);
					id = get_str(call, "id", id);
					name = get_str(call, "function.name", name);
					event(out, "content_block_start",
					      ",\"index\":%d,\"content_block\":{\"type\":\"tool_"
					      "use\","
					      "\"id\":%s,\"name\":%s,\"input\":{}}",
					      x->block, quoted(id, strlen(id), &tmp),
					      quoted(name, strlen(name), &tmp2));
					x->tool_index = (int)ti;
				}
				if (jsonx_get_str(call, "function.arguments", &args) &&
				    args[0] != '\0')
					event(out, "content_block_delta",
					      ",\"index\":%d,\"delta\":{\"type\":\"input_json_"
					      "delta\","
					      "\"partial_json\":%s}",
					      x->block, quoted(args, strlen(args), &tmp));
				jsonx_doc_free(call);
			}
		if (jsonx_get_str(choice, "finish_reason", &s))
			str_lcpy(x->stop, stop_of(s), sizeof(x->stop));
		jsonx_doc_free(choice);
	}
	buf_free(&tmp);
	buf_free(&tmp2);
}

void ai_stream_xlate_event(struct ai_stream_xlate *x, const char *data, size_t n, struct buf *out)
{
	struct jsonx_doc *d;
	char msg[64];

	if (n == 6 && memcmp(data, "[DONE]", 6) == 0)
		return;
	if (jsonx_parse(data, n, &d, msg, sizeof(msg)) != ERR_OK)
		return;
	if (x->to_openai)
		from_anthropic(x, d, out);
	else
		from_openai(x, d, out);
	jsonx_doc_free(d);
}

void ai_stream_xlate_end(struct ai_stream_xlate *x, struct buf *out)
{
	struct buf tmp;

	if (x->to_openai) {
		if (!x->finished)
			chunk(x, "{}", "stop", out);
		if (x->include_usage) {
			struct jsonx_w w;

			chunk_open(x, &w, out);
			jsonx_arr_open(&w);
			jsonx_arr_close(&w);
			jsonx_key(&w, "usage");
			jsonx_obj_open(&w);
			jsonx_kint(&w, "prompt_tokens", x->in_tok);
			jsonx_kint(&w, "completion_tokens", x->out_tok);
			jsonx_kint(&w, "total_tokens", x->in_tok + x->out_tok);
			jsonx_obj_close(&w);
			jsonx_obj_close(&w);
			buf_puts(out, "\n\n");
		}
		buf_puts(out, "data: [DONE]\n\n");
		return;
	}
	if (!x->started) {
		buf_init(&tmp, SCRATCH_MAX);
		event(out, "message_start",
		      ",\"message\":{\"id\":\"msg_stream\",\"type\":\"message\",\"role\":"
		      "\"assistant\",\"content\":[],\"model\":%s,\"stop_reason\":null,"
		      "\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}",
		      quoted(x->model, strlen(x->model), &tmp));
		buf_free(&tmp);
	}
	close_block(x, out);
	event(out, "message_delta",
	      ",\"delta\":{\"stop_reason\":\"%s\",\"stop_sequence\":null},\"usage\":{"
	      "\"input_tokens\":%lld,\"output_tokens\":%lld}",
	      x->stop[0] ? x->stop : "end_turn", (long long)x->in_tok, (long long)x->out_tok);
	event(out, "message_stop", "%s", "");
}
