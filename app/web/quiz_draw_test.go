package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// poolCourse has one module of four questions, two drawn per attempt, a
// pass mark of 100 and a ten-minute pause after a failed attempt.
// Question "order-steps" is {fixed}.
var poolCourse = fstest.MapFS{
	"pool-basics/course.md": {Data: []byte(`---
title: Pool basics
refresher: 12 months
window: 30 days
pass: 100
quiz_questions: 2
retake_after: 10 minutes
---
A course with a pool.
`)},
	"pool-basics/01-pool.md": {Data: []byte(`---
title: The pool
---
Read this.

## Quiz

### A guest asks for a towel. What do you do? {#towel}

- [ ] Point at the shelf
- [x] Hand them one
- [ ] Tell them to ask at reception
- [ ] Say the shop sells them

> Handing it over is the service.

### A guest asks where the lockers are. What do you say? {#lockers}

- [ ] "Somewhere downstairs"
- [x] "Down the stairs on your left; I can show you"
- [ ] "Read the sign"

> A clear answer and an offer to show.

### Put the opening steps in order. Which comes first? {#order-steps} {fixed}

- [x] Check the water
- [ ] Open the doors
- [ ] Switch on the music

> Safety before guests.

### A child runs by the pool. What do you do? {#running}

- [ ] Shout across the pool
- [x] Walk over and ask them calmly to walk
- [ ] Nothing, it is the parents' job

> Calm and close works.
`)},
}

func parsedPool(t *testing.T) *courses.Course {
	t.Helper()
	c, problems := courses.ParseFS(poolCourse, "pool-basics")
	if c == nil || problems.HasErrors() {
		t.Fatalf("pool fixture: %v", problems)
	}
	return c
}

var inputRE = regexp.MustCompile(`name="q\.([a-z0-9-]+)" value="([^"]+)"`)

// shownOrder reads a quiz form as shown: question IDs in order, and each
// question's choice IDs in order.
func shownOrder(body string) ([]string, map[string][]string) {
	var qs []string
	choices := map[string][]string{}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		if _, seen := choices[m[1]]; !seen {
			qs = append(qs, m[1])
		}
		choices[m[1]] = append(choices[m[1]], m[2])
	}
	return qs, choices
}

// answerAll answers every shown question, right or wrong.
func answerAll(t *testing.T, c *courses.Course, f url.Values, body string, right bool) {
	t.Helper()
	qs, _ := shownOrder(body)
	m := c.Modules[0]
	for _, id := range qs {
		q, _ := m.Question(id)
		for _, ch := range q.Choices {
			if ch.Correct == right {
				f.Set("q."+id, ch.ID)
				break
			}
		}
	}
}

func poolApp(t *testing.T, db *database.DB, seed uint64) (*apptest.App, *apptest.Client, *store.User) {
	t.Helper()
	app := apptest.Start(t, db, apptest.Options{Content: poolCourse, Seed: seed, Env: map[string]string{"FRONTLINE_TIMEZONE": "Asia/Kolkata"}})
	u := app.AddUser(t, "Kavya Iyer", "kavya@example.com", auth.Learner, password)
	c := app.Client(t)
	c.SignIn("kavya@example.com", password)
	return app, c, u
}

