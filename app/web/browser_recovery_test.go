package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/mail/mailtest"
)

// TestBrowserRecoversAPasswordByMail: a person who forgot their password
// follows "Forgot your password?" on the sign-in page, receives the link
// over SMTP, opens it in the browser, chooses a new password and lands on
// their dashboard signed in; the new password then signs them in.
func TestBrowserRecoversAPasswordByMail(t *testing.T) {
	mustBeValid(t, greetingCourse)
	srv := mailtest.Start(t)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse, Env: srv.Env()})
	app.AddUser(t, "Sipho Dlamini", "sipho@example.com", auth.Learner, password)
	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	b.follow("open the sign-in page", chromedp.Navigate(app.URL+"/login"))
	b.follow("follow the forgotten-password link", chromedp.Click(b.linkText("Forgot your password?")))
	b.wantPath("/forgot")
	b.step("type the email", chromedp.SendKeys(chromedp.CSS("#email"), "sipho@example.com"))
	b.follow("ask for a link", chromedp.Click(chromedp.CSS(`form[action="/forgot"] button[type="submit"]`)))
	b.wantText("main", "If an account has the address sipho@example.com")
	b.screenshot("recovery-sent")

	drain(t, app)
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails", len(msgs))
	}
	m := resetLinkRE.FindStringSubmatch(msgs[0].Text)
	if m == nil {
		t.Fatalf("no link in the mail:\n%s", msgs[0].Text)
	}
	b.follow("open the link from the mail", chromedp.Navigate(app.URL+m[1]))
	b.wantText("main", "You are choosing a new password for Sipho Dlamini")
	b.step("choose a new password", chromedp.SendKeys(chromedp.CSS("#password"), "a fresh passphrase"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "a fresh passphrase"))
	b.follow("save it", chromedp.Click(chromedp.CSS(`#link button[type="submit"]`)))
	b.wantPath("/")
	b.wantText("h1", "Your courses")
	b.screenshot("recovery-done")

	c := app.Client(t)
	c.SignIn("sipho@example.com", "a fresh passphrase")
}
