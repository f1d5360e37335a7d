/* codec: CRC-32 vectors, base62 width and padding, hex both ways. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../lib/codec.h"

Test(codec, crc32_matches_known_vectors)
{
	cr_assert_eq(codec_crc32("123456789", 9), 0xCBF43926u);
	cr_assert_eq(codec_crc32("", 0), 0u);
	cr_assert_eq(codec_crc32("a", 1), 0xE8B7BE43u);
	cr_assert_eq(codec_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
}

Test(codec, crc32_covers_every_byte)
{
	char s[] = "abcdefgh";
	uint32_t base = codec_crc32(s, 8);
	size_t i;

	for (i = 0; i < 8; i++) {
		s[i] ^= 1;
		cr_assert_neq(codec_crc32(s, 8), base, "byte %zu not covered", i);
		s[i] ^= 1;
	}
}

static void b62(uint32_t v, size_t width, const char *want)
{
	char out[16];

	memset(out, '#', sizeof(out));
	codec_base62_u32(v, out, width);
	cr_assert_eq(memcmp(out, want, width), 0, "%u width %zu: got %.*s, want %s", v, width,
		     (int)width, out, want);
	cr_assert_eq(out[width], '#', "wrote past width");
}

Test(codec, base62_writes_exactly_width_digits_zero_padded)
{
	b62(0, 6, "000000");
	b62(61, 1, "z");
	b62(62, 2, "10");
	b62(3844, 3, "100");
	b62(UINT32_MAX, 6, "4gfFC3");
	b62(0xCBF43926u, 6, "3jZRME");
	b62(35, 4, "000Z");
	/* Too narrow: only the least significant digits are kept. */
	b62(62, 1, "0");
}

Test(codec, base62_digits_and_alphabet_agree)
{
	int i;

	cr_assert_eq(strlen(codec_base62_alphabet), 62);
	for (i = 0; i < 62; i++)
		cr_assert_eq(codec_base62_digit(codec_base62_alphabet[i]), i);
	cr_assert_eq(codec_base62_digit('-'), -1);
	cr_assert_eq(codec_base62_digit('_'), -1);
	cr_assert_eq(codec_base62_digit('\0'), -1);
	cr_assert_eq(codec_base62_digit((char)0xc3), -1);
	cr_assert(codec_is_base62("aZ09", 4));
	cr_assert(codec_is_base62("", 0));
	cr_assert_not(codec_is_base62("aZ-9", 4));
	cr_assert_not(codec_is_base62("ab c", 4));
}

Test(codec, hex_round_trips_every_byte_value)
{
	unsigned char in[256], back[256];
	char hex[513];
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	codec_hex(in, sizeof(in), hex);
	cr_assert_eq(strlen(hex), 512);
	cr_assert_eq(memcmp(hex, "000102", 6), 0);
	cr_assert_eq(memcmp(hex + 506, "fdfeff", 6), 0);
	cr_assert(codec_unhex(hex, 512, back, sizeof(back)));
	cr_assert_eq(memcmp(in, back, sizeof(in)), 0);
}

Test(codec, hex_of_nothing_is_empty_string)
{
	char out[1] = {'x'};

	codec_hex("", 0, out);
	cr_assert_eq(out[0], '\0');
}

Test(codec, unhex_accepts_uppercase)
{
	unsigned char out[2];

	cr_assert(codec_unhex("ABcd", 4, out, 2));
	cr_assert_eq(out[0], 0xab);
	cr_assert_eq(out[1], 0xcd);
}

Test(codec, unhex_rejects_odd_length_wrong_length_and_non_hex)
{
	unsigned char out[4];

	cr_assert_not(codec_unhex("abc", 3, out, 1));
	cr_assert_not(codec_unhex("abc", 3, out, 2));
	cr_assert_not(codec_unhex("abcd", 4, out, 1));
	cr_assert_not(codec_unhex("ab", 2, out, 2));
	cr_assert_not(codec_unhex("zz", 2, out, 1));
	cr_assert_not(codec_unhex("0g", 2, out, 1));
	cr_assert_not(codec_unhex("g0", 2, out, 1));
	cr_assert_not(codec_unhex(" 0", 2, out, 1));
	cr_assert_not(codec_unhex("0x", 2, out, 1));
	cr_assert_not(codec_unhex("a\0", 2, out, 1));
}

Test(codec, mix64_spreads_high_bits_into_low_ones)
{
	/* The last 8 bytes of IPv4-mapped addresses of one /24 differ only in the top byte. A
	 * multiply alone leaves their low bits equal; counting them in a 128-bit bitmap must
	 * see most of them. */
	uint64_t seen[2] = {0, 0};
	int i, bits = 0;

	for (i = 1; i <= 24; i++) {
		uint64_t h = codec_mix64(0x0a0000ffff0000ULL | ((uint64_t)i << 56));

		seen[(h % 128) / 64] |= 1ULL << (h % 64);
	}
	bits = __builtin_popcountll(seen[0]) + __builtin_popcountll(seen[1]);
	cr_assert_geq(bits, 18, "24 addresses landed on %d slots", bits);
	cr_assert_neq(codec_mix64(1), codec_mix64(2));
}
