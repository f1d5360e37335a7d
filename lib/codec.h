/* Small encodings: CRC-32 (IEEE), a 64-bit mixer, base62, lowercase hex. No allocation. */
#ifndef LIB_CODEC_H
#define LIB_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t codec_crc32(const void *p, size_t n);

/* splitmix64's finaliser: every input bit reaches every output bit, so the low bits of the
 * result are fit to pick a slot even when the input varies only in its high bits. */
uint64_t codec_mix64(uint64_t z);

/* Writes exactly width base62 digits of v (most significant first, zero-padded with '0'). */
void codec_base62_u32(uint32_t v, char *out, size_t width);
/* True when every one of the n characters is a base62 digit. */
bool codec_is_base62(const char *p, size_t n);
/* Value of one base62 digit, or -1. */
int codec_base62_digit(char c);
extern const char codec_base62_alphabet[63];

/* A UUID in its 36-character text form <-> 16 bytes. Parsing accepts either case and
 * refuses anything else (false, out zeroed). */
bool codec_uuid_parse(const char *s, unsigned char out[16]);
void codec_uuid(const unsigned char in[16], char out[37]);

/* An IP address in text <-> 16 bytes, IPv4 as the IPv4-mapped IPv6 form (::ffff:a.b.c.d),
 * so one representation serves both families. */
bool codec_ip_parse(const char *s, unsigned char out[16]);
void codec_ip_format(const unsigned char ip[16], char *out, size_t n);

/* Lowercase hex of n bytes into out (2n+1 bytes with the NUL). */
void codec_hex(const void *p, size_t n, char *out);
/* The value of one hex digit (either case), or -1. */
int codec_hex_digit(char c);
/* Decodes exactly 2n hex digits into n bytes; false on any other input. */
bool codec_unhex(const char *s, size_t slen, void *out, size_t n);

#endif
