-- SQLite flavour: INTEGER PRIMARY KEY is the 64-bit rowid.
-- Refreshers (issue 7): refresher quiz draws, spaced practice, certificates,
-- per-person mail and calendar settings, the mail outbox and the leases of
-- scheduled jobs. Timestamps are UTC; closed sets are CHECK constraints;
-- every FK is indexed.

-- One refresher quiz as drawn for a person: the questions (JSON list of
-- {"m": module, "q": question}) are fixed when drawn, so a reload shows the
-- same quiz. attempt_id is set once, when the draw is submitted.
CREATE TABLE refresher_draws (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id  BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    version_id BIGINT NOT NULL REFERENCES course_versions (id),
    cycle      INTEGER NOT NULL,
    questions  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempt_id BIGINT REFERENCES attempts (id)
);

--bun:split

CREATE INDEX refresher_draws_user_course_idx ON refresher_draws (user_id, course_id, created_at);

--bun:split

CREATE INDEX refresher_draws_course_id_idx ON refresher_draws (course_id);

--bun:split

CREATE INDEX refresher_draws_version_id_idx ON refresher_draws (version_id);

--bun:split

CREATE INDEX refresher_draws_attempt_id_idx ON refresher_draws (attempt_id);

--bun:split

-- A question a person missed, coming back for practice (courses.Practice).
CREATE TABLE practice_items (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id   BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    rung        INTEGER NOT NULL CHECK (rung >= 0),
    streak      INTEGER NOT NULL CHECK (streak >= 0),
    due_at      TIMESTAMP,
    retired_at  TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (user_id, course_id, question_id)
);

--bun:split

CREATE INDEX practice_items_user_due_idx ON practice_items (user_id, due_at);

--bun:split

CREATE INDEX practice_items_course_id_idx ON practice_items (course_id);

--bun:split

-- One certificate per completion; code is what the public verification page takes.
CREATE TABLE certificates (
    id            INTEGER PRIMARY KEY,
    completion_id BIGINT NOT NULL UNIQUE REFERENCES completions (id) ON DELETE CASCADE,
    code          TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL
);

--bun:split

-- A person's mail choice and private links. calendar_token is a capability
-- URL the person copies into a calendar, so it is kept (and reset) as is.
CREATE TABLE user_settings (
    user_id           BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    mail_pref         TEXT NOT NULL DEFAULT 'all' CHECK (mail_pref IN ('all', 'digest')),
    calendar_token    TEXT UNIQUE,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    updated_at        TIMESTAMP NOT NULL
);

--bun:split

-- Mail waiting to go out, and what went. dedupe is the key
-- kind:user:course:cycle:seq, so each reminder is queued once however many
-- instances run the scheduler.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dedupe          TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('assigned', 'window_opened', 'due_tomorrow', 'overdue', 'digest')),
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

CREATE INDEX outbox_status_next_idx ON outbox (status, next_attempt_at);

--bun:split

CREATE INDEX outbox_user_id_idx ON outbox (user_id);

--bun:split

CREATE INDEX outbox_course_id_idx ON outbox (course_id);

--bun:split

-- Scheduled jobs: one row per job, leased by one instance at a time.
CREATE TABLE jobs (
    name        TEXT PRIMARY KEY,
    next_run_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    lease_owner TEXT NOT NULL DEFAULT '',
    last_run_at TIMESTAMP,
    last_error  TEXT NOT NULL DEFAULT ''
);
