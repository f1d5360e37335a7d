/* `tollgate tenant ...` and `tollgate key ...`, and the helpers every cli_* module shares.
 * Output for people on stderr, output for scripts (a new key, list rows) on stdout. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../api/api_keys.h"
#include "../gate/gate_keys.h"
#include "../upstream/upstream.h"
#include "cli_limits.h"

struct sql *cli_open_db(const struct config *cfg)
{
	struct sql *db;
	char msg[512];

	if (sql_connect(cfg->database_url, &db, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "tollgate: cannot connect to PostgreSQL: %s\n", msg);
		return NULL;
	}
	return db;
}

int cli_parse_opts(int argc, char **argv, const struct cli_opt *opts, size_t nopts, char **pos,
		   int maxpos)
{
	int npos = 0, i;
	size_t j;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (npos == maxpos) {
				fprintf(stderr, "tollgate: unexpected argument '%s'\n", argv[i]);
				return -1;
			}
			pos[npos++] = argv[i];
			continue;
		}
		for (j = 0; j < nopts; j++)
			if (strcmp(argv[i] + 2, opts[j].name) == 0)
				break;
		if (j == nopts) {
			fprintf(stderr, "tollgate: unknown option '%s'\n", argv[i]);
			return -1;
		}
		if (opts[j].flag != NULL) {
			*opts[j].flag = 1;
			continue;
		}
		if (i + 1 == argc) {
			fprintf(stderr, "tollgate: option '%s' needs a value\n", argv[i]);
			return -1;
		}
		*opts[j].value = argv[++i];
	}
	return npos;
}

void cli_print_json(const struct sql_res *r, const char *const *names, const char *types)
{
	struct buf b;
	int i, j, n = (int)strlen(types);

	buf_init(&b, 64 << 20);
	buf_putc(&b, '[');
	for (i = 0; i < sql_rows(r); i++) {
		buf_puts(&b, i ? ",{" : "{");
		for (j = 0; j < n; j++) {
			const char *v = sql_get(r, i, j);

			buf_printf(&b, "%s\"%s\":", j ? "," : "", names[j]);
			if (sql_is_null(r, i, j))
				buf_puts(&b, "null");
			else if (types[j] == 'n')
				buf_puts(&b, v);
			else if (types[j] == 'b')
				buf_puts(&b, strcmp(v, "t") == 0 ? "true" : "false");
			else
				buf_json_str(&b, v);
		}
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]\n");
	if (b.overflow)
		fputs("tollgate: the list is too long to print as JSON\n", stderr);
	else
		fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
}

/* The tables' rules, in the operator's words (no constraint name reaches a user). */
static const struct {
	const char *constraint, *says;
} rules[] = {
    {"tenants_plan_id_fkey", "there is no such plan (`tollgate plan list`)"},
    {"plans_stripe_price_key", "another plan is already sold at that Stripe price"},
    {"tenants_slug_check", "a slug is 2-63 characters of a-z, 0-9 and '-'"},
    {"tenants_name_check", "a name is 1 to 200 characters"},
    {"upstreams_url_check", "an upstream is http(s)://HOST[:PORT] with no path"},
    {"upstreams_host_header_check", "a Host header is HOST or HOST:PORT"},
    {"users_email_check", "that is not an email address"},
    {"api_keys_name_check", "a name is at most 200 characters"},
    {"api_tokens_name_check", "a name is at most 200 characters"},
    {"ip_lists_note_check", "a note is at most 200 characters"},
    {"operators_email_check", "that is not an email address"},
};

void cli_report(struct sql *db, const char *what, enum err rc)
{
	const char *c = sql_constraint(db);
	size_t i;

	if (rc != ERR_INPUT && rc != ERR_CONFLICT) {
		fprintf(stderr, "tollgate: %s: %s\n", what, sql_errmsg(db));
		return;
	}
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(c, rules[i].constraint) == 0) {
			fprintf(stderr, "tollgate: %s: %s\n", what, rules[i].says);
			return;
		}
	if (rc == ERR_CONFLICT)
		fprintf(stderr, "tollgate: %s: already exists\n", what);
	else
		fprintf(stderr, "tollgate: %s: a value is not accepted (see `tollgate help`)\n",
			what);
}

/* The rule of the tenants.slug CHECK constraint, said before the database says it worse. */
static bool is_slug(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 63)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0)))
			return false;
	}
	return true;
}

