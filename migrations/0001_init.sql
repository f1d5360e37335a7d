-- Tenants, their users, plans, upstreams and API keys; and the trigger that tells every
-- node's syncer (LISTEN tollgate_sync) which row changed.

CREATE TABLE plans (
    id                 text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{0,31}$'),
    name               text NOT NULL,
    price_cents        integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    currency           text NOT NULL DEFAULT 'usd',
    monthly_requests   bigint CHECK (monthly_requests IS NULL OR monthly_requests >= 0),
    priority_support   boolean NOT NULL DEFAULT false,
    multi_region       boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN plans.monthly_requests IS 'NULL means unlimited';

INSERT INTO plans (id, name, price_cents, monthly_requests, priority_support, multi_region) VALUES
    ('free',  'Free',  0,     100000,  false, false),
    ('pro',   'Pro',   14900, 1000000, true,  false),
    ('scale', 'Scale', 29900, NULL,    true,  true);

CREATE TABLE tenants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plan_id     text NOT NULL DEFAULT 'free' REFERENCES plans (id),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email          text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    password_hash  text,
    role           text NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'admin', 'member')),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_tenant_idx ON users (tenant_id);

-- Where the gate sends a tenant's traffic. Caddy dials host:port, so only
-- http://host[:port] with no path is accepted for now.
CREATE TABLE upstreams (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    url         text NOT NULL CHECK (url ~ '^http://[A-Za-z0-9.\-]+(:[0-9]{1,5})?/?$'
                                     OR url ~ '^http://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?/?$'),
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);
CREATE UNIQUE INDEX upstreams_one_default ON upstreams (tenant_id) WHERE is_default;

-- Only a keyed hash of the secret is stored (BLAKE2b-256 keyed with the server secret),
-- plus the first characters for people to recognise a key by.
CREATE TABLE api_keys (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    prefix      text NOT NULL CHECK (prefix ~ '^tg_(live|test)_[0-9A-Za-z]{8}$'),
    hash        bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

CREATE FUNCTION tollgate_notify_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rec record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        rec := OLD;
    ELSE
        rec := NEW;
    END IF;
    IF TG_TABLE_NAME = 'upstreams' THEN
        PERFORM pg_notify('tollgate_sync', 'tenants:' || rec.tenant_id);
        IF TG_OP = 'UPDATE' AND OLD.tenant_id <> NEW.tenant_id THEN
            PERFORM pg_notify('tollgate_sync', 'tenants:' || OLD.tenant_id);
        END IF;
    ELSE
        PERFORM pg_notify('tollgate_sync', TG_TABLE_NAME || ':' || rec.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_sync AFTER INSERT OR UPDATE OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();
CREATE TRIGGER tenants_sync AFTER INSERT OR UPDATE OR DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();
CREATE TRIGGER upstreams_sync AFTER INSERT OR UPDATE OR DELETE ON upstreams
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();
