package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
)

// confirmed stores a staff file of n new people as an admin's confirmed
// import, as the web pages leave it for the job runner.
func confirmed(t *testing.T, st *store.Store, by *store.User, n int) *store.StaffImport {
	t.Helper()
	var b strings.Builder
	b.WriteString("name,email,team,role\n")
	for i := range n {
		fmt.Fprintf(&b, "Person %d,p%d@example.com,Acme/North,learner\n", i, i)
	}
	ctx := context.Background()
	im := &store.StaffImport{CreatedBy: by.ID, CreatedAt: completed, Filename: "staff.csv", Content: b.String(), TotalRows: n, Status: store.ImportPreviewed}
	if err := st.CreateImport(ctx, im); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.StartImport(ctx, im.ID); err != nil || !ok {
		t.Fatalf("start: %v, %v", ok, err)
	}
	return im
}

func reload(t *testing.T, st *store.Store, id int64) *store.StaffImport {
	t.Helper()
	im, err := st.StaffImport(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func withClock(s *jobs.Scheduler) *jobs.Scheduler {
	s.Now = func() time.Time { return completed }
	return s
}

// TestConfirmedImportIsAppliedOnceByTheRunner: two instances look for
// waiting imports at once; one applies the file, the other finds nothing.
func TestConfirmedImportIsAppliedOnceByTheRunner(t *testing.T) {
	twoInstances(t, func(t *testing.T, dbA, dbB *database.DB) {
		a, b := setup(t, dbA), newInstance(dbB)
		admin := addUser(t, a.st, "Ada Admin", auth.Admin)
		im := confirmed(t, a.st, admin, 3)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range []*jobs.Scheduler{withClock(a.scheduler("a", nil)), withClock(b.scheduler("b", nil))} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Imports(context.Background())
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		got := reload(t, a.st, im.ID)
		if got.Status != store.ImportApplied || got.DoneRows != 3 || !strings.HasPrefix(got.Summary, "3 added, 0 changed, 0 deactivated, 0 unchanged, 2 new teams") {
			t.Fatalf("import = %s %d/%d %q", got.Status, got.DoneRows, got.TotalRows, got.Summary)
		}
	})
}

// TestPanickingImportIsRecordedAsFailed: a panic while applying is
// recovered, recorded on the import, and the runner goes on to the next.
func TestPanickingImportIsRecordedAsFailed(t *testing.T) {
	twoInstances(t, func(t *testing.T, db, _ *database.DB) {
		in := setup(t, db)
		admin := addUser(t, in.st, "Ada Admin", auth.Admin)
		broken, next := confirmed(t, in.st, admin, 2), confirmed(t, in.st, admin, 1)
		s := withClock(in.scheduler("a", nil))
		jobs.SetApplyStaff(s, func(ctx context.Context, st *store.Store, rows []staff.Row, by int64, now time.Time, loc *time.Location, progress func(int) error) (staff.Plan, error) {
			if len(rows) == 2 {
				var m map[string]int
				m["boom"]++ // a nil map: a real runtime panic
			}
			return staff.Apply(ctx, st, rows, by, now, loc, progress)
		})
		if err := s.Imports(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := reload(t, in.st, broken.ID); got.Status != store.ImportFailed || !strings.Contains(got.Summary, "stopped by an error") {
			t.Fatalf("panicked import = %s %q", got.Status, got.Summary)
		}
		if got := reload(t, in.st, next.ID); got.Status != store.ImportApplied {
			t.Fatalf("the import after it = %s %q", got.Status, got.Summary)
		}
	})
}

// TestShutdownWaitsForTheImportAndAnotherInstanceFinishesIt: Run, told to
// stop while an import is under way, returns only once the import has
// stopped after a committed batch and been handed back; another instance
// then finishes it.
func TestShutdownWaitsForTheImportAndAnotherInstanceFinishesIt(t *testing.T) {
	twoInstances(t, func(t *testing.T, dbA, dbB *database.DB) {
		a, b := setup(t, dbA), newInstance(dbB)
		admin := addUser(t, a.st, "Ada Admin", auth.Admin)
		im := confirmed(t, a.st, admin, staff.Batch+1)
		s := withClock(a.scheduler("a", nil))
		started, goOn := make(chan struct{}), make(chan struct{})
		jobs.SetApplyStaff(s, func(ctx context.Context, st *store.Store, rows []staff.Row, by int64, now time.Time, loc *time.Location, progress func(int) error) (staff.Plan, error) {
			close(started)
			<-goOn // the shutdown comes now, with the import in hand
			return staff.Apply(ctx, st, rows, by, now, loc, progress)
		})
		ctx, stop := context.WithCancel(context.Background())
		ran := make(chan struct{})
		go func() {
			defer close(ran)
			s.Run(ctx)
		}()
		s.Wake()
		<-started
		stop()
		close(goOn)
		<-ran
		got := reload(t, a.st, im.ID)
		if got.Status != store.ImportApplying || got.DoneRows != staff.Batch || !got.LeaseUntil.IsZero() {
			t.Fatalf("after shutdown: %s %d/%d lease %v; want applying, one batch done, released", got.Status, got.DoneRows, got.TotalRows, got.LeaseUntil)
		}
		if err := withClock(b.scheduler("b", nil)).Imports(context.Background()); err != nil {
			t.Fatal(err)
		}
		got = reload(t, a.st, im.ID)
		if got.Status != store.ImportApplied || got.DoneRows != staff.Batch+1 || !strings.Contains(got.Summary, "1 added") || !strings.Contains(got.Summary, "resumed") {
			t.Fatalf("finished by b: %s %d/%d %q", got.Status, got.DoneRows, got.TotalRows, got.Summary)
		}
	})
}
