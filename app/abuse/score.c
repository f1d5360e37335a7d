/* Rules, outcomes and the logistic model. */
#include "score.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum abuse_outcome severity;
	enum abuse_scope scope;
} rules[RULE__MAX] = {
    [RULE_KEY_GUESSING] = {"key_guessing", OUTCOME_BLOCK, SCOPE_ADDRESS},
    [RULE_CREDENTIAL_STUFFING] = {"credential_stuffing", OUTCOME_BLOCK, SCOPE_ADDRESS},
    [RULE_PATH_ENUMERATION] = {"path_enumeration", OUTCOME_BLOCK, SCOPE_KEY},
    /* Rate and burstiness alone never refuse: a client within its plan's rate may be an
     * ETL job or a partner's webhooks. They are flagged, and the model may learn more
     * (shape_feature(): learned, they still never refuse alone). */
    [RULE_BURST] = {"burst", OUTCOME_FLAG, SCOPE_KEY},
    [RULE_ERROR_RATIO] = {"error_ratio", OUTCOME_FLAG, SCOPE_KEY},
    [RULE_OVERSIZED_PAYLOAD] = {"oversized_payload", OUTCOME_BLOCK, SCOPE_KEY},
    [RULE_BAD_REPUTATION] = {"bad_reputation", OUTCOME_BLOCK, SCOPE_ADDRESS},
    [RULE_CROSS_TENANT] = {"cross_tenant", OUTCOME_THROTTLE, SCOPE_ADDRESS},
    [RULE_DISTRIBUTED] = {"distributed_guessing", OUTCOME_BLOCK, SCOPE_ADDRESS},
    [RULE_LOGIN_STUFFING] = {"login_stuffing", OUTCOME_BLOCK, SCOPE_ADDRESS},
    [RULE_CAMPAIGN] = {"campaign", OUTCOME_BLOCK, SCOPE_ADDRESS},
    [RULE_ID_ENUMERATION] = {"id_enumeration", OUTCOME_BLOCK, SCOPE_KEY},
    [RULE_MIMICRY] = {"browser_mimicry", OUTCOME_BLOCK, SCOPE_KEY},
    [RULE_CRAWLER] = {"declared_crawler", OUTCOME_BLOCK, SCOPE_KEY},
};

static const char *const feature_names[F__MAX - RULE__MAX] = {
    "bias",
    "ip_rate",
    "key_rate",
    "authfail_ratio",
    "not_found_ratio",
    "client_error_share",
    "distinct_routes",
    "distinct_keys",
    "payload_z",
    "burstiness",
    "ua_scripted",
    "net_failures",
    "denied_ratio",
    "key_addresses",
    "key_networks",
    "id_walk",
    "regularity",
    "ua_churn",
    "route_focus",
    "path_variety",
    "campaign",
};

static const char *const outcome_names[OUTCOME__MAX] = {"allow", "flag", "throttle", "block"};

const char *abuse_rule_name(int rule)
{
	if (rule >= 0 && rule < RULE__MAX)
		return rules[rule].name;
	return rule == REASON_DENY_LIST ? "deny_list"
	       : rule == REASON_JUDGE	? "llm_judge"
					: "model";
}

const char *abuse_outcome_name(enum abuse_outcome o)
{
	return o < OUTCOME__MAX ? outcome_names[o] : "allow";
}

enum abuse_outcome abuse_rule_severity(enum abuse_rule r)
{
	return rules[r].severity;
}

enum abuse_scope abuse_rule_scope(enum abuse_rule r)
{
	return rules[r].scope;
}

const char *abuse_feature_name(enum abuse_feature f)
{
	if (f == F_BIAS)
		return feature_names[0];
	if (f >= F_RULE0 && f < F_RULE0 + RULE__MAX)
		return rules[f - F_RULE0].name;
	return f < F__MAX ? feature_names[f - RULE__MAX] : "?";
}

/* What a severity amounts to as a score, so heuristics and the model share thresholds. */
static float severity_score(enum abuse_outcome o)
{
	static const float s[OUTCOME__MAX] = {0.0f, 0.55f, 0.8f, 0.95f};

	return s[o];
}

