-- The management API: what a POST with an Idempotency-Key did, so that a retry with the
-- same key and the same request gets the same answer without doing it twice. Kept 24
-- hours (the handler clears a tenant's older keys as it goes).
CREATE TABLE api_idempotency (
    tenant_id    bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash text        NOT NULL, -- SHA-256 of method, path and body
    status       integer,              -- NULL until the request is done (same transaction)
    response     text,                 -- the "data" of the response, as JSON
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (tenant_id, created_at);
