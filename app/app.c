/* Path parameters and the JSON success envelope of a request. */
#include "app.h"

#include <time.h>

#include "../lib/codec.h"
#include "../lib/jsonx.h"

void hctx_json_begin(struct hctx *c, struct jsonx_w *w)
{
	fcgi_header(c->rs, "Content-Type", "application/json");
	jsonx_w_init(w, &c->rs->body);
	jsonx_obj_open(w);
	jsonx_key(w, "data");
}

void hctx_json_end(struct hctx *c, struct jsonx_w *w)
{
	jsonx_key(w, "meta");
	jsonx_obj_open(w);
	jsonx_kstr(w, "request_id", c->request_id);
	jsonx_obj_close(w);
	jsonx_obj_close(w);
}

struct str hctx_param(const struct hctx *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nparams; i++)
		if (str_eq_c(c->params[i].name, name))
			return c->params[i].value;
	return (struct str){"", 0};
}

bool hctx_client_ip(const struct hctx *c, unsigned char out[16])
{
	const struct addr_list *trusted = &c->app->cfg->trusted_proxies;
	const char *xff;

	if (!codec_ip_parse(fcgi_param(c->rq, "TG_PEER"), out))
		return false;
	if (trusted->n == 0 || !addr_list_contains(trusted, out))
		return true;
	xff = fcgi_param(c->rq, "TG_XFF");
	if (xff != NULL)
		(void)addr_forwarded_client(xff, trusted, out);
	return true;
}

void app_sleep_ms(int64_t ms, volatile sig_atomic_t *stop)
{
	int64_t end = state_mono_ms() + ms, left;

	while (!*stop && (left = end - state_mono_ms()) > 0) {
		struct timespec ts = {0, (left < APP_NAP_MS ? left : APP_NAP_MS) * 1000000L};

		nanosleep(&ts, NULL);
	}
}
