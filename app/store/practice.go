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

// SavePractice inserts or replaces a person's practice item on a question.
func (s *Store) SavePractice(ctx context.Context, p *PracticeItem) error {
	p.UpdatedAt = Now(p.UpdatedAt)
	if !p.DueAt.IsZero() {
		p.DueAt = Now(p.DueAt)
	}
	if !p.RetiredAt.IsZero() {
		p.RetiredAt = Now(p.RetiredAt)
	}
	_, err := s.w.NewInsert().Model(p).
		On("CONFLICT (user_id, course_id, question_id) DO UPDATE").
		Set("rung = EXCLUDED.rung").Set("streak = EXCLUDED.streak").Set("due_at = EXCLUDED.due_at").
		Set("retired_at = EXCLUDED.retired_at").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrap(err, "save practice of question %s", p.QuestionID)
}
