-- Programs reach Frontline with API tokens an admin creates: only the
-- token's hash is kept (the token is shown once), with its scopes as a
-- space-separated list (OAuth's form), an optional expiry, when it was last
-- used and when it was revoked. A revoked token stays for the audit log.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (name <> ''),
    token_hash   TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

--bun:split

CREATE INDEX api_tokens_created_by_idx ON api_tokens (created_by);

--bun:split

-- A write sent with an Idempotency-Key header: the first request claims the
-- key (status 0 while it runs), then its answer is kept so a retry gets the
-- same answer instead of a second write. The request's hash tells a retry
-- from a different request reusing the key.
CREATE TABLE idempotency_keys (
    id           INTEGER PRIMARY KEY,
    token_id     BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (token_id, key)
);

--bun:split

CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

--bun:split

-- The identifier a provisioning system (SCIM's externalId) knows a person
-- or a team by.
ALTER TABLE users ADD COLUMN external_id TEXT;

--bun:split

ALTER TABLE teams ADD COLUMN external_id TEXT;
