/* `tollgate plan ...`, `tollgate tenant set|show` and `tollgate key set`. Every value is
 * checked here before a statement runs, so a bad option is named and nothing changes; the
 * database's CHECK constraints stay the last word. Column names in statements come from
 * the tables below, never from input; values go through $n parameters only. */
#include "cli_limits.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/buf.h"
#include "../../lib/cfg.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "cli.h"

/* What an option's value may be. */
enum lim_kind {
	LIM_TEXT,     /* 1 to 200 bytes */
	LIM_STATUS,   /* active or suspended */
	LIM_MODE,     /* the abuse engine's: off, shadow or enforce */
	LIM_RATE,     /* 1..INT32_MAX: the rate columns are integer */
	LIM_PRICE,    /* 0..INT32_MAX cents */
	LIM_QUOTA,    /* requests a month, 0 or more, or "unlimited" */
	LIM_SIZE,     /* bytes, at least 1: 1024, 64k, 16M, 1G */
	LIM_PRICE_ID, /* a Stripe price (price_...), or "none" */
	LIM_ONOFF,    /* on or off */
	LIM__MAX
};

/* One option that sets one column. */
struct lim_field {
	const char *opt;    /* without the leading "--" */
	const char *column; /* a constant of ours: safe in a statement's text */
	enum lim_kind kind;
	bool resettable; /* takes the table's reset word, which stores NULL */
};

/* The options of one command and how its table says "inherit" and "unlimited". */
struct lim_table {
	const struct lim_field *fields;
	size_t n;
	const char *reset;	   /* "plan", "tenant"; NULL when nothing is inherited */
	const char *unlimited_col; /* the boolean column for "unlimited", or NULL: NULL quota */
};

#define LIM_MAX_COLS 16

/* The columns a command sets, with their values (NULL: SQL NULL). */
struct lim_cols {
	int n;
	const char *column[LIM_MAX_COLS];
	const char *value[LIM_MAX_COLS];
	char num[LIM_MAX_COLS][24]; /* canonical decimals that value[] may point into */
};

/* plan_fields[0] must stay --name: `plan create` requires it. */
static const struct lim_field plan_fields[] = {
    {"name", "name", LIM_TEXT, false},
    {"price-cents", "price_cents", LIM_PRICE, false},
    {"monthly", "monthly_requests", LIM_QUOTA, false},
    {"key-rps", "key_rps", LIM_RATE, false},
    {"key-burst", "key_burst", LIM_RATE, false},
    {"key-rpm", "key_rpm", LIM_RATE, false},
    {"rps", "tenant_rps", LIM_RATE, false},
    {"burst", "tenant_burst", LIM_RATE, false},
    {"rpm", "tenant_rpm", LIM_RATE, false},
    {"max-body", "max_body_bytes", LIM_SIZE, false},
    {"stripe-price", "stripe_price", LIM_PRICE_ID, false},
    {"stripe-metered-price", "stripe_metered_price", LIM_PRICE_ID, false},
    {"overage", "overage", LIM_ONOFF, false},
};

/* tenant_fields[0] must stay --plan: its foreign-key error names it. */
static const struct lim_field tenant_fields[] = {
    {"plan", "plan_id", LIM_TEXT, false},
    {"status", "status", LIM_STATUS, false},
    {"abuse-mode", "abuse_mode", LIM_MODE, false},
    {"name", "name", LIM_TEXT, false},
    {"monthly", "monthly_requests", LIM_QUOTA, true},
    {"key-rps", "key_rps", LIM_RATE, true},
    {"key-burst", "key_burst", LIM_RATE, true},
    {"key-rpm", "key_rpm", LIM_RATE, true},
    {"rps", "tenant_rps", LIM_RATE, true},
    {"burst", "tenant_burst", LIM_RATE, true},
    {"rpm", "tenant_rpm", LIM_RATE, true},
    {"max-body", "max_body_bytes", LIM_SIZE, true},
};

