/* A bearer JWT -> the issuer's synthetic key, from shared memory and libjwt. */
#include "gate_jwt.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/codec.h"
#include "../../lib/cryptox.h"
#include "../../lib/jsonx.h"
#include "../../lib/jwtx.h"

#define HEADER_MAX  1024 /* decoded bytes of the JOSE header */
#define PAYLOAD_MAX 6144 /* decoded bytes of the claims */

static bool is_b64url(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

bool gate_jwt_is_jwt(struct str s)
{
	size_t i, dots = 0, part = 0;

	if (s.len == 0 || s.len > GATE_JWT_MAX)
		return false;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '.') {
			if (part == 0 && dots < 2)
				return false;
			dots++;
			part = 0;
		} else if (is_b64url(s.p[i])) {
			part++;
		} else {
			return false;
		}
	}
	return dots == 2;
}

/* Decodes part (base64url) into buf (size cap - 1, NUL added) and parses it as a JSON
 * object. */
static bool part_json(struct str part, char *buf, size_t cap, struct jsonx_doc **out)
{
	char msg[8];
	long n = cryptox_b64url_decode(part.p, part.len, (unsigned char *)buf, cap - 1);

	*out = NULL;
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return jsonx_parse(buf, (size_t)n, out, msg, sizeof(msg)) == ERR_OK;
}

/* A claim's text fits a header value: no control characters, shorter than n. */
static bool header_safe(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || i + 1 >= n)
			return false;
	return true;
}

static bool audience_ok(const struct jsonx_doc *claims, const char *want)
{
	struct jsonx_doc *e;
	const char *aud;
	size_t i, n;
	bool ok = false;

	if (jsonx_get_str(claims, "aud", &aud))
		return strcmp(aud, want) == 0;
	if (!jsonx_get_len(claims, "aud", &n))
		return false;
	for (i = 0; i < n && !ok; i++) {
		if (!jsonx_get_elem(claims, "aud", i, &e))
			break;
		ok = jsonx_get_str(e, "", &aud) && strcmp(aud, want) == 0;
		jsonx_doc_free(e);
	}
	return ok;
}

/* The team claim as text: a string, or an integer written in decimal. */
static bool team_of(const struct jsonx_doc *claims, const char *claim, char *out, size_t n)
{
	const char *s;
	int64_t v;

	out[0] = '\0';
	if (claim[0] == '\0' || !jsonx_has(claims, claim))
		return true;
	if (jsonx_get_str(claims, claim, &s)) {
		if (!header_safe(s, n))
			return false;
		snprintf(out, n, "%s", s);
		return true;
	}
	if (jsonx_get_int(claims, claim, &v)) {
		snprintf(out, n, "%lld", (long long)v);
		return true;
	}
	return false;
}

static enum jwt_verdict claims_ok(const struct jsonx_doc *claims, const struct state_jwt_issuer *is,
				  int64_t now_s, struct gate_jwt *out)
{
	const char *sub;
	double exp, nbf;

	if (!jsonx_get_num(claims, "exp", &exp))
		return JWT_MALFORMED;
	if ((double)now_s >= exp + GATE_JWT_LEEWAY_S)
		return JWT_EXPIRED;
	if (jsonx_has(claims, "nbf")) {
		if (!jsonx_get_num(claims, "nbf", &nbf))
			return JWT_MALFORMED;
		if ((double)now_s + GATE_JWT_LEEWAY_S < nbf)
			return JWT_NOT_YET_VALID;
	}
	if (is->audience[0] != '\0' && !audience_ok(claims, is->audience))
		return JWT_AUDIENCE;
	out->subject[0] = '\0';
	if (jsonx_has(claims, "sub")) {
		if (!jsonx_get_str(claims, "sub", &sub) || !header_safe(sub, sizeof(out->subject)))
			return JWT_MALFORMED;
		snprintf(out->subject, sizeof(out->subject), "%s", sub);
	}
	if (!team_of(claims, is->team_claim, out->team, sizeof(out->team)))
		return JWT_MALFORMED;
	return JWT_OK;
}

/* Signatures this worker has verified. A signature is a pure function of the token and the
 * key, so a token seen again (callers send one for minutes) whose key is still one of the
 * issuer's needs no new check: libjwt parses the PEM and verifies RSA or ECDSA on every
 * call, tens of microseconds. Slots hold keyed hashes of the token and of the key's PEM;
 * a key that is rotated out no longer matches any of the issuer's. */
#define VERIFIED_SLOTS 512 /* a power of two */

static struct verified {
	unsigned char token[CRYPTOX_HASH_BYTES];
	unsigned char key[CRYPTOX_HASH_BYTES];
} verified[VERIFIED_SLOTS];

