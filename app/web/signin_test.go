package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

func TestSignInNeverRedirectsOffSite(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		c := app.Client(t)
		c.Get("/login?next=%2F%09%2Fevil.example")
		res := c.Post("/login", url.Values{"email": {"mei@example.com"}, "password": {password}, "next": {"/\t/evil.example"}})
		mustStatus(t, "sign in", res, http.StatusSeeOther)
		if res.Location != "/" {
			t.Fatalf("sign-in with next=/<tab>/evil.example went to %q", res.Location)
		}
		res = c.Get("/login?next=%2F%09%2Fevil.example")
		mustStatus(t, "signed-in visit to /login", res, http.StatusSeeOther)
		if res.Location != "/" {
			t.Fatalf("signed-in visit to /login?next=%%2F%%09%%2Fevil.example went to %q", res.Location)
		}
		if res = c.Get("/login?next=%2Fcourses%2Fdesk-basics%3Ftab%3Dquiz"); res.Location != "/courses/desk-basics?tab=quiz" {
			t.Fatalf("a same-site next with a query went to %q", res.Location)
		}
	})
}
