/* `tollgate usage`: what a tenant's keys used in one calendar month (UTC) as the flushers
 * wrote it to PostgreSQL; and `tollgate clock`: the business-clock offset in the running
 * server's shared memory, a facility for tests only. */
#include "cli_usage.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/sql.h"
#include "../../lib/str.h"
#include "../state/state.h"
#include "cli.h"

static const char usage_usage[] =
    "usage: tollgate usage TENANT [--month YYYY-MM]\n"
    "What TENANT's keys used in a calendar month (UTC; default: this one) as flushed to\n"
    "PostgreSQL, and the month's requests against the tenant's current quota.\n";

/* Checks "YYYY-MM" (year 0001-9999, month 01-12) and writes "YYYY-MM-01" to out. */
static bool parse_month(const char *s, char *out, size_t n)
{
	int month;
	size_t i;

	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (i = 0; i < 7; i++)
		if (i != 4 && !(s[i] >= '0' && s[i] <= '9'))
			return false;
	month = (s[5] - '0') * 10 + (s[6] - '0');
	if (month < 1 || month > 12 || memcmp(s, "0000", 4) == 0)
		return false;
	snprintf(out, n, "%.7s-01", s);
	return true;
}

/* Columns 2.. of the per-key query, summed for the TOTAL line; the last is cost_micros. */
#define USAGE_NUMS 7

static void print_usage_row(const char *id, const char *prefix, const int64_t *v)
{
	char cost[32];

	str_fmt_micros(v[USAGE_NUMS - 1], cost, sizeof(cost));
	printf("%-8s %-18s %10lld %10lld %10lld %10lld %10lld %12lld %14s\n", id, prefix,
	       (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3], (long long)v[4],
	       (long long)v[5], cost);
}

int cli_usage_show(const struct config *cfg, int argc, char **argv)
{
	const char *month = NULL;
	const struct cli_opt opts[] = {{"month", &month, NULL}};
	struct sql_res *t = NULL, *r = NULL;
	int64_t total[USAGE_NUMS] = {0};
	const char *params[2];
	char first[16], *pos[1];
	struct sql *db;
	enum err rc;
	int i, j, status = 1;

	if (cli_parse_opts(argc, argv, opts, 1, pos, 1) != 1) {
		fputs(usage_usage, stderr);
		return 2;
	}
	if (month != NULL && !parse_month(month, first, sizeof(first))) {
		fprintf(stderr,
			"tollgate: --month: expected YYYY-MM with a month from 01 to 12, "
			"not '%.40s'\n%s",
			month, usage_usage);
		return 2;
	}
	if ((db = cli_open_db(cfg)) == NULL)
		return 1;
	params[0] = pos[0];
	params[1] = month != NULL ? first : NULL;
	rc = sql_exec(db, &t,
		      "SELECT t.id, to_char(m.month, 'YYYY-MM'), to_char(m.month, 'YYYY-MM-DD'), "
		      "coalesce(um.requests, 0), l.monthly_requests "
		      "FROM tenants t JOIN tenant_limits l ON l.tenant_id = t.id "
		      "CROSS JOIN (SELECT coalesce($2::date, "
		      "date_trunc('month', now() AT TIME ZONE 'UTC')::date) AS month) m "
		      "LEFT JOIN usage_tenant_monthly um "
		      "ON um.tenant_id = t.id AND um.month = m.month "
		      "WHERE t.slug = $1",
		      2, params);
	if (rc != ERR_OK) {
		cli_report(db, "usage", rc);
		goto out;
	}
	if (sql_rows(t) != 1) {
		fprintf(stderr, "tollgate: no tenant '%.80s'\n", pos[0]);
		goto out;
	}
	params[0] = sql_get(t, 0, 0);
	params[1] = sql_get(t, 0, 2);
	rc = sql_exec(db, &r,
		      "SELECT u.key_id, coalesce(k.prefix, '-'), u.requests, u.status_2xx, "
		      "u.status_3xx, u.status_4xx, u.status_5xx, u.tokens, u.cost_micros "
		      "FROM usage_monthly u LEFT JOIN api_keys k ON k.id = u.key_id "
		      "WHERE u.tenant_id = $1 AND u.month = $2::date ORDER BY u.key_id",
		      2, params);
	if (rc != ERR_OK) {
		cli_report(db, "usage", rc);
		goto out;
	}
	fprintf(stderr, "usage of %s in %s (UTC)\n", pos[0], sql_get(t, 0, 1));
	printf("%-8s %-18s %10s %10s %10s %10s %10s %12s %14s\n", "KEY_ID", "PREFIX", "REQUESTS",
	       "2XX", "3XX", "4XX", "5XX", "TOKENS", "COST_USD");
	for (i = 0; i < sql_rows(r); i++) {
		int64_t v[USAGE_NUMS];

		for (j = 0; j < USAGE_NUMS; j++) {
			v[j] = sql_get_i64(r, i, 2 + j);
			total[j] += v[j];
		}
		print_usage_row(sql_get(r, i, 0), sql_get(r, i, 1), v);
	}
	print_usage_row("TOTAL", "", total);
	printf("quota: %s of %s\n", sql_get(t, 0, 3),
	       sql_is_null(t, 0, 4) ? "unlimited" : sql_get(t, 0, 4));
	status = 0;
out:
	sql_res_free(r);
	sql_res_free(t);
	sql_free(db);
	return status;
}

