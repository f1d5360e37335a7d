-- The abuse engine's feature vector grows from 34 to 35 slots (app/abuse/score.h): a
-- fourteenth rule, declared_crawler, after browser_mimicry. Stored decisions and models are
-- rewritten into the new layout so that labels already given still train and models
-- already learned still score: an old decision had the rule unfired (0); an old model gets
-- the built-in prior's weight for a blocking rule (9, as abuse_model_prior() gives one).
UPDATE abuse_decisions
   SET features = features[1:14] || 0::real || features[15:34]
 WHERE cardinality(features) = 34;

UPDATE abuse_models
   SET weights = weights[1:14] || 9::real || weights[15:34]
 WHERE cardinality(weights) = 34;
