package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// TestBrowserSignInWaitsOutARush: with every password check taken, the
// sign-in page says it is busy and when it will try again, counts down, and
// signs the person in by itself once a check is free — no second click, no
// password typed twice. Sipho has no email: he signs in with his username,
// typed as he remembers it (in capitals).
func TestBrowserSignInWaitsOutARush(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse})
	addUsername(t, app, "Sipho Dlamini", "sipho.d", "")
	app.People.Checks = auth.NewPool(1, 0, time.Hour)
	hold, err := app.People.Checks.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	b.follow("open the sign-in page", chromedp.Navigate(app.URL+"/login"))
	b.step("type the username and password", chromedp.SendKeys(chromedp.CSS("#email"), "Sipho.D"),
		chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.step("sign in during the rush", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	trWaitFor(b, "the busy notice", `!document.getElementById("login-busy").hidden && document.getElementById("login-busy").innerText.includes("Trying again in")`)
	b.wantPath("/login")
	b.screenshot("signin-busy")
	hold()
	// The page navigates by itself: wait for the dashboard to be there.
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`li.course`))); err != nil {
		t.Fatalf("the page did not sign in by itself once a check was free: %v\n%s", err, b.text("main"))
	}
	b.wantPath("/")
	b.wantText("h1", "Your courses")
}
