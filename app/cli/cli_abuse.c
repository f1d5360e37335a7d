/* Address lists and model versions from the command line. Every change goes through the
 * tables' sync triggers, so every node applies it within a second. */
#include "cli_abuse.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "cli.h"

static const char list_usage[] =
    "usage: tollgate list add TENANT|--global NETWORK allow|deny|suspect [--note TEXT]\n"
    "       tollgate list show TENANT|--global [--json]\n"
    "       tollgate list remove ENTRY_ID\n"
    "A tenant's entry wins over the operator's (--global) for its traffic; allow and deny\n"
    "decide outright, suspect is a signal to the abuse engine. NETWORK: 203.0.113.0/24, "
    "2001:db8::/32 or one address.\n";

static const char model_usage[] =
    "usage: tollgate model list TENANT|--global [--json]\n"
    "       tollgate model activate TENANT|--global VERSION   (roll back or forward)\n";

/* The tenant scope of argv[0] as an SQL parameter: the slug, or NULL for --global. */
static const char *scope(const char *arg)
{
	return strcmp(arg, "--global") == 0 ? NULL : arg;
}

static int list_add(const struct cli_call *c)
{
	const char *note = "", *params[4];
	const struct cli_opt opts[] = {{"note", &note, NULL}};
	char *pos[3];
	struct sql_res *r;
	enum err rc;

	/* --global is a position here, not an option: keep it out of the option parser. */
	if (c->argc >= 1 && strcmp(c->argv[0], "--global") == 0) {
		if (cli_parse_opts(c->argc - 1, c->argv + 1, opts, 1, pos + 1, 2) != 2) {
			fputs(list_usage, stderr);
			return 2;
		}
		pos[0] = c->argv[0];
	} else if (cli_parse_opts(c->argc, c->argv, opts, 1, pos, 3) != 3) {
		fputs(list_usage, stderr);
		return 2;
	}
	if (strcmp(pos[2], "allow") != 0 && strcmp(pos[2], "deny") != 0 &&
	    strcmp(pos[2], "suspect") != 0) {
		fprintf(stderr,
			"tollgate: the verdict must be allow, deny or suspect, not '%.40s'\n",
			pos[2]);
		return 2;
	}
	if (strlen(note) > 200) {
		fputs("tollgate: --note is at most 200 characters\n", stderr);
		return 2;
	}
	params[0] = scope(pos[0]);
	params[1] = pos[1];
	params[2] = pos[2];
	params[3] = note;
	rc = sql_exec(c->db, &r,
		      "INSERT INTO ip_lists (tenant_id, network, verdict, note) "
		      "SELECT t.id, $2::cidr, $3, $4 FROM (SELECT NULL::bigint AS id "
		      "WHERE $1::text IS NULL UNION ALL SELECT id FROM tenants WHERE slug = $1) t "
		      "ON CONFLICT (coalesce(tenant_id, 0), network) "
		      "DO UPDATE SET verdict = EXCLUDED.verdict, note = EXCLUDED.note "
		      "RETURNING id, network",
		      4, params);
	if (rc == ERR_INPUT) {
		fprintf(stderr,
			"tollgate: '%.60s' is not a network (203.0.113.0/24, 2001:db8::/32)\n",
			pos[1]);
		return 2;
	}
	if (rc != ERR_OK) {
		cli_report(c->db, "list entry", rc);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", pos[0]);
		sql_res_free(r);
		return 1;
	}
	printf("%s\n", sql_get(r, 0, 0));
	fprintf(stderr, "%s %s for %s\n", pos[2], sql_get(r, 0, 1),
		params[0] ? params[0] : "every tenant");
	sql_res_free(r);
	return 0;
}

static int list_show(const struct cli_call *c)
{
	static const char *const names[] = {"id", "network", "verdict", "note", "created_at"};
	const char *params[1];
	bool json = c->argc == 2 && strcmp(c->argv[1], "--json") == 0;
	struct sql_res *r;
	int i;

	if (c->argc < 1 || c->argc > 2 || (c->argc == 2 && !json)) {
		fputs(list_usage, stderr);
		return 2;
	}
	params[0] = scope(c->argv[0]);
	if (sql_exec(c->db, &r,
		     "SELECT l.id, l.network::text, l.verdict, l.note, "
		     "to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
		     "FROM ip_lists l LEFT JOIN tenants t ON t.id = l.tenant_id "
		     "WHERE ($1::text IS NULL AND l.tenant_id IS NULL) OR t.slug = $1 "
		     "ORDER BY l.network",
		     1, params) != ERR_OK) {
		cli_report(c->db, "list show", ERR_DB);
		return 1;
	}
	if (json)
		cli_print_json(r, names, "nssss");
	else {
		printf("%-6s %-40s %-8s %s\n", "ID", "NETWORK", "VERDICT", "NOTE");
		for (i = 0; i < sql_rows(r); i++)
			printf("%-6s %-40s %-8s %s\n", sql_get(r, i, 0), sql_get(r, i, 1),
			       sql_get(r, i, 2), sql_get(r, i, 3));
	}
	sql_res_free(r);
	return 0;
}

