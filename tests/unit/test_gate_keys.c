/* gate_keys: the key format, its checksum, and the keyed hash. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../app/gate/gate_keys.h"
#include "../../lib/codec.h"

static void init(void)
{
	cr_assert_eq(cryptox_init(), ERR_OK);
}

TestSuite(gate_keys, .init = init);

static enum err check(const char *key, size_t n)
{
	enum gate_key_env env;

	return gate_keys_check((struct str){key, n}, &env);
}

/* Builds tg_<env>_<random>_<crc> around random (32 characters) with a correct checksum. */
static void forge(const char *tag, const char *random, char key[GATE_KEY_LEN + 1])
{
	memcpy(key, tag, 8);
	memcpy(key + 8, random, GATE_KEY_RANDOM_LEN);
	key[40] = '_';
	codec_base62_u32(codec_crc32(key, 40), key + 41, GATE_KEY_CRC_LEN);
	key[GATE_KEY_LEN] = '\0';
}

Test(gate_keys, generated_key_has_documented_shape)
{
	char key[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];
	enum gate_key_env env = GATE_KEY_TEST;

	cr_assert_eq(GATE_KEY_LEN, 47);
	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	cr_assert_eq(strlen(key), 47);
	cr_assert_eq(strncmp(key, "tg_live_", 8), 0, "%s", key);
	cr_assert(codec_is_base62(key + 8, 32), "%s", key);
	cr_assert_eq(key[40], '_');
	cr_assert(codec_is_base62(key + 41, 6), "%s", key);
	cr_assert_eq(strlen(prefix), 16);
	cr_assert_eq(strncmp(prefix, key, 16), 0);
	cr_assert_eq(gate_keys_check(str_c(key), &env), ERR_OK, "%s", key);
	cr_assert_eq(env, GATE_KEY_LIVE);
}

Test(gate_keys, generated_test_key_reports_test_env)
{
	char key[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];
	enum gate_key_env env = GATE_KEY_LIVE;

	gate_keys_generate(GATE_KEY_TEST, key, prefix);
	cr_assert_eq(strncmp(key, "tg_test_", 8), 0, "%s", key);
	cr_assert_eq(strncmp(prefix, "tg_test_", 8), 0);
	cr_assert_eq(gate_keys_check(str_c(key), &env), ERR_OK);
	cr_assert_eq(env, GATE_KEY_TEST);
}

Test(gate_keys, many_generated_keys_pass_the_check_and_differ)
{
	char key[GATE_KEY_LEN + 1], prev[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];
	int i;

	prev[0] = '\0';
	for (i = 0; i < 200; i++) {
		gate_keys_generate(i % 2 ? GATE_KEY_TEST : GATE_KEY_LIVE, key, prefix);
		cr_assert_eq(check(key, strlen(key)), ERR_OK, "%s", key);
		cr_assert_str_neq(key, prev);
		memcpy(prev, key, sizeof(key));
	}
}

Test(gate_keys, any_single_character_change_fails_the_check)
{
	char key[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];
	size_t pos;
	int d;

	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	for (pos = 8; pos < GATE_KEY_LEN; pos++) {
		char orig = key[pos];

		if (pos == 40)
			continue; /* the separator, below */
		for (d = 0; d < 62; d++) {
			if (codec_base62_alphabet[d] == orig)
				continue;
			key[pos] = codec_base62_alphabet[d];
			cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT,
				     "position %zu changed to %c passed: %s", pos, key[pos], key);
		}
		key[pos] = orig;
	}
	cr_assert_eq(check(key, GATE_KEY_LEN), ERR_OK, "restored key fails");
}

Test(gate_keys, separator_must_be_underscore)
{
	char key[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];

	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	key[40] = '-';
	cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT);
	key[40] = 'a';
	cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT);
}

Test(gate_keys, wrong_length_fails)
{
	char key[GATE_KEY_LEN + 2], prefix[GATE_KEY_PREFIX_LEN + 1];

	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	cr_assert_eq(check(key, GATE_KEY_LEN - 1), ERR_INPUT);
	key[GATE_KEY_LEN] = 'a';
	key[GATE_KEY_LEN + 1] = '\0';
	cr_assert_eq(check(key, GATE_KEY_LEN + 1), ERR_INPUT);
	cr_assert_eq(check("", 0), ERR_INPUT);
	cr_assert_eq(check("tg_live_", 8), ERR_INPUT);
}

Test(gate_keys, wrong_env_tag_fails_even_with_a_matching_checksum)
{
	static const char random[] = "abcdefghijABCDEFGHIJ0123456789xy";
	static const char *const tags[] = {"tg_prod_", "TG_LIVE_", "tg-live_",
					   "xx_live_", "tg_live-", "tg_tes_t"};
	char key[GATE_KEY_LEN + 1];
	size_t i;

	forge("tg_live_", random, key);
	cr_assert_eq(check(key, GATE_KEY_LEN), ERR_OK, "the forge helper is wrong");
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		forge(tags[i], random, key);
		cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT, "%s", key);
	}
}

Test(gate_keys, swapping_env_tag_breaks_the_checksum)
{
	char key[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];

	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	memcpy(key, "tg_test_", 8);
	cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT);
}

Test(gate_keys, non_base62_characters_fail_even_with_a_matching_checksum)
{
	static const char bad[] = {'-', '_', '+', '/', '=', ' ', '.', '\0', '\x80', '\xff'};
	char random[GATE_KEY_RANDOM_LEN + 1] = "abcdefghijABCDEFGHIJ0123456789xy";
	char key[GATE_KEY_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(bad); i++) {
		random[i] = bad[i];
		forge("tg_live_", random, key);
		cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT, "char %02x accepted",
			     (unsigned char)bad[i]);
		random[i] = "abcdefghij"[i];
	}
	/* A checksum digit outside the alphabet. */
	forge("tg_live_", random, key);
	key[46] = '!';
	cr_assert_eq(check(key, GATE_KEY_LEN), ERR_INPUT);
}

Test(gate_keys, hash_is_deterministic_and_depends_on_secret_and_key)
{
	unsigned char s1[CRYPTOX_KEY_BYTES], s2[CRYPTOX_KEY_BYTES];
	unsigned char h1[CRYPTOX_HASH_BYTES], h2[CRYPTOX_HASH_BYTES], h3[CRYPTOX_HASH_BYTES];
	char key[GATE_KEY_LEN + 1], other[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1];

	memset(s1, 0x11, sizeof(s1));
	memset(s2, 0x11, sizeof(s2));
	s2[31] = 0x12;
	gate_keys_generate(GATE_KEY_LIVE, key, prefix);
	gate_keys_generate(GATE_KEY_LIVE, other, prefix);
	gate_keys_hash(s1, str_c(key), h1);
	gate_keys_hash(s1, str_c(key), h2);
	cr_assert_eq(memcmp(h1, h2, sizeof(h1)), 0, "same secret and key, different hash");
	gate_keys_hash(s2, str_c(key), h3);
	cr_assert_neq(memcmp(h1, h3, sizeof(h1)), 0, "the secret does not change the hash");
	gate_keys_hash(s1, str_c(other), h3);
	cr_assert_neq(memcmp(h1, h3, sizeof(h1)), 0, "two keys share a hash");
	/* Only the slice is hashed. */
	gate_keys_hash(s1, (struct str){key, 46}, h3);
	cr_assert_neq(memcmp(h1, h3, sizeof(h1)), 0);
}
