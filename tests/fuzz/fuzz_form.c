/* Forms and cookies from the portal's visitors: any bytes parse into fields that hold no
 * NUL and stay within the input's size, or are refused with the field named. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/arena.h"
#include "../../lib/cookie.h"
#include "../../lib/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), line[512];
	const char *bad, *why;
	struct arena a;
	struct form f;
	struct str v;
	size_t i;
	enum err e;

	memcpy(text, data, size);
	text[size] = '\0';
	arena_init(&a, 4096, 256 * 1024);
	e = form_parse(&a, (struct str){(const char *)data, size}, size % 2 == 0, &f, &bad, &why);
	assert(e == ERR_OK || e == ERR_INPUT || e == ERR_TOOBIG);
	if (e == ERR_INPUT)
		assert(bad != NULL && why != NULL);
	if (e == ERR_OK)
		for (i = 0; i < f.n; i++)
			assert(strlen(f.f[i].name) + strlen(f.f[i].value) <= size);
	if (cookie_get(text, "tg_session", &v)) {
		assert(v.p >= text && v.p + v.len <= text + size);
		assert(memchr(v.p, ';', v.len) == NULL);
	}
	if (cookie_format(line, sizeof line, "tg_session", text, 60, true)) {
		assert(strchr(line, '\r') == NULL && strchr(line, '\n') == NULL);
		assert(strstr(line, "; Path=/;") != NULL);
		assert(strchr(text, ';') == NULL);
	}
	arena_free(&a);
	free(text);
	return 0;
}
