package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// TestBrowserSingleSignOn signs in through the OpenID provider in a real
// browser: the button on the sign-in page, the provider on another site
// (127.0.0.1, while Frontline is localhost), and back. The state cookie
// must survive that cross-site round trip (SameSite=Lax on a top-level
// GET), which only a browser shows. mockoidc signs the queued person in
// without a page of its own.
func TestBrowserSingleSignOn(t *testing.T) {
	mustBeValid(t, greetingCourse)
	p := startIdP(t)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse, Localhost: true, Now: time.Now().UTC(),
		Env: map[string]string{
			"FRONTLINE_OIDC_ISSUER": p.Issuer(), "FRONTLINE_OIDC_CLIENT_ID": p.ClientID,
			"FRONTLINE_OIDC_CLIENT_SECRET": p.ClientSecret, "FRONTLINE_OIDC_NAME": "Acme ID",
		}})
	app.AddUser(t, "Sipho Dlamini", "sipho@example.com", auth.Learner, password)
	p.next("sipho-at-acme", "sipho@example.com")

	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	b.follow("open Settings while signed out", chromedp.Navigate(app.URL+"/settings"))
	b.wantPath("/login")
	b.screenshot("sso-signin-page")
	b.follow("sign in with Acme ID", chromedp.Click(b.linkText("Sign in with Acme ID")))
	b.wantPath("/settings")
	if n, e := audited(t, app, "signin.success"); n != 1 || e.Target != "sipho@example.com" {
		t.Fatalf("sign-ins audited: %d, %+v", n, e)
	}
}
