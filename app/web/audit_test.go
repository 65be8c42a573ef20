package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

func TestAdminReadsAndExportsTheAuditLog(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		admin := app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		app.AddUser(t, "Linus Park", "linus@example.com", auth.Manager, password)
		ctx := context.Background()
		for _, e := range []store.AuditEntry{
			{ActorID: &admin.ID, Action: "team.create", Target: "team:7", Detail: "Night shift", At: app.Clock.Now().AddDate(0, 0, -3)},
			{ActorID: &admin.ID, Action: "user.role", Target: "linus@example.com", Detail: "learner → manager", At: app.Clock.Now().AddDate(0, 0, -2)},
			{Action: "signin.failure", Target: "linus@example.com", IP: "198.51.100.7", At: app.Clock.Now().AddDate(0, 0, -1)},
		} {
			if err := app.Store.Audit(ctx, &e); err != nil {
				t.Fatal(err)
			}
		}
		c := app.Client(t)
		c.SignIn("grace@example.com", password)
		res := c.Get("/admin/audit")
		mustStatus(t, "audit page", res, http.StatusOK)
		mustContain(t, "audit page", res.Body, "team.create", "Night shift", "user.role", "nobody signed in", "198.51.100.7", "Grace Hopper")

		res = c.Get("/admin/audit?action=team.&from=2026-03-01&to=2026-03-31")
		mustContain(t, "filtered by kind", res.Body, "Night shift", `<option value="team." selected>`)
		if contains(res.Body, "user.role") || contains(res.Body, "signin.failure") {
			t.Fatalf("kind filter shows other kinds:\n%s", res.Body)
		}
		res = c.Get("/admin/audit?who=linus&to=2026-03-08")
		if !contains(res.Body, "learner → manager") || contains(res.Body, "198.51.100.7") {
			t.Fatalf("who and last-day filters:\n%s", res.Body)
		}
		mustStatus(t, "a bad date", c.Get("/admin/audit?from=yesterday"), http.StatusBadRequest)

		res = c.Get("/admin/audit.csv?who=linus")
		mustStatus(t, "export", res, http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][3] != "action" || rows[1][3] != "signin.failure" || rows[2][3] != "user.role" {
			t.Fatalf("export as filtered = %q", rows)
		}
		// The page's own links keep the filter: the export as filtered, and
		// the older entries of the same filter.
		link := func(body, id string) string {
			m := regexp.MustCompile(`href="([^"]*)"[^>]*id="` + id + `"`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no link #%s:\n%s", id, body)
			}
			return html.UnescapeString(m[1])
		}
		res = c.Get(link(c.Get("/admin/audit?who=linus").Body, "audit-csv"))
		if rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll(); err != nil || len(rows) != 3 {
			t.Fatalf("the page's CSV link exported %d rows (%v), want the 2 filtered and a header", len(rows), err)
		}
		many := make([]store.AuditEntry, 130)
		for i := range many {
			many[i] = store.AuditEntry{ActorID: &admin.ID, Action: "settings.mail", Target: fmt.Sprintf("entry %03d", i),
				At: app.Clock.Now().Add(time.Duration(i) * time.Second)}
		}
		if err := app.Store.AuditMany(ctx, many); err != nil {
			t.Fatal(err)
		}
		first := c.Get("/admin/audit?action=settings.").Body
		mustContain(t, "the newest page", first, "entry 129", "entry 030")
		older := c.Get(link(first, "audit-older")).Body
		mustContain(t, "the older page", older, "entry 029", "entry 000")
		if contains(older, "entry 030") || contains(older, "team.create") {
			t.Fatalf("the older page repeats the first or loses the filter:\n%s", older)
		}

		// The export is itself in the log, with who asked for it.
		mustContain(t, "after the export", c.Get("/admin/audit?action=report.").Body, "report.export", "who=linus")

		m := app.Client(t)
		m.SignIn("linus@example.com", password)
		mustStatus(t, "a manager", m.Get("/admin/audit"), http.StatusForbidden)
		mustStatus(t, "a manager's export", m.Get("/admin/audit.csv"), http.StatusForbidden)
	})
}

