package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// TestTrainerStatsShowItemAnalysis: attempts stored without draws (as the
// demo stores them) of two questions, towel and lockers, right together or
// wrong together. Each question is right in half the answers (facility
// 50%) and predicts the rest of the attempt perfectly (discrimination
// 1.00). Wrong answers always pick "Point at the shelf" and "Read the
// sign", so the other wrong choices are named as picked by nobody — once
// there are 20 answers, not at 19.
func TestTrainerStatsShowItemAnalysis(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		course := parsedPool(t)
		app := apptest.Start(t, db, apptest.Options{Content: poolCourse})
		app.AddUser(t, "Priya Raman", "priya@example.com", auth.Trainer, password)
		learner := app.AddUser(t, "Kavya Iyer", "kavya@example.com", auth.Learner, password)
		row, err := app.Store.CourseBySlug(ctx, "pool-basics")
		if err != nil {
			t.Fatal(err)
		}
		m := course.Modules[0]
		pick := func(q, text string) string { return choice(t, course, "pool", q, text) }
		stored := 0
		storeAttempts := func(n int) {
			var as []store.Attempt
			for range n {
				right := stored%2 == 0
				a := store.Attempt{UserID: learner.ID, CourseID: row.ID, VersionID: row.CurrentVersionID, ModuleSlug: m.Slug,
					IdempotencyKey: fmt.Sprintf("stats-attempt-%08d", stored), Total: 2, SubmittedAt: app.Clock.Now()}
				towel, lockers := pick("towel", "Point at the shelf"), pick("lockers", "Read the sign")
				if right {
					towel, lockers = pick("towel", "Hand them one"), pick("lockers", "Down the stairs")
					a.Correct, a.Score, a.Passed = 2, 100, true
				}
				a.Answers = []store.AttemptAnswer{{QuestionID: "towel", ChoiceIDs: towel, Correct: right}, {QuestionID: "lockers", ChoiceIDs: lockers, Correct: right}}
				as = append(as, a)
				stored++
			}
			if err := app.Store.InsertAttempts(ctx, as); err != nil {
				t.Fatal(err)
			}
		}
		c := app.Client(t)
		c.SignIn("priya@example.com", password)
		rowOf := func(body, id string) string {
			m := regexp.MustCompile(`(?s)<tr[^>]*id="q-` + id + `">.*?</tr>`).FindString(body)
			if m == "" {
				t.Fatalf("no row for %s:\n%s", id, body)
			}
			return m
		}

		storeAttempts(19)
		res := c.Get("/trainer/courses/pool-basics/stats")
		mustStatus(t, "stats", res, http.StatusOK)
		towel := rowOf(res.Body, "towel")
		mustContain(t, "towel at 19", towel, `<td class="unpicked">–</td>`)

		storeAttempts(1)
		res = c.Get("/trainer/courses/pool-basics/stats")
		mustContain(t, "page", res.Body, "Facility", "Discrimination", "point-biserial", "at least 20 answers")
		towel = rowOf(res.Body, "towel")
		mustContain(t, "towel", towel, `<td class="facility">50%`, "20 answers", `<td class="discrimination">1.00</td>`,
			"<li>Tell them to ask at reception</li>", "<li>Say the shop sells them</li>")
		if contains(towel, "<li>Point at the shelf</li>") {
			t.Errorf("a wrong choice people pick is named as picked by nobody:\n%s", towel)
		}
		mustContain(t, "lockers", rowOf(res.Body, "lockers"), `<td class="discrimination">1.00</td>`, "<li>&#34;Somewhere downstairs&#34;</li>")
		mustContain(t, "unanswered question", rowOf(res.Body, "running"), `<td class="facility">–`, `<td class="discrimination">–</td>`)
	})
}

// TestTrainerStatsSortByColumn: the questions table sorts by any column
// from a link in its heading (no JavaScript), ascending then descending,
// with aria-sort on the sorted heading; questions without a number stay
// last either way and ties keep course order. Towel is always right,
// lockers always wrong, the other two never answered.
func TestTrainerStatsSortByColumn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		course := parsedPool(t)
		app := apptest.Start(t, db, apptest.Options{Content: poolCourse})
		app.AddUser(t, "Priya Raman", "priya@example.com", auth.Trainer, password)
		learner := app.AddUser(t, "Kavya Iyer", "kavya@example.com", auth.Learner, password)
		row, err := app.Store.CourseBySlug(ctx, "pool-basics")
		if err != nil {
			t.Fatal(err)
		}
		var as []store.Attempt
		for i := range 4 {
			as = append(as, store.Attempt{UserID: learner.ID, CourseID: row.ID, VersionID: row.CurrentVersionID, ModuleSlug: course.Modules[0].Slug,
				IdempotencyKey: fmt.Sprintf("sort-attempt-%08d", i), Total: 2, Correct: 1, Score: 50, SubmittedAt: app.Clock.Now(),
				Answers: []store.AttemptAnswer{
					{QuestionID: "towel", ChoiceIDs: choice(t, course, "pool", "towel", "Hand them one"), Correct: true},
					{QuestionID: "lockers", ChoiceIDs: choice(t, course, "pool", "lockers", "Read the sign"), Correct: false}}})
		}
		if err := app.Store.InsertAttempts(ctx, as); err != nil {
			t.Fatal(err)
		}
		c := app.Client(t)
		c.SignIn("priya@example.com", password)
		rowsRE := regexp.MustCompile(`<tr[^>]*id="q-([a-z-]+)"`)
		order := func(sort string) string {
			t.Helper()
			path := "/trainer/courses/pool-basics/stats"
			if sort != "" {
				path += "?sort=" + sort
			}
			res := c.Get(path)
			mustStatus(t, path, res, http.StatusOK)
			var ids []string
			for _, m := range rowsRE.FindAllStringSubmatch(res.Body, -1) {
				ids = append(ids, m[1])
			}
			return strings.Join(ids, " ")
		}
		for _, tc := range []struct{ sort, want string }{
			{"", "towel lockers order-steps running"},
			{"facility", "lockers towel order-steps running"},
			{"-facility", "towel lockers order-steps running"},
			{"first", "lockers towel order-steps running"},
			{"answers", "order-steps running towel lockers"},
			{"-answers", "towel lockers order-steps running"},
			{"wrong", "lockers towel order-steps running"},
			{"-question", "running order-steps lockers towel"},
		} {
			if got := order(tc.sort); got != tc.want {
				t.Errorf("sort=%q: rows %s, want %s", tc.sort, got, tc.want)
			}
		}

		res := c.Get("/trainer/courses/pool-basics/stats?sort=facility")
		mustContain(t, "sorted by facility", res.Body,
			`<th scope="col" aria-sort="ascending"><a href="/trainer/courses/pool-basics/stats?sort=-facility#questions" aria-current="true">Facility</a></th>`,
			`<th scope="col"><a href="/trainer/courses/pool-basics/stats?sort=answers#questions">Answers</a></th>`)
		res = c.Get("/trainer/courses/pool-basics/stats?sort=-facility")
		mustContain(t, "sorted by facility, descending", res.Body,
			`<th scope="col" aria-sort="descending"><a href="/trainer/courses/pool-basics/stats?sort=facility#questions" aria-current="true">Facility</a></th>`)
		res = c.Get("/trainer/courses/pool-basics/stats?sort=colour")
		mustStatus(t, "sort by no column", res, http.StatusBadRequest)
		mustContain(t, "sort by no column", res.Body, "Choose one of the table")
	})
}
