-- Webhook endpoints that admins register, and the deliveries of webhooks and
-- xAPI statements waiting to go out or gone. A delivery is queued in the
-- transaction of the change it reports, so none is lost; msg_id is unique
-- (the webhook-id or the statement id), so an event that can be noticed
-- twice (a person becoming overdue) is queued once.
CREATE TABLE webhook_endpoints (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL,
    secret        TEXT NOT NULL,
    allow_private BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    created_by    BIGINT REFERENCES users (id) ON DELETE SET NULL
);

--bun:split

CREATE INDEX webhook_endpoints_created_by_idx ON webhook_endpoints (created_by);

--bun:split

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    msg_id          TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('webhook', 'xapi')),
    endpoint_id     BIGINT REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until     TIMESTAMP,
    lease_owner     TEXT NOT NULL DEFAULT '',
    last_code       INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);

--bun:split

CREATE INDEX deliveries_status_next_idx ON deliveries (status, next_attempt_at);

--bun:split

CREATE INDEX deliveries_endpoint_idx ON deliveries (endpoint_id, created_at);

--bun:split

-- When each job last finished without an error, for the metrics' "last success".
ALTER TABLE jobs ADD COLUMN last_success_at TIMESTAMP;
