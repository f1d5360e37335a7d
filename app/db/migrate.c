/* Ordered, checksummed, transactional schema migrations. */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cryptox.h"
#include "../../lib/log.h"
#include "../../lib/sql.h"
#include "../../lib/str.h"

#define MAX_FILE (4 * 1024 * 1024)

/* Serialises concurrent `tollgate migrate` runs (two nodes starting together). */
static const char lock_sql[] = "SELECT pg_advisory_lock(7464617465)";
static const char unlock_sql[] = "SELECT pg_advisory_unlock(7464617465)";

static const char bootstrap_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
				    " version text PRIMARY KEY,"
				    " name text NOT NULL,"
				    " checksum text NOT NULL,"
				    " applied_at timestamptz NOT NULL DEFAULT now())";

/* "0001_init.sql": four digits, '_', [a-z0-9_]+, ".sql". */
static bool is_migration_name(const char *n)
{
	size_t len = strlen(n), i;

	if (len < 10 || strcmp(n + len - 4, ".sql") != 0 || n[4] != '_')
		return false;
	for (i = 0; i < 4; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	for (i = 5; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return false;
	return true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;

	*len = 0;
	if (f == NULL)
		return NULL;
	p = malloc(MAX_FILE + 1);
	if (p == NULL)
		abort();
	*len = fread(p, 1, MAX_FILE + 1, f);
	fclose(f);
	if (*len > MAX_FILE) {
		free(p);
		return NULL;
	}
	p[*len] = '\0';
	return p;
}

static enum err list_files(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	enum err rc = ERR_OK;

	*names = NULL;
	*n = 0;
	if (d == NULL) {
		log_errorx("cannot open migrations folder %s: %s", dir, strerror(errno));
		return ERR_INPUT;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char **grown;

		if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		if (!is_migration_name(e->d_name)) {
			log_errorx("%s/%s: migration names are NNNN_lowercase_words.sql", dir,
				   e->d_name);
			rc = ERR_INPUT;
			continue;
		}
		grown = realloc(*names, (*n + 1) * sizeof(*grown));
		if (grown == NULL)
			abort();
		*names = grown;
		(*names)[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(*names, *n, sizeof(**names), cmp_names);
	return rc;
}

static enum err apply_one(struct sql *db, const char *dir, const char *name, struct sql_res *done,
			  FILE *out, size_t *applied)
{
	char path[4096], sum[65], version[5];
	const char *params[3];
	enum err rc = ERR_OK;
	size_t len;
	char *text;
	int i;

	snprintf(version, sizeof(version), "%.4s", name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = read_file(path, &len);
	if (text == NULL) {
		log_errorx("cannot read %s (missing or over %d bytes)", path, MAX_FILE);
		return ERR_INPUT;
	}
	cryptox_sha256_hex(text, len, sum);
	for (i = 0; i < sql_rows(done); i++) {
		if (strcmp(sql_get(done, i, 0), version) != 0)
			continue;
		if (strcmp(sql_get(done, i, 1), sum) != 0) {
			log_errorx("%s was changed after it was applied (recorded sha256 %.12s…, "
				   "file %.12s…); write a new migration instead",
				   name, sql_get(done, i, 1), sum);
			rc = ERR_CONFLICT;
		}
		goto out;
	}
	params[0] = version;
	params[1] = name;
	params[2] = sum;
	if ((rc = sql_begin(db)) != ERR_OK || (rc = sql_script(db, text)) != ERR_OK ||
	    (rc = sql_exec(db, NULL,
			   "INSERT INTO schema_migrations (version, name, checksum) "
			   "VALUES ($1, $2, $3)",
			   3, params)) != ERR_OK ||
	    (rc = sql_commit(db)) != ERR_OK) {
		log_errorx("%s failed and was rolled back: %s", name, sql_errmsg(db));
		sql_rollback(db);
		rc = ERR_DB;
		goto out;
	}
	fprintf(out, "applied %s\n", name);
	(*applied)++;
out:
	free(text);
	return rc;
}

enum err migrate_run(struct sql *db, const char *dir, FILE *out)
{
	struct sql_res *done = NULL;
	char **names = NULL;
	size_t n = 0, i, applied = 0;
	enum err rc;

	if ((rc = list_files(dir, &names, &n)) != ERR_OK)
		goto out;
	if ((rc = sql_exec(db, NULL, lock_sql, 0, NULL)) != ERR_OK) {
		log_errorx("cannot take the migration lock: %s", sql_errmsg(db));
		goto out;
	}
	if ((rc = sql_script(db, bootstrap_sql)) != ERR_OK ||
	    (rc = sql_exec(db, &done, "SELECT version, checksum FROM schema_migrations", 0,
			   NULL)) != ERR_OK) {
		log_errorx("cannot read schema_migrations: %s", sql_errmsg(db));
		goto unlock;
	}
	for (i = 0; i < n && rc == ERR_OK; i++)
		rc = apply_one(db, dir, names[i], done, out, &applied);
	if (rc == ERR_OK && applied == 0)
		fprintf(out, "schema is up to date (%zu migrations)\n", n);
unlock:
	if (sql_exec(db, NULL, unlock_sql, 0, NULL) != ERR_OK)
		log_warnx("could not release the migration lock: %s", sql_errmsg(db));
out:
	sql_res_free(done);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
