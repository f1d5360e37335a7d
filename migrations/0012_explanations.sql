-- Why each stored decision was made: the rule and the signals that pushed the score up
-- most, with how much each contributed (app/abuse/score.c, abuse_explain). Shown by the
-- decisions API and the portal. NULL for decisions stored before this migration.
ALTER TABLE abuse_decisions ADD COLUMN explanation jsonb;

-- The writer with explanations. The old signature stays, so a node not yet upgraded keeps
-- storing its decisions (without explanations) until it is.
CREATE FUNCTION tollgate_record_decisions(node text, ids uuid[], tenant_ids bigint[],
                                          key_ids bigint[], ips inet[], ats timestamptz[],
                                          outcomes text[], enforced boolean[], reasons text[],
                                          scores real[], versions bigint[], methods text[],
                                          routes text[], payloads bigint[], uas text[],
                                          headers text[], features text[], explanations text[])
RETURNS integer LANGUAGE sql AS $$
    WITH ins AS (
        INSERT INTO abuse_decisions (id, tenant_id, key_id, ip, network, at, outcome, enforced,
                                     reason, score, model_version, method, route,
                                     payload_bytes, ua_family, header_names, features, node_id,
                                     explanation)
        SELECT d.id, nullif(d.tenant_id, 0), nullif(d.key_id, 0), d.ip,
               network(set_masklen(d.ip, CASE WHEN family(d.ip) = 4 THEN 24 ELSE 48 END)),
               d.at, d.outcome, d.enforced, d.reason, d.score, d.version, d.method, d.route,
               d.payload, d.ua, d.headers, d.features::real[], node,
               nullif(d.explanation, '')::jsonb
          FROM unnest(ids, tenant_ids, key_ids, ips, ats, outcomes, enforced, reasons, scores,
                      versions, methods, routes, payloads, uas, headers, features, explanations)
               AS d(id, tenant_id, key_id, ip, at, outcome, enforced, reason, score, version,
                    method, route, payload, ua, headers, features, explanation)
          -- a tenant deleted meanwhile takes its decisions with it
         WHERE d.tenant_id = 0 OR EXISTS (SELECT 1 FROM tenants t WHERE t.id = d.tenant_id)
        ON CONFLICT (id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM ins
$$;
