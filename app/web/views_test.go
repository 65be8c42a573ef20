package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/courses"
)

var (
	viewRE   = regexp.MustCompile(`<body data-view="([a-z_]+)">`)
	fileRE   = regexp.MustCompile(`/trainer/courses/desk-basics/files/(\d+)`)
	inviteRE = regexp.MustCompile(`value="http://[^"]+(/invite/[^"]+)"`)
	signinRE = regexp.MustCompile(`value="http://[^"]+(/signin/[^"]+)"`)
	importRE = regexp.MustCompile(`action="/admin/import/(\d+)/confirm"`)
)

// sharedViews are parsed into every page: layout.html wraps each one and
// partials.html holds the pieces several share. The test sees them in
// every page it renders.
var sharedViews = []string{"layout", "partials"}

// TestEveryViewRendersEveryState requests every page through the real
// routes, as the person who would see it, in an organisation whose people
// stand in every state (not started, in progress, completed, due soon,
// overdue, expired). A template that calls a function with the wrong type
// fails only when its branch runs with data, as team_due.html's statusLabel
// did on the first due-soon row; here every branch with a state gets one.
// It fails, too, when a view is added to views/ without being rendered here.
func TestEveryViewRendersEveryState(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		everyPageState(t, db)
	})
}

// pageState is one page a GET of the walk in everyPageState rendered: who
// asked (their client holds the session), where, and the status it answered.
// The browser tests replay these to check every page for accessibility and
// sideways scrolling.
type pageState struct {
	client *apptest.Client
	path   string
	status int
	view   string
}

