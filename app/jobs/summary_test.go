package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/store"
)

// logBuffer collects a scheduler's log lines; schedulers log from several
// goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

// orgTotals reads the stored all-courses row of team.
func orgTotals(t *testing.T, st *store.Store, team int64) store.SummaryTotal {
	t.Helper()
	rows, err := st.SummaryOf(context.Background(), []int64{team})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.CourseID == 0 {
			return r
		}
	}
	t.Fatalf("no summary totals for team %d", team)
	return store.SummaryTotal{}
}

func TestSummaryRefreshReplacesTheSnapshotOnOneInstance(t *testing.T) {
	twoInstances(t, func(t *testing.T, dbA, dbB *database.DB) {
		ctx := context.Background()
		a := setup(t, dbA)
		b := newInstance(dbB)
		team, err := a.st.CreateTeam(ctx, 0, "Front desk", completed)
		if err != nil {
			t.Fatal(err)
		}
		var people []*store.User
		for i := range 6 {
			u := addUser(t, a.st, fmt.Sprintf("Person%02d Test", i), auth.Learner)
			if err := a.st.SetTeam(ctx, u.ID, team.ID, completed, time.UTC); err != nil {
				t.Fatal(err)
			}
			people = append(people, u)
		}
		for _, u := range people[:4] {
			complete(t, a.st, u, completed) // due 10 Mar 2026
		}
		var logA, logB logBuffer
		sa, sb := a.scheduler("a", nil), b.scheduler("b", nil)
		sa.Log = slog.New(slog.NewTextHandler(&logA, nil))
		sb.Log = slog.New(slog.NewTextHandler(&logB, nil))
		refreshes := func() int { return logA.count("summary refreshed") + logB.count("summary refreshed") }

		// Both instances tick at the same moment, at once, several times:
		// one of them computes.
		first := at(3, 11, 9) // the four completions are one day overdue
		var wg sync.WaitGroup
		for _, s := range []*jobs.Scheduler{sa, sb} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					if err := s.Tick(ctx, first); err != nil {
						t.Errorf("tick: %v", err)
					}
				}
			}()
		}
		wg.Wait()
		if n := refreshes(); n != 1 {
			t.Fatalf("%d refreshes at one moment on two instances, want 1", n)
		}
		got := orgTotals(t, a.st, team.ID)
		if !got.TakenAt.Equal(first) || got.People != 6 || got.Overdue != 4 {
			t.Fatalf("first snapshot: %+v, want 6 people, 4 overdue, taken at %v", got, first)
		}

		// Two people complete again; before the interval is up nothing is
		// recomputed, after it the snapshot is replaced, not added to.
		for _, u := range people[:2] {
			complete(t, a.st, u, first)
		}
		tick(t, sb, first.Add(jobs.SummaryEvery-time.Minute))
		if n := refreshes(); n != 1 {
			t.Fatalf("refreshed %d times before the interval was up", n)
		}
		second := first.Add(jobs.SummaryEvery)
		tick(t, sb, second)
		tick(t, sa, second)
		if n := refreshes(); n != 2 {
			t.Fatalf("%d refreshes after the interval, want 2", n)
		}
		got = orgTotals(t, b.st, team.ID)
		if !got.TakenAt.Equal(second) || got.People != 6 || got.Overdue != 2 {
			t.Fatalf("second snapshot: %+v, want 6 people, 2 overdue, taken at %v", got, second)
		}
		rows, err := b.st.SummaryOf(ctx, []int64{team.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 { // all courses, and the one course
			t.Errorf("%d summary rows after two refreshes, want 2: %+v", len(rows), rows)
		}

		// A server down for hours catches up with one refresh, not one per
		// missed interval.
		later := second.Add(5 * time.Hour)
		tick(t, sa, later)
		tick(t, sa, later.Add(time.Minute))
		if n := refreshes(); n != 3 {
			t.Fatalf("%d refreshes after a long gap, want 3", n)
		}

		// The monthly overdue snapshot was taken by the job, once, in March.
		months, err := a.st.OverdueByMonth(ctx, store.Scope{All: true}, "2026-01")
		if err != nil {
			t.Fatal(err)
		}
		if months["2026-03"] != 4 {
			t.Errorf("March overdue snapshot: %v, want 4 (the first refresh of the month)", months)
		}
	})
}
