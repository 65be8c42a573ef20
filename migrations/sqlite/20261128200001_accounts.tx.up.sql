-- Password accounts: reset and sign-in links live beside setup and
-- invitation links in tokens; recovery and invitation mail go through the
-- outbox; users remember their last sign-in for the people page. SQLite
-- cannot change a CHECK constraint, so tokens and outbox are rebuilt (no
-- table refers to either).
CREATE TABLE tokens_new (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'invite', 'reset', 'signin')),
    user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    used_at    TIMESTAMP
);

--bun:split

INSERT INTO tokens_new SELECT id, token_hash, purpose, user_id, created_by, created_at, expires_at, used_at FROM tokens;

--bun:split

DROP TABLE tokens;

--bun:split

ALTER TABLE tokens_new RENAME TO tokens;

--bun:split

CREATE INDEX tokens_user_id_idx ON tokens (user_id);

--bun:split

CREATE INDEX tokens_created_by_idx ON tokens (created_by);

--bun:split

-- Counting the links issued for one person in the last hour (the rate
-- limit) reads this index.
CREATE INDEX tokens_user_purpose_idx ON tokens (user_id, purpose, created_at);

--bun:split

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    dedupe          TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('assigned', 'window_opened', 'due_tomorrow', 'overdue', 'digest', 'recovery', 'invitation')),
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id       BIGINT REFERENCES courses (id) ON DELETE CASCADE,
    cycle           INTEGER NOT NULL DEFAULT 0,
    seq             INTEGER NOT NULL DEFAULT 0,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    unsubscribe_url TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until     TIMESTAMP,
    lease_owner     TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);

--bun:split

INSERT INTO outbox_new SELECT id, dedupe, kind, user_id, course_id, cycle, seq, to_address, subject, body_text, body_html,
    unsubscribe_url, status, attempts, next_attempt_at, lease_until, lease_owner, last_error, created_at, sent_at FROM outbox;

--bun:split

DROP TABLE outbox;

--bun:split

ALTER TABLE outbox_new RENAME TO outbox;

--bun:split

CREATE INDEX outbox_status_next_idx ON outbox (status, next_attempt_at);

--bun:split

CREATE INDEX outbox_user_id_idx ON outbox (user_id);

--bun:split

CREATE INDEX outbox_course_id_idx ON outbox (course_id);

--bun:split

ALTER TABLE users ADD COLUMN last_signin_at TIMESTAMP;

--bun:split

CREATE INDEX users_role_name_idx ON users (role, name, id);
