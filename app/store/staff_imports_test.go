package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestImportLeaseIsHeldByOneInstanceUntilItLapses: a confirmed import is
// leased by one instance; another gets it only once the lease has run out
// (the first died), and the first then learns it lost it.
func TestImportLeaseIsHeldByOneInstanceUntilItLapses(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		lease := 5 * time.Minute
		if _, err := st.LeaseImport(ctx, "a", t0, lease); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("nothing confirmed yet: err = %v", err)
		}
		im := &store.StaffImport{CreatedAt: t0, Filename: "staff.csv", Content: "x", TotalRows: 2000, Status: store.ImportPreviewed}
		if err := st.CreateImport(ctx, im); err != nil {
			t.Fatal(err)
		}
		if _, err := st.LeaseImport(ctx, "a", t0, lease); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("previewed, not confirmed: err = %v", err)
		}
		if ok, err := st.StartImport(ctx, im.ID); !ok || err != nil {
			t.Fatalf("start: %v %v", ok, err)
		}
		got, err := st.LeaseImport(ctx, "a", t0, lease)
		if err != nil || got.ID != im.ID || got.LeaseOwner != "a" {
			t.Fatalf("a's lease: %+v, %v", got, err)
		}
		if _, err := st.LeaseImport(ctx, "b", t0.Add(lease-time.Second), lease); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("b while a holds it: err = %v", err)
		}
		if err := st.ImportProgress(ctx, im.ID, "a", 1000, t0.Add(lease-time.Second), lease); err != nil {
			t.Fatal(err)
		}
		// Renewed by a's progress: still a's just after the first lease would have ended.
		if _, err := st.LeaseImport(ctx, "b", t0.Add(lease+time.Second), lease); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("b after a renewed: err = %v", err)
		}
		late := t0.Add(2*lease + time.Minute)
		if got, err = st.LeaseImport(ctx, "b", late, lease); err != nil || got.LeaseOwner != "b" || got.DoneRows != 1000 {
			t.Fatalf("b after a's lease lapsed: %+v, %v", got, err)
		}
		if err := st.ImportProgress(ctx, im.ID, "a", 2000, late, lease); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("a after losing it: err = %v", err)
		}
		if err := st.FinishImport(ctx, im.ID, "a", store.ImportApplied, "", late); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("a finishing b's import: err = %v", err)
		}
		if err := st.FinishImport(ctx, im.ID, "b", store.ImportApplied, "done", late); err != nil {
			t.Fatal(err)
		}
		if _, err := st.LeaseImport(ctx, "c", late.Add(time.Hour), lease); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a finished import leased again: err = %v", err)
		}
	})
}
