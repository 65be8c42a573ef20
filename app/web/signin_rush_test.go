package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// With every password check taken, a sign-in is turned away at once with
// 503 and Retry-After, before anything is checked or counted: however many
// times it comes back during the rush, the person is not throttled, and
// once a check is free the same password gets in.
func TestSignInDuringARushIsTurnedAwayWithRetryAfter(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Nadia Rahman", "nadia@example.com", auth.Learner, password)
		app.People.Checks = auth.NewPool(1, 0, time.Hour)
		hold, err := app.People.Checks.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		c := app.Client(t)
		c.Get("/login")
		queries := app.Store.CountQueries()
		before := queries.Load()
		for i := range auth.MaxPairFailures + 2 {
			res := c.Post("/login", url.Values{"email": {"nadia@example.com"}, "password": {"not the password, try " + strconv.Itoa(i)}})
			mustStatus(t, "during the rush", res, http.StatusServiceUnavailable)
			if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 2 || s > 5 {
				t.Fatalf("Retry-After %q, want 2 to 5 seconds", res.Header.Get("Retry-After"))
			}
			if res.Header.Get("Frontline-Sign-In") != "busy" {
				t.Fatalf("the busy answer lacks its marker for login.js: %v", res.Header)
			}
			mustContain(t, "the busy page", res.Body, "Many people are signing in right now", `value="nadia@example.com"`, `src="/static/login.js"`)
		}
		// Turned away before any database work: during a real rush most
		// sign-ins are, and SQLite's one writer must not spend the rush
		// reserving and cancelling attempts it then refuses.
		if n := queries.Load() - before; n != 0 {
			t.Fatalf("%d queries for sign-ins turned away busy, want none", n)
		}
		if n, _ := audited(t, app, "signin.failure"); n != 0 {
			t.Fatalf("%d failures recorded for attempts never checked", n)
		}
		hold()
		mustStatus(t, "after the rush", c.Post("/login", url.Values{"email": {"nadia@example.com"}, "password": {password}}), http.StatusSeeOther)
	})
}
