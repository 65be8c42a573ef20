package reports

import (
	"context"
	"strconv"
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
func Assign(ctx context.Context, st *store.Store, a *store.Assignment, loc *time.Location, ip string) (Assigned, error) {
	var out Assigned
	err := st.Tx(ctx, func(tx *store.Store) error {
		inserted, err := tx.InsertAssignment(ctx, a)
		if err != nil {
			return err
		}
		out = Assigned{ID: a.ID, People: a.People, Duplicate: !inserted}
		if !inserted {
			return nil
		}
		if out.People, err = tx.Enrol(ctx, a, loc); err != nil {
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
		e := &store.AuditEntry{Action: "course.assign", Target: target, IP: ip, At: a.CreatedAt,
			Detail: "course " + strconv.FormatInt(a.CourseID, 10) + ", " + people}
		if a.CreatedBy != 0 {
			e.ActorID = &a.CreatedBy
		}
		return tx.Audit(ctx, e)
	})
	if err != nil {
		return Assigned{}, err
	}
	return out, nil
}
