package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

const metricsToken = "scrape-me-0123456789"

func scrape(t *testing.T, app *apptest.App, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

func TestMetricsCountRequestsQuizzesJobsAndQueues(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{Content: fixture, Env: map[string]string{"FRONTLINE_METRICS_TOKEN": metricsToken}})
		course := parsedFixture(t)
		app.AddUser(t, "Priya Raman", "priya@example.com", auth.Learner, password)
		for _, tok := range []string{"", "wrong-token", metricsToken + "x"} {
			if code, _ := scrape(t, app, tok); code != http.StatusUnauthorized {
				t.Errorf("token %q: status %d, want 401", tok, code)
			}
		}
		// A webhook endpoint waiting for a completion: the queue shows it.
		ep := &store.WebhookEndpoint{URL: "https://hooks.example.com/in", Events: "course.completed", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt: app.Clock.Now()}
		if err := app.Store.CreateWebhookEndpoint(context.Background(), ep); err != nil {
			t.Fatal(err)
		}

		c := app.Client(t)
		c.SignIn("priya@example.com", password)
		f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Finish the call"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		mustStatus(t, "failed quiz", c.Post("/courses/desk-basics/greeting/quiz", f), http.StatusSeeOther)
		f = quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		mustStatus(t, "passed quiz", c.Post("/courses/desk-basics/greeting/quiz", f), http.StatusSeeOther)
		c.Get("/courses/desk-basics/notes")
		mustStatus(t, "read", c.Post("/courses/desk-basics/notes/read", url.Values{}), http.StatusSeeOther)
		f = quizForm(t, c.Get("/courses/desk-basics/closing").Body)
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
		mustStatus(t, "completing quiz", c.Post("/courses/desk-basics/closing/quiz", f), http.StatusSeeOther)
		mustStatus(t, "no such page", c.Get("/no/such/page"), http.StatusNotFound)

		ran := app.Clock.Now()
		if err := app.Jobs.Tick(context.Background(), ran); err != nil {
			t.Fatal(err)
		}
		app.Clock.Advance(90 * time.Second)
		code, body := scrape(t, app, metricsToken)
		if code != http.StatusOK {
			t.Fatalf("status %d:\n%s", code, body)
		}
		mustContain(t, "metrics", body,
			`frontline_http_requests_total{method="GET",route="/courses/:course/:module",status="200"} 4`,
			`frontline_http_request_duration_seconds_count{method="POST",route="/courses/:course/:module/quiz",status="303"} 3`,
			`frontline_http_requests_total{method="GET",route="(unmatched)",status="404"} 1`,
			`frontline_quiz_submissions_total{result="failed"} 1`,
			`frontline_quiz_submissions_total{result="passed"} 2`,
			`frontline_course_completions_total 1`,
			`frontline_job_runs_total{job="reminders",result="ok"} 1`,
			`frontline_job_last_success_timestamp_seconds{job="summary"} `+strconv.FormatFloat(float64(ran.Unix()), 'e', -1, 64),
			// The completion's webhook waits (no sender reaches a public
			// host from the test); nothing else does.
			`frontline_queue_depth{kind="webhook",queue="delivery"} 1`,
			`frontline_queue_oldest_age_seconds{kind="webhook",queue="delivery"} 90`,
			`frontline_queue_depth{kind="xapi",queue="delivery"} 0`,
			`frontline_queue_depth{kind="assigned",queue="mail"} 0`,
			`go_sql_open_connections{db_name="writer"}`,
			`frontline_metrics_database_error 0`,
		)
	})
}
