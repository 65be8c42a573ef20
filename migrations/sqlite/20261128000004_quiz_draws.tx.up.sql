-- One module quiz as drawn for a person when its page is shown: which
-- questions, in what order, and each question's choice order (JSON list of
-- {"q": question, "c": [choice, ...]}, courses.Draw), so a reload or another
-- app instance shows the same quiz and the result page the order seen.
-- attempt_id is set once, when the draw is submitted; a draw still open is
-- the one the module page shows again.
CREATE TABLE quiz_draws (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id   BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    version_id  BIGINT NOT NULL REFERENCES course_versions (id),
    module_slug TEXT NOT NULL,
    questions   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    attempt_id  BIGINT UNIQUE REFERENCES attempts (id)
);

--bun:split

CREATE INDEX quiz_draws_user_module_idx ON quiz_draws (user_id, course_id, module_slug, created_at);

--bun:split

CREATE INDEX quiz_draws_course_id_idx ON quiz_draws (course_id);

--bun:split

CREATE INDEX quiz_draws_version_id_idx ON quiz_draws (version_id);

--bun:split

-- One open draw per person, module and version: two page loads at once
-- (two tabs, a prefetch) show the same quiz instead of drawing twice.
CREATE UNIQUE INDEX quiz_draws_one_open_idx ON quiz_draws (user_id, course_id, version_id, module_slug) WHERE attempt_id IS NULL;
