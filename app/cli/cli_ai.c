/* `tollgate ai price set|list|remove` and `tollgate ai show`: the price list the AI pool
 * meters calls at (table ai_prices, docs/ai-routes.md), and one tenant's AI settings,
 * providers (never their keys) and aliases. */
#include "cli_ai.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/codec.h"
#include "../../lib/cryptox.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../ai/ai_names.h"
#include "cli.h"

/* Millionths of the currency per million tokens: up to 1,000 a million tokens keeps
 * tokens * price (ai_cost_micros(), up to a billion tokens) clear of overflow. */
#define PRICE_MAX INT64_C(1000000000)

static const char ai_usage[] =
    "usage: tollgate ai price set MODEL --input MICROS --output MICROS\n"
    "       tollgate ai price list [--json]\n"
    "       tollgate ai price remove MODEL\n"
    "       tollgate ai provider set NAME --kind openai|anthropic --url BASE_URL\n"
    "                                     [--key-file FILE|-]\n"
    "       tollgate ai provider list\n"
    "       tollgate ai provider remove NAME\n"
    "       tollgate ai show TENANT\n"
    "MICROS is millionths of the currency per million tokens, a whole number from 0 to\n"
    "1000000000 (2500000: 2.50 a million tokens), for prompt (--input) and answer\n"
    "(--output) tokens; a model already listed may change just one. A model that is not\n"
    "listed is metered in tokens only, at no cost. Prices apply to the next AI call.\n"
    "A provider set here is the operator's, offered to every tenant: an alias names it like\n"
    "one of the tenant's own (which comes first when both have the name). Its key is read\n"
    "from the first line of FILE (- for standard input), never from the command line, and\n"
    "stored sealed with the server secret.\n";

/* Whether an option's value (NULL: not given) is a price; false after saying why not. */
static bool price_ok(const char *option, const char *v)
{
	int64_t n;

	if (v == NULL || str_to_i64(str_c(v), 0, PRICE_MAX, &n) == ERR_OK)
		return true;
	fprintf(stderr,
		"tollgate: --%s: expected millionths of the currency per million tokens, a whole "
		"number from 0 to %lld, not '%.40s'\n",
		option, (long long)PRICE_MAX, v);
	return false;
}

static int price_set(const struct cli_call *c)
{
	const char *in = NULL, *out = NULL;
	const struct cli_opt opts[] = {{"input", &in, NULL}, {"output", &out, NULL}};
	const char *params[3];
	struct sql_res *r;
	char *pos[1], a[32], b[32];
	enum err rc;

	if (cli_parse_opts(c->argc, c->argv, opts, 2, pos, 1) != 1 || (in == NULL && out == NULL)) {
		fputs(ai_usage, stderr);
		return 2;
	}
	if (!ai_model_ok(pos[0])) {
		fprintf(stderr,
			"tollgate: a model's name is 1 to %d bytes without control characters\n",
			AI_MODEL_MAX);
		return 2;
	}
	if (!price_ok("input", in) || !price_ok("output", out))
		return 2;
	params[0] = pos[0];
	params[1] = in;
	params[2] = out;
	if (in != NULL && out != NULL)
		rc = sql_exec(
		    c->db, &r,
		    "INSERT INTO ai_prices (model, input_micros_per_mtok, "
		    "output_micros_per_mtok) VALUES ($1, $2, $3) ON CONFLICT (model) "
		    "DO UPDATE SET input_micros_per_mtok = EXCLUDED.input_micros_per_mtok, "
		    "output_micros_per_mtok = EXCLUDED.output_micros_per_mtok "
		    "RETURNING input_micros_per_mtok, output_micros_per_mtok",
		    3, params);
	else
		rc = sql_exec(
		    c->db, &r,
		    "UPDATE ai_prices SET "
		    "input_micros_per_mtok = coalesce($2::bigint, input_micros_per_mtok), "
		    "output_micros_per_mtok = coalesce($3::bigint, output_micros_per_mtok) "
		    "WHERE model = $1 "
		    "RETURNING input_micros_per_mtok, output_micros_per_mtok",
		    3, params);
	if (rc != ERR_OK) {
		cli_report(c->db, "ai price", rc);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr,
			"tollgate: no price for model '%.128s' yet: give both --input and "
			"--output\n",
			pos[0]);
		sql_res_free(r);
		return 1;
	}
	str_fmt_micros(sql_get_i64(r, 0, 0), a, sizeof(a));
	str_fmt_micros(sql_get_i64(r, 0, 1), b, sizeof(b));
	fprintf(stderr,
		"priced model %s: %s per million input tokens, %s per million output tokens; "
		"the next AI call is metered at it\n",
		pos[0], a, b);
	sql_res_free(r);
	return 0;
}

