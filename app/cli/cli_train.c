/* `tollgate train TENANT | --global [--min-labels N]`. */
#include "cli_train.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../abuse/trainer.h"
#include "cli.h"

static const char train_usage[] =
    "usage: tollgate train TENANT [--min-labels N]   a tenant's model, from its labels\n"
    "       tollgate train --global [--min-labels N] the global model, from every label\n";

int cli_train(const struct config *cfg, int argc, char **argv)
{
	const char *min = NULL;
	int global = 0;
	const struct cli_opt opts[] = {{"min-labels", &min, NULL}, {"global", NULL, &global}};
	int64_t tenant_id = 0, min_labels = 10;
	struct train_report rep;
	struct sql *db;
	char *pos[1];
	int npos = cli_parse_opts(argc, argv, opts, 2, pos, 1);
	enum err rc;

	if (npos < 0 || (npos == 1) == (global != 0) ||
	    (min != NULL && str_to_i64(str_c(min), 1, 1000000, &min_labels) != ERR_OK)) {
		fputs(train_usage, stderr);
		return 2;
	}
	db = cli_open_db(cfg);
	if (db == NULL)
		return 1;
	if (npos == 1) {
		const char *p[] = {pos[0]};
		struct sql_res *r;

		if (sql_exec(db, &r, "SELECT id FROM tenants WHERE slug = $1", 1, p) != ERR_OK ||
		    sql_rows(r) != 1) {
			fprintf(stderr, "tollgate: no tenant '%s'\n", pos[0]);
			sql_res_free(r);
			sql_free(db);
			return 1;
		}
		tenant_id = sql_get_i64(r, 0, 0);
		sql_res_free(r);
	}
	rc = trainer_run(db, tenant_id, (int)min_labels, &rep);
	if (rc == ERR_INPUT) {
		fprintf(stderr, "tollgate: not trained: %s\n", rep.why);
		sql_free(db);
		return 1;
	}
	if (rc != ERR_OK) {
		fprintf(stderr, "tollgate: training failed: %s\n", sql_errmsg(db));
		sql_free(db);
		return 1;
	}
	printf("version %d %s\n", rep.version,
	       rep.activated ? "activated" : "stored, not activated");
	printf("labels %d (train %d, validation %d: %d abuse, %d benign)\n", rep.labels,
	       rep.train_n, rep.valid_n, rep.valid_abuse, rep.valid_benign);
	printf("validation: recall %.3f -> %.3f, false-positive rate %.3f -> %.3f, precision "
	       "%.3f -> %.3f, threshold %.3f\n",
	       (double)rep.recall_old, (double)rep.recall_new, (double)rep.fpr_old,
	       (double)rep.fpr_new, (double)rep.precision_old, (double)rep.precision_new,
	       (double)rep.threshold);
	printf("unlabelled: %d recent clients nobody labelled; the new model would refuse %d of "
	       "them, %d that the model in use lets through\n",
	       rep.unlabelled, rep.unlabelled_new, rep.unlabelled_newly);
	if (rep.contradicted_mask != 0) {
		printf("contradicted by your labels, so no longer deciding alone:");
		for (int r = 0, n = 0; r < RULE__MAX; r++)
			if (rep.contradicted_mask & (1u << r))
				printf("%s %s", n++ ? "," : "", abuse_rule_name(r));
		printf("\n");
	}
	printf("%s\n", rep.why);
	sql_free(db);
	return 0;
}
