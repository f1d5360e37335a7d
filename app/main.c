/* The tollgate command: serve, migrate, tenant, key and plan administration, usage reports,
 * the test clock, check, help. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/sql.h"
#include "cli/cli.h"
#include "cli/cli_ai.h"
#include "cli/cli_train.h"
#include "cli/cli_limits.h"
#include "cli/cli_abuse.h"
#include "cli/cli_admin.h"
#include "cli/cli_billing.h"
#include "cli/cli_tokens.h"
#include "cli/cli_usage.h"
#include "config.h"
#include "db/migrate.h"
#include "serve/keeper.h"
#include "serve/master.h"

#ifndef TOLLGATE_VERSION
#define TOLLGATE_VERSION "0.0.0-dev"
#endif

static const char usage[] =
    "usage: tollgate COMMAND [ARGS]\n"
    "\n"
    "  serve                       run the gateway's workers: holds the sockets, runs the\n"
    "                              master (gate and console pools, syncer, flusher,\n"
    "                              collector); SIGHUP reloads, SIGUSR2 replaces the master\n"
    "                              with the program file as it is now, SIGTERM stops\n"
    "  migrate                     apply pending migrations from TOLLGATE_MIGRATIONS_DIR\n"
    "  tenant create SLUG [--name NAME] [--plan PLAN] [--upstream http://HOST:PORT]\n"
    "  tenant list [--json]\n"
    "  tenant show SLUG            plan, status, upstream, limits, this month's requests\n"
    "  tenant set SLUG [--plan ID] [--status active|suspended] [--name NAME]\n"
    "      [--abuse-mode off|shadow|enforce]\n"
    "      [--upstream http://HOST:PORT] [--monthly N|unlimited|plan] [--max-body SIZE|plan]\n"
    "      [--key-rps|--key-burst|--key-rpm|--rps|--burst|--rpm N|plan]\n"
    "  key create TENANT [--name NAME] [--test]   print a new API key (shown once)\n"
    "  key list TENANT [--json]\n"
    "  key revoke KEY_ID|KEY        by id, or by the key itself\n"
    "  key set KEY_ID [--rps N|tenant] [--burst N|tenant] [--rpm N|tenant]\n"
    "  token create TENANT [--name NAME]   print a new management token (shown once)\n"
    "  token list TENANT | token revoke TOKEN_ID\n"
    "  admin create EMAIL          an operator of the admin pages (password on stdin)\n"
    "  admin list [--json] | admin remove EMAIL\n"
    "  list add TENANT|--global NETWORK allow|deny|suspect [--note TEXT]\n"
    "  list show TENANT|--global [--json] | list remove ENTRY_ID\n"
    "  model list TENANT|--global [--json]\n"
    "  model activate TENANT|--global VERSION   roll the abuse model back (or forward)\n"
    "  plan list\n"
    "  plan create ID --name NAME [--price-cents N] [--monthly N|unlimited]\n"
    "      [--key-rps N] [--key-burst N] [--key-rpm N] [--rps N] [--burst N] [--rpm N]\n"
    "      [--max-body SIZE]       --key-*: each key's default; --rps...: the whole tenant\n"
    "  plan set ID [OPTIONS]       the options of plan create, and\n"
    "      [--stripe-price price_...|none] [--stripe-metered-price price_...|none]\n"
    "      [--overage on|off]      what Stripe sells the plan at (docs/billing.md)\n"
    "  billing reconcile --month YYYY-MM [--json]   usage vs what Stripe's meter holds\n"
    "  ai price set MODEL --input MICROS --output MICROS   the price list AI calls are\n"
    "                              metered at: millionths per million tokens\n"
    "  ai price list [--json] | ai price remove MODEL\n"
    "  ai show TENANT              AI prefix, budgets, providers (no keys), aliases\n"
    "  usage TENANT [--month YYYY-MM]   a UTC month's usage per key, and the quota\n"
    "  train TENANT|--global [--min-labels N]   train the abuse model from labels\n"
    "  clock show|reset|shift +31d|set 2026-12-01T00:00:00Z\n"
    "                              tests only: move a running server's business clock\n"
    "                              (it must run with TOLLGATE_ALLOW_CLOCK_SHIFT=true)\n"
    "  check [--offline]           validate the configuration (and reach PostgreSQL)\n"
    "  help [config [--markdown]]  this text, or every TOLLGATE_* setting\n"
    "  version\n"
    "\n"
    "Configuration comes from TOLLGATE_* environment variables; see `tollgate help config`.\n"
    "`tollgate help COMMAND` or `tollgate COMMAND --help` shows one command.\n"
    "Exit status: 0 done; 1 failed (no such tenant or key, a database error: stderr says\n"
    "which); 2 usage or invalid input (nothing was changed).\n";

static int cmd_migrate(const struct config *cfg)
{
	struct sql *db;
	char msg[512];
	enum err rc;

	if (sql_connect(cfg->database_url, &db, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "tollgate: cannot connect to PostgreSQL: %s\n", msg);
		return 1;
	}
	rc = migrate_run(db, cfg->migrations_dir, stdout);
	sql_free(db);
	return rc == ERR_OK ? 0 : 1;
}

/* Checks what `serve` will need, and says every problem, not just the first. */
static int cmd_check(const struct config *cfg, int argc, char **argv)
{
	bool offline = argc > 0 && strcmp(argv[0], "--offline") == 0;
	char msg[512], dir[4096];
	struct stat st;
	struct sql *db;
	int problems = 0;
	char *slash;

	config_print_values(cfg, stdout);
	if (config_require_secret(cfg, msg, sizeof(msg)) != ERR_OK) {
		printf("error: %s\n", msg);
		problems++;
	}
	{
		const struct {
			const char *name, *path;
		} files[] = {{"TOLLGATE_SOCKET", cfg->socket},
			     {"TOLLGATE_CONSOLE_SOCKET", cfg->console_socket},
			     {"TOLLGATE_AI_SOCKET", cfg->ai_socket},
			     {"TOLLGATE_ACCESS_LOG", cfg->access_log},
			     {"TOLLGATE_SHM_PATH", cfg->shm_path}};
		size_t i;

		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(dir, sizeof(dir), "%s", files[i].path);
			slash = strrchr(dir, '/');
			if (slash == NULL)
				snprintf(dir, sizeof(dir), ".");
			else
				*slash = '\0';
			if (stat(dir[0] ? dir : "/", &st) < 0 || !S_ISDIR(st.st_mode) ||
			    access(dir[0] ? dir : "/", W_OK) < 0) {
				printf("error: %s: folder %s does not exist or is not writable\n",
				       files[i].name, dir);
				problems++;
			}
		}
	}
	if (stat(cfg->migrations_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("error: TOLLGATE_MIGRATIONS_DIR: %s is not a folder\n", cfg->migrations_dir);
		problems++;
	}
	if (!offline) {
		if (sql_connect(cfg->database_url, &db, msg, sizeof(msg)) != ERR_OK) {
			printf("error: TOLLGATE_DATABASE_URL: cannot connect: %s\n", msg);
			problems++;
		} else {
			sql_free(db);
		}
	}
	printf("%s\n", problems ? "configuration has problems" : "configuration OK");
	return problems ? 1 : 0;
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* `tollgate COMMAND --help`: the lines of the usage text about COMMAND (a line that starts
 * with it, and the lines indented under it), or all of it for a command it does not name. */
static void command_help(const char *command)
{
	const char *line = usage, *end;
	size_t n = strlen(command);
	bool in = false, any = false;

	for (; *line != '\0'; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (strncmp(line, "  ", 2) == 0 && line[2] != ' ')
			in = strncmp(line + 2, command, n) == 0 &&
			     (line[2 + n] == ' ' || line + 2 + n == end);
		else if (strncmp(line, "  ", 2) != 0)
			in = false;
		if (!in)
			continue;
		printf("%s%.*s\n", any ? "" : "usage: tollgate\n", (int)(end - line), line);
		any = true;
	}
	if (!any)
		fputs(usage, stdout);
	else
		printf("\nConfiguration comes from TOLLGATE_* environment variables; see "
		       "`tollgate help config`.\n");
}

int main(int argc, char **argv)
{
	struct config *cfg;
	char msg[512];
	int i, rc;

	/* Help is printed and nothing else happens, whatever the command and its other
	 * arguments: `serve --help` must never start a server. */
	for (i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			command_help(argv[1]);
			return 0;
		}
	}
	if (argc < 2 || strcmp(argv[1], "help") == 0 || is_help(argv[1])) {
		if (argc >= 3 && strcmp(argv[2], "config") == 0) {
			config_print_help(stdout, argc >= 4 && strcmp(argv[3], "--markdown") == 0);
			return 0;
		}
		if (argc >= 3 && strcmp(argv[1], "help") == 0) {
			command_help(argv[2]); /* `tollgate help key`: that command's lines */
			return 0;
		}
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("tollgate %s\n", TOLLGATE_VERSION);
		return 0;
	}
	cfg = malloc(sizeof(*cfg));
	if (cfg == NULL)
		abort();
	if (config_load(cfg, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "tollgate: configuration: %s\n", msg);
		free(cfg);
		return 2;
	}
	log_init("tollgate", (enum log_level)cfg->log_level_num);
	if (strcmp(argv[1], "serve") == 0) {
		if (argc == 3 && strcmp(argv[2], "--master") == 0)
			return master_run(cfg); /* takes cfg */
		if (argc == 2)
			return keeper_run(cfg); /* takes cfg */
		fprintf(stderr, "tollgate: serve takes no arguments\n\n");
		command_help("serve");
		config_free(cfg);
		free(cfg);
		return 2;
	}
	if (strcmp(argv[1], "migrate") == 0)
		rc = cmd_migrate(cfg);
	else if (strcmp(argv[1], "tenant") == 0)
		rc = cli_tenant(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "key") == 0)
		rc = cli_key(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "token") == 0)
		rc = cli_tokens(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "admin") == 0)
		rc = cli_admin(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "list") == 0)
		rc = cli_list(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "model") == 0)
		rc = cli_model(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "plan") == 0)
		rc = cli_limits_plan(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "ai") == 0)
		rc = cli_ai(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "billing") == 0)
		rc = cli_billing(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "usage") == 0)
		rc = cli_usage_show(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "clock") == 0)
		rc = cli_usage_clock(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "train") == 0)
		rc = cli_train(cfg, argc - 2, argv + 2);
	else if (strcmp(argv[1], "check") == 0)
		rc = cmd_check(cfg, argc - 2, argv + 2);
	else {
		fprintf(stderr, "tollgate: unknown command '%s'\n\n%s", argv[1], usage);
		rc = 2;
	}
	config_free(cfg);
	free(cfg);
	return rc;
}
