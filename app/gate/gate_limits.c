/* GCRA rate limits and the monthly quota in one locked step; RateLimit headers. */
#include "gate_limits.h"

#include <string.h>

#include "../../lib/gcra.h"
#include "../../lib/str.h"

#define NS_PER_S 1000000000LL

static const char *const policy_names[POL__MAX] = {
    "ip", "key-second", "key-minute", "tenant-second", "tenant-minute", "month",
};

static int64_t ceil_div(int64_t a, int64_t b)
{
	return a <= 0 ? 0 : (a / b + (a % b != 0));
}

/* Limits come from checked columns; should one still be unusable, be strict, not open. */
static void limit_init(struct gcra_limit *l, int64_t rate, int64_t period_ns, int64_t burst)
{
	if (gcra_limit_init(l, rate, period_ns, burst) != ERR_OK) {
		l->interval_ns = period_ns > 0 ? period_ns : NS_PER_S;
		l->burst = 1;
	}
}

/* A per-second limit: `rps` sustained, bursts of `burst`. Reported as q=burst over the
 * seconds a full burst takes to refill. */
static void per_second(struct gcra_limit *l, struct limit_view *v, int64_t rps, int64_t burst)
{
	limit_init(l, rps, NS_PER_S, burst);
	v->applies = true;
	v->quota = burst;
	v->window_s = ceil_div(burst, rps) > 0 ? ceil_div(burst, rps) : 1;
}

static void per_minute(struct gcra_limit *l, struct limit_view *v, int64_t rpm)
{
	limit_init(l, rpm, 60 * NS_PER_S, rpm);
	v->applies = true;
	v->quota = rpm;
	v->window_s = 60;
}

static void note(struct limit_result *out, enum limit_policy p, const struct gcra_result *g)
{
	out->pol[p].remaining = g->remaining;
	out->pol[p].reset_s = ceil_div(g->reset_ns, NS_PER_S);
	if (!g->allowed) {
		int64_t retry = ceil_div(g->retry_after_ns, NS_PER_S);

		if (retry < 1)
			retry = 1;
		if (out->verdict == VERDICT_ALLOW || retry > out->retry_after_s) {
			out->retry_after_s = retry;
			out->culprit = p;
		}
		out->verdict = VERDICT_RATE;
	}
}

/* Rolls a tenant's quota record over to the request's window when it holds another (an
 * older one, or a calendar month before the tenant's first paid period). */
static void quota_window(struct state_tenant_use *u, const struct limit_request *rq)
{
	if (u->win == rq->win && u->win_end == rq->win_end)
		return;
	u->win = rq->win;
	u->win_end = rq->win_end;
	u->calendar = rq->tenant->quota_anchor_s <= 0;
	u->admitted = 0;
	u->others = 0;
	u->flushed_mine = 0;
	u->others_known = 0;
}

void limits_decide(struct state *st, const struct config *cfg, const struct limit_request *rq,
		   struct limit_result *out)
{
	const struct state_key *k = rq->key;
	const struct state_tenant *t = rq->tenant;
	struct gcra_limit l_ip, l_ks, l_km, l_ts, l_tm;
	struct gcra_result g_ip, g_ks, g_km, g_ts, g_tm;
	struct state_ip_use *ip = NULL;
	struct state_key_use *ku;
	struct state_tenant_use *tu;
	int64_t used = 0;

	memset(out, 0, sizeof(*out));
	per_second(&l_ks, &out->pol[POL_KEY_SECOND], k->rps ? k->rps : t->key_rates.rps,
		   k->burst ? k->burst : t->key_rates.burst);
	per_minute(&l_km, &out->pol[POL_KEY_MINUTE], k->rpm ? k->rpm : t->key_rates.rpm);
	per_second(&l_ts, &out->pol[POL_TENANT_SECOND], t->rates.rps, t->rates.burst);
	per_minute(&l_tm, &out->pol[POL_TENANT_MINUTE], t->rates.rpm);