// TestEveryChangeIsAuditedWithItsActor makes one change of each kind the
// audit log covers through the real routes — teams, members, managers (and
// the role that comes with it), accounts, settings, sign-in — and checks each
// left exactly one entry naming who did it and from where. A change that is
// refused leaves none: the entry is written in the change's transaction.
func TestEveryChangeIsAuditedWithItsActor(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		ctx := context.Background()
		app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		kofi := app.AddUser(t, "Kofi Boateng", "kofi@example.com", auth.Learner, password)
		admin := app.Client(t)
		admin.SignIn("grace@example.com", password)
		stranger := app.Client(t)
		stranger.Get("/login")
		mustStatus(t, "a wrong password", stranger.Post("/login", url.Values{"email": {"kofi@example.com"}, "password": {"not it at all"}}), http.StatusUnauthorized)

		res := admin.Post("/admin/teams", url.Values{"name": {"Harbour"}, "parent": {"0"}})
		mustStatus(t, "create a team", res, http.StatusSeeOther)
		team := strings.TrimPrefix(res.Location, "/admin/teams/")
		mustStatus(t, "rename it", admin.Post("/admin/teams/"+team+"/rename", url.Values{"name": {"Harbour Front"}}), http.StatusSeeOther)
		mustStatus(t, "a second team", admin.Post("/admin/teams", url.Values{"name": {"Station"}, "parent": {"0"}}), http.StatusSeeOther)
		mustStatus(t, "rename onto a taken name", admin.Post("/admin/teams/"+team+"/rename", url.Values{"name": {"Station"}}), http.StatusBadRequest)
		mustStatus(t, "add a member", admin.Post("/admin/teams/"+team+"/members", url.Values{"email": {"kofi@example.com"}}), http.StatusSeeOther)
		mustStatus(t, "an unknown member", admin.Post("/admin/teams/"+team+"/members", url.Values{"email": {"nobody@example.com"}}), http.StatusBadRequest)
		mustStatus(t, "make a manager", admin.Post("/admin/teams/"+team+"/managers", url.Values{"email": {"kofi@example.com"}}), http.StatusSeeOther)
		id := strconv.FormatInt(kofi.ID, 10)
		mustStatus(t, "deactivate", admin.Post("/admin/people/"+id+"/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
		mustStatus(t, "reactivate", admin.Post("/admin/people/"+id+"/active", url.Values{"active": {"1"}}), http.StatusSeeOther)
		mustStatus(t, "mail choice", admin.Post("/settings/mail", url.Values{"mail": {"digest"}}), http.StatusSeeOther)
		mustStatus(t, "a bad mail choice", admin.Post("/settings/mail", url.Values{"mail": {"never"}}), http.StatusBadRequest)
		mustStatus(t, "calendar link", admin.Post("/settings/calendar", nil), http.StatusSeeOther)

		rows, _, err := app.Store.AuditLog(ctx, store.AuditQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rows {
			if r.Action == "course.publish" && r.ActorID == nil {
				continue // the start-up import of the course files: nobody's request
			}
			got[r.Action]++
			if r.IP == "" {
				t.Errorf("%s %s: no address", r.Action, r.Target)
			}
			if r.Action != "signin.failure" && r.ActorEmail == "" {
				t.Errorf("%s %s: nobody named", r.Action, r.Target)
			}
		}
		want := map[string]int{"signin.success": 1, "signin.failure": 1, "team.create": 2, "team.rename": 1, "team.member": 1,
			"team.manager": 1, "user.role": 1, "user.deactivate": 1, "user.reactivate": 1, "settings.mail": 1, "settings.calendar": 1}
		for action, n := range want {
			if got[action] != n {
				t.Errorf("%s: %d entries, want %d", action, got[action], n)
			}
		}
		for action := range got {
			if _, ok := want[action]; !ok {
				t.Errorf("unexpected entry %s", action)
			}
		}
		if u, err := app.Store.UserByID(ctx, kofi.ID); err != nil || u.Role != string(auth.Manager) {
			t.Fatalf("Kofi after being made a manager = %+v, %v", u, err)
		}
	})
}

// The last active admin cannot be switched off, by themselves or by another
// admin racing to switch off the other one.
func TestTheLastActiveAdminStays(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		ada := app.AddUser(t, "Ada Admin", "ada@example.com", auth.Admin, password)
		bo := app.AddUser(t, "Bo Admin", "bo@example.com", auth.Admin, password)
		a, b := app.Client(t), app.Client(t)
		a.SignIn("ada@example.com", password)
		b.SignIn("bo@example.com", password)
		mustStatus(t, "herself", a.Post("/admin/people/"+strconv.FormatInt(ada.ID, 10)+"/active", url.Values{"active": {"0"}}), http.StatusBadRequest)
		// Each switches the other off at the same moment: one may win, never both.
		done := make(chan apptest.Response, 2)
		off := func(c *apptest.Client, u *store.User) {
			r, _ := c.TryPost("/admin/people/"+strconv.FormatInt(u.ID, 10)+"/active", url.Values{"active": {"0"}})
			done <- r
		}
		go off(a, bo)
		go off(b, ada)
		<-done
		<-done
		n, err := app.Store.CountActiveAdmins(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("active admins after the race = %d, %v", n, err)
		}
	})
}
