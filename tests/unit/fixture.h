/* Helpers shared by the unit tests: temporary folders, and a harness that builds gate and
 * router requests without sockets (a state file, a config, an arena and a response). */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../app/app.h"
#include "../../app/gate/gate_keys.h"
#include "../../lib/jsonx.h"

/* Creates a new folder under /tmp and writes its path to dir (size n). */
void fx_mkdtemp(char *dir, size_t n);
/* Removes dir and everything under it; a no-op for "". */
void fx_rmtree(const char *dir);
/* Creates or replaces the file at path with text. */
void fx_write_file(const char *path, const char *text);

struct fx_gate {
	char dir[256];
	struct config cfg;
	struct state st;
	struct app app;
	struct arena arena;
	struct fcgi_request rq;
	struct fcgi_response rs;
	struct gate_admit admit; /* what the last dispatch admitted */
	char ask[4][512];	 /* fx_gate_ask()'s parameters, alive until the next call */
	char *ask_env[9];
};

/* Small shared-memory sizes for tests: 64 keys, 16 tenants, 64 clients, 256 usage. */
extern const struct state_sizes fx_sizes;

/* A state file in a new temporary folder (fx_sizes), a config with a test secret and
 * generous client-IP limits, an arena and an empty response. fx_gate_close() undoes all
 * of it. Tenants made by fx_tenant() have high rate limits, no quota and a 1 MiB body
 * limit; tests that need others change the record. */
void fx_gate_open(struct fx_gate *g);
void fx_gate_close(struct fx_gate *g);
void fx_tenant(struct fx_gate *g, int64_t id, const char *slug, enum tenant_status status,
	       const char *upstream);
/* Generates a live key owned by tenant_id and stores its hash; expires_at in unix seconds. */
void fx_key(struct fx_gate *g, int64_t key_id, int64_t tenant_id, int64_t expires_at,
	    char key[GATE_KEY_LEN + 1]);
/* Sets a stored key's own limits (0 for one means its tenant's key_rates). */
void fx_key_limits(struct fx_gate *g, const char *key, int32_t rps, int32_t burst, int32_t rpm);
/* Writes a v4-shaped UUID for n, "<8 hex digits mixed from n>-0000-4000-8000-<n as 12 hex
 * digits>" (37 bytes with the NUL): distinct for distinct n below 2^48. */
void fx_uuid(char out[37], uint64_t n);
/* Runs router_dispatch() on a NULL-terminated NAME=VALUE array, after resetting the
 * response and the arena: through the gate pool's routes when TG_GATE is among them, the
 * console pool's otherwise. */
void fx_dispatch(struct fx_gate *g, char **envp);
/* Asks the gate (GET /_tollgate/gate with TG_GATE=1) as Caddy would: X-Api-Key key,
 * TG_PEER peer and TG_REQUEST_ID request_id, each left out when NULL, and one more
 * NAME=VALUE parameter when extra is not NULL. */
void fx_gate_ask(struct fx_gate *g, const char *key, const char *peer, const char *request_id,
		 const char *extra);
/* Copies the value of the response header name into out (size n); false when absent. */
bool fx_header(const struct fx_gate *g, const char *name, char *out, size_t n);
/* Asserts that the response carries the header name with exactly the value want. */
void fx_assert_header(const struct fx_gate *g, const char *name, const char *want);
/* Parses the response body as a JSON object (asserting it is one); free with
 * jsonx_doc_free(). */
struct jsonx_doc *fx_body_json(const struct fx_gate *g);
/* Asserts an RFC 9457 response: the status, the problem+json content type, and a body
 * whose type ends with slug, whose status matches, and which carries request_id. */
void fx_assert_problem(const struct fx_gate *g, int status, const char *slug,
		       const char *request_id);

#endif
