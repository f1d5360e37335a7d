-- Billing with Stripe (docs/billing.md): which Stripe prices a plan is sold at, each
-- tenant's customer and subscription as Stripe last told us, the webhook events already
-- applied, the usage reported to Stripe's meter (an outbox, sent by the biller), support
-- requests, and the reconciliations run.
--
-- Stripe is the source of truth for what a tenant pays; the tenant's plan_id follows it.
-- Every change arrives as a signed webhook event and goes through tollgate_stripe_event()
-- below, in one transaction: applied once (its id is kept), never older over newer (the
-- event's `created` is compared with the last one applied to that account).

ALTER TABLE plans
    ADD COLUMN stripe_price text CHECK (stripe_price ~ '^price_[A-Za-z0-9_]{1,200}$'),
    ADD COLUMN stripe_metered_price text
        CHECK (stripe_metered_price ~ '^price_[A-Za-z0-9_]{1,200}$'),
    ADD COLUMN overage boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN plans.stripe_price IS 'The recurring (licensed) Stripe price a subscription to this plan pays';
COMMENT ON COLUMN plans.stripe_metered_price IS 'A metered Stripe price added to the subscription: usage is billed through the meter';
COMMENT ON COLUMN plans.overage IS 'Past the monthly quota requests go on (and are billed through the meter) instead of 429';
CREATE UNIQUE INDEX plans_stripe_price_key ON plans (stripe_price);

-- A plan with overage has no hard quota: the gate lets requests through past it.
CREATE OR REPLACE VIEW tenant_limits WITH (security_invoker = true) AS
SELECT t.id AS tenant_id,
       coalesce(t.key_rps, p.key_rps)           AS key_rps,
       coalesce(t.key_burst, p.key_burst)       AS key_burst,
       coalesce(t.key_rpm, p.key_rpm)           AS key_rpm,
       coalesce(t.tenant_rps, p.tenant_rps)     AS tenant_rps,
       coalesce(t.tenant_burst, p.tenant_burst) AS tenant_burst,
       coalesce(t.tenant_rpm, p.tenant_rpm)     AS tenant_rpm,
       CASE WHEN t.monthly_unlimited OR p.overage THEN NULL
            ELSE coalesce(t.monthly_requests, p.monthly_requests) END AS monthly_requests,
       coalesce(t.max_body_bytes, p.max_body_bytes) AS max_body_bytes
FROM tenants t JOIN plans p ON p.id = t.plan_id;

-- A tenant's Stripe customer and subscription, as the last event applied left them.
CREATE TABLE billing_accounts (
    tenant_id            bigint PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    customer_id          text UNIQUE CHECK (customer_id ~ '^cus_[A-Za-z0-9_]{1,200}$'),
    subscription_id      text UNIQUE CHECK (subscription_id ~ '^sub_[A-Za-z0-9_]{1,200}$'),
    subscription_item    text CHECK (subscription_item ~ '^si_[A-Za-z0-9_]{1,200}$'),
    -- Stripe's subscription status ('none' before the first subscription).
    status               text NOT NULL DEFAULT 'none'
        CHECK (status IN ('none', 'incomplete', 'incomplete_expired', 'trialing', 'active',
                          'past_due', 'canceled', 'unpaid', 'paused')),
    paid_plan            text REFERENCES plans (id),
    period_start         timestamptz,
    period_end           timestamptz,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    -- A failed payment keeps the paid plan until then (TOLLGATE_BILLING_GRACE).
    grace_until          timestamptz,
    -- `created` of the last subscription event applied, and of the last invoice event: an
    -- older one of the same kind never overwrites a newer state. (Kinds are ordered apart:
    -- a subscription event is the only one to carry the price and the period, and may
    -- arrive after a newer invoice event.)
    state_at             bigint NOT NULL DEFAULT 0,
    invoice_at           bigint NOT NULL DEFAULT 0,
    -- The Checkout Session open for this tenant, if any: asking again gives the same page
    -- (two paid sessions would make two subscriptions).
    checkout_session     text,
    checkout_url         text,
    checkout_plan        text,
    checkout_expires     timestamptz,
    -- Usage from this hour on is reported to Stripe's meter.
    meter_from           timestamptz,
    -- The plan billing last gave the tenant: time (a grace period or a paid period over)
    -- moves it to Free once, so that an operator's later change of plan by hand stands
    -- until Stripe's next event.
    applied_plan         text,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- A change of the account reaches every node's gate (the quota window follows the paid
-- period): the sync notification names the account's tenant.
CREATE FUNCTION tollgate_notify_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tollgate_sync', 'tenants:' ||
                      CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END);
    RETURN NULL;