bool cli_upstream_ok(const struct config *cfg, const char *url, const char *host_header)
{
	struct addr_url u;
	char why[320];

	if (upstream_check(cfg, url, &u, why, sizeof(why)) != ERR_OK) {
		fprintf(
		    stderr,
		    "tollgate: --upstream: expected http(s)://HOST[:PORT] where requests may go; "
		    "'%.200s': %s\n",
		    url, why);
		return false;
	}
	if (host_header == NULL)
		return true;
	if (!upstream_host_header_ok(host_header)) {
		fprintf(stderr, "tollgate: --upstream-host: expected HOST[:PORT], not '%.80s'\n",
			host_header);
		return false;
	}
	return true;
}

static const char tenant_usage[] =
    "usage: tollgate tenant create SLUG [--name NAME] [--plan free|pro|scale]\n"
    "           [--upstream http(s)://HOST[:PORT] [--upstream-host HOST[:PORT]]]\n"
    "       tollgate tenant list [--json]\n"
    "       tollgate tenant show SLUG\n"
    "       tollgate tenant set SLUG [--plan ID] [--status active|suspended] [--name NAME]\n"
    "           [--abuse-mode off|shadow|enforce]\n"
    "           [--upstream http(s)://HOST[:PORT] [--upstream-host HOST[:PORT]]]\n"
    "           [--monthly N|unlimited|plan]\n"
    "           [--key-rps|--key-burst|--key-rpm|--rps|--burst|--rpm N|plan] "
    "[--max-body SIZE|plan]\n";

static int tenant_create(const struct cli_call *c)
{
	struct sql *db = c->db;
	int argc = c->argc;
	char **argv = c->argv;
	const char *name = NULL, *plan = "free", *upstream = NULL, *host = NULL;
	const struct cli_opt opts[] = {{"name", &name, NULL},
				       {"plan", &plan, NULL},
				       {"upstream", &upstream, NULL},
				       {"upstream-host", &host, NULL}};
	const char *params[3];
	struct sql_res *r = NULL;
	char *pos[1];
	enum err rc;

	if (cli_parse_opts(argc, argv, opts, 4, pos, 1) != 1 ||
	    (host != NULL && upstream == NULL)) {
		fputs(tenant_usage, stderr);
		return 2;
	}
	if (upstream != NULL && !cli_upstream_ok(c->cfg, upstream, host))
		return 2;
	if (!is_slug(pos[0])) {
		fprintf(stderr,
			"tollgate: tenant slug '%.80s' must be 2-63 characters of a-z, 0-9 "
			"and '-', not starting with '-'\n",
			pos[0]);
		return 2;
	}
	params[0] = pos[0];
	params[1] = name ? name : pos[0];
	params[2] = plan;
	if ((rc = sql_begin(db)) != ERR_OK ||
	    (rc = sql_exec(db, &r,
			   "INSERT INTO tenants (slug, name, plan_id) VALUES ($1, $2, $3) "
			   "RETURNING id",
			   3, params)) != ERR_OK) {
		cli_report(db, "tenant", rc);
		sql_rollback(db);
		return 1;
	}
	if (upstream != NULL) {
		const char *up[] = {sql_get(r, 0, 0), upstream, host};

		rc = sql_exec(
		    db, NULL,
		    "INSERT INTO upstreams (tenant_id, name, url, is_default, host_header) "
		    "VALUES ($1, 'default', $2, true, $3)",
		    3, up);
		if (rc != ERR_OK) {
			cli_report(db, "upstream", rc);
			sql_rollback(db);
			sql_res_free(r);
			return 1;
		}
	}
	if ((rc = sql_commit(db)) != ERR_OK) {
		cli_report(db, "tenant", rc);
		sql_res_free(r);
		return 1;
	}
	printf("%s\n", sql_get(r, 0, 0));
	fprintf(stderr, "created tenant %s (id %s, plan %s)\n", pos[0], sql_get(r, 0, 0), plan);
	sql_res_free(r);
	return 0;
}

static int tenant_list(const struct cli_call *c)
{
	static const char *const names[] = {"id",	"slug", "plan",	     "status",
					    "upstream", "keys", "abuse_mode"};
	struct sql *db = c->db;
	struct sql_res *r;
	bool json = c->argc == 1 && strcmp(c->argv[0], "--json") == 0;
	enum err rc;
	int i;

	if (c->argc > 1 || (c->argc == 1 && !json)) {
		fputs(tenant_usage, stderr);
		return 2;
	}
	rc = sql_exec(db, &r,
		      "SELECT t.id, t.slug, t.plan_id, t.status, u.url, "
		      "(SELECT count(*) FROM api_keys k WHERE k.tenant_id = t.id "
		      "AND k.revoked_at IS NULL), t.abuse_mode "
		      "FROM tenants t LEFT JOIN upstreams u ON u.tenant_id = t.id AND u.is_default "
		      "ORDER BY t.id",
		      0, NULL);
	if (rc != ERR_OK) {
		cli_report(db, "tenant list", rc);
		return 1;
	}
	if (json) {
		cli_print_json(r, names, "nssssns");
		sql_res_free(r);
		return 0;
	}
	printf("%-6s %-24s %-8s %-10s %-6s %s\n", "ID", "SLUG", "PLAN", "STATUS", "KEYS",
	       "UPSTREAM");
	for (i = 0; i < sql_rows(r); i++)
		printf("%-6s %-24s %-8s %-10s %-6s %s\n", sql_get(r, i, 0), sql_get(r, i, 1),
		       sql_get(r, i, 2), sql_get(r, i, 3), sql_get(r, i, 5),
		       sql_is_null(r, i, 4) ? "-" : sql_get(r, i, 4));
	sql_res_free(r);
	return 0;
}

