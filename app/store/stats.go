package store

import (
	"context"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/courses"
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

// ItemStat is what item analysis needs for one question, summed by the
// database over the answers of module quiz attempts. Refresher attempts
// are left out: they mix modules, so the rest of such an attempt is not the
// same test. Answers counts every answer; Right the right ones. The Sums
// cover the answers of attempts of two or more questions, where a rest of
// the attempt exists: x is 1 for a right answer, y the share right of the
// attempt's other questions.
type ItemStat struct {
	QuestionID string  `bun:"question_id"`
	Answers    int     `bun:"answers"`
	Right      int     `bun:"right_answers"`
	N          float64 `bun:"n"`
	X          float64 `bun:"sx"`
	Y          float64 `bun:"sy"`
	XY         float64 `bun:"sxy"`
	YY         float64 `bun:"syy"`
}

// Sums returns the stat's sums for courses.ItemSums.Discrimination.
func (s ItemStat) Sums() courses.ItemSums {
	return courses.ItemSums{N: s.N, X: s.X, Y: s.Y, XY: s.XY, YY: s.YY}
}

// ItemStats sums, per question of a course, its answers on module quizzes
// and the products the point-biserial correlation is built from, in one
// pass over attempt_answers. Every quantity is cast to DOUBLE PRECISION so
// both databases return floats (PostgreSQL would otherwise sum numerics).
func (s *Store) ItemStats(ctx context.Context, courseID int64) ([]ItemStat, error) {
	var out []ItemStat
	err := s.r.NewRaw(`
WITH ans AS (
  SELECT aa.question_id,
    CASE WHEN aa.correct THEN 1 ELSE 0 END AS x,
    CASE WHEN a.total > 1 THEN
      CAST(a.correct - CASE WHEN aa.correct THEN 1 ELSE 0 END AS DOUBLE PRECISION) / (a.total - 1)
    END AS y
  FROM attempt_answers AS aa JOIN attempts AS a ON a.id = aa.attempt_id
  WHERE a.course_id = ? AND a.module_slug <> ''
)
SELECT question_id, COUNT(*) AS answers, SUM(x) AS right_answers,
  CAST(COUNT(y) AS DOUBLE PRECISION) AS n,
  CAST(COALESCE(SUM(CASE WHEN y IS NOT NULL THEN x END), 0) AS DOUBLE PRECISION) AS sx,
  CAST(COALESCE(SUM(y), 0) AS DOUBLE PRECISION) AS sy,
  CAST(COALESCE(SUM(x * y), 0) AS DOUBLE PRECISION) AS sxy,
  CAST(COALESCE(SUM(y * y), 0) AS DOUBLE PRECISION) AS syy
FROM ans GROUP BY question_id ORDER BY question_id`, courseID).Scan(ctx, &out)
	return out, wrap(err, "sum the item statistics of course %d", courseID)
}

// ChoicePick is how many module quiz answers to a question chose exactly
// one set of choices (space-separated IDs, sorted; "" for none).
type ChoicePick struct {
	QuestionID string `bun:"question_id"`
	ChoiceIDs  string `bun:"choice_ids"`
	Count      int    `bun:"n"`
}

// ChoicePicks counts the answers of a course's module quizzes per question
// and chosen set. The sets are few per question, so splitting them into
// choices is left to the caller rather than to dialect-specific SQL.
func (s *Store) ChoicePicks(ctx context.Context, courseID int64) ([]ChoicePick, error) {
	var out []ChoicePick
	err := s.r.NewRaw(`
SELECT aa.question_id, aa.choice_ids, COUNT(*) AS n
FROM attempt_answers AS aa JOIN attempts AS a ON a.id = aa.attempt_id
WHERE a.course_id = ? AND a.module_slug <> ''
GROUP BY aa.question_id, aa.choice_ids ORDER BY aa.question_id, aa.choice_ids`, courseID).Scan(ctx, &out)
	return out, wrap(err, "count the choices picked on course %d", courseID)
}
