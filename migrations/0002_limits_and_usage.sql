-- Rate limits, monthly quotas and body-size limits per plan, with overrides per tenant and
-- per key; and metering: per-node cumulative counters, usage per key per hour (partitioned
-- by month) and per month (kept forever), and the function every node flushes through.

ALTER TABLE plans
    ADD COLUMN key_rps        integer NOT NULL DEFAULT 5    CHECK (key_rps > 0),
    ADD COLUMN key_burst      integer NOT NULL DEFAULT 10   CHECK (key_burst > 0),
    ADD COLUMN key_rpm        integer NOT NULL DEFAULT 300  CHECK (key_rpm > 0),
    ADD COLUMN tenant_rps     integer NOT NULL DEFAULT 10   CHECK (tenant_rps > 0),
    ADD COLUMN tenant_burst   integer NOT NULL DEFAULT 20   CHECK (tenant_burst > 0),
    ADD COLUMN tenant_rpm     integer NOT NULL DEFAULT 600  CHECK (tenant_rpm > 0),
    ADD COLUMN max_body_bytes bigint  NOT NULL DEFAULT 1048576 CHECK (max_body_bytes > 0);

UPDATE plans SET key_rps = 5, key_burst = 10, key_rpm = 300,
                 tenant_rps = 10, tenant_burst = 20, tenant_rpm = 600,
                 max_body_bytes = 1048576 WHERE id = 'free';
UPDATE plans SET key_rps = 25, key_burst = 50, key_rpm = 1500,
                 tenant_rps = 100, tenant_burst = 200, tenant_rpm = 6000,
                 max_body_bytes = 10485760 WHERE id = 'pro';
UPDATE plans SET key_rps = 100, key_burst = 200, key_rpm = 6000,
                 tenant_rps = 500, tenant_burst = 1000, tenant_rpm = 30000,
                 max_body_bytes = 104857600 WHERE id = 'scale';

-- NULL: the plan's value.
ALTER TABLE tenants
    ADD COLUMN key_rps           integer CHECK (key_rps > 0),
    ADD COLUMN key_burst         integer CHECK (key_burst > 0),
    ADD COLUMN key_rpm           integer CHECK (key_rpm > 0),
    ADD COLUMN tenant_rps        integer CHECK (tenant_rps > 0),
    ADD COLUMN tenant_burst      integer CHECK (tenant_burst > 0),
    ADD COLUMN tenant_rpm        integer CHECK (tenant_rpm > 0),
    ADD COLUMN monthly_requests  bigint  CHECK (monthly_requests >= 0),
    ADD COLUMN monthly_unlimited boolean NOT NULL DEFAULT false,
    ADD COLUMN max_body_bytes    bigint  CHECK (max_body_bytes > 0);

-- NULL: the tenant's per-key value.
ALTER TABLE api_keys
    ADD COLUMN rps   integer CHECK (rps > 0),
    ADD COLUMN burst integer CHECK (burst > 0),
    ADD COLUMN rpm   integer CHECK (rpm > 0);

-- What the gate enforces for a tenant, all overrides applied (NULL quota: unlimited).
CREATE VIEW tenant_limits AS
SELECT t.id AS tenant_id,
       coalesce(t.key_rps, p.key_rps)           AS key_rps,
       coalesce(t.key_burst, p.key_burst)       AS key_burst,
       coalesce(t.key_rpm, p.key_rpm)           AS key_rpm,
       coalesce(t.tenant_rps, p.tenant_rps)     AS tenant_rps,
       coalesce(t.tenant_burst, p.tenant_burst) AS tenant_burst,
       coalesce(t.tenant_rpm, p.tenant_rpm)     AS tenant_rpm,
       CASE WHEN t.monthly_unlimited THEN NULL
            ELSE coalesce(t.monthly_requests, p.monthly_requests) END AS monthly_requests,
       coalesce(t.max_body_bytes, p.max_body_bytes) AS max_body_bytes
FROM tenants t JOIN plans p ON p.id = t.plan_id;

-- A plan's change reaches every node (the syncer reloads on any plans notification).
CREATE TRIGGER plans_sync AFTER INSERT OR UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();

