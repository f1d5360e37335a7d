/* The LLM judge's reply parser: whatever a provider (or an attacker between) sends, either
 * a well-formed verdict per named client or a refusal of the whole answer. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/abuse/judge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct judge_client cs[3];
	struct judge_answer out[3];
	char msg[160];
	int provider, i;

	if (size < 1)
		return 0;
	provider = data[0] % 2 ? JUDGE_PROVIDER_OPENAI : JUDGE_PROVIDER_ANTHROPIC;
	memset(cs, 0, sizeof(cs));
	for (i = 0; i < 3; i++) {
		cs[i].label[0] = 'c';
		cs[i].label[1] = (char)('1' + i);
	}
	if (judge_parse_reply(provider, (const char *)data + 1, size - 1, cs, 3, out, msg,
			      sizeof(msg)) == ERR_OK) {
		for (i = 0; i < 3; i++)
			if (out[i].present)
				assert(out[i].verdict > JUDGE_NONE && out[i].verdict < JUDGE__MAX &&
				       out[i].confidence >= 0.0f && out[i].confidence <= 1.0f);
	} else {
		for (i = 0; i < 3; i++)
			assert(!out[i].present);
	}
	return 0;
}
