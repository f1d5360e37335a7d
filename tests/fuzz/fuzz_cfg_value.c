/* libFuzzer target: cfg_parse_value() for every type on arbitrary text. Checks the
 * results against the documented grammar: integers agree with strtoll, booleans are 0/1,
 * durations and sizes are never negative, and failures clear the output. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when s is spaces/tabs, an optional '-', one or more digits, spaces/tabs. */
static bool plain_decimal(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int t;

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0'; /* an embedded NUL simply ends the text early */
	for (t = 0; t < CFG__MAX; t++) {
		int64_t v = 12345;
		enum err rc = cfg_parse_value((enum cfg_type)t, s, &v);

		if (rc != ERR_OK && rc != ERR_INPUT)
			abort();
		if (rc != ERR_OK && v != 0)
			abort();
		if (rc != ERR_OK)
			continue;
		switch ((enum cfg_type)t) {
		case CFG_INT: {
			long long want;
			char *end;

			if (!plain_decimal(s))
				abort();
			errno = 0;
			want = strtoll(s, &end, 10);
			if (errno != 0 || want != v)
				abort();
			break;
		}
		case CFG_BOOL:
			if (v != 0 && v != 1)
				abort();
			break;
		case CFG_DURATION:
		case CFG_SIZE:
			if (v < 0)
				abort();
			break;
		case CFG_STR:
		case CFG__MAX:
			abort(); /* strings are not parsed as values */
		}
	}
	/* And the other way: plain decimals in range are always integers. */
	if (plain_decimal(s)) {
		int64_t v;
		long long want;

		errno = 0;
		want = strtoll(s, NULL, 10);
		if (errno == 0 && (cfg_parse_value(CFG_INT, s, &v) != ERR_OK || v != want))
			abort();
	}
	free(s);
	return 0;
}
