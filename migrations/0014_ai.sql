-- AI routes (docs/ai-routes.md): a tenant turns them on under a path prefix of its API,
-- names its providers (OpenAI, Anthropic, any OpenAI-compatible server) and the aliases
-- callers ask for, each an ordered list of provider/model to fall back along. The AI pool
-- reads these tables; the gate only needs the prefix (synced into shared memory).

-- NULL: AI routes are off. "/v1": POST /v1/chat/completions, /v1/embeddings, /v1/messages
-- and GET /v1/models go to the AI pool; every other path to the tenant's upstream.
ALTER TABLE tenants
    ADD COLUMN ai_prefix text
        CHECK (ai_prefix IS NULL OR ai_prefix ~ '^(/[A-Za-z0-9._~-]{1,32}){0,4}$'),
    -- Spending caps per calendar month (UTC) in millionths of the currency: the tenant as
    -- a whole, and each of its keys. NULL: none.
    ADD COLUMN ai_budget_micros bigint CHECK (ai_budget_micros >= 0),
    ADD COLUMN ai_key_budget_micros bigint CHECK (ai_key_budget_micros >= 0),
    -- The same per calendar day (UTC), and for each team (the team claim of JWT callers,
    -- docs/jwt.md) per month and per day.
    ADD COLUMN ai_budget_day_micros bigint CHECK (ai_budget_day_micros >= 0),
    ADD COLUMN ai_key_budget_day_micros bigint CHECK (ai_key_budget_day_micros >= 0),
    ADD COLUMN ai_team_budget_micros bigint CHECK (ai_team_budget_micros >= 0),
    ADD COLUMN ai_team_budget_day_micros bigint CHECK (ai_team_budget_day_micros >= 0),
    -- The share of a budget past which the tenant's owners and admins are mailed, once a
    -- month per budget.
    ADD COLUMN ai_budget_warn_pct integer NOT NULL DEFAULT 80
        CHECK (ai_budget_warn_pct BETWEEN 1 AND 100),
    -- And a URL the warning is POSTed to (signed: docs/ai-routes.md), NULL: none.
    ADD COLUMN ai_budget_webhook text
        CHECK (ai_budget_webhook ~* '^https?://' AND length(ai_budget_webhook) <= 512),
    -- Tokens per minute (prompt and answer) for the tenant as a whole, and for each key,
    -- on each node. NULL: none.
    ADD COLUMN ai_tpm bigint CHECK (ai_tpm >= 0),
    ADD COLUMN ai_key_tpm bigint CHECK (ai_key_tpm >= 0),
    -- The answer cache: how long an answer is served again (0: off), and whether
    -- requests that are not deterministic (temperature not 0) may be served from it.
    ADD COLUMN ai_cache_ttl_s integer NOT NULL DEFAULT 0 CHECK (ai_cache_ttl_s BETWEEN 0 AND 2592000),
    ADD COLUMN ai_cache_any boolean NOT NULL DEFAULT false,
    -- The semantic cache: the alias whose embeddings compare prompts (NULL: off), and
    -- the cosine similarity from which a cached answer is served.
    ADD COLUMN ai_semantic_alias text,
    ADD COLUMN ai_semantic_threshold real NOT NULL DEFAULT 0.95
        CHECK (ai_semantic_threshold BETWEEN 0.5 AND 1);

