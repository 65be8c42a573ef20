-- Teams, who belongs to and manages them, course assignments, staged staff
-- imports and monthly overdue counts (issue 6). Teams form a tree held as a
-- materialised path of IDs ("/1/7/42/"), so a subtree is one prefix range.

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    parent_id  BIGINT REFERENCES teams (id),
    name       TEXT NOT NULL CHECK (name <> ''),
    -- SQLite compares TEXT bytewise (BINARY), so a prefix is an index range.
    path       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (parent_id, name)
);

--bun:split

CREATE INDEX teams_parent_id_idx ON teams (parent_id);

--bun:split

-- A person belongs to at most one team ('member') and may manage several.
CREATE TABLE team_members (
    id        INTEGER PRIMARY KEY,
    team_id   BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('member', 'manager')),
    joined_at TIMESTAMP NOT NULL,
    UNIQUE (team_id, role, user_id)
);

--bun:split

CREATE UNIQUE INDEX team_members_one_team_idx ON team_members (user_id) WHERE role = 'member';

--bun:split

CREATE INDEX team_members_user_id_idx ON team_members (user_id, role);

--bun:split

-- People are listed and paged by name.
CREATE INDEX users_name_idx ON users (name, id);

--bun:split

-- A course given to a team (with its subteams) or to one person. Either a
-- fixed due date or "due N days after assignment". Removing one sets
-- removed_at: the enrolments and history it made stay.
CREATE TABLE assignments (
    id         INTEGER PRIMARY KEY,
    course_id  BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    team_id    BIGINT REFERENCES teams (id) ON DELETE CASCADE,
    user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
    due_at     TIMESTAMP,
    due_days   INTEGER CHECK (due_days BETWEEN 1 AND 3650),
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP,
    removed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((team_id IS NULL) <> (user_id IS NULL)),
    CHECK ((due_at IS NULL) <> (due_days IS NULL))
);

--bun:split

CREATE INDEX assignments_course_id_idx ON assignments (course_id);

--bun:split

CREATE INDEX assignments_team_id_idx ON assignments (team_id);

--bun:split

CREATE INDEX assignments_user_id_idx ON assignments (user_id);

--bun:split

CREATE INDEX assignments_created_by_idx ON assignments (created_by);

--bun:split

CREATE INDEX assignments_removed_by_idx ON assignments (removed_by);

--bun:split

-- Effective due date (first due date before the first completion, the
-- refresher date after it): overdue and "due soon" lists range over it.
CREATE INDEX enrolments_effective_due_idx ON enrolments ((COALESCE(next_due_at, due_at)));

--bun:split

-- An uploaded staff CSV, kept between preview and confirmation so that
-- nothing about people changes until an admin confirms.
CREATE TABLE staff_imports (
    id         INTEGER PRIMARY KEY,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    filename   TEXT NOT NULL DEFAULT '',
    content    TEXT NOT NULL,
    total_rows INTEGER NOT NULL,
    done_rows  INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL CHECK (status IN ('previewed', 'applying', 'applied', 'failed')),
    summary    TEXT NOT NULL DEFAULT '',
    applied_at TIMESTAMP
);

--bun:split

CREATE INDEX staff_imports_created_by_idx ON staff_imports (created_by);

--bun:split

-- People overdue on at least one course, per team (the team itself, not its
-- subteams) on the first day of each month: the summary's 12-month line.
CREATE TABLE overdue_snapshots (
    id      INTEGER PRIMARY KEY,
    month   TEXT NOT NULL CHECK (length(month) = 7),
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    people  INTEGER NOT NULL,
    UNIQUE (month, team_id)
);

--bun:split

CREATE INDEX overdue_snapshots_team_id_idx ON overdue_snapshots (team_id);
