/* Stripe-Signature headers from anyone who can reach the webhook: any bytes as the header
 * (and the body after the first NUL) are refused without a crash, and only the one real
 * signature of the body is ever accepted. */
#include <assert.h>
#include <stdbool.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/billing/stripe.h"
#include "../../lib/codec.h"

#define SECRET "whsec_fuzz"
#define NOW    1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1), hex[65], real[128];
	const char *body;
	size_t hlen, blen;
	unsigned char mac[32];
	crypto_auth_hmacsha256_state st;

	if (sodium_init() < 0)
		abort();
	memcpy(header, data, size);
	header[size] = '\0';
	hlen = strlen(header);
	body = hlen < size ? header + hlen + 1 : "";
	blen = hlen < size ? size - hlen - 1 : 0;
	if (stripe_signature_ok(header, body, blen, SECRET, NOW, STRIPE_TOLERANCE_S)) {
		/* Accepted: then some t= in it, with the body, has its real v1 in it too. */
		bool found = false;
		const char *t;

		for (t = strstr(header, "t="); t != NULL && !found; t = strstr(t + 1, "t=")) {
			char ts[32];

			snprintf(ts, sizeof(ts), "%lld.", atoll(t + 2));
			crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET,
						    strlen(SECRET));
			crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
			crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, blen);
			crypto_auth_hmacsha256_final(&st, mac);
			codec_hex(mac, sizeof(mac), hex);
			snprintf(real, sizeof(real), "v1=%s", hex);
			found = strstr(header, real) != NULL;
		}
		assert(found);
	}
	free(header);
	return 0;
}
