package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// One module quiz sent from several tabs at once, each form with its own
// key, stores one attempt: the attempt and the draw's close are written
// together (one statement on PostgreSQL), and every submit that finds the
// draw closed first rolls back and answers with the attempt that stands.
func TestQuizDrawSentFromTabsAtOnceStoresOneAttempt(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Aroha Ngata", "aroha@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("aroha@example.com", password)
		f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		const tabs = 8
		results := make(chan apptest.Response, tabs)
		for i := range tabs {
			form := url.Values{}
			for k, v := range f {
				form[k] = v
			}
			form.Set("key", "tab-"+strconv.Itoa(i)+"-aaaaaaaaaaaaaaaa")
			go func() {
				res, err := c.TryPost("/courses/desk-basics/greeting/quiz", form)
				if err != nil {
					t.Error(err)
				}
				results <- res
			}()
		}
		where := map[string]int{}
		for range tabs {
			res := <-results
			if res.Status != http.StatusSeeOther {
				t.Fatalf("a tab got %d:\n%s", res.Status, res.Body)
			}
			where[res.Location]++
		}
		if len(where) != 1 {
			t.Fatalf("the tabs were sent to %d different attempts: %v", len(where), where)
		}
		row, _ := app.Store.CourseBySlug(context.Background(), "desk-basics")
		as, err := app.Store.AttemptsOfUser(context.Background(), u.ID, row.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 1 {
			t.Fatalf("%d attempts stored for one draw, want 1", len(as))
		}
		for loc := range where {
			if loc != "/attempts/"+strconv.FormatInt(as[0].ID, 10) {
				t.Errorf("the tabs were sent to %s, not to the attempt stored (%d)", loc, as[0].ID)
			}
			mustContain(t, "result", c.Get(loc).Body, "Passed.")
		}
	})
}
