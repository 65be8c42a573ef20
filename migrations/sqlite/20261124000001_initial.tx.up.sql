-- Frontline's first schema: people, sessions, courses and their versions,
-- the learner's record (enrolments, progress, attempts, completions), audit.
-- SQLite flavour: INTEGER PRIMARY KEY is the 64-bit rowid. Timestamps are UTC; closed sets are CHECK constraints; every FK is indexed.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('learner', 'trainer', 'manager', 'admin')),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL
);

--bun:split

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);

--bun:split

CREATE INDEX sessions_user_id_idx ON sessions (user_id);

--bun:split

CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

--bun:split

-- One-time tokens: the first-admin setup link and invitations.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'invite')),
    user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    used_at    TIMESTAMP
);

--bun:split

CREATE INDEX tokens_user_id_idx ON tokens (user_id);

--bun:split

CREATE INDEX tokens_created_by_idx ON tokens (created_by);

--bun:split

-- Failed sign-ins, per account and per address, shared by every instance.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX login_failures_key_idx ON login_failures (key, failed_at);

--bun:split

CREATE TABLE courses (
    id                 INTEGER PRIMARY KEY,
    slug               TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    refresher          TEXT NOT NULL,
    refresher_window   TEXT NOT NULL,
    pass_mark          INTEGER NOT NULL CHECK (pass_mark BETWEEN 1 AND 100),
    current_version_id BIGINT REFERENCES course_versions (id),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    archived_at        TIMESTAMP
);

--bun:split

CREATE TABLE course_versions (
    id           INTEGER PRIMARY KEY,
    course_id    BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    source       TEXT NOT NULL,
    hash         TEXT NOT NULL,
    origin       TEXT NOT NULL CHECK (origin IN ('file', 'editor', 'import', 'restore')),
    material     BOOLEAN NOT NULL DEFAULT FALSE,
    note         TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP NOT NULL,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (course_id, number)
);

--bun:split

CREATE INDEX course_versions_published_by_idx ON course_versions (published_by);

--bun:split

CREATE INDEX course_versions_course_origin_idx ON course_versions (course_id, origin, number);

--bun:split

CREATE INDEX courses_current_version_id_idx ON courses (current_version_id);

--bun:split

-- The row dashboards read: one per person and course. next_due_at and
-- last_completed_at are derived from completions by courses.Derive and
-- rewritten whenever a completion is recorded; the state itself is never stored.
CREATE TABLE enrolments (
    id                INTEGER PRIMARY KEY,
    user_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id         BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    assigned_at       TIMESTAMP,
    due_at            TIMESTAMP,
    started_at        TIMESTAMP,
    last_activity_at  TIMESTAMP,
    last_completed_at TIMESTAMP,
    next_due_at       TIMESTAMP,
    cycle             INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (user_id, course_id)
);

--bun:split

CREATE INDEX enrolments_course_next_due_idx ON enrolments (course_id, next_due_at);

--bun:split

-- Latest read and pass per person and module; attempts keep the full history.
CREATE TABLE module_progress (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id       BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_slug     TEXT NOT NULL,
    version_id      BIGINT NOT NULL REFERENCES course_versions (id),
    first_viewed_at TIMESTAMP NOT NULL,
    read_at         TIMESTAMP,
    passed_at       TIMESTAMP,
    pass_score      INTEGER,
    UNIQUE (user_id, course_id, module_slug)
);

--bun:split

CREATE INDEX module_progress_course_id_idx ON module_progress (course_id);

--bun:split

CREATE INDEX module_progress_version_id_idx ON module_progress (version_id);

--bun:split

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id       BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    version_id      BIGINT NOT NULL REFERENCES course_versions (id),
    module_slug     TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    correct         INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    score           INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    passed          BOOLEAN NOT NULL,
    submitted_at    TIMESTAMP NOT NULL,
    UNIQUE (user_id, idempotency_key)
);

--bun:split

CREATE INDEX attempts_user_course_idx ON attempts (user_id, course_id, submitted_at);

--bun:split

CREATE INDEX attempts_course_id_idx ON attempts (course_id);

--bun:split

CREATE INDEX attempts_version_id_idx ON attempts (version_id);

--bun:split

CREATE TABLE attempt_answers (
    id          INTEGER PRIMARY KEY,
    attempt_id  BIGINT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    choice_ids  TEXT NOT NULL,
    correct     BOOLEAN NOT NULL
);

--bun:split

CREATE INDEX attempt_answers_attempt_id_idx ON attempt_answers (attempt_id);

--bun:split

CREATE INDEX attempt_answers_question_idx ON attempt_answers (question_id);

--bun:split

CREATE TABLE completions (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    version_id   BIGINT NOT NULL REFERENCES course_versions (id),
    completed_at TIMESTAMP NOT NULL,
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100)
);

--bun:split

CREATE INDEX completions_user_course_idx ON completions (user_id, course_id, completed_at);

--bun:split

CREATE INDEX completions_course_id_idx ON completions (course_id, completed_at);

--bun:split

CREATE INDEX completions_version_id_idx ON completions (version_id);

--bun:split

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT '',
    ip       TEXT NOT NULL DEFAULT '',
    at       TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX audit_log_actor_id_idx ON audit_log (actor_id);

--bun:split

CREATE INDEX audit_log_at_idx ON audit_log (at);
