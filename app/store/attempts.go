package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/database"
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

	// DrawID, when set, is the quiz draw the attempt answers: InsertAttempt
	// closes it with the attempt (see ErrDrawTaken). Not a column: the
	// draw names its attempt.
	DrawID int64 `bun:"-"`
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
// attempt that stands. With a.DrawID set, an inserted attempt also closes
// that quiz draw, or fails with ErrDrawTaken when another attempt closed
// it first (the caller then rolls back).
func (s *Store) InsertAttempt(ctx context.Context, a *Attempt, answers []AttemptAnswer) (bool, error) {
	_, added, err := s.insertAttempt(ctx, a, answers, false)
	return added, err
}

// SubmitAttempt is ActiveEnrolment (at a.SubmittedAt) and InsertAttempt
// together, for the quiz and refresher submits: on PostgreSQL the enrolment's activity,
// the attempt, its answers and the draw's close are one statement, a round
// trip fewer while the transaction holds its connection. It returns the
// enrolment as it is after the activity.
func (s *Store) SubmitAttempt(ctx context.Context, a *Attempt, answers []AttemptAnswer) (*Enrolment, bool, error) {
	if s.dialect != database.Postgres {
		// On SQLite a round trip is a function call.
		e, err := s.ActiveEnrolment(ctx, a.UserID, a.CourseID, a.SubmittedAt)
		if err != nil {
			return nil, false, err
		}
		added, err := s.InsertAttempt(ctx, a, answers)
		return e, added, err
	}
	return s.insertAttempt(ctx, a, answers, true)
}

// insertAttempt is InsertAttempt, with the enrolment's activity recorded in
// the same statement when enrol is set (PostgreSQL only).
func (s *Store) insertAttempt(ctx context.Context, a *Attempt, answers []AttemptAnswer, enrol bool) (*Enrolment, bool, error) {
	a.SubmittedAt = Now(a.SubmittedAt)
	type answer struct {
		Q  string `json:"q"`
		C  string `json:"c"`
		OK bool   `json:"ok"`
	}
	list := make([]answer, len(answers))
	for i, an := range answers {
		list[i] = answer{an.QuestionID, an.ChoiceIDs, an.Correct}
	}
	js, err := json.Marshal(list)
	if err != nil {
		return nil, false, fmt.Errorf("store: unable to encode the answers: %w", err)
	}
	args := []any{a.UserID, a.CourseID, a.VersionID, a.ModuleSlug, a.IdempotencyKey, a.Correct, a.Total, a.Score, a.Passed, a.SubmittedAt}
	var ids []int64
	var e *Enrolment
	switch {
	case enrol:
		// One round trip for the enrolment, the attempt, its answers and
		// the draw it closes; a resend (the key taken) touches the
		// enrolment only, and names no attempt.
		var rows []submittedAttempt
		err = s.scanPrepared(ctx, true, &rows, s.sql.submitAttempt,
			append(append([]any{a.UserID, a.CourseID, a.SubmittedAt, a.SubmittedAt, a.SubmittedAt}, args...), string(js), a.DrawID)...)
		if err == nil && len(rows) != 1 {
			err = sql.ErrNoRows
		}
		if err != nil {
			return nil, false, wrap(err, "record activity and insert attempt on module %s", a.ModuleSlug)
		}
		e = &rows[0].Enrolment
		if id := rows[0].AttemptID; id != nil {
			if a.DrawID != 0 && !rows[0].Closed {
				return nil, false, ErrDrawTaken
			}
			ids = []int64{*id}
		}
	case s.dialect == database.Postgres:
		// One round trip for the attempt, its answers and the draw it
		// closes; a resend (the key taken) does none of them and returns
		// no row.
		var rows []insertedAttempt
		err = s.scanPrepared(ctx, true, &rows, insertAttemptAndAnswersPG, append(args, string(js), a.DrawID)...)
		if err == nil && len(rows) == 1 {
			if a.DrawID != 0 && !rows[0].Closed {
				return nil, false, ErrDrawTaken
			}
			ids = []int64{rows[0].ID}
		}
	default:
		err = s.scanPrepared(ctx, true, &ids, insertAttemptSQL, args...)
	}
	if err != nil {
		return nil, false, wrap(err, "insert attempt on module %s", a.ModuleSlug)
	}
	if len(ids) == 0 {
		err := s.scanPrepared(ctx, true, &ids, earlierAttemptSQL, a.UserID, a.IdempotencyKey)
		if err == nil && len(ids) == 0 {
			err = sql.ErrNoRows
		}
		if err == nil {
			a.ID = ids[0]
		}
		return e, false, wrap(err, "load the earlier attempt with the same key")
	}
	a.ID = ids[0]
	for i := range answers {
		answers[i].AttemptID = a.ID
	}
	if s.dialect == database.Postgres {
		return e, true, nil
	}
	// On SQLite a round trip is a function call: the answers and the
	// draw's close follow in statements of their own.
	if len(answers) > 0 {
		if _, err := s.execPrepared(ctx, insertAnswersSQLite, a.ID, string(js)); err != nil {
			return nil, false, wrap(err, "insert the answers of attempt %d", a.ID)
		}
	}
	if a.DrawID != 0 {
		if closed, err := s.closeQuizDraw(ctx, a.DrawID, a.ID); err != nil {
			return nil, false, err
		} else if !closed {
			return nil, false, ErrDrawTaken
		}
	}
	return e, true, nil
}

