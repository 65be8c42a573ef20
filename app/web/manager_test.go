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

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// org is a small organisation: Acme with North (where the learner works,
// managed by nora) and South (managed by sami), a trainer and an admin.
type org struct {
	app                 *apptest.App
	acme, north, south  *store.Team
	learner, learnerTwo *store.User
	courseID            int64
}

func newOrg(t *testing.T, db *database.DB) *org {
	t.Helper()
	return newOrgWith(t, db, apptest.Options{Content: fixture})
}

// newOrgWith builds the organisation in an app started with opts: other
// courses, another day.
func newOrgWith(t *testing.T, db *database.DB, opts apptest.Options) *org {
	t.Helper()
	ctx := context.Background()
	app := apptest.Start(t, db, opts)
	o := &org{app: app}
	now := app.Clock.Now()
	var err error
	if o.acme, err = app.Store.CreateTeam(ctx, 0, "Acme", now); err != nil {
		t.Fatal(err)
	}
	if o.north, err = app.Store.CreateTeam(ctx, o.acme.ID, "North", now); err != nil {
		t.Fatal(err)
	}
	if o.south, err = app.Store.CreateTeam(ctx, o.acme.ID, "South", now); err != nil {
		t.Fatal(err)
	}
	app.AddUser(t, "Ada Admin", "admin@example.com", auth.Admin, password)
	nora := app.AddUser(t, "Nora North", "nora@example.com", auth.Manager, password)
	sami := app.AddUser(t, "Sami South", "sami@example.com", auth.Manager, password)
	app.AddUser(t, "Tara Trainer", "tara@example.com", auth.Trainer, password)
	o.learner = app.AddUser(t, `Zoë "Z" O'Brien, Jr`, "zoe@example.com", auth.Learner, password)
	o.learnerTwo = app.AddUser(t, "=HYPERLINK(\"x\") 王芳", "wang@example.com", auth.Learner, password)
	for _, m := range []struct {
		team    *store.Team
		user    *store.User
		manages bool
	}{{o.north, nora, true}, {o.south, sami, true}, {o.north, o.learner, false}, {o.south, o.learnerTwo, false}} {
		if m.manages {
			err = app.Store.SetManager(ctx, m.team.ID, m.user.ID, true, now)
		} else {
			err = app.Store.SetTeam(ctx, m.user.ID, m.team.ID, now, time.UTC)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := app.Store.CourseBySlug(ctx, "desk-basics")
	if err != nil {
		t.Fatal(err)
	}
	o.courseID = c.ID
	return o
}

func (o *org) client(t *testing.T, email string) *apptest.Client {
	c := o.app.Client(t)
	c.SignIn(email, password)
	return c
}

// TestManagerRoutesAdmitOnlyTheirScope: every manager route, for each kind
// of person.
func TestManagerRoutesAdmitOnlyTheirScope(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		north, person := strconv.FormatInt(o.north.ID, 10), strconv.FormatInt(o.learner.ID, 10)
		course := strconv.FormatInt(o.courseID, 10)
		const ok, no = http.StatusOK, http.StatusForbidden
		const moved = http.StatusSeeOther
		routes := []struct {
			method, path string
			form         url.Values
			// admin, manager of the team, manager of another team, trainer, learner
			want [5]int
		}{
			{"GET", "/manage", nil, [5]int{ok, ok, ok, no, no}},
			{"GET", "/manage/summary", nil, [5]int{ok, ok, ok, no, no}},
			{"GET", "/manage/teams/" + north, nil, [5]int{ok, ok, no, no, no}},
			{"GET", "/manage/teams/" + north + "/due", nil, [5]int{ok, ok, no, no, no}},
			{"GET", "/manage/teams/" + north + "/matrix.csv", nil, [5]int{ok, ok, no, no, no}},
			{"GET", "/manage/teams/" + north + "/history.csv", nil, [5]int{ok, ok, no, no, no}},
			{"POST", "/manage/teams/" + north + "/assignments", url.Values{"course": {course}, "days": {"30"}, "key": {"route-test-team-key"}}, [5]int{moved, moved, no, no, no}},
			{"GET", "/manage/people/" + person, nil, [5]int{ok, ok, no, no, no}},
			{"POST", "/manage/people/" + person + "/assignments", url.Values{"course": {course}, "days": {"30"}, "key": {"route-test-person-key"}}, [5]int{moved, moved, no, no, no}},
			{"GET", "/admin/teams", nil, [5]int{ok, no, no, no, no}},
			{"GET", "/admin/teams/" + north, nil, [5]int{ok, no, no, no, no}},
			{"POST", "/admin/teams/" + north + "/rename", url.Values{"name": {"North"}}, [5]int{moved, no, no, no, no}},
			{"GET", "/admin/import", nil, [5]int{ok, no, no, no, no}},
			{"POST", "/admin/people/" + person + "/active", url.Values{"active": {"1"}}, [5]int{moved, no, no, no, no}},
		}
		people := []string{"admin@example.com", "nora@example.com", "sami@example.com", "tara@example.com", "zoe@example.com"}
		clients := make([]*apptest.Client, len(people))
		for i, e := range people {
			clients[i] = o.client(t, e)
		}
		for _, r := range routes {
			for i, c := range clients {
				var res apptest.Response
				if r.method == "GET" {
					res = c.Get(r.path)
				} else {
					form := url.Values{} // Post adds the client's own CSRF token
					for k, v := range r.form {
						form[k] = v
					}
					res = c.Post(r.path, form)
				}
				if res.Status != r.want[i] {
					t.Errorf("%s %s as %s: status %d, want %d\n%s", r.method, r.path, people[i], res.Status, r.want[i], res.Body)
				}
			}
		}
		anon := o.app.Client(t)
		if res := anon.Get("/manage/teams/" + north); res.Status != http.StatusSeeOther {
			t.Errorf("anonymous team page: status %d, want a redirect to sign in", res.Status)
		}
	})
}

