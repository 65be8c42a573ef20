package reports_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// counts is a scope's numbers as the summary shows them.
type counts struct {
	People, OverduePeople int
	States                map[int64]map[courses.Status]int // course → state → people
}

// live computes a scope's numbers with the per-request report queries.
func live(t *testing.T, st *store.Store, sc store.Scope, ids []int64, cut store.StateCutoffs) counts {
	t.Helper()
	ctx := context.Background()
	c := counts{States: map[int64]map[courses.Status]int{}}
	totals, err := st.CourseTotals(ctx, sc, ids, cut)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range totals {
		if c.States[tt.CourseID] == nil {
			c.States[tt.CourseID] = map[courses.Status]int{}
		}
		c.States[tt.CourseID][tt.Status] += tt.People
	}
	if c.People, err = st.CountPeople(ctx, sc); err != nil {
		t.Fatal(err)
	}
	overdue, err := st.OverduePeople(ctx, sc, ids, cut)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range overdue {
		c.OverduePeople += n
	}
	return c
}

// stored reads the numbers of teams (summed) from the stored snapshot.
func stored(t *testing.T, st *store.Store, teams ...int64) counts {
	t.Helper()
	rows, err := st.SummaryOf(context.Background(), teams)
	if err != nil {
		t.Fatal(err)
	}
	c := counts{States: map[int64]map[courses.Status]int{}}
	for _, r := range rows {
		if r.CourseID == 0 {
			c.People += r.People
			c.OverduePeople += r.Overdue
			continue
		}
		for _, tt := range r.Totals() {
			if c.States[tt.CourseID] == nil {
				c.States[tt.CourseID] = map[courses.Status]int{}
			}
			c.States[tt.CourseID][tt.Status] += tt.People
		}
	}
	return c
}

// TestSummarySnapshotEqualsLiveReports builds a random organisation (a
// three-level tree, people in every level, some deactivated, random
// histories on several courses) and checks that the stored totals of every
// team, and of the whole organisation, equal what the live report queries
// count for that subtree; and that the refresh takes the month's overdue
// snapshot once.
func TestSummarySnapshotEqualsLiveReports(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx, st := context.Background(), store.New(db)
		loc, _ := time.LoadLocation("Europe/London")
		rng := rand.New(rand.NewPCG(5, 6))
		base := time.Date(2024, 2, 29, 23, 15, 0, 0, time.UTC)
		var cs []reports.Course
		for i, s := range schedules[:4] {
			v, err := st.Publish(ctx, store.Publication{Slug: fmt.Sprintf("c%d", i), Title: s, Refresher: "1 year", Window: "1 month",
				PassMark: 80, Source: "[]", Hash: s, Origin: store.OriginFile, At: base})
			if err != nil {
				t.Fatal(err)
			}
			cs = append(cs, reports.Course{ID: v.CourseID, Schedule: schedule(t, s, loc)})
		}
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		org, err := st.CreateTeam(ctx, 0, "Org", base)
		if err != nil {
			t.Fatal(err)
		}
		teams := []*store.Team{org}
		for i := range 3 {
			div, err := st.CreateTeam(ctx, org.ID, fmt.Sprintf("Division %d", i), base)
			if err != nil {
				t.Fatal(err)
			}
			teams = append(teams, div)
			for j := range 2 {
				site, err := st.CreateTeam(ctx, div.ID, fmt.Sprintf("Site %d", j), base)
				if err != nil {
					t.Fatal(err)
				}
				teams = append(teams, site)
			}
		}
		if _, err := st.CreateTeam(ctx, org.ID, "Empty", base); err != nil { // no people: still a row
			t.Fatal(err)
		}
		other, err := st.CreateTeam(ctx, 0, "Second root", base)
		if err != nil {
			t.Fatal(err)
		}
		teams = append(teams, other)

		now := base.AddDate(2, 3, 7)
		users := make([]store.User, 240)
		for i := range users {
			users[i] = store.User{Email: fmt.Sprintf("p%03d@example.com", i), Name: "P", Role: "learner", Active: true, CreatedAt: base}
		}
		if err := st.InsertUsers(ctx, users); err != nil {
			t.Fatal(err)
		}
		var rows []store.Enrolment
		for i, u := range users {
			if i%12 != 0 { // a few belong to no team
				if err := st.SetTeam(ctx, u.ID, teams[rng.IntN(len(teams))].ID, base, loc); err != nil {
					t.Fatal(err)
				}
			}
			if i%17 == 0 {
				if err := st.SetActive(ctx, u.ID, false); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range cs {
				if rng.IntN(4) == 0 {
					continue
				}
				hi := simulate(rng, c.Schedule, now.Add(-time.Duration(rng.IntN(800*24))*time.Hour))
				if hi.h.LastActivity.After(now) {
					continue
				}
				hi.row.UserID, hi.row.CourseID, hi.row.CreatedAt = u.ID, c.ID, base
				rows = append(rows, hi.row)
			}
		}
		if err := st.InsertEnrolments(ctx, rows); err != nil {
			t.Fatal(err)
		}
		cut := reports.Cutoffs(now, loc, cs)
		if _, err := reports.RefreshSummary(ctx, st, ids, cut, "2026-05"); err != nil {
			t.Fatal(err)
		}

		all, err := st.Teams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var roots []int64
		for _, tm := range all {
			want := live(t, st, store.Scope{Paths: []string{tm.Path}}, ids, cut)
			if diff := cmp.Diff(want, stored(t, st, tm.ID)); diff != "" {
				t.Errorf("team %s: snapshot differs from the live reports (-live +snapshot):\n%s", tm.Name, diff)
			}
			if tm.Depth() == 1 { // a root: "/7/"
				roots = append(roots, tm.ID)
			}
		}
		want := live(t, st, store.Scope{All: true}, ids, cut)
		if want.People == 0 || want.OverduePeople == 0 {
			t.Fatalf("the random organisation is too thin: %+v", want)
		}
		if diff := cmp.Diff(want, stored(t, st, roots...)); diff != "" {
			t.Errorf("whole organisation: snapshot differs from the live reports (-live +snapshot):\n%s", diff)
		}

		months, err := st.OverdueByMonth(ctx, store.Scope{All: true}, "2026-01")
		if err != nil {
			t.Fatal(err)
		}
		if months["2026-05"] != want.OverduePeople {
			t.Errorf("monthly snapshot: %d overdue, want %d", months["2026-05"], want.OverduePeople)
		}
	})
}
