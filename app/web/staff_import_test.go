package web_test

import (
	"context"
	"encoding/csv"
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

// staffCSV writes a staff file with the columns name, email, team, role,
// manager and active.
func staffCSV(t *testing.T, rows ...[]string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"name", "email", "team", "role", "manager", "active"})
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// section returns the HTML list with the given id on a page.
func section(body, id string) string {
	return between(body, `<ul id="`+id+`">`, `</ul>`)
}

// TestStaffImportPreviewNamesWhoIsAddedChangedAndDeactivated: before
// anything is written, the preview lists each person by name under added,
// changed (saying what changes) or deactivated; confirming applies exactly
// that.
func TestStaffImportPreviewNamesWhoIsAddedChangedAndDeactivated(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		ctx := context.Background()
		admin := o.client(t, "admin@example.com")
		file := staffCSV(t,
			[]string{"Amara Okafor", "amara@example.com", "Acme/West", "learner", "", ""},
			[]string{"Zoe OBrien", "zoe@example.com", "Acme/South", "learner", "", ""},
			[]string{"Tara Trainer", "tara@example.com", "Acme/North", "manager", "yes", ""},
			[]string{"Wang Fang", "wang@example.com", "Acme/South", "learner", "", "no"},
			[]string{"Sami South", "sami@example.com", "Acme/South", "manager", "yes", ""},
		)
		res := admin.Post("/admin/import", url.Values{"csv": {file}})
		mustStatus(t, "preview", res, http.StatusOK)
		mustContain(t, "preview counts", res.Body, "<strong>1</strong> new", "<strong>3</strong> changed", "<strong>1</strong> deactivated", "<strong>0</strong> unchanged")
		added, changed, leaving := section(res.Body, "added"), section(res.Body, "changed"), section(res.Body, "deactivated")
		mustContain(t, "added", added, "Amara Okafor (amara@example.com): learner, Acme / West")
		mustContain(t, "changed", changed,
			"Zoe OBrien (zoe@example.com): name “Zoë &#34;Z&#34; O&#39;Brien, Jr” → “Zoe OBrien”; team Acme / North → Acme / South",
			"Tara Trainer (tara@example.com): role trainer → manager; team no team → Acme / North; becomes a manager of Acme / North",
			"Sami South (sami@example.com): team no team → Acme / South")
		mustContain(t, "deactivated", leaving, "Wang Fang (wang@example.com); name “=HYPERLINK(&#34;x&#34;) 王芳” → “Wang Fang”")
		if strings.Contains(changed, "wang@") || strings.Contains(leaving, "zoe@") || strings.Contains(added, "tara@") {
			t.Fatalf("a person is listed under the wrong heading:\n%s", res.Body)
		}
		if u, err := o.app.Store.UserByEmail(ctx, "wang@example.com"); err != nil || !u.Active {
			t.Fatalf("the preview wrote: wang = %+v, %v", u, err)
		}

		id := between(res.Body, `action="/admin/import/`, `/confirm"`)
		mustStatus(t, "confirm", admin.Post("/admin/import/"+id+"/confirm", nil), http.StatusSeeOther)
		if err := o.app.Jobs.Imports(ctx); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "applied", admin.Get("/admin/import/"+id).Body, `data-status="applied"`, "1 added, 3 changed, 1 deactivated, 0 unchanged, 1 new teams")
		wang, err := o.app.Store.UserByEmail(ctx, "wang@example.com")
		if err != nil || wang.Active {
			t.Fatalf("wang = %+v, %v; want deactivated", wang, err)
		}
		if tm, err := o.app.Store.TeamOf(ctx, o.learner.ID); err != nil || tm.ID != o.south.ID {
			t.Fatalf("zoe's team = %+v, %v; want South", tm, err)
		}
		// Applied, the same file says nothing changes.
		mustContain(t, "again", admin.Post("/admin/import", url.Values{"csv": {file}}).Body, "<strong>0</strong> new", "<strong>0</strong> changed", "<strong>0</strong> deactivated", "<strong>5</strong> unchanged")
	})
}