static const char clock_usage[] =
    "usage: tollgate clock show\n"
    "       tollgate clock shift DURATION   add to the offset: +31d, -2h, 15m, 90s\n"
    "       tollgate clock set TIME         make the clock read TIME now: 2026-12-01T00:00:00Z\n"
    "       tollgate clock reset            back to real time\n"
    "For tests only. Moves the business clock (monthly quota periods, usage hours, key\n"
    "expiry) of the server using TOLLGATE_SHM_PATH, which must have been started with\n"
    "TOLLGATE_ALLOW_CLOCK_SHIFT=true; its gate reads the offset on every request.\n";

/* An offset beyond a century is a typo, and keeps every sum far from overflow. */
#define CLOCK_MAX_MS (100LL * 366 * 86400000)

enum clock_op { CLOCK_SHOW, CLOCK_SHIFT, CLOCK_SET, CLOCK_RESET, CLOCK__MAX };

/* "+31d", "-2h", "15m", "90s": a signed whole amount with its unit, as milliseconds. */
static WUR enum err parse_shift(const char *s, int64_t *out)
{
	static const char units[] = "smhd";
	static const int64_t mult[] = {1000, 60000, 3600000, 86400000};
	struct str t = str_c(s);
	const char *u;
	bool neg = false;
	int64_t n;

	*out = 0;
	if (t.len > 0 && (t.p[0] == '+' || t.p[0] == '-')) {
		neg = t.p[0] == '-';
		t.p++;
		t.len--;
	}
	if (t.len < 2 || t.p[0] == '-' || t.p[t.len - 1] == '\0')
		return ERR_INPUT;
	u = strchr(units, t.p[t.len - 1]);
	if (u == NULL)
		return ERR_INPUT;
	t.len--;
	if (str_to_i64(t, 0, CLOCK_MAX_MS / mult[u - units], &n) != ERR_OK)
		return ERR_INPUT;
	*out = (neg ? -n : n) * mult[u - units];
	return ERR_OK;
}

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/* An RFC 3339 time in UTC, to the second: "2026-12-01T00:00:00Z", as unix milliseconds. */
static WUR enum err parse_time(const char *s, int64_t *out)
{
	static const int at[6] = {0, 5, 8, 11, 14, 17}, width[6] = {4, 2, 2, 2, 2, 2};
	int v[6], i, j;
	struct tm tm;

	*out = 0;
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':' || (s[19] != 'Z' && s[19] != 'z'))
		return ERR_INPUT;
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (j = 0; j < width[i]; j++) {
			char c = s[at[i] + j];

			if (c < '0' || c > '9')
				return ERR_INPUT;
			v[i] = v[i] * 10 + (c - '0');
		}
	}
	if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]) ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return ERR_INPUT;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*out = (int64_t)timegm(&tm) * 1000;
	return ERR_OK;
}

