-- Mail: an outbox the console writes in the same transaction as what the mail is about, and
-- a mailer child sends (at least once, retried with backoff); and the one-use tokens that
-- mails carry (email verification, password reset). The console may add to the outbox but
-- never read it: a reset link in a queued mail is not readable through the console's role.

ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

CREATE TABLE mail_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at      timestamptz NOT NULL DEFAULT now(),
    to_addr         text NOT NULL CHECK (length(to_addr) <= 254 AND to_addr !~ '[\r\n]'),
    subject         text NOT NULL CHECK (length(subject) <= 200 AND subject !~ '[\r\n]'),
    body            text NOT NULL CHECK (length(body) <= 65536),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
GRANT INSERT ON mail_outbox TO tollgate_console;

-- A token mailed to a user: only its keyed hash is stored.
CREATE TABLE user_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify', 'reset', 'invite')),
    hash       bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id);
ALTER TABLE user_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON user_tokens TO tollgate_console
    USING (tenant_id = tollgate_tenant()) WITH CHECK (tenant_id = tollgate_tenant());
GRANT INSERT ON user_tokens TO tollgate_console;

-- "Forgot my password": before anyone is signed in. A reset token for the email's user (at
-- most 3 live at once), and the address to mail it to; no row when there is no such user.
CREATE FUNCTION tollgate_reset_start(p_email text, p_hash bytea)
RETURNS TABLE (email text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    u users%ROWTYPE;
BEGIN
    SELECT * INTO u FROM users WHERE lower(users.email) = lower(p_email);
    IF NOT FOUND OR (SELECT count(*) FROM user_tokens t WHERE t.user_id = u.id
                     AND t.purpose = 'reset' AND t.used_at IS NULL
                     AND t.expires_at > now()) >= 3 THEN
        RETURN;
    END IF;
    INSERT INTO user_tokens (tenant_id, user_id, purpose, hash, expires_at)
        VALUES (u.tenant_id, u.id, 'reset', p_hash, now() + interval '1 hour');
    RETURN QUERY SELECT u.email;
END
$$;

-- Uses a reset (or invitation) token: the new password hash, every session of the user
-- ended, the token spent. No row when the token is unknown, used or expired.
CREATE FUNCTION tollgate_reset_finish(p_hash bytea, p_password_hash text)
RETURNS TABLE (user_id bigint, tenant_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t user_tokens%ROWTYPE;
BEGIN
    UPDATE user_tokens x SET used_at = now()
        WHERE x.hash = p_hash AND x.purpose IN ('reset', 'invite') AND x.used_at IS NULL
          AND x.expires_at > now()
        RETURNING * INTO t;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE users SET password_hash = p_password_hash,
                     email_verified_at = coalesce(email_verified_at, now())
        WHERE id = t.user_id;
    DELETE FROM portal_sessions s WHERE s.user_id = t.user_id;
    RETURN QUERY SELECT t.user_id, t.tenant_id;
END
$$;

-- The link in the welcome mail: the address is the user's.
CREATE FUNCTION tollgate_verify_email(p_hash bytea)
RETURNS TABLE (email text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t user_tokens%ROWTYPE;
BEGIN
    UPDATE user_tokens x SET used_at = now()
        WHERE x.hash = p_hash AND x.purpose = 'verify' AND x.used_at IS NULL
          AND x.expires_at > now()
        RETURNING * INTO t;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY UPDATE users SET email_verified_at = coalesce(email_verified_at, now())
        WHERE id = t.user_id RETURNING users.email;
END
$$;

REVOKE ALL ON FUNCTION tollgate_reset_start(text, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_reset_finish(bytea, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tollgate_verify_email(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tollgate_reset_start(text, bytea) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_reset_finish(bytea, text) TO tollgate_console;
GRANT EXECUTE ON FUNCTION tollgate_verify_email(bytea) TO tollgate_console;

-- The portal's team and token pages: an owner invites members (a user without a password,
-- who sets one through a mailed link valid 7 days) and removes them; staff make and revoke
-- management tokens.
GRANT INSERT (tenant_id, email, role) ON users TO tollgate_console;
GRANT DELETE ON users TO tollgate_console;
GRANT INSERT (tenant_id, name, prefix, hash) ON api_tokens TO tollgate_console;
GRANT UPDATE (revoked_at) ON api_tokens TO tollgate_console;
