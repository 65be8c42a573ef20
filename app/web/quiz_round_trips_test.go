package web_test

import (
	"net/http"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// TestQuizSubmitRoundTrips counts the statements a passing quiz submit
// sends to the database, BEGIN and COMMIT included: the course row and
// version come from the catalog's cache, a first-time learner's submit
// reads no completions, and on PostgreSQL the enrolment's activity, the
// attempt, its answers and the draw's close are one statement, the pass and
// the course's progress another. A change that adds a round trip to the hot
// path fails here and should say why in this table.
func TestQuizSubmitRoundTrips(t *testing.T) {
	want := map[database.Dialect]int64{
		// draw; BEGIN, enrolment+attempt+answers+close draw, pass+progress, COMMIT
		database.Postgres: 5,
		// the same, the enrolment, the answers, the close and the progress
		// in statements of their own
		database.SQLite: 9,
	}
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		app.AddUser(t, "Priya Raman", "priya@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("priya@example.com", password)
		f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		n := app.Store.CountQueries()
		before := n.Load()
		res := c.Post("/courses/desk-basics/greeting/quiz", f)
		mustStatus(t, "submit", res, http.StatusSeeOther)
		got := n.Load() - before
		if got != want[db.Dialect] {
			t.Errorf("a passing submit sent %d statements on %s, want %d", got, db.Dialect, want[db.Dialect])
		}
		mustContain(t, "result", c.Get(res.Location).Body, "Passed.", "100%")
	})
}