static void fmt_time(int64_t ms, char *out, size_t n)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whole seconds when exact, else with milliseconds; always signed. */
static void fmt_offset(int64_t ms, char *out, size_t n)
{
	long long a = llabs((long long)ms);

	if (a % 1000 == 0)
		snprintf(out, n, "%c%lld", ms < 0 ? '-' : '+', a / 1000);
	else
		snprintf(out, n, "%c%lld.%03lld", ms < 0 ? '-' : '+', a / 1000, a % 1000);
}

static void clock_print(int64_t offset_ms)
{
	int64_t now = state_now_ms();
	char off[32], clock[32], real[32];

	fmt_offset(offset_ms, off, sizeof(off));
	fmt_time(now + offset_ms, clock, sizeof(clock));
	fmt_time(now, real, sizeof(real));
	printf("offset  %s s\nclock   %s\nreal    %s\n", off, clock, real);
}

int cli_usage_clock(const struct config *cfg, int argc, char **argv)
{
	enum clock_op op = CLOCK__MAX;
	int64_t arg = 0, offset;
	char msg[512], off[32];
	struct state st;

	if (argc == 1 && strcmp(argv[0], "show") == 0)
		op = CLOCK_SHOW;
	else if (argc == 1 && strcmp(argv[0], "reset") == 0)
		op = CLOCK_RESET;
	else if (argc == 2 && strcmp(argv[0], "shift") == 0)
		op = CLOCK_SHIFT;
	else if (argc == 2 && strcmp(argv[0], "set") == 0)
		op = CLOCK_SET;
	if (op == CLOCK__MAX) {
		fputs(clock_usage, stderr);
		return 2;
	}
	if (op == CLOCK_SHIFT && parse_shift(argv[1], &arg) != ERR_OK) {
		fprintf(stderr,
			"tollgate: clock shift: expected a whole amount with a unit s, m, h or d "
			"(+31d, -2h, 90s) within 100 years, not '%.40s'\n%s",
			argv[1], clock_usage);
		return 2;
	}
	if (op == CLOCK_SET) {
		if (parse_time(argv[1], &arg) != ERR_OK) {
			fprintf(stderr,
				"tollgate: clock set: expected a UTC time like "
				"2026-12-01T00:00:00Z, not '%.40s'\n%s",
				argv[1], clock_usage);
			return 2;
		}
		arg -= state_now_ms();
		if (llabs((long long)arg) > CLOCK_MAX_MS) {
			fprintf(stderr, "tollgate: clock set: %s is more than 100 years away\n",
				argv[1]);
			return 2;
		}
	}
	if (state_attach(&st, cfg->shm_path, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr,
			"tollgate: %s (is `tollgate serve` running with this "
			"TOLLGATE_SHM_PATH?)\n",
			msg);
		return 1;
	}
	if (atomic_load(&st.hdr->clock_shift_allowed) != 1) {
		fprintf(
		    stderr,
		    "tollgate: the server was not started with TOLLGATE_ALLOW_CLOCK_SHIFT=true\n");
		state_close(&st);
		return 1;
	}
	switch (op) {
	case CLOCK_SHOW:
		offset = atomic_load(&st.hdr->clock_offset_ms);
		break;
	case CLOCK_SHIFT:
		/* Adds even if another `clock shift` runs at the same moment. */
		offset = atomic_load(&st.hdr->clock_offset_ms);
		do {
			if (llabs((long long)(offset + arg)) > CLOCK_MAX_MS) {
				fprintf(stderr, "tollgate: clock shift: the offset would pass 100 "
						"years\n");
				state_close(&st);
				return 1;
			}
		} while (
		    !atomic_compare_exchange_weak(&st.hdr->clock_offset_ms, &offset, offset + arg));
		offset += arg;
		break;
	case CLOCK_SET:
		offset = arg;
		atomic_store(&st.hdr->clock_offset_ms, offset);
		break;
	case CLOCK_RESET:
	case CLOCK__MAX:
		offset = 0;
		atomic_store(&st.hdr->clock_offset_ms, offset);
		break;
	}
	state_close(&st);
	if (op != CLOCK_SHOW) {
		fmt_offset(offset, off, sizeof(off));
		fprintf(stderr, "business clock offset is now %s s\n", off);
	}
	clock_print(offset);
	return 0;
}