static const struct lim_field key_fields[] = {
    {"rps", "rps", LIM_RATE, true},
    {"burst", "burst", LIM_RATE, true},
    {"rpm", "rpm", LIM_RATE, true},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct lim_table plan_table = {plan_fields, NELEM(plan_fields), NULL, NULL};
static const struct lim_table tenant_table = {tenant_fields, NELEM(tenant_fields), "plan",
					      "monthly_unlimited"};
static const struct lim_table key_table = {key_fields, NELEM(key_fields), "tenant", NULL};

static void lim_add(struct lim_cols *c, const char *column, const char *value)
{
	assert(c->n < LIM_MAX_COLS);
	c->column[c->n] = column;
	c->value[c->n] = value;
	c->n++;
}

static void lim_add_num(struct lim_cols *c, const char *column, int64_t v)
{
	assert(c->n < LIM_MAX_COLS);
	snprintf(c->num[c->n], sizeof(c->num[c->n]), "%lld", (long long)v);
	lim_add(c, column, c->num[c->n]);
}

static WUR enum err lim_bad(const struct lim_table *t, const struct lim_field *f, const char *v,
			    const char *want)
{
	if (f->resettable)
		fprintf(stderr, "tollgate: --%s: expected %s or '%s', not '%.40s'\n", f->opt, want,
			t->reset, v);
	else
		fprintf(stderr, "tollgate: --%s: expected %s, not '%.40s'\n", f->opt, want, v);
	return ERR_INPUT;
}

/* Checks the given options of t (vals[i] belongs to t->fields[i]; NULL: not given) and
 * fills c with the columns to set. ERR_INPUT after naming the first bad option on stderr. */
static WUR enum err lim_collect(const struct lim_table *t, const char *const *vals,
				struct lim_cols *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < t->n; i++) {
		const struct lim_field *f = &t->fields[i];
		const char *v = vals[i];
		int64_t n;

		if (v == NULL)
			continue;
		if (f->resettable && strcmp(v, t->reset) == 0) {
			lim_add(c, f->column, NULL);
			if (f->kind == LIM_QUOTA && t->unlimited_col != NULL)
				lim_add(c, t->unlimited_col, "false");
			continue;
		}
		switch (f->kind) {
		case LIM_TEXT:
			if (v[0] == '\0' || strlen(v) > 200)
				return lim_bad(t, f, v, "1 to 200 characters");
			lim_add(c, f->column, v);
			break;
		case LIM_STATUS:
			if (strcmp(v, "active") != 0 && strcmp(v, "suspended") != 0)
				return lim_bad(t, f, v, "active or suspended");
			lim_add(c, f->column, v);
			break;
		case LIM_MODE:
			if (strcmp(v, "off") != 0 && strcmp(v, "shadow") != 0 &&
			    strcmp(v, "enforce") != 0)
				return lim_bad(t, f, v, "off, shadow or enforce");
			lim_add(c, f->column, v);
			break;
		case LIM_RATE:
			if (str_to_i64(str_c(v), 1, INT32_MAX, &n) != ERR_OK)
				return lim_bad(t, f, v, "a whole number from 1 to 2147483647");
			lim_add_num(c, f->column, n);
			break;
		case LIM_PRICE:
			if (str_to_i64(str_c(v), 0, INT32_MAX, &n) != ERR_OK)
				return lim_bad(t, f, v, "a whole number of cents, 0 or more");
			lim_add_num(c, f->column, n);
			break;
		case LIM_QUOTA:
			if (strcmp(v, "unlimited") == 0) {
				lim_add(c, f->column, NULL);
				if (t->unlimited_col != NULL)
					lim_add(c, t->unlimited_col, "true");
				break;
			}
			if (str_to_i64(str_c(v), 0, INT64_MAX, &n) != ERR_OK)
				return lim_bad(
				    t, f, v,
				    "a whole number of requests (0 or more) or 'unlimited'");
			lim_add_num(c, f->column, n);
			if (t->unlimited_col != NULL)
				lim_add(c, t->unlimited_col, "false");
			break;
		case LIM_SIZE:
			if (cfg_parse_value(CFG_SIZE, v, &n) != ERR_OK || n < 1)
				return lim_bad(t, f, v, "a size like 1024, 64k, 16M or 1G");
			lim_add_num(c, f->column, n);
			break;
		case LIM_PRICE_ID:
			if (strcmp(v, "none") == 0) {
				lim_add(c, f->column, NULL);
				break;
			}
			if (strncmp(v, "price_", 6) != 0 || strlen(v) < 7 || strlen(v) > 206 ||
			    strspn(v + 6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789_") != strlen(v) - 6)
				return lim_bad(t, f, v, "a Stripe price id (price_...) or 'none'");
			lim_add(c, f->column, v);
			break;
		case LIM_ONOFF:
			if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
				return lim_bad(t, f, v, "on or off");
			lim_add(c, f->column, strcmp(v, "on") == 0 ? "true" : "false");
			break;
		case LIM__MAX:
			assert(!"unreachable");
			break;
		}
	}
	return ERR_OK;
}

/* Makes one option per field of t, reading into vals (which must be all NULL). */
static void lim_opts(const struct lim_table *t, const char **vals, struct cli_opt *opts)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		opts[i].name = t->fields[i].opt;
		opts[i].value = &vals[i];
		opts[i].flag = NULL;
	}
}

