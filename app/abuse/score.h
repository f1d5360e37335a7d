/* The abuse engine's pure half: features, named heuristic rules, and the logistic model
 * that scores them. No state, no I/O, no allocation; the gate calls it on every request
 * and the trainer uses the same definitions offline. */
#ifndef APP_ABUSE_SCORE_H
#define APP_ABUSE_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Heuristic rules, in the order of their feature slots. Each has a name (the decision's
 * reason), a severity, and the client it blames (the address or the key). */
enum abuse_rule {
	RULE_KEY_GUESSING,	  /* one address, many failed authentications */
	RULE_CREDENTIAL_STUFFING, /* one address presenting many different keys */
	RULE_PATH_ENUMERATION,	  /* one client walking many distinct routes (scraping) */
	RULE_BURST,		  /* a sudden rate far above the client's own recent rate */
	RULE_ERROR_RATIO,	  /* most of a client's recent responses are 4xx */
	RULE_OVERSIZED_PAYLOAD,	  /* a body far larger than the route usually gets */
	RULE_BAD_REPUTATION,	  /* the address is on a suspect list */
	RULE_CROSS_TENANT,	  /* the address was blocked for another tenant lately */
	RULE_DISTRIBUTED,	  /* failed authentications spread over one network */
	RULE_LOGIN_STUFFING,	  /* one address the API keeps answering 401/403 (logins) */
	RULE_CAMPAIGN,		  /* a failing address in a campaign on its key or route */
	RULE_ID_ENUMERATION,	  /* walking record ids upwards, into records that do not exist */
	RULE_MIMICRY,		  /* a "browser" that walks records like a crawler */
	RULE_CRAWLER,		  /* a declared web crawler reading records with an API key */
	RULE__MAX
};

/* The feature vector, the same for the model, the decision records and the trainer. (*): a
 * share times min(its denominator / 5, 1), so that a share of one or two answers weighs
 * little. */
enum abuse_feature {
	F_BIAS,
	F_RULE0,			 /* RULE__MAX slots: 1 when the rule fires */
	F_IP_RATE = F_RULE0 + RULE__MAX, /* log1p(requests per minute from the address) / 5 */
	F_KEY_RATE,			 /* log1p(requests per minute with the key) / 5 */
	F_AUTHFAIL_RATIO,		 /* failed / all authentications from the address (*) */
	F_NOT_FOUND_RATIO,		 /* 404s / responses for the client (*) */
	F_ERROR_RATIO,			 /* 4xx / responses for the client (*) */
	F_DISTINCT_ROUTES,		 /* log1p(distinct routes lately) / 5 */
	F_DISTINCT_KEYS,		 /* log1p(distinct keys from the address lately - 1) / 3 */
	F_PAYLOAD_Z,			 /* min(body size z-score for its route, 10) / 10 */
	F_BURSTINESS,			 /* min(10 s rate / rate over 10 min or its age, 20) / 20 */
	F_UA_SCRIPTED,			 /* no User-Agent, or a scripting tool's */
	F_NET_FAILURES,			 /* log1p(failed authentications in the /24 or /48) / 5 */
	F_DENIED_RATIO,			 /* 401/403 answers / responses for the address (*) */
	F_KEY_ADDRESSES,		 /* log1p(addresses using the key lately) / 5 */
	F_KEY_NETWORKS,			 /* log1p(networks using the key lately) / 3 */
	F_ID_WALK,	/* of id steps within 16, the share upwards, times min(ids / 20, 1) */
	F_REGULARITY,	/* 1 - coefficient of variation of the request gaps */
	F_UA_CHURN,	/* (User-Agent families from the address - 1) / 4 */
	F_ROUTE_FOCUS,	/* share of requests on the main route, times min(requests / 20, 1) */
	F_PATH_VARIETY, /* log1p(distinct paths lately) / 5 */
	F_CAMPAIGN,	/* the key, route or network is under a campaign */
	F__MAX
};

