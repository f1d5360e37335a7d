-- The operator's side: operator accounts and their sessions, the admin pages' role, and an
-- audit log of every change made through the portal, the admin pages and the API.

CREATE TABLE operators (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX operators_email_key ON operators (lower(email));

CREATE TABLE admin_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id  bigint      NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    hash         bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ip           text        NOT NULL DEFAULT '' CHECK (length(ip) <= 64)
);

-- Who did what, when and from where. tenant_id is the tenant acted on (NULL: the platform).
CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    tenant_id  bigint REFERENCES tenants (id) ON DELETE CASCADE,
    actor      text NOT NULL CHECK (length(actor) <= 300), -- "user:ann@x", "operator:op@y", "token:tgm_abcd1234"
    action     text NOT NULL CHECK (action ~ '^[a-z_.]{1,64}$'),
    target     text NOT NULL DEFAULT '' CHECK (length(target) <= 300),
    ip         text NOT NULL DEFAULT '' CHECK (length(ip) <= 64)
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at DESC);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- A tenant's staff see, and add to, their own tenant's entries only.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON audit_log TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT SELECT, INSERT ON audit_log TO tollgate_console;

-- Operators log in before anything is known: one function checks the password's owner,
-- one the session cookie.
CREATE FUNCTION tollgate_operator_lookup(p_email text)
RETURNS TABLE (operator_id bigint, password_hash text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id, password_hash FROM operators WHERE lower(email) = lower(p_email)
$$;
CREATE FUNCTION tollgate_admin_session_lookup(p_hash bytea)
RETURNS TABLE (session_id bigint, operator_id bigint, email text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH s AS (SELECT s.id, s.operator_id, o.email FROM admin_sessions s
               JOIN operators o ON o.id = s.operator_id
               WHERE s.hash = p_hash AND s.created_at > now() - interval '12 hours'
                 AND s.last_seen_at > now() - interval '2 hours'),
    seen AS (UPDATE admin_sessions a SET last_seen_at = now() FROM s
             WHERE a.id = s.id AND a.last_seen_at < now() - interval '1 minute')
    SELECT id, operator_id, email FROM s
$$;
CREATE FUNCTION tollgate_admin_session_start(p_operator bigint, p_hash bytea, p_ip text)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO admin_sessions (operator_id, hash, ip) VALUES (p_operator, p_hash, p_ip);
    UPDATE operators SET last_login_at = now() WHERE id = p_operator;
$$;
CREATE FUNCTION tollgate_admin_session_end(p_session bigint)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM admin_sessions WHERE id = p_session;
$$;
REVOKE ALL ON FUNCTION tollgate_operator_lookup(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_admin_session_lookup(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_admin_session_start(bigint, bytea, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_admin_session_end(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tollgate_operator_lookup(text) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_admin_session_lookup(bytea) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_admin_session_start(bigint, bytea, text) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_admin_session_end(bigint) TO tollgate_console;

-- The admin pages' role: a signed-in operator's transaction switches to it (SET LOCAL
-- ROLE) and then sees every tenant, with only the rights the pages need.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate_admin') THEN
        CREATE ROLE tollgate_admin NOLOGIN;
    END IF;
END
$$;
GRANT tollgate_admin TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tollgate_admin;
GRANT SELECT ON plans, tenants, tenant_limits, api_keys, users, upstreams, usage_monthly,
    usage_hourly, usage_tenant_monthly, abuse_decisions, audit_log, operators TO tollgate_admin;
GRANT UPDATE (status, plan_id, abuse_mode, updated_at) ON tenants TO tollgate_admin;
GRANT INSERT ON audit_log TO tollgate_admin;
GRANT EXECUTE ON FUNCTION tollgate_admin_session_start(bigint, bytea, text) TO tollgate_admin;
GRANT EXECUTE ON FUNCTION tollgate_admin_session_end(bigint) TO tollgate_admin;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenants', 'users', 'upstreams', 'api_keys', 'usage_monthly',
                             'usage_hourly', 'usage_tenant_monthly', 'abuse_decisions',
                             'audit_log']
    LOOP
        EXECUTE format('CREATE POLICY operator_all ON %I TO tollgate_admin '
                       'USING (true) WITH CHECK (true)', t);
    END LOOP;
END
$$;
