/* libFuzzer target: buf_json_escape() on arbitrary bytes always yields valid JSON, and
 * the parsed string equals the input with each byte that is not part of well-formed
 * UTF-8 replaced by U+FFFD (checked against an independent reading of RFC 3629). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the well-formed sequence at s (Unicode Table 3-7), or 0. */
static size_t wellformed(const uint8_t *s, size_t n)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] <= 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = malloc(size ? size : 1);
	struct jsonx_doc *d;
	struct buf b, want;
	const char *got;
	char msg[256];
	size_t i;

	if (in == NULL)
		abort();
	/* jsonx_parse refuses \u0000 by policy, so NUL becomes another control character. */
	for (i = 0; i < size; i++)
		in[i] = data[i] ? data[i] : 0x01;
	buf_init(&b, 0);
	buf_puts(&b, "{\"a\":\"");
	if (!buf_json_escape(&b, (const char *)in, size))
		abort();
	buf_puts(&b, "\"}");
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
			abort(); /* a raw control character in the output */
	if (jsonx_parse(b.p, b.len, &d, msg, sizeof(msg)) != ERR_OK)
		abort();
	if (!jsonx_get_str(d, "a", &got))
		abort();
	buf_init(&want, 0);
	for (i = 0; i < size;) {
		size_t len = wellformed(in + i, size - i);

		if (len == 0) {
			buf_puts(&want, "\xef\xbf\xbd");
			i++;
		} else {
			buf_append(&want, in + i, len);
			i += len;
		}
	}
	if (strlen(got) != want.len || memcmp(got, want.p ? want.p : "", want.len) != 0)
		abort();
	jsonx_doc_free(d);
	buf_free(&want);
	buf_free(&b);
	free(in);
	return 0;
}
