/* The one wrapper of libjwt: the signature check of a compact JWS (a JWT) against a PEM
 * public key. Claims are not read here: the caller parses the payload it has verified
 * (lib/jsonx) and judges exp, nbf, aud and iss itself. */
#ifndef LIB_JWTX_H
#define LIB_JWTX_H

#include <stdbool.h>
#include <stddef.h>

/* True when token (NUL-terminated) is signed with an asymmetric algorithm (RS256, RS384,
 * RS512, ES256, ES384, ES512) and its signature verifies with the public key pem (len
 * bytes, one "-----BEGIN PUBLIC KEY-----" block). "none" and the HMAC algorithms are never
 * accepted, whatever the key: a public key, which anybody may know, must not serve as an
 * HMAC secret. Allocates inside libjwt and frees before returning. */
bool jwtx_verify(const char *token, const char *pem, size_t len);

/* True when alg (a JWS "alg" header value) is one jwtx_verify() may accept. */
bool jwtx_alg_ok(const char *alg);

#endif