// submittedAttempt is the row of the submit statement (hotSQL's
// submitAttempt): the enrolment, and the attempt it inserted, if any.
type submittedAttempt struct {
	Enrolment Enrolment `bun:"embed:e_"`
	AttemptID *int64    `bun:"attempt_id"` // nil: the key was taken, nothing inserted
	Closed    bool      `bun:"closed"`     // the draw named was open, and is now closed by this attempt
}

// insertedAttempt is the row insertAttemptAndAnswersPG returns.
type insertedAttempt struct {
	ID     int64 `bun:"id"`
	Closed bool  `bun:"closed"` // the draw named was open, and is now closed by this attempt
}

// The statements of a quiz submit, prepared (see statements). The answers
// travel as one JSON array, so each statement's text is the same whatever
// their number.
const (
	insertAttemptSQL = `INSERT INTO attempts (user_id, course_id, version_id, module_slug, idempotency_key, correct, total, score, passed, submitted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id`
	insertAttemptAndAnswersPG = `WITH a AS (` + insertAttemptSQL + `),
` + attemptCTEsPG + `
SELECT a.id, EXISTS (SELECT 1 FROM d) AS closed FROM a`
	// attemptCTEsPG is insertAttemptAndAnswersPG's WITH list after its
	// first query (the answers and the draw), for hotSQL's submitAttempt.
	attemptCTEsPG = `ans AS (INSERT INTO attempt_answers (attempt_id, question_id, choice_ids, correct)
	SELECT a.id, v.q, v.c, v.ok FROM a CROSS JOIN json_to_recordset(?::json) AS v(q text, c text, ok boolean)),
d AS (UPDATE quiz_draws AS qd SET attempt_id = a.id FROM a WHERE qd.id = ? AND qd.attempt_id IS NULL RETURNING qd.id)`
	insertAnswersSQLite = `INSERT INTO attempt_answers (attempt_id, question_id, choice_ids, correct)
SELECT ?, json_extract(value, '$.q'), json_extract(value, '$.c'), json_extract(value, '$.ok') FROM json_each(?)`
	earlierAttemptSQL = "SELECT id FROM attempts WHERE user_id = ? AND idempotency_key = ?"
)

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
	// Read the IDs back by person and key rather than trusting that
	// RETURNING lists rows in VALUES order, which neither database promises.
	ids := make(map[key]int64, len(as))
	return s.Tx(ctx, func(tx *Store) error {
		err := insertPrepared(ctx, tx, "attempts", "attempts", []string{"user_id", "course_id", "version_id", "module_slug",
			"idempotency_key", "correct", "total", "score", "passed", "submitted_at"}, as,
			func(a *Attempt, args []any) []any {
				return append(args, a.UserID, a.CourseID, a.VersionID, a.ModuleSlug, a.IdempotencyKey,
					a.Correct, a.Total, a.Score, a.Passed, a.SubmittedAt)
			}, "id, user_id, idempotency_key", func(rs *sql.Rows) error {
				var id int64
				var k key
				if err := rs.Scan(&id, &k.user, &k.key); err != nil {
					return err
				}
				ids[k] = id
				return nil
			})
		if err != nil {
			return err
		}
		var answers []AttemptAnswer
		for i := range as {
			a := &as[i]
			if a.ID = ids[key{a.UserID, a.IdempotencyKey}]; a.ID == 0 {
				return fmt.Errorf("store: attempt %s of user %d was not returned by its insert", a.IdempotencyKey, a.UserID)
			}
			for j := range a.Answers {
				a.Answers[j].AttemptID = a.ID
				answers = append(answers, a.Answers[j])
			}
		}
		return insertPrepared(ctx, tx, "attempt answers", "attempt_answers", []string{"attempt_id", "question_id", "choice_ids", "correct"}, answers,
			func(aa *AttemptAnswer, args []any) []any {
				return append(args, aa.AttemptID, aa.QuestionID, aa.ChoiceIDs, aa.Correct)
			}, "", nil)
	})
}

// CountAttemptsOfUsers counts the attempts these people have stored: a
// load test compares it with the quizzes it submitted.
func (s *Store) CountAttemptsOfUsers(ctx context.Context, userIDs []int64) (int, error) {
	total := 0
	err := chunks(userIDs, batchRows, func(part []int64) error {
		n, err := s.r.NewSelect().Model((*Attempt)(nil)).Where("user_id IN (?)", bun.In(part)).Count(ctx)
		total += int(n)
		return wrap(err, "count the attempts of %d users", len(part))
	})
	return total, err
}