END
$$;
CREATE TRIGGER billing_accounts_sync AFTER INSERT OR UPDATE OR DELETE ON billing_accounts
    FOR EACH ROW EXECUTE FUNCTION tollgate_notify_tenant();

-- Every webhook event applied (or deliberately ignored): its id makes a redelivery a no-op.
-- No payload is kept: it may hold a customer's name and address.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]{1,200}$'),
    type        text NOT NULL CHECK (length(type) <= 100),
    created     bigint NOT NULL,
    tenant_id   bigint REFERENCES tenants (id) ON DELETE SET NULL,
    outcome     text NOT NULL CHECK (length(outcome) <= 200),
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_events_received ON stripe_events (received_at);

-- What has been put in the outbox for each tenant and hour: the usage of that hour up to
-- `requests` is queued (or sent). The biller adds the difference as a new outbox row and
-- moves this mark in the same transaction, so usage is queued exactly once.
CREATE TABLE meter_marks (
    tenant_id bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    hour      timestamptz NOT NULL,
    requests  bigint      NOT NULL CHECK (requests >= 0),
    PRIMARY KEY (tenant_id, hour)
);

-- Meter events to send. `identifier` is deterministic (tenant, hour, the mark it moved to):
-- Stripe refuses a second event with the same one, so a retry is never billed twice.
CREATE TABLE meter_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    customer_id     text        NOT NULL,
    hour            timestamptz NOT NULL,
    value           bigint      NOT NULL CHECK (value > 0),
    identifier      text        NOT NULL UNIQUE CHECK (length(identifier) <= 100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    sent_at         timestamptz,
    last_error      text        NOT NULL DEFAULT '' CHECK (length(last_error) <= 500)
);
CREATE INDEX meter_outbox_due ON meter_outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX meter_outbox_tenant_hour ON meter_outbox (tenant_id, hour);

-- Support requests from the portal; a plan with priority support puts them first.
CREATE TABLE support_requests (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  bigint  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email      text    NOT NULL CHECK (length(email) <= 254),
    subject    text    NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body       text    NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    plan_id    text    NOT NULL,
    priority   boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    closed_at  timestamptz
);
CREATE INDEX support_requests_open ON support_requests (priority DESC, created_at)
    WHERE closed_at IS NULL;

-- Each reconciliation run: its month, and the differences it found per tenant.
CREATE TABLE billing_reconciliations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month       date   NOT NULL CHECK (extract(day FROM month) = 1),
    run_at      timestamptz NOT NULL DEFAULT now(),
    differences integer NOT NULL CHECK (differences >= 0),
    report      jsonb  NOT NULL
);

-- The plan a tenant's account entitles it to now. NULL: billing does not decide (no
-- subscription ever), the plan stays what the operator set.
CREATE FUNCTION tollgate_billing_plan(a billing_accounts) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN a.subscription_id IS NULL THEN NULL
        WHEN a.cancel_at_period_end AND a.period_end IS NOT NULL AND a.period_end <= now()
            THEN 'free'
        WHEN a.status IN ('active', 'trialing') THEN coalesce(a.paid_plan, 'free')
        WHEN a.status IN ('past_due', 'unpaid') AND a.grace_until > now()
            THEN coalesce(a.paid_plan, 'free')
        ELSE 'free' END
$$;

