package jobs

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
)

// Timing of staff imports.
const (
	// importLease is how long an instance holds an import between two
	// progress records; each batch renews it, so only an instance that
	// died loses its import to another.
	importLease = 5 * time.Minute
	// importTimeout bounds one run of an import.
	importTimeout = time.Hour
)

// errStopping stops an import between two batches when the scheduler stops.
var errStopping = errors.New("jobs: stopping")

// Imports applies the confirmed staff imports, oldest first, one at a time,
// until none waits or ctx ends. A confirmed import waits in the database,
// so it is applied by whichever instance looks first, and Run waits for
// the one in hand before the process exits.
func (s *Scheduler) Imports(ctx context.Context) error {
	if s.Owner == "" {
		s.Owner = NewOwner()
	}
	for ctx.Err() == nil {
		im, err := s.Store.LeaseImport(ctx, s.Owner, s.Now(), importLease)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if err := s.runImport(ctx, im); err != nil {
			return err
		}
	}
	return nil
}

// runImport applies one leased import and records how it ended. When ctx
// ends (shutdown) it stops after the batch in hand — each batch commits on
// its own — and hands the import back for the next instance to finish:
// applying is idempotent, so starting the file again is safe.
func (s *Scheduler) runImport(ctx context.Context, im *store.StaffImport) error {
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), importTimeout)
	defer cancel()
	plan, err := s.applyImport(work, im, func(done int) error {
		if err := s.Store.ImportProgress(work, im.ID, s.Owner, done, s.Now(), importLease); err != nil {
			return err
		}
		if ctx.Err() != nil && done < im.TotalRows {
			return errStopping // the batch is committed and counted: a safe place to stop
		}
		return nil
	})
	switch {
	case errors.Is(err, errStopping):
		s.Log.Info("staff import paused for shutdown", "import", im.ID)
		return s.Store.ReleaseImport(work, im.ID, s.Owner)
	case errors.Is(err, store.ErrLeaseLost):
		s.Log.Warn("staff import taken over by another instance", "import", im.ID)
		return nil
	}
	summary := fmt.Sprintf("%d added, %d changed, %d deactivated, %d unchanged, %d new teams",
		plan.New, plan.Changed, plan.Deactivated, plan.Unchanged, len(plan.NewTeams))
	if im.DoneRows > 0 {
		summary += fmt.Sprintf(" (resumed after an interruption: the first %d rows, applied before it, count as unchanged)", im.DoneRows)
	}
	status := store.ImportApplied
	if err != nil {
		status = store.ImportFailed
		var refused staff.Refusal
		if errors.As(err, &refused) {
			summary += "; stopped: " + refused.Error()
		} else {
			s.Log.Error("staff import failed", "import", im.ID, "err", err)
			summary += "; stopped by an error (it has been logged) — import the file again to finish"
		}
	}
	if err := s.Store.FinishImport(work, im.ID, s.Owner, status, summary, s.Now()); err != nil && !errors.Is(err, store.ErrLeaseLost) {
		return err
	}
	return nil
}

// applyImport parses and applies an import's file. A panic is recovered
// here and becomes the import's error, so it is recorded on the import and
// the scheduler goes on.
func (s *Scheduler) applyImport(ctx context.Context, im *store.StaffImport, progress func(int) error) (plan staff.Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("staff import panicked", "import", im.ID, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("jobs: staff import %d panicked: %v", im.ID, r)
		}
	}()
	rows, problems := staff.Parse(strings.NewReader(im.Content))
	if len(problems) > 0 {
		return plan, staff.Refusal(problems[0])
	}
	apply := s.applyStaff
	if apply == nil {
		apply = staff.Apply
	}
	return apply(ctx, s.Store, rows, im.CreatedBy, s.Now(), s.Location, progress)
}
