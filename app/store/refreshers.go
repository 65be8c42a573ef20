package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// RefresherDraw is one refresher quiz as drawn for a person. Questions is
// the JSON list of courses.QuestionRef; AttemptID is set once, on submit.
type RefresherDraw struct {
	bun.BaseModel `bun:"table:refresher_draws,alias:rd"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UserID    int64     `bun:"user_id,notnull"`
	CourseID  int64     `bun:"course_id,notnull"`
	VersionID int64     `bun:"version_id,notnull"`
	Cycle     int       `bun:"cycle,notnull"`
	Questions string    `bun:"questions,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	AttemptID *int64    `bun:"attempt_id"`
}

// InsertDraw stores a new draw.
func (s *Store) InsertDraw(ctx context.Context, d *RefresherDraw) error {
	d.CreatedAt = Now(d.CreatedAt)
	_, err := s.w.NewInsert().Model(d).Exec(ctx)
	return wrap(err, "store the refresher draw of user %d on course %d", d.UserID, d.CourseID)
}

// OpenDraw returns the person's latest draw on a course that has not been
// submitted yet.
func (s *Store) OpenDraw(ctx context.Context, userID, courseID int64) (*RefresherDraw, error) {
	d := new(RefresherDraw)
	err := s.r.NewSelect().Model(d).Where("user_id = ?", userID).Where("course_id = ?", courseID).
		Where("attempt_id IS NULL").OrderExpr("created_at DESC, id DESC").Limit(1).Scan(ctx)
	return d, wrap(err, "load the open refresher of user %d on course %d", userID, courseID)
}

// DrawByID returns one draw.
func (s *Store) DrawByID(ctx context.Context, id int64) (*RefresherDraw, error) {
	d := new(RefresherDraw)
	err := s.r.NewSelect().Model(d).Where("id = ?", id).Scan(ctx)
	return d, wrap(err, "load refresher draw %d", id)
}

// DrawOfAttempt returns the draw an attempt answered.
func (s *Store) DrawOfAttempt(ctx context.Context, attemptID int64) (*RefresherDraw, error) {
	d := new(RefresherDraw)
	err := s.r.NewSelect().Model(d).Where("attempt_id = ?", attemptID).Scan(ctx)
	return d, wrap(err, "load the refresher draw of attempt %d", attemptID)
}

// CloseDraw records the attempt that answered a draw. It reports false when
// the draw was already answered (a resent form): nothing changes then.
func (s *Store) CloseDraw(ctx context.Context, drawID, attemptID int64) (bool, error) {
	res, err := s.w.NewUpdate().Model((*RefresherDraw)(nil)).Set("attempt_id = ?", attemptID).
		Where("id = ?", drawID).Where("attempt_id IS NULL").Exec(ctx)
	if err != nil {
		return false, wrap(err, "close refresher draw %d", drawID)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AnswerSeen is one answer a person gave to a question, with its time.
type AnswerSeen struct {
	QuestionID  string    `bun:"question_id"`
	Correct     bool      `bun:"correct"`
	SubmittedAt time.Time `bun:"submitted_at"`
}

// AnswerHistory lists every answer a person gave on a course, oldest first:
// what the refresher draw leans on.
func (s *Store) AnswerHistory(ctx context.Context, userID, courseID int64) ([]AnswerSeen, error) {
	var out []AnswerSeen
	err := s.r.NewSelect().TableExpr("attempt_answers AS aa").
		Join("JOIN attempts AS a ON a.id = aa.attempt_id").
		ColumnExpr("aa.question_id, aa.correct, a.submitted_at").
		Where("a.user_id = ?", userID).Where("a.course_id = ?", courseID).
		OrderExpr("a.submitted_at, aa.id").Scan(ctx, &out)
	return out, wrap(err, "list the answers of user %d on course %d", userID, courseID)
}

// MaterialVersion is when a version marked material was published.
type MaterialVersion struct {
	CourseID    int64     `bun:"course_id"`
	PublishedAt time.Time `bun:"published_at"`
}

// MaterialPublishes lists the publish times of material versions of one
// course (courseID > 0) or of all, oldest first.
func (s *Store) MaterialPublishes(ctx context.Context, courseID int64) ([]MaterialVersion, error) {
	var out []MaterialVersion
	q := s.r.NewSelect().Model((*CourseVersion)(nil)).Column("course_id", "published_at").Where("material")
	if courseID > 0 {
		q = q.Where("course_id = ?", courseID)
	}
	err := q.OrderExpr("published_at, id").Scan(ctx, &out)
	return out, wrap(err, "list material versions")
}

// MaterialByCourse groups MaterialPublishes by course.
func MaterialByCourse(ms []MaterialVersion) map[int64][]time.Time {
	out := map[int64][]time.Time{}
	for _, m := range ms {
		out[m.CourseID] = append(out[m.CourseID], m.PublishedAt)
	}
	return out
}
