/* The outbox children's loop. */
#include "outbox.h"

#include "../../lib/log.h"

int outbox_run(struct app *app, volatile sig_atomic_t *stop, const char *name,
	       int64_t (*round)(struct outbox_round *r), void *arg)
{
	struct outbox_round r = {app, NULL, NULL, stop, arg};
	char msg[512];
	int64_t wait;

	if (http_init() != ERR_OK) {
		log_errorx("%s: libcurl would not start", name);
		return 1;
	}
	r.h = http_new();
	http_set_abort_flag(r.h, stop);
	while (!*stop) {
		if (r.db == NULL &&
		    sql_connect(app->cfg->database_url, &r.db, msg, sizeof(msg)) != ERR_OK) {
			log_warnx("%s: PostgreSQL: %s", name, msg);
			r.db = NULL;
			app_sleep_ms(5000, stop);
			continue;
		}
		wait = round(&r);
		if (wait < 0) {
			sql_free(r.db);
			r.db = NULL;
			wait = 1000;
		}
		if (wait > 0)
			app_sleep_ms(wait, stop);
	}
	sql_free(r.db);
	http_free(r.h);
	http_cleanup();
	return 0;
}
