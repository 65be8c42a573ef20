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
