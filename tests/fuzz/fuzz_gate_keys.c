/* libFuzzer target: gate_keys_check() on arbitrary bytes never reads out of bounds, and
 * accepts only keys of the documented shape whose checksum matches. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/gate/gate_keys.h"
#include "../../lib/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan catches any read past the slice. */
	char *p = malloc(size ? size : 1);
	enum gate_key_env env;
	char crc[GATE_KEY_CRC_LEN];

	if (p == NULL)
		abort();
	memcpy(p, data, size);
	if (gate_keys_check((struct str){p, size}, &env) == ERR_OK) {
		if (size != GATE_KEY_LEN || p[40] != '_')
			abort();
		if (!(env == GATE_KEY_LIVE && memcmp(p, "tg_live_", 8) == 0) &&
		    !(env == GATE_KEY_TEST && memcmp(p, "tg_test_", 8) == 0))
			abort();
		if (!codec_is_base62(p + 8, GATE_KEY_RANDOM_LEN) ||
		    !codec_is_base62(p + 41, GATE_KEY_CRC_LEN))
			abort();
		codec_base62_u32(codec_crc32(p, 40), crc, GATE_KEY_CRC_LEN);
		if (memcmp(crc, p + 41, GATE_KEY_CRC_LEN) != 0)
			abort();
	} else if (env != GATE_KEY_LIVE) {
		abort(); /* the out-parameter is cleared on failure */
	}
	free(p);
	return 0;
}
