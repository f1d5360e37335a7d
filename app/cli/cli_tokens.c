/* Management tokens: create (printed once on stdout), list, revoke. The same care as API
 * keys: only the keyed hash and a display prefix are stored. */
#include "cli_tokens.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../api/api_auth.h"
#include "cli.h"

static const char token_usage[] =
    "usage: tollgate token create TENANT [--name NAME]   print a new management token\n"
    "       tollgate token list TENANT\n"
    "       tollgate token revoke TOKEN_ID\n"
    "A management token (tgm_...) lets a tenant's staff or tooling use /api/v1 for that\n"
    "tenant. It is shown only once.\n";

static int token_create(const struct cli_call *c)
{
	const struct config *cfg = c->cfg;
	struct sql *db = c->db;
	int argc = c->argc;
	char **argv = c->argv;
	unsigned char hash[CRYPTOX_HASH_BYTES];
	char token[API_TOKEN_LEN + 1], prefix[API_TOKEN_PREFIX_LEN + 1],
	    hex[2 * CRYPTOX_HASH_BYTES + 3], msg[512], *pos[1];
	const char *name = "";
	const struct cli_opt opts[] = {{"name", &name, NULL}};
	const char *params[4];
	struct sql_res *r;
	enum err rc;

	if (cli_parse_opts(argc, argv, opts, 1, pos, 1) != 1) {
		fputs(token_usage, stderr);
		return 2;
	}
	if (config_require_secret(cfg, msg, sizeof(msg)) != ERR_OK || cryptox_init() != ERR_OK) {
		fprintf(stderr, "tollgate: %s\n", msg);
		return 1;
	}
	api_auth_token_new(token, prefix);
	api_auth_token_hash(cfg->secret_key, str_c(token), hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	params[0] = pos[0];
	params[1] = name;
	params[2] = prefix;
	params[3] = hex;
	rc = sql_exec(db, &r,
		      "INSERT INTO api_tokens (tenant_id, name, prefix, hash) "
		      "SELECT id, $2, $3, $4 FROM tenants WHERE slug = $1 RETURNING id",
		      4, params);
	if (rc != ERR_OK) {
		cli_report(db, "token", rc);
		cryptox_wipe(token, sizeof(token));
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", pos[0]);
		sql_res_free(r);
		cryptox_wipe(token, sizeof(token));
		return 1;
	}
	/* The only time the token exists in clear: stdout, for the caller to keep. */
	printf("%s\n", token);
	fprintf(stderr, "created management token %s (id %s) for %s; it is shown only once\n",
		prefix, sql_get(r, 0, 0), pos[0]);
	cryptox_wipe(token, sizeof(token));
	sql_res_free(r);
	return 0;
}

static int token_list(const struct cli_call *c)
{
	struct sql *db = c->db;
	int argc = c->argc;
	char **argv = c->argv;
	const char *params[1];
	struct sql_res *r, *t;
	enum err rc;
	int i;

	if (argc != 1) {
		fputs(token_usage, stderr);
		return 2;
	}
	params[0] = argv[0];
	rc = sql_exec(db, &t, "SELECT id FROM tenants WHERE slug = $1", 1, params);
	if (rc != ERR_OK) {
		cli_report(db, "token list", rc);
		return 1;
	}
	if (sql_rows(t) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", argv[0]);
		sql_res_free(t);
		return 1;
	}
	params[0] = sql_get(t, 0, 0);
	rc = sql_exec(db, &r,
		      "SELECT id, prefix, CASE WHEN revoked_at IS NULL THEN 'active' "
		      "ELSE 'revoked' END, "
		      "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		      "coalesce(to_char(last_used_at AT TIME ZONE 'UTC', "
		      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-'), name "
		      "FROM api_tokens WHERE tenant_id = $1 ORDER BY id",
		      1, params);
	sql_res_free(t);
	if (rc != ERR_OK) {
		cli_report(db, "token list", rc);
		return 1;
	}
	printf("%-6s %-14s %-8s %-21s %-21s %s\n", "ID", "PREFIX", "STATUS", "CREATED", "LAST_USED",
	       "NAME");
	for (i = 0; i < sql_rows(r); i++)
		printf("%-6s %-14s %-8s %-21s %-21s %s\n", sql_get(r, i, 0), sql_get(r, i, 1),
		       sql_get(r, i, 2), sql_get(r, i, 3), sql_get(r, i, 4), sql_get(r, i, 5));
	sql_res_free(r);
	return 0;
}

static int token_revoke(const struct cli_call *c)
{
	return cli_revoke(c->db, c->argc, c->argv, token_usage, "management token",
			  "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) "
			  "WHERE id = $1 RETURNING prefix");
}

int cli_tokens(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", token_create, NULL},
	    {"list", token_list, NULL},
	    {"revoke", token_revoke, NULL},
	};

	return cli_dispatch(cfg, argc, argv, token_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}
