package web_test

import (
	"context"
	"encoding/json"
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

// postJSON sends body as passkey.js does and reads the JSON answer.
func postJSON(t *testing.T, c *apptest.Client, path string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	res := c.PostJSON(path, b)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatalf("POST %s answered %d with no JSON: %s", path, res.Status, res.Body)
	}
	return res.Status, out, res.Header
}

// TestPasskeySignInObeysTheThrottle: answers that do not check out count
// against the address like wrong passwords; past the limit the address is
// refused with Retry-After before anything is checked, and it is audited.
func TestPasskeySignInObeysTheThrottle(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{Localhost: true})
		c := app.Client(t)
		c.Get("/login")
		bogus := json.RawMessage(`{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA","userHandle":"MQ"}}`)
		for i := 0; i < auth.MaxPairFailures; i++ {
			status, opts, _ := postJSON(t, c, "/passkey/options", nil)
			if status != http.StatusOK || opts["key"] == "" {
				t.Fatalf("options: %d %v", status, opts)
			}
			status, out, _ := postJSON(t, c, "/passkey/signin", map[string]any{"key": opts["key"], "credential": bogus})
			if status != http.StatusUnauthorized {
				t.Fatalf("bogus answer %d: %d %v, want 401", i+1, status, out)
			}
		}
		_, opts, _ := postJSON(t, c, "/passkey/options", nil)
		status, out, h := postJSON(t, c, "/passkey/signin", map[string]any{"key": opts["key"], "credential": bogus})
		if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
			t.Fatalf("after %d failures: %d %v (Retry-After %q), want 429", auth.MaxPairFailures, status, out, h.Get("Retry-After"))
		}
		if n, _ := audited(t, app, "signin.failure"); n != auth.MaxPairFailures {
			t.Fatalf("%d failures audited, want %d", n, auth.MaxPairFailures)
		}
		if n, e := audited(t, app, "signin.throttled"); n != 1 || !strings.Contains(e.Detail, "passkey") {
			t.Fatalf("throttled audit: %d, %+v", n, e)
		}
	})
}

// TestPasskeyChallengesAreSingleUseAndExpire: a key from /passkey/options
// is taken by its first use, whatever the answer, and is refused once
// PasskeyLifetime has passed.
func TestPasskeyChallengesAreSingleUseAndExpire(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app := apptest.Start(t, db, apptest.Options{Localhost: true})
		now := app.Clock.Now()
		for _, kind := range []string{store.ChallengePasskeySignIn, store.ChallengeOIDC} {
			ch := &store.SignInChallenge{Kind: kind, KeyHash: auth.HashToken("k-" + kind), Data: "{}", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}
			if err := app.Store.CreateChallenge(ctx, ch); err != nil {
				t.Fatal(err)
			}
			if _, err := app.Store.TakeChallenge(ctx, kind, ch.KeyHash, now); err != nil {
				t.Fatalf("first take of a %s challenge: %v", kind, err)
			}
			if _, err := app.Store.TakeChallenge(ctx, kind, ch.KeyHash, now); err == nil {
				t.Fatalf("a %s challenge was taken twice", kind)
			}
		}
		late := &store.SignInChallenge{Kind: store.ChallengePasskeyAdd, KeyHash: auth.HashToken("late"), Data: "{}", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}
		if err := app.Store.CreateChallenge(ctx, late); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Store.TakeChallenge(ctx, store.ChallengePasskeyAdd, late.KeyHash, now.Add(time.Minute)); err == nil {
			t.Fatal("an expired challenge was taken")
		}
		// Of another kind: a passkey key cannot finish a single sign-on.
		other := &store.SignInChallenge{Kind: store.ChallengePasskeySignIn, KeyHash: auth.HashToken("other"), Data: "{}", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}
		if err := app.Store.CreateChallenge(ctx, other); err != nil {
			t.Fatal(err)
		}
		if _, err := app.Store.TakeChallenge(ctx, store.ChallengeOIDC, other.KeyHash, now); err == nil {
			t.Fatal("a passkey challenge was taken as a single sign-on state")
		}
	})
}

