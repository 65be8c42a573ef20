-- bench/submit.sql: pgbench running the statements of a passing quiz
-- submit as the app sends them on PostgreSQL (TestQuizSubmitRoundTrips
-- counts them; the texts are the prepared ones of app/store): read the
-- draw, then one transaction recording the activity on the enrolment,
-- storing the attempt with its answers and closing the draw (one
-- statement), and marking the module passed while reading the course's
-- progress (one statement). Each transaction answers a draw
-- of its own: client c takes draws first+c, first+c+clients, … of those
-- bench/submit-setup.sql prepared. Times are now() where the app sends its
-- clock; the answers are one real answer list (its colons written \x3a,
-- which pgbench would read as variables). TestPgbenchSubmitIsTheAppsSubmit
-- (app/store) keeps the statements the same as the store's.
--
--   pgbench -M prepared -c 64 -j 2 -T 20 -n -D first=FIRST -D clients=64 -D n=0 -f bench/submit.sql DSN
\set draw :first + :client_id + :clients * :n
\set n :n + 1
\set key 100000000000000000 + :draw
\set correct 5
\set total 5
\set score 100
\set passed 1
SELECT qd.id AS id, qd.user_id AS user_id, qd.course_id AS course_id, qd.version_id AS version_id, qd.module_slug AS module_slug, qd.questions AS questions, qd.created_at AS created_at, qd.attempt_id AS attempt_id FROM quiz_draws AS qd WHERE qd.id = :draw \gset d_
BEGIN;
WITH en AS (INSERT INTO enrolments AS e (user_id, course_id, started_at, last_activity_at, cycle, created_at)
VALUES (:d_user_id, :d_course_id, now(), now(), 0, now())
ON CONFLICT (user_id, course_id) DO UPDATE SET last_activity_at = EXCLUDED.last_activity_at,
	started_at = COALESCE(e.started_at, EXCLUDED.started_at)
RETURNING id, user_id, course_id, assigned_at, due_at, started_at, last_activity_at, last_completed_at, next_due_at, cycle, created_at),
a AS (INSERT INTO attempts (user_id, course_id, version_id, module_slug, idempotency_key, correct, total, score, passed, submitted_at)
VALUES (:d_user_id, :d_course_id, :d_version_id, :d_module_slug, :key, :correct, :total, :score, :passed, now()) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id),
ans AS (INSERT INTO attempt_answers (attempt_id, question_id, choice_ids, correct)
	SELECT a.id, v.q, v.c, v.ok FROM a CROSS JOIN json_to_recordset(E'[{"q"\x3a"followup-away-on-friday","c"\x3a"07045fb7 cf88d45e f0624df3","ok"\x3atrue},{"q"\x3a"followup-running-late","c"\x3a"d84090e5","ok"\x3atrue},{"q"\x3a"followup-realistic-time","c"\x3a"79450ed6","ok"\x3atrue},{"q"\x3a"followup-record-promise","c"\x3a"c03fc6bb efb8197c","ok"\x3atrue},{"q"\x3a"followup-early-news","c"\x3a"4ae106e1","ok"\x3atrue}]'::json) AS v(q text, c text, ok boolean)),
d AS (UPDATE quiz_draws AS qd SET attempt_id = a.id FROM a WHERE qd.id = :draw AND qd.attempt_id IS NULL RETURNING qd.id)
SELECT en.id AS e_id, en.user_id AS e_user_id, en.course_id AS e_course_id, en.assigned_at AS e_assigned_at, en.due_at AS e_due_at, en.started_at AS e_started_at, en.last_activity_at AS e_last_activity_at, en.last_completed_at AS e_last_completed_at, en.next_due_at AS e_next_due_at, en.cycle AS e_cycle, en.created_at AS e_created_at, a.id AS attempt_id, EXISTS (SELECT 1 FROM d) AS closed FROM en LEFT JOIN a ON true;
WITH up AS (INSERT INTO module_progress AS mp
	(user_id, course_id, module_slug, version_id, first_viewed_at, read_at, passed_at, pass_score)
VALUES (:d_user_id, :d_course_id, :d_module_slug, :d_version_id, now(), now(), now(), :score)
ON CONFLICT (user_id, course_id, module_slug) DO UPDATE SET read_at = EXCLUDED.read_at,
	passed_at = EXCLUDED.passed_at, pass_score = EXCLUDED.pass_score, version_id = EXCLUDED.version_id
RETURNING id, user_id, course_id, module_slug, version_id, first_viewed_at, read_at, passed_at, pass_score)
SELECT * FROM up UNION ALL SELECT mp.id AS id, mp.user_id AS user_id, mp.course_id AS course_id, mp.module_slug AS module_slug, mp.version_id AS version_id, mp.first_viewed_at AS first_viewed_at, mp.read_at AS read_at, mp.passed_at AS passed_at, mp.pass_score AS pass_score FROM module_progress AS mp WHERE mp.user_id = :d_user_id AND mp.course_id = :d_course_id AND mp.module_slug <> :d_module_slug;
COMMIT;
