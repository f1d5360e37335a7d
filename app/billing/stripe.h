/* Stripe's API as Tollgate uses it (docs/billing.md): form-encoded v1 calls over lib/http
 * with the secret key, the pinned API version and an Idempotency-Key; and the check of a
 * webhook's Stripe-Signature. Never on the gate's pool. */
#ifndef APP_BILLING_STRIPE_H
#define APP_BILLING_STRIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/buf.h"
#include "../../lib/http.h"
#include "../../lib/jsonx.h"
#include "../config.h"

/* The API version every call asks for, and webhook endpoints should be registered with. */
#define STRIPE_API_VERSION "2026-07-29.dahlia"
/* How far a webhook's signed timestamp may be from now (Stripe's own default). */
#define STRIPE_TOLERANCE_S 300

/* A form body: key=value pairs, both percent-encoded (brackets included, which Stripe
 * accepts either way). Out of memory aborts. */
void stripe_form_add(struct buf *form, const char *key, const char *value);

/* What one call came to. */
struct stripe_answer {
	int status;		/* HTTP status; 0 when none arrived */
	struct jsonx_doc *body; /* the parsed answer (an object), or NULL */
	bool retry;		/* worth trying again: no answer, 409, 429 or 5xx */
	bool duplicate;		/* a meter event whose identifier Stripe already has */
	char msg[300];		/* what went wrong, for a log or an operator; never a key */
};

/* Calls method path ("/v1/customers") with the form (NULL: none) and idem_key (NULL:
 * none) on h. ERR_OK only for a 2xx with a JSON object, in a->body (free it with
 * jsonx_doc_free); otherwise ERR_UPSTREAM (or ERR_INPUT for a bad set-up) with a->msg
 * saying why and a->retry whether trying again may help. */
enum err stripe_call(struct http *h, const struct config *cfg, const char *method, const char *path,
		     const struct buf *form, const char *idem_key, struct stripe_answer *a) WUR;
/* True when billing is set up (a secret key is configured). */
bool stripe_enabled(const struct config *cfg);

/* Whether header (Stripe-Signature: "t=...,v1=...,v1=...") signs body with one of the
 * comma-separated secrets, at a time within tolerance_s of now_s. Every v1 is tried
 * against every secret, each compared in constant time; other schemes are ignored. */
bool stripe_signature_ok(const char *header, const char *body, size_t len, const char *secrets,
			 int64_t now_s, int64_t tolerance_s);

#endif
