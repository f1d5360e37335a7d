/* JWK -> DER SubjectPublicKeyInfo -> PEM, with a small DER writer. */
#include "jwk.h"

#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "cryptox.h"
#include "str.h"

#define DER_MAX 1200 /* a 4096-bit RSA key's SPKI is 550 bytes */

/* A DER encoding written back to front: the lengths of nested values are known once their
 * contents are written, and prepending needs no moves. */
struct der {
	unsigned char b[DER_MAX];
	size_t start; /* the encoding is b[start..DER_MAX) */
	bool overflow;
};

static void der_init(struct der *d)
{
	d->start = DER_MAX;
	d->overflow = false;
}

static size_t der_len(const struct der *d)
{
	return DER_MAX - d->start;
}

static void der_put(struct der *d, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (d->overflow || n > d->start) {
		d->overflow = true;
		return;
	}
	d->start -= n;
	memcpy(d->b + d->start, p, n);
}

static void der_byte(struct der *d, unsigned char c)
{
	der_put(d, &c, 1);
}

/* The tag and length of a value whose contents (len bytes) are already in front. */
static void der_head(struct der *d, unsigned char tag, size_t len)
{
	if (len < 128) {
		der_byte(d, (unsigned char)len);
	} else if (len < 256) {
		der_byte(d, (unsigned char)len);
		der_byte(d, 0x81);
	} else {
		der_byte(d, (unsigned char)(len & 0xff));
		der_byte(d, (unsigned char)(len >> 8));
		der_byte(d, 0x82);
	}
	der_byte(d, tag);
}

/* An unsigned big-endian integer: minimal, with a 0 byte when the high bit is set. */
static void der_uint(struct der *d, const unsigned char *p, size_t n)
{
	size_t before = der_len(d);

	while (n > 1 && p[0] == 0) {
		p++;
		n--;
	}
	der_put(d, p, n);
	if (p[0] & 0x80)
		der_byte(d, 0);
	der_head(d, 0x02, der_len(d) - before);
}

