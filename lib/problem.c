/* RFC 9457 problem+json writer. */
#include "problem.h"

#include "jsonx.h"

bool problem_write(struct buf *b, const struct problem *p)
{
	struct jsonx_w w;
	size_t i;

	jsonx_w_init(&w, b);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "type", p->type ? p->type : "about:blank");
	jsonx_kstr(&w, "title", p->title);
	jsonx_kint(&w, "status", p->status);
	if (p->detail != NULL)
		jsonx_kstr(&w, "detail", p->detail);
	if (p->instance != NULL)
		jsonx_kstr(&w, "instance", p->instance);
	for (i = 0; i < p->next; i++) {
		if (p->ext[i].s != NULL)
			jsonx_kstr(&w, p->ext[i].name, p->ext[i].s);
		else
			jsonx_kint(&w, p->ext[i].name, p->ext[i].i);
	}
	jsonx_obj_close(&w);
	return !b->overflow;
}
