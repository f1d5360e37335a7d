/* Operator commands that change or list PostgreSQL rows: tenants and API keys; and the
 * helpers the other cli_* modules share (connecting, options, error reports). */
#ifndef APP_CLI_H
#define APP_CLI_H

#include <stddef.h>

#include "../../lib/err.h"
#include "../config.h"

struct sql;
struct sql_res;

/* Each takes the arguments after the command word(s) and returns an exit status. */
int cli_tenant(const struct config *cfg, int argc, char **argv);
int cli_key(const struct config *cfg, int argc, char **argv);

/* Connects to TOLLGATE_DATABASE_URL; NULL after saying why on stderr. Free with sql_free. */
struct sql *cli_open_db(const struct config *cfg);

/* One "--name value" option (value set, flag NULL) or "--name" flag (flag set to 1). */
struct cli_opt {
	const char *name;
	const char **value; /* NULL for a flag */
	int *flag;
};

/* Pulls options out of argv; positional arguments go to pos (at most maxpos). Values are
 * borrowed from argv. Returns the number of positional arguments, or -1 after saying on
 * stderr which option was unknown or incomplete. */
int cli_parse_opts(int argc, char **argv, const struct cli_opt *opts, size_t nopts, char **pos,
		   int maxpos);

/* Prints r as a JSON array of objects named by names, one per column in types ('s'
 * string, 'n' number, 'b' boolean; SQL NULL is null), on stdout: for `--json`. */
void cli_print_json(const struct sql_res *r, const char *const *names, const char *types);

/* Explains a failed statement in the operator's terms, on one line of stderr. */
void cli_report(struct sql *db, const char *what, enum err rc);

/* What a verb of `tollgate NOUN VERB ARGS...` gets: the configuration, an open database,
 * and the arguments after the verb. */
/* Checks an --upstream URL (and an --upstream-host) before anything is written: the SSRF
 * rules of app/upstream, in words for the operator. False after printing why. */
bool cli_upstream_ok(const struct config *cfg, const char *url, const char *host_header);

struct cli_call {
	const struct config *cfg;
	struct sql *db;
	int argc;
	char **argv;
};

/* A verb: run gets the database opened for it; alone (when set) opens what it needs. */
struct cli_verb {
	const char *name;
	int (*run)(const struct cli_call *c);
	int (*alone)(const struct config *cfg, int argc, char **argv);
};

/* Runs the verb argv[0] names, or prints usage and returns 2. */
int cli_dispatch(const struct config *cfg, int argc, char **argv, const char *usage,
		 const struct cli_verb *verbs, size_t nverbs);

/* `... revoke ID`: runs update_sql (an UPDATE ... WHERE id = $1 RETURNING prefix) for the
 * one argument, and reports "revoked NOUN ID (PREFIX)" or that there is no such NOUN.
 * Exit status: 0, 1 (no such row, database error) or 2 (usage, printed). */
int cli_revoke(struct sql *db, int argc, char **argv, const char *usage, const char *noun,
	       const char *update_sql);

#endif
