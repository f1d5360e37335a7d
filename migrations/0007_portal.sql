-- The portal: a tenant's staff sign up, log in and manage their tenant in a browser.
-- Everything here runs as the console's role (migrations/0006) inside the tenant's
-- transaction, except the three steps that come before a tenant is known (sign-up, the
-- password check at login, the session cookie's lookup): each is one SECURITY DEFINER
-- function that returns only what that step needs.

ALTER TABLE users ADD COLUMN last_login_at timestamptz;

-- A signed-in browser. Only a keyed hash of the cookie's secret is stored.
CREATE TABLE portal_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ip           text        NOT NULL DEFAULT '' CHECK (length(ip) <= 64)
);
CREATE INDEX portal_sessions_user_idx ON portal_sessions (user_id);
ALTER TABLE portal_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON portal_sessions TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());

-- A session lasts 7 days from sign-in, and ends after 24 hours unused.
CREATE FUNCTION tollgate_session_live(created timestamptz, seen timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS
$$ SELECT created > now() - interval '7 days' AND seen > now() - interval '24 hours' $$;

-- Sign-up: a new tenant on the Free plan, in shadow mode, and its owner. No rows when the
-- email is taken. The slug comes from the organisation's name, made unique.
CREATE FUNCTION tollgate_signup(p_email text, p_hash text, p_org text)
RETURNS TABLE (tenant_id bigint, user_id bigint, slug text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    base text;
    s    text;
    n    integer := 1;
    t    bigint;
    u    bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(p_email)) THEN
        RETURN;
    END IF;
    base := left(trim(both '-' FROM regexp_replace(lower(p_org), '[^a-z0-9]+', '-', 'g')), 40);
    base := trim(both '-' FROM base);
    IF length(base) < 2 THEN
        base := 'tenant';
    END IF;
    s := base;
    WHILE EXISTS (SELECT 1 FROM tenants x WHERE x.slug = s) LOOP
        n := n + 1;
        s := base || '-' || n;
    END LOOP;
    INSERT INTO tenants (slug, name, plan_id, abuse_mode) VALUES (s, p_org, 'free', 'shadow')
        RETURNING id INTO t;
    INSERT INTO users (tenant_id, email, password_hash, role)
        VALUES (t, p_email, p_hash, 'owner') RETURNING id INTO u;
    RETURN QUERY SELECT t, u, s;
EXCEPTION WHEN unique_violation THEN
    RETURN; -- the same email (or slug) signed up at the same moment
END
$$;

-- Login: the password hash to check, for one email.
CREATE FUNCTION tollgate_login_lookup(p_email text)
RETURNS TABLE (user_id bigint, tenant_id bigint, password_hash text, status text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.tenant_id, u.password_hash, t.status
    FROM users u JOIN tenants t ON t.id = u.tenant_id
    WHERE lower(u.email) = lower(p_email) AND u.password_hash IS NOT NULL
$$;

-- A session cookie's user and tenant, when the session is live. Notes its use at most once
-- a minute (which keeps it alive).
CREATE FUNCTION tollgate_session_lookup(p_hash bytea)
RETURNS TABLE (session_id bigint, user_id bigint, tenant_id bigint, email text, role text,
               status text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH s AS (SELECT s.id, s.user_id, s.tenant_id, u.email, u.role, t.status
               FROM portal_sessions s JOIN users u ON u.id = s.user_id
               JOIN tenants t ON t.id = s.tenant_id
               WHERE s.hash = p_hash AND tollgate_session_live(s.created_at, s.last_seen_at)),
    seen AS (UPDATE portal_sessions p SET last_seen_at = now() FROM s
             WHERE p.id = s.id AND p.last_seen_at < now() - interval '1 minute')
    SELECT id, user_id, tenant_id, email, role, status FROM s
$$;

REVOKE ALL ON FUNCTION tollgate_signup(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_login_lookup(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_session_lookup(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tollgate_signup(text, text, text) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_login_lookup(text) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_session_lookup(bytea) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_session_live(timestamptz, timestamptz) TO tollgate_console;

-- What the portal changes, inside its tenant's transaction (row-level security applies).
GRANT SELECT, INSERT, DELETE ON portal_sessions TO tollgate_console;
GRANT UPDATE (last_login_at) ON users TO tollgate_console;
GRANT INSERT (tenant_id, name, prefix, hash, expires_at) ON api_keys TO tollgate_console;
GRANT UPDATE (revoked_at, expires_at) ON api_keys TO tollgate_console;
GRANT INSERT (tenant_id, name, url, is_default, host_header) ON upstreams TO tollgate_console;
GRANT UPDATE (url, host_header) ON upstreams TO tollgate_console;
GRANT UPDATE (abuse_mode, updated_at) ON tenants TO tollgate_console;
