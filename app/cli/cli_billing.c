/* Billing from the command line: the monthly reconciliation. */
#include "cli_billing.h"

#include <stdio.h>
#include <string.h>

#include "../../lib/http.h"
#include "../../lib/sql.h"
#include "../billing/reconcile.h"
#include "../billing/stripe.h"
#include "cli.h"

static const char billing_usage[] =
    "usage: tollgate billing reconcile --month YYYY-MM [--json]\n"
    "Compares, per Stripe customer, the month's requests in PostgreSQL, what was queued and\n"
    "reported to Stripe's meter, and what the meter holds (TOLLGATE_STRIPE_METER_ID), and\n"
    "prints each difference. Exit status: 0 no difference, 1 differences (or a failure),\n"
    "2 usage.\n";

static void print_table(const struct reconcile *r)
{
	int i;

	printf("%-20s %-24s %12s %12s %12s %12s\n", "TENANT", "CUSTOMER", "USAGE", "QUEUED",
	       "REPORTED", "STRIPE");
	for (i = 0; i < r->n; i++) {
		const struct reconcile_row *row = &r->rows[i];
		char stripe[24];

		if (row->stripe >= 0)
			snprintf(stripe, sizeof(stripe), "%lld", (long long)row->stripe);
		else
			snprintf(stripe, sizeof(stripe), "?");
		printf("%-20s %-24s %12lld %12lld %12lld %12s\n", row->slug, row->customer,
		       (long long)row->usage, (long long)row->queued, (long long)row->reported,
		       stripe);
		if (row->note[0] != '\0')
			printf("  difference: %s\n", row->note);
	}
	printf("%s: %d customers, %d differences\n", r->month, r->n, r->differences);
}

static int reconcile(const struct config *cfg, int argc, char **argv)
{
	const char *month = NULL;
	int json = 0;
	const struct cli_opt opts[] = {{"month", &month, NULL}, {"json", NULL, &json}};
	struct http *h = NULL;
	struct reconcile r;
	struct sql *db;
	struct buf out;
	char msg[256];
	enum err e;

	if (cli_parse_opts(argc, argv, opts, 2, NULL, 0) != 0 || month == NULL) {
		fputs(billing_usage, stderr);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	if (stripe_enabled(cfg)) {
		if (http_init() != ERR_OK) {
			fputs("tollgate: libcurl would not start\n", stderr);
			sql_free(db);
			return 1;
		}
		h = http_new();
	}
	e = reconcile_run(db, h, cfg, month, &r, msg, sizeof(msg));
	http_free(h);
	if (h != NULL)
		http_cleanup();
	sql_free(db);
	if (e != ERR_OK) {
		fprintf(stderr, "tollgate: billing reconcile: %s\n", msg);
		return e == ERR_INPUT ? 2 : 1;
	}
	if (json) {
		buf_init(&out, 0);
		reconcile_json(&r, &out);
		puts(out.p);
		buf_free(&out);
	} else
		print_table(&r);
	if (!stripe_enabled(cfg))
		fputs(
		    "tollgate: TOLLGATE_STRIPE_API_KEY is not set: Stripe's totals were not read\n",
		    stderr);
	e = r.differences == 0 ? ERR_OK : ERR_CONFLICT;
	reconcile_free(&r);
	return e == ERR_OK ? 0 : 1;
}

int cli_billing(const struct config *cfg, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "reconcile") == 0)
		return reconcile(cfg, argc - 1, argv + 1);
	fputs(billing_usage, stderr);
	return 2;
}