// TestMatrixShowsStatesFiltersAndPages: an assignment makes cells "Not
// started" with a due date, a completion turns one "Completed", filters and
// keyset pages work.
func TestMatrixShowsAssignmentThenCompletion(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		nora := o.client(t, "nora@example.com")
		acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
		north := "/manage/teams/" + strconv.FormatInt(o.north.ID, 10)
		res := nora.Post(north+"/assignments", assignForm(t, nora, north, url.Values{"course": {strconv.FormatInt(o.courseID, 10)}, "days": {"14"}}))
		mustStatus(t, "assign", res, http.StatusSeeOther)
		page := nora.Get(res.Location).Body
		mustContain(t, "after assigning", page, "Assigned to 1 person", "Not started", "due 24 Mar 2026", "O&#39;Brien")
		if strings.Contains(page, "王芳") {
			t.Fatal("North's manager sees a South person")
		}

		// The learner completes the course; the cell changes.
		completeDeskBasics(t, o.app, o.client(t, "zoe@example.com"))
		page = nora.Get(north).Body
		mustContain(t, "after completing", page, `data-state="completed"`, "on 10 Mar 2026", "1 of 1")
		mustContain(t, "filtered", nora.Get(north+"?state=completed&course="+strconv.FormatInt(o.courseID, 10)).Body, "O&#39;Brien")
		mustContain(t, "filtered out", nora.Get(north+"?state=overdue").Body, "Nobody matches")
		mustStatus(t, "bad filter", nora.Get(north+"?state=bogus"), http.StatusBadRequest)

		// The admin pages the whole organisation one person at a time? The
		// page size is 50; check the keyset link carries the last name.
		admin := o.client(t, "admin@example.com")
		page = admin.Get(acme).Body
		mustContain(t, "admin sees all", page, "O&#39;Brien", "王芳")

		// A year on, the completion is due: overdue list.
		o.app.Clock.Advance(380 * 24 * time.Hour)
		nora = o.client(t, "nora@example.com") // the old session has expired
		mustContain(t, "overdue list", nora.Get(north+"/due").Body, "Overdue: 1", "Desk basics", "10 Mar 2027")
	})
}

