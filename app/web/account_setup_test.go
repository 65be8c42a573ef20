package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

func TestSetupLinkExpiresAndDiesWithTheFirstAccount(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app := start(t, db)
		form := url.Values{"name": {"Amara Okafor"}, "email": {"amara@example.com"}, "password": {password}, "confirm": {password}}
		newLink := func() string {
			t.Helper()
			link, err := app.People.SetupLink(ctx)
			if err != nil || !strings.HasPrefix(link, app.URL+"/setup/") {
				t.Fatalf("setup link %q, %v", link, err)
			}
			return strings.TrimPrefix(link, app.URL)
		}

		expiring := newLink()
		c := app.Client(t)
		app.Clock.Advance(auth.SetupLifetime - time.Minute)
		mustStatus(t, "setup page just before expiry", c.Get(expiring), http.StatusOK)
		app.Clock.Advance(2 * time.Minute)
		res := c.Get(expiring)
		mustStatus(t, "expired setup page", res, http.StatusNotFound)
		mustContain(t, "expired setup page", res.Body, "has been used or has expired")
		c.Get("/login")
		mustStatus(t, "expired setup link submitted", c.Post(expiring, form), http.StatusNotFound)
		if n, err := app.Store.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("an expired setup link created an account: %d users (%v)", n, err)
		}

		// Any way in for a first person retires the link: here the store's
		// own insert, which the shell, the demo and imports also go through.
		path := newLink()
		mustStatus(t, "fresh setup page", c.Get(path), http.StatusOK)
		app.AddUser(t, "Ravi Shah", "ravi@example.com", auth.Admin, password)
		mustStatus(t, "setup page after the first account", c.Get(path), http.StatusNotFound)
		c.Get("/login")
		mustStatus(t, "setup link submitted after the first account", c.Post(path, form), http.StatusNotFound)
		_, err := app.Store.UsableToken(ctx, auth.HashToken(strings.TrimPrefix(path, "/setup/")), store.PurposeSetup, app.Clock.Now())
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the setup link is still stored after the first account: %v", err)
		}
		if n, _ := app.Store.CountUsers(ctx); n != 1 {
			t.Fatalf("%d users, want only the one added", n)
		}
	})
}