// TestPasskeysAreListedRenamedAndRemovedByTheirOwnerOnly goes through the
// Settings page: the list, a rename (a too-long name comes back with what
// was typed), and someone else's passkey, which does not exist for them.
func TestPasskeysAreListedRenamedAndRemovedByTheirOwnerOnly(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app := apptest.Start(t, db, apptest.Options{Localhost: true})
		mei := app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		app.AddUser(t, "Omar Haddad", "omar@example.com", auth.Learner, password)
		pk := &store.Passkey{UserID: mei.ID, CredentialID: "cred-1", Name: "Work laptop", Data: "{}", CreatedAt: app.Clock.Now()}
		if err := app.Store.AddPasskey(ctx, pk); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(pk.ID, 10)

		c := signedIn(t, app, "mei@example.com")
		page := c.Get("/settings/passkeys")
		mustStatus(t, "passkeys", page, http.StatusOK)
		mustContain(t, "passkeys", page.Body, `value="Work laptop"`, "not used yet", "Add a passkey", `id="passkey-add-form"`)

		long := strings.Repeat("x", 101)
		res := c.Post("/settings/passkeys/"+id+"/rename", url.Values{"name": {long}})
		mustStatus(t, "a too-long name", res, http.StatusBadRequest)
		mustContain(t, "a too-long name", res.Body, "at most 100 characters", `value="`+long+`"`)
		res = c.Post("/settings/passkeys/"+id+"/rename", url.Values{"name": {"Phone"}})
		mustStatus(t, "rename", res, http.StatusSeeOther)
		mustContain(t, "renamed", c.Get(res.Location).Body, `value="Phone"`, "The passkey is renamed")

		omar := signedIn(t, app, "omar@example.com")
		mustStatus(t, "rename someone else's", omar.Post("/settings/passkeys/"+id+"/rename", url.Values{"name": {"Mine now"}}), http.StatusNotFound)
		mustStatus(t, "remove someone else's", omar.Post("/settings/passkeys/"+id+"/remove", nil), http.StatusNotFound)

		res = c.Post("/settings/passkeys/"+id+"/remove", nil)
		mustStatus(t, "remove", res, http.StatusSeeOther)
		mustContain(t, "removed", c.Get(res.Location).Body, "The passkey is removed", "You have no passkeys yet")
		if n, _ := audited(t, app, "passkey.rename"); n != 1 {
			t.Fatalf("%d renames audited, want 1", n)
		}
		if n, _ := audited(t, app, "passkey.remove"); n != 1 {
			t.Fatalf("%d removals audited, want 1", n)
		}
	})
}

// signedIn signs a person in with their password.
func signedIn(t *testing.T, app *apptest.App, email string) *apptest.Client {
	t.Helper()
	c := app.Client(t)
	c.Get("/login")
	mustStatus(t, "sign in "+email, c.Post("/login", url.Values{"email": {email}, "password": {password}}), http.StatusSeeOther)
	c.Get("/")
	return c
}

// TestPasskeyRoutesNeedTheirRoleAndACSRFToken: Settings → Passkeys is for
// people signed in, and the scripts' JSON posts carry the CSRF token like
// any form.
func TestPasskeyRoutesNeedTheirRoleAndACSRFToken(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{Localhost: true})
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		anon := app.Client(t)
		res := anon.Get("/settings/passkeys")
		mustStatus(t, "passkeys signed out", res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Location, "/login?next=%2Fsettings%2Fpasskeys") {
			t.Fatalf("signed out, /settings/passkeys went to %q", res.Location)
		}
		mustStatus(t, "add options signed out", anon.PostJSON("/settings/passkeys/options", nil), http.StatusForbidden)
		anon.Get("/login")
		anon.CSRF = "not-the-token"
		mustStatus(t, "sign-in options without the token", anon.PostJSON("/passkey/options", nil), http.StatusForbidden)

		c := signedIn(t, app, "mei@example.com")
		c.Get("/settings/passkeys")
		good := c.CSRF
		c.CSRF = ""
		mustStatus(t, "add options without the token", c.PostJSON("/settings/passkeys/options", nil), http.StatusForbidden)
		c.CSRF = good
		status, opts, _ := postJSON(t, c, "/settings/passkeys/options", nil)
		if status != http.StatusOK || opts["key"] == "" {
			t.Fatalf("add options: %d %v", status, opts)
		}
	})
}