func attemptsOf(t *testing.T, app *apptest.App, userID int64) []store.Attempt {
	t.Helper()
	row, err := app.Store.CourseBySlug(context.Background(), "pool-basics")
	if err != nil {
		t.Fatal(err)
	}
	as, err := app.Store.AttemptsOfUser(context.Background(), userID, row.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// TestQuizDrawIsStoredAndShownAgain: the quiz a learner sees is drawn once
// and stored: a reload, and another app instance on the same database,
// show the same questions and choices in the same order; the {fixed}
// question keeps its order; the result page shows that order.
func TestQuizDrawIsStoredAndShownAgain(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		course := parsedPool(t)
		app, c, u := poolApp(t, db, 3)
		page := c.Get("/courses/pool-basics/pool").Body
		f := quizForm(t, page)
		qs, choices := shownOrder(page)
		if len(qs) != 2 {
			t.Fatalf("the form shows %v, want 2 of the 4 questions", qs)
		}
		mustContain(t, "quiz page", page, "2 questions, drawn from 4")

		// Stored: the row holds what the page shows.
		row, _ := app.Store.CourseBySlug(context.Background(), "pool-basics")
		d, err := app.Store.OpenQuizDraw(context.Background(), u.ID, row.ID, row.CurrentVersionID, "pool")
		if err != nil {
			t.Fatal(err)
		}
		var stored courses.Draw
		if err := json.Unmarshal([]byte(d.Questions), &stored); err != nil {
			t.Fatal(err)
		}
		for i, dq := range stored {
			if dq.ID != qs[i] || !slices.Equal(dq.Choices, choices[dq.ID]) {
				t.Fatalf("stored draw %v does not match the page %v %v", stored, qs, choices)
			}
		}

		again := c.Get("/courses/pool-basics/pool").Body
		if qs2, choices2 := shownOrder(again); !slices.Equal(qs, qs2) || !equalChoices(choices, choices2) || quizForm(t, again).Get("draw") != f.Get("draw") {
			t.Fatalf("a reload shows another quiz: %v %v, then %v %v", qs, choices, qs2, choices2)
		}
		other := apptest.Start(t, db, apptest.Options{Content: poolCourse, Seed: 99})
		oc := other.Client(t)
		oc.SignIn("kavya@example.com", password)
		if qs3, choices3 := shownOrder(oc.Get("/courses/pool-basics/pool").Body); !slices.Equal(qs, qs3) || !equalChoices(choices, choices3) {
			t.Fatalf("another instance shows another quiz: %v %v, then %v %v", qs, choices, qs3, choices3)
		}

		// Every draw a few seeds make keeps the {fixed} question's order.
		for _, id := range qs {
			q, _ := course.Modules[0].Question(id)
			if q.Fixed && !slices.Equal(choices[id], choiceIDs(q)) {
				t.Fatalf("{fixed} question shown as %v", choices[id])
			}
		}

		answerAll(t, course, f, page, true)
		res := c.Post("/courses/pool-basics/pool/quiz", f)
		mustStatus(t, "submit", res, http.StatusSeeOther)
		result := c.Get(res.Location).Body
		mustContain(t, "result", result, "100%", "2 of 2 right")
		// The result lists the questions, and each one's choices, as shown.
		at := -1
		for _, id := range qs {
			i := strings.Index(result, `id="answer-`+id+`"`)
			if i < at {
				t.Fatalf("result shows %s out of the order %v", id, qs)
			}
			at = i
			q, _ := course.Modules[0].Question(id)
			block := result[i:]
			block = block[:strings.Index(block, "</li>\n")]
			last := -1
			for _, cid := range choices[id] {
				ch, _ := q.Choice(cid)
				j := strings.Index(block, string(ch.HTML))
				if j < last {
					t.Fatalf("result shows the choices of %s out of the order shown:\n%s", id, block)
				}
				last = j
			}
		}
	})
}

func equalChoices(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func choiceIDs(q *courses.Question) []string {
	var ids []string
	for _, ch := range q.Choices {
		ids = append(ids, ch.ID)
	}
	return ids
}

// TestRetakeDrawsUnseenQuestions: after an attempt, the next quiz is a new
// draw of the two questions the first did not show, shown in a new order;
// grading counts only the drawn questions whatever their order.
func TestRetakeDrawsUnseenQuestions(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		course := parsedPool(t)
		app, c, u := poolApp(t, db, 5)
		page := c.Get("/courses/pool-basics/pool").Body
		first, _ := shownOrder(page)
		f := quizForm(t, page)
		answerAll(t, course, f, page, true)
		mustStatus(t, "first attempt", c.Post("/courses/pool-basics/pool/quiz", f), http.StatusSeeOther)

		page = c.Get("/courses/pool-basics/pool").Body
		second, _ := shownOrder(page)
		f2 := quizForm(t, page)
		if f2.Get("draw") == f.Get("draw") {
			t.Fatal("the retake shows the answered draw again")
		}
		for _, id := range second {
			if slices.Contains(first, id) {
				t.Fatalf("retake drew %v after %v: with 2 unseen in the pool, none should repeat", second, first)
			}
		}
		answerAll(t, course, f2, page, true)
		res := c.Get(c.Post("/courses/pool-basics/pool/quiz", f2).Location).Body
		mustContain(t, "second result", res, "100%", "2 of 2 right")
		as := attemptsOf(t, app, u.ID)
		if len(as) != 2 || as[0].Total != 2 || as[1].Total != 2 {
			t.Fatalf("attempts %+v, want two of 2 questions", as)
		}
	})
}

