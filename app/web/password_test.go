package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
)

// A sign-in link from an admin is how someone who forgot their password
// gets back in without mail (an invitation goes only to people who never
// accepted one); the new password chosen with it must end the sessions the
// old one (or a stolen cookie) opened.
func TestNewPasswordFromASignInLinkEndsOtherSessions(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Admin", "admin@example.com", auth.Admin, password)
		mei := app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		admin := app.Client(t)
		admin.SignIn("admin@example.com", password)
		phone, laptop := app.Client(t), app.Client(t)
		phone.SignIn("mei@example.com", password)
		laptop.SignIn("mei@example.com", password)

		mustStatus(t, "invite again after acceptance", admin.Post("/admin/people/"+strconv.FormatInt(mei.ID, 10)+"/invite", nil), http.StatusConflict)
		res := admin.Post("/people/"+strconv.FormatInt(mei.ID, 10)+"/signin-link", nil)
		mustStatus(t, "sign-in link", res, http.StatusOK)
		m := regexp.MustCompile(`value="` + regexp.QuoteMeta(app.URL) + `(/signin/[^"]+)"`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no sign-in link shown:\n%s", res.Body)
		}
		const newPassword = "a brand new passphrase"
		desk := app.Client(t)
		desk.Get(m[1])
		mustStatus(t, "choose a new password", desk.Post(m[1], url.Values{"password": {newPassword}, "confirm": {newPassword}}), http.StatusSeeOther)

		mustContain(t, "the browser that set it", desk.Get("/").Body, "Mei Lin Tan")
		for name, c := range map[string]*apptest.Client{"phone": phone, "laptop": laptop} {
			if res := c.Get("/"); res.Status != http.StatusSeeOther {
				t.Errorf("%s still signed in after a new password: status %d", name, res.Status)
			}
		}
		mustStatus(t, "someone else's session", admin.Get("/admin/people"), http.StatusOK)
		signIn := app.Client(t)
		signIn.Get("/login")
		mustStatus(t, "old password", signIn.Post("/login", url.Values{"email": {"mei@example.com"}, "password": {password}}), http.StatusUnauthorized)
		mustStatus(t, "new password", signIn.Post("/login", url.Values{"email": {"mei@example.com"}, "password": {newPassword}}), http.StatusSeeOther)
	})
}
