package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/courses"
)

// TestBrowserManagerAssignsAndSeesCompletion: a manager signs in, assigns a
// course to their team, a learner of that team completes it, the manager
// sees the cell change and downloads the CSV with that completion.
func TestBrowserManagerAssignsAndSeesCompletion(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	ctx := context.Background()
	desk, err := app.Store.CreateTeam(ctx, 0, "Front desk", app.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	nora := app.AddUser(t, "Nora Lindqvist", "nora@example.com", auth.Manager, "a long enough password")
	amara := app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, "another long password")
	if err := app.Store.SetManager(ctx, desk.ID, nora.ID, true, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeam(ctx, amara.ID, desk.ID, app.Clock.Now(), app.Config.Location); err != nil {
		t.Fatal(err)
	}
	tab := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}

	tab.follow("open the site", chromedp.Navigate(app.URL+"/manage"))
	tab.wantPath("/login")
	tab.step("type the email and password",
		chromedp.SendKeys(chromedp.CSS("#email"), "nora@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"))
	tab.follow("sign in", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	tab.wantPath("/manage")
	tab.follow("open the team", chromedp.Click(tab.linkText("Front desk")))
	tab.wantText("h1", "Front desk")
	tab.wantText("table.matrix", "Amara Osei", "Not started")

	tab.step("choose 14 days", chromedp.SendKeys(chromedp.CSS("#a-days"), "14"))
	tab.follow("assign", chromedp.Click(chromedp.CSS(`form[action$="/assignments"] button[type="submit"]`)))
	tab.wantText("main", "Assigned to 1 person")
	tab.wantText("table.matrix td", "Not started", "due 24 Mar 2026")
	tab.screenshot("1-assigned")

	// The learner completes the course (through the same forms, without a browser).
	learner := app.Client(t)
	learner.SignIn("amara@example.com", "another long password")
	course, problems := courses.ParseFS(greetingCourse, "greeting-customers")
	if course == nil {
		t.Fatal(problems)
	}
	pick := func(module, q string, texts ...string) map[string][]string {
		f := quizForm(t, learner.Get("/courses/greeting-customers/"+module).Body)
		m, _ := course.Module(module)
		question, _ := m.Question(q)
		for _, ch := range question.Choices {
			for _, text := range texts {
				if strings.Contains(string(ch.HTML), text) {
					f.Add("q."+q, ch.ID)
				}
			}
		}
		return f
	}
	f := pick("greeting", "first-move", "Stop, turn to them")
	for k, v := range pick("greeting", "personal-greeting", "Using the name", "Making eye contact") {
		if strings.HasPrefix(k, "q.") {
			f[k] = v
		}
	}
	mustStatus(t, "module 1", learner.Post("/courses/greeting-customers/greeting/quiz", f), http.StatusSeeOther)
	mustStatus(t, "module 2", learner.Post("/courses/greeting-customers/closing/quiz", pick("closing", "close-well", "Ask whether")), http.StatusSeeOther)

	tab.follow("reload the team", chromedp.Reload())
	tab.wantText("table.matrix td", "Completed", "on 10 Mar 2026")
	tab.screenshot("2-completed")

	// Download the CSV the page links to, with the manager's session.
	href := run[string](tab, `document.querySelector('a[href*="matrix.csv"]').getAttribute('href')`)
	fetch := `fetch(` + jsString(href) + `).then(r => r.ok ? r.text() : "HTTP " + r.status)`
	body, err := chromedp.Run(tab.ctx, chromedp.Evaluate[string](fetch, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(reports.StripBOM(strings.NewReader(body))).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	if len(rows) != 2 || strings.Join(rows[1], "|") != "Amara Osei|amara@example.com|Front desk|Greeting customers|Completed|2026-03-10|2027-03-10" {
		t.Fatalf("CSV rows = %q", rows)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
