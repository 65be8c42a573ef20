package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
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
