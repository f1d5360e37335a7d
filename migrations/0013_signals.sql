-- The abuse engine's feature vector grows from 21 to 34 slots (app/abuse/score.h): four
-- rules after the nine there were (login_stuffing, campaign, id_enumeration,
-- browser_mimicry) and nine signals after the eleven (denied_ratio, key_addresses,
-- key_networks, id_walk, regularity, ua_churn, route_focus, path_variety, campaign).
-- Stored decisions and models are rewritten into the new layout so that labels already
-- given still train, and models already learned still score: an old decision had none of
-- the new signals (0); an old model gets the built-in prior's weight for a blocking rule
-- (9, as abuse_model_prior() gives one) on the new rules and none on the new signals.
UPDATE abuse_decisions
   SET features = features[1:10] || array_fill(0::real, ARRAY[4]) || features[11:21]
                  || array_fill(0::real, ARRAY[9])
 WHERE cardinality(features) = 21;

UPDATE abuse_models
   SET weights = weights[1:10] || array_fill(9::real, ARRAY[4]) || weights[11:21]
                 || array_fill(0::real, ARRAY[9])
 WHERE cardinality(weights) = 21;