	/* Lock order: ip -> key -> tenant (state.h). */
	if (rq->ip != NULL) {
		ip = state_ip_use(st, rq->ip, rq->now_ns);
		per_second(&l_ip, &out->pol[POL_IP], cfg->ip_rps, cfg->ip_burst);
		if (ip == NULL)
			out->pol[POL_IP].applies = false; /* no room: this client goes untracked */
	}
	ku = state_key_use(st, k->id, rq->now_ns);
	tu = state_tenant_use(st, t->id, true);
	if (ku == NULL || tu == NULL) {
		out->verdict = VERDICT_BUSY;
		out->retry_after_s = 1;
		goto unlock;
	}

	if (ip != NULL) {
		gcra_check(&l_ip, ip->tat_req, rq->now_ns, 1, &g_ip);
		note(out, POL_IP, &g_ip);
	}
	gcra_check(&l_ks, ku->tat_sec, rq->now_ns, 1, &g_ks);
	note(out, POL_KEY_SECOND, &g_ks);
	gcra_check(&l_km, ku->tat_min, rq->now_ns, 1, &g_km);
	note(out, POL_KEY_MINUTE, &g_km);
	gcra_check(&l_ts, tu->tat_sec, rq->now_ns, 1, &g_ts);
	note(out, POL_TENANT_SECOND, &g_ts);
	gcra_check(&l_tm, tu->tat_min, rq->now_ns, 1, &g_tm);
	note(out, POL_TENANT_MINUTE, &g_tm);

	quota_window(tu, rq);
	if (t->monthly_quota != STATE_UNLIMITED) {
		struct limit_view *v = &out->pol[POL_MONTH];

		used = tu->others + tu->admitted;
		v->applies = true;
		v->quota = t->monthly_quota;
		v->window_s = (rq->win_end - rq->win) * 3600;
		v->reset_s = ceil_div(rq->win_end * 3600000 - rq->now_ms, 1000);
		if (!tu->others_known && !cfg->quota_fail_open) {
			/* This month's cluster usage is unknown (PostgreSQL unread): refuse. */
			out->verdict = VERDICT_BUSY;
			out->retry_after_s = 1;
		} else if (used >= t->monthly_quota) {
			out->verdict = VERDICT_QUOTA;
			out->culprit = POL_MONTH;
			out->retry_after_s = v->reset_s > 0 ? v->reset_s : 1;
			v->remaining = 0;
		} else {
			v->remaining = t->monthly_quota - used - 1;
		}
	}

	if (out->verdict == VERDICT_ALLOW) {
		if (ip != NULL)
			ip->tat_req = g_ip.tat;
		ku->tat_sec = g_ks.tat;
		ku->tat_min = g_km.tat;
		tu->tat_sec = g_ts.tat;
		tu->tat_min = g_tm.tat;
		tu->admitted++;
	} else {
		/* Nothing was counted: report what is left as it stands. */
		size_t i;

		for (i = 0; i < POL__MAX; i++)
			if (out->pol[i].remaining < 0)
				out->pol[i].remaining = 0;
	}
unlock:
	if (tu != NULL)
		state_unlock(st->tenant_use, tu);
	if (ku != NULL)
		state_unlock(st->key_use, ku);
	if (ip != NULL)
		state_unlock(st->ips, ip);
}

void limits_unreserve(struct state *st, int64_t tenant_id, int64_t win)
{
	struct state_tenant_use *tu = state_tenant_use(st, tenant_id, false);

	if (tu == NULL)
		return;
	if (tu->win == win && tu->admitted > 0)
		tu->admitted--;
	state_unlock(st->tenant_use, tu);
}

static void authfail_limit(const struct config *cfg, struct gcra_limit *l)
{
	limit_init(l, cfg->authfail_per_minute, 60 * NS_PER_S, cfg->authfail_burst);
}

