/* Billing's handlers on the console. What a tenant pays is decided by Stripe and arrives
 * by webhook (migrations/0011's tollgate_stripe_event); the handlers here only ask Stripe
 * for a change (a Checkout Session, a plan switch, a cancellation at the period's end) and
 * show the state the last event left. */
#include "billing.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../lib/http.h"
#include "../../lib/log.h"
#include "../../lib/str.h"
#include "../api/api.h"
#include "../api/api_audit.h"
#include "../portal/portal.h"
#include "reconcile.h"
#include "stripe.h"

#define WEBHOOK_MAX_BODY (1024 * 1024)
#define DAY_FMT		 "'YYYY-MM-DD'"
#define TIME_FMT	 "'YYYY-MM-DD HH24:MI'"

/* This worker's Stripe client, made on first use. */
static struct http *client(void)
{
	static struct http *h;

	if (h == NULL && http_init() == ERR_OK)
		h = http_new();
	return h;
}

static void count(struct hctx *c, enum metric m)
{
	state_metric_add(c->app->state, state_metric_row_misc(c->app->state), m, 1);
}

/* ---- the webhook ---- */

enum err billing_webhook(struct hctx *c)
{
	const struct config *cfg = c->app->cfg;
	const char *sig = fcgi_param(c->rq, "HTTP_STRIPE_SIGNATURE");
	char grace[24], msg[128];
	const char *params[2] = {NULL, grace};
	struct jsonx_doc *d = NULL;
	const char *id = NULL, *type = NULL, *outcome;
	struct sql_res *r;
	struct jsonx_w w;
	int64_t created;
	enum err e;

	if (cfg->stripe_webhook_secret[0] == '\0') {
		count(c, METRIC_WEBHOOKS_REJECTED);
		c->detail = "Stripe webhooks are not set up here (TOLLGATE_STRIPE_WEBHOOK_SECRET).";
		return ERR_UNAVAILABLE; /* Stripe retries: nothing is lost while it is set up */
	}
	e = fcgi_read_body(c->rq, WEBHOOK_MAX_BODY);
	if (e == ERR_TOOBIG || e == ERR_TIMEOUT) {
		count(c, METRIC_WEBHOOKS_REJECTED);
		c->detail =
		    e == ERR_TOOBIG ? "The event is over 1 MiB." : "The event did not arrive.";
		return e;
	}
	if (e != ERR_OK ||
	    !stripe_signature_ok(sig, c->rq->body.p, c->rq->body.len, cfg->stripe_webhook_secret,
				 (int64_t)time(NULL), STRIPE_TOLERANCE_S)) {
		count(c, METRIC_WEBHOOKS_REJECTED);
		log_warnx("stripe: webhook refused: no valid signature (request %s)",
			  c->request_id);
		c->detail =
		    "The Stripe-Signature header does not sign this body with the endpoint's "
		    "secret, or its timestamp is more than 300 s away.";
		return ERR_INPUT;
	}
	if (memchr(c->rq->body.p, '\0', c->rq->body.len) != NULL ||
	    jsonx_parse(c->rq->body.p, c->rq->body.len, &d, msg, sizeof(msg)) != ERR_OK ||
	    !jsonx_get_str(d, "id", &id) || !jsonx_get_str(d, "type", &type) ||
	    !jsonx_get_int(d, "created", &created) || strncmp(id, "evt_", 4) != 0) {
		jsonx_doc_free(d);
		count(c, METRIC_WEBHOOKS_REJECTED);
		c->detail = "The body is not a Stripe event (an object with id evt_..., type and "
			    "created).";
		return ERR_INPUT;
	}
	str_fmt_i64(grace, cfg->billing_grace_ms / 1000);
	params[0] = c->rq->body.p;
	if ((e = api_db_open(c)) != ERR_OK ||
	    (e = api_sql(c, &r, "SELECT tollgate_stripe_event($1::jsonb, $2::bigint)", 2,
			 params)) != ERR_OK) {
		const char *state = sql_state(api_db_conn(c));

		jsonx_doc_free(d);
		count(c, METRIC_WEBHOOKS_REJECTED);
		if (e == ERR_SYS && state != NULL && strncmp(state, "22", 2) == 0) {
			/* The data is wrong (no data.object, a bad number): no retry mends it. */
			c->problem = PROB_BAD_REQUEST;
			c->detail = "The event's data is not what Stripe sends.";
			return ERR_INPUT;
		}
		return e; /* 503: Stripe delivers it again */
	}
	outcome = sql_get(r, 0, 0);
	count(c, METRIC_WEBHOOKS_APPLIED);
	log_info("stripe: event %s (%s): %s", id, type, outcome);
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "event", id);
	jsonx_kstr(&w, "outcome", outcome);
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	jsonx_doc_free(d);
	return ERR_OK;
}

/* ---- asking Stripe for a change ---- */

struct account {
	char customer[128], subscription[128], item[128], status[24], paid_plan[40];
	bool cancel_pending;
	/* The Checkout Session still open (a minute or more left), and its plan and page. */
	char session[128], session_plan[40], session_url[2048];
};

static bool live(const struct account *a)
{
	return a->subscription[0] != '\0' &&
	       (strcmp(a->status, "active") == 0 || strcmp(a->status, "trialing") == 0 ||
		strcmp(a->status, "past_due") == 0 || strcmp(a->status, "unpaid") == 0);
}

