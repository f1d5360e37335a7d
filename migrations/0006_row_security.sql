-- Tenants walled in depth. Every management query already says `tenant_id = $1`; this is
-- the second wall behind it. The console's workers run their queries as the role
-- tollgate_console (SET ROLE after connecting), and for that role a tenant-owned row is
-- visible only in a transaction that has set tollgate.tenant_id to its tenant: a query
-- that forgot its predicate, or was handed another tenant's id, finds nothing. The owner
-- role (migrations, CLI, syncer, flusher) is not subject to these policies.
-- Creating the role needs CREATEROLE (or a superuser), once per PostgreSQL cluster.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_console') THEN
        CREATE ROLE tollgate_console NOLOGIN;
    END IF;
END
$$;
GRANT tollgate_console TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tollgate_console;

-- The tenant of the current transaction, or NULL (no row of any tenant).
CREATE FUNCTION tollgate_tenant() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('tollgate.tenant_id', true), '')::bigint $$;

-- The one way the console reads across tenants: from a management token's hash to its
-- tenant, before the tenant is known. Notes the token's use at most once a minute.
CREATE FUNCTION tollgate_token_lookup(token_hash bytea)
RETURNS TABLE (token_id bigint, tenant_id bigint, status text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH k AS (SELECT k.id, k.tenant_id, t.status FROM api_tokens k
               JOIN tenants t ON t.id = k.tenant_id
               WHERE k.hash = token_hash AND k.revoked_at IS NULL),
    used AS (UPDATE api_tokens a SET last_used_at = now() FROM k
             WHERE a.id = k.id AND k.status = 'active'
               AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute'))
    SELECT id, tenant_id, status FROM k
$$;
REVOKE ALL ON FUNCTION tollgate_token_lookup(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tollgate_token_lookup(bytea) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_tenant() TO tollgate_console;

-- What the console may touch at all.
GRANT SELECT ON plans TO tollgate_console;
GRANT SELECT ON tenants, tenant_limits, api_keys, api_tokens, users, upstreams,
    usage_monthly, usage_hourly, usage_tenant_monthly, abuse_decisions, abuse_models,
    ip_lists TO tollgate_console;
GRANT UPDATE (label, labeled_at) ON abuse_decisions TO tollgate_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON api_idempotency TO tollgate_console;
-- A view runs with its owner's rights unless told otherwise: then the policies below
-- would not apply through it.
ALTER VIEW tenant_limits SET (security_invoker = true);

-- The policies: one per tenant-owned table, for the console's role.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON tenants TO tollgate_console USING (id = tollgate_tenant());
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'upstreams', 'api_keys', 'api_tokens', 'usage_monthly',
                             'usage_hourly', 'usage_tenant_monthly', 'usage_node_counters',
                             'abuse_decisions', 'abuse_models', 'ip_lists', 'api_idempotency']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_wall ON %I TO tollgate_console '
                       'USING (tenant_id = tollgate_tenant()) '
                       'WITH CHECK (tenant_id = tollgate_tenant())', t);
    END LOOP;
END
$$;
