package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// idp is a real OpenID provider on loopback (mockoidc: discovery, JWKS,
// authorize, token with PKCE). Its authorize endpoint signs in whoever is
// queued next, without a page.
type idp struct {
	*mockoidc.MockOIDC
}

func startIdP(t *testing.T) *idp {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return &idp{m}
}

// startWithSSO starts Frontline against the provider, on the real clock
// (the provider dates its tokens by it), with env on top of a working set-up.
func startWithSSO(t *testing.T, db *database.DB, p *idp, env map[string]string) *apptest.App {
	t.Helper()
	e := map[string]string{
		"FRONTLINE_OIDC_ISSUER":        p.Issuer(),
		"FRONTLINE_OIDC_CLIENT_ID":     p.ClientID,
		"FRONTLINE_OIDC_CLIENT_SECRET": p.ClientSecret,
		"FRONTLINE_OIDC_SCOPES":        "openid email profile groups",
		"FRONTLINE_OIDC_NAME":          "Acme ID",
	}
	for k, v := range env {
		e[k] = v
	}
	return apptest.Start(t, db, apptest.Options{Now: time.Now().UTC(), Env: e})
}

// person is who the provider signs in next.
func (p *idp) next(subject, email string, groups ...string) {
	p.QueueUser(&mockoidc.MockUser{Subject: subject, Email: email, EmailVerified: true, Groups: groups})
}

// visitIdP follows the browser to the provider: the sign-in page's button,
// then the provider's redirect. It returns the callback path (with its
// query) the provider sent the browser back to. tamper may change the
// address of the provider's page first, as an attacker could.
func visitIdP(t *testing.T, app *apptest.App, c *apptest.Client, tamper func(url.Values)) string {
	t.Helper()
	page := c.Get("/login")
	mustContain(t, "sign-in page", page.Body, "Sign in with Acme ID")
	res := c.Get("/sso/start?next=%2Fsettings")
	mustStatus(t, "start single sign-on", res, http.StatusSeeOther)
	authURL, err := url.Parse(res.Location)
	if err != nil {
		t.Fatal(err)
	}
	q := authURL.Query()
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if q.Get(k) == "" {
			t.Fatalf("the provider's address has no %s: %s", k, res.Location)
		}
	}
	if q.Get("code_challenge_method") != "S256" {
		t.Fatalf("PKCE method %q, want S256", q.Get("code_challenge_method"))
	}
	if tamper != nil {
		tamper(q)
		authURL.RawQuery = q.Encode()
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(authURL.String())
	if err != nil {
		t.Fatal(err)
	}
	back.Body.Close()
	if back.StatusCode != http.StatusFound {
		t.Fatalf("the provider answered %d, want a redirect back", back.StatusCode)
	}
	loc := back.Header.Get("Location")
	if !strings.HasPrefix(loc, app.URL+"/sso/callback?") {
		t.Fatalf("the provider sent the browser to %q", loc)
	}
	return strings.TrimPrefix(loc, app.URL)
}

// signOn runs the whole code flow through the router and returns the
// callback's answer.
func signOn(t *testing.T, app *apptest.App, c *apptest.Client) apptest.Response {
	t.Helper()
	return c.Get(visitIdP(t, app, c, nil))
}

func mustBeSignedInAs(t *testing.T, c *apptest.Client, res apptest.Response, name string) {
	t.Helper()
	mustStatus(t, "callback", res, http.StatusSeeOther)
	if res.Location != "/settings" {
		t.Fatalf("after single sign-on went to %q, want /settings (the next it started with)", res.Location)
	}
	page := c.Get("/settings")
	mustStatus(t, "settings after single sign-on", page, http.StatusOK)
	mustContain(t, "settings after single sign-on", page.Body, "Sign out")
	if name != "" {
		mustContain(t, "the signed-in person", c.Get("/").Body, name)
	}
}

func mustBeRefused(t *testing.T, c *apptest.Client, res apptest.Response, says string) {
	t.Helper()
	mustStatus(t, "refused callback", res, http.StatusForbidden)
	mustContain(t, "refusal page", res.Body, says)
	if page := c.Get("/settings"); page.Status != http.StatusSeeOther {
		t.Fatalf("a refused single sign-on left the browser signed in (/settings answered %d)", page.Status)
	}
}

func lastFailure(t *testing.T, app *apptest.App) string {
	t.Helper()
	_, e := audited(t, app, "signin.failure")
	if e == nil {
		t.Fatal("no signin.failure in the audit log")
	}
	return e.Detail
}