static enum err load_account(struct hctx *c, struct account *a)
{
	char tenant[24];
	const char *p[1] = {tenant};
	struct sql_res *r;
	enum err e;

	memset(a, 0, sizeof(*a));
	str_fmt_i64(tenant, c->tenant_id);
	e = api_sql(
	    c, &r,
	    "SELECT coalesce(customer_id, ''), coalesce(subscription_id, ''), "
	    "coalesce(subscription_item, ''), status, coalesce(paid_plan, ''), "
	    "cancel_at_period_end, coalesce(checkout_session, ''), coalesce(checkout_plan, ''), "
	    "CASE WHEN checkout_expires > now() + interval '1 minute' THEN checkout_url "
	    "ELSE '' END FROM billing_accounts WHERE tenant_id = $1 FOR UPDATE",
	    1, p);
	if (e != ERR_OK || sql_rows(r) != 1)
		return e;
	str_lcpy(a->customer, sql_get(r, 0, 0), sizeof(a->customer));
	str_lcpy(a->subscription, sql_get(r, 0, 1), sizeof(a->subscription));
	str_lcpy(a->item, sql_get(r, 0, 2), sizeof(a->item));
	str_lcpy(a->status, sql_get(r, 0, 3), sizeof(a->status));
	str_lcpy(a->paid_plan, sql_get(r, 0, 4), sizeof(a->paid_plan));
	a->cancel_pending = strcmp(sql_get(r, 0, 5), "t") == 0;
	str_lcpy(a->session, sql_get(r, 0, 6), sizeof(a->session));
	str_lcpy(a->session_plan, sql_get(r, 0, 7), sizeof(a->session_plan));
	str_lcpy(a->session_url, sql_get(r, 0, 8), sizeof(a->session_url));
	return ERR_OK;
}

/* A Stripe failure as the answer: 502 with Stripe's reason in the log, a sentence here. */
static enum err stripe_failed(struct hctx *c, const char *what, const struct stripe_answer *a)
{
	log_warnx("stripe: %s for tenant %lld: %s", what, (long long)c->tenant_id, a->msg);
	c->detail = "Stripe could not be reached or refused the request; nothing changed. Try "
		    "again in a minute.";
	c->problem = PROB_UNAVAILABLE;
	return ERR_UNAVAILABLE;
}

/* The tenant's Stripe customer, made (once: the Idempotency-Key) when it has none. */
static enum err ensure_customer(struct hctx *c, struct account *a, const char *email)
{
	char tenant[24], idem[64];
	const char *p[2] = {tenant, NULL};
	struct stripe_answer ans;
	struct sql_res *r;
	const char *id = NULL;
	struct buf form;
	enum err e;

	if (a->customer[0] != '\0')
		return ERR_OK;
	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r, "SELECT name FROM tenants WHERE id = $1", 1, p)) != ERR_OK)
		return e;
	buf_init(&form, 0);
	if (email != NULL && email[0] != '\0')
		stripe_form_add(&form, "email", email);
	stripe_form_add(&form, "name", sql_rows(r) == 1 ? sql_get(r, 0, 0) : "");
	stripe_form_add(&form, "metadata[tenant_id]", tenant);
	snprintf(idem, sizeof(idem), "tg-customer-%s", tenant);
	e = stripe_call(client(), c->app->cfg, "POST", "/v1/customers", &form, idem, &ans);
	buf_free(&form);
	if (e != ERR_OK)
		return stripe_failed(c, "creating the customer", &ans);
	if (!jsonx_get_str(ans.body, "id", &id) || strncmp(id, "cus_", 4) != 0) {
		jsonx_doc_free(ans.body);
		snprintf(ans.msg, sizeof(ans.msg), "the customer has no id");
		return stripe_failed(c, "creating the customer", &ans);
	}
	str_lcpy(a->customer, id, sizeof(a->customer));
	jsonx_doc_free(ans.body);
	p[1] = a->customer;
	return api_sql(c, NULL,
		       "INSERT INTO billing_accounts (tenant_id, customer_id) VALUES ($1, $2) "
		       "ON CONFLICT (tenant_id) DO UPDATE SET customer_id = excluded.customer_id, "
		       "updated_at = now()",
		       2, p);
}

/* Changes the subscription (switch price, cancel at the period's end, or keep it). */
static enum err update_subscription(struct hctx *c, const struct account *a, const char *plan,
				    const char *price, bool cancel)
{
	char path[256];
	struct stripe_answer ans;
	struct buf form;
	enum err e;

	snprintf(path, sizeof(path), "/v1/subscriptions/%s", a->subscription);
	buf_init(&form, 0);
	stripe_form_add(&form, "cancel_at_period_end", cancel ? "true" : "false");
	if (price != NULL) {
		stripe_form_add(&form, "items[0][id]", a->item);
		stripe_form_add(&form, "items[0][price]", price);
		stripe_form_add(&form, "proration_behavior", "create_prorations");
		stripe_form_add(&form, "metadata[plan]", plan);
	}
	e = stripe_call(client(), c->app->cfg, "POST", path, &form, NULL, &ans);
	buf_free(&form);
	jsonx_doc_free(ans.body);
	return e == ERR_OK ? ERR_OK : stripe_failed(c, "changing the subscription", &ans);
}

