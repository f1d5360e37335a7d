/* Training the abuse model from the tenants' labels: logistic regression over the decision
 * features, regularised towards the model in use (or the built-in prior), trained on the
 * older labels and validated on the newer ones. A new version is activated only when, on
 * the validation labels, it catches at least as much abuse as the model in use (and some)
 * without a higher false-positive rate. Every version keeps its metrics. Runs offline: `tollgate
 * train`, and the trainer child of `tollgate serve` after enough new labels. */
#ifndef APP_TRAINER_H
#define APP_TRAINER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../../lib/err.h"
#include "../app.h"
#include "score.h"

struct sql;

/* What one training run measured (on the validation labels) and decided. */
struct train_report {
	int labels; /* labelled decisions used */
	int train_n, valid_n;
	int valid_abuse, valid_benign;
	float recall_old, fpr_old, precision_old;
	float recall_new, fpr_new, precision_new;
	float threshold; /* the new model's throttle threshold */
	int version;	 /* stored as this version */
	/* The attack class (the rule that decided the confirmed abuse) the new model would
	 * catch less of than the model in use, if any: "" when none. */
	char lost_class[32];
	int lost_n, lost_old, lost_new;
	/* Recent clients (addresses) nobody labelled: how many, how many each model would
	 * refuse, and how many the new one would refuse that the model in use does not. */
	int unlabelled, unlabelled_old, unlabelled_new, unlabelled_newly;
	/* The rules the training labels contradicted (trainer_settle_rules()): they no longer
	 * decide alone. */
	unsigned contradicted_mask; /* 1 << rule */
	bool activated;
	char why[240];
};

/* Trains a model for tenant_id (0: the global model, from every tenant's labels) when it has
 * at least min_labels labels. ERR_INPUT (why says so) when there are too few. */
enum err trainer_run(struct sql *db, int64_t tenant_id, int min_labels, struct train_report *r) WUR;

/* Which rules stand after training on x, y (the first n of n_all rows; the rest are the
 * validation labels): a rule whose refusals the training labels contradicted (at least two
 * false positives, and with 95% confidence more than one in five of its labels), and all
 * of the tenant's labels still do, is held just below its prior weight, so that the model,
 * not the rule alone, decides; every other rule keeps at least its prior weight, so that
 * what it refused alone it still refuses (abuse_standing()). The validation labels can only
 * save a rule, never condemn one: with 35 training labels, two wrong ones on a rule and no
 * confirmed refusal of it among them (heldout8, blind, 50 labels: id_enumeration) took its
 * standing, and 8 scrapers went free. Returns the contradicted rules as a mask (1 << rule).
 * Pure. */
unsigned trainer_settle_rules(const float *x, const float *y, int n, int n_all,
			      struct abuse_model *m);

/* Fits weights to examples (x: n rows of F__MAX, y: 1 abuse / 0 benign) starting from and
 * regularised towards `prior`. Pure: exposed for unit tests. */
void trainer_fit(const float *x, const float *y, int n, const struct abuse_model *prior,
		 float lambda, int iterations, struct abuse_model *out);

/* The operating threshold for model m on validation examples: among the thresholds 0.99,
 * 0.98, ... 0.06 at which it catches at least recall_floor of the abuse and refuses at most
 * fpr_ceiling of the benign, the one with the largest recall minus false-positive rate (the
 * higher on a tie). If none refuses so few, the highest that catches enough; -1 if none
 * catches enough. Sets its recall, false-positive rate and precision. Pure. */
float trainer_pick_threshold(const struct abuse_model *m, const float *x, const float *y, int n,
			     float recall_floor, float fpr_ceiling, float *recall, float *fpr,
			     float *precision);

/* Checks, per attack class (cls[i]: the rule that decided example i, RULE__MAX for none),
 * that the new model at new_t catches at least as many of the confirmed abuse examples as
 * the old one at old_t. The class losing most is written to rep->lost_* (lost_class ""
 * when none loses). Pure. */
void trainer_class_check(const struct abuse_model *old, float old_t,
			 const struct abuse_model *fresh, float new_t, const float *x,
			 const float *y, const int *cls, int n, struct train_report *rep);

/* Whether a new model measured as in rep (threshold -1: none caught as much as the model
 * in use, version old_version) is activated, with the reason in rep->why in a tenant's
 * words. Never one that catches none of the validation's confirmed abuse (0 >= 0 is not
 * "at least as much"), one that catches less overall or of any one attack class
 * (rep->lost_class), one that refuses more benign clients, or one that would refuse
 * clients nobody labelled that the model in use lets through (more than 2: a guard
 * against a model that learned "refuse everyone" from too few labels, or a signal the
 * labels only seemed to show); and, when the validation labels show it no better than the
 * model in use, one that would refuse even one such client: nothing the tenant said
 * supports the change.
 * Pure. */
bool trainer_decide(struct train_report *rep, float threshold, int old_version);

/* The trainer child of `tollgate serve`: retrains tenants with enough new labels. */
int trainer_child_run(struct app *app, volatile sig_atomic_t *stop);

#endif
