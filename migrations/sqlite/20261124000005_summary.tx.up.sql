-- Precomputed totals of the organisation summary (issue 6), refreshed by the
-- scheduler every 10 minutes: for every team, its whole subtree's numbers.
-- Per course: enrolled people in each state. With no course (course_id
-- NULL): the subtree's active members and how many are overdue on at least
-- one course. A refresh replaces every row in one transaction, so all rows
-- share one taken_at.
CREATE TABLE summary_totals (
    id          INTEGER PRIMARY KEY,
    taken_at    TIMESTAMP NOT NULL,
    team_id     BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    course_id   BIGINT REFERENCES courses (id) ON DELETE CASCADE,
    people      INTEGER NOT NULL DEFAULT 0,
    overdue     INTEGER NOT NULL DEFAULT 0,
    due_soon    INTEGER NOT NULL DEFAULT 0,
    in_progress INTEGER NOT NULL DEFAULT 0,
    not_started INTEGER NOT NULL DEFAULT 0,
    completed   INTEGER NOT NULL DEFAULT 0
);

--bun:split

CREATE INDEX summary_totals_team_id_idx ON summary_totals (team_id, course_id);

--bun:split

CREATE INDEX summary_totals_course_id_idx ON summary_totals (course_id);
