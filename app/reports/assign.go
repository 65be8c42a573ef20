package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
)

// Assigned is what an assignment did.
type Assigned struct {
	ID        int64
	People    int  // people it enrolled (or marked assigned) when made
	Duplicate bool // the same form was sent before: nothing new was written
}

// Assign records an assignment to a team (with its subteams) or a person,
// enrols everyone it covers and writes its audit row, all in one
// transaction: the audit log never names an assignment that did not happen,
// nor misses one that did. A form sent again with the same idempotency key
// writes nothing and answers as the first one did. ip is the requester's
// address for the audit row ("" when no one asked: the demo).
func (s *Service) Assign(ctx context.Context, a *store.Assignment, ip string) (Assigned, error) {
	var out Assigned
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		inserted, err := tx.InsertAssignment(ctx, a)
		if err != nil {
			return err
		}
		out = Assigned{ID: a.ID, People: a.People, Duplicate: !inserted}
		if !inserted {
			return nil
		}
		if out.People, err = tx.Enrol(ctx, a, s.Location); err != nil {
			return err
		}
		target := "team:" + strconv.FormatInt(a.TeamID, 10)
		if a.UserID != 0 {
			target = "user:" + strconv.FormatInt(a.UserID, 10)
		}
		people := strconv.Itoa(out.People) + " people"
		if out.People == 1 {
			people = "1 person"
		}
		by := store.Actor{ID: a.CreatedBy, IP: ip}
		return tx.Audit(ctx, by.Entry("assignment.create", target, "course "+strconv.FormatInt(a.CourseID, 10)+", "+people, a.CreatedAt))
	})
	if err != nil {
		return Assigned{}, err
	}
	return out, nil
}

// Unassign ends assignment id, made to team t or a team above it, for
// someone whose scope is sc; enrolments it made stay, with their history. An
// assignment made above the asker's teams is theirs to keep
// (ErrOutsideScope); one that does not reach t does not exist for this page.
func (s *Service) Unassign(ctx context.Context, sc Scope, t *store.Team, id int64, by store.Actor, now time.Time) error {
	a, err := s.Store.Assignment(ctx, id)
	if err != nil {
		return err
	}
	if a.TeamID == 0 {
		return fmt.Errorf("reports: assignment %d is a person's: %w", id, store.ErrNotFound)
	}
	at, err := s.Store.Team(ctx, a.TeamID)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(t.Path, at.Path) {
		return fmt.Errorf("reports: assignment %d does not reach team %d: %w", id, t.ID, store.ErrNotFound)
	}
	if !sc.Covers(at.Path) {
		return ErrOutsideScope
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.RemoveAssignment(ctx, a.ID, by.ID, now); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("assignment.remove", "team:"+strconv.FormatInt(a.TeamID, 10),
			"assignment "+strconv.FormatInt(a.ID, 10)+", course "+strconv.FormatInt(a.CourseID, 10), now))
	})
}