/* Ends the tenant's open Checkout Session, so that it cannot be paid besides a new one.
 * One already completed or expired cannot be: that is no failure here (its webhook, if
 * paid, says so). */
static void expire_session(struct hctx *c, const struct account *a)
{
	struct stripe_answer ans;
	char path[256];

	if (a->session[0] == '\0')
		return;
	snprintf(path, sizeof(path), "/v1/checkout/sessions/%s/expire", a->session);
	if (stripe_call(client(), c->app->cfg, "POST", path, NULL, NULL, &ans) != ERR_OK)
		log_info("stripe: expiring checkout session for tenant %lld: %s",
			 (long long)c->tenant_id, ans.msg);
	jsonx_doc_free(ans.body);
}

/* A Checkout Session for plan: the open one when it is for the same plan (two tabs, two
 * clicks: one page, one subscription), else a new one, the old one expired first. It
 * expires after 30 minutes, Stripe's shortest. */
static enum err checkout(struct hctx *c, const struct account *a, const char *plan,
			 const char *price, const char *metered, char *url, size_t urllen)
{
	const struct config *cfg = c->app->cfg;
	char tenant[24], back[600], expires[24];
	const char *p[5];
	struct stripe_answer ans;
	const char *u = NULL, *id = NULL;
	struct buf form;
	enum err e;

	if (a->session_url[0] != '\0' && strcmp(a->session_plan, plan) == 0 &&
	    strlen(a->session_url) < urllen) {
		str_lcpy(url, a->session_url, urllen);
		return ERR_OK;
	}
	expire_session(c, a);
	str_fmt_i64(tenant, c->tenant_id);
	str_fmt_i64(expires, (int64_t)time(NULL) + 1800);
	buf_init(&form, 0);
	stripe_form_add(&form, "mode", "subscription");
	stripe_form_add(&form, "customer", a->customer);
	stripe_form_add(&form, "line_items[0][price]", price);
	stripe_form_add(&form, "line_items[0][quantity]", "1");
	if (metered != NULL && metered[0] != '\0')
		stripe_form_add(&form, "line_items[1][price]", metered);
	snprintf(back, sizeof(back), "%s/portal/billing?checkout=done", cfg->console_url);
	stripe_form_add(&form, "success_url", back);
	snprintf(back, sizeof(back), "%s/portal/billing?checkout=cancelled", cfg->console_url);
	stripe_form_add(&form, "cancel_url", back);
	stripe_form_add(&form, "client_reference_id", tenant);
	stripe_form_add(&form, "metadata[tenant_id]", tenant);
	stripe_form_add(&form, "metadata[plan]", plan);
	stripe_form_add(&form, "subscription_data[metadata][tenant_id]", tenant);
	stripe_form_add(&form, "subscription_data[metadata][plan]", plan);
	stripe_form_add(&form, "expires_at", expires);
	e = stripe_call(client(), cfg, "POST", "/v1/checkout/sessions", &form, NULL, &ans);
	buf_free(&form);
	if (e != ERR_OK)
		return stripe_failed(c, "starting checkout", &ans);
	if (!jsonx_get_str(ans.body, "url", &u) || http_check_url(u) != ERR_OK ||
	    strlen(u) >= urllen || !jsonx_get_str(ans.body, "id", &id)) {
		jsonx_doc_free(ans.body);
		snprintf(ans.msg, sizeof(ans.msg), "the Checkout Session has no usable url or id");
		return stripe_failed(c, "starting checkout", &ans);
	}
	str_lcpy(url, u, urllen);
	p[0] = tenant;
	p[1] = id;
	p[2] = url;
	p[3] = plan;
	p[4] = expires;
	e = api_sql(
	    c, NULL,
	    "INSERT INTO billing_accounts (tenant_id, checkout_session, checkout_url, "
	    "checkout_plan, checkout_expires) VALUES ($1, $2, $3, $4, to_timestamp($5::bigint)) "
	    "ON CONFLICT (tenant_id) DO UPDATE SET checkout_session = excluded.checkout_session, "
	    "checkout_url = excluded.checkout_url, checkout_plan = excluded.checkout_plan, "
	    "checkout_expires = excluded.checkout_expires, updated_at = now()",
	    5, p);
	jsonx_doc_free(ans.body);
	return e;
}

/* What the tenant asked for: plan. *url gets a page to send the person to (Stripe
 * Checkout) or "" when the change was asked of Stripe here (it shows once Stripe's event
 * arrives). ERR_INPUT with c->detail for a plan that cannot be bought. */
