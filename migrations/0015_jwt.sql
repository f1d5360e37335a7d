-- JWT callers (docs/jwt.md): a tenant trusts an identity provider's tokens. The issuer
-- ("iss") picks the tenant, so it is unique across all tenants. Its callers are metered,
-- limited and judged as one API key of the tenant, a synthetic one made with the issuer:
-- its hash is random, so it can never be presented as a key. Keys come from a JWKS URL
-- (fetched off the gate by the jwks child into jwks_cache, as PEM) or from static_keys
-- (PEM public keys, or a JWKS document). The syncer loads the table into shared memory.
CREATE TABLE jwt_issuers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    issuer      text NOT NULL UNIQUE CHECK (length(issuer) BETWEEN 1 AND 190),
    audience    text CHECK (audience IS NULL OR length(audience) BETWEEN 1 AND 255),
    jwks_url    text CHECK (jwks_url IS NULL OR length(jwks_url) <= 512),
    static_keys text CHECK (static_keys IS NULL OR length(static_keys) <= 65536),
    team_claim  text CHECK (team_claim IS NULL OR team_claim ~ '^[A-Za-z0-9_:.-]{1,63}$'),
    key_id      bigint NOT NULL REFERENCES api_keys (id),
    jwks_cache  text,   -- PEM public keys, as converted from jwks_url's last good answer
    fetched_at  timestamptz, -- the last fetch (good or not); NULL: fetch soon
    fetch_error text,   -- why the last fetch failed; NULL when it did not
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((jwks_url IS NULL) <> (static_keys IS NULL))
);
CREATE INDEX jwt_issuers_tenant_idx ON jwt_issuers (tenant_id);

-- The gate's copy changes when anything it reads does; a fetch that found the same keys
-- only notes the time and changes nothing in memory.
CREATE TRIGGER jwt_issuers_sync
    AFTER INSERT OR DELETE OR UPDATE OF tenant_id, issuer, audience, jwks_url, static_keys,
        team_claim, key_id, jwks_cache ON jwt_issuers
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_sync();

ALTER TABLE jwt_issuers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON jwt_issuers TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT SELECT, INSERT, DELETE ON jwt_issuers TO tollgate_console;
GRANT UPDATE (audience, jwks_url, static_keys, team_claim, jwks_cache, fetched_at, fetch_error,
    updated_at) ON jwt_issuers TO tollgate_console;
GRANT USAGE ON SEQUENCE jwt_issuers_id_seq TO tollgate_console;