var assignKeyRE = regexp.MustCompile(`<input type="hidden" name="key" value="([^"]+)">`)

// assignForm is the assignment form of the team or person page at path,
// filled with fields: it carries the key the page gave it.
func assignForm(t *testing.T, c *apptest.Client, path string, fields url.Values) url.Values {
	t.Helper()
	body := c.Get(path).Body
	m := assignKeyRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no assignment form on %s:\n%s", path, body)
	}
	f := url.Values{"key": {m[1]}}
	for k, v := range fields {
		f[k] = v
	}
	return f
}

func completeDeskBasics(t *testing.T, app *apptest.App, c *apptest.Client) {
	t.Helper()
	course := parsedFixture(t)
	f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
	f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
	f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
	f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
	mustStatus(t, "greeting quiz", c.Post("/courses/desk-basics/greeting/quiz", f), http.StatusSeeOther)
	c.Get("/courses/desk-basics/notes")
	mustStatus(t, "notes read", c.Post("/courses/desk-basics/notes/read", nil), http.StatusSeeOther)
	f = quizForm(t, c.Get("/courses/desk-basics/closing").Body)
	f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
	mustStatus(t, "closing quiz", c.Post("/courses/desk-basics/closing/quiz", f), http.StatusSeeOther)
}

// TestCSVExportIsSafeForSpreadsheets: header, UTF-8 with BOM, names with
// commas, quotes and non-Latin script intact, formulas defused.
func TestCSVExportIsSafeForSpreadsheets(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		admin := o.client(t, "admin@example.com")
		completeDeskBasics(t, o.app, o.client(t, "zoe@example.com"))
		res := admin.Get("/manage/teams/" + strconv.FormatInt(o.acme.ID, 10) + "/matrix.csv")
		mustStatus(t, "export", res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Fatalf("content type %q", ct)
		}
		if !strings.HasPrefix(res.Body, "\ufeff") {
			t.Fatal("no byte-order mark")
		}
		rows, err := csv.NewReader(reports.StripBOM(strings.NewReader(res.Body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"name", "email", "team", "course", "state", "last completed", "due"},
			{"'=HYPERLINK(\"x\") 王芳", "wang@example.com", "South", "Desk basics", "Not started", "", ""},
			{`Zoë "Z" O'Brien, Jr`, "zoe@example.com", "North", "Desk basics", "Completed", "2026-03-10", "2027-03-10"},
		}
		if len(rows) != len(want) {
			t.Fatalf("rows = %q", rows)
		}
		for i := range want {
			if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
			}
		}
		hist := admin.Get("/manage/teams/" + strconv.FormatInt(o.north.ID, 10) + "/history.csv")
		mustContain(t, "history", hist.Body, "completed at", `"Zoë ""Z"" O'Brien, Jr"`, "Desk basics")
	})
}