void abuse_heuristics(const float x[F__MAX], struct abuse_score *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->reason = -1;
	out->scope = SCOPE_KEY;
	for (r = 0; r < RULE__MAX; r++) {
		if (x[F_RULE0 + r] < 0.5f || rules[r].severity <= out->outcome)
			continue;
		out->outcome = rules[r].severity;
		out->reason = r;
		out->scope = rules[r].scope;
	}
	out->score = severity_score(out->outcome);
}

float abuse_sigmoid(float z)
{
	if (z > 30.0f)
		return 1.0f;
	if (z < -30.0f)
		return 0.0f;
	return 1.0f / (1.0f + expf(-z));
}

/* A client's shape: how fast it goes and how unevenly, how broad and how regular its
 * requests are, what it says it is and how many share its key. Busy honest clients have
 * every shape (an ETL job is fast and regular, an open-banking provider reads hundreds of
 * accounts, a sync walks ids through records that exist); what they do not have is the
 * failures, the missing records, the oversized bodies and the rules that say harm. And its
 * surroundings: a campaign on its route or key, failures in its network, which every honest
 * client there shares (heldout5, 200 labels: a model that learned "under a campaign" from
 * 141 labelled campaign addresses blocked 55 of 58 app users who logged in meanwhile). */
static bool shape_feature(int j)
{
	switch (j) {
	case F_CAMPAIGN:
	case F_NET_FAILURES:
	case F_IP_RATE:
	case F_KEY_RATE:
	case F_BURSTINESS:
	case F_RULE0 + RULE_BURST:
	case F_DISTINCT_ROUTES:
	case F_PATH_VARIETY:
	case F_ROUTE_FOCUS:
	case F_REGULARITY:
	case F_UA_SCRIPTED:
	case F_UA_CHURN:
	case F_KEY_ADDRESSES:
	case F_KEY_NETWORKS:
	case F_ID_WALK:
		return true;
	default:
		return false;
	}
}

/* The weight a rule has in the built-in prior: what takes it alone, from a bias of -6, to
 * its severity (the logit of severity_score()). */
static const float rule_weight[OUTCOME__MAX] = {0.0f, 6.2f, 7.4f, 9.0f};

float abuse_rule_prior_weight(enum abuse_rule r)
{
	return rule_weight[rules[r].severity];
}

enum abuse_outcome abuse_standing(const struct abuse_model *m, const float x[F__MAX])
{
	enum abuse_outcome o = OUTCOME_ALLOW;
	int r;

	for (r = 0; r < RULE__MAX; r++)
		if (x[F_RULE0 + r] >= 0.5f && rules[r].severity > o &&
		    m->w[F_RULE0 + r] >= rule_weight[rules[r].severity])
			o = rules[r].severity;
	return o;
}

/* The model's probability with nothing standing under it. */
static float model_p(const struct abuse_model *m, const float x[F__MAX])
{
	float z = 0.0f, shape = 0.0f;
	int j;

	for (j = 0; j < F__MAX; j++) {
		float c = m->w[j] * x[j];

		z += c;
		if (shape_feature(j) && c > 0.0f)
			shape += c;
	}
	/* A client within its plan's rate is never refused for its shape or surroundings
	 * alone (an ETL job, a partner's webhooks, a provider reading many accounts, a user
	 * logging in during a campaign), whatever weights labels taught those features: alone
	 * they flag at most. They add to other evidence once that evidence alone would flag.
	 * (heldout4, blind, 200 labels: a model that learned
	 * "many routes" from labelled scrapers blocked 6 of 16 open-banking providers nobody
	 * had labelled, on their breadth alone.) */
	if (shape > 0.0f && abuse_sigmoid(z - shape) < m->t_flag)
		return fminf(abuse_sigmoid(z), nextafterf(m->t_throttle, 0.0f));
	return abuse_sigmoid(z);
}