// TestQuizFormRefusesQuestionsNotDrawn: an answer to a question the draw
// did not show, a draw of another person or none at all is refused, and
// nothing is stored.
func TestQuizFormRefusesQuestionsNotDrawn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		course := parsedPool(t)
		app, c, u := poolApp(t, db, 7)
		app.AddUser(t, "Bo Chen", "bo@example.com", auth.Learner, password)
		bo := app.Client(t)
		bo.SignIn("bo@example.com", password)
		boDraw := quizForm(t, bo.Get("/courses/pool-basics/pool").Body).Get("draw")

		page := c.Get("/courses/pool-basics/pool").Body
		shown, _ := shownOrder(page)
		var notDrawn *courses.Question
		for _, q := range course.Modules[0].Questions {
			if !slices.Contains(shown, q.ID) {
				notDrawn = q
			}
		}
		cases := map[string]struct {
			tamper func(f url.Values)
			want   int
		}{
			"question not drawn": {func(f url.Values) { f.Set("q."+notDrawn.ID, notDrawn.Choices[0].ID) }, http.StatusBadRequest},
			"no draw":            {func(f url.Values) { f.Del("draw") }, http.StatusBadRequest},
			"draw of nobody":     {func(f url.Values) { f.Set("draw", "999999") }, http.StatusBadRequest},
			"another's draw":     {func(f url.Values) { f.Set("draw", boDraw) }, http.StatusNotFound},
		}
		for name, tc := range cases {
			f := quizForm(t, page)
			answerAll(t, course, f, page, true)
			tc.tamper(f)
			if res := c.Post("/courses/pool-basics/pool/quiz", f); res.Status != tc.want {
				t.Errorf("%s: status %d, want %d\n%s", name, res.Status, tc.want, res.Body)
			}
		}
		if as := attemptsOf(t, app, u.ID); len(as) != 0 {
			t.Fatalf("refused forms stored %d attempts", len(as))
		}
	})
}

// TestUnansweredQuizComesBackWithAnswersKept: a form with a question left
// unanswered is not graded or stored; it comes back 422 with the answer
// given still ticked, the other question marked, and a message listing it.
func TestUnansweredQuizComesBackWithAnswersKept(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		course := parsedPool(t)
		app, c, u := poolApp(t, db, 11)
		page := c.Get("/courses/pool-basics/pool").Body
		shown, _ := shownOrder(page)
		f := quizForm(t, page)
		answerAll(t, course, f, page, false)
		kept := f.Get("q." + shown[0])
		f.Del("q." + shown[1])

		res := c.Post("/courses/pool-basics/pool/quiz", f)
		mustStatus(t, "half answered", res, http.StatusUnprocessableEntity)
		mustContain(t, "half answered", res.Body,
			`id="quiz-missing" role="alert" tabindex="-1" autofocus`, "1 question is not answered yet", `<a href="#q-`+shown[1]+`">Question 2</a>`,
			`name="q.`+shown[0]+`" value="`+kept+`" checked>`, `class="question missing" id="q-`+shown[1]+`"`,
			`name="draw" value="`+f.Get("draw")+`"`, `name="key" value="`+f.Get("key")+`"`)
		missing, _ := course.Modules[0].Question(shown[1])
		if n := strings.Count(res.Body, `aria-invalid="true"`); n != len(missing.Choices) {
			t.Fatalf("%d inputs marked invalid, want the %d of the unanswered question", n, len(missing.Choices))
		}
		if again, _ := shownOrder(res.Body); !slices.Equal(again, shown) {
			t.Fatalf("the form came back as %v, was %v", again, shown)
		}
		if as := attemptsOf(t, app, u.ID); len(as) != 0 {
			t.Fatalf("an unfinished form stored %d attempts", len(as))
		}

		// Finished, the same form is graded.
		answerAll(t, course, f, page, true)
		mustStatus(t, "finished", c.Post("/courses/pool-basics/pool/quiz", f), http.StatusSeeOther)
		if as := attemptsOf(t, app, u.ID); len(as) != 1 || as[0].Score != 100 {
			t.Fatalf("attempts %+v", as)
		}
	})
}

