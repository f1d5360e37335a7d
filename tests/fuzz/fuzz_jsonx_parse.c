/* libFuzzer target: jsonx_parse() on arbitrary bytes, then the dotted-path getters on
 * whatever it accepted. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"",	    "a",	   "a.b", "a.b.c",
					    "type", "data.status", ".",	  "a."};
	/* Exactly size bytes, no NUL after them: the parser must honour the length. */
	char *p = malloc(size ? size : 1);
	struct jsonx_doc *d = NULL;
	char msg[256];
	size_t i;

	if (p == NULL)
		abort();
	memcpy(p, data, size);
	if (jsonx_parse(p, size, &d, msg, sizeof(msg)) != ERR_OK) {
		if (d != NULL || msg[0] == '\0')
			abort();
		free(p);
		return 0;
	}
	if (d == NULL || !jsonx_has(d, ""))
		abort();
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *s;
		int64_t n;
		double f;
		bool b;
		int kinds = jsonx_get_str(d, paths[i], &s) + jsonx_get_int(d, paths[i], &n) +
			    jsonx_get_bool(d, paths[i], &b);

		/* A member has at most one of these types, and only if it exists. */
		if (kinds > 1 || (kinds == 1 && !jsonx_has(d, paths[i])))
			abort();
		if (jsonx_get_num(d, paths[i], &f) && !jsonx_has(d, paths[i]))
			abort();
		if (jsonx_get_str(d, paths[i], &s) && strlen(s) > size)
			abort();
	}
	jsonx_doc_free(d);
	free(p);
	return 0;
}
