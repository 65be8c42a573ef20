package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// EnrolmentsWithDates pages through enrolments that have something to
// remind about (an assignment, a due date or a completion), by ID.
func (s *Store) EnrolmentsWithDates(ctx context.Context, afterID int64, limit int) ([]Enrolment, error) {
	var es []Enrolment
	err := s.r.NewSelect().Model(&es).Where("id > ?", afterID).
		Where("(assigned_at IS NOT NULL OR due_at IS NOT NULL OR next_due_at IS NOT NULL)").
		OrderExpr("id").Limit(int64(limit)).Scan(ctx)
	return es, wrap(err, "list enrolments to remind")
}

// UsersByIDs loads the given people.
func (s *Store) UsersByIDs(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := map[int64]User{}
	if len(ids) == 0 {
		return out, nil
	}
	var us []User
	err := s.r.NewSelect().Model(&us).Where("id IN (?)", bun.In(ids)).Scan(ctx)
	for _, u := range us {
		out[u.ID] = u
	}
	return out, wrap(err, "load users")
}

// UsersWithRole lists active people with a role.
func (s *Store) UsersWithRole(ctx context.Context, role string) ([]User, error) {
	var us []User
	err := s.r.NewSelect().Model(&us).Where("role = ?", role).Where("active").Order("id").Scan(ctx)
	return us, wrap(err, "list %ss", role)
}

// CoursesByID loads every course row, archived or not, by ID.
func (s *Store) CoursesByID(ctx context.Context) (map[int64]Course, error) {
	var cs []Course
	err := s.r.NewSelect().Model(&cs).Scan(ctx)
	out := make(map[int64]Course, len(cs))
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, wrap(err, "list courses")
}

// SetEnrolmentDue corrects the stored next due date, when Derive (after a
// material publish) says otherwise.
func (s *Store) SetEnrolmentDue(ctx context.Context, id int64, nextDue time.Time) error {
	_, err := s.w.NewUpdate().Model((*Enrolment)(nil)).Set("next_due_at = ?", Now(nextDue)).Where("id = ?", id).Exec(ctx)
	return wrap(err, "update the due date of enrolment %d", id)
}
