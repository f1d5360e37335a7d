/* `tollgate migrate`: applies migrations/NNNN_name.sql in order, each in a transaction,
 * recording it in schema_migrations with a checksum; a changed applied file is refused. */
#ifndef APP_MIGRATE_H
#define APP_MIGRATE_H

#include <stdio.h>

#include "../../lib/err.h"

struct sql;

/* Applies what is pending from dir; reports on out. ERR_CONFLICT when an applied file
 * changed, ERR_INPUT for a badly named file, ERR_DB when a migration fails (it is rolled
 * back and nothing after it runs). */
enum err migrate_run(struct sql *db, const char *dir, FILE *out) WUR;

#endif