static enum err change_plan(struct hctx *c, const char *plan, const char *email, char *url,
			    size_t urllen, const char **done)
{
	const char *p[1] = {plan};
	struct account a;
	struct sql_res *r;
	const char *price, *metered;
	bool paid;
	enum err e;

	url[0] = '\0';
	*done = "";
	if (!stripe_enabled(c->app->cfg)) {
		c->detail = "Billing is not set up on this platform yet: ask its operator.";
		return ERR_UNAVAILABLE;
	}
	if (plan != NULL && (e = api_sql(c, &r,
					 "SELECT coalesce(stripe_price, ''), "
					 "coalesce(stripe_metered_price, ''), price_cents > 0 "
					 "FROM plans WHERE id = $1",
					 1, p)) != ERR_OK)
		return e;
	if (plan == NULL || sql_rows(r) != 1) {
		c->detail = "There is no such plan.";
		c->parameter = "plan";
		return ERR_INPUT;
	}
	price = sql_get(r, 0, 0);
	metered = sql_get(r, 0, 1);
	paid = strcmp(sql_get(r, 0, 2), "t") == 0;
	if ((e = load_account(c, &a)) != ERR_OK)
		return e;
	if (paid && price[0] == '\0') {
		c->detail = "This plan is not for sale yet: the operator has not set its Stripe "
			    "price.";
		c->parameter = "plan";
		return ERR_INPUT;
	}
	if (live(&a)) {
		if (!paid) {
			*done = "cancel";
			return a.cancel_pending ? ERR_OK
						: update_subscription(c, &a, plan, NULL, true);
		}
		if (strcmp(plan, a.paid_plan) == 0) {
			*done = "keep";
			return a.cancel_pending ? update_subscription(c, &a, plan, NULL, false)
						: ERR_OK;
		}
		*done = "switch";
		return update_subscription(c, &a, plan, price, false);
	}
	if (!paid) {
		*done = "free";
		return ERR_OK; /* no subscription: already Free */
	}
	if ((e = ensure_customer(c, &a, email)) != ERR_OK)
		return e;
	*done = "checkout";
	return checkout(c, &a, plan, price, metered, url, urllen);
}

static enum err billing_portal_url(struct hctx *c, char *url, size_t urllen)
{
	char back[600];
	struct stripe_answer ans;
	struct account a;
	const char *u = NULL;
	struct buf form;
	enum err e;

	if (!stripe_enabled(c->app->cfg)) {
		c->detail = "Billing is not set up on this platform yet: ask its operator.";
		return ERR_UNAVAILABLE;
	}
	if ((e = load_account(c, &a)) != ERR_OK)
		return e;
	if (a.customer[0] == '\0') {
		c->detail = "There is nothing to manage yet: no plan has been bought.";
		return ERR_CONFLICT;
	}
	buf_init(&form, 0);
	stripe_form_add(&form, "customer", a.customer);
	snprintf(back, sizeof(back), "%s/portal/billing", c->app->cfg->console_url);
	stripe_form_add(&form, "return_url", back);
	e = stripe_call(client(), c->app->cfg, "POST", "/v1/billing_portal/sessions", &form, NULL,
			&ans);
	buf_free(&form);
	if (e != ERR_OK)
		return stripe_failed(c, "opening the billing portal", &ans);
	if (!jsonx_get_str(ans.body, "url", &u) || http_check_url(u) != ERR_OK ||
	    strlen(u) >= urllen) {
		jsonx_doc_free(ans.body);
		snprintf(ans.msg, sizeof(ans.msg), "the portal session has no usable url");
		return stripe_failed(c, "opening the billing portal", &ans);
	}
	str_lcpy(url, u, urllen);
	jsonx_doc_free(ans.body);
	return ERR_OK;
}

/* ---- the portal ---- */

static bool may_pay(const struct hctx *c)
{
	return strcmp(c->session->role, "owner") == 0 || strcmp(c->session->role, "admin") == 0;
}

/* Where Stripe's hosted pages are (Checkout, the billing portal): the page's forms lead
 * there. Stripe's own, or, for a stand-in (tests, make run), the API's origin. */
static const char *stripe_pages(struct hctx *c)
{
	const char *api = c->app->cfg->stripe_api_url, *host, *end;

	if (strncmp(api, "https://api.stripe.com", 22) == 0 && (api[22] == '\0' || api[22] == '/'))
		return "https://checkout.stripe.com https://billing.stripe.com";
	host = strstr(api, "://");
	if (host == NULL)
		return NULL;
	end = host + 3 + strcspn(host + 3, "/?# ;,'\"");
	return arena_strndup(c->arena, api, (size_t)(end - api));
}

/* 303 to a page of Stripe's. */
static enum err redirect_out(struct hctx *c, const char *url)
{
	c->rs->status = 303;
	fcgi_header(c->rs, "Location", url);
	fcgi_header(c->rs, "Cache-Control", "no-store");
	return ERR_OK;
}

