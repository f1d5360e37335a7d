/* The management API's query-string parsing (filters, cursors, timestamps): any bytes are
 * either parsed into values that re-validate, or refused with the parameter named. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/api/api_decisions.h"
#include "../../lib/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_decision_filter f;
	const char *param = NULL, *detail = NULL;
	char *q = malloc(size + 1), norm[API_TIME_MAX], id[37];
	struct arena a;
	int64_t at;
	enum err e;

	memcpy(q, data, size);
	q[size] = '\0';
	arena_init(&a, 4096, 64 * 1024);
	e = api_decisions_parse_filter(&a, q, &f, &param, &detail);
	assert(e == ERR_OK || e == ERR_INPUT || e == ERR_TOOBIG);
	if (e == ERR_INPUT)
		assert(param != NULL && detail != NULL);
	if (api_decisions_parse_time(q, norm)) {
		char again[API_TIME_MAX];

		assert(api_decisions_parse_time(norm, again)); /* normalised stays valid */
		assert(strcmp(norm, again) == 0);
	}
	if (api_decisions_cursor_parse(q, &at, id)) {
		char again[API_CURSOR_LEN + 1];
		unsigned char raw[16];
		size_t i, n = 0;
		char hex[33];

		for (i = 0; i < 36; i++)
			if (id[i] != '-')
				hex[n++] = id[i];
		hex[n] = '\0';
		for (i = 0; i < 16; i++) {
			char byte[3] = {hex[2 * i], hex[2 * i + 1], 0};

			raw[i] = (unsigned char)strtoul(byte, NULL, 16);
		}
		api_decisions_cursor(at, raw, again);
		assert(strcmp(again, q) == 0); /* a cursor the parser took is one we write */
	}
	arena_free(&a);
	free(q);
	return 0;
}
