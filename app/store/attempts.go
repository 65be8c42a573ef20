package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Attempt is one graded quiz submission. Attempts are never updated or
// deleted: they are the record behind every score.
type Attempt struct {
	bun.BaseModel `bun:"table:attempts,alias:a"`

	ID             int64     `bun:"id,pk,autoincrement"`
	UserID         int64     `bun:"user_id,notnull"`
	CourseID       int64     `bun:"course_id,notnull"`
	VersionID      int64     `bun:"version_id,notnull"`
	ModuleSlug     string    `bun:"module_slug,notnull"`
	IdempotencyKey string    `bun:"idempotency_key,notnull"`
	Correct        int       `bun:"correct,notnull"`
	Total          int       `bun:"total,notnull"`
	Score          int       `bun:"score,notnull"`
	Passed         bool      `bun:"passed,notnull"`
	SubmittedAt    time.Time `bun:"submitted_at,notnull"`

	Answers []AttemptAnswer `bun:"rel:has-many,join:id=attempt_id"`
}

// AttemptAnswer is the choice(s) given to one question of an attempt.
type AttemptAnswer struct {
	bun.BaseModel `bun:"table:attempt_answers,alias:aa"`

	ID         int64  `bun:"id,pk,autoincrement"`
	AttemptID  int64  `bun:"attempt_id,notnull"`
	QuestionID string `bun:"question_id,notnull"`
	ChoiceIDs  string `bun:"choice_ids,notnull"` // space-separated choice IDs, sorted
	Correct    bool   `bun:"correct,notnull"`
}

// Choices splits ChoiceIDs.
func (a AttemptAnswer) Choices() []string { return strings.Fields(a.ChoiceIDs) }

// InsertAttempt stores an attempt and its answers unless the same person
// already submitted one with the same idempotency key (a double click, a
// resent form). It reports whether it inserted; either way a.ID is the
// attempt that stands.
func (s *Store) InsertAttempt(ctx context.Context, a *Attempt, answers []AttemptAnswer) (bool, error) {
	a.SubmittedAt = Now(a.SubmittedAt)
	res, err := s.w.NewInsert().Model(a).On("CONFLICT (user_id, idempotency_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrap(err, "insert attempt on module %s", a.ModuleSlug)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		err := s.w.NewSelect().Model(a).Column("id").
			Where("user_id = ?", a.UserID).Where("idempotency_key = ?", a.IdempotencyKey).Scan(ctx)
		return false, wrap(err, "load the earlier attempt with the same key")
	}
	if len(answers) == 0 {
		return true, nil
	}
	for i := range answers {
		answers[i].AttemptID = a.ID
	}
	if _, err := s.w.NewInsert().Model(&answers).Exec(ctx); err != nil {
		return false, wrap(err, "insert the answers of attempt %d", a.ID)
	}
	return true, nil
}

// AttemptByID returns an attempt with its answers.
func (s *Store) AttemptByID(ctx context.Context, id int64) (*Attempt, error) {
	a := new(Attempt)
	err := s.r.NewSelect().Model(a).Relation("Answers").Where("a.id = ?", id).Scan(ctx)
	return a, wrap(err, "load attempt %d", id)
}

// LatestAttempt returns a person's latest attempt on a module's quiz, with
// its answers: the questions it showed (a retake prefers others) and
// whether it failed (a retake pause runs from it).
func (s *Store) LatestAttempt(ctx context.Context, userID, courseID int64, module string) (*Attempt, error) {
	a := new(Attempt)
	err := s.r.NewSelect().Model(a).Relation("Answers").Where("a.user_id = ?", userID).Where("a.course_id = ?", courseID).
		Where("a.module_slug = ?", module).OrderExpr("a.submitted_at DESC, a.id DESC").Limit(1).Scan(ctx)
	return a, wrap(err, "load the latest attempt of user %d on module %s", userID, module)
}

// AttemptsOfUser lists a person's attempts on a course, newest first.
func (s *Store) AttemptsOfUser(ctx context.Context, userID, courseID int64, limit int) ([]Attempt, error) {
	var as []Attempt
	err := s.r.NewSelect().Model(&as).Where("user_id = ?", userID).Where("course_id = ?", courseID).
		OrderExpr("submitted_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return as, wrap(err, "list attempts of user %d", userID)
}

// InsertAttempts inserts attempts with their Answers, setting every ID.
// Idempotency keys must be unique per person, as InsertAttempt requires;
// unlike InsertAttempt, a key already stored fails the statement.
func (s *Store) InsertAttempts(ctx context.Context, as []Attempt) error {
	for i := range as {
		as[i].SubmittedAt = Now(as[i].SubmittedAt)
	}
	type key struct {
		user int64
		key  string
	}
	return chunks(as, batchRows, func(part []Attempt) error {
		var got []struct {
			ID             int64  `bun:"id"`
			UserID         int64  `bun:"user_id"`
			IdempotencyKey string `bun:"idempotency_key"`
		}
		if _, err := s.w.NewInsert().Model(&part).Returning("id, user_id, idempotency_key").Exec(ctx, &got); err != nil {
			return wrap(err, "insert %d attempts", len(part))
		}
		ids := make(map[key]int64, len(got))
		for _, g := range got {
			ids[key{g.UserID, g.IdempotencyKey}] = g.ID
		}
		var answers []AttemptAnswer
		for i := range part {
			a := &part[i]
			if a.ID = ids[key{a.UserID, a.IdempotencyKey}]; a.ID == 0 {
				return fmt.Errorf("store: attempt %s of user %d was not returned by its insert", a.IdempotencyKey, a.UserID)
			}
			for j := range a.Answers {
				a.Answers[j].AttemptID = a.ID
				answers = append(answers, a.Answers[j])
			}
		}
		// Answers are ~4 per attempt: chunk them again.
		return chunks(answers, batchRows, func(ap []AttemptAnswer) error {
			_, err := s.w.NewInsert().Model(&ap).Exec(ctx)
			return wrap(err, "insert %d attempt answers", len(ap))
		})
	})
}