static enum err billing_page(struct hctx *c, int status, const char *error)
{
	static const char *const plan_cols[] = {
	    "id",	    "name",	"price",  "quota", "priority_support",
	    "multi_region", "for_sale", "overage"};
	static const char *const acct_cols[] = {
	    "status", "paid_plan", "period_end", "cancel_at_period_end", "grace_until", "customer"};
	struct tmpl_value *ctx = portal_ctx(c, "Plan and billing", "billing");
	const char *query = fcgi_param(c->rq, "QUERY_STRING");
	char tenant[24];
	const char *p[1] = {tenant};
	struct sql_res *plans, *acct, *cur;
	const struct tmpl_value *a;
	struct tmpl_item *it;
	struct tmpl_value *list;
	bool is_live, ending;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &cur,
			 "SELECT t.plan_id, p.name FROM tenants t JOIN plans p ON p.id = t.plan_id "
			 "WHERE t.id = $1",
			 1, p)) != ERR_OK ||
	    (e = api_sql(c, &plans,
			 "SELECT id, name, to_char(price_cents / 100.0, 'FM999999990.00'), "
			 "monthly_requests, CASE WHEN priority_support THEN 't' END, "
			 "CASE WHEN multi_region THEN 't' END, "
			 "CASE WHEN stripe_price IS NOT NULL OR price_cents = 0 THEN 't' END, "
			 "CASE WHEN overage THEN 't' END FROM plans "
			 "ORDER BY price_cents, id",
			 0, NULL)) != ERR_OK ||
	    (e = api_sql(c, &acct,
			 "SELECT status, paid_plan, to_char(period_end AT TIME ZONE 'UTC', " DAY_FMT
			 "), CASE WHEN cancel_at_period_end THEN 't' END, "
			 "to_char(grace_until AT TIME ZONE 'UTC', " TIME_FMT "), customer_id "
			 "FROM billing_accounts WHERE tenant_id = $1",
			 1, p)) != ERR_OK)
		return e;
	if (sql_rows(cur) != 1)
		return ERR_AUTH;
	portal_set_str(ctx, "plan_id", sql_get(cur, 0, 0));
	portal_set_str(ctx, "plan_name", sql_get(cur, 0, 1));
	list = portal_rows(c, plans, plan_cols, 8);
	a = portal_first(portal_rows(c, acct, acct_cols, 6));
	is_live = a != NULL && sql_rows(acct) == 1 &&
		  (strcmp(sql_get(acct, 0, 0), "active") == 0 ||
		   strcmp(sql_get(acct, 0, 0), "trialing") == 0 ||
		   strcmp(sql_get(acct, 0, 0), "past_due") == 0 ||
		   strcmp(sql_get(acct, 0, 0), "unpaid") == 0);
	ending = is_live && !sql_is_null(acct, 0, 3); /* cancel_at_period_end */
	for (it = list->head; it != NULL; it = it->next) {
		struct tmpl_value *m = (struct tmpl_value *)it->v;
		const char *id = tmpl_map_get(m, "id")->s;
		const struct tmpl_value *q = tmpl_map_get(m, "quota");
		bool current = strcmp(id, sql_get(cur, 0, 0)) == 0;
		bool free_plan = strcmp(tmpl_map_get(m, "price")->s, "0.00") == 0;

		if (q->kind != TMPL_NULL) {
			int64_t v = 0;

			if (str_to_i64(str_c(q->s), 0, INT64_MAX, &v) == ERR_OK)
				portal_set_count(m, "quota", v);
		}
		tmpl_map_set(m, "current", tmpl_bool(current));
		tmpl_map_set(m, "free", tmpl_bool(free_plan));
		/* What its button does: buy it (Checkout), switch to it, or fall back to Free. */
		if (!current && tmpl_map_get(m, "for_sale")->kind != TMPL_NULL &&
		    !(free_plan && ending)) /* already ending: "Keep my plan" undoes it */
			portal_set_str(m, "action",
				       free_plan ? (is_live ? "Downgrade at period end" : "")
				       : is_live ? "Switch to this plan"
						 : "Upgrade");
		if (tmpl_map_get(m, "action") != NULL && tmpl_map_get(m, "action")->s[0] == '\0')
			tmpl_map_set(m, "action", tmpl_null());
	}
	tmpl_map_set(ctx, "plans", list);
	if (a != NULL)
		tmpl_map_set(ctx, "account", a);
	tmpl_map_set(ctx, "live", tmpl_bool(is_live));
	tmpl_map_set(ctx, "enabled", tmpl_bool(stripe_enabled(c->app->cfg)));
	tmpl_map_set(ctx, "may_pay", tmpl_bool(may_pay(c)));
	if (query != NULL && strcmp(query, "checkout=done") == 0)
		portal_set_str(ctx, "notice",
			       "Thank you: your payment went through. Your plan changes as soon "
			       "as Stripe confirms it, within seconds.");
	else if (query != NULL && strcmp(query, "checkout=cancelled") == 0)
		portal_set_str(ctx, "notice", "Checkout was cancelled: nothing changed.");
	else if (query != NULL && strcmp(query, "changed=1") == 0)
		portal_set_str(ctx, "notice",
			       "Your change was sent to Stripe; it shows here once "
			       "Stripe confirms it.");
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	return portal_render_to(c, status, "billing", ctx, stripe_pages(c));
}

enum err portal_billing(struct hctx *c)
{
	return billing_page(c, 200, NULL);
}

enum err portal_billing_change(struct hctx *c)
{
	const char *plan = form_get(c->form, "plan"), *done;
	char url[2048];
	enum err e;

	if (!may_pay(c))
		return billing_page(c, 403, "Only the team's owners and admins change the plan.");
	e = change_plan(c, plan, c->session->email, url, sizeof(url), &done);
	if (e == ERR_INPUT || e == ERR_UNAVAILABLE)
		return billing_page(c, e == ERR_INPUT ? 422 : 503, c->detail);
	if (e != ERR_OK)
		return e;
	if ((e = api_audit(c, c->tenant_id, "billing.change", plan)) != ERR_OK)
		return e;
	if (url[0] != '\0')
		return redirect_out(c, url);
	return portal_redirect(c, "/portal/billing?changed=1");
}

enum err portal_billing_manage(struct hctx *c)
{
	char url[2048];
	enum err e;

	if (!may_pay(c))
		return billing_page(c, 403, "Only the team's owners and admins manage billing.");
	e = billing_portal_url(c, url, sizeof(url));
	if (e == ERR_CONFLICT || e == ERR_UNAVAILABLE)
		return billing_page(c, e == ERR_CONFLICT ? 409 : 503, c->detail);
	return e != ERR_OK ? e : redirect_out(c, url);
}

