package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

// TestBrowserLearnerPassesRefresherQuiz: a learner whose refresher window is
// open takes the refresher quiz on a phone, passes, sees the new due date and
// a certificate; the calendar feed then shows the new date.
func TestBrowserLearnerPassesRefresherQuiz(t *testing.T) {
	mustBeValid(t, greetingCourse)
	// Completed 10 Mar 2025: due 10 Mar 2026, the window opened 8 Feb 2026.
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse, Now: time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)})
	u := app.AddUser(t, "Amara Osei", "amara@example.com", auth.Learner, "a long enough password")
	ctx := context.Background()
	row, err := app.Store.CourseBySlug(ctx, "greeting-customers")
	if err != nil {
		t.Fatal(err)
	}
	done := time.Date(2025, 3, 10, 15, 0, 0, 0, time.UTC)
	e, err := app.Store.EnsureEnrolment(ctx, u.ID, row.ID, done)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.InsertCompletion(ctx, &store.Completion{UserID: u.ID, CourseID: row.ID, VersionID: row.CurrentVersionID, CompletedAt: done, Score: 100}); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetEnrolmentSchedule(ctx, e.ID, done, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), 1); err != nil {
		t.Fatal(err)
	}

	tab := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	tab.follow("open the site", chromedp.Navigate(app.URL+"/"))
	tab.step("type the email and password",
		chromedp.SendKeys(chromedp.CSS("#email"), "amara@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"))
	tab.follow("sign in", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	tab.wantPath("/")
	tab.wantText("main", "Due now")
	tab.wantText("li.course", "Greeting customers", "Due soon", "Your refresher is open: a short quiz of 3 questions, due 10 Mar 2026")
	tab.screenshot("dashboard-refresher-open")

	tab.follow("open the refresher", chromedp.Click(chromedp.CSS(`li.course a.refresher-start`)))
	tab.wantPath("/refresher/greeting-customers")
	tab.wantText("h1", "Refresher: Greeting customers")
	tab.choose("first-move", "Stop, turn to them and say hello")
	tab.choose("personal-greeting", "Using the name on their booking")
	tab.choose("personal-greeting", "Making eye contact")
	tab.choose("close-well", "Ask whether there is anything else, then thank them by name")
	tab.wantChecked(4)
	tab.follow("submit the refresher", chromedp.Click(chromedp.CSS(`form[action="/refresher/greeting-customers"] button[type="submit"]`)))
	tab.wantPathPrefix("/refreshers/")
	tab.wantText("main", "Passed.", "Refresher completed")
	// Inside the window the cycle is kept: 10 Mar 2026 + 1 year.
	tab.wantText("#next-due", "10 Mar 2027")
	tab.screenshot("refresher-passed")

	tab.follow("open the certificate", chromedp.Click(tab.linkText("View your certificate")))
	tab.wantPathPrefix("/certificates/")
	tab.wantText("#certificate", "Certificate of completion", "Amara Osei", "Greeting customers", "20 Feb 2026", "10 Mar 2027")
	code := tab.text("#cert-code")
	if len(code) != 14 {
		t.Fatalf("verification code %q", code)
	}
	tab.screenshot("certificate")

	tab.follow("back to the dashboard", chromedp.Navigate(app.URL+"/"))
	tab.wantText("li.course", "Completed", "next due 10 Mar 2027")

	// The calendar feed, as a calendar app would fetch it: no cookies.
	tab.follow("open settings", chromedp.Navigate(app.URL+"/settings"))
	tab.follow("create the calendar address", chromedp.Click(chromedp.CSS(`form[action="/settings/calendar"] button[type="submit"]`)))
	feedURL := run[string](tab, `document.querySelector("#calendar-url").value`)
	// Subscribe opens the calendar app on the same address; Copy copies it
	// (or, where the clipboard is refused, selects it and says how).
	if got, want := run[string](tab, `document.querySelector("#calendar-subscribe").getAttribute("href")`), "webcal://"+strings.TrimPrefix(feedURL, "http://"); got != want {
		t.Fatalf("Subscribe leads to %q, want %q", got, want)
	}
	tab.step("copy the address", chromedp.Click(chromedp.CSS("#calendar-copy")))
	tab.await("the copy to be confirmed", `Promise.resolve(document.querySelector("#calendar-copied").textContent !== "")`)
	if said := tab.text("#calendar-copied"); !strings.Contains(said, "Copied") {
		if sel := run[string](tab, `(() => { const f = document.querySelector("#calendar-url"); return f.value.substring(f.selectionStart, f.selectionEnd) })()`); sel != feedURL {
			t.Errorf("after %q, %q is selected, want the address", said, sel)
		}
	}
	res, err := http.Get(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(body), "DTSTART;VALUE=DATE:20270310\r\n") || !strings.Contains(string(body), "SUMMARY:Refresher due: Greeting customers") {
		t.Fatalf("feed %d:\n%s", res.StatusCode, body)
	}

	tab.follow("verify the certificate", chromedp.Navigate(app.URL+"/verify/"+code))
	tab.wantText("#verdict", "Genuine and valid", "Amara Osei", "10 Mar 2027")
}