-- Each copy of a node's counters (its shared-memory file) is one incarnation; last_seq is
-- the last flush batch applied, so a retried batch is recognised and applied once.
CREATE TABLE nodes (
    node_id        text   NOT NULL CHECK (length(node_id) BETWEEN 1 AND 128),
    incarnation    bigint NOT NULL,
    last_seq       bigint NOT NULL DEFAULT 0,
    first_flush_at timestamptz NOT NULL DEFAULT now(),
    last_flush_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_id, incarnation)
);

-- The cumulative values each node incarnation last flushed, per key and hour. A flush adds
-- (new - stored) to the usage tables and stores new, in one transaction: repeating a flush
-- adds nothing. Rows are only needed while a node may still flush that hour.
CREATE TABLE usage_node_counters (
    node_id     text        NOT NULL,
    incarnation bigint      NOT NULL,
    key_id      bigint      NOT NULL,
    hour        timestamptz NOT NULL,
    tenant_id   bigint      NOT NULL,
    requests    bigint NOT NULL DEFAULT 0,
    status_2xx  bigint NOT NULL DEFAULT 0,
    status_3xx  bigint NOT NULL DEFAULT 0,
    status_4xx  bigint NOT NULL DEFAULT 0,
    status_5xx  bigint NOT NULL DEFAULT 0,
    latency_ms  bigint NOT NULL DEFAULT 0,
    bytes_out   bigint NOT NULL DEFAULT 0,
    tokens      bigint NOT NULL DEFAULT 0,
    cost_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, incarnation, key_id, hour)
);
CREATE INDEX usage_node_counters_hour_idx ON usage_node_counters (hour);

-- Usage per key per hour, summed over nodes. One partition per month (made ahead by the
-- flusher); old partitions can be dropped while usage_monthly keeps the totals.
CREATE TABLE usage_hourly (
    key_id      bigint      NOT NULL,
    hour        timestamptz NOT NULL,
    tenant_id   bigint      NOT NULL,
    requests    bigint NOT NULL DEFAULT 0,
    status_2xx  bigint NOT NULL DEFAULT 0,
    status_3xx  bigint NOT NULL DEFAULT 0,
    status_4xx  bigint NOT NULL DEFAULT 0,
    status_5xx  bigint NOT NULL DEFAULT 0,
    latency_ms  bigint NOT NULL DEFAULT 0,
    bytes_out   bigint NOT NULL DEFAULT 0,
    tokens      bigint NOT NULL DEFAULT 0,
    cost_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, hour)
) PARTITION BY RANGE (hour);
CREATE TABLE usage_hourly_default PARTITION OF usage_hourly DEFAULT;
CREATE INDEX usage_hourly_tenant_idx ON usage_hourly (tenant_id, hour);

-- Usage per key per calendar month (UTC): what a tenant is billed for.
CREATE TABLE usage_monthly (
    key_id      bigint NOT NULL,
    month       date   NOT NULL CHECK (extract(day FROM month) = 1),
    tenant_id   bigint NOT NULL,
    requests    bigint NOT NULL DEFAULT 0,
    status_2xx  bigint NOT NULL DEFAULT 0,
    status_3xx  bigint NOT NULL DEFAULT 0,
    status_4xx  bigint NOT NULL DEFAULT 0,
    status_5xx  bigint NOT NULL DEFAULT 0,
    latency_ms  bigint NOT NULL DEFAULT 0,
    bytes_out   bigint NOT NULL DEFAULT 0,
    tokens      bigint NOT NULL DEFAULT 0,
    cost_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, month)
);
CREATE INDEX usage_monthly_tenant_idx ON usage_monthly (tenant_id, month);

-- Requests per tenant per month: the quota every node reads back after each flush.
CREATE TABLE usage_tenant_monthly (
    tenant_id bigint NOT NULL,
    month     date   NOT NULL,
    requests  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, month)
);

