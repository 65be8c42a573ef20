package web_test

import (
	"net/http"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// TestModulePageRoundTrips counts the statements a signed-in module page
// sends to the database. A later view, with the session read moments ago
// (the session cache), reads the enrolment with its progress and the open
// quiz draw in one statement, and writes nothing: only the first view of a module records
// it. A change that adds a round trip to the page fails here and should
// say why in this table. Both databases send the same statements.
func TestModulePageRoundTrips(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Priya Raman", "priya@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("priya@example.com", password)
		n := app.Store.CountQueries()
		for _, tc := range []struct {
			what string
			want int64
		}{
			// the course row (the catalog's cache is empty), enrolment+progress;
			// BEGIN, enrolment, viewed, COMMIT; open draw (none), last attempt,
			// new draw
			{"first view", 9},
			// enrolment, progress and open draw in one (Store.ModuleView)
			{"second view", 1},
			{"third view", 1},
		} {
			before := n.Load()
			res := c.Get("/courses/desk-basics/greeting")
			mustStatus(t, tc.what, res, http.StatusOK)
			if got := n.Load() - before; got != tc.want {
				t.Errorf("the %s sent %d statements on %s, want %d", tc.what, got, db.Dialect, tc.want)
			}
			mustContain(t, tc.what, res.Body, `name="draw"`, "Sign out")
		}
	})
}
