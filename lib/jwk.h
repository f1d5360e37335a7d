/* JSON Web Keys (RFC 7517) to PEM public keys: the SubjectPublicKeyInfo (RFC 5280) of an
 * RSA key (n, e) or an EC key on P-256 or P-384 (x, y), DER-encoded here and wrapped as
 * "-----BEGIN PUBLIC KEY-----", which is what a signature library loads. Pure: no I/O and
 * no crypto; the input is untrusted (an identity provider's JWKS URL answers it). */
#ifndef LIB_JWK_H
#define LIB_JWK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "jsonx.h"

#define JWK_RSA_MIN_BITS 2048
#define JWK_RSA_MAX_BITS 4096
#define JWK_PEM_MAX	 1024 /* the PEM of a 4096-bit RSA key is about 800 characters */

/* Appends the PEM of one JWK (a JSON object document) to out. ERR_INPUT with why (size
 * n) when it is not a key for verifying signatures that Tollgate uses: kty RSA with a
 * modulus of JWK_RSA_MIN_BITS to JWK_RSA_MAX_BITS, or kty EC with crv P-256 or P-384;
 * "use" absent or "sig"; "alg" absent or one that fits the key type. ERR_TOOBIG when out
 * did not take it. */
enum err jwk_to_pem(const struct jsonx_doc *jwk, struct buf *out, char *why, size_t n) WUR;

/* A JWK Set ({"keys": [...]}, at most len bytes of JSON): appends the PEM of each usable
 * key to out, in order, and counts them in *count; keys it cannot use (an encryption key,
 * another type) are skipped, the first reason in why. ERR_INPUT when the text is not a
 * JWK Set; a set with no usable key is ERR_OK with *count 0. */
enum err jwk_set_to_pems(const char *json, size_t len, struct buf *out, size_t *count, char *why,
			 size_t n) WUR;

/* True when text holds one or more PEM public keys ("-----BEGIN PUBLIC KEY-----" blocks
 * of base64 lines, each closed by its END line) and nothing else but white space. */
bool jwk_is_pem_keys(const char *text, size_t len);

#endif
