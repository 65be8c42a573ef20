package store

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// QuizDraw is one module quiz as drawn for a person when its page was
// shown. Questions is the JSON of a courses.Draw; AttemptID is set once,
// on submit.
type QuizDraw struct {
	bun.BaseModel `bun:"table:quiz_draws,alias:qd"`

	ID         int64     `bun:"id,pk,autoincrement"`
	UserID     int64     `bun:"user_id,notnull"`
	CourseID   int64     `bun:"course_id,notnull"`
	VersionID  int64     `bun:"version_id,notnull"`
	ModuleSlug string    `bun:"module_slug,notnull"`
	Questions  string    `bun:"questions,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	AttemptID  *int64    `bun:"attempt_id"`
}

// InsertQuizDraw stores a new open draw. When the person already has one
// open on that module and version (two page loads at the same moment), it
// loads that one into d instead: both pages show the same quiz.
func (s *Store) InsertQuizDraw(ctx context.Context, d *QuizDraw) error {
	d.CreatedAt = Now(d.CreatedAt)
	res, err := s.w.NewInsert().Model(d).
		On("CONFLICT (user_id, course_id, version_id, module_slug) WHERE attempt_id IS NULL DO NOTHING").Exec(ctx)
	if err != nil {
		return wrap(err, "store the quiz draw of user %d on module %s", d.UserID, d.ModuleSlug)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	err = s.w.NewSelect().Model(d).Where("user_id = ?", d.UserID).Where("course_id = ?", d.CourseID).
		Where("version_id = ?", d.VersionID).Where("module_slug = ?", d.ModuleSlug).Where("attempt_id IS NULL").Scan(ctx)
	return wrap(err, "load the open quiz of user %d on module %s", d.UserID, d.ModuleSlug)
}

// OpenQuizDraw returns the person's latest draw of a module's quiz on a
// version that has not been submitted yet.
func (s *Store) OpenQuizDraw(ctx context.Context, userID, courseID, versionID int64, module string) (*QuizDraw, error) {
	var ds []QuizDraw
	err := s.scanPrepared(ctx, false, &ds, s.sql.openQuizDraw, userID, courseID, module, versionID)
	return first(ds, err, "load the open quiz of user %d on module %s", userID, module)
}

const closeQuizDrawSQL = "UPDATE quiz_draws SET attempt_id = ? WHERE id = ? AND attempt_id IS NULL"

// ErrDrawTaken is InsertAttempt's answer when the draw the attempt answers
// was closed by another attempt first (two tabs sending one quiz at the
// same moment): the caller rolls back and answers with the first.
var ErrDrawTaken = errors.New("store: the quiz draw was answered by another attempt")

// QuizDrawByID returns one draw. It reads the writer: a submit must see
// whether the draw was answered a moment ago.
func (s *Store) QuizDrawByID(ctx context.Context, id int64) (*QuizDraw, error) {
	var ds []QuizDraw
	err := s.scanPrepared(ctx, true, &ds, s.sql.quizDrawByID, id)
	return first(ds, err, "load quiz draw %d", id)
}

// QuizDrawOfAttempt returns the draw an attempt answered; ErrNotFound for
// attempts stored without one (before draws, or by the demo).
func (s *Store) QuizDrawOfAttempt(ctx context.Context, attemptID int64) (*QuizDraw, error) {
	d := new(QuizDraw)
	err := s.r.NewSelect().Model(d).Where("attempt_id = ?", attemptID).Scan(ctx)
	return d, wrap(err, "load the quiz draw of attempt %d", attemptID)
}

// closeQuizDraw records the attempt that answered a draw (InsertAttempt
// on SQLite; on PostgreSQL the insert does it in the same statement). It
// reports false when the draw was answered already.
func (s *Store) closeQuizDraw(ctx context.Context, drawID, attemptID int64) (bool, error) {
	res, err := s.execPrepared(ctx, closeQuizDrawSQL, attemptID, drawID)
	if err != nil {
		return false, wrap(err, "close quiz draw %d", drawID)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
