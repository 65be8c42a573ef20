package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
)

// TestBrowserPasskeyRegisterThenSignIn: a person adds a passkey in Settings
// with Chromium's virtual authenticator (a platform authenticator with
// resident keys and user verification, driven through the DevTools
// protocol's WebAuthn domain), signs out, and signs in with it from the
// sign-in page without typing anything. Once the passkey is removed, it
// signs nobody in.
func TestBrowserPasskeyRegisterThenSignIn(t *testing.T) {
	mustBeValid(t, greetingCourse)
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: greetingCourse, Localhost: true})
	app.AddUser(t, "Sipho Dlamini", "sipho@example.com", auth.Learner, password)
	b := &tab{t: t, ctx: apptest.Browser(t), dir: t.TempDir()}
	if _, err := chromedp.Call(b.ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("enable WebAuthn in the browser: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatalf("add a virtual authenticator: %v", err)
	}

	b.follow("open the sign-in page", chromedp.Navigate(app.URL+"/login"))
	trWaitFor(b, "the passkey button", `!document.getElementById("passkey-signin").hidden`)
	b.step("type the email and password", chromedp.SendKeys(chromedp.CSS("#email"), "sipho@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.follow("sign in with the password", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	b.follow("open Settings", chromedp.Navigate(app.URL+"/settings"))
	b.follow("open Passkeys", chromedp.Click(b.linkText("Manage your passkeys")))
	b.wantText("main", "You have no passkeys yet")
	b.step("name the passkey", chromedp.SendKeys(chromedp.CSS("#passkey-new-name"), "Sipho's phone"))
	b.step("add it", chromedp.Click(chromedp.CSS("#passkey-add-button")))
	waitAcrossPages(b, "the new passkey in the list", `document.querySelector("#passkey-list input[name=name]") !== null`)
	b.wantText("main", "Your passkey is added")
	if got := run[string](b, `document.querySelector("#passkey-list input[name=name]").value`); got != "Sipho's phone" {
		t.Fatalf("the passkey is listed as %q", got)
	}
	b.screenshot("passkey-added")
	if n, _ := audited(t, app, "passkey.add"); n != 1 {
		t.Fatalf("%d passkey additions audited, want 1", n)
	}

	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.wantPath("/login")
	b.step("sign in with the passkey", chromedp.Click(chromedp.CSS("#passkey-signin-button")))
	waitAcrossPages(b, "the dashboard", `location.pathname === "/" && document.querySelector("h1") !== null`)
	b.wantText("h1", "Your courses")
	n, e := audited(t, app, "signin.success")
	if n != 2 || !strings.Contains(e.Detail, "passkey Sipho's phone") || e.Target != "sipho@example.com" {
		t.Fatalf("sign-ins audited: %d, newest %+v; want the passkey's, second", n, e)
	}

	// Removed, the passkey still sits in the authenticator but signs nobody in.
	b.follow("open Passkeys again", chromedp.Navigate(app.URL+"/settings/passkeys"))
	b.follow("remove it", chromedp.Click(chromedp.CSS(`#passkey-list form[action$="/remove"] button`)))
	b.wantText("main", "The passkey is removed")
	b.follow("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.step("try the removed passkey", chromedp.Click(chromedp.CSS("#passkey-signin-button")))
	trWaitFor(b, "the refusal", `!document.getElementById("passkey-error").hidden`)
	b.wantText("#passkey-error", "did not sign you in")
	b.wantPath("/login")
	b.screenshot("passkey-refused")
	ctx := context.Background()
	if ps, err := app.Store.Passkeys(ctx, 1); err != nil || len(ps) != 0 {
		t.Fatalf("passkeys left: %v %v", ps, err)
	}
}

// waitAcrossPages waits until expr holds on whatever page the tab shows,
// through the navigation the script starts (which ends a plain poll).
func waitAcrossPages(b *tab, what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s (%s)\n%s", what, expr, b.text("main"))
}
