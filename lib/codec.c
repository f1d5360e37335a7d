/* CRC-32, base62 and hex. */
#include "codec.h"

const char codec_base62_alphabet[63] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

uint32_t codec_crc32(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	/* Bitwise: keys are short and this runs once per request, under 100 ns. */
	for (i = 0; i < n; i++) {
		crc ^= s[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

void codec_base62_u32(uint32_t v, char *out, size_t width)
{
	while (width > 0) {
		out[--width] = codec_base62_alphabet[v % 62];
		v /= 62;
	}
}

int codec_base62_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	return -1;
}

bool codec_is_base62(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (codec_base62_digit(p[i]) < 0)
			return false;
	return true;
}

void codec_hex(const void *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[s[i] >> 4];
		out[2 * i + 1] = hex[s[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool codec_unhex(const char *s, size_t slen, void *out, size_t n)
{
	unsigned char *o = out;
	size_t i;

	if (slen != 2 * n)
		return false;
	for (i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		o[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}