bool limits_authfail_exhausted(struct state *st, const struct config *cfg,
			       const unsigned char ip[16], int64_t now_ns, int64_t *retry_after_s)
{
	struct state_ip_use *u = state_ip_use(st, ip, now_ns);
	struct gcra_limit l;
	struct gcra_result g;

	*retry_after_s = 0;
	if (u == NULL)
		return false;
	authfail_limit(cfg, &l);
	gcra_check(&l, u->tat_authfail, now_ns, 1, &g);
	state_unlock(st->ips, u);
	if (g.allowed)
		return false;
	*retry_after_s = ceil_div(g.retry_after_ns, NS_PER_S);
	if (*retry_after_s < 1)
		*retry_after_s = 1;
	return true;
}

void limits_authfail_count(struct state *st, const struct config *cfg, const unsigned char ip[16],
			   int64_t now_ns)
{
	struct state_ip_use *u = state_ip_use(st, ip, now_ns);
	struct gcra_limit l;
	struct gcra_result g;

	if (u == NULL)
		return;
	authfail_limit(cfg, &l);
	gcra_check(&l, u->tat_authfail, now_ns, 1, &g);
	u->tat_authfail = g.tat;
	state_unlock(st->ips, u);
}

/* Appends s at *p (within end); the headers below are built without printf. */
static void put(char **p, char *end, const char *s)
{
	size_t n = strlen(s);

	if (n > (size_t)(end - *p))
		n = (size_t)(end - *p);
	memcpy(*p, s, n);
	*p += n;
}

static void put_i64(char **p, char *end, int64_t v)
{
	char num[24];

	str_fmt_i64(num, v);
	put(p, end, num);
}

void limits_headers(struct fcgi_response *rs, const struct limit_result *r, int64_t now_ms,
		    bool for_copy)
{
	static const char *const names[2][5] = {
	    {"RateLimit-Policy", "RateLimit", "X-RateLimit-Limit", "X-RateLimit-Remaining",
	     "X-RateLimit-Reset"},
	    {"X-Tollgate-RateLimit-Policy", "X-Tollgate-RateLimit", "X-Tollgate-RateLimit-Limit",
	     "X-Tollgate-RateLimit-Remaining", "X-Tollgate-RateLimit-Reset"},
	};
	const char *const *n = names[for_copy ? 1 : 0];
	char policy[512], one[128], num[24], *p = policy, *end = policy + sizeof(policy) - 1;
	const struct limit_view *v;
	int best = -1, i;

	for (i = 0; i < POL__MAX; i++) {
		v = &r->pol[i];
		if (!v->applies)
			continue;
		if (p != policy)
			put(&p, end, ", ");
		put(&p, end, "\"");
		put(&p, end, policy_names[i]);
		put(&p, end, "\";q=");
		put_i64(&p, end, v->quota);
		put(&p, end, ";w=");
		put_i64(&p, end, v->window_s);
		/* The one closest to refusing: least left, then the longest wait. */
		if (best < 0 || v->remaining < r->pol[best].remaining ||
		    (v->remaining == r->pol[best].remaining && v->reset_s > r->pol[best].reset_s))
			best = i;
	}
	*p = '\0';
	if (r->verdict != VERDICT_ALLOW && r->verdict != VERDICT_BUSY && r->pol[r->culprit].applies)
		best = (int)r->culprit;
	/* A key and its tenant always have limits, so there is always a best policy. */
	v = &r->pol[best >= 0 ? best : POL_KEY_SECOND];
	fcgi_header(rs, n[0], policy);
	p = one;
	end = one + sizeof(one) - 1;
	put(&p, end, "\"");
	put(&p, end, policy_names[best >= 0 ? best : POL_KEY_SECOND]);
	put(&p, end, "\";r=");
	put_i64(&p, end, v->remaining);
	put(&p, end, ";t=");
	put_i64(&p, end, v->reset_s);
	*p = '\0';
	fcgi_header(rs, n[1], one);
	str_fmt_i64(num, v->quota);
	fcgi_header(rs, n[2], num);
	str_fmt_i64(num, v->remaining);
	fcgi_header(rs, n[3], num);
	str_fmt_i64(num, now_ms / 1000 + v->reset_s);
	fcgi_header(rs, n[4], num);
	if (r->verdict != VERDICT_ALLOW) {
		str_fmt_i64(num, r->retry_after_s);
		fcgi_header(rs, "Retry-After", num);
	}
}