enum abuse_outcome { OUTCOME_ALLOW, OUTCOME_FLAG, OUTCOME_THROTTLE, OUTCOME_BLOCK, OUTCOME__MAX };

enum abuse_scope { SCOPE_ADDRESS, SCOPE_KEY };

/* Decision reasons besides the rules. */
#define REASON_MODEL	 (-1) /* the model, no single rule */
#define REASON_DENY_LIST (-2) /* an address list said deny */
#define REASON_JUDGE	 (-3) /* the LLM judge's verdict */

/* What the LLM judge said about a client (cached in shared memory). */
enum judge_verdict { JUDGE_NONE, JUDGE_BENIGN, JUDGE_ABUSE, JUDGE_UNSURE, JUDGE__MAX };

/* A logistic model: p = 1 / (1 + exp(-w.x)), and the probabilities at which it flags,
 * throttles and blocks. */
struct abuse_model {
	float w[F__MAX];
	float t_flag, t_throttle, t_block;
	int64_t version; /* 0: the built-in prior */
	/* The built-in prior itself, not a model trained from it: it decides as the heuristics
	 * do, by its strongest rule (abuse_model_p()). */
	bool prior;
};

struct abuse_score {
	enum abuse_outcome outcome;
	float score; /* the model's probability, or the heuristic severity */
	int reason;  /* an enum abuse_rule, or -1: "model" (no single rule) */
	enum abuse_scope scope;
};

/* A rule's name, or "model", "deny_list", "llm_judge" for the REASON_* values. */
const char *abuse_rule_name(int rule);
const char *abuse_outcome_name(enum abuse_outcome o);
enum abuse_outcome abuse_rule_severity(enum abuse_rule r);
enum abuse_scope abuse_rule_scope(enum abuse_rule r);
/* The name of a feature, for the trainer's reports and docs/abuse-engine.md. */
const char *abuse_feature_name(enum abuse_feature f);

/* Heuristics alone: the most severe rule that fires decides. */
void abuse_heuristics(const float x[F__MAX], struct abuse_score *out);
/* The model: the probability against its thresholds; the reason is the rule contributing
 * most to the score, if any contributes. */
void abuse_model_score(const struct abuse_model *m, const float x[F__MAX], struct abuse_score *out);
/* The model's probability for x, as scoring and training both judge it: a client's shape
 * (rate, burstiness and the burst rule, breadth, focus, regularity, User-Agent, key fan-out,
 * id walks through records that exist) may flag it on its own but never refuse it: the
 * shape counts in full only for a client the other features would flag.
 * And a rule that stands (abuse_standing()) holds it at least at its severity's threshold. */
float abuse_model_p(const struct abuse_model *m, const float x[F__MAX]);
/* The strongest severity among the rules that fire in x and still stand in m: those whose
 * weight is at least the prior's (abuse_rule_prior_weight()). Training lowers a rule below
 * that only when labels contradict it (trainer_settle_rules()), and the rule then no longer
 * decides alone: the model does. */
enum abuse_outcome abuse_standing(const struct abuse_model *m, const float x[F__MAX]);
float abuse_rule_prior_weight(enum abuse_rule r);
/* The built-in prior: weights that reproduce the heuristics (a block rule alone blocks,
 * a throttle rule throttles, a flag rule flags) with no weight on anything else. */
void abuse_model_prior(struct abuse_model *m);
float abuse_sigmoid(float z);

/* Why m scored x as it did, as a JSON object for people and the decisions API:
 * {"rule": the reason's name, "model_version": N, "signals": [{"signal", "value",
 * "contribution"}...]}, the signals being the (at most 4) features that pushed the score
 * up most (weight times value, the bias left out), largest first. Writes at most n bytes
 * (NUL included); returns false when they do not fit (out is then "{}"). */
bool abuse_explain(const struct abuse_model *m, const float x[F__MAX], int reason, char *out,
		   size_t n);

#endif
