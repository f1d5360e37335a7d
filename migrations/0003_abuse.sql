-- The abuse engine: per-tenant mode and sampling, IP lists, sampled decisions with their
-- features (never bodies, never secrets) and the customers' labels, learned models, and
-- the tokens tenants use for the management API.

ALTER TABLE tenants
    ADD COLUMN abuse_mode        text    NOT NULL DEFAULT 'shadow'
                                 CHECK (abuse_mode IN ('off', 'shadow', 'enforce')),
    ADD COLUMN abuse_sample_rate integer NOT NULL DEFAULT 10
                                 CHECK (abuse_sample_rate BETWEEN 1 AND 1000000),
    ADD COLUMN judge_enabled     boolean NOT NULL DEFAULT false,
    ADD COLUMN judge_wait_ms     integer NOT NULL DEFAULT 0 CHECK (judge_wait_ms BETWEEN 0 AND 200);

-- Operator-wide (tenant_id NULL) and per-tenant address lists. A tenant's own entry wins
-- over the operator's for its traffic; allow and deny decide outright, suspect is a signal.
CREATE TABLE ip_lists (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  bigint REFERENCES tenants (id) ON DELETE CASCADE,
    network    cidr   NOT NULL,
    verdict    text   NOT NULL CHECK (verdict IN ('allow', 'deny', 'suspect')),
    note       text   NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ip_lists_unique ON ip_lists (coalesce(tenant_id, 0), network);
CREATE TRIGGER ip_lists_sync AFTER INSERT OR UPDATE OR DELETE ON ip_lists
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();

-- Sampled decisions: 1 in abuse_sample_rate admitted requests and every flagged,
-- throttled or blocked one. The id is the request id (X-Request-Id). tenant_id is NULL for
-- traffic without a valid key. Metadata only; see docs/privacy.md.
CREATE TABLE abuse_decisions (
    id            uuid        PRIMARY KEY,
    tenant_id     bigint      REFERENCES tenants (id) ON DELETE CASCADE,
    key_id        bigint,
    ip            inet        NOT NULL,
    network       cidr        NOT NULL,
    at            timestamptz NOT NULL,
    outcome       text        NOT NULL CHECK (outcome IN ('allow', 'flag', 'throttle', 'block')),
    enforced      boolean     NOT NULL,
    reason        text        NOT NULL,
    score         real        NOT NULL,
    model_version bigint      NOT NULL DEFAULT 0,
    method        text        NOT NULL,
    route         text        NOT NULL,
    payload_bytes bigint      NOT NULL DEFAULT 0,
    ua_family     text        NOT NULL,
    header_names  text        NOT NULL DEFAULT '',
    features      real[]      NOT NULL,
    label         text        CHECK (label IN ('false_positive', 'confirmed_abuse')),
    labeled_at    timestamptz,
    node_id       text        NOT NULL DEFAULT ''
);
CREATE INDEX abuse_decisions_tenant_at ON abuse_decisions (tenant_id, at DESC);
CREATE INDEX abuse_decisions_labels ON abuse_decisions (tenant_id, labeled_at) WHERE label IS NOT NULL;
CREATE INDEX abuse_decisions_at ON abuse_decisions (at);

-- Logistic-regression models over the decision features. tenant_id NULL: the global model
-- that tenants without one of their own use. At most one active per tenant.
CREATE TABLE abuse_models (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint REFERENCES tenants (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    weights     real[]  NOT NULL,
    t_flag      real    NOT NULL,
    t_throttle  real    NOT NULL,
    t_block     real    NOT NULL,
    metrics     jsonb   NOT NULL DEFAULT '{}',
    labels_used integer NOT NULL DEFAULT 0,
    active      boolean NOT NULL DEFAULT false,
    trained_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX abuse_models_version ON abuse_models (coalesce(tenant_id, 0), version);
CREATE UNIQUE INDEX abuse_models_active ON abuse_models (coalesce(tenant_id, 0)) WHERE active;
CREATE TRIGGER abuse_models_sync AFTER INSERT OR UPDATE OR DELETE ON abuse_models
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();

-- Tokens a tenant's own staff or tooling use for /api/v1 (not API keys of its callers).
-- Stored like API keys: a keyed hash and a display prefix.
CREATE TABLE api_tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text   NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    prefix      text   NOT NULL,
    hash        bytea  NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id);

-- Stores a batch of sampled decisions from one node. Idempotent: a retried batch adds
-- nothing (the id is the request id).
CREATE FUNCTION tollgate_record_decisions(node text, ids uuid[], tenant_ids bigint[],
                                          key_ids bigint[], ips inet[], ats timestamptz[],
                                          outcomes text[], enforced boolean[], reasons text[],
                                          scores real[], versions bigint[], methods text[],
                                          routes text[], payloads bigint[], uas text[],
                                          headers text[], features text[])
RETURNS integer LANGUAGE sql AS $$
    WITH ins AS (
        INSERT INTO abuse_decisions (id, tenant_id, key_id, ip, network, at, outcome, enforced,
                                     reason, score, model_version, method, route,
                                     payload_bytes, ua_family, header_names, features, node_id)
        SELECT d.id, nullif(d.tenant_id, 0), nullif(d.key_id, 0), d.ip,
               network(set_masklen(d.ip, CASE WHEN family(d.ip) = 4 THEN 24 ELSE 48 END)),
               d.at, d.outcome, d.enforced, d.reason, d.score, d.version, d.method, d.route,
               d.payload, d.ua, d.headers, d.features::real[], node
          FROM unnest(ids, tenant_ids, key_ids, ips, ats, outcomes, enforced, reasons, scores,
                      versions, methods, routes, payloads, uas, headers, features)
               AS d(id, tenant_id, key_id, ip, at, outcome, enforced, reason, score, version,
                    method, route, payload, ua, headers, features)
          -- a tenant deleted meanwhile takes its decisions with it
         WHERE d.tenant_id = 0 OR EXISTS (SELECT 1 FROM tenants t WHERE t.id = d.tenant_id)
        ON CONFLICT (id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM ins
$$;

-- Unlabelled decisions go after `days`; labelled ones stay (they train models).
CREATE FUNCTION tollgate_abuse_retention(days integer) RETURNS void LANGUAGE sql AS $$
    DELETE FROM abuse_decisions
     WHERE label IS NULL AND at < now() - make_interval(days => days)
$$;