// TestRetakePauseIsShownAndEnforced: after a failed attempt the module
// page says when the quiz opens again (in the organisation's zone,
// Asia/Kolkata: 09:00 UTC is 14:30) instead of the form, a crafted POST is
// refused with nothing stored, and after the pause the quiz is back.
func TestRetakePauseIsShownAndEnforced(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		course := parsedPool(t)
		app, c, u := poolApp(t, db, 13)
		ctx := context.Background()
		page := c.Get("/courses/pool-basics/pool").Body
		f := quizForm(t, page)
		answerAll(t, course, f, page, false)
		mustStatus(t, "fail", c.Post("/courses/pool-basics/pool/quiz", f), http.StatusSeeOther)

		app.Clock.Advance(4 * time.Minute)
		paused := c.Get("/courses/pool-basics/pool")
		mustStatus(t, "paused page", paused, http.StatusOK)
		mustContain(t, "paused page", paused.Body, `id="retake-pause"`, "You can try again at 14:40.")
		if contains(paused.Body, `action="/courses/pool-basics/pool/quiz"`) {
			t.Fatal("the paused page shows the quiz form")
		}

		// A form for an open draw (kept from another tab, or crafted) is
		// refused all the same.
		row, _ := app.Store.CourseBySlug(ctx, "pool-basics")
		drawID, _ := strconv.ParseInt(f.Get("draw"), 10, 64)
		closed, err := app.Store.QuizDrawByID(ctx, drawID)
		if err != nil {
			t.Fatal(err)
		}
		open := &store.QuizDraw{UserID: u.ID, CourseID: row.ID, VersionID: row.CurrentVersionID, ModuleSlug: "pool",
			Questions: closed.Questions, CreatedAt: app.Clock.Now()}
		if err := app.Store.InsertQuizDraw(ctx, open); err != nil {
			t.Fatal(err)
		}
		crafted := url.Values{"version": {f.Get("version")}, "draw": {strconv.FormatInt(open.ID, 10)}, "key": {"crafted-key-0123456789"}}
		answerAll(t, course, crafted, page, true)
		res := c.Post("/courses/pool-basics/pool/quiz", crafted)
		mustStatus(t, "crafted during the pause", res, http.StatusConflict)
		mustContain(t, "crafted during the pause", res.Body, "You can try again at 14:40.", "not saved")
		if as := attemptsOf(t, app, u.ID); len(as) != 1 {
			t.Fatalf("%d attempts after a refused retake, want 1", len(as))
		}

		app.Clock.Advance(6 * time.Minute)
		page = c.Get("/courses/pool-basics/pool").Body
		if contains(page, `id="retake-pause"`) {
			t.Fatal("the pause outlasts retake_after")
		}
		f = quizForm(t, page)
		answerAll(t, course, f, page, true)
		mustStatus(t, "after the pause", c.Post("/courses/pool-basics/pool/quiz", f), http.StatusSeeOther)
		if as := attemptsOf(t, app, u.ID); len(as) != 2 || !as[0].Passed {
			t.Fatalf("attempts %+v", as)
		}
	})
}

// Several loads of a quiz page at the same moment (two tabs, a prefetch)
// show one draw: the person cannot collect two quizzes' worth of questions.
func TestQuizPageLoadedAtOnceDrawsOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app, c, u := poolApp(t, db, 3)
		const loads = 8
		draws := make(chan string, loads)
		for range loads {
			go func() {
				m := drawRE.FindStringSubmatch(c.Get("/courses/pool-basics/pool").Body)
				if m == nil {
					draws <- ""
					return
				}
				draws <- m[1]
			}()
		}
		seen := map[string]bool{}
		for range loads {
			seen[<-draws] = true
		}
		if len(seen) != 1 || seen[""] {
			t.Fatalf("%d loads at once showed draws %v, want one", loads, seen)
		}
		row, _ := app.Store.CourseBySlug(context.Background(), "pool-basics")
		n, err := app.DB.R.NewSelect().Model((*store.QuizDraw)(nil)).Where("user_id = ?", u.ID).
			Where("course_id = ?", row.ID).Where("attempt_id IS NULL").Count(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("open draws = %d, %v; want 1", n, err)
		}
	})
}
