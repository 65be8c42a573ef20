package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Enrolment is one person on one course: the row dashboards and reports read.
// NextDueAt, LastCompletedAt and Cycle are written from courses.Derive whenever
// a completion is recorded; the state itself is derived on every read.
type Enrolment struct {
	bun.BaseModel `bun:"table:enrolments,alias:e"`

	ID              int64     `bun:"id,pk,autoincrement"`
	UserID          int64     `bun:"user_id,notnull"`
	CourseID        int64     `bun:"course_id,notnull"`
	AssignedAt      time.Time `bun:"assigned_at,nullzero"`
	DueAt           time.Time `bun:"due_at,nullzero"`
	StartedAt       time.Time `bun:"started_at,nullzero"`
	LastActivityAt  time.Time `bun:"last_activity_at,nullzero"`
	LastCompletedAt time.Time `bun:"last_completed_at,nullzero"`
	NextDueAt       time.Time `bun:"next_due_at,nullzero"`
	Cycle           int       `bun:"cycle,notnull"`
	CreatedAt       time.Time `bun:"created_at,notnull"`
}

// EnsureEnrolment returns the person's enrolment on a course, creating it
// (self-enrolled, nothing due) on first use.
func (s *Store) EnsureEnrolment(ctx context.Context, userID, courseID int64, now time.Time) (*Enrolment, error) {
	e := &Enrolment{UserID: userID, CourseID: courseID, CreatedAt: Now(now)}
	if _, err := s.w.NewInsert().Model(e).On("CONFLICT (user_id, course_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, wrap(err, "enrol user %d on course %d", userID, courseID)
	}
	return s.Enrolment(ctx, userID, courseID)
}

// ActiveEnrolment records activity (a module viewed or read, an attempt) on
// a person's enrolment, creating it on first use, and returns the row, in one
// statement: it sits on the quiz submit path.
func (s *Store) ActiveEnrolment(ctx context.Context, userID, courseID int64, now time.Time) (*Enrolment, error) {
	now = Now(now)
	var es []Enrolment
	err := s.scanPrepared(ctx, true, &es, s.sql.activeEnrolment, userID, courseID, now, now, now)
	e, err := first(es, err, "record activity of user %d on course %d", userID, courseID)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Enrolment returns one enrolment.
func (s *Store) Enrolment(ctx context.Context, userID, courseID int64) (*Enrolment, error) {
	e := new(Enrolment)
	err := s.r.NewSelect().Model(e).Where("user_id = ?", userID).Where("course_id = ?", courseID).Scan(ctx)
	return e, wrap(err, "load enrolment of user %d on course %d", userID, courseID)
}

// EnrolmentsOfUser lists a person's enrolments.
func (s *Store) EnrolmentsOfUser(ctx context.Context, userID int64) ([]Enrolment, error) {
	var es []Enrolment
	err := s.r.NewSelect().Model(&es).Where("user_id = ?", userID).Scan(ctx)
	return es, wrap(err, "list enrolments of user %d", userID)
}

// SetEnrolmentSchedule stores what courses.Derive computed after a completion.
func (s *Store) SetEnrolmentSchedule(ctx context.Context, id int64, lastCompleted, nextDue time.Time, cycle int) error {
	q := s.w.NewUpdate().Model((*Enrolment)(nil)).
		Set("last_completed_at = ?", Now(lastCompleted)).Set("cycle = ?", cycle).Where("id = ?", id)
	if nextDue.IsZero() {
		q = q.Set("next_due_at = NULL")
	} else {
		q = q.Set("next_due_at = ?", Now(nextDue))
	}
	_, err := q.Exec(ctx)
	return wrap(err, "update the schedule of enrolment %d", id)
}

// CompletedEnrolments pages, by ID, through the enrolments on a course of
// people who completed it at least once: the rows whose stored due date a
// publish can move.
func (s *Store) CompletedEnrolments(ctx context.Context, courseID, afterID int64, limit int) ([]Enrolment, error) {
	var es []Enrolment
	err := s.r.NewSelect().Model(&es).Where("course_id = ?", courseID).Where("id > ?", afterID).
		Where("last_completed_at IS NOT NULL").OrderExpr("id").Limit(int64(limit)).Scan(ctx)
	return es, wrap(err, "list completed enrolments on course %d", courseID)
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
	return insertPrepared(ctx, s, "enrolments", "enrolments", []string{"user_id", "course_id", "assigned_at", "due_at",
		"started_at", "last_activity_at", "last_completed_at", "next_due_at", "cycle", "created_at"}, es,
		func(e *Enrolment, args []any) []any {
			return append(args, e.UserID, e.CourseID, e.AssignedAt, e.DueAt, e.StartedAt, e.LastActivityAt,
				e.LastCompletedAt, e.NextDueAt, e.Cycle, e.CreatedAt)
		}, "", nil)
}

// EnrolmentsOfUsers lists the enrolments of many people at once.
func (s *Store) EnrolmentsOfUsers(ctx context.Context, userIDs []int64) ([]Enrolment, error) {
	return byUsers[Enrolment](ctx, s, userIDs, "enrolments")
}