static int list_remove(const struct cli_call *c)
{
	return cli_revoke(c->db, c->argc, c->argv, list_usage, "list entry",
			  "DELETE FROM ip_lists WHERE id = $1 RETURNING network::text");
}

int cli_list(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"add", list_add, NULL},
	    {"show", list_show, NULL},
	    {"remove", list_remove, NULL},
	};

	return cli_dispatch(cfg, argc, argv, list_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

static int model_list(const struct cli_call *c)
{
	static const char *const names[] = {"version",	   "active",  "trained_at",
					    "labels_used", "metrics", "thresholds"};
	const char *params[1];
	bool json = c->argc == 2 && strcmp(c->argv[1], "--json") == 0;
	struct sql_res *r;
	int i;

	if (c->argc < 1 || c->argc > 2 || (c->argc == 2 && !json)) {
		fputs(model_usage, stderr);
		return 2;
	}
	params[0] = scope(c->argv[0]);
	if (sql_exec(c->db, &r,
		     "SELECT m.version, m.active, "
		     "to_char(m.trained_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		     "m.labels_used, m.metrics::text, "
		     "format('%s/%s/%s', m.t_flag, m.t_throttle, m.t_block) "
		     "FROM abuse_models m LEFT JOIN tenants t ON t.id = m.tenant_id "
		     "WHERE ($1::text IS NULL AND m.tenant_id IS NULL) OR t.slug = $1 "
		     "ORDER BY m.version DESC",
		     1, params) != ERR_OK) {
		cli_report(c->db, "model list", ERR_DB);
		return 1;
	}
	if (json)
		cli_print_json(r, names, "nbsnss");
	else {
		printf("%-8s %-7s %-21s %-7s %s\n", "VERSION", "ACTIVE", "TRAINED", "LABELS",
		       "FLAG/THROTTLE/BLOCK");
		for (i = 0; i < sql_rows(r); i++)
			printf("%-8s %-7s %-21s %-7s %s\n", sql_get(r, i, 0),
			       strcmp(sql_get(r, i, 1), "t") == 0 ? "yes" : "", sql_get(r, i, 2),
			       sql_get(r, i, 3), sql_get(r, i, 5));
	}
	sql_res_free(r);
	return 0;
}

static int model_activate(const struct cli_call *c)
{
	const char *params[2];
	struct sql_res *r;
	int64_t v;
	enum err rc;

	if (c->argc != 2 || str_to_i64(str_c(c->argv[1]), 1, INT32_MAX, &v) != ERR_OK) {
		fputs(model_usage, stderr);
		return 2;
	}
	params[0] = scope(c->argv[0]);
	params[1] = c->argv[1];
	/* The old version off, then the new one on (one active model per scope, checked row
	 * by row), in one transaction: the syncer sees the change once, whole. */
	if ((rc = sql_begin(c->db)) != ERR_OK ||
	    (rc = sql_exec(c->db, &r,
			   "WITH s AS (SELECT (SELECT id FROM tenants WHERE slug = $1) AS tid), "
			   "hit AS (SELECT m.id FROM abuse_models m, s WHERE m.version = $2::int "
			   "AND m.tenant_id IS NOT DISTINCT FROM s.tid "
			   "AND ($1::text IS NULL OR s.tid IS NOT NULL)) "
			   "SELECT count(*) FROM hit",
			   2, params)) != ERR_OK) {
		cli_report(c->db, "model", rc);
		sql_rollback(c->db);
		return 1;
	}
	if (strcmp(sql_get(r, 0, 0), "1") != 0) {
		fprintf(stderr, "tollgate: no model version %s for %s\n", c->argv[1],
			params[0] ? params[0] : "--global");
		sql_res_free(r);
		sql_rollback(c->db);
		return 1;
	}
	sql_res_free(r);
	if ((rc = sql_exec(c->db, NULL,
			   "UPDATE abuse_models m SET active = false "
			   "FROM (SELECT (SELECT id FROM tenants WHERE slug = $1) AS tid) s "
			   "WHERE m.tenant_id IS NOT DISTINCT FROM s.tid AND m.active "
			   "AND m.version <> $2::int",
			   2, params)) != ERR_OK ||
	    (rc = sql_exec(c->db, NULL,
			   "UPDATE abuse_models m SET active = true "
			   "FROM (SELECT (SELECT id FROM tenants WHERE slug = $1) AS tid) s "
			   "WHERE m.tenant_id IS NOT DISTINCT FROM s.tid AND m.version = $2::int",
			   2, params)) != ERR_OK ||
	    (rc = sql_commit(c->db)) != ERR_OK) {
		cli_report(c->db, "model", rc);
		sql_rollback(c->db);
		return 1;
	}
	fprintf(stderr, "model version %s is active for %s\n", c->argv[1],
		params[0] ? params[0] : "every tenant without its own");
	return 0;
}

int cli_model(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"list", model_list, NULL},
	    {"activate", model_activate, NULL},
	};

	return cli_dispatch(cfg, argc, argv, model_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}