static int price_list(const struct cli_call *c)
{
	static const char *const names[] = {"model", "input_micros_per_mtok",
					    "output_micros_per_mtok"};
	int json = 0;
	const struct cli_opt opts[] = {{"json", NULL, &json}};
	struct sql_res *r;
	char *pos[1], a[32], b[32];
	enum err rc;
	int i;

	if (cli_parse_opts(c->argc, c->argv, opts, 1, pos, 0) != 0) {
		fputs(ai_usage, stderr);
		return 2;
	}
	rc = sql_exec(c->db, &r,
		      "SELECT model, input_micros_per_mtok, output_micros_per_mtok FROM ai_prices "
		      "ORDER BY model",
		      0, NULL);
	if (rc != ERR_OK) {
		cli_report(c->db, "ai price list", rc);
		return 1;
	}
	if (json) {
		cli_print_json(r, names, "snn");
		sql_res_free(r);
		return 0;
	}
	printf("%-32s %14s %14s %12s %12s\n", "MODEL", "INPUT_MICROS", "OUTPUT_MICROS",
	       "INPUT/MTOK", "OUTPUT/MTOK");
	for (i = 0; i < sql_rows(r); i++) {
		str_fmt_micros(sql_get_i64(r, i, 1), a, sizeof(a));
		str_fmt_micros(sql_get_i64(r, i, 2), b, sizeof(b));
		printf("%-32s %14s %14s %12s %12s\n", sql_get(r, i, 0), sql_get(r, i, 1),
		       sql_get(r, i, 2), a, b);
	}
	sql_res_free(r);
	return 0;
}

static int price_remove(const struct cli_call *c)
{
	const char *params[1];
	struct sql_res *r;
	enum err rc;

	if (c->argc != 1 || strncmp(c->argv[0], "--", 2) == 0) {
		fputs(ai_usage, stderr);
		return 2;
	}
	params[0] = c->argv[0];
	rc = sql_exec(c->db, &r, "DELETE FROM ai_prices WHERE model = $1 RETURNING model", 1,
		      params);
	if (rc != ERR_OK) {
		cli_report(c->db, "ai price remove", rc);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no price for model '%.128s'\n", c->argv[0]);
		sql_res_free(r);
		return 1;
	}
	fprintf(stderr, "removed the price of model %s; its calls are now metered in tokens only\n",
		c->argv[0]);
	sql_res_free(r);
	return 0;
}

