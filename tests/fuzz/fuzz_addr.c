/* Untrusted address text: upstream URLs (from tenants), X-Forwarded-For (from clients
 * behind a proxy), network lists (from settings) and connection strings (masked for
 * printing). Any bytes are parsed into values that hold their invariants, or refused. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/addr.h"
#include "../../lib/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), why[256], masked[512];
	struct addr_url u;
	struct addr_list l;
	struct addr_net n;
	unsigned char ip[16];
	const char *bad;
	size_t badlen;

	memcpy(s, data, size);
	s[size] = '\0';
	if (addr_url_parse(s, &u, why, sizeof(why)) == ERR_OK) {
		assert(u.host[0] != '\0' && u.port >= 1);
		assert(strchr(u.host, '/') == NULL && strchr(u.host, '@') == NULL);
		assert(strlen(u.host) < sizeof(u.host));
	} else {
		assert(why[0] != '\0');
	}
	if (addr_list_parse(s, &l, &bad, &badlen) == ERR_OK) {
		size_t i;

		assert(l.n <= ADDR_LIST_MAX);
		for (i = 0; i < l.n; i++)
			assert(addr_net_contains(&l.nets[i], l.nets[i].ip));
	} else {
		assert(bad != NULL && bad >= s && bad + badlen <= s + size);
	}
	if (addr_net_parse(s, size, &n))
		assert(n.prefix >= 0 && n.prefix <= 128 && addr_net_contains(&n, n.ip));
	l.n = 0;
	(void)addr_forwarded_client(s, &l, ip);
	(void)addr_classify(ip);
	cfg_mask_dsn(s, masked, sizeof(masked));
	assert(strlen(masked) < sizeof(masked));
	free(s);
	return 0;
}
