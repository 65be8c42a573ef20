package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Completion is one course completion: append-only history behind
// certificates, audits and refresher dates.
type Completion struct {
	bun.BaseModel `bun:"table:completions,alias:co"`

	ID          int64     `bun:"id,pk,autoincrement"`
	UserID      int64     `bun:"user_id,notnull"`
	CourseID    int64     `bun:"course_id,notnull"`
	VersionID   int64     `bun:"version_id,notnull"`
	CompletedAt time.Time `bun:"completed_at,notnull"`
	Score       int       `bun:"score,notnull"`
}

// InsertCompletion appends a completion.
func (s *Store) InsertCompletion(ctx context.Context, c *Completion) error {
	c.CompletedAt = Now(c.CompletedAt)
	_, err := s.w.NewInsert().Model(c).Exec(ctx)
	return wrap(err, "record completion of course %d by user %d", c.CourseID, c.UserID)
}

// Completions lists a person's completions on one course (courseID > 0) or on
// all, oldest first.
func (s *Store) Completions(ctx context.Context, userID, courseID int64) ([]Completion, error) {
	var cs []Completion
	q := s.r.NewSelect().Model(&cs).Where("user_id = ?", userID)
	if courseID > 0 {
		q = q.Where("course_id = ?", courseID)
	}
	err := q.OrderExpr("completed_at, id").Scan(ctx)
	return cs, wrap(err, "list completions of user %d", userID)
}

// CompletionsOnCourse lists the completions of the given people on one
// course, oldest first.
func (s *Store) CompletionsOnCourse(ctx context.Context, courseID int64, userIDs []int64) ([]Completion, error) {
	var cs []Completion
	if len(userIDs) == 0 {
		return cs, nil
	}
	err := s.r.NewSelect().Model(&cs).Where("course_id = ?", courseID).Where("user_id IN (?)", bun.In(userIDs)).
		OrderExpr("completed_at, id").Scan(ctx)
	return cs, wrap(err, "list completions on course %d", courseID)
}

// InsertCompletions appends completions.
func (s *Store) InsertCompletions(ctx context.Context, cs []Completion) error {
	for i := range cs {
		cs[i].CompletedAt = Now(cs[i].CompletedAt)
	}
	return insertPrepared(ctx, s, "completions", "completions", []string{"user_id", "course_id", "version_id", "completed_at", "score"}, cs,
		func(c *Completion, args []any) []any {
			return append(args, c.UserID, c.CourseID, c.VersionID, c.CompletedAt, c.Score)
		}, "", nil)
}

// CompletionsOfUsers lists the completions of many people, oldest first per
// person.
func (s *Store) CompletionsOfUsers(ctx context.Context, userIDs []int64) ([]Completion, error) {
	return byUsers[Completion](ctx, s, userIDs, "completions", "completed_at")
}
