package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

func team(t *testing.T, st *store.Store, parent int64, name string) *store.Team {
	t.Helper()
	tm, err := st.CreateTeam(context.Background(), parent, name, t0)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestTeamMoveRewritesTheWholeSubtreeAndRefusesCycles(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		org := team(t, st, 0, "Acme")
		north := team(t, st, org.ID, "North")
		leeds := team(t, st, north.ID, "Leeds")
		desk := team(t, st, leeds.ID, "Front desk")
		south := team(t, st, org.ID, "South")
		if _, err := st.CreateTeam(ctx, org.ID, "North", t0); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate sibling: err = %v", err)
		}
		if err := st.MoveTeam(ctx, leeds.ID, south.ID); err != nil {
			t.Fatal(err)
		}
		got, err := st.Team(ctx, desk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := south.Path + itoa(leeds.ID) + "/" + itoa(desk.ID) + "/"; got.Path != want {
			t.Fatalf("desk path %q, want %q", got.Path, want)
		}
		if err := st.MoveTeam(ctx, south.ID, desk.ID); !errors.Is(err, store.ErrCycle) {
			t.Fatalf("move under own subteam: err = %v", err)
		}
		sub, err := st.Teams(ctx, south.Path)
		if err != nil || len(sub) != 3 {
			t.Fatalf("subtree of South = %d teams, %v; want South, Leeds, Front desk", len(sub), err)
		}
		if err := st.RenameTeam(ctx, leeds.ID, "Leeds Central"); err != nil {
			t.Fatal(err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAssignmentEnrolsSubteamsAndLateJoinersWithTheirOwnDueDate(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		v := publish(t, st, "owning-the-problem", "h1")
		org := team(t, st, 0, "Acme")
		shop := team(t, st, org.ID, "Shop")
		amara := newUser(t, st, "amara@example.com")
		kofi := newUser(t, st, "kofi@example.com")
		gone := newUser(t, st, "gone@example.com")
		for _, p := range []struct{ u, team int64 }{{amara.ID, org.ID}, {kofi.ID, shop.ID}, {gone.ID, shop.ID}} {
			if err := st.SetTeam(ctx, p.u, p.team, t0, time.UTC); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SetActive(ctx, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		a := &store.Assignment{CourseID: v.CourseID, TeamID: org.ID, DueDays: 14, CreatedAt: t0}
		done, err := (&reports.Service{Store: st, Location: time.UTC}).Assign(ctx, a, "")
		if err != nil || done.People != 2 {
			t.Fatalf("Assign covered %d people, %v; want 2 (the deactivated one left out)", done.People, err)
		}
		e, err := st.Enrolment(ctx, kofi.ID, v.CourseID)
		if err != nil || !e.DueAt.Equal(t0.AddDate(0, 0, 14)) || !e.AssignedAt.Equal(t0) {
			t.Fatalf("subteam member's enrolment = %+v, %v", e, err)
		}
		if _, err := st.Enrolment(ctx, gone.ID, v.CourseID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deactivated person enrolled: %v", err)
		}

		later := t0.AddDate(0, 0, 10)
		mei := newUser(t, st, "mei@example.com")
		if err := st.SetTeam(ctx, mei.ID, shop.ID, later, time.UTC); err != nil {
			t.Fatal(err)
		}
		e, err = st.Enrolment(ctx, mei.ID, v.CourseID)
		if err != nil || !e.DueAt.Equal(later.AddDate(0, 0, 14)) {
			t.Fatalf("late joiner's enrolment = %+v, %v; want due 14 days after joining", e, err)
		}

		if err := st.RemoveAssignment(ctx, a.ID, amara.ID, later); err != nil {
			t.Fatal(err)
		}
		olek := newUser(t, st, "olek@example.com")
		if err := st.SetTeam(ctx, olek.ID, shop.ID, later, time.UTC); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Enrolment(ctx, olek.ID, v.CourseID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("joiner after removal enrolled: %v", err)
		}
		if e, err := st.Enrolment(ctx, kofi.ID, v.CourseID); err != nil || e.DueAt.IsZero() {
			t.Fatalf("removing the assignment lost an enrolment: %+v, %v", e, err)
		}
	})
}