func TestSingleSignOnLinksAKnownEmailAndFindsThePersonByTheirIdentityAfter(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		p := startIdP(t)
		app := startWithSSO(t, db, p, nil)
		u := app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)

		c := app.Client(t)
		p.next("mei-at-idp", "Mei@Example.com")
		mustBeSignedInAs(t, c, signOn(t, app, c), "Mei Lin Tan")
		if n, e := audited(t, app, "signin.success"); n != 1 || e.ActorID == nil || *e.ActorID != u.ID || !strings.Contains(e.Detail, "single sign-on (Acme ID)") {
			t.Fatalf("audit: %d sign-ins, newest %+v", n, e)
		}

		// Her address changes at the provider: the link by (issuer, subject)
		// still finds her, and nobody new is made.
		c2 := app.Client(t)
		p.next("mei-at-idp", "mei.tan@example.org")
		mustBeSignedInAs(t, c2, signOn(t, app, c2), "Mei Lin Tan")
		if n, _ := app.Store.CountUsers(context.Background()); n != 1 {
			t.Fatalf("%d accounts after two sign-ins of one person, want 1", n)
		}
	})
}

func TestSingleSignOnRefusesTamperedStateReplaysAndAnotherBrowsersCallback(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		p := startIdP(t)
		app := startWithSSO(t, db, p, nil)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)

		// The state in the callback changed: refused, nothing signed in.
		c := app.Client(t)
		p.next("mei", "mei@example.com")
		cb := visitIdP(t, app, c, nil)
		u, _ := url.Parse(cb)
		q := u.Query()
		q.Set("state", q.Get("state")+"x")
		mustBeRefused(t, c, c.Get("/sso/callback?"+q.Encode()), "not started in this browser")
		if d := lastFailure(t, app); !strings.Contains(d, "state") {
			t.Fatalf("audit detail %q does not name the state", d)
		}

		// A callback carried to another browser (a login CSRF): refused.
		p.next("mei", "mei@example.com")
		cb = visitIdP(t, app, c, nil)
		other := app.Client(t)
		mustBeRefused(t, other, other.Get(cb), "not started in this browser")

		// The right browser, once: signed in. The same callback again, with
		// the state cookie put back (the first use cleared it), is a replay:
		// the database has no such sign-in any more.
		p.next("mei", "mei@example.com")
		cb = visitIdP(t, app, c, nil)
		mustBeSignedInAs(t, c, c.Get(cb), "Mei Lin Tan")
		used, _ := url.Parse(cb)
		res := replayWithState(t, app, used.Query().Get("state"), cb)
		mustContain(t, "replayed callback", res.Body, "expired or was already used")
	})
}

// replayWithState sends a callback again from a browser whose state cookie
// holds state: the database must still refuse it, as it was used.
func replayWithState(t *testing.T, app *apptest.App, state, callback string) apptest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, app.URL+callback, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "fl_sso", Value: state})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("a replayed callback answered %d, want 403", res.StatusCode)
	}
	return apptest.Response{Status: res.StatusCode, Body: string(b)}
}

func TestSingleSignOnRefusesAWrongNonceAnExpiredTokenAndAMissingVerifier(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		p := startIdP(t)
		app := startWithSSO(t, db, p, nil)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		c := app.Client(t)

		// A code minted for another sign-in (another nonce), brought back
		// with this browser's state: the ID token's nonce is not ours.
		p.next("mei", "mei@example.com")
		cb := visitIdP(t, app, c, func(q url.Values) { q.Set("nonce", "someone-elses-nonce") })
		mustBeRefused(t, c, c.Get(cb), "could not be verified")
		if d := lastFailure(t, app); !strings.Contains(d, "nonce") {
			t.Fatalf("audit detail %q does not name the nonce", d)
		}

		// The provider's clock is an hour behind: its ID token has expired.
		p.FastForward(-time.Hour)
		p.next("mei", "mei@example.com")
		cb = visitIdP(t, app, c, nil)
		mustBeRefused(t, c, c.Get(cb), "could not be verified")
		p.FastForward(time.Hour)
		if d := lastFailure(t, app); !strings.Contains(d, "expired") {
			t.Fatalf("audit detail %q does not say the token expired", d)
		}

		// A code whose PKCE challenge was swapped on the way to the provider:
		// our verifier does not match it, so the provider refuses the code.
		p.next("mei", "mei@example.com")
		cb = visitIdP(t, app, c, func(q url.Values) { q.Set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") })
		mustBeRefused(t, c, c.Get(cb), "did not accept this sign-in")

		// And after all that, the real thing still works.
		p.next("mei", "mei@example.com")
		mustBeSignedInAs(t, c, signOn(t, app, c), "Mei Lin Tan")
	})
}

