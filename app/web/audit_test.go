package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

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
		// The export is itself in the log, with who asked for it.
		mustContain(t, "after the export", c.Get("/admin/audit?action=report.").Body, "report.export", "who=linus")

		m := app.Client(t)
		m.SignIn("linus@example.com", password)
		mustStatus(t, "a manager", m.Get("/admin/audit"), http.StatusForbidden)
		mustStatus(t, "a manager's export", m.Get("/admin/audit.csv"), http.StatusForbidden)
	})
}
