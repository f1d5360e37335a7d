/* The LLM judge: a background child of `tollgate serve` (never the hot path) that drains the
 * workers' gray rings, asks the configured provider (OpenAI Chat Completions or Anthropic
 * Messages) about gray-zone clients in batches, each described by a redacted summary
 * (an opaque label, its network, route template, User-Agent family, rules, score and
 * features: never a key, a full address or a body), and caches each verdict in the
 * client's shared-memory record, where the gate reads it. An answer that is not exactly
 * the expected JSON is rejected whole; a failing provider is backed off from and the gate
 * goes on deciding without it. See docs/judge.md. */
#ifndef APP_ABUSE_JUDGE_H
#define APP_ABUSE_JUDGE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/buf.h"
#include "../../lib/err.h"
#include "../app.h"
#include "../config.h"
#include "../state/state.h"

#define JUDGE_MIN_CONFIDENCE 0.7	  /* below it a verdict changes nothing */
#define JUDGE_PENDING_MAX    1024	  /* clients waiting for a call */
#define JUDGE_MAX_RESPONSE   (256 * 1024) /* bytes of a provider's answer */
#define JUDGE_LABEL_LEN	     8

/* A client waiting for, or in, a call: its latest gray-zone sighting. */
struct judge_client {
	struct state_gray g; /* g.key_id != 0: the key is the client, else g.ip */
	int64_t queued_ns;   /* when the judge first took it from a ring */
	char label[JUDGE_LABEL_LEN];
};

/* One client's answer, indexed like the batch. */
struct judge_answer {
	bool present; /* the provider named this client */
	int verdict;  /* enum judge_verdict, after the confidence rule */
	float confidence;
};

/* The judge child's loop, until *stop. */
int judge_run(struct app *app, volatile sig_atomic_t *stop);

/* The parts below are exposed for the unit tests. */

/* The verdict to cache: abuse or benign at confidence >= JUDGE_MIN_CONFIDENCE, otherwise
 * unsure; JUDGE_NONE for a word that is not one of "abuse", "benign", "unsure". */
enum judge_verdict judge_verdict_of(const char *word, double confidence);

/* The client's network for the prompt: "a.b.c.0/24" or "x:y:z::/48"; "unknown" for the
 * zero address. */
void judge_network_text(const unsigned char ip[16], char *out, size_t n);

/* The request body for one call about n clients (labels already set), into body. */
void judge_request_body(const struct config *cfg, const struct judge_client *cs, size_t n,
			struct buf *body);

/* The path appended to TOLLGATE_JUDGE_URL for the configured provider. */
const char *judge_endpoint(int provider);

/* Reads the provider's 2xx answer about cs[0..n): the assistant's text must be the JSON
 * object {"verdicts":[{"client":label,"verdict":word,"confidence":0..1}, ...]} and nothing
 * else. Anything else (not JSON, other keys, an unknown or repeated label, a confidence out
 * of range, a truncated or refused answer) is ERR_INPUT with a short reason in msg, and
 * out (n entries) is left all absent. */
enum err judge_parse_reply(int provider, const char *body, size_t len,
			   const struct judge_client *cs, size_t n, struct judge_answer *out,
			   char *msg, size_t msglen) WUR;

/* Moves every item of every worker's gray ring into pending (*npending of max entries):
 * one entry per client (a key, or an address without one), the latest sighting winning;
 * skips clients whose record already holds a fresh verdict and tenants that no longer
 * enable the judge. Returns the number of items read. */
size_t judge_drain(struct state *st, int64_t now_ns, struct judge_client *pending, size_t *npending,
		   size_t max);

/* Writes an answer into the client's record: the verdict until now + ttl. */
void judge_store(struct state *st, const struct judge_client *c, const struct judge_answer *a,
		 int64_t now_ns, int64_t ttl_ms);

#endif
