package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// addUsername creates an active person who has a username and a password,
// and an email only when email is not "".
func addUsername(t *testing.T, app *apptest.App, name, username, email string) *store.User {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{Name: name, Username: username, Email: email, PasswordHash: hash, Role: string(auth.Learner),
		Active: true, CreatedAt: store.Now(app.Clock.Now())}
	if err := app.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSignInWithAUsername: someone without email signs in with their
// username (any case, spaces around it), is refused with the usual message
// for a wrong password, and is throttled like anyone else; a person with
// both an email and a username has one count of failures, whichever they
// typed.
func TestSignInWithAUsername(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		addUsername(t, app, "Kai Till", "kai.till", "")
		both := addUsername(t, app, "Bea Both", "bea", "bea@example.com")

		c := app.Client(t)
		mustContain(t, "sign-in page", c.Get("/login").Body, `<label for="email">Email or username</label>`)
		res := c.Post("/login", url.Values{"email": {" Kai.Till "}, "password": {password}})
		mustStatus(t, "right password", res, http.StatusSeeOther)
		mustContain(t, "signed in", c.Get("/").Body, "Kai Till")
		if n, e := audited(t, app, "signin.success"); n != 1 || e.Target != "kai.till" {
			t.Errorf("sign-in audit: %d entries, newest %+v", n, e)
		}

		c = app.Client(t)
		c.Get("/login")
		res = c.Post("/login", wrongPassword("kai.till"))
		mustStatus(t, "wrong password", res, http.StatusUnauthorized)
		mustContain(t, "wrong password", res.Body, "That email or username and password do not match an account.", `value="kai.till"`)
		res = c.Post("/login", wrongPassword("nobody.here"))
		mustStatus(t, "unknown username", res, http.StatusUnauthorized)

		// Bea fails by email and by username: the five failures of one
		// account from one address refuse the sixth, even with the right
		// password.
		c = app.Client(t)
		c.Get("/login")
		for i, who := range []string{"bea@example.com", "BEA", "bea@example.com", "bea", "bea"} {
			if res := c.Post("/login", wrongPassword(who)); res.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d as %s: status %d", i+1, who, res.Status)
			}
			app.Clock.Advance(auth.SlowDown(i + 1))
		}
		res = c.Post("/login", url.Values{"email": {"bea"}, "password": {password}})
		mustStatus(t, "throttled", res, http.StatusTooManyRequests)
		mustContain(t, "throttled", res.Body, "Too many failed sign-ins.")
		if n, e := audited(t, app, "signin.throttled"); n != 1 || e.Target != both.Email {
			t.Errorf("throttle audit: %d entries, newest %+v", n, e)
		}
	})
}

// TestAdminAddsAPersonWithAUsername: the people page adds someone with a
// username and no email, and hands over their invitation link; bad or
// missing identifiers come back with a reason and what was typed.
func TestAdminAddsAPersonWithAUsername(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		ctx := context.Background()
		app.AddUser(t, "Ada Admin", "admin@example.com", auth.Admin, password)
		addUsername(t, app, "Kai Till", "kai.till", "")
		admin := app.Client(t)
		admin.SignIn("admin@example.com", password)

		for _, c := range []struct {
			name, email, username, want string
		}{
			{"Nel Neither", "", "", "Enter an email address like name@example.com, or a username for someone without email."},
			{"Ben Bad", "", "ben@home", "Use 2 to 64 letters, digits, dots, hyphens or underscores, without @."},
			{"Kai Two", "", "KAI.TILL", "Someone already has this username: choose another."},
		} {
			res := admin.Post("/admin/people", url.Values{"name": {c.name}, "email": {c.email}, "username": {c.username}, "role": {"learner"}})
			mustStatus(t, c.name, res, http.StatusUnprocessableEntity)
			mustContain(t, c.name, res.Body, c.want, `value="`+c.name+`"`)
			if c.username != "" {
				mustContain(t, c.name, res.Body, `value="`+c.username+`"`)
			}
		}

		res := admin.Post("/admin/people", url.Values{"name": {"Tam Till"}, "username": {"Tam.Till"}, "role": {"learner"}})
		mustStatus(t, "add", res, http.StatusOK)
		mustContain(t, "handover", res.Body, `id="invite-link"`, "Tam Till (tam.till)", "/invite/")
		u, err := app.Store.UserByUsername(ctx, "tam.till")
		if err != nil || u.Email != "" || u.Name != "Tam Till" {
			t.Fatalf("tam = %+v, %v", u, err)
		}
		// The people page finds and shows the username.
		res = admin.Get("/admin/people?q=TAM.T")
		mustContain(t, "search", res.Body, "<td>tam.till</td>")
		if strings.Contains(res.Body, "Kai Till") {
			t.Error("the search for tam.t lists Kai Till")
		}
	})
}

// TestAdminSetsAUsername: on a person's page an admin gives them a
// username, changes it, is refused one someone else has (the page keeps
// what was typed), and cannot take the last identifier away.
func TestAdminSetsAUsername(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		ctx := context.Background()
		app.AddUser(t, "Ada Admin", "admin@example.com", auth.Admin, password)
		mei := app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		kai := addUsername(t, app, "Kai Till", "kai.till", "")
		admin := app.Client(t)
		admin.SignIn("admin@example.com", password)
		page := "/manage/people/" + strconv.FormatInt(mei.ID, 10)
		mustContain(t, "person page", admin.Get(page).Body, `id="username-form"`)

		mustStatus(t, "set", admin.Post("/admin/people/"+strconv.FormatInt(mei.ID, 10)+"/username", url.Values{"username": {"Mei.T"}}), http.StatusSeeOther)
		if u, err := app.Store.UserByUsername(ctx, "mei.t"); err != nil || u.ID != mei.ID {
			t.Fatalf("mei.t = %+v, %v", u, err)
		}
		res := admin.Post("/admin/people/"+strconv.FormatInt(mei.ID, 10)+"/username", url.Values{"username": {"KAI.TILL"}})
		mustStatus(t, "taken", res, http.StatusUnprocessableEntity)
		mustContain(t, "taken", res.Body, "Someone already has this username", `value="KAI.TILL"`)
		res = admin.Post("/admin/people/"+strconv.FormatInt(kai.ID, 10)+"/username", url.Values{"username": {""}})
		mustStatus(t, "the last identifier", res, http.StatusUnprocessableEntity)
		mustContain(t, "the last identifier", res.Body, "or a username for someone without email")
		if n, e := audited(t, app, "user.update"); n != 1 || !strings.Contains(e.Detail, `username "" → "mei.t"`) {
			t.Fatalf("audit: %d, %+v", n, e)
		}
		// A manager cannot.
		app.AddUser(t, "Nora North", "nora@example.com", auth.Manager, password)
		nora := app.Client(t)
		nora.SignIn("nora@example.com", password)
		if res := nora.Post("/admin/people/"+strconv.FormatInt(kai.ID, 10)+"/username", url.Values{"username": {"x1"}}); res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
			t.Fatalf("a manager's change answered %d", res.Status)
		}
	})
}