static enum jwt_verdict signature(const unsigned char secret[32], struct str token, char *text,
				  const struct state_jwt_issuer *is)
{
	unsigned char th[CRYPTOX_HASH_BYTES], kh[CRYPTOX_HASH_BYTES];
	struct verified *slot;
	uint64_t at;
	int32_t i, n = is->nkeys < STATE_JWT_KEYS ? is->nkeys : STATE_JWT_KEYS;

	cryptox_keyed_hash(th, secret, token.p, token.len);
	memcpy(&at, th, sizeof(at));
	slot = &verified[at & (VERIFIED_SLOTS - 1)];
	if (memcmp(slot->token, th, sizeof(th)) == 0)
		for (i = 0; i < n; i++) {
			cryptox_keyed_hash(kh, secret, is->pem[i],
					   strnlen(is->pem[i], STATE_JWT_PEM_MAX));
			if (memcmp(slot->key, kh, sizeof(kh)) == 0)
				return JWT_OK;
		}
	memcpy(text, token.p, token.len);
	text[token.len] = '\0';
	for (i = 0; i < n; i++) {
		size_t len = strnlen(is->pem[i], STATE_JWT_PEM_MAX);

		if (jwtx_verify(text, is->pem[i], len)) {
			memcpy(slot->token, th, sizeof(th));
			cryptox_keyed_hash(slot->key, secret, is->pem[i], len);
			return JWT_OK;
		}
	}
	return JWT_SIGNATURE;
}

enum jwt_verdict gate_jwt_check(struct state *st, const unsigned char secret[32], struct str token,
				int64_t now_s, struct gate_jwt *out)
{
	struct jsonx_doc *header = NULL, *claims = NULL;
	struct str rest = token, hpart, ppart;
	char hbuf[HEADER_MAX + 1], pbuf[PAYLOAD_MAX + 1], text[GATE_JWT_MAX + 1];
	struct state_jwt_issuer is;
	const char *alg, *iss;
	enum jwt_verdict v;

	if (!gate_jwt_is_jwt(token) || !str_cut(&rest, '.', &hpart) || !str_cut(&rest, '.', &ppart))
		return JWT_MALFORMED;
	if (!part_json(hpart, hbuf, sizeof(hbuf), &header) ||
	    !part_json(ppart, pbuf, sizeof(pbuf), &claims)) {
		v = JWT_MALFORMED;
		goto out;
	}
	if (!jsonx_get_str(header, "alg", &alg) || !jwtx_alg_ok(alg)) {
		v = JWT_ALG;
		goto out;
	}
	if (rest.len == 0 || !jsonx_get_str(claims, "iss", &iss)) {
		v = JWT_MALFORMED;
		goto out;
	}
	if (!state_jwt_issuer_find(st, secret, iss, strlen(iss), &is)) {
		v = JWT_UNKNOWN_ISSUER;
		goto out;
	}
	if (is.nkeys == 0) {
		v = JWT_NO_KEYS;
		goto out;
	}
	if ((v = signature(secret, token, text, &is)) != JWT_OK)
		goto out;
	if ((v = claims_ok(claims, &is, now_s, out)) != JWT_OK)
		goto out;
	memset(&out->key, 0, sizeof(out->key));
	out->key.id = is.key_id;
	out->key.tenant_id = is.tenant_id;
	out->key.rps = is.rps;
	out->key.burst = is.burst;
	out->key.rpm = is.rpm;
	out->key.gen = is.gen;
out:
	jsonx_doc_free(header);
	jsonx_doc_free(claims);
	return v;
}

const char *gate_jwt_why(enum jwt_verdict v)
{
	static const char *const why[JWT__MAX] = {
	    [JWT_OK] = "The token is valid.",
	    [JWT_MALFORMED] = "The token is malformed, or a claim (exp, nbf, sub, the team "
			      "claim) is missing or of the wrong type.",
	    [JWT_ALG] = "The token's algorithm is not accepted (RS256, RS384, RS512, ES256, "
			"ES384 or ES512).",
	    [JWT_UNKNOWN_ISSUER] = "The token's issuer is unknown.",
	    [JWT_NO_KEYS] = "The token's issuer has no usable keys yet.",
	    [JWT_SIGNATURE] = "The token's signature does not verify with its issuer's keys.",
	    [JWT_EXPIRED] = "The token has expired.",
	    [JWT_NOT_YET_VALID] = "The token is not valid yet.",
	    [JWT_AUDIENCE] = "The token is not meant for this API (wrong audience).",
	};

	return v < JWT__MAX ? why[v] : "The token is invalid.";
}

int64_t gate_jwt_team_id(int64_t key_id, const char *team)
{
	uint64_t h = codec_mix64((uint64_t)key_id);
	const char *p;

	for (p = team; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = codec_mix64(h);
	/* Negative and never INT64_MIN: no real key has such an id. */
	return -(int64_t)((h >> 1) | 1);
}