float abuse_model_p(const struct abuse_model *m, const float x[F__MAX])
{
	float p;

	/* With no labels, the strongest rule decides, as in the heuristics: rules that alone
	 * only flag do not add up to a refusal. Summed, a burst and a high error share (two
	 * flags) blocked an address on day one, for every tenant when the request carried no
	 * valid key: a test suite's address that had walked 404s fast, then sent a key not
	 * yet synced (e2e, a loaded CI machine). What labels teach may combine them. */
	if (m->prior)
		return severity_score(abuse_standing(m, x));
	p = model_p(m, x);

	/* A rule that labels never contradicted stands: what it does alone, the model does at
	 * least (heldout2, 50 labels: a model that learned other things throttled where the
	 * campaign rule blocked, and lost login-campaign addresses). A block stands above any
	 * threshold training may pick (at most 0.99). */
	switch (abuse_standing(m, x)) {
	case OUTCOME_BLOCK:
		return fmaxf(p, fmaxf(0.99f, m->t_block));
	case OUTCOME_THROTTLE:
		return fmaxf(p, m->t_throttle);
	case OUTCOME_FLAG:
		return fmaxf(p, m->t_flag);
	default:
		return p;
	}
}

void abuse_model_score(const struct abuse_model *m, const float x[F__MAX], struct abuse_score *out)
{
	float best = 0.0f;
	int i;

	memset(out, 0, sizeof(*out));
	out->reason = -1;
	/* With no rule behind it, a decision blames the address: what labels taught weighs
	 * mostly what the address did (its failures, its errors), and a key may be everyone's.
	 * An app's key, seen from fewer than four addresses in the first seconds after a
	 * start, is not known to be shared yet (heldout5, 200 labels: a login stuffer's
	 * requests through the app's key, 2.7 s in, blocked the key, and with it 55 of 58 app
	 * users and every address of the login campaign). A rule that blames the key keeps
	 * its scope. */
	out->scope = SCOPE_ADDRESS;
	for (i = 0; i < RULE__MAX; i++) {
		float c = m->w[F_RULE0 + i] * x[F_RULE0 + i];

		if (c > best) {
			best = c;
			out->reason = i;
			out->scope = rules[i].scope;
		}
	}
	out->score = abuse_model_p(m, x);
	if (out->score >= m->t_block)
		out->outcome = OUTCOME_BLOCK;
	else if (out->score >= m->t_throttle)
		out->outcome = OUTCOME_THROTTLE;
	else if (out->score >= m->t_flag)
		out->outcome = OUTCOME_FLAG;
	else
		out->outcome = OUTCOME_ALLOW;
}

void abuse_model_prior(struct abuse_model *m)
{
	int r;

	memset(m, 0, sizeof(*m));
	m->w[F_BIAS] = -6.0f;
	for (r = 0; r < RULE__MAX; r++)
		m->w[F_RULE0 + r] = rule_weight[rules[r].severity];
	m->t_flag = 0.5f;
	m->t_throttle = 0.75f;
	m->t_block = 0.9f;
	m->version = 0;
	m->prior = true;
}

bool abuse_explain(const struct abuse_model *m, const float x[F__MAX], int reason, char *out,
		   size_t n)
{
	int top[4], ntop = 0, i, j;
	size_t o;
	int w;

	for (i = 0; i < F__MAX; i++) {
		float c = m->w[i] * x[i];

		if (i == F_BIAS || !(c > 0.005f))
			continue;
		if (ntop < 4)
			ntop++;
		else if (c <= m->w[top[3]] * x[top[3]])
			continue;
		/* Insert in order, largest first. */
		for (j = ntop - 1; j > 0 && m->w[top[j - 1]] * x[top[j - 1]] < c; j--)
			top[j] = top[j - 1];
		top[j] = i;
	}
	w = snprintf(out, n, "{\"rule\":\"%s\",\"model_version\":%lld,\"signals\":[",
		     abuse_rule_name(reason), (long long)m->version);
	if (w < 0 || (size_t)w >= n)
		goto full;
	o = (size_t)w;
	for (i = 0; i < ntop; i++) {
		w = snprintf(out + o, n - o,
			     "%s{\"signal\":\"%s\",\"value\":%.3g,\"contribution\":%.3g}",
			     i ? "," : "", abuse_feature_name((enum abuse_feature)top[i]),
			     (double)x[top[i]], (double)(m->w[top[i]] * x[top[i]]));
		if (w < 0 || (size_t)w >= n - o)
			goto full;
		o += (size_t)w;
	}
	w = snprintf(out + o, n - o, "]}");
	if (w < 0 || (size_t)w >= n - o)
		goto full;
	return true;
full:
	if (n >= 3)
		memcpy(out, "{}", 3);
	return false;
}
