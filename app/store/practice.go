package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// PracticeItem is a missed question coming back for practice. Its schedule
// lives here, so practice survives restarts; courses.Practice decides it.
type PracticeItem struct {
	bun.BaseModel `bun:"table:practice_items,alias:pi"`

	ID         int64     `bun:"id,pk,autoincrement"`
	UserID     int64     `bun:"user_id,notnull"`
	CourseID   int64     `bun:"course_id,notnull"`
	QuestionID string    `bun:"question_id,notnull"`
	Rung       int       `bun:"rung,notnull"`
	Streak     int       `bun:"streak,notnull"`
	DueAt      time.Time `bun:"due_at,nullzero"`
	RetiredAt  time.Time `bun:"retired_at,nullzero"`
	UpdatedAt  time.Time `bun:"updated_at,notnull"`
}

// PracticeItems lists a person's practice items on one course.
func (s *Store) PracticeItems(ctx context.Context, userID, courseID int64) ([]PracticeItem, error) {
	var ps []PracticeItem
	err := s.r.NewSelect().Model(&ps).Where("user_id = ?", userID).Where("course_id = ?", courseID).Scan(ctx)
	return ps, wrap(err, "list practice of user %d", userID)
}

// DuePractice lists a person's practice items due by now, the longest
// waiting first, at most limit.
func (s *Store) DuePractice(ctx context.Context, userID int64, now time.Time, limit int) ([]PracticeItem, error) {
	var ps []PracticeItem
	err := s.r.NewSelect().Model(&ps).Where("user_id = ?", userID).
		Where("retired_at IS NULL").Where("due_at <= ?", Now(now)).
		OrderExpr("due_at, id").Limit(int64(limit)).Scan(ctx)
	return ps, wrap(err, "list due practice of user %d", userID)
}

// SavePractice inserts or replaces practice items, all in one statement:
// a quiz with several misses costs one write, not one per question.
func (s *Store) SavePractice(ctx context.Context, items []PracticeItem) error {
	// One statement may not touch a row twice (PostgreSQL refuses): the
	// last item for a question wins.
	last := map[[2]any]int{}
	for i, p := range items {
		last[[2]any{p.CourseID, p.QuestionID}] = i
	}
	unique := items[:0:0]
	for i, p := range items {
		if last[[2]any{p.CourseID, p.QuestionID}] == i {
			unique = append(unique, p)
		}
	}
	items = unique
	if len(items) == 0 {
		return nil
	}
	for i := range items {
		p := &items[i]
		p.UpdatedAt = Now(p.UpdatedAt)
		if !p.DueAt.IsZero() {
			p.DueAt = Now(p.DueAt)
		}
		if !p.RetiredAt.IsZero() {
			p.RetiredAt = Now(p.RetiredAt)
		}
	}
	_, err := s.w.NewInsert().Model(&items).
		On("CONFLICT (user_id, course_id, question_id) DO UPDATE").
		Set("rung = EXCLUDED.rung").Set("streak = EXCLUDED.streak").Set("due_at = EXCLUDED.due_at").
		Set("retired_at = EXCLUDED.retired_at").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrap(err, "save %d practice items of user %d", len(items), items[0].UserID)
}