// TestStaffImportCannotDemoteTheImporterOrLeaveNoAdmin: a file that takes
// the admin role or the account from the admin importing it is refused at
// the preview, naming the line; a file that would leave no active admin by
// the time it is applied (someone demoted the importer meanwhile) stops
// without applying that batch.
func TestStaffImportCannotDemoteTheImporterOrLeaveNoAdmin(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		ctx := context.Background()
		bo := o.app.AddUser(t, "Bo Admin", "bo@example.com", auth.Admin, password)
		admin := o.client(t, "admin@example.com")
		for _, tc := range []struct {
			name string
			row  []string
			want string
		}{
			{"demoted to learner", []string{"Ada Admin", "admin@example.com", "Acme", "learner", "", ""}, "Line 2: this line would take the admin role from you"},
			{"demoted to manager", []string{"Ada Admin", "admin@example.com", "Acme", "manager", "yes", ""}, "Line 2: this line would take the admin role from you"},
			{"deactivated", []string{"Ada Admin", "admin@example.com", "Acme", "admin", "", "no"}, "Line 2: this line would deactivate you"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := admin.Post("/admin/import", url.Values{"csv": {staffCSV(t, tc.row)}})
				mustStatus(t, tc.name, res, http.StatusUnprocessableEntity)
				mustContain(t, tc.name, res.Body, tc.want, "Nothing was imported")
				if strings.Contains(res.Body, "/confirm") {
					t.Fatalf("a refused file can be confirmed:\n%s", res.Body)
				}
			})
		}
		if ada, err := o.app.Store.UserByEmail(ctx, "admin@example.com"); err != nil || ada.Role != "admin" || !ada.Active {
			t.Fatalf("ada = %+v, %v", ada, err)
		}

		// Demoting the other admin is fine while the importer stays one…
		res := admin.Post("/admin/import", url.Values{"csv": {staffCSV(t, []string{"Bo Admin", "bo@example.com", "Acme", "learner", "", ""})}})
		mustStatus(t, "demote bo", res, http.StatusOK)
		mustContain(t, "demote bo", section(res.Body, "changed"), "Bo Admin (bo@example.com): role admin → learner")
		id := between(res.Body, `action="/admin/import/`, `/confirm"`)
		// The file was checked for Ada: Bo may not apply it to himself.
		boc := o.client(t, "bo@example.com")
		boc.Get("/admin/import/" + id)
		res = boc.Post("/admin/import/"+id+"/confirm", nil)
		mustStatus(t, "Bo confirms Ada's file", res, http.StatusForbidden)
		mustContain(t, "Bo confirms Ada's file", res.Body, "Only the admin who uploaded this file can apply it")
		if im, err := o.app.Store.StaffImport(ctx, mustAtoi(t, id)); err != nil || im.Status != store.ImportPreviewed {
			t.Fatalf("after Bo's confirm the import is %+v, %v", im, err)
		}
		mustStatus(t, "confirm", admin.Post("/admin/import/"+id+"/confirm", nil), http.StatusSeeOther)
		// …but if the importer lost the role before it ran, it would leave
		// nobody: it stops, and Bo stays an admin.
		ada, err := o.app.Store.UserByEmail(ctx, "admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := o.app.Store.SetRole(ctx, ada.ID, "manager"); err != nil {
			t.Fatal(err)
		}
		if err := o.app.Jobs.Imports(ctx); err != nil {
			t.Fatal(err)
		}
		im, err := o.app.Store.StaffImport(ctx, mustAtoi(t, id))
		if err != nil || im.Status != store.ImportFailed || !strings.Contains(im.Summary, "would have left no active admin") {
			t.Fatalf("import = %+v, %v", im, err)
		}
		if got, err := o.app.Store.UserByID(ctx, bo.ID); err != nil || got.Role != "admin" {
			t.Fatalf("bo = %+v, %v; want still an admin", got, err)
		}
	})
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is not an id: %v", s, err)
	}
	return n
}

// TestStaffImportTakesUsernames: a staff file may give a username instead
// of (or beside) an email; new username-only people are created, an
// existing person gets the username of their line, and a username another
// person has is refused with its line.
func TestStaffImportTakesUsernames(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		ctx := context.Background()
		admin := o.client(t, "admin@example.com")
		csvOf := func(rows ...[]string) string {
			var b strings.Builder
			w := csv.NewWriter(&b)
			w.Write([]string{"name", "email", "username", "team", "role"})
			w.WriteAll(rows)
			return b.String()
		}
		// A username another person has (Zoe's, once this import gives it
		// to her) on a line that names someone else.
		if _, err := o.app.Store.UserByEmail(ctx, "zoe@example.com"); err != nil {
			t.Fatal(err)
		}
		res := admin.Post("/admin/import", url.Values{"csv": {csvOf(
			[]string{"Kai Till", "", "Kai.Till", "Acme/Shop", "learner"},
			[]string{"Zoe OBrien", "zoe@example.com", "zoe.ob", "Acme/North", "learner"},
			[]string{"Lee Two", "", "kai.till", "Acme/Shop", "learner"},
			[]string{"No One", "", "", "Acme/Shop", "learner"},
		)}})
		mustStatus(t, "bad file", res, http.StatusUnprocessableEntity)
		mustContain(t, "problems", section(res.Body, "problems")+res.Body, "Line 4: the username kai.till is also on line 2", "Line 5: the line has neither an email nor a username")

		res = admin.Post("/admin/import", url.Values{"csv": {csvOf(
			[]string{"Kai Till", "", "Kai.Till", "Acme/Shop", "learner"},
			[]string{"Zoe OBrien", "zoe@example.com", "zoe.ob", "Acme/North", "learner"},
		)}})
		mustStatus(t, "preview", res, http.StatusOK)
		mustContain(t, "added", section(res.Body, "added"), "Kai Till (kai.till)")
		mustContain(t, "changed", section(res.Body, "changed"), "Zoe OBrien (zoe@example.com): username “” → “zoe.ob”")
		id := between(res.Body, `action="/admin/import/`, `/confirm"`)
		mustStatus(t, "confirm", admin.Post("/admin/import/"+id+"/confirm", nil), http.StatusSeeOther)
		if err := o.app.Jobs.Imports(ctx); err != nil {
			t.Fatal(err)
		}
		kai, err := o.app.Store.UserByUsername(ctx, "KAI.TILL")
		if err != nil || kai.Email != "" || kai.Name != "Kai Till" {
			t.Fatalf("kai = %+v, %v", kai, err)
		}
		if zoe, err := o.app.Store.UserByUsername(ctx, "zoe.ob"); err != nil || zoe.Email != "zoe@example.com" {
			t.Fatalf("zoe = %+v, %v", zoe, err)
		}

		// Another file gives Zoe's username to someone new: refused with
		// its line, nothing written.
		res = admin.Post("/admin/import", url.Values{"csv": {csvOf(
			[]string{"Mo New", "mo@example.com", "zoe.ob", "Acme/Shop", "learner"},
		)}})
		mustContain(t, "taken username", res.Body, "Line 2: the username zoe.ob belongs to someone else (zoe@example.com)")
		if _, err := o.app.Store.UserByEmail(ctx, "mo@example.com"); err == nil {
			t.Fatal("a line with a taken username was imported")
		}
	})
}