func TestSingleSignOnFollowsAKeyRotation(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		p := startIdP(t)
		app := startWithSSO(t, db, p, nil)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		c := app.Client(t)
		p.next("mei", "mei@example.com")
		mustBeSignedInAs(t, c, signOn(t, app, c), "Mei Lin Tan")

		// The provider signs with a new key (a new kid) and publishes only
		// it: the keys Frontline cached are stale and must be fetched again.
		kp, err := mockoidc.RandomKeypair(2048)
		if err != nil {
			t.Fatal(err)
		}
		p.Keypair = kp
		c2 := app.Client(t)
		p.next("mei", "mei@example.com")
		mustBeSignedInAs(t, c2, signOn(t, app, c2), "Mei Lin Tan")
	})
}

func TestSingleSignOnUnknownPeopleAreRefusedUnlessCreationIsOnThenJoinTheirGroupsTeam(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		p := startIdP(t)
		// Off (the default): a clear page, and nobody is made.
		off := startWithSSO(t, db, p, nil)
		c := off.Client(t)
		p.next("newcomer", "nia@example.com", "leeds-desk")
		mustBeRefused(t, c, signOn(t, off, c), "There is no Frontline account for nia@example.com")
		if n, _ := off.Store.CountUsers(ctx); n != 0 {
			t.Fatalf("%d accounts made with creation off", n)
		}

		// On, with Keycloak-style group paths and a mapping to a team.
		on := startWithSSO(t, db, p, map[string]string{
			"FRONTLINE_OIDC_CREATE_USERS": "true",
			"FRONTLINE_OIDC_GROUPS_CLAIM": "groups",
			"FRONTLINE_OIDC_TEAMS":        "Acme/Leeds desk=Acme/North/Leeds; support=Acme/Support",
		})
		now := time.Now()
		acme, _ := on.Store.CreateTeam(ctx, 0, "Acme", now)
		north, _ := on.Store.CreateTeam(ctx, acme.ID, "North", now)
		leeds, err := on.Store.CreateTeam(ctx, north.ID, "Leeds", now)
		if err != nil {
			t.Fatal(err)
		}
		c = on.Client(t)
		p.next("newcomer", "Nia@Example.com", "/Acme/Everyone", "/Acme/Leeds desk")
		mustBeSignedInAs(t, c, signOn(t, on, c), "")
		u, err := on.Store.UserByEmail(ctx, "nia@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != string(auth.Learner) || !u.Active {
			t.Fatalf("created %+v, want an active learner", u)
		}
		team, err := on.Store.TeamOf(ctx, u.ID)
		if err != nil || team.ID != leeds.ID {
			t.Fatalf("created in team %+v (%v), want Acme/North/Leeds", team, err)
		}
		if _, e := audited(t, on, "user.add.sso"); e == nil || !strings.Contains(e.Detail, "Acme/North/Leeds") {
			t.Fatalf("audit of the creation: %+v", e)
		}

		// No mapped group: a learner in no team.
		c = on.Client(t)
		p.next("drifter", "omar@example.com", "unmapped")
		mustBeSignedInAs(t, c, signOn(t, on, c), "")
		o, err := on.Store.UserByEmail(ctx, "omar@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := on.Store.TeamOf(ctx, o.ID); err == nil {
			t.Fatal("someone in no mapped group was put in a team")
		}
	})
}

func TestSingleSignOnRefusesDeactivatedPeopleAndUnverifiedEmails(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		p := startIdP(t)
		app := startWithSSO(t, db, p, map[string]string{"FRONTLINE_OIDC_CREATE_USERS": "true"})
		u := app.AddUser(t, "Eli Okoro", "eli@example.com", auth.Learner, password)
		if err := app.Store.SetActive(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		c := app.Client(t)
		p.next("eli", "eli@example.com")
		mustBeRefused(t, c, signOn(t, app, c), "deactivated")
		if d := lastFailure(t, app); !strings.Contains(d, "deactivated") {
			t.Fatalf("audit detail %q", d)
		}

		// The provider says it has not verified the address: linking it
		// would hand Mei's account to whoever typed her address there.
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Admin, password)
		p.QueueUser(unverified{&mockoidc.MockUser{Subject: "impostor", Email: "mei@example.com"}})
		mustBeRefused(t, c, signOn(t, app, c), "has not verified your email address")
	})
}

func TestSingleSignOnOnlyKeepsPasswordsForAdmins(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		p := startIdP(t)
		app := startWithSSO(t, db, p, map[string]string{"FRONTLINE_OIDC_ONLY": "true"})
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		app.AddUser(t, "Ada Admin", "ada@example.com", auth.Admin, password)

		c := app.Client(t)
		c.Get("/login")
		res := c.Post("/login", url.Values{"email": {"mei@example.com"}, "password": {password}})
		mustStatus(t, "a learner's password with single sign-on only", res, http.StatusForbidden)
		mustContain(t, "refusal", res.Body, "signs in with Acme ID", `value="mei@example.com"`)
		if page := c.Get("/settings"); page.Status != http.StatusSeeOther {
			t.Fatal("a learner signed in with a password although single sign-on is the only way")
		}
		if d := lastFailure(t, app); !strings.Contains(d, "single sign-on only") {
			t.Fatalf("audit detail %q", d)
		}

		admin := app.Client(t)
		admin.Get("/login")
		res = admin.Post("/login", url.Values{"email": {"ada@example.com"}, "password": {password}})
		mustStatus(t, "an admin's password with single sign-on only", res, http.StatusSeeOther)

		p.next("mei", "mei@example.com")
		mustBeSignedInAs(t, c, signOn(t, app, c), "Mei Lin Tan")
	})
}