static enum err support_page(struct hctx *c, int status, const char *error)
{
	static const char *const cols[] = {"id", "subject", "created", "closed", "priority"};
	struct tmpl_value *ctx = portal_ctx(c, "Support", "support");
	char tenant[24];
	const char *p[1] = {tenant};
	struct sql_res *r, *plan;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r,
			 "SELECT id, subject, to_char(created_at AT TIME ZONE 'UTC', " TIME_FMT
			 "), to_char(closed_at AT TIME ZONE 'UTC', " TIME_FMT "), "
			 "CASE WHEN priority THEN 't' END "
			 "FROM support_requests WHERE tenant_id = $1 ORDER BY id DESC LIMIT 50",
			 1, p)) != ERR_OK ||
	    (e = api_sql(c, &plan,
			 "SELECT p.name, p.priority_support FROM tenants t "
			 "JOIN plans p ON p.id = t.plan_id WHERE t.id = $1",
			 1, p)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "requests", portal_rows(c, r, cols, 5));
	if (sql_rows(plan) == 1) {
		portal_set_str(ctx, "plan_name", sql_get(plan, 0, 0));
		tmpl_map_set(ctx, "priority", tmpl_bool(strcmp(sql_get(plan, 0, 1), "t") == 0));
	}
	if (error != NULL) {
		portal_set_str(ctx, "error", error);
		portal_set_str(ctx, "subject", form_get(c->form, "subject"));
		portal_set_str(ctx, "body", form_get(c->form, "body"));
	}
	return portal_render(c, status, "support", ctx);
}

enum err portal_support(struct hctx *c)
{
	return support_page(c, 200, NULL);
}

enum err portal_support_post(struct hctx *c)
{
	const char *subject = form_get(c->form, "subject"), *body = form_get(c->form, "body");
	char tenant[24];
	const char *p[4] = {tenant, c->session->email, subject, body};
	size_t sl = subject != NULL ? strlen(subject) : 0, bl = body != NULL ? strlen(body) : 0;
	enum err e;

	if (sl == 0 || sl > 200 || bl == 0 || bl > 10000)
		return support_page(c, 422,
				    "Give a subject (at most 200 characters) and say what "
				    "happened (at most 10,000).");
	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, NULL,
			 "INSERT INTO support_requests (tenant_id, email, subject, body, plan_id, "
			 "priority) SELECT t.id, $2, $3, $4, t.plan_id, p.priority_support "
			 "FROM tenants t JOIN plans p ON p.id = t.plan_id WHERE t.id = $1",
			 4, p)) != ERR_OK ||
	    (e = api_audit(c, c->tenant_id, "support.request", "")) != ERR_OK)
		return e;
	return portal_redirect(c, "/portal/support");
}

/* ---- the management API ---- */

#define PERIOD_START API_RFC3339("a.period_start")
#define PERIOD_END   API_RFC3339("a.period_end")
#define GRACE_UNTIL  API_RFC3339("a.grace_until")
static const char billing_sql[] =
    "SELECT t.plan_id, a.status, a.paid_plan, " PERIOD_START ", " PERIOD_END ", "
    "a.cancel_at_period_end, " GRACE_UNTIL " FROM tenants t "
    "LEFT JOIN billing_accounts a ON a.tenant_id = t.id WHERE t.id = $1";

enum err api_billing_get(struct hctx *c)
{
	char tenant[24];
	const char *p[1] = {tenant};
	struct sql_res *r;
	struct jsonx_w w;
	enum err e;

	str_fmt_i64(tenant, c->tenant_id);
	if ((e = api_sql(c, &r, billing_sql, 1, p)) != ERR_OK)
		return e;
	if (sql_rows(r) != 1)
		return ERR_NOTFOUND;
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "plan", sql_get(r, 0, 0));
	jsonx_kbool(&w, "billing_enabled", stripe_enabled(c->app->cfg));
	jsonx_key(&w, "subscription");
	if (sql_is_null(r, 0, 1) || strcmp(sql_get(r, 0, 1), "none") == 0)
		jsonx_null(&w);
	else {
		jsonx_obj_open(&w);
		jsonx_kstr(&w, "status", sql_get(r, 0, 1));
		jsonx_kstr(&w, "plan", sql_is_null(r, 0, 2) ? NULL : sql_get(r, 0, 2));
		jsonx_kstr(&w, "current_period_start",
			   sql_is_null(r, 0, 3) ? NULL : sql_get(r, 0, 3));
		jsonx_kstr(&w, "current_period_end",
			   sql_is_null(r, 0, 4) ? NULL : sql_get(r, 0, 4));
		jsonx_kbool(&w, "cancel_at_period_end", strcmp(sql_get(r, 0, 5), "t") == 0);
		jsonx_kstr(&w, "grace_until", sql_is_null(r, 0, 6) ? NULL : sql_get(r, 0, 6));
		jsonx_obj_close(&w);
	}
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

enum err api_billing_checkout(struct hctx *c)
{
	static const char *const allowed[] = {"plan"};
	struct jsonx_doc *d;
	const char *plan = NULL, *done;
	char url[2048];
	struct jsonx_w w;
	enum err e;

