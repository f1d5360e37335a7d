/* The gate's wall: this program links every object of the gate's pool with the libraries
 * the hot path may use (libfcgi, jansson, libsodium) and without lib/sql, lib/http, libpq
 * and libcurl. It is built by `make` (and so by `make test`); if a gate object ever calls
 * into those, the link fails. */
#include <stdio.h>
#include <stdlib.h>

#include "../../app/serve/gate_pool.h"

int main(int argc, char **argv)
{
	int (*volatile run)(struct app *, int, volatile sig_atomic_t *) = gate_pool_run;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "gate-wall: a link check; it takes no arguments\n");
		return 2;
	}
	/* Referenced so that the symbol must resolve against the objects above. */
	return run == NULL;
}
