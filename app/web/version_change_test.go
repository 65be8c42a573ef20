package web_test

import (
	"context"
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// withModule is the fixture with one more module, as a trainer would publish
// it: a new version of the same course.
func withModule(name, text string) fstest.MapFS {
	fs := fstest.MapFS{}
	for k, v := range fixture {
		fs[k] = v
	}
	fs["desk-basics/"+name] = &fstest.MapFile{Data: []byte(text)}
	return fs
}

// A quiz opened before a new version was published is graded as it was
// shown, but it cannot complete the course against the old module list: the
// learner is told the course changed and what is left.
func TestQuizFromAnOldVersionCompletesOnlyAgainstTheCurrentOne(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Ana Souza", "ana@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("ana@example.com", password)

		f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		mustStatus(t, "greeting quiz", c.Post("/courses/desk-basics/greeting/quiz", f), http.StatusSeeOther)
		c.Get("/courses/desk-basics/notes")
		mustStatus(t, "notes read", c.Post("/courses/desk-basics/notes/read", nil), http.StatusSeeOther)

		// The last quiz of version 1 is open in the browser...
		old := quizForm(t, c.Get("/courses/desk-basics/closing").Body)
		// ...when a trainer publishes version 2 with a fourth module.
		v2 := withModule("04-handover.md", "---\ntitle: Handing over the shift\n---\nTell the next shift what you promised.\n")
		if _, err := app.Catalog.Import(context.Background(), v2, app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		old.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
		res := c.Post("/courses/desk-basics/closing/quiz", old)
		mustStatus(t, "old version's quiz", res, http.StatusSeeOther)
		page := c.Get(res.Location)
		mustStatus(t, "result", page, http.StatusOK)
		mustContain(t, "result of the old version's quiz", page.Body, "Passed.", "100%", "This course has changed",
			"Still to do in the current version", `href="/courses/desk-basics/handover"`, "Handing over the shift")
		if contains(page.Body, "Course completed") {
			t.Fatalf("the old version's quiz completed the course:\n%s", page.Body)
		}
		cs, err := app.Store.Completions(context.Background(), u.ID, 0)
		if err != nil || len(cs) != 0 {
			t.Fatalf("completions after the old version's quiz = %+v, %v", cs, err)
		}
		mustContain(t, "course page", c.Get("/courses/desk-basics").Body, "3 of 4 modules done")

		// Reading the new module completes the course, against version 2.
		c.Get("/courses/desk-basics/handover")
		mustStatus(t, "handover read", c.Post("/courses/desk-basics/handover/read", nil), http.StatusSeeOther)
		cs, err = app.Store.Completions(context.Background(), u.ID, 0)
		if err != nil || len(cs) != 1 {
			t.Fatalf("completions after the new module = %+v, %v", cs, err)
		}
		row, err := app.Store.CourseBySlug(context.Background(), "desk-basics")
		if err != nil || cs[0].VersionID != row.CurrentVersionID {
			t.Fatalf("completion on version %d, current is %d (%v)", cs[0].VersionID, row.CurrentVersionID, err)
		}
	})
}