CREATE TABLE ai_providers (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text   NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    kind        text   NOT NULL CHECK (kind IN ('openai', 'anthropic')),
    -- OpenAI kind: the base the SDKs use (https://api.openai.com/v1), the paths follow it;
    -- Anthropic kind: https://api.anthropic.com, "/v1/messages" follows it.
    base_url    text   NOT NULL CHECK (base_url ~* '^https?://' AND length(base_url) <= 512),
    -- The provider's API key sealed with the server secret (lib/cryptox: nonce, cipher
    -- text, tag); never returned by any API, never logged.
    key_sealed  bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- Providers the operator offers every tenant (its own OpenAI account, say): an alias names
-- one like its own; a tenant's provider of the same name comes first. Not a tenant's: the
-- console's role may read them (the AI pool calls them) but never change them.
CREATE TABLE ai_operator_providers (
    id          bigserial PRIMARY KEY,
    name        text   NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    kind        text   NOT NULL CHECK (kind IN ('openai', 'anthropic')),
    base_url    text   NOT NULL CHECK (base_url ~* '^https?://' AND length(base_url) <= 512),
    key_sealed  bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ai_aliases (
    id          bigserial PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text   NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
    -- [{"provider": "openai", "model": "gpt-4o-mini", "weight": 3}, ...]: the first try
    -- goes to one of the entries that have a weight, in proportion to it (none: the
    -- first entry); then the others in order, on a 429, a 5xx, a connect error or a
    -- timeout.
    targets     jsonb  NOT NULL CHECK (jsonb_typeof(targets) = 'array'
                                       AND jsonb_array_length(targets) BETWEEN 1 AND 8),
    -- {"free": [...targets]}: the list used instead while the tenant is on that plan.
    by_plan     jsonb  NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(by_plan) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- The operator's price list, per model, in millionths of the currency per million tokens.
-- A model not listed costs nothing (and is metered in tokens only).
CREATE TABLE ai_prices (
    model                  text   PRIMARY KEY,
    input_micros_per_mtok  bigint NOT NULL CHECK (input_micros_per_mtok >= 0),
    output_micros_per_mtok bigint NOT NULL CHECK (output_micros_per_mtok >= 0)
);
INSERT INTO ai_prices VALUES
    ('gpt-4o-mini', 150000, 600000),
    ('gpt-4o', 2500000, 10000000),
    ('gpt-4.1-mini', 400000, 1600000),
    ('text-embedding-3-small', 20000, 0),
    ('claude-3-5-haiku-latest', 800000, 4000000),
    ('claude-sonnet-4-5', 3000000, 15000000);

-- Answers served again, per tenant: exact (by the hash of the normalised request) and
-- semantic (by the embedding of its prompt, compared within one model name).
CREATE TABLE ai_cache (
    tenant_id  bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    hash       bytea  NOT NULL,
    body       text   NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, hash)
);
CREATE TABLE ai_semantic (
    id         bigserial PRIMARY KEY,
    tenant_id  bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    model      text   NOT NULL, -- as the caller asked (the alias), with the API's shape
    embedding  real[] NOT NULL,
    prompt     text   NOT NULL, -- its first 200 characters, to explain a hit
    body       text   NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX ai_semantic_lookup ON ai_semantic (tenant_id, model, expires_at);

ALTER TABLE ai_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_semantic ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON ai_cache TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
CREATE POLICY tenant_wall ON ai_semantic TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON ai_cache, ai_semantic TO tollgate_console;
GRANT USAGE ON SEQUENCE ai_semantic_id_seq TO tollgate_console;

-- What each team (of JWT callers) spent on AI calls, per day (UTC): written by the AI pool
-- once an answer has been sent, for the team budgets.
CREATE TABLE ai_team_spend (
    tenant_id   bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    team        text   NOT NULL CHECK (length(team) BETWEEN 1 AND 128),
    day         date   NOT NULL,
    cost_micros bigint NOT NULL DEFAULT 0,
    tokens      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, team, day)
);
ALTER TABLE ai_team_spend ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON ai_team_spend TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT SELECT, INSERT, UPDATE ON ai_team_spend TO tollgate_console;

-- Providers (model '') and provider models cooling down after a failure, as every node
-- sees them: the AI pool writes one when a call fails and reads them with the targets.
-- provider is ai_providers.id, or an operator's provider's id + 2^40. Not a tenant's row:
-- it says no more than that some provider failed a while ago.
CREATE TABLE ai_cooldowns (
    provider bigint NOT NULL,
    model    text   NOT NULL,
    until    timestamptz NOT NULL,
    PRIMARY KEY (provider, model)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON ai_cooldowns TO tollgate_console;

-- Budget warnings already given: one per budget (the tenant's, key 0, or a key's) a month.
CREATE TABLE ai_budget_warnings (
    tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_id    bigint NOT NULL,
    month     date   NOT NULL,
    spent     bigint NOT NULL,
    budget    bigint NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key_id, month)
);

-- Budget warnings to POST to a tenant's webhook, sent by the hooks child (at least once,
-- retried with backoff), like the mail outbox.
CREATE TABLE ai_webhook_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url             text   NOT NULL,
    body            text   NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text NOT NULL DEFAULT ''
);
CREATE INDEX ai_webhook_outbox_due ON ai_webhook_outbox (next_attempt_at) WHERE sent_at IS NULL;
ALTER TABLE ai_webhook_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON ai_webhook_outbox TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());