// unverified is a person whose ID token says email_verified: false, which
// mockoidc's own user leaves out (omitempty) rather than sending.
type unverified struct{ *mockoidc.MockUser }

type unverifiedClaims struct {
	*mockoidc.IDTokenClaims
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
}

func (u unverified) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &unverifiedClaims{IDTokenClaims: base, Email: u.Email, EmailVerified: false}, nil
}

// TestSingleSignOnNamesUsernameAccountsAndFollowsGroupsAtEverySignIn: a
// claim without '@' signs in (or creates) a username account, and the
// groups → team mapping is applied at every sign-in, moving a person whose
// group changed at the provider, audited; no mapped group leaves the team.
func TestSingleSignOnNamesUsernameAccountsAndFollowsGroupsAtEverySignIn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		p := startIdP(t)
		app := startWithSSO(t, db, p, map[string]string{
			"FRONTLINE_OIDC_EMAIL_CLAIM":  "email,preferred_username",
			"FRONTLINE_OIDC_CREATE_USERS": "true",
			"FRONTLINE_OIDC_GROUPS_CLAIM": "groups",
			"FRONTLINE_OIDC_TEAMS":        "leeds=Acme/Leeds; york=Acme/York",
		})
		now := time.Now()
		acme, _ := app.Store.CreateTeam(ctx, 0, "Acme", now)
		leeds, _ := app.Store.CreateTeam(ctx, acme.ID, "Leeds", now)
		york, err := app.Store.CreateTeam(ctx, acme.ID, "York", now)
		if err != nil {
			t.Fatal(err)
		}
		signOnAs := func(subject, email, username string, groups ...string) {
			t.Helper()
			c := app.Client(t)
			p.QueueUser(&mockoidc.MockUser{Subject: subject, Email: email, EmailVerified: true, PreferredUsername: username, Groups: groups})
			mustBeSignedInAs(t, c, signOn(t, app, c), "")
		}
		teamOf := func(u int64) int64 {
			t.Helper()
			tm, err := app.Store.TeamOf(ctx, u)
			if err != nil {
				return 0
			}
			return tm.ID
		}

		// An existing username account is linked by its username.
		lena := addUsername(t, app, "Lena Till", "lena.till", "")
		signOnAs("lena-at-idp", "", "Lena.Till", "leeds")
		if n, _ := app.Store.CountUsers(ctx); n != 1 {
			t.Fatalf("%d accounts after Lena signed on, want 1 (linked, not created)", n)
		}
		if got := teamOf(lena.ID); got != leeds.ID {
			t.Fatalf("Lena, linked at her first sign-in, is in team %d, want Leeds (%d)", got, leeds.ID)
		}
		// Someone new without email is created with a username.
		signOnAs("kai-at-idp", "", "Kai.Till-7", "york")
		kai, err := app.Store.UserByUsername(ctx, "kai.till-7")
		if err != nil || kai.Email != "" {
			t.Fatalf("kai = %+v, %v; want a username account", kai, err)
		}
		if got := teamOf(kai.ID); got != york.ID {
			t.Fatalf("Kai was created in team %d, want York (%d)", got, york.ID)
		}

		// Lena moves to York at the provider: her next sign-in moves her.
		signOnAs("lena-at-idp", "", "lena.till", "york")
		if got := teamOf(lena.ID); got != york.ID {
			t.Fatalf("after her group changed Lena is in team %d, want York (%d)", got, york.ID)
		}
		if _, e := audited(t, app, "team.member"); e == nil || !strings.Contains(e.Detail, `lena.till joins from Leeds, by single sign-on (group "york")`) {
			t.Fatalf("audit of the move: %+v", e)
		}
		// The same group again, or none mapped: nothing moves, nothing is
		// audited.
		n, _ := audited(t, app, "team.member")
		signOnAs("lena-at-idp", "", "lena.till", "york")
		signOnAs("lena-at-idp", "", "lena.till", "unmapped")
		if got := teamOf(lena.ID); got != york.ID {
			t.Fatalf("Lena is in team %d after sign-ins in the same or no mapped group, want York", got)
		}
		if again, _ := audited(t, app, "team.member"); again != n {
			t.Fatalf("%d team changes audited by sign-ins that moved nobody", again-n)
		}
	})
}