-- Makes the tenant's plan what its account entitles it to (every node follows within the
-- sync trigger's notification), noting the change in the audit log. Returns the plan.
CREATE FUNCTION tollgate_billing_apply(p_tenant bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    a billing_accounts;
    want text;
    had text;
BEGIN
    SELECT * INTO a FROM billing_accounts WHERE tenant_id = p_tenant;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    want := tollgate_billing_plan(a);
    IF want IS NULL THEN
        RETURN NULL;
    END IF;
    IF a.applied_plan IS DISTINCT FROM want THEN
        UPDATE billing_accounts SET applied_plan = want WHERE tenant_id = p_tenant;
    END IF;
    SELECT plan_id INTO had FROM tenants WHERE id = p_tenant FOR UPDATE;
    IF want = had THEN
        RETURN had;
    END IF;
    UPDATE tenants SET plan_id = want, updated_at = now() WHERE id = p_tenant;
    INSERT INTO audit_log (tenant_id, actor, action, target)
    VALUES (p_tenant, 'stripe', 'billing.plan', had || ' -> ' || want);
    RETURN want;
END
$$;

-- Downgrades that come with time rather than an event: a grace period run out, a
-- cancelled subscription's period ended. The biller calls it every second. Billing moves
-- a tenant to Free once (applied_plan): an operator who then gives it a plan by hand is
-- not overruled every second.
CREATE FUNCTION tollgate_billing_expire() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
    r record;
BEGIN
    FOR r IN SELECT a.tenant_id FROM billing_accounts a JOIN tenants t ON t.id = a.tenant_id
             WHERE t.plan_id <> 'free' AND tollgate_billing_plan(a) = 'free'
               AND a.applied_plan IS DISTINCT FROM 'free'
             FOR UPDATE OF a SKIP LOCKED
    LOOP
        PERFORM tollgate_billing_apply(r.tenant_id);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- A Stripe timestamp (seconds) as a timestamptz; NULL stays NULL.
CREATE FUNCTION tollgate_stripe_time(v jsonb) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(v) = 'number' THEN to_timestamp((v #>> '{}')::double precision) END
$$;

-- Applies one verified webhook event. Returns what was done, for the log and the answer:
-- 'applied', 'duplicate', 'stale' or 'ignored: <why>'. Unknown types are recorded and
-- ignored. p_grace_s: how long a failed payment keeps the paid plan.
CREATE FUNCTION tollgate_stripe_event(p_event jsonb, p_grace_s bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ev_id text := p_event ->> 'id';
    ev_type text := p_event ->> 'type';
    ev_created bigint := (p_event ->> 'created')::bigint;
    obj jsonb := p_event -> 'data' -> 'object';
    ref text;
    tenant bigint;
    a billing_accounts;
    sub_id text;
    price text;
    plan text;
    item jsonb;
    st text;
    outcome text := 'applied';
BEGIN
    IF ev_id IS NULL OR ev_type IS NULL OR ev_created IS NULL
       OR jsonb_typeof(obj) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'not a Stripe event' USING ERRCODE = '22023';
    END IF;
    PERFORM 1 FROM stripe_events WHERE id = ev_id;
    IF FOUND THEN
        RETURN 'duplicate';
    END IF;

    -- Which tenant: our own reference (set when we created the session or subscription),
    -- else the customer we know.
    IF ev_type = 'checkout.session.completed' THEN
        ref := coalesce(obj ->> 'client_reference_id', obj -> 'metadata' ->> 'tenant_id');
    ELSIF ev_type LIKE 'customer.subscription.%' THEN
        ref := obj -> 'metadata' ->> 'tenant_id';
    END IF;
    IF ref ~ '^[0-9]{1,18}$' THEN
        SELECT id INTO tenant FROM tenants WHERE id = ref::bigint;
    END IF;
    IF tenant IS NULL AND obj ->> 'customer' IS NOT NULL THEN
        SELECT tenant_id INTO tenant FROM billing_accounts WHERE customer_id = obj ->> 'customer';
    END IF;

    IF ev_type NOT IN ('checkout.session.completed', 'customer.subscription.created',
                       'customer.subscription.updated', 'customer.subscription.deleted',
                       'invoice.paid', 'invoice.payment_failed') THEN
        outcome := 'ignored: not an event Tollgate acts on';
    ELSIF tenant IS NULL THEN
        outcome := 'ignored: no tenant has this customer';
    END IF;
    IF outcome <> 'applied' THEN
        INSERT INTO stripe_events (id, type, created, tenant_id, outcome)
        VALUES (ev_id, ev_type, ev_created, tenant, outcome) ON CONFLICT (id) DO NOTHING;
        RETURN outcome;
    END IF;

    INSERT INTO billing_accounts (tenant_id) VALUES (tenant) ON CONFLICT (tenant_id) DO NOTHING;
    SELECT * INTO a FROM billing_accounts WHERE tenant_id = tenant FOR UPDATE;
    IF a.customer_id IS NULL AND obj ->> 'customer' ~ '^cus_' THEN
        UPDATE billing_accounts SET customer_id = obj ->> 'customer' WHERE tenant_id = tenant;
    ELSIF a.customer_id IS DISTINCT FROM (obj ->> 'customer') THEN
        outcome := 'ignored: another customer than the tenant''s';
    END IF;

    IF outcome <> 'applied' THEN
        NULL;
    ELSIF ev_type = 'checkout.session.completed' THEN
        sub_id := obj ->> 'subscription';
        plan := obj -> 'metadata' ->> 'plan';
        IF sub_id IS NOT NULL AND (a.subscription_id IS NULL OR a.status IN ('canceled', 'incomplete_expired', 'none')
                                   OR a.subscription_id = sub_id) THEN
            UPDATE billing_accounts
            SET subscription_id = sub_id,
                status = CASE WHEN a.subscription_id = sub_id AND a.state_at > ev_created THEN status
                              WHEN obj ->> 'payment_status' IN ('paid', 'no_payment_required') THEN 'active'
                              ELSE 'incomplete' END,
                paid_plan = CASE WHEN EXISTS (SELECT 1 FROM plans WHERE id = plan) THEN plan ELSE paid_plan END,
                cancel_at_period_end = CASE WHEN a.subscription_id = sub_id THEN cancel_at_period_end ELSE false END,
                grace_until = NULL,
                checkout_session = NULL, checkout_url = NULL, checkout_plan = NULL,
                checkout_expires = NULL,
                meter_from = coalesce(meter_from, date_trunc('hour', now())),
                updated_at = now()
            WHERE tenant_id = tenant;
        ELSE
            outcome := 'ignored: the tenant already has a live subscription';
        END IF;
        IF outcome <> 'applied' THEN
            -- Paid twice (two sessions, two tabs): the operator refunds one in Stripe.
            INSERT INTO audit_log (tenant_id, actor, action, target)
            VALUES (tenant, 'stripe', 'billing.duplicate', coalesce(sub_id, obj ->> 'id'));
        END IF;
    ELSIF ev_type LIKE 'customer.subscription.%' THEN
        sub_id := obj ->> 'id';
        st := CASE WHEN ev_type = 'customer.subscription.deleted' THEN 'canceled' ELSE obj ->> 'status' END;
        IF a.subscription_id IS NOT NULL AND a.subscription_id <> sub_id
           AND a.status NOT IN ('canceled', 'incomplete_expired', 'none') THEN
            outcome := 'ignored: not the tenant''s current subscription';
            IF ev_type = 'customer.subscription.created' THEN
                INSERT INTO audit_log (tenant_id, actor, action, target)
                VALUES (tenant, 'stripe', 'billing.duplicate', sub_id);
            END IF;
        ELSIF a.subscription_id = sub_id AND (ev_created < a.state_at OR a.status = 'canceled') THEN
            outcome := 'stale';
        ELSE
            item := obj -> 'items' -> 'data' -> 0;
            price := item -> 'price' ->> 'id';
            SELECT id INTO plan FROM plans WHERE stripe_price = price;
            IF plan IS NULL AND EXISTS (SELECT 1 FROM plans WHERE id = obj -> 'metadata' ->> 'plan') THEN
                plan := obj -> 'metadata' ->> 'plan';
            END IF;
            UPDATE billing_accounts
            SET subscription_id = sub_id,
                subscription_item = coalesce(item ->> 'id', subscription_item),
                status = st,
                paid_plan = coalesce(plan, paid_plan),
                period_start = coalesce(tollgate_stripe_time(item -> 'current_period_start'),
                                        tollgate_stripe_time(obj -> 'current_period_start'), period_start),
                period_end = coalesce(tollgate_stripe_time(item -> 'current_period_end'),
                                      tollgate_stripe_time(obj -> 'current_period_end'), period_end),
                cancel_at_period_end = coalesce((obj ->> 'cancel_at_period_end')::boolean, false),
                grace_until = CASE WHEN st IN ('past_due', 'unpaid')
                                   THEN coalesce(grace_until, now() + make_interval(secs => p_grace_s))
                                   ELSE NULL END,
                state_at = ev_created,
                meter_from = coalesce(meter_from, date_trunc('hour', now())),
                updated_at = now()
            WHERE tenant_id = tenant;
        END IF;
    ELSE -- invoice.paid, invoice.payment_failed
        sub_id := coalesce(obj -> 'parent' -> 'subscription_details' ->> 'subscription',
                           obj ->> 'subscription');
        IF sub_id IS NULL OR sub_id IS DISTINCT FROM a.subscription_id THEN
            outcome := 'ignored: not the tenant''s current subscription';
        ELSIF ev_created < a.invoice_at OR a.status = 'canceled' THEN
            outcome := 'stale';
        ELSIF ev_type = 'invoice.paid' THEN
            UPDATE billing_accounts
            SET status = CASE WHEN status IN ('past_due', 'unpaid', 'incomplete') THEN 'active' ELSE status END,
                grace_until = NULL, invoice_at = ev_created, updated_at = now()
            WHERE tenant_id = tenant;
        ELSE
            UPDATE billing_accounts
            SET status = CASE WHEN status IN ('active', 'trialing') THEN 'past_due' ELSE status END,
                grace_until = coalesce(grace_until, now() + make_interval(secs => p_grace_s)),
                invoice_at = ev_created, updated_at = now()
            WHERE tenant_id = tenant;
        END IF;
    END IF;

    INSERT INTO stripe_events (id, type, created, tenant_id, outcome)
    VALUES (ev_id, ev_type, ev_created, tenant, outcome);
    PERFORM tollgate_billing_apply(tenant);
    RETURN outcome;
END
$$;
REVOKE ALL ON FUNCTION tollgate_stripe_event(jsonb, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tollgate_stripe_event(jsonb, bigint) TO tollgate_console;

-- Queues every tenant's usage not yet queued, per hour, as meter events. Usage is counted
-- from the account's meter_from; only customers' usage is reported; only hours within
-- p_since are looked at (Stripe takes events up to 35 days old: the biller looks 48 hours
-- back each time and 34 days back once an hour, for a node that flushes late). Returns
-- the rows added.
CREATE FUNCTION tollgate_meter_fill(p_since interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    -- One fill at a time in the cluster: a second node's fill, begun before this one
    -- committed, would otherwise read the old marks and queue the same usage again. The
    -- statement below takes its snapshot once the lock is held.
    PERFORM pg_advisory_xact_lock(7467617466);
    WITH used AS (
        SELECT a.tenant_id, a.customer_id, u.hour, sum(u.requests)::bigint AS requests
        FROM billing_accounts a
        JOIN usage_hourly u ON u.tenant_id = a.tenant_id AND u.hour >= a.meter_from
        WHERE a.customer_id IS NOT NULL AND a.meter_from IS NOT NULL
          AND u.hour >= now() - least(p_since, interval '34 days')
        GROUP BY a.tenant_id, a.customer_id, u.hour),
    grown AS (
        SELECT used.*, coalesce(m.requests, 0) AS marked FROM used
        LEFT JOIN meter_marks m ON m.tenant_id = used.tenant_id AND m.hour = used.hour
        WHERE used.requests > coalesce(m.requests, 0)),
    marked AS (
        INSERT INTO meter_marks (tenant_id, hour, requests)
        SELECT tenant_id, hour, requests FROM grown
        ON CONFLICT (tenant_id, hour) DO UPDATE SET requests = excluded.requests),
    queued AS (
        INSERT INTO meter_outbox (tenant_id, customer_id, hour, value, identifier)
        SELECT tenant_id, customer_id, hour, requests - marked,
               format('tg-%s-%s-%s', tenant_id, extract(epoch FROM hour)::bigint, requests)
        FROM grown
        RETURNING 1)
    SELECT count(*) INTO n FROM queued;
    RETURN n;
END
$$;

-- The console's share: a tenant reads its own account and events, and files support
-- requests; the webhook goes through tollgate_stripe_event() above.
GRANT SELECT ON billing_accounts, meter_outbox, stripe_events, support_requests TO tollgate_console;
GRANT INSERT (tenant_id, customer_id, meter_from, checkout_session, checkout_url, checkout_plan,
                checkout_expires),
      UPDATE (customer_id, meter_from, updated_at, checkout_session, checkout_url, checkout_plan,
              checkout_expires)
    ON billing_accounts TO tollgate_console;
GRANT INSERT (tenant_id, email, subject, body, plan_id, priority) ON support_requests TO tollgate_console;
GRANT USAGE ON SEQUENCE support_requests_id_seq TO tollgate_console;
GRANT SELECT ON billing_accounts, meter_outbox, stripe_events, support_requests,
    billing_reconciliations, meter_marks TO tollgate_admin;
GRANT UPDATE (stripe_price, stripe_metered_price, overage) ON plans TO tollgate_admin;
GRANT UPDATE (closed_at) ON support_requests TO tollgate_admin;
GRANT INSERT ON billing_reconciliations TO tollgate_admin;
GRANT USAGE ON SEQUENCE billing_reconciliations_id_seq TO tollgate_admin;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['billing_accounts', 'meter_marks', 'meter_outbox', 'stripe_events',
                             'support_requests']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_wall ON %I TO tollgate_console '
                       'USING (tenant_id = tollgate_tenant()) '
                       'WITH CHECK (tenant_id = tollgate_tenant())', t);
        EXECUTE format('CREATE POLICY operator_all ON %I TO tollgate_admin '
                       'USING (true) WITH CHECK (true)', t);
    END LOOP;
END
$$;
