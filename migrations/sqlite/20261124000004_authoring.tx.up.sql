-- Authoring in the browser (issue 5): drafts and uploaded images.
-- A draft is one per course slug; each of its files carries a revision, so a
-- save made from a stale copy is refused instead of overwriting (optimistic
-- concurrency). Images live in the database, so any instance serves them.
-- SQLite flavour: INTEGER PRIMARY KEY is the 64-bit rowid; drafts and their
-- files use AUTOINCREMENT so an ID is never reused (an editor left open on a
-- published draft must not save into a newer draft's file of the same ID). Timestamps are UTC; closed sets are CHECK constraints; every FK is indexed.

CREATE TABLE course_drafts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL DEFAULT '',
    course_id       BIGINT REFERENCES courses (id) ON DELETE CASCADE,
    base_version_id BIGINT REFERENCES course_versions (id) ON DELETE SET NULL,
    errors          INTEGER NOT NULL DEFAULT 0 CHECK (errors >= 0),
    warnings        INTEGER NOT NULL DEFAULT 0 CHECK (warnings >= 0),
    changed         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at      TIMESTAMP NOT NULL,
    updated_by      BIGINT REFERENCES users (id) ON DELETE SET NULL
);

--bun:split

CREATE INDEX course_drafts_course_id_idx ON course_drafts (course_id);

--bun:split

CREATE INDEX course_drafts_base_version_id_idx ON course_drafts (base_version_id);

--bun:split

CREATE INDEX course_drafts_created_by_idx ON course_drafts (created_by);

--bun:split

CREATE INDEX course_drafts_updated_by_idx ON course_drafts (updated_by);

--bun:split

CREATE TABLE draft_files (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id   BIGINT NOT NULL REFERENCES course_drafts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (draft_id, name)
);

--bun:split

CREATE INDEX draft_files_updated_by_idx ON draft_files (updated_by);

--bun:split

CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    hash         TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    size         INTEGER NOT NULL CHECK (size > 0),
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL
);

--bun:split

CREATE INDEX media_created_by_idx ON media (created_by);
