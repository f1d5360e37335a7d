/* Route templates from arbitrary URIs: bounded, printable, no query, no quote or backslash
 * (they are stored and shown), and the same template always hashes the same. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/abuse/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *uri = malloc(size + 1), out[96], again[96];
	uint64_t h;
	size_t i;

	memcpy(uri, data, size);
	uri[size] = '\0';
	h = inspect_route(uri, out, sizeof(out));
	assert(strlen(out) < sizeof(out) && out[0] != '\0');
	for (i = 0; out[i] != '\0'; i++)
		assert(out[i] > 0x20 && out[i] < 0x7f && out[i] != '"' && out[i] != '\\' &&
		       out[i] != '?');
	assert(inspect_route(out, again, sizeof(again)) == h || strcmp(out, again) != 0);
	inspect_ua_family(uri);
	free(uri);
	return 0;
}