// everyPageState walks the organisation of newStateOrg through every view
// in every state, checking each page says what it should, and returns the
// pages it saw by GET, in order.
func everyPageState(t *testing.T, db *database.DB) []pageState {
	var pages []pageState
	func() {
		ctx := context.Background()
		o := newStateOrg(t, db)
		app := o.app
		rendered := map[string]bool{}
		// visit asks for path (a GET, or a POST of form) and checks the
		// status, that a page was rendered and that it says what it should.
		visit := func(c *apptest.Client, path string, form url.Values, want int, says ...string) apptest.Response {
			t.Helper()
			var res apptest.Response
			if form == nil {
				res = c.Get(path)
			} else {
				res = c.Post(path, form)
			}
			mustStatus(t, path, res, want)
			m := viewRE.FindStringSubmatch(res.Body)
			if m == nil {
				t.Fatalf("%s rendered no view:\n%s", path, res.Body)
			}
			rendered[m[1]] = true
			if form == nil {
				pages = append(pages, pageState{client: c, path: path, status: want, view: m[1]})
			}
			mustContain(t, path, res.Body, says...)
			return res
		}

		// Mail: the reminder sweep fills the outbox; one message goes, one
		// fails for good, the rest wait.
		sweep := &jobs.Scheduler{Store: app.Store, Catalog: app.Catalog, Learning: &learning.Service{Store: app.Store, Location: time.UTC},
			BaseURL: app.URL, Location: time.UTC, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if err := sweep.Remind(ctx, stateDay); err != nil {
			t.Fatal(err)
		}
		leased, err := app.Store.LeaseOutbox(ctx, "views-test", stateDay, time.Minute, 2)
		if err != nil || len(leased) != 2 {
			t.Fatalf("leased %d messages, %v; want 2", len(leased), err)
		}
		if err := app.Store.MarkSent(ctx, leased[0].ID, "views-test", stateDay); err != nil {
			t.Fatal(err)
		}
		if err := app.Store.MarkAttemptFailed(ctx, leased[1].ID, "views-test", time.Time{}, "550 no such mailbox"); err != nil {
			t.Fatal(err)
		}

		// Learners, one per state.
		labels := map[courses.Status]string{courses.NotStarted: "Not started", courses.InProgress: "In progress",
			courses.Completed: "Completed", courses.DueSoon: "Due soon", courses.Overdue: "Overdue"}
		// Every dashboard card has its button, and the next-up card the
		// most urgent one (learning.NextUp).
		buttons := map[courses.Status]string{courses.NotStarted: ">Start<span", courses.InProgress: ">Continue to module ",
			courses.Completed: ">Review<span", courses.DueSoon: ">Take the refresher<span", courses.Overdue: ">Start<span"}
		nextUp := map[courses.Status]string{courses.NotStarted: "Welcome, ", courses.InProgress: "modules done",
			courses.Completed: "Phone basics", // suggested next: not assigned, not started
			courses.DueSoon:   "Due soon</span> due", courses.Overdue: "Overdue</span> since"}
		for st, u := range o.people {
			c := o.client(t, u.Email)
			dash := visit(c, "/", nil, http.StatusOK, labels[st], buttons[st]).Body
			if card := between(dash, `id="next-up"`, `</section>`); !strings.Contains(card, nextUp[st]) {
				t.Errorf("%s: the next-up card lacks %q:\n%s", st, nextUp[st], card)
			}
			visit(c, "/courses/desk-basics", nil, http.StatusOK, labels[st])
		}
		eli := o.client(t, o.expired.Email)
		// Overdue copy says since when, never "open … due <a past date>".
		if dash := visit(eli, "/", nil, http.StatusOK, "Overdue", "overdue since 3 Feb 2026", ">Take the refresher<span").Body; contains(dash, "is open") || contains(dash, "was due") {
			t.Fatalf("an overdue refresher reads as open or due in the past:\n%s", dash)
		}
		visit(eli, "/courses/desk-basics", nil, http.StatusOK, "Overdue</span>\nsince 3 Feb 2026")
		// The course page: its state said once ("Completed on …"), the next
		// step above the introduction, a due date only when one is set.
		for st, u := range o.people {
			page := visit(o.client(t, u.Email), "/courses/desk-basics", nil, http.StatusOK).Body
			status := between(page, `<p class="status`, `</p>`)
			if n := strings.Count(status, labels[st]); n != 1 {
				t.Errorf("%s: the course page says %q %d times: %s", st, labels[st], n, status)
			}
			if st == courses.Completed && !strings.Contains(status, "Completed</span>\non ") {
				t.Errorf("completed: %s", status)
			}
			if step := strings.Index(page, `class="next-step"`); step >= 0 && step > strings.Index(page, `class="lesson intro"`) {
				t.Errorf("%s: the Start/Continue button comes after the introduction", st)
			}
		}
		visit(eli, "/refresher/desk-basics", nil, http.StatusOK)
		eliCert := visit(eli, o.certs["eli"], nil, http.StatusOK, "3 Feb 2025", "Expired on 3 Feb 2026").Body
		ines := o.client(t, "ines@example.com")
		visit(ines, "/courses/desk-basics/greeting", nil, http.StatusOK, "Kofi is on the phone")
		visit(ines, o.attempt, nil, http.StatusOK, "Not passed yet")
		dev := o.client(t, "dev@example.com")
		visit(dev, "/refresher/desk-basics", nil, http.StatusOK, "Due 25 Mar 2026")
		visit(dev, o.refresh, nil, http.StatusOK, "Not passed yet")
		visit(dev, "/practice", nil, http.StatusOK, "Nothing to practise today")
		zoe := o.client(t, "zoe@example.com")
		visit(zoe, "/refresher/desk-basics", nil, http.StatusOK, "not open yet")
		zoeCert := visit(zoe, o.certs["zoe"], nil, http.StatusOK, "Valid until", "10 Mar 2027").Body
		visit(zoe, "/settings", nil, http.StatusOK)
		// Passkeys: none yet, and off, as the app's base URL is an IP address
		// (passkey_test.go renders the list and the add form).
		visit(zoe, "/settings/passkeys", nil, http.StatusOK, "You have no passkeys yet", "not available on this site")
		visit(zoe, "/courses/no-such-course", nil, http.StatusNotFound)

		// Anyone: sign-in, certificate checks (valid and expired), the
		// unsubscribe link.
		anon := app.Client(t)
		visit(anon, "/login", nil, http.StatusOK)
		visit(anon, "/verify", nil, http.StatusOK)
		visit(anon, "/verify/"+codeRE.FindStringSubmatch(zoeCert)[1], nil, http.StatusOK, "Genuine and valid")
		visit(anon, "/verify/"+codeRE.FindStringSubmatch(eliCert)[1], nil, http.StatusOK, "Genuine, but no longer valid", "Expired on 3 Feb 2026")
		us, err := app.Store.EnsureSettings(ctx, o.omar.ID, "views-test-unsubscribe-token", stateDay)
		if err != nil {
			t.Fatal(err)
		}
		visit(anon, "/unsubscribe/"+us.UnsubscribeToken, nil, http.StatusOK)

		// Managers: the team in every state (filtered to each), the
		// overdue and due-soon lists, each person, the summary.
		admin := o.client(t, "admin@example.com")
		acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
		all := visit(admin, acme, nil, http.StatusOK).Body
		for st, u := range o.people {
			visit(admin, acme+"?state="+string(st), nil, http.StatusOK, labels[st], html.EscapeString(u.Name))
			visit(admin, "/manage/people/"+strconv.FormatInt(u.ID, 10), nil, http.StatusOK, labels[st])
		}
		visit(admin, "/manage/people/"+strconv.FormatInt(o.expired.ID, 10), nil, http.StatusOK, "Overdue", "overdue since 3 Feb 2026")
		for _, s := range labels {
			mustContain(t, "the whole matrix", all, s)
		}
		visit(admin, acme+"/due", nil, http.StatusOK, "Overdue: 2", "Omar Haddad", "Eli Okoro",
			"Due in the next 30 days: 1", "Dev Patel", "25 Mar 2026", "Due soon")
		// The person page names modules by title, not slug.
		visit(admin, "/manage/people/"+strconv.FormatInt(o.people[courses.InProgress].ID, 10), nil, http.StatusOK, "<td>Closing the conversation</td>")
		nora := o.client(t, "nora@example.com")
		visit(nora, "/manage", nil, http.StatusOK)
		// Desk basics was assigned to all of Acme, above Nora's teams: she
		// sees it, read-only, and removes only what she assigned (Harbour's
		// Phone basics).
		harbour := visit(nora, "/manage/teams/"+strconv.FormatInt(o.harbour.ID, 10), nil, http.StatusOK, "set by the organisation").Body
		if n := strings.Count(harbour, "/remove"); n != 1 {
			t.Errorf("Nora's Harbour page offers %d Remove buttons, want 1 (Phone basics)", n)
		}
		// An assignment form with a mistake comes back on the same page.
		visit(nora, "/manage/teams/"+strconv.FormatInt(o.harbour.ID, 10)+"/assignments",
			assignForm(t, nora, "/manage/teams/"+strconv.FormatInt(o.harbour.ID, 10), url.Values{"course": {strconv.FormatInt(o.phoneID, 10)}}),
			http.StatusUnprocessableEntity, "Give a due date or a number of days.")
		visit(nora, "/manage/teams/"+strconv.FormatInt(o.north.ID, 10)+"/due", nil, http.StatusOK, "Omar Haddad", "Dev Patel")
		// The summary says when its numbers are taken again.
		visit(nora, "/manage/summary", nil, http.StatusOK, "These numbers are taken again every 10 minutes, next by ")
		visit(admin, "/manage/summary", nil, http.StatusOK)

		// Trainers.
		tara := o.client(t, "tara@example.com")
		visit(tara, "/trainer/courses", nil, http.StatusOK)
		// Deleting a module and discarding the draft ask first.
		course := visit(tara, "/trainer/courses/desk-basics", nil, http.StatusOK,
			`<summary class="button danger">Delete…`, "Yes, delete this module", `<summary class="button secondary">Discard the draft…</summary>`, "Yes, discard the draft").Body
		file := fileRE.FindStringSubmatch(course)
		if file == nil {
			t.Fatalf("no module file on the trainer's course page:\n%s", course)
		}
		visit(tara, file[0], nil, http.StatusOK)
		greeting, err := app.Catalog.OpenDraft(ctx, "desk-basics", nil, app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		giftPath := "/trainer/courses/desk-basics/files/" + strconv.FormatInt(greeting.Files[1].ID, 10) + "/gift"
		visit(tara, giftPath, nil, http.StatusOK, "GIFT questions")
		visit(tara, giftPath, url.Values{"gift": {"Q? {}\n\nR? {#1}"}, "revision": {"0"}}, http.StatusUnprocessableEntity, "No question could be imported", "essay", "numerical")
		visit(tara, "/trainer/courses/desk-basics/versions", nil, http.StatusOK)
		// The course's audit log is in words: "Published: version 1 …".
		if versions := visit(tara, "/trainer/courses/desk-basics/versions", nil, http.StatusOK, "Published: version 1 from").Body; contains(between(versions, `<ul class="audit">`, `</ul>`), "course.publish") {
			t.Errorf("the course's audit log shows event codes:\n%s", between(versions, `<ul class="audit">`, `</ul>`))
		}
		visit(tara, "/trainer/courses/desk-basics/diff?from=1&to=1", nil, http.StatusOK)
		visit(tara, "/trainer/courses/desk-basics/preview/greeting", nil, http.StatusOK)
		visit(tara, "/trainer/courses/desk-basics/stats", nil, http.StatusOK)
		visit(tara, "/trainer/courses/desk-basics/stats?sort=-facility", nil, http.StatusOK, `aria-sort="descending"`)
		visit(tara, "/trainer/import", nil, http.StatusOK)
		// A second version of Phone basics, for a diff with every kind of line.
		v2 := twoCourses()
		v2["phone-basics/01-answering.md"] = &fstest.MapFile{Data: []byte(strings.Replace(phoneModule, "before anything else", "first", 1))}
		if _, err := app.Catalog.Import(ctx, v2, app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		visit(tara, "/trainer/courses/phone-basics/diff?from=1&to=2", nil, http.StatusOK,
			"unchanged lines", "diff-line del", "diff-line add", "diff-line same")

		// Admins: people and an invitation, teams, a staff import, the
		// outbox with mail in each section.
		visit(admin, "/admin/people", nil, http.StatusOK, "Eli Okoro")
		invited := visit(admin, "/admin/people", url.Values{"name": {"Kwame Mensah"}, "email": {"kwame@example.com"}, "role": {"learner"}}, http.StatusOK).Body
		invite := inviteRE.FindStringSubmatch(invited)
		if invite == nil {
			t.Fatalf("no invitation link:\n%s", invited)
		}
		visit(anon, invite[1], nil, http.StatusOK, "kwame@example.com")
		visit(admin, "/admin/teams", nil, http.StatusOK, "Harbour")
		harbourAdmin := "/admin/teams/" + strconv.FormatInt(o.harbour.ID, 10)
		visit(admin, harbourAdmin, nil, http.StatusOK, "Dev Patel", "Acme › North</option>")
		visit(admin, harbourAdmin+"/move", url.Values{"parent": {strconv.FormatInt(o.harbour.ID, 10)}}, http.StatusUnprocessableEntity, "cannot move under itself")
		visit(admin, harbourAdmin+"?find=patel", nil, http.StatusOK, "Make manager<span")
		visit(admin, harbourAdmin+"?find=nobody-at-all", nil, http.StatusOK, "Nobody&#39;s name or email contains that")
		visit(admin, "/admin/import", nil, http.StatusOK)
		preview := visit(admin, "/admin/import", url.Values{"csv": {"name,email,team,role,manager\nAmara Okafor,amara@example.com,Acme/West,learner,\n"}}, http.StatusOK).Body
		if m := importRE.FindStringSubmatch(preview); m == nil {
			t.Fatalf("no import to confirm:\n%s", preview)
		} else {
			visit(admin, "/admin/import/"+m[1], nil, http.StatusOK)
		}
		visit(admin, "/admin/outbox", nil, http.StatusOK, "Waiting", "Recently sent", "Failed", "550 no such mailbox")
		// Password accounts: recovery without mail, the people search, a
		// sign-in link a manager issues and its page, used and unknown
		// links, inviting the people never invited.
		visit(anon, "/forgot", nil, http.StatusOK, "Ask your manager or an administrator")
		visit(admin, "/admin/people?q=zzzz", nil, http.StatusOK, "Nobody matches")
		visit(admin, "/admin/people?q=okoro&role=learner", nil, http.StatusOK, "Eli Okoro")
		visit(anon, "/signin/no-such-link", nil, http.StatusNotFound, "has been used or has expired")
		visit(anon, "/reset/no-such-link", nil, http.StatusNotFound, "Ask for a new one from the sign-in page")
		visit(admin, "/admin/people/invite-new", url.Values{}, http.StatusOK)
		// Webhooks: none yet, a form with a mistake, then an endpoint whose
		// log holds a delivery in each state.
		visit(admin, "/admin/webhooks", nil, http.StatusOK, "No endpoints yet")
		visit(admin, "/admin/webhooks", url.Values{"url": {"ftp://example.com"}}, http.StatusUnprocessableEntity,
			"Enter a full http:// or https:// URL", "Choose at least one event.")
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
		defer rcv.Close()
		res := admin.Post("/admin/webhooks", url.Values{"url": {rcv.URL}, "events": {"course.completed"}, "allow_private": {"1"}})
		mustStatus(t, "register a webhook", res, http.StatusSeeOther)
		hook := res.Location
		deliver := func() {
			t.Helper()
			if _, err := app.Jobs.Deliver(ctx, app.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		mustStatus(t, "test event", admin.Post(hook+"/test", url.Values{}), http.StatusSeeOther)
		deliver()
		rcv.Close()
		mustStatus(t, "test event", admin.Post(hook+"/test", url.Values{}), http.StatusSeeOther)
		deliver()
		mustStatus(t, "test event", admin.Post(hook+"/test", url.Values{}), http.StatusSeeOther)
		visit(admin, hook+"?test=queued", nil, http.StatusOK, "A test event is queued", "Delivered", "Retrying", "Waiting", "<td>204</td>")
		visit(admin, "/admin/webhooks", nil, http.StatusOK, rcv.URL, "private targets allowed")
		// API tokens: none yet, a form with a mistake keeps what was typed,
		// a token shown once, then listed (active, and revoked).
		visit(admin, "/admin/tokens", nil, http.StatusOK, "No tokens yet")
		visit(admin, "/admin/tokens", url.Values{"name": {"HR sync"}, "expires": {"0"}}, http.StatusUnprocessableEntity,
			"Choose at least one scope", "Enter a number of days", `value="HR sync"`)
		made := visit(admin, "/admin/tokens", url.Values{"name": {"HR sync"}, "scopes": {"people:read", "scim"}, "expires": {"30"}},
			http.StatusOK, "shown this once", "flt_", "people:read scim", "Active").Body
		if strings.Count(made, "flt_") != 1 {
			t.Fatalf("the secret should appear once, in the notice:\n%s", made)
		}
		tokens, err := app.People.APITokens(ctx)
		if err != nil || len(tokens) != 1 {
			t.Fatalf("tokens %v, %v", tokens, err)
		}
		if res := admin.Post("/admin/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/revoke", url.Values{}); res.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", res.Status)
		}
		if listed := visit(admin, "/admin/tokens", nil, http.StatusOK, "Revoked").Body; strings.Contains(listed, "flt_") {
			t.Fatalf("the secret is shown again:\n%s", listed)
		}
		// The organisation's history is in the audit log, with people's
		// names; an empty filter result has its own message.
		visit(admin, "/admin/audit", nil, http.StatusOK, "assignment.create", "Assigned a course", "user.add", "kwame@example.com")
		visit(admin, "/admin/audit?action=signin.&from=1999-01-01&to=1999-01-02", nil, http.StatusOK, "No entries match")

		// The next day, what Dev and Ines missed yesterday comes back to
		// practise.
		app.Clock.Advance(24 * time.Hour)
		dev = o.client(t, "dev@example.com")
		visit(dev, "/practice", nil, http.StatusOK, "Kofi is on the phone", "A guest asks when the repair will happen")
		// A sign-in link works for an hour, so it is issued after the clock
		// last moves: the browser tests replay its page at the end.
		issued := visit(nora, "/people/"+strconv.FormatInt(o.omar.ID, 10)+"/signin-link", url.Values{}, http.StatusOK,
			"Omar Haddad", `<svg xmlns="http://www.w3.org/2000/svg"`).Body
		signin := signinRE.FindStringSubmatch(issued)
		if signin == nil {
			t.Fatalf("no sign-in link:\n%s", issued)
		}
		visit(app.Client(t), signin[1], nil, http.StatusOK, "You are signing in as <strong>Omar Haddad</strong>")

		// Someone without email: Omar keeps only a username. He signs in
		// with it; his dashboard says reminders show there; the people
		// pages show the username where the email was.
		o.omar.Email, o.omar.Username = "", "omar.h"
		if err := app.Store.UpdateUser(ctx, o.omar); err != nil {
			t.Fatal(err)
		}
		omarByName := app.Client(t)
		omarByName.SignIn(" Omar.H", password)
		visit(omarByName, "/", nil, http.StatusOK, `id="no-email-note"`, "Overdue")
		visit(admin, "/admin/people?q=OMAR.H", nil, http.StatusOK, "<td>omar.h</td>", "Omar Haddad")
		visit(admin, "/manage/people/"+strconv.FormatInt(o.omar.ID, 10), nil, http.StatusOK, "omar.h · ")
		visit(admin, "/admin/people/"+strconv.FormatInt(o.omar.ID, 10)+"/username", url.Values{"username": {"omar@h"}}, http.StatusUnprocessableEntity,
			"Use 2 to 64 letters", `value="omar@h"`)
		visit(admin, "/admin/people", url.Values{"name": {"Tam Till"}, "username": {"Tam.Till"}, "role": {"learner"}}, http.StatusOK, "Tam Till (tam.till)")

		var views []string
		files, err := filepath.Glob(filepath.Join("views", "*.html"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no views found (%v)", err)
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".html")
			views = append(views, name)
			if !rendered[name] && !slices.Contains(sharedViews, name) {
				t.Errorf("views/%s.html was not rendered by this test: request a page that uses it", name)
			}
		}
		for name := range rendered {
			if !slices.Contains(views, name) {
				t.Errorf("a page says it is view %q, which is not in views/", name)
			}
		}
	}()
	return pages
}
