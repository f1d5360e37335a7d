/* JWT callers at the gate: a bearer token from a tenant's identity provider, verified
 * against the issuer's public keys in shared memory (lib/jwtx, libjwt) and its claims
 * checked, stands for the issuer's synthetic API key: the request is limited, metered and
 * judged exactly as one made with that key. Nothing here touches PostgreSQL or the
 * network: the keys were fetched off the gate (app/serve/jwks.c) and loaded by the syncer.
 * docs/jwt.md is the user's view. */
#ifndef APP_GATE_JWT_H
#define APP_GATE_JWT_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/str.h"
#include "../state/state.h"

#define GATE_JWT_MAX	  8192 /* bytes of a token; a longer one is refused unread */
#define GATE_JWT_LEEWAY_S 60   /* clock skew allowed on exp and nbf */
#define GATE_JWT_SUB_MAX  256  /* with the NUL */
#define GATE_JWT_TEAM_MAX 128

enum jwt_verdict {
	JWT_OK,
	JWT_MALFORMED,	    /* not a JWS we can read, or claims of the wrong type */
	JWT_ALG,	    /* "none", HMAC, or an algorithm we do not verify */
	JWT_UNKNOWN_ISSUER, /* no tenant trusts its "iss" */
	JWT_NO_KEYS,	    /* the issuer's keys have not been fetched yet */
	JWT_SIGNATURE,	    /* no key of the issuer verifies it */
	JWT_EXPIRED,
	JWT_NOT_YET_VALID,
	JWT_AUDIENCE,
	JWT__MAX
};

/* Who the token says the caller is, once it passed. */
struct gate_jwt {
	struct state_key key;		/* the issuer's synthetic key (id, tenant, limits) */
	char subject[GATE_JWT_SUB_MAX]; /* "sub", or "" */
	char team[GATE_JWT_TEAM_MAX];	/* the issuer's team claim's value, or "" */
};

/* True when s has the shape of a compact JWS: three dot-separated base64url parts, the
 * first two not empty. A Tollgate key never has it (no dots). */
bool gate_jwt_is_jwt(struct str s);

/* Verifies token at now_s (the business clock, unix seconds) with the issuers of shared
 * memory (their table keyed with secret). Order: shape and alg, issuer, signature, then
 * exp (required), nbf and aud, each with GATE_JWT_LEEWAY_S of skew; then sub and the team
 * claim (a string or an integer) must fit, without control characters. Fills out only on
 * JWT_OK. */
enum jwt_verdict gate_jwt_check(struct state *st, const unsigned char secret[32], struct str token,
				int64_t now_s, struct gate_jwt *out);

/* A sentence for the 401's detail. */
const char *gate_jwt_why(enum jwt_verdict v);

/* The id under which a team's key-rate limits are kept in the key-use pool: negative, so
 * that it never meets a real key's id; the same for the same issuer key and team. */
int64_t gate_jwt_team_id(int64_t key_id, const char *team);

#endif