static const unsigned char oid_rsa[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
					0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
static const unsigned char oid_ec[] = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const unsigned char oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
					 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

/* SEQUENCE { SEQUENCE { algorithm }, BIT STRING { 0 unused bits, key } }, where the key
 * (keylen bytes) is already in front. */
static void der_spki(struct der *d, size_t keylen, const unsigned char *alg, size_t alglen,
		     const unsigned char *param, size_t paramlen)
{
	size_t outside = der_len(d) - keylen; /* what was written before the key: not ours */

	der_byte(d, 0); /* unused bits */
	der_head(d, 0x03, keylen + 1);
	der_put(d, param, paramlen);
	der_put(d, alg, alglen);
	der_head(d, 0x30, alglen + paramlen);
	der_head(d, 0x30, der_len(d) - outside);
}

static enum err pem_out(const struct der *d, struct buf *out)
{
	char b64[DER_MAX * 2];

	if (cryptox_b64_encode(d->b + d->start, der_len(d), 64, b64, sizeof(b64)) < 0)
		return ERR_TOOBIG;
	if (!buf_printf(out, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64))
		return ERR_TOOBIG;
	return ERR_OK;
}

/* A base64url member into out (size cap); its length, or -1 (why says which). */
static long member(const struct jsonx_doc *jwk, const char *name, unsigned char *out, size_t cap,
		   char *why, size_t n)
{
	const char *s;
	long len;

	if (!jsonx_get_str(jwk, name, &s)) {
		snprintf(why, n, "the key has no \"%s\"", name);
		return -1;
	}
	len = cryptox_b64url_decode(s, strlen(s), out, cap);
	if (len <= 0)
		snprintf(why, n, "the key's \"%s\" is not base64url of a usable size", name);
	return len > 0 ? len : -1;
}

static enum err rsa_pem(const struct jsonx_doc *jwk, struct buf *out, char *why, size_t n)
{
	unsigned char mod[JWK_RSA_MAX_BITS / 8 + 1], exp[8];
	long nlen, elen, bits;
	struct der d;
	const unsigned char *m = mod;

	if ((nlen = member(jwk, "n", mod, sizeof(mod), why, n)) < 0 ||
	    (elen = member(jwk, "e", exp, sizeof(exp), why, n)) < 0)
		return ERR_INPUT;
	while (nlen > 0 && m[0] == 0) {
		m++;
		nlen--;
	}
	bits = nlen * 8;
	if (nlen > 0)
		for (unsigned char top = m[0]; !(top & 0x80); top <<= 1)
			bits--;
	if (bits < JWK_RSA_MIN_BITS || bits > JWK_RSA_MAX_BITS) {
		snprintf(why, n, "an RSA key must have %d to %d bits, not %ld", JWK_RSA_MIN_BITS,
			 JWK_RSA_MAX_BITS, bits);
		return ERR_INPUT;
	}
	der_init(&d);
	der_uint(&d, exp, (size_t)elen);
	der_uint(&d, m, (size_t)nlen);
	der_head(&d, 0x30, der_len(&d));
	der_spki(&d, der_len(&d), oid_rsa, sizeof(oid_rsa), NULL, 0);
	if (d.overflow)
		return ERR_TOOBIG;
	return pem_out(&d, out);
}

static enum err ec_pem(const struct jsonx_doc *jwk, struct buf *out, char *why, size_t n)
{
	unsigned char x[64], y[64], pt[1 + 2 * 48];
	const unsigned char *curve;
	size_t curvelen, size;
	const char *crv;
	long xl, yl;
	struct der d;

	if (!jsonx_get_str(jwk, "crv", &crv)) {
		snprintf(why, n, "an EC key needs \"crv\"");
		return ERR_INPUT;
	}
	if (strcmp(crv, "P-256") == 0) {
		curve = oid_p256;
		curvelen = sizeof(oid_p256);
		size = 32;
	} else if (strcmp(crv, "P-384") == 0) {
		curve = oid_p384;
		curvelen = sizeof(oid_p384);
		size = 48;
	} else {
		snprintf(why, n, "EC keys must be on P-256 or P-384");
		return ERR_INPUT;
	}
	if ((xl = member(jwk, "x", x, sizeof(x), why, n)) < 0 ||
	    (yl = member(jwk, "y", y, sizeof(y), why, n)) < 0)
		return ERR_INPUT;
	if ((size_t)xl != size || (size_t)yl != size) {
		snprintf(why, n, "the key's x and y must be %zu bytes each on %s", size, crv);
		return ERR_INPUT;
	}
	pt[0] = 0x04; /* uncompressed */
	memcpy(pt + 1, x, size);
	memcpy(pt + 1 + size, y, size);
	der_init(&d);
	der_put(&d, pt, 1 + 2 * size);
	der_spki(&d, 1 + 2 * size, oid_ec, sizeof(oid_ec), curve, curvelen);
	if (d.overflow)
		return ERR_TOOBIG;
	return pem_out(&d, out);
}

enum err jwk_to_pem(const struct jsonx_doc *jwk, struct buf *out, char *why, size_t n)
{
	const char *kty, *use, *alg;
	bool rsa;

	why[0] = '\0';
	if (!jsonx_get_str(jwk, "kty", &kty)) {
		snprintf(why, n, "the key has no \"kty\"");
		return ERR_INPUT;
	}
	if (jsonx_has(jwk, "use") &&
	    (!jsonx_get_str(jwk, "use", &use) || strcmp(use, "sig") != 0)) {
		snprintf(why, n, "the key is not for signatures (\"use\")");
		return ERR_INPUT;
	}
	rsa = strcmp(kty, "RSA") == 0;
	if (!rsa && strcmp(kty, "EC") != 0) {
		snprintf(why, n, "key type \"%.16s\" is not supported (RSA or EC)", kty);
		return ERR_INPUT;
	}
	if (jsonx_has(jwk, "alg")) {
		struct str a;

		if (!jsonx_get_str(jwk, "alg", &alg)) {
			snprintf(why, n, "the key's \"alg\" is not a string");
			return ERR_INPUT;
		}
		a = str_c(alg);
		if (rsa ? !(str_has_prefix(a, "RS") || str_has_prefix(a, "PS"))
			: !str_has_prefix(a, "ES")) {
			snprintf(why, n, "the key's \"alg\" %.16s does not fit its type", alg);
			return ERR_INPUT;
		}
	}
	return rsa ? rsa_pem(jwk, out, why, n) : ec_pem(jwk, out, why, n);
}

enum err jwk_set_to_pems(const char *json, size_t len, struct buf *out, size_t *count, char *why,
			 size_t n)
{
	struct jsonx_doc *d = NULL;
	char msg[160], one[160];
	size_t keys = 0, i;
	enum err e = ERR_OK;

	*count = 0;
	why[0] = '\0';
	if (jsonx_parse(json, len, &d, msg, sizeof(msg)) != ERR_OK) {
		snprintf(why, n, "not JSON: %s", msg);
		return ERR_INPUT;
	}
	if (!jsonx_get_len(d, "keys", &keys) || !jsonx_has(d, "keys")) {
		snprintf(why, n, "a JWK Set is an object with a \"keys\" array");
		e = ERR_INPUT;
		goto out;
	}
	for (i = 0; i < keys; i++) {
		struct jsonx_doc *k;
		enum err ke;

		if (!jsonx_get_elem(d, "keys", i, &k)) {
			snprintf(why, n, "a JWK Set is an object with a \"keys\" array");
			e = ERR_INPUT;
			goto out;
		}
		ke = jwk_to_pem(k, out, one, sizeof(one));
		jsonx_doc_free(k);
		if (ke == ERR_TOOBIG) {
			e = ke;
			goto out;
		}
		if (ke == ERR_OK)
			(*count)++;
		else if (why[0] == '\0')
			snprintf(why, n, "key %zu: %s", i + 1, one);
	}
out:
	jsonx_doc_free(d);
	return e;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

bool jwk_is_pem_keys(const char *text, size_t len)
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char end[] = "-----END PUBLIC KEY-----";
	size_t i = 0, blocks = 0;

	for (;;) {
		size_t body = 0;

		while (i < len && is_space(text[i]))
			i++;
		if (i == len)
			return blocks > 0;
		if (len - i < sizeof(begin) - 1 || memcmp(text + i, begin, sizeof(begin) - 1) != 0)
			return false;
		i += sizeof(begin) - 1;
		while (i < len && (is_space(text[i]) || is_b64(text[i]))) {
			body += !is_space(text[i]);
			i++;
		}
		if (body < 64 || len - i < sizeof(end) - 1 ||
		    memcmp(text + i, end, sizeof(end) - 1) != 0)
			return false;
		i += sizeof(end) - 1;
		blocks++;
	}
}
