/* libjwt behind one function. */
#include "jwtx.h"

#include <jwt.h>
#include <limits.h>
#include <string.h>

static bool asymmetric(jwt_alg_t alg)
{
	switch (alg) {
	case JWT_ALG_RS256:
	case JWT_ALG_RS384:
	case JWT_ALG_RS512:
	case JWT_ALG_ES256:
	case JWT_ALG_ES384:
	case JWT_ALG_ES512:
		return true;
	default:
		return false;
	}
}

bool jwtx_alg_ok(const char *alg)
{
	return alg != NULL && asymmetric(jwt_str_alg(alg));
}

bool jwtx_verify(const char *token, const char *pem, size_t len)
{
	jwt_t *j = NULL;
	bool ok;

	if (len == 0 || len > INT_MAX)
		return false;
	if (jwt_decode(&j, token, (const unsigned char *)pem, (int)len) != 0)
		return false;
	/* libjwt verifies with whatever alg the token names: an HS256 token would have been
	 * checked with the PEM text as its secret. Only asymmetric signatures count. */
	ok = asymmetric(jwt_get_alg(j));
	jwt_free(j);
	return ok;
}