	if ((e = api_read_json(c, allowed, 1, &d)) != ERR_OK)
		return e;
	if (!jsonx_get_str(d, "plan", &plan)) {
		c->parameter = "plan";
		return api_bad_body(c, "plan must be a plan's id, e.g. \"pro\".");
	}
	e = change_plan(c, plan, NULL, url, sizeof(url), &done);
	if (e == ERR_INPUT && c->problem == PROB_NONE)
		c->problem = PROB_INVALID_BODY;
	if (e != ERR_OK)
		return e;
	if ((e = api_audit(c, c->tenant_id, "billing.change", plan)) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "action", done);
	jsonx_kstr(&w, "url", url[0] != '\0' ? url : NULL);
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

enum err api_billing_portal(struct hctx *c)
{
	char url[2048];
	struct jsonx_w w;
	enum err e;

	if ((e = billing_portal_url(c, url, sizeof(url))) != ERR_OK)
		return e;
	hctx_json_begin(c, &w);
	jsonx_obj_open(&w);
	jsonx_kstr(&w, "url", url);
	jsonx_obj_close(&w);
	hctx_json_end(c, &w);
	return ERR_OK;
}

/* ---- the operator's pages ---- */

static enum err plans_page(struct hctx *c, int status, const char *error)
{
	static const char *const cols[] = {"id",	   "name",	    "price",   "quota",
					   "stripe_price", "metered_price", "overage", "tenants"};
	struct tmpl_value *ctx = portal_ctx(c, "Plans", "admin_plans");
	struct sql_res *r;
	enum err e;

