package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Bulk queries: many rows per statement, for generated organisations (the
// demo today, imports later) where one statement per row would take minutes
// at 100,000 people. Each writes in chunks of batchRows: bun inlines values
// into the SQL text, so a chunk bounds the size of one statement (and stays
// far below SQLite's limit of 32,766 bound variables should the driver ever
// bind them). None opens a transaction: callers run them inside Tx so a
// batch of people lands whole or not at all.

// batchRows is how many rows one INSERT carries.
const batchRows = 500

// chunks calls fn with consecutive sub-slices of at most n elements.
func chunks[T any](rows []T, n int, fn func(part []T) error) error {
	for len(rows) > 0 {
		k := min(n, len(rows))
		if err := fn(rows[:k]); err != nil {
			return err
		}
		rows = rows[k:]
	}
	return nil
}

// InsertUsers inserts people and sets their IDs. Emails are normalised; an
// email already taken fails the whole statement (ErrConflict is not
// distinguished here): callers look existing people up first. Like
// CreateUser it retires the setup link in the same transaction.
func (s *Store) InsertUsers(ctx context.Context, users []User) error {
	if len(users) == 0 {
		return nil
	}
	for i := range users {
		users[i].Email = NormaliseEmail(users[i].Email)
		users[i].CreatedAt = Now(users[i].CreatedAt)
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.retireSetupLinks(ctx); err != nil {
			return err
		}
		return chunks(users, batchRows, func(part []User) error {
			// Read the IDs back by email rather than trusting that RETURNING
			// lists rows in VALUES order, which neither database promises.
			var got []struct {
				ID    int64  `bun:"id"`
				Email string `bun:"email"`
			}
			if _, err := tx.w.NewInsert().Model(&part).Returning("id, email").Exec(ctx, &got); err != nil {
				return wrap(err, "insert %d users", len(part))
			}
			ids := make(map[string]int64, len(got))
			for _, g := range got {
				ids[g.Email] = g.ID
			}
			for i := range part {
				part[i].ID = ids[part[i].Email]
				if part[i].ID == 0 {
					return fmt.Errorf("store: user %s was not returned by its insert", part[i].Email)
				}
			}
			return nil
		})
	})
}

// UsersByEmails returns the people with those emails (normalised); emails
// nobody has are left out.
func (s *Store) UsersByEmails(ctx context.Context, emails []string) ([]User, error) {
	var out []User
	norm := make([]string, len(emails))
	for i, e := range emails {
		norm[i] = NormaliseEmail(e)
	}
	err := chunks(norm, batchRows, func(part []string) error {
		var us []User
		if err := s.r.NewSelect().Model(&us).Where("email IN (?)", bun.In(part)).Scan(ctx); err != nil {
			return wrap(err, "look up %d users by email", len(part))
		}
		out = append(out, us...)
		return nil
	})
	return out, err
}

// InsertEnrolments inserts enrolments as they are; an existing (user,
// course) pair fails the statement.
func (s *Store) InsertEnrolments(ctx context.Context, es []Enrolment) error {
	for i := range es {
		e := &es[i]
		e.CreatedAt = Now(e.CreatedAt)
		e.AssignedAt, e.DueAt, e.StartedAt = nowOrZero(e.AssignedAt), nowOrZero(e.DueAt), nowOrZero(e.StartedAt)
		e.LastActivityAt, e.LastCompletedAt, e.NextDueAt = nowOrZero(e.LastActivityAt), nowOrZero(e.LastCompletedAt), nowOrZero(e.NextDueAt)
	}
	return chunks(es, batchRows, func(part []Enrolment) error {
		_, err := s.w.NewInsert().Model(&part).Exec(ctx)
		return wrap(err, "insert %d enrolments", len(part))
	})
}

// InsertProgress inserts module progress rows as they are.
func (s *Store) InsertProgress(ctx context.Context, ps []ModuleProgress) error {
	for i := range ps {
		p := &ps[i]
		p.FirstViewedAt, p.ReadAt, p.PassedAt = Now(p.FirstViewedAt), nowOrZero(p.ReadAt), nowOrZero(p.PassedAt)
	}
	return chunks(ps, batchRows, func(part []ModuleProgress) error {
		_, err := s.w.NewInsert().Model(&part).Exec(ctx)
		return wrap(err, "insert %d module progress rows", len(part))
	})
}

// InsertCompletions appends completions.
func (s *Store) InsertCompletions(ctx context.Context, cs []Completion) error {
	for i := range cs {
		cs[i].CompletedAt = Now(cs[i].CompletedAt)
	}
	return chunks(cs, batchRows, func(part []Completion) error {
		_, err := s.w.NewInsert().Model(&part).Exec(ctx)
		return wrap(err, "insert %d completions", len(part))
	})
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

// EnrolmentsOfUsers lists the enrolments of many people at once.
func (s *Store) EnrolmentsOfUsers(ctx context.Context, userIDs []int64) ([]Enrolment, error) {
	return byUsers[Enrolment](ctx, s, userIDs, "enrolments")
}

// CompletionsOfUsers lists the completions of many people, oldest first per
// person.
func (s *Store) CompletionsOfUsers(ctx context.Context, userIDs []int64) ([]Completion, error) {
	return byUsers[Completion](ctx, s, userIDs, "completions", "completed_at")
}

// ProgressOfUsers lists the module progress of many people at once.
func (s *Store) ProgressOfUsers(ctx context.Context, userIDs []int64) ([]ModuleProgress, error) {
	return byUsers[ModuleProgress](ctx, s, userIDs, "module progress")
}

// byUsers reads the rows of a user-keyed table for many people, a chunk of
// IDs per query, ordered by user (then by the extra columns, then id).
func byUsers[T any](ctx context.Context, s *Store, userIDs []int64, what string, order ...string) ([]T, error) {
	var out []T
	err := chunks(userIDs, batchRows, func(part []int64) error {
		var rows []T
		q := s.r.NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(part)).Order("user_id")
		q = q.Order(order...).Order("id")
		if err := q.Scan(ctx); err != nil {
			return wrap(err, "read the %s of %d users", what, len(part))
		}
		out = append(out, rows...)
		return nil
	})
	return out, err
}

// nowOrZero normalises a timestamp that may be unset (NULL).
func nowOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return Now(t)
}
