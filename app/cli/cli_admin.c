/* Operator accounts: create (the password read from stdin, never from the command line,
 * where ps would show it), list, remove. */
#include "cli_admin.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/sql.h"
#include "cli.h"

static const char admin_usage[] =
    "usage: tollgate admin create EMAIL     (reads the password, 10+ characters, on stdin)\n"
    "       tollgate admin list [--json]\n"
    "       tollgate admin remove EMAIL\n"
    "Operators sign in to the admin pages (/admin/ on the console site).\n";

static int admin_create(const struct cli_call *c)
{
	char password[1100], hash[CRYPTOX_PWHASH_LEN];
	const char *params[2];
	size_t n;
	enum err rc;

	if (c->argc != 1 || strchr(c->argv[0], '@') == NULL) {
		fputs(admin_usage, stderr);
		return 2;
	}
	if (fgets(password, sizeof(password), stdin) == NULL) {
		fputs("tollgate: no password on stdin\n", stderr);
		return 2;
	}
	n = strcspn(password, "\r\n");
	password[n] = '\0';
	if (n < 10 || n > 1024) {
		fputs("tollgate: the password must be 10 to 1024 characters\n", stderr);
		cryptox_wipe(password, sizeof(password));
		return 2;
	}
	if (cryptox_init() != ERR_OK || cryptox_pwhash(password, n, hash) != ERR_OK) {
		fputs("tollgate: could not hash the password\n", stderr);
		cryptox_wipe(password, sizeof(password));
		return 1;
	}
	cryptox_wipe(password, sizeof(password));
	params[0] = c->argv[0];
	params[1] = hash;
	rc = sql_exec(
	    c->db, NULL,
	    "INSERT INTO operators (email, password_hash) VALUES ($1, $2) "
	    "ON CONFLICT (lower(email)) DO UPDATE SET password_hash = EXCLUDED.password_hash",
	    2, params);
	if (rc != ERR_OK) {
		cli_report(c->db, "operator", rc);
		return 1;
	}
	fprintf(stderr, "operator %s can sign in at /admin/login\n", c->argv[0]);
	return 0;
}

static int admin_list(const struct cli_call *c)
{
	struct sql_res *r;
	bool json = c->argc == 1 && strcmp(c->argv[0], "--json") == 0;
	int i;

	if (c->argc > 1 || (c->argc == 1 && !json)) {
		fputs(admin_usage, stderr);
		return 2;
	}
	if (sql_exec(c->db, &r,
		     "SELECT id, email, to_char(created_at AT TIME ZONE 'UTC', "
		     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(last_login_at AT TIME ZONE "
		     "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM operators ORDER BY id",
		     0, NULL) != ERR_OK) {
		cli_report(c->db, "operator list", ERR_DB);
		return 1;
	}
	if (json) {
		static const char *const names[] = {"id", "email", "created_at", "last_login_at"};

		cli_print_json(r, names, "nsss");
	} else {
		printf("%-6s %-40s %-22s %s\n", "ID", "EMAIL", "CREATED", "LAST LOGIN");
		for (i = 0; i < sql_rows(r); i++)
			printf("%-6s %-40s %-22s %s\n", sql_get(r, i, 0), sql_get(r, i, 1),
			       sql_get(r, i, 2), sql_is_null(r, i, 3) ? "-" : sql_get(r, i, 3));
	}
	sql_res_free(r);
	return 0;
}

static int admin_remove(const struct cli_call *c)
{
	struct sql_res *r;
	const char *params[1];

	if (c->argc != 1) {
		fputs(admin_usage, stderr);
		return 2;
	}
	params[0] = c->argv[0];
	if (sql_exec(c->db, &r, "DELETE FROM operators WHERE lower(email) = lower($1) RETURNING id",
		     1, params) != ERR_OK) {
		cli_report(c->db, "operator", ERR_DB);
		return 1;
	}
	if (sql_rows(r) != 1) {
		fprintf(stderr, "tollgate: no operator '%.80s'\n", c->argv[0]);
		sql_res_free(r);
		return 1;
	}
	sql_res_free(r);
	return 0;
}

int cli_admin(const struct config *cfg, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"create", admin_create, NULL},
	    {"list", admin_list, NULL},
	    {"remove", admin_remove, NULL},
	};

	return cli_dispatch(cfg, argc, argv, admin_usage, verbs, sizeof(verbs) / sizeof(verbs[0]));
}