	if ((e = api_sql(c, &r,
			 "SELECT p.id, p.name, to_char(p.price_cents / 100.0, 'FM999999990.00'), "
			 "p.monthly_requests, p.stripe_price, p.stripe_metered_price, "
			 "CASE WHEN p.overage THEN 't' END, "
			 "(SELECT count(*) FROM tenants t WHERE t.plan_id = p.id) "
			 "FROM plans p ORDER BY p.price_cents, p.id",
			 0, NULL)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "plans", portal_rows(c, r, cols, 8));
	tmpl_map_set(ctx, "enabled", tmpl_bool(stripe_enabled(c->app->cfg)));
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	return portal_render(c, status, "admin/plans", ctx);
}

enum err admin_plans(struct hctx *c)
{
	return plans_page(c, 200, NULL);
}

static bool price_ok(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return true;
	if (strncmp(s, "price_", 6) != 0 || strlen(s) > 206 || strlen(s) == 6)
		return false;
	for (i = 6; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

enum err admin_plan_update(struct hctx *c)
{
	struct str id = hctx_param(c, "id");
	const char *price = form_get(c->form, "stripe_price");
	const char *metered = form_get(c->form, "stripe_metered_price");
	const char *overage = form_get(c->form, "overage");
	char plan[40], target[300];
	const char *p[4] = {plan, NULL, NULL, NULL};
	struct sql_res *r;
	enum err e;

	price = price != NULL ? price : "";
	metered = metered != NULL ? metered : "";
	if (str_copy(id, plan, sizeof(plan)) != ERR_OK) {
		c->detail = "There is no such plan.";
		return ERR_NOTFOUND;
	}
	if (!price_ok(price) || !price_ok(metered))
		return plans_page(c, 422,
				  "A Stripe price id looks like price_1AbC... (letters, "
				  "digits and _), or leave it empty.");
	p[1] = price;
	p[2] = metered;
	p[3] = overage != NULL && strcmp(overage, "on") == 0 ? "true" : "false";
	e = api_sql(c, &r,
		    "UPDATE plans SET stripe_price = nullif($2, ''), "
		    "stripe_metered_price = nullif($3, ''), overage = $4::boolean "
		    "WHERE id = $1 RETURNING id",
		    4, p);
	if (e == ERR_SYS && sql_constraint(api_db_conn(c)) != NULL) {
		api_db_rollback(c);
		return ERR_CONFLICT;
	}
	if (e != ERR_OK)
		return e;
	if (sql_rows(r) != 1) {
		c->detail = "There is no such plan.";
		return ERR_NOTFOUND;
	}
	snprintf(target, sizeof(target), "%s price=%s metered=%s overage=%s", plan, price, metered,
		 p[3]);
	if ((e = api_audit(c, 0, "plan.stripe", target)) != ERR_OK)
		return e;
	log_info("admin: plan %s set to Stripe price %s by %s", plan, price, c->session->email);
	return portal_redirect(c, "/admin/plans");
}

static void this_month(char out[8])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 8, "%Y-%m", &tm);
}

static enum err billing_admin_page(struct hctx *c, const struct reconcile *fresh, const char *month,
				   const char *error)
{
	static const char *const ev_cols[] = {"id", "type", "tenant", "outcome", "received"};
	static const char *const box_cols[] = {"depth", "oldest", "failing", "last_error"};
	static const char *const rec_cols[] = {"run_at", "differences", "report"};
	struct tmpl_value *ctx = portal_ctx(c, "Billing", "admin_billing");
	const char *p[1] = {month};
	struct sql_res *ev, *box, *rec;
	enum err e;

	if ((e = api_sql(c, &ev,
			 "SELECT e.id, e.type, t.slug, e.outcome, to_char(e.received_at AT TIME "
			 "ZONE 'UTC', " TIME_FMT ") FROM stripe_events e "
			 "LEFT JOIN tenants t ON t.id = e.tenant_id "
			 "ORDER BY e.received_at DESC LIMIT 20",
			 0, NULL)) != ERR_OK ||
	    (e = api_sql(c, &box,
			 "SELECT count(*), to_char(min(created_at) AT TIME ZONE 'UTC', " TIME_FMT
			 "), count(*) FILTER (WHERE last_error <> ''), "
			 "(SELECT last_error FROM meter_outbox WHERE sent_at IS NULL "
			 "AND last_error <> '' ORDER BY id DESC LIMIT 1) "
			 "FROM meter_outbox WHERE sent_at IS NULL",
			 0, NULL)) != ERR_OK ||
	    (e = api_sql(c, &rec,
			 "SELECT to_char(run_at AT TIME ZONE 'UTC', " TIME_FMT "), differences, "
			 "report::text FROM billing_reconciliations "
			 "WHERE month = ($1 || '-01')::date ORDER BY id DESC LIMIT 1",
			 1, p)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "events", portal_rows(c, ev, ev_cols, 5));
	tmpl_map_set(ctx, "outbox", portal_first(portal_rows(c, box, box_cols, 4)));
	portal_set_str(ctx, "month", month);
	if (fresh == NULL && sql_rows(rec) == 1)
		tmpl_map_set(ctx, "last", portal_first(portal_rows(c, rec, rec_cols, 2)));
	if (fresh != NULL) {
		struct tmpl_value *rows = tmpl_list(c->arena), *m;
		int i;

		for (i = 0; i < fresh->n; i++) {
			const struct reconcile_row *row = &fresh->rows[i];

			m = tmpl_map(c->arena);
			portal_set_str(m, "tenant", row->slug);
			portal_set_str(m, "customer", row->customer);
			portal_set_count(m, "usage", row->usage);
			portal_set_count(m, "queued", row->queued);
			portal_set_count(m, "reported", row->reported);
			if (row->stripe >= 0)
				portal_set_count(m, "stripe", row->stripe);
			if (row->note[0] != '\0')
				portal_set_str(m, "difference", row->note);
			tmpl_list_push(rows, m);
		}
		tmpl_map_set(ctx, "rows", rows);
		portal_set_int(ctx, "differences", fresh->differences);
		tmpl_map_set(ctx, "ran", tmpl_bool(true));
	}
	if (error != NULL)
		portal_set_str(ctx, "error", error);
	return portal_render(c, error != NULL ? 422 : 200, "admin/billing", ctx);
}

enum err admin_billing(struct hctx *c)
{
	char month[8];

	this_month(month);
	return billing_admin_page(c, NULL, month, NULL);
}

enum err admin_billing_reconcile(struct hctx *c)
{
	const char *month = form_get(c->form, "month");
	struct reconcile rec;
	char msg[256], now[8];
	enum err e;

	this_month(now);
	e = reconcile_run(api_db_conn(c), stripe_enabled(c->app->cfg) ? client() : NULL,
			  c->app->cfg, month, &rec, msg, sizeof(msg));
	if (e == ERR_INPUT)
		return billing_admin_page(c, NULL, now, "The month must be YYYY-MM, e.g. 2026-12.");
	if (e != ERR_OK) {
		log_warnx("admin: reconciling %s: %s", month, msg);
		return ERR_DB;
	}
	e = billing_admin_page(c, &rec, month, NULL);
	reconcile_free(&rec);
	return e;
}

enum err admin_support(struct hctx *c)
{
	static const char *const cols[] = {"id",    "tenant",  "plan", "priority",
					   "email", "subject", "body", "created"};
	struct tmpl_value *ctx = portal_ctx(c, "Support", "admin_support");
	struct sql_res *r;
	enum err e;

	if ((e = api_sql(
		 c, &r,
		 "SELECT s.id, t.slug, s.plan_id, CASE WHEN s.priority THEN 't' END, s.email, "
		 "s.subject, s.body, "
		 "to_char(s.created_at AT TIME ZONE 'UTC', " TIME_FMT ") "
		 "FROM support_requests s JOIN tenants t ON t.id = s.tenant_id "
		 "WHERE s.closed_at IS NULL ORDER BY s.priority DESC, s.created_at LIMIT 200",
		 0, NULL)) != ERR_OK)
		return e;
	tmpl_map_set(ctx, "requests", portal_rows(c, r, cols, 8));
	return portal_render(c, 200, "admin/support", ctx);
}

enum err admin_support_close(struct hctx *c)
{
	char id[24];
	const char *p[1] = {id};
	struct sql_res *r;
	enum err e;

	if (str_copy(hctx_param(c, "id"), id, sizeof(id)) != ERR_OK ||
	    strspn(id, "0123456789") != strlen(id)) {
		c->detail = "There is no such request.";
		return ERR_NOTFOUND;
	}
	if ((e = api_sql(c, &r,
			 "UPDATE support_requests SET closed_at = now() WHERE id = $1::bigint "
			 "AND closed_at IS NULL RETURNING tenant_id",
			 1, p)) != ERR_OK)
		return e;
	if (sql_rows(r) == 1 &&
	    (e = api_audit(c, sql_get_i64(r, 0, 0), "support.close", id)) != ERR_OK)
		return e;
	return portal_redirect(c, "/admin/support");
}