/* Appends "col = $first, col = $first+1, ..." for the columns of c. */
static void lim_assign(struct buf *sql, const struct lim_cols *c, int first)
{
	int i;

	for (i = 0; i < c->n; i++)
		buf_printf(sql, "%s%s = $%d", i ? ", " : "", c->column[i], first + i);
}

/* The rule of the plans.id CHECK constraint, said before the database says it worse. */
static bool is_plan_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static const char plan_usage[] =
    "usage: tollgate plan list\n"
    "       tollgate plan create ID --name NAME [OPTIONS]\n"
    "       tollgate plan set ID [OPTIONS]\n"
    "options: --name NAME  --price-cents N  --monthly N|unlimited  --max-body SIZE (64k, 16M)\n"
    "         --key-rps N  --key-burst N  --key-rpm N   each key's default rates\n"
    "         --rps N  --burst N  --rpm N               the tenant's rates, all keys together\n"
    "         --stripe-price price_...|none             the Stripe price a subscription pays\n"
    "         --stripe-metered-price price_...|none     a metered price billed by the meter\n"
    "         --overage on|off                          past the quota: bill, not 429\n";

static int plan_list(const struct config *cfg, int argc)
{
	struct sql_res *r;
	struct sql *db;
	enum err rc;
	int i;

	if (argc != 0) {
		fputs(plan_usage, stderr);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	rc =
	    sql_exec(db, &r,
		     "SELECT id, name, price_cents, coalesce(monthly_requests::text, 'unlimited'), "
		     "key_rps || '/' || key_burst || '/' || key_rpm, "
		     "tenant_rps || '/' || tenant_burst || '/' || tenant_rpm, max_body_bytes, "
		     "coalesce(stripe_price, '-') || CASE WHEN stripe_metered_price IS NULL "
		     "THEN '' ELSE ' + ' || stripe_metered_price END || "
		     "CASE WHEN overage THEN ' (overage)' ELSE '' END "
		     "FROM plans ORDER BY price_cents, id",
		     0, NULL);
	if (rc != ERR_OK) {
		cli_report(db, "plan list", rc);
		sql_free(db);
		return 1;
	}
	printf("%-12s %-16s %-11s %-11s %-18s %-18s %-10s %s\n", "ID", "NAME", "PRICE_CENTS",
	       "MONTHLY", "KEY_LIMITS", "TENANT_LIMITS", "MAX_BODY", "STRIPE");
	for (i = 0; i < sql_rows(r); i++)
		printf("%-12s %-16s %-11s %-11s %-18s %-18s %-10s %s\n", sql_get(r, i, 0),
		       sql_get(r, i, 1), sql_get(r, i, 2), sql_get(r, i, 3), sql_get(r, i, 4),
		       sql_get(r, i, 5), sql_get(r, i, 6), sql_get(r, i, 7));
	sql_res_free(r);
	sql_free(db);
	return 0;
}

/* `plan create` (an INSERT; unnamed limits take the columns' defaults) or `plan set`. */
static int plan_change(const struct config *cfg, int argc, char **argv, bool create)
{
	const char *vals[NELEM(plan_fields)] = {NULL};
	struct cli_opt opts[NELEM(plan_fields)];
	const char *params[LIM_MAX_COLS + 1];
	struct sql_res *r = NULL;
	struct lim_cols c;
	struct sql *db;
	struct buf sql;
	char *pos[1];
	enum err rc;
	int i, status = 1;

	lim_opts(&plan_table, vals, opts);
	if (cli_parse_opts(argc, argv, opts, NELEM(opts), pos, 1) != 1) {
		fputs(plan_usage, stderr);
		return 2;
	}
	if (lim_collect(&plan_table, vals, &c) != ERR_OK) {
		fputs(plan_usage, stderr);
		return 2;
	}
	if (create && !is_plan_id(pos[0])) {
		fprintf(stderr,
			"tollgate: plan id '%.40s' must be 1-32 characters of a-z, 0-9, '_' and "
			"'-', starting with a letter\n%s",
			pos[0], plan_usage);
		return 2;
	}
	if (create && vals[0] == NULL) {
		fprintf(stderr, "tollgate: plan create needs --name NAME\n%s", plan_usage);
		return 2;
	}
	if (!create && c.n == 0) {
		fprintf(stderr, "tollgate: plan set: nothing to change\n%s", plan_usage);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	params[0] = pos[0];
	for (i = 0; i < c.n; i++)
		params[i + 1] = c.value[i];
	buf_init(&sql, 4096);
	if (create) {
		buf_puts(&sql, "INSERT INTO plans (id");
		for (i = 0; i < c.n; i++)
			buf_printf(&sql, ", %s", c.column[i]);
		buf_puts(&sql, ") VALUES ($1");
		for (i = 0; i < c.n; i++)
			buf_printf(&sql, ", $%d", i + 2);
		buf_puts(&sql, ") RETURNING id");
	} else {
		buf_puts(&sql, "UPDATE plans SET ");
		lim_assign(&sql, &c, 2);
		buf_puts(&sql, " WHERE id = $1 RETURNING id");
	}
	assert(!sql.overflow);
	rc = sql_exec(db, &r, sql.p, c.n + 1, params);
	if (rc == ERR_CONFLICT && create &&
	    strcmp(sql_constraint(db) != NULL ? sql_constraint(db) : "", "plans_pkey") == 0) {
		fprintf(stderr, "tollgate: plan '%s' already exists\n", pos[0]);
		goto out;
	}
	if (rc != ERR_OK) {
		cli_report(db, "plan", rc);
		goto out;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no plan '%.40s'\n", pos[0]);
		goto out;
	}
	fprintf(stderr, "%s plan %s; every node applies it within a second\n",
		create ? "created" : "updated", pos[0]);
	status = 0;
out:
	sql_res_free(r);
	buf_free(&sql);
	sql_free(db);
	return status;
}

int cli_limits_plan(const struct config *cfg, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return plan_list(cfg, argc - 1);
	if (argc >= 1 && strcmp(argv[0], "create") == 0)
		return plan_change(cfg, argc - 1, argv + 1, true);
	if (argc >= 1 && strcmp(argv[0], "set") == 0)
		return plan_change(cfg, argc - 1, argv + 1, false);
	fputs(plan_usage, stderr);
	return 2;
}

static const char tenant_set_usage[] =
    "usage: tollgate tenant set SLUG [--plan ID] [--status active|suspended] [--name NAME]\n"
    "           [--abuse-mode off|shadow|enforce]\n"
    "           [--upstream http(s)://HOST[:PORT] [--upstream-host HOST[:PORT]]]\n"
    "           [--monthly N|unlimited|plan]\n"
    "           [--key-rps N|plan] [--key-burst N|plan] [--key-rpm N|plan]\n"
    "           [--rps N|plan] [--burst N|plan] [--rpm N|plan] [--max-body SIZE|plan]\n"
    "'plan' goes back to the plan's value; --key-* are each key's default rates,\n"
    "--rps/--burst/--rpm the tenant's, all keys together.\n";

/* Points the tenant's default upstream at url: the default row if there is one, else a new
 * one named 'default'. Runs inside the caller's transaction. */
static WUR enum err tenant_set_upstream(struct sql *db, const char *tenant_id, const char *url,
					const char *host)
{
	const char *params[] = {tenant_id, url, host};
	struct sql_res *r;
	enum err rc;
	int rows;

	rc = sql_exec(db, &r,
		      "UPDATE upstreams SET url = $2, host_header = $3 WHERE tenant_id = $1 "
		      "AND is_default RETURNING id",
		      3, params);
	if (rc != ERR_OK)
		return rc;
	rows = sql_rows(r);
	sql_res_free(r);
	if (rows > 0)
		return ERR_OK;
	/* No default yet: a row named 'default' that is not the default can become it. */
	return sql_exec(db, NULL,
			"INSERT INTO upstreams (tenant_id, name, url, is_default, host_header) "
			"VALUES ($1, 'default', $2, true, $3) ON CONFLICT (tenant_id, name) "
			"DO UPDATE SET url = EXCLUDED.url, is_default = true, "
			"host_header = EXCLUDED.host_header",
			3, params);
}

int cli_limits_tenant_set(const struct config *cfg, int argc, char **argv)
{
	const char *vals[NELEM(tenant_fields)] = {NULL}, *upstream = NULL, *host = NULL;
	struct cli_opt opts[NELEM(tenant_fields) + 2];
	const char *params[LIM_MAX_COLS + 1];
	struct sql_res *r = NULL;
	struct sql *db;
	struct lim_cols c;
	struct buf sql;
	char *pos[1];
	enum err rc;
	int i, status = 1;

	lim_opts(&tenant_table, vals, opts);
	opts[NELEM(tenant_fields)] = (struct cli_opt){"upstream", &upstream, NULL};
	opts[NELEM(tenant_fields) + 1] = (struct cli_opt){"upstream-host", &host, NULL};
	if (cli_parse_opts(argc, argv, opts, NELEM(opts), pos, 1) != 1 ||
	    lim_collect(&tenant_table, vals, &c) != ERR_OK || (host != NULL && upstream == NULL)) {
		fputs(tenant_set_usage, stderr);
		return 2;
	}
	if (upstream != NULL && !cli_upstream_ok(cfg, upstream, host))
		return 2;
	if (c.n == 0 && upstream == NULL) {
		fprintf(stderr, "tollgate: tenant set: nothing to change\n%s", tenant_set_usage);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	params[0] = pos[0];
	for (i = 0; i < c.n; i++)
		params[i + 1] = c.value[i];
	buf_init(&sql, 4096);
	buf_puts(&sql, "UPDATE tenants SET ");
	lim_assign(&sql, &c, 2);
	buf_printf(&sql, "%supdated_at = now() WHERE slug = $1 RETURNING id", c.n ? ", " : "");
	assert(!sql.overflow);

	if ((rc = sql_begin(db)) != ERR_OK) {
		cli_report(db, "tenant", rc);
		goto out;
	}
	rc = sql_exec(db, &r, sql.p, c.n + 1, params);
	if (rc == ERR_INPUT && strcmp(sql_state(db), "23503") == 0) {
		/* The only foreign key of tenants is plan_id. */
		fprintf(stderr, "tollgate: no plan '%.40s' (see `tollgate plan list`)\n",
			vals[0] ? vals[0] : "");
		goto rollback;
	}
	if (rc != ERR_OK) {
		cli_report(db, "tenant", rc);
		goto rollback;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", pos[0]);
		goto rollback;
	}
	if (upstream != NULL &&
	    (rc = tenant_set_upstream(db, sql_get(r, 0, 0), upstream, host)) != ERR_OK) {
		cli_report(db, "upstream", rc);
		goto rollback;
	}
	if ((rc = sql_commit(db)) != ERR_OK) {
		cli_report(db, "tenant", rc);
		goto out;
	}
	fprintf(stderr, "updated tenant %s; every node applies it within a second\n", pos[0]);
	status = 0;
	goto out;
rollback:
	sql_rollback(db);
out:
	sql_res_free(r);
	buf_free(&sql);
	sql_free(db);
	return status;
}

/* The limits `tenant show` lists: its effective value, whether the tenant overrides it,
 * and the plan's value sit at columns SHOW_EFFECTIVE + i, SHOW_OVERRIDE + i, SHOW_PLAN + i
 * of the query below. Labels are the `tenant set` options. */
static const char *const show_limits[] = {"key-rps", "key-burst", "key-rpm", "rps",
					  "burst",   "rpm",	  "monthly", "max-body"};
#define SHOW_NLIMITS   8
#define SHOW_EFFECTIVE 6
#define SHOW_OVERRIDE  (SHOW_EFFECTIVE + SHOW_NLIMITS)
#define SHOW_PLAN      (SHOW_OVERRIDE + SHOW_NLIMITS)
#define SHOW_MONTH     (SHOW_PLAN + SHOW_NLIMITS)
_Static_assert(NELEM(show_limits) == SHOW_NLIMITS, "one label per limit column");

int cli_limits_tenant_show(const struct config *cfg, int argc, char **argv)
{
	const char *params[1];
	struct sql_res *r;
	struct sql *db;
	enum err rc;
	int i;

	if (argc != 1 || strncmp(argv[0], "--", 2) == 0) {
		fputs("usage: tollgate tenant show SLUG\n", stderr);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	params[0] = argv[0];
	rc = sql_exec(
	    db, &r,
	    "SELECT t.id, t.slug, t.name, t.plan_id, t.status, coalesce(u.url, '-'), "
	    "l.key_rps, l.key_burst, l.key_rpm, l.tenant_rps, l.tenant_burst, l.tenant_rpm, "
	    "coalesce(l.monthly_requests::text, 'unlimited'), l.max_body_bytes, "
	    "t.key_rps IS NOT NULL, t.key_burst IS NOT NULL, t.key_rpm IS NOT NULL, "
	    "t.tenant_rps IS NOT NULL, t.tenant_burst IS NOT NULL, t.tenant_rpm IS NOT NULL, "
	    "t.monthly_requests IS NOT NULL OR t.monthly_unlimited, t.max_body_bytes IS NOT NULL, "
	    "p.key_rps, p.key_burst, p.key_rpm, p.tenant_rps, p.tenant_burst, p.tenant_rpm, "
	    "coalesce(p.monthly_requests::text, 'unlimited'), p.max_body_bytes, "
	    "to_char(m.month, 'YYYY-MM'), coalesce(um.requests, 0), l.monthly_requests, "
	    "(SELECT count(*) FROM api_keys k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL "
	    "AND (k.expires_at IS NULL OR k.expires_at > now())), t.abuse_mode "
	    "FROM tenants t JOIN plans p ON p.id = t.plan_id "
	    "JOIN tenant_limits l ON l.tenant_id = t.id "
	    "CROSS JOIN (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month) m "
	    "LEFT JOIN upstreams u ON u.tenant_id = t.id AND u.is_default "
	    "LEFT JOIN usage_tenant_monthly um ON um.tenant_id = t.id AND um.month = m.month "
	    "WHERE t.slug = $1",
	    1, params);
	if (rc != ERR_OK) {
		cli_report(db, "tenant show", rc);
		sql_free(db);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", argv[0]);
		sql_res_free(r);
		sql_free(db);
		return 1;
	}
	printf("tenant     %s (id %s)\n", sql_get(r, 0, 1), sql_get(r, 0, 0));
	printf("name       %s\n", sql_get(r, 0, 2));
	printf("plan       %s\n", sql_get(r, 0, 3));
	printf("status     %s\n", sql_get(r, 0, 4));
	printf("upstream   %s\n", sql_get(r, 0, 5));
	printf("keys       %s active\n", sql_get(r, 0, SHOW_MONTH + 3));
	printf("abuse      %s\n", sql_get(r, 0, SHOW_MONTH + 4));
	printf("\n%-10s %-12s %s\n", "LIMIT", "VALUE", "FROM");
	for (i = 0; i < SHOW_NLIMITS; i++) {
		if (strcmp(sql_get(r, 0, SHOW_OVERRIDE + i), "t") == 0)
			printf("%-10s %-12s tenant (plan: %s)\n", show_limits[i],
			       sql_get(r, 0, SHOW_EFFECTIVE + i), sql_get(r, 0, SHOW_PLAN + i));
		else
			printf("%-10s %-12s plan\n", show_limits[i],
			       sql_get(r, 0, SHOW_EFFECTIVE + i));
	}
	printf("\nusage      %s of ", sql_get(r, 0, SHOW_MONTH + 1));
	if (sql_is_null(r, 0, SHOW_MONTH + 2)) {
		printf("unlimited requests in %s (UTC)\n", sql_get(r, 0, SHOW_MONTH));
	} else {
		int64_t used = sql_get_i64(r, 0, SHOW_MONTH + 1);
		int64_t limit = sql_get_i64(r, 0, SHOW_MONTH + 2);

		printf("%s requests in %s (UTC)", sql_get(r, 0, SHOW_MONTH + 2),
		       sql_get(r, 0, SHOW_MONTH));
		if (limit > 0)
			printf(", %.1f%%", 100.0 * (double)used / (double)limit);
		printf("\n");
	}
	sql_res_free(r);
	sql_free(db);
	return 0;
}

static const char key_set_usage[] =
    "usage: tollgate key set KEY_ID [--rps N|tenant] [--burst N|tenant] [--rpm N|tenant]\n"
    "'tenant' goes back to the tenant's per-key value (its plan's, unless overridden).\n";

int cli_limits_key_set(const struct config *cfg, int argc, char **argv)
{
	const char *vals[NELEM(key_fields)] = {NULL};
	struct cli_opt opts[NELEM(key_fields)];
	const char *params[LIM_MAX_COLS + 1];
	struct sql_res *r = NULL;
	struct lim_cols c;
	struct sql *db;
	struct buf sql;
	char *pos[1];
	int64_t id;
	enum err rc;
	int i, status = 1;

	lim_opts(&key_table, vals, opts);
	if (cli_parse_opts(argc, argv, opts, NELEM(opts), pos, 1) != 1 ||
	    lim_collect(&key_table, vals, &c) != ERR_OK) {
		fputs(key_set_usage, stderr);
		return 2;
	}
	if (str_to_i64(str_c(pos[0]), 1, INT64_MAX, &id) != ERR_OK) {
		fprintf(stderr,
			"tollgate: KEY_ID is a number (see `tollgate key list`), not '%.40s'\n%s",
			pos[0], key_set_usage);
		return 2;
	}
	if (c.n == 0) {
		fprintf(stderr, "tollgate: key set: nothing to change\n%s", key_set_usage);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	params[0] = pos[0];
	for (i = 0; i < c.n; i++)
		params[i + 1] = c.value[i];
	buf_init(&sql, 1024);
	buf_puts(&sql, "UPDATE api_keys SET ");
	lim_assign(&sql, &c, 2);
	buf_puts(&sql, " WHERE id = $1 RETURNING prefix, coalesce(rps::text, 'tenant''s'), "
		       "coalesce(burst::text, 'tenant''s'), coalesce(rpm::text, 'tenant''s')");
	assert(!sql.overflow);
	rc = sql_exec(db, &r, sql.p, c.n + 1, params);
	if (rc != ERR_OK) {
		cli_report(db, "key", rc);
		goto out;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no key with id %s\n", pos[0]);
		goto out;
	}
	fprintf(stderr, "updated key %s (%s): rps %s, burst %s, rpm %s\n", pos[0], sql_get(r, 0, 0),
		sql_get(r, 0, 1), sql_get(r, 0, 2), sql_get(r, 0, 3));
	status = 0;
out:
	sql_res_free(r);
	buf_free(&sql);
	sql_free(db);
	return status;
}