static int price(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"set", price_set, NULL},
	    {"list", price_list, NULL},
	    {"remove", price_remove, NULL},
	};

	return cli_dispatch(cfg, argc, argv, ai_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

/* The tenant's row, and this month's (UTC) tokens and cost as flushed to PostgreSQL. */
static const char show_tenant_sql[] =
    "SELECT t.id, t.slug, t.plan_id, t.ai_prefix, t.ai_budget_micros, t.ai_key_budget_micros, "
    "  to_char(m.month, 'YYYY-MM'), coalesce(sum(u.tokens), 0), coalesce(sum(u.cost_micros), 0) "
    "FROM tenants t "
    "CROSS JOIN (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month) m "
    "LEFT JOIN usage_monthly u ON u.tenant_id = t.id AND u.month = m.month "
    "WHERE t.slug = $1 "
    "GROUP BY t.id, m.month";
enum { T_ID, T_SLUG, T_PLAN, T_PREFIX, T_BUDGET, T_KEY_BUDGET, T_MONTH, T_TOKENS, T_COST };

static const char show_providers_sql[] =
    "SELECT name, kind, CASE WHEN key_sealed IS NULL THEN 'none' ELSE 'sealed' END, base_url "
    "FROM ai_providers WHERE tenant_id = $1 "
    "UNION ALL SELECT name || ' (operator)', kind, "
    "  CASE WHEN key_sealed IS NULL THEN 'none' ELSE 'sealed' END, base_url "
    "FROM ai_operator_providers o WHERE NOT EXISTS "
    "  (SELECT 1 FROM ai_providers p WHERE p.tenant_id = $1 AND p.name = o.name) "
    "ORDER BY 1";

/* One row per list of each alias: its targets (plan NULL), then each by_plan list; the
 * targets as "provider/model (weight N)", in their order. */
static const char show_aliases_sql[] =
    "SELECT a.name, l.plan, "
    "  (SELECT string_agg((x.e ->> 'provider') || '/' || (x.e ->> 'model') || "
    "     CASE WHEN x.e ? 'weight' THEN ' (weight ' || (x.e ->> 'weight') || ')' ELSE '' END, "
    "     ', ' ORDER BY x.ord) "
    "   FROM jsonb_array_elements(l.targets) WITH ORDINALITY AS x(e, ord)) "
    "FROM ai_aliases a CROSS JOIN LATERAL ("
    "  SELECT NULL::text, a.targets UNION ALL SELECT key, value FROM jsonb_each(a.by_plan)"
    ") AS l(plan, targets) "
    "WHERE a.tenant_id = $1 ORDER BY a.name, l.plan NULLS FIRST";

static void print_budget(const char *label, const struct sql_res *r, int col)
{
	char money[32];

	if (sql_is_null(r, 0, col)) {
		printf("%-10s none\n", label);
		return;
	}
	str_fmt_micros(sql_get_i64(r, 0, col), money, sizeof(money));
	printf("%-10s %s a month (%s micros)\n", label, money, sql_get(r, 0, col));
}

static int show(const struct cli_call *c)
{
	struct sql_res *t = NULL, *p = NULL, *a = NULL;
	const char *params[1];
	char money[32];
	enum err rc;
	int i;

	if (c->argc != 1 || strncmp(c->argv[0], "--", 2) == 0) {
		fputs(ai_usage, stderr);
		return 2;
	}
	params[0] = c->argv[0];
	if ((rc = sql_exec(c->db, &t, show_tenant_sql, 1, params)) != ERR_OK) {
		cli_report(c->db, "ai show", rc);
		return 1;
	}
	if (sql_rows(t) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", c->argv[0]);
		sql_res_free(t);
		return 1;
	}
	params[0] = sql_get(t, 0, T_ID);
	if ((rc = sql_exec(c->db, &p, show_providers_sql, 1, params)) != ERR_OK ||
	    (rc = sql_exec(c->db, &a, show_aliases_sql, 1, params)) != ERR_OK) {
		cli_report(c->db, "ai show", rc);
		sql_res_free(t);
		sql_res_free(p);
		return 1;
	}

	printf("tenant     %s (id %s, plan %s)\n", sql_get(t, 0, T_SLUG), sql_get(t, 0, T_ID),
	       sql_get(t, 0, T_PLAN));
	if (sql_is_null(t, 0, T_PREFIX)) {
		printf("prefix     off (AI routes are not served)\n");
	} else {
		const char *x = sql_get(t, 0, T_PREFIX);

		printf("prefix     %s: POST %s/chat/completions, %s/embeddings, %s/messages; "
		       "GET %s/models\n",
		       x[0] != '\0' ? x : "\"\" (the root)", x, x, x, x);
	}
	print_budget("budget", t, T_BUDGET);
	print_budget("key budget", t, T_KEY_BUDGET);
	str_fmt_micros(sql_get_i64(t, 0, T_COST), money, sizeof(money));
	printf("spent      %s in %s (UTC): %s tokens, as flushed to PostgreSQL\n", money,
	       sql_get(t, 0, T_MONTH), sql_get(t, 0, T_TOKENS));

	printf("\n%-20s %-10s %-7s %s\n", "PROVIDER", "KIND", "KEY", "BASE_URL");
	for (i = 0; i < sql_rows(p); i++)
		printf("%-20s %-10s %-7s %s\n", sql_get(p, i, 0), sql_get(p, i, 1),
		       sql_get(p, i, 2), sql_get(p, i, 3));
	if (sql_rows(p) == 0)
		printf("(none)\n");

	printf("\n%-20s %s\n", "ALIAS", "TARGETS (in order of fallback)");
	for (i = 0; i < sql_rows(a); i++) {
		if (sql_is_null(a, i, 1))
			printf("%-20s %s\n", sql_get(a, i, 0), sql_get(a, i, 2));
		else
			printf("%-20s   on plan %s%s: %s\n", "", sql_get(a, i, 1),
			       strcmp(sql_get(a, i, 1), sql_get(t, 0, T_PLAN)) == 0 ? " (in use)"
										    : "",
			       sql_get(a, i, 2));
	}
	if (sql_rows(a) == 0)
		printf("(none)\n");
	sql_res_free(t);
	sql_res_free(p);
	sql_res_free(a);
	return 0;
}

/* The key's first line from path ("-": standard input) into key (size n); false after
 * saying why. */
static bool read_key(const char *path, char *key, size_t n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	bool ok;

	if (f == NULL) {
		fprintf(stderr, "tollgate: --key-file: cannot open %.200s\n", path);
		return false;
	}
	ok = fgets(key, (int)n, f) != NULL;
	if (f != stdin)
		fclose(f);
	key[ok ? strcspn(key, "\r\n") : 0] = '\0';
	if (!ok || !ai_api_key_ok(key)) {
		fprintf(stderr,
			"tollgate: --key-file: its first line must be the key, 1 to %d "
			"visible ASCII characters\n",
			AI_API_KEY_MAX);
		return false;
	}
	return true;
}

static int provider_set(const struct cli_call *c)
{
	const char *kind = NULL, *url_in = NULL, *key_file = NULL;
	const struct cli_opt opts[] = {
	    {"kind", &kind, NULL}, {"url", &url_in, NULL}, {"key-file", &key_file, NULL}};
	char url[AI_BASE_URL_MAX + 1], why[400], msg[256], key[AI_API_KEY_MAX + 2];
	unsigned char sealed[AI_API_KEY_MAX + CRYPTOX_SEAL_EXTRA];
	char hex[2 * sizeof(sealed) + 3];
	const char *params[4] = {NULL, NULL, url, NULL};
	struct sql_res *r;
	char *pos[1];
	enum err rc;
	int status = 0;

	if (cli_parse_opts(c->argc, c->argv, opts, 3, pos, 1) != 1 || kind == NULL ||
	    url_in == NULL || (strcmp(kind, "openai") != 0 && strcmp(kind, "anthropic") != 0)) {
		fputs(ai_usage, stderr);
		return 2;
	}
	if (!ai_provider_name_ok(str_c(pos[0]))) {
		fputs("tollgate: a provider's name is 1 to 63 of a-z, 0-9, '_' and '-', starting "
		      "with a letter or a digit\n",
		      stderr);
		return 2;
	}
	if (strlen(url_in) > AI_BASE_URL_MAX) {
		fprintf(stderr, "tollgate: --url: at most %d characters\n", AI_BASE_URL_MAX);
		return 2;
	}
	str_lcpy(url, url_in, sizeof(url));
	if (!ai_base_url_ok(c->cfg, url, why, sizeof(why))) {
		fprintf(stderr, "tollgate: --url: %s\n", why);
		return 2;
	}
	params[0] = pos[0];
	params[1] = kind;
	if (key_file != NULL) {
		size_t n;

		if (!read_key(key_file, key, sizeof(key)))
			return 2;
		if (config_require_secret(c->cfg, msg, sizeof(msg)) != ERR_OK ||
		    cryptox_init() != ERR_OK) {
			fprintf(stderr, "tollgate: %s\n", msg);
			cryptox_wipe(key, sizeof(key));
			return 1;
		}
		n = strlen(key);
		cryptox_seal(c->cfg->secret_key, "ai-provider-key", key, n, sealed);
		cryptox_wipe(key, sizeof(key));
		sql_bytea_param(sealed, n + CRYPTOX_SEAL_EXTRA, hex, sizeof(hex));
		params[3] = hex;
	}
	rc = sql_exec(
	    c->db, &r,
	    "INSERT INTO ai_operator_providers (name, kind, base_url, key_sealed) "
	    "VALUES ($1, $2, $3, $4::bytea) ON CONFLICT (name) DO UPDATE SET "
	    "kind = EXCLUDED.kind, base_url = EXCLUDED.base_url, "
	    "key_sealed = coalesce(EXCLUDED.key_sealed, ai_operator_providers.key_sealed), "
	    "updated_at = now() RETURNING key_sealed IS NOT NULL",
	    4, params);
	if (rc != ERR_OK) {
		cli_report(c->db, "ai provider", rc);
		status = 1;
	} else {
		fprintf(stderr,
			"operator provider %s: %s at %s, %s; every tenant's aliases may name it\n",
			pos[0], kind, url,
			strcmp(sql_get(r, 0, 0), "t") == 0 ? "key sealed" : "no key");
		sql_res_free(r);
	}
	cryptox_wipe(hex, sizeof(hex));
	cryptox_wipe(sealed, sizeof(sealed));
	return status;
}

static int provider_list(const struct cli_call *c)
{
	struct sql_res *r;
	enum err rc;
	int i;

	if (c->argc != 0) {
		fputs(ai_usage, stderr);
		return 2;
	}
	rc = sql_exec(c->db, &r,
		      "SELECT name, kind, CASE WHEN key_sealed IS NULL THEN 'none' ELSE 'sealed' "
		      "END, base_url FROM ai_operator_providers ORDER BY name",
		      0, NULL);
	if (rc != ERR_OK) {
		cli_report(c->db, "ai provider list", rc);
		return 1;
	}
	printf("%-20s %-10s %-7s %s\n", "PROVIDER", "KIND", "KEY", "BASE_URL");
	for (i = 0; i < sql_rows(r); i++)
		printf("%-20s %-10s %-7s %s\n", sql_get(r, i, 0), sql_get(r, i, 1),
		       sql_get(r, i, 2), sql_get(r, i, 3));
	sql_res_free(r);
	return 0;
}

static int provider_remove(const struct cli_call *c)
{
	const char *params[1];
	struct sql_res *r;
	enum err rc;
	int n;

	if (c->argc != 1 || !ai_provider_name_ok(str_c(c->argv[0]))) {
		fputs(ai_usage, stderr);
		return 2;
	}
	params[0] = c->argv[0];
	rc = sql_exec(c->db, &r, "DELETE FROM ai_operator_providers WHERE name = $1 RETURNING 1", 1,
		      params);
	if (rc != ERR_OK) {
		cli_report(c->db, "ai provider remove", rc);
		return 1;
	}
	n = sql_rows(r);
	sql_res_free(r);
	if (n != 1) {
		fprintf(stderr, "tollgate: no operator provider '%.64s'\n", c->argv[0]);
		return 1;
	}
	fprintf(stderr, "removed operator provider %s\n", c->argv[0]);
	return 0;
}

static int provider(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"set", provider_set, NULL},
	    {"list", provider_list, NULL},
	    {"remove", provider_remove, NULL},
	};

	return cli_dispatch(cfg, argc, argv, ai_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

int cli_ai(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"price", NULL, price},
	    {"provider", NULL, provider},
	    {"show", show, NULL},
	};

	return cli_dispatch(cfg, argc, argv, ai_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}
