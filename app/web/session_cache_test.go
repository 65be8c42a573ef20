package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// Sessions read a moment ago are reused on this instance, but a session
// signed out, or a person deactivated or given a new role here, is seen at
// once: the old cookie opens nothing, and the new role applies on the next
// page.
func TestSessionCacheEntryDiesOnSignOutAndChanges(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		u := app.AddUser(t, "Leila Haddad", "leila@example.com", auth.Learner, password)
		const cookie = "fl_session"

		c := app.Client(t)
		c.SignIn("leila@example.com", password)
		mustStatus(t, "signed in", c.Get("/"), http.StatusOK)
		copied := app.Client(t)
		copied.SetCookie(cookie, c.Cookie(cookie))
		mustStatus(t, "the copied cookie, before", copied.Get("/"), http.StatusOK)
		mustStatus(t, "sign out", c.Post("/logout", nil), http.StatusSeeOther)
		mustStatus(t, "the copied cookie, after sign-out", copied.Get("/"), http.StatusSeeOther)

		c = app.Client(t)
		c.SignIn("leila@example.com", password)
		mustStatus(t, "a learner on the manager pages", c.Get("/manage"), http.StatusForbidden)
		ctx := context.Background()
		if err := app.Store.SetRole(ctx, u.ID, string(auth.Manager)); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, "the same session, made a manager", c.Get("/manage"), http.StatusOK)

		admin := app.Client(t)
		admin.SignIn("grace@example.com", password)
		mustStatus(t, "deactivate", admin.Post("/admin/people/"+strconv.FormatInt(u.ID, 10)+"/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
		mustStatus(t, "after being deactivated", c.Get("/"), http.StatusSeeOther)

		// The bound on other instances: a session deleted behind this
		// instance's back (another instance signed it out) is still read from
		// the cache until its entry lapses.
		st := store.New(db)
		sess := &store.Session{TokenHash: "h", UserID: u.ID, CSRFToken: "x", CreatedAt: app.Clock.Now(),
			LastSeenAt: app.Clock.Now(), ExpiresAt: app.Clock.Now().Add(auth.IdleTimeout)}
		if err := st.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionByTokenHash(ctx, "h", app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.NewDelete().Model((*store.Session)(nil)).Where("token_hash = ?", "h").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionByTokenHash(ctx, "h", app.Clock.Now()); err != nil {
			t.Fatalf("a session read a moment ago is not reused: %v", err)
		}
		if _, err := st.SessionByTokenHash(ctx, "h", app.Clock.Now().Add(auth.IdleTimeout)); err == nil {
			t.Fatal("a cached session is served past its expiry")
		}
	})
}
