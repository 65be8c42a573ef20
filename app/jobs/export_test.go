package jobs

import (
	"context"
	"time"

	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
)

// SetApplyStaff replaces how s applies a staff file, so tests can see what
// the scheduler does around it (a panic, a shutdown half-way).
func SetApplyStaff(s *Scheduler, fn func(ctx context.Context, st *store.Store, rows []staff.Row, by int64, now time.Time, loc *time.Location, progress func(int) error) (staff.Plan, error)) {
	s.applyStaff = fn
}