int cli_tenant(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", tenant_create, NULL},
	    {"list", tenant_list, NULL},
	    {"set", NULL, cli_limits_tenant_set},
	    {"show", NULL, cli_limits_tenant_show},
	};

	return cli_dispatch(cfg, argc, argv, tenant_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

static const char key_usage[] =
    "usage: tollgate key create TENANT [--name NAME] [--test]\n"
    "       tollgate key list TENANT [--json]\n"
    "       tollgate key revoke KEY_ID|KEY\n"
    "       tollgate key set KEY_ID [--rps N|tenant] [--burst N|tenant] "
    "[--rpm N|tenant]\n";

static int key_create(const struct cli_call *c)
{
	const struct config *cfg = c->cfg;
	struct sql *db = c->db;
	int argc = c->argc;
	char **argv = c->argv;
	char key[GATE_KEY_LEN + 1], prefix[GATE_KEY_PREFIX_LEN + 1], hex[API_KEY_HASH_PARAM];
	const char *name = "";
	int test = 0;
	const struct cli_opt opts[] = {{"name", &name, NULL}, {"test", NULL, &test}};
	const char *params[4];
	struct sql_res *r;
	char msg[512], *pos[1];
	enum err rc;

	if (cli_parse_opts(argc, argv, opts, 2, pos, 1) != 1) {
		fputs(key_usage, stderr);
		return 2;
	}
	if (config_require_secret(cfg, msg, sizeof(msg)) != ERR_OK || cryptox_init() != ERR_OK) {
		fprintf(stderr, "tollgate: %s\n", msg);
		return 1;
	}
	api_keys_mint(cfg, test, key, prefix, hex);
	params[0] = pos[0];
	params[1] = name;
	params[2] = prefix;
	params[3] = hex;
	rc = sql_exec(db, &r,
		      "INSERT INTO api_keys (tenant_id, name, prefix, hash) "
		      "SELECT id, $2, $3, $4 FROM tenants WHERE slug = $1 RETURNING id",
		      4, params);
	if (rc != ERR_OK) {
		cli_report(db, "key", rc);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no tenant '%s'\n", pos[0]);
		sql_res_free(r);
		return 1;
	}
	/* The only time the key exists in clear: stdout, for the caller to keep. */
	printf("%s\n", key);
	fprintf(stderr, "created key %s (id %s) for %s; it is shown only once\n", prefix,
		sql_get(r, 0, 0), pos[0]);
	cryptox_wipe(key, sizeof(key));
	sql_res_free(r);
	return 0;
}

static int key_list(const struct cli_call *c)
{
	struct sql *db = c->db;
	int argc = c->argc;
	char **argv = c->argv;
	static const char *const names[] = {"id",	  "prefix", "status",
					    "created_at", "name",   "expires_at"};
	const char *params[1];
	struct sql_res *r;
	int json = 0;
	const struct cli_opt opts[] = {{"json", NULL, &json}};
	char *pos[1];
	enum err rc;
	int i;

	if (cli_parse_opts(argc, argv, opts, 1, pos, 1) != 1) {
		fputs(key_usage, stderr);
		return 2;
	}
	argv = pos;
	params[0] = argv[0];
	rc = sql_exec(db, &r,
		      "SELECT k.id, k.prefix, CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' "
		      "WHEN k.expires_at <= now() THEN 'expired' ELSE 'active' END, "
		      "to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		      "k.name, to_char(k.expires_at AT TIME ZONE 'UTC', "
		      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
		      "FROM api_keys k JOIN tenants t ON t.id = k.tenant_id "
		      "WHERE t.slug = $1 ORDER BY k.id",
		      1, params);
	if (rc != ERR_OK) {
		cli_report(db, "key list", rc);
		return 1;
	}
	if (sql_rows(r) == 0) {
		struct sql_res *t;

		if (sql_exec(db, &t, "SELECT 1 FROM tenants WHERE slug = $1", 1, params) ==
			ERR_OK &&
		    sql_rows(t) == 0) {
			fprintf(stderr, "tollgate: no tenant '%s'\n", argv[0]);
			sql_res_free(t);
			sql_res_free(r);
			return 1;
		}
		sql_res_free(t);
	}
	if (json) {
		cli_print_json(r, names, "nsssss");
		sql_res_free(r);
		return 0;
	}
	printf("%-6s %-20s %-8s %-21s %s\n", "ID", "PREFIX", "STATUS", "CREATED", "NAME");
	for (i = 0; i < sql_rows(r); i++)
		printf("%-6s %-20s %-8s %-21s %s\n", sql_get(r, i, 0), sql_get(r, i, 1),
		       sql_get(r, i, 2), sql_get(r, i, 3), sql_get(r, i, 4));
	sql_res_free(r);
	return 0;
}

int cli_revoke(struct sql *db, int argc, char **argv, const char *usage, const char *noun,
	       const char *update_sql)
{
	const char *params[1];
	struct sql_res *r;
	char what[64];
	int64_t id;
	enum err rc;

	if (argc != 1 || str_to_i64(str_c(argv[0]), 1, INT64_MAX, &id) != ERR_OK) {
		fputs(usage, stderr);
		return 2;
	}
	params[0] = argv[0];
	rc = sql_exec(db, &r, update_sql, 1, params);
	if (rc != ERR_OK) {
		snprintf(what, sizeof(what), "%s revoke", noun);
		cli_report(db, what, rc);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no %s with id %s\n", noun, argv[0]);
		sql_res_free(r);
		return 1;
	}
	fprintf(stderr, "revoked %s %s (%s)\n", noun, argv[0], sql_get(r, 0, 0));
	sql_res_free(r);
	return 0;
}

/* By id, or by the key itself (a leaked key is revoked without looking up its id). */
static int key_revoke(const struct cli_call *c)
{
	unsigned char hash[CRYPTOX_HASH_BYTES];
	char hex[API_KEY_HASH_PARAM], msg[512];
	const char *params[1] = {hex};
	enum gate_key_env env;
	struct sql_res *r;
	enum err rc;

	if (c->argc != 1 || !str_has_prefix(str_c(c->argv[0]), "tg_"))
		return cli_revoke(c->db, c->argc, c->argv, key_usage, "key",
				  "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) "
				  "WHERE id = $1 RETURNING prefix");
	if (gate_keys_check(str_c(c->argv[0]), &env) != ERR_OK) {
		fputs("tollgate: that is not an API key (nor a key id)\n", stderr);
		return 2;
	}
	if (config_require_secret(c->cfg, msg, sizeof(msg)) != ERR_OK || cryptox_init() != ERR_OK) {
		fprintf(stderr, "tollgate: %s\n", msg);
		return 1;
	}
	gate_keys_hash(c->cfg->secret_key, str_c(c->argv[0]), hash);
	sql_bytea_param(hash, sizeof(hash), hex, sizeof(hex));
	rc = sql_exec(c->db, &r,
		      "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) "
		      "WHERE hash = $1 RETURNING id, prefix",
		      1, params);
	if (rc != ERR_OK) {
		cli_report(c->db, "key revoke", rc);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fputs("tollgate: no such key\n", stderr);
		sql_res_free(r);
		return 1;
	}
	fprintf(stderr, "revoked key %s (%s)\n", sql_get(r, 0, 0), sql_get(r, 0, 1));
	sql_res_free(r);
	return 0;
}

int cli_key(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", key_create, NULL},
	    {"list", key_list, NULL},
	    {"revoke", key_revoke, NULL},
	    {"set", NULL, cli_limits_key_set},
	};

	return cli_dispatch(cfg, argc, argv, key_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

int cli_dispatch(const struct config *cfg, int argc, char **argv, const char *usage,
		 const struct cli_verb *verbs, size_t nverbs)
{
	struct cli_call c = {cfg, NULL, argc - 1, argv + 1};
	size_t i;
	int rc;

	for (i = 0; argc >= 1 && i < nverbs; i++) {
		if (strcmp(argv[0], verbs[i].name) != 0)
			continue;
		if (verbs[i].alone != NULL)
			return verbs[i].alone(cfg, c.argc, c.argv);
		if ((c.db = cli_open_db(cfg)) == NULL)
			return 1;
		rc = verbs[i].run(&c);
		sql_free(c.db);
		return rc;
	}
	fputs(usage, stderr);
	return 2;
}
