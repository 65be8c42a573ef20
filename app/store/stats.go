package store

import (
	"context"

	"github.com/frontline-lms/frontline/app/database"
)

// QuestionStat is how one question of a course has been answered, counted by
// the database over attempt_answers.
type QuestionStat struct {
	QuestionID  string
	Answers     int    // every time anyone answered it
	People      int    // distinct people who answered it
	FirstRight  int    // people right at their first try
	WrongChoice string // the wrong answer chosen most often: choice IDs, space-separated ("" when none)
	WrongCount  int
}

// QuestionStats counts, per question of a course: answers, people, people
// right at their first try, and the most chosen wrong answer. Everything is
// aggregated in SQL; window functions pick each person's first answer and
// each question's commonest wrong answer.
func (s *Store) QuestionStats(ctx context.Context, courseID int64) ([]QuestionStat, error) {
	var out []QuestionStat
	err := s.r.NewRaw(`
WITH ranked AS (
  SELECT aa.question_id, aa.correct, a.user_id,
    ROW_NUMBER() OVER (PARTITION BY a.user_id, aa.question_id ORDER BY a.submitted_at, a.id) AS rn
  FROM attempt_answers AS aa JOIN attempts AS a ON a.id = aa.attempt_id
  WHERE a.course_id = ?
), totals AS (
  SELECT question_id, COUNT(*) AS answers, COUNT(DISTINCT user_id) AS people,
    SUM(CASE WHEN rn = 1 AND correct THEN 1 ELSE 0 END) AS first_right
  FROM ranked GROUP BY question_id
), wrong AS (
  SELECT aa.question_id, aa.choice_ids, COUNT(*) AS n
  FROM attempt_answers AS aa JOIN attempts AS a ON a.id = aa.attempt_id
  WHERE a.course_id = ? AND NOT aa.correct AND aa.choice_ids <> ''
  GROUP BY aa.question_id, aa.choice_ids
), top_wrong AS (
  SELECT question_id, choice_ids, n,
    ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY n DESC, choice_ids) AS rn
  FROM wrong
)
SELECT t.question_id, t.answers, t.people, t.first_right,
  COALESCE(w.choice_ids, '') AS wrong_choice, COALESCE(w.n, 0) AS wrong_count
FROM totals AS t LEFT JOIN top_wrong AS w ON w.question_id = t.question_id AND w.rn = 1
ORDER BY t.question_id`, courseID, courseID).Scan(ctx, &out)
	return out, wrap(err, "count the answers of course %d", courseID)
}

// ModuleStat is how many people finished one module and the median time
// from first opening it to finishing it.
type ModuleStat struct {
	ModuleSlug    string
	Finished      int
	MedianSeconds float64
}

// ModuleStats counts, per module of a course, the people who finished it
// (read it, and passed its quiz if it has one: passing also marks it read)
// and the median seconds from first view to finishing. The median is the
// middle row (or the mean of the two middle rows) numbered by a window
// function, so both databases compute it the same way.
func (s *Store) ModuleStats(ctx context.Context, courseID int64) ([]ModuleStat, error) {
	secs := "(julianday(read_at) - julianday(first_viewed_at)) * 86400.0"
	if s.dialect == database.Postgres {
		secs = "EXTRACT(EPOCH FROM (read_at - first_viewed_at))"
	}
	var out []ModuleStat
	err := s.r.NewRaw(`
WITH d AS (
  SELECT module_slug, `+secs+` AS secs
  FROM module_progress WHERE course_id = ? AND read_at IS NOT NULL
), r AS (
  SELECT module_slug, secs,
    ROW_NUMBER() OVER (PARTITION BY module_slug ORDER BY secs) AS rn,
    COUNT(*) OVER (PARTITION BY module_slug) AS n
  FROM d
)
SELECT module_slug, MAX(n) AS finished, AVG(secs) AS median_seconds
FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
GROUP BY module_slug ORDER BY module_slug`, courseID).Scan(ctx, &out)
	return out, wrap(err, "count module progress of course %d", courseID)
}