-- Called by the AI pool (as the console's role, in the tenant's transaction) when a
-- request took a budget past its warning share: records the warning and queues a mail to
-- the tenant's owners and admins, the first time this month only. Returns the mails queued.
CREATE FUNCTION tollgate_ai_budget_warn(p_tenant bigint, p_key bigint, p_spent bigint,
                                        p_budget bigint)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n integer;
    what text;
BEGIN
    IF p_tenant IS DISTINCT FROM tollgate_tenant() THEN
        RETURN 0;
    END IF;
    INSERT INTO ai_budget_warnings (tenant_id, key_id, month, spent, budget)
        VALUES (p_tenant, p_key, date_trunc('month', now() AT TIME ZONE 'UTC')::date,
                p_spent, p_budget)
        ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    what := CASE WHEN p_key = 0 THEN 'the account''s AI budget'
                 ELSE format('the AI budget of API key %s', p_key) END;
    INSERT INTO mail_outbox (to_addr, subject, body)
        SELECT u.email, 'Tollgate: ' || what || ' is nearly spent',
               format(E'Hello,\n\nThis month %s calls have cost %s of the %s budgeted (%s%%).\n'
                      'Once it is spent, AI requests are refused (402) until the next month, '
                      'or until the budget is raised.\n\n-- Tollgate\n',
                      what, to_char(p_spent / 1e6, 'FM999999990.000000'),
                      to_char(p_budget / 1e6, 'FM999999990.000000'),
                      CASE WHEN p_budget > 0 THEN (100 * p_spent / p_budget)::text ELSE '100' END)
          FROM users u WHERE u.tenant_id = p_tenant AND u.role IN ('owner', 'admin');
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO ai_webhook_outbox (tenant_id, url, body)
        SELECT t.id, t.ai_budget_webhook,
               jsonb_build_object('type', 'ai.budget.warning', 'tenant', t.slug,
                                  'key_id', nullif(p_key, 0), 'spent_micros', p_spent,
                                  'budget_micros', p_budget,
                                  'percent', CASE WHEN p_budget > 0
                                                  THEN 100 * p_spent / p_budget ELSE 100 END,
                                  'month', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM'),
                                  'at', to_char(now() AT TIME ZONE 'UTC',
                                                'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text
          FROM tenants t WHERE t.id = p_tenant AND t.ai_budget_webhook IS NOT NULL;
    RETURN n;
END
$$;
ALTER TABLE ai_budget_warnings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON ai_budget_warnings TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT SELECT ON ai_budget_warnings TO tollgate_console;
REVOKE ALL ON FUNCTION tollgate_ai_budget_warn(bigint, bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tollgate_ai_budget_warn(bigint, bigint, bigint, bigint)
    TO tollgate_console;

ALTER TABLE ai_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_aliases ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON ai_providers TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
CREATE POLICY tenant_wall ON ai_aliases TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON ai_providers, ai_aliases TO tollgate_console;
GRANT USAGE ON SEQUENCE ai_providers_id_seq, ai_aliases_id_seq TO tollgate_console;
GRANT SELECT ON ai_prices, ai_operator_providers TO tollgate_console;
GRANT UPDATE (ai_prefix, ai_budget_micros, ai_key_budget_micros, ai_budget_day_micros,
               ai_key_budget_day_micros, ai_team_budget_micros, ai_team_budget_day_micros,
               ai_budget_warn_pct, ai_budget_webhook, ai_tpm, ai_key_tpm,
               ai_cache_ttl_s, ai_cache_any, ai_semantic_alias, ai_semantic_threshold)
    ON tenants TO tollgate_console;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai_prices TO tollgate_admin;