// TestStaffImportPreviewsThenAppliesOnceAndDeactivationKeepsHistory.
func TestStaffImportPreviewsThenAppliesOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newOrg(t, db)
		admin := o.client(t, "admin@example.com")
		bad := "name,email,team,role,manager\nAmara Okafor,amara@example.com,Acme/West/Leeds,learner,\n,nobody@example.com,Acme,learner,\nKofi,not-an-email,Acme,learner,\nLi,li@example.com,Acme,boss,\nLi Two,AMARA@example.com,Acme,learner,\n"
		res := admin.Post("/admin/import", url.Values{"csv": {bad}})
		mustStatus(t, "bad file", res, http.StatusUnprocessableEntity)
		mustContain(t, "bad file", res.Body, "Line 3: the name is empty", "Line 4: &#34;not-an-email&#34; is not an email address",
			"Line 5: &#34;boss&#34; is not a role", "Line 6: the email amara@example.com is also on line 2")
		if _, err := o.app.Store.UserByEmail(context.Background(), "amara@example.com"); err == nil {
			t.Fatal("a bad file wrote a person")
		}

		good := "name,email,team,role,manager\nAmara Okafor,amara@example.com,Acme/West/Leeds,learner,\nKofi Mensah,kofi@example.com,Acme / West,learner,yes\n" +
			`"Zoë ""Z"" O'Brien, Jr",zoe@example.com,Acme/North,learner,` + "\n"
		res = admin.Post("/admin/import", url.Values{"csv": {good}})
		mustStatus(t, "preview", res, http.StatusOK)
		mustContain(t, "preview", res.Body, "<strong>2</strong> new", "<strong>0</strong> changed", "<strong>1</strong> unchanged", "2 new teams", "Nothing has been written yet")
		if _, err := o.app.Store.UserByEmail(context.Background(), "amara@example.com"); err == nil {
			t.Fatal("the preview wrote a person")
		}
		id := between(res.Body, `action="/admin/import/`, `/confirm"`)
		res = admin.Post("/admin/import/"+id+"/confirm", nil)
		mustStatus(t, "confirm", res, http.StatusSeeOther)
		mustContain(t, "confirmed", admin.Get(res.Location).Body, "Importing…")
		if _, err := o.app.Store.UserByEmail(context.Background(), "amara@example.com"); err == nil {
			t.Fatal("the request that confirmed the import applied it: that is the job runner's work")
		}
		if err := o.app.Jobs.Imports(context.Background()); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "applied", admin.Get(res.Location).Body, `data-status="applied"`, "2 added, 0 changed, 0 deactivated, 1 unchanged, 2 new teams", "3 of 3 rows")
		kofi, err := o.app.Store.UserByEmail(context.Background(), "kofi@example.com")
		if err != nil || kofi.Role != "manager" {
			t.Fatalf("kofi = %+v, %v", kofi, err)
		}

		res = admin.Post("/admin/import", url.Values{"csv": {good}})
		mustContain(t, "re-import", res.Body, "<strong>0</strong> new", "<strong>0</strong> changed", "<strong>3</strong> unchanged", "0 new teams")

		// Deactivating someone keeps their history and takes them off the matrix.
		completeDeskBasics(t, o.app, o.client(t, "zoe@example.com"))
		mustStatus(t, "deactivate", admin.Post("/admin/people/"+strconv.FormatInt(o.learner.ID, 10)+"/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
		if strings.Contains(admin.Get("/manage/teams/"+strconv.FormatInt(o.north.ID, 10)).Body, "O&#39;Brien") {
			t.Fatal("a deactivated person is still on the matrix")
		}
		mustContain(t, "history kept", admin.Get("/manage/teams/"+strconv.FormatInt(o.north.ID, 10)+"/history.csv").Body, "O'Brien", ",no,")
	})
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return ""
}

// TestIdenticalAssignmentPostsMakeOneAssignment: ten copies of one
// assignment form sent at once (a double click, a retrying proxy) make one
// assignment with one audit row, and every copy answers as the first did;
// a fresh form (a new key) makes a second assignment.
func TestIdenticalAssignmentPostsMakeOneAssignment(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		o := newOrg(t, db)
		admin := o.client(t, "admin@example.com")
		acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
		person := "/manage/people/" + strconv.FormatInt(o.learner.ID, 10)
		course := strconv.FormatInt(o.courseID, 10)
		for _, c := range []struct {
			page, column string
			id           int64
		}{{acme, "team_id", o.acme.ID}, {person, "user_id", o.learner.ID}} {
			form := assignForm(t, admin, c.page, url.Values{"course": {course}, "days": {"30"}})
			for i, res := range admin.PostConcurrently(c.page+"/assignments", form, 10) {
				mustStatus(t, fmt.Sprintf("%s copy %d", c.page, i+1), res, http.StatusSeeOther)
				if c.page == acme && res.Location != acme+"?assigned=2" {
					t.Errorf("copy %d went to %q, want %s?assigned=2", i+1, res.Location, acme)
				}
			}
			if n := assignmentsTo(t, o, c.column, c.id); n != 1 {
				t.Errorf("%s: %d assignments from one form, want 1", c.page, n)
			}
		}

		// Sending the form once more is still the same assignment; a form
		// loaded again is a new one.
		form := assignForm(t, admin, acme, url.Values{"course": {course}, "days": {"30"}})
		mustStatus(t, "first send", admin.Post(acme+"/assignments", form), http.StatusSeeOther)
		mustStatus(t, "resend", admin.Post(acme+"/assignments", form), http.StatusSeeOther)
		if n := assignmentsTo(t, o, "team_id", o.acme.ID); n != 2 {
			t.Errorf("after a second form: %d assignments, want 2", n)
		}
		mustStatus(t, "no key", admin.Post(acme+"/assignments", url.Values{"course": {course}, "days": {"30"}}), http.StatusBadRequest)
		if as, err := o.app.Store.AssignmentsCovering(ctx, o.acme); err != nil || len(as) != 2 {
			t.Fatalf("assignments covering Acme = %d, %v", len(as), err)
		}
	})
}