-- Makes the monthly partition of usage_hourly for the month holding `at`, if missing.
CREATE FUNCTION tollgate_usage_partition(at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lo timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi timestamptz := lo + interval '1 month';
    name text := format('usage_hourly_%s', to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM'));
BEGIN
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_hourly FOR VALUES FROM (%L) TO (%L)',
                       name, lo, hi);
    END IF;
END
$$;
SELECT tollgate_usage_partition(now());
SELECT tollgate_usage_partition(now() + interval '1 month');

-- Applies one flush batch of node `node`, incarnation `inc`: cumulative counters per
-- (key, hour). Returns false when batch `seq` was already applied (a retry).
CREATE FUNCTION tollgate_flush(node text, inc bigint, seq bigint,
                               key_ids bigint[], tenant_ids bigint[], hours timestamptz[],
                               c_requests bigint[], c_2xx bigint[], c_3xx bigint[],
                               c_4xx bigint[], c_5xx bigint[], c_latency bigint[],
                               c_bytes bigint[], c_tokens bigint[], c_cost bigint[])
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    applied bigint;
BEGIN
    INSERT INTO nodes (node_id, incarnation) VALUES (node, inc) ON CONFLICT DO NOTHING;
    SELECT last_seq INTO applied FROM nodes
     WHERE node_id = node AND incarnation = inc FOR UPDATE;
    IF seq <= applied THEN
        RETURN false;
    END IF;

    CREATE TEMP TABLE IF NOT EXISTS flush_delta (
        key_id bigint, tenant_id bigint, hour timestamptz,
        requests bigint, status_2xx bigint, status_3xx bigint, status_4xx bigint,
        status_5xx bigint, latency_ms bigint, bytes_out bigint, tokens bigint,
        cost_micros bigint) ON COMMIT DELETE ROWS;
    DELETE FROM flush_delta;

    -- What each counter grew by since this incarnation last flushed it. The ORDER BY
    -- keeps row locks in one order across nodes, so concurrent flushes cannot deadlock.
    INSERT INTO flush_delta
    SELECT i.key_id, i.tenant_id, i.hour,
           greatest(i.requests - coalesce(c.requests, 0), 0),
           greatest(i.status_2xx - coalesce(c.status_2xx, 0), 0),
           greatest(i.status_3xx - coalesce(c.status_3xx, 0), 0),
           greatest(i.status_4xx - coalesce(c.status_4xx, 0), 0),
           greatest(i.status_5xx - coalesce(c.status_5xx, 0), 0),
           greatest(i.latency_ms - coalesce(c.latency_ms, 0), 0),
           greatest(i.bytes_out - coalesce(c.bytes_out, 0), 0),
           greatest(i.tokens - coalesce(c.tokens, 0), 0),
           greatest(i.cost_micros - coalesce(c.cost_micros, 0), 0)
      FROM unnest(key_ids, tenant_ids, hours, c_requests, c_2xx, c_3xx, c_4xx, c_5xx,
                  c_latency, c_bytes, c_tokens, c_cost)
           AS i(key_id, tenant_id, hour, requests, status_2xx, status_3xx, status_4xx,
                status_5xx, latency_ms, bytes_out, tokens, cost_micros)
      LEFT JOIN usage_node_counters c
        ON c.node_id = node AND c.incarnation = inc AND c.key_id = i.key_id
       AND c.hour = i.hour;

    INSERT INTO usage_node_counters AS c
           (node_id, incarnation, key_id, hour, tenant_id, requests, status_2xx, status_3xx,
            status_4xx, status_5xx, latency_ms, bytes_out, tokens, cost_micros)
    SELECT node, inc, i.key_id, i.hour, i.tenant_id, i.requests, i.status_2xx, i.status_3xx,
           i.status_4xx, i.status_5xx, i.latency_ms, i.bytes_out, i.tokens, i.cost_micros
      FROM unnest(key_ids, tenant_ids, hours, c_requests, c_2xx, c_3xx, c_4xx, c_5xx,
                  c_latency, c_bytes, c_tokens, c_cost)
           AS i(key_id, tenant_id, hour, requests, status_2xx, status_3xx, status_4xx,
                status_5xx, latency_ms, bytes_out, tokens, cost_micros)
     ORDER BY 3, 4
    ON CONFLICT (node_id, incarnation, key_id, hour) DO UPDATE SET
           requests    = greatest(c.requests, EXCLUDED.requests),
           status_2xx  = greatest(c.status_2xx, EXCLUDED.status_2xx),
           status_3xx  = greatest(c.status_3xx, EXCLUDED.status_3xx),
           status_4xx  = greatest(c.status_4xx, EXCLUDED.status_4xx),
           status_5xx  = greatest(c.status_5xx, EXCLUDED.status_5xx),
           latency_ms  = greatest(c.latency_ms, EXCLUDED.latency_ms),
           bytes_out   = greatest(c.bytes_out, EXCLUDED.bytes_out),
           tokens      = greatest(c.tokens, EXCLUDED.tokens),
           cost_micros = greatest(c.cost_micros, EXCLUDED.cost_micros);

    INSERT INTO usage_hourly AS u
    SELECT key_id, hour, tenant_id, requests, status_2xx, status_3xx, status_4xx, status_5xx,
           latency_ms, bytes_out, tokens, cost_micros
      FROM flush_delta ORDER BY key_id, hour
    ON CONFLICT (key_id, hour) DO UPDATE SET
           requests    = u.requests + EXCLUDED.requests,
           status_2xx  = u.status_2xx + EXCLUDED.status_2xx,
           status_3xx  = u.status_3xx + EXCLUDED.status_3xx,
           status_4xx  = u.status_4xx + EXCLUDED.status_4xx,
           status_5xx  = u.status_5xx + EXCLUDED.status_5xx,
           latency_ms  = u.latency_ms + EXCLUDED.latency_ms,
           bytes_out   = u.bytes_out + EXCLUDED.bytes_out,
           tokens      = u.tokens + EXCLUDED.tokens,
           cost_micros = u.cost_micros + EXCLUDED.cost_micros;

    INSERT INTO usage_monthly AS u
    SELECT key_id, (date_trunc('month', hour AT TIME ZONE 'UTC'))::date, min(tenant_id),
           sum(requests), sum(status_2xx), sum(status_3xx), sum(status_4xx), sum(status_5xx),
           sum(latency_ms), sum(bytes_out), sum(tokens), sum(cost_micros)
      FROM flush_delta GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (key_id, month) DO UPDATE SET
           requests    = u.requests + EXCLUDED.requests,
           status_2xx  = u.status_2xx + EXCLUDED.status_2xx,
           status_3xx  = u.status_3xx + EXCLUDED.status_3xx,
           status_4xx  = u.status_4xx + EXCLUDED.status_4xx,
           status_5xx  = u.status_5xx + EXCLUDED.status_5xx,
           latency_ms  = u.latency_ms + EXCLUDED.latency_ms,
           bytes_out   = u.bytes_out + EXCLUDED.bytes_out,
           tokens      = u.tokens + EXCLUDED.tokens,
           cost_micros = u.cost_micros + EXCLUDED.cost_micros;

    INSERT INTO usage_tenant_monthly AS u
    SELECT tenant_id, (date_trunc('month', hour AT TIME ZONE 'UTC'))::date, sum(requests)
      FROM flush_delta GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (tenant_id, month) DO UPDATE SET requests = u.requests + EXCLUDED.requests;

    UPDATE nodes SET last_seq = seq, last_flush_at = now()
     WHERE node_id = node AND incarnation = inc;
    RETURN true;
END
$$;

-- Keeps the usage tables from growing without end: drops monthly partitions of
-- usage_hourly older than `keep_months` (usage_monthly keeps their totals), and a node's
-- cumulative counters it can no longer flush: those of its earlier incarnations, and its
-- own older than `before` (the flusher passes the oldest hour it still holds unflushed).
CREATE FUNCTION tollgate_usage_retention(node text, inc bigint, before timestamptz,
                                         keep_months integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                          - make_interval(months => keep_months);
    part record;
BEGIN
    DELETE FROM usage_node_counters c
     WHERE c.node_id = node
       AND c.hour < least(before, now() - interval '2 days')
       AND (c.incarnation <> inc OR c.hour < before);
    FOR part IN
        SELECT child.relname
          FROM pg_inherits i
          JOIN pg_class child ON child.oid = i.inhrelid
          JOIN pg_class parent ON parent.oid = i.inhparent
         WHERE parent.relname = 'usage_hourly'
           AND child.relname ~ '^usage_hourly_[0-9]{4}_[0-9]{2}$'
    LOOP
        IF to_timestamp(substr(part.relname, 14), 'YYYY_MM') AT TIME ZONE 'UTC'
               + interval '1 month' <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
        END IF;
    END LOOP;
END
$$;
