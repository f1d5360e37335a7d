/* Stripe's v1 API over libcurl, and webhook signatures (HMAC-SHA256, libsodium). */
#include "stripe.h"

#include <sodium.h>

#include "../../lib/cryptox.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/codec.h"
#include "../../lib/str.h"

#define MAX_ANSWER (256 * 1024)

static void put_encoded(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';

		if (plain ? !buf_putc(b, (char)c)
			  : !buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]))
			abort();
	}
}

void stripe_form_add(struct buf *form, const char *key, const char *value)
{
	if (form->len > 0 && !buf_putc(form, '&'))
		abort();
	put_encoded(form, key);
	if (!buf_putc(form, '='))
		abort();
	put_encoded(form, value);
}

bool stripe_enabled(const struct config *cfg)
{
	return cfg->stripe_api_key != NULL && cfg->stripe_api_key[0] != '\0';
}

/* Stripe's own words for an error answer, when it sent any. */
static void error_message(struct stripe_answer *a, const struct buf *out)
{
	struct jsonx_doc *d = NULL;
	const char *m = NULL, *type = NULL;
	char why[256];

	why[0] = '\0';
	if (jsonx_parse(out->p, out->len, &d, why, sizeof(why)) == ERR_OK) {
		(void)jsonx_get_str(d, "error.message", &m);
		(void)jsonx_get_str(d, "error.type", &type);
	}
	if (a->status == 401)
		snprintf(a->msg, sizeof(a->msg), "Stripe refused the API key (401)");
	else
		snprintf(a->msg, sizeof(a->msg), "Stripe answered %d%s%s%s%s", a->status,
			 type != NULL ? " " : "", type != NULL ? type : "", m != NULL ? ": " : "",
			 m != NULL ? m : "");
	a->duplicate = a->status == 400 && m != NULL && strstr(m, "already exists") != NULL;
	jsonx_doc_free(d);
}

enum err stripe_call(struct http *h, const struct config *cfg, const char *method, const char *path,
		     const struct buf *form, const char *idem_key, struct stripe_answer *a)
{
	char url[768], auth[600], why[256];
	struct http_header headers[4] = {{"Authorization", auth},
					 {"Stripe-Version", STRIPE_API_VERSION},
					 {NULL, NULL},
					 {NULL, NULL}};
	struct http_req rq = {.method = method,
			      .url = url,
			      .content_type = "application/x-www-form-urlencoded",
			      .headers = headers,
			      .body = form != NULL ? (form->p != NULL ? form->p : "") : NULL,
			      .len = form != NULL ? form->len : 0,
			      .timeout_ms = cfg->stripe_timeout_ms,
			      .max_response = MAX_ANSWER};
	struct buf out;
	size_t base;
	enum err e;

	memset(a, 0, sizeof(*a));
	if (!stripe_enabled(cfg)) {
		snprintf(a->msg, sizeof(a->msg), "billing is not set up (TOLLGATE_STRIPE_API_KEY)");
		return ERR_INPUT;
	}
	base = strlen(cfg->stripe_api_url);
	while (base > 0 && cfg->stripe_api_url[base - 1] == '/')
		base--; /* a trailing slash in the setting would double the path's */
	if ((size_t)snprintf(url, sizeof(url), "%.*s%s", (int)base, cfg->stripe_api_url, path) >=
		sizeof(url) ||
	    (size_t)snprintf(auth, sizeof(auth), "Bearer %s", cfg->stripe_api_key) >=
		sizeof(auth)) {
		snprintf(a->msg, sizeof(a->msg), "the Stripe URL or key is too long");
		return ERR_INPUT;
	}
	if (idem_key != NULL)
		headers[2] = (struct http_header){"Idempotency-Key", idem_key};
	buf_init(&out, MAX_ANSWER);
	e = http_send(h, &rq, &a->status, &out, a->msg, sizeof(a->msg));
	sodium_memzero(auth, sizeof(auth));
	if (e != ERR_OK) {
		a->retry = e != ERR_INPUT;
		buf_free(&out);
		return e == ERR_INPUT ? ERR_INPUT : ERR_UPSTREAM;
	}
	if (a->status < 200 || a->status > 299) {
		error_message(a, &out);
		a->retry = a->status == 409 || a->status == 429 || a->status >= 500;
		buf_free(&out);
		return ERR_UPSTREAM;
	}
	if (jsonx_parse(out.p, out.len, &a->body, why, sizeof(why)) != ERR_OK) {
		snprintf(a->msg, sizeof(a->msg), "Stripe's answer is not a JSON object: %s", why);
		a->body = NULL;
		a->retry = true;
		buf_free(&out);
		return ERR_UPSTREAM;
	}
	buf_free(&out);
	return ERR_OK;
}

/* HMAC-SHA256 of "t.body" with key, compared with the 32 bytes sig. */
static bool signs(const char *key, size_t keylen, struct str t, const char *body, size_t len,
		  const unsigned char sig[32])
{
	unsigned char mac[32];
	bool ok;

	cryptox_hmac_sha256_dot(key, keylen, t.p, t.len, body, len, mac);
	ok = cryptox_equal(mac, sig, sizeof(mac));
	cryptox_wipe(mac, sizeof(mac));
	return ok;
}

bool stripe_signature_ok(const char *header, const char *body, size_t len, const char *secrets,
			 int64_t now_s, int64_t tolerance_s)
{
	struct str rest, item, t = {NULL, 0};
	unsigned char sigs[8][32];
	size_t nsigs = 0, i;
	int64_t ts;

	if (header == NULL || secrets == NULL || secrets[0] == '\0' || strlen(header) > 4096)
		return false;
	rest = str_c(header);
	while (rest.len > 0) {
		(void)str_cut(&rest, ',', &item);
		item = str_trim(item);
		if (str_has_prefix(item, "t=") && t.p == NULL) {
			t = (struct str){item.p + 2, item.len - 2};
		} else if (str_has_prefix(item, "v1=") && item.len == 3 + 64 &&
			   nsigs < sizeof(sigs) / sizeof(sigs[0])) {
			if (codec_unhex(item.p + 3, 64, sigs[nsigs], 32))
				nsigs++;
		}
	}
	if (t.p == NULL || nsigs == 0 || str_to_i64(t, 0, INT64_MAX / 2, &ts) != ERR_OK)
		return false;
	if (ts < now_s - tolerance_s || ts > now_s + tolerance_s)
		return false;
	rest = str_c(secrets);
	while (rest.len > 0) {
		(void)str_cut(&rest, ',', &item);
		item = str_trim(item);
		if (item.len == 0)
			continue;
		for (i = 0; i < nsigs; i++)
			if (signs(item.p, item.len, t, body, len, sigs[i]))
				return true;
	}
	return false;
}