// assignmentsTo counts the assignments made to a team or a person
// (column "team_id" or "user_id" = id) and checks that each has exactly one
// audit row, written with it.
func assignmentsTo(t *testing.T, o *org, column string, id int64) int {
	t.Helper()
	ctx := context.Background()
	count, err := o.app.DB.R.NewSelect().Model((*store.Assignment)(nil)).Where("? = ?", bun.Ident(column), id).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := int(count)
	log, _, err := o.app.Store.AuditLog(ctx, store.AuditQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	target := strings.TrimSuffix(column, "_id") + ":" + strconv.FormatInt(id, 10)
	audited := 0
	for _, e := range log {
		if e.Action == "assignment.create" && e.Target == target {
			audited++
		}
	}
	if audited != n {
		t.Errorf("%s: %d assignments but %d audit rows", target, n, audited)
	}
	return n
}

var exportRE = regexp.MustCompile(`href="([^"]*/matrix\.csv[^"]*)"`)

// TestMatrixCSVFollowsTheFilters: the team page's "matrix as CSV (as
// filtered)" link exports the rows the page shows under each filter —
// state, course, subteam and their combinations — not the whole matrix.
func TestMatrixCSVFollowsTheFilters(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		o := newStateOrg(t, db)
		admin := o.client(t, "admin@example.com")
		acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
		desk, phone := strconv.FormatInt(o.courseID, 10), strconv.FormatInt(o.phoneID, 10)
		harbour := strconv.FormatInt(o.harbour.ID, 10)
		cases := []struct {
			filter string
			want   []string // name | course | state, ordered by name
		}{
			{"state=completed", []string{"Dev Patel|Phone basics|Completed", `Zoë "Z" O'Brien, Jr|Desk basics|Completed`}},
			{"state=completed&course=" + phone, []string{"Dev Patel|Phone basics|Completed"}},
			{"state=overdue&course=" + desk, []string{"Eli Okoro|Desk basics|Overdue", "Omar Haddad|Desk basics|Overdue"}},
			{"sub=" + harbour, []string{"Dev Patel|Desk basics|Due soon", "Dev Patel|Phone basics|Completed",
				"Ines Duarte|Desk basics|In progress", "Ines Duarte|Phone basics|Not started"}},
			{"sub=" + harbour + "&state=due_soon&course=" + desk, []string{"Dev Patel|Desk basics|Due soon"}},
			{"state=not_started&course=" + desk, []string{"'=HYPERLINK(\"x\") 王芳|Desk basics|Not started"}},
		}
		for _, c := range cases {
			page := admin.Get(acme + "?" + c.filter)
			mustStatus(t, c.filter, page, http.StatusOK)
			m := exportRE.FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("%s: no export link", c.filter)
			}
			link := html.UnescapeString(m[1])
			res := admin.Get(link)
			mustStatus(t, link, res, http.StatusOK)
			rows, err := csv.NewReader(reports.StripBOM(strings.NewReader(res.Body))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[0]+"|"+r[3]+"|"+r[4])
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("%s: the export (%s) has\n%s\nwant\n%s", c.filter, link, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		}
	})
}
