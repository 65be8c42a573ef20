package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestSummaryReadsTheSnapshotWithinEachScope: the first view stores the
// totals and says when they were taken; an admin sees both teams, a manager
// only theirs; a team newer than the snapshot is counted live for its
// manager.
func TestSummaryReadsTheSnapshotWithinEachScope(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		o := newOrg(t, db)
		asOf := "as of <time datetime=\"" + o.app.Clock.Now().UTC().Format("2006-01-02T15:04")
		page := func(email string) string {
			t.Helper()
			r := o.client(t, email).Get("/manage/summary")
			if r.Status != http.StatusOK {
				t.Fatalf("%s: status %d", email, r.Status)
			}
			return r.Body
		}
		admin := page("admin@example.com")
		if !strings.Contains(admin, "2 people") || !strings.Contains(admin, ">North</a>") || !strings.Contains(admin, ">South</a>") || !strings.Contains(admin, asOf) {
			t.Errorf("admin summary lacks the organisation or its time:\n%s", between(admin, "<h1>", "<h2>Overdue"))
		}
		if ok, err := o.app.Store.HasSummary(ctx); err != nil || !ok {
			t.Fatalf("the first view stored no snapshot (%v)", err)
		}
		nora := page("nora@example.com")
		if !strings.Contains(nora, "1 person") || strings.Contains(nora, "South") {
			t.Errorf("nora's summary is not North alone:\n%s", between(nora, "<h1>", "<h2>Overdue"))
		}

		// A team created after the snapshot, managed by nora, with a person.
		o.app.Clock.Advance(time.Minute)
		west, err := o.app.Store.CreateTeam(ctx, o.acme.ID, "West", o.app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		nora2, err := o.app.Store.UserByEmail(ctx, "nora@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := o.app.Store.SetManager(ctx, west.ID, nora2.ID, true, o.app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		wes := o.app.AddUser(t, "Wes West", "wes@example.com", auth.Learner, password)
		if err := o.app.Store.SetTeam(ctx, wes.ID, west.ID, o.app.Clock.Now(), time.UTC); err != nil {
			t.Fatal(err)
		}
		nora = page("nora@example.com")
		if !strings.Contains(nora, "2 people") || !strings.Contains(nora, ">West</a>") || strings.Contains(nora, "South") {
			t.Errorf("nora's summary does not count West live:\n%s", between(nora, "<h1>", "<h2>Overdue"))
		}
	})
}

// TestSummaryOverdueLineLeavesUnrecordedMonthsAsGaps: a month without a
// snapshot is a gap in the chart and "not recorded" in the table, never a
// zero; a month whose snapshot found nobody overdue is a real 0.
func TestSummaryOverdueLineLeavesUnrecordedMonthsAsGaps(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		o := newOrg(t, db) // 10 Mar 2026: nobody is overdue
		if err := o.app.Store.SaveSnapshots(ctx, []store.OverdueSnapshot{{Month: "2025-10", TeamID: o.north.ID, People: 1}}); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, "March", o.client(t, "admin@example.com").Get("/manage/summary"), http.StatusOK) // March's snapshot: 0

		o.app.Clock.Set(time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC))
		page := o.client(t, "admin@example.com").Get("/manage/summary").Body
		mustContain(t, "table", page, `<th scope="row">Oct 2025</th><td>1</td>`, `<th scope="row">Mar 2026</th><td>0</td>`,
			`<th scope="row">Apr 2026</th><td>0</td>`, `<th scope="row">Nov 2025</th><td>not recorded</td>`, `<th scope="row">May 2025</th><td>not recorded</td>`)
		chart := between(page, "<h2>Overdue over the last 12 months</h2>", "</svg>")
		if n := strings.Count(chart, "<circle"); n != 3 {
			t.Errorf("%d points drawn, want 3 (Oct, Mar and now); the other months were not recorded:\n%s", n, chart)
		}
		if n := strings.Count(chart, "<polyline"); n != 1 {
			t.Errorf("%d lines drawn, want 1 (Mar to Apr; Oct stands alone):\n%s", n, chart)
		}
	})
}
