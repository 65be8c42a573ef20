-- bench/submit-setup.sql: prepares a Frontline PostgreSQL database for
-- bench/submit.sql, in the shape the app's own submit load leaves (read
-- bench/submits): learners who have opened every quiz module once, so each
-- has an enrolment per course, a progress row per module and an open quiz
-- draw per module. Run it after bench/submits on the same database: the
-- modules, and a real draw's questions for each, are copied from the draws
-- that load made.
--
--   psql -v learners=1500 -f bench/submit-setup.sql DSN
--
-- It prints the first draw ID and the number of draws; pgbench takes them
-- as -D first=… (and the script must not need more than that many).
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_modules ON COMMIT DROP AS
SELECT DISTINCT ON (course_id, version_id, module_slug) course_id, version_id, module_slug, questions
FROM quiz_draws ORDER BY course_id, version_id, module_slug, id;

CREATE TEMP TABLE bench_users ON COMMIT DROP AS
WITH u AS (
	INSERT INTO users (email, name, password_hash, role, active, created_at)
	SELECT 'pgbench-' || g || '-' || md5(random()::text) || '@bench.example', 'Pgbench Learner ' || g, '', 'learner', true, now()
	FROM generate_series(1, :learners) AS g
	RETURNING id)
SELECT id FROM u;

INSERT INTO enrolments (user_id, course_id, started_at, last_activity_at, cycle, created_at)
SELECT u.id, c.course_id, now(), now(), 0, now()
FROM bench_users AS u CROSS JOIN (SELECT DISTINCT course_id FROM bench_modules) AS c;

INSERT INTO module_progress (user_id, course_id, module_slug, version_id, first_viewed_at)
SELECT u.id, m.course_id, m.module_slug, m.version_id, now()
FROM bench_users AS u CROSS JOIN bench_modules AS m;

-- Module after module, learner after learner: consecutive draws are
-- different people's, as bench/submits posts them.
CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
WITH d AS (
	INSERT INTO quiz_draws (user_id, course_id, version_id, module_slug, questions, created_at)
	SELECT u.id, m.course_id, m.version_id, m.module_slug, m.questions, now()
	FROM bench_modules AS m CROSS JOIN bench_users AS u
	ORDER BY m.course_id, m.module_slug, u.id
	RETURNING id)
SELECT id FROM d;

SELECT min(id) AS first, count(*) AS draws, max(id) - min(id) + 1 AS span FROM bench_draws;
COMMIT;
ANALYZE;
