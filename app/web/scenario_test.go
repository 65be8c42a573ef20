package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

const password = "correct horse battery"

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func start(t *testing.T, db *database.DB) *apptest.App {
	return apptest.Start(t, db, apptest.Options{Content: fixture})
}

func mustStatus(t *testing.T, what string, res apptest.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.Status, want, res.Body)
	}
}

func mustContain(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Fatalf("%s: page lacks %q\n%s", what, s, body)
		}
	}
}

var hiddenRE = regexp.MustCompile(`name="(version|draw|key)" value="([^"]+)"`)

// quizForm reads the hidden fields of a module page's quiz form.
func quizForm(t *testing.T, body string) url.Values {
	t.Helper()
	f := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		f.Set(m[1], m[2])
	}
	if f.Get("version") == "" || f.Get("draw") == "" || f.Get("key") == "" {
		t.Fatalf("no quiz form on page:\n%s", body)
	}
	return f
}

func TestSignIn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)

		c := app.Client(t)
		res := c.Get("/courses/desk-basics")
		mustStatus(t, "anonymous course page", res, http.StatusSeeOther)
		if res.Location != "/login?next=%2Fcourses%2Fdesk-basics" {
			t.Fatalf("redirect to %q", res.Location)
		}
		c.Get(res.Location)
		res = c.Post("/login", url.Values{"email": {"mei@example.com"}, "password": {"wrong password"}, "next": {"/courses/desk-basics"}})
		mustStatus(t, "wrong password", res, http.StatusUnauthorized)
		mustContain(t, "wrong password", res.Body, `value="mei@example.com"`, "do not match")

		res = c.Post("/login", url.Values{"email": {"MEI@example.com"}, "password": {password}, "next": {"/courses/desk-basics"}})
		mustStatus(t, "right password", res, http.StatusSeeOther)
		if res.Location != "/courses/desk-basics" {
			t.Fatalf("after sign-in went to %q", res.Location)
		}
		if ck := res.Header.Get("Set-Cookie"); !contains(ck, "HttpOnly") || !contains(ck, "SameSite=Lax") || contains(ck, "Secure") {
			t.Fatalf("session cookie flags: %s", ck)
		}
		dash := c.Get("/").Body
		mustContain(t, "dashboard", dash, "Desk basics", "Not started", "0 of 3 modules done")
		if contains(dash, "next due") || contains(dash, "Due ") {
			t.Fatalf("a course with nothing due shows a due date:\n%s", dash)
		}

		// Sign-out ends the session in the database: the old cookie is dead.
		mustStatus(t, "logout", c.Post("/logout", nil), http.StatusSeeOther)
		mustStatus(t, "after logout", c.Get("/"), http.StatusSeeOther)
	})
}

func TestSignInIsThrottledPerAccountAndAddress(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Olek Nowak", "olek@example.com", auth.Learner, password)
		c := app.Client(t)
		c.Get("/login")
		for i := range auth.MaxPairFailures {
			mustStatus(t, "failure "+string(rune('1'+i)), c.Post("/login", url.Values{"email": {"olek@example.com"}, "password": {"nope nope nope"}}), http.StatusUnauthorized)
		}
		// Even the right password is refused now from this address, in any
		// browser and on any instance: the count is in the database.
		other := app.Client(t)
		other.Get("/login")
		res := other.Post("/login", url.Values{"email": {"olek@example.com"}, "password": {password}})
		mustStatus(t, "throttled", res, http.StatusTooManyRequests)
		mustContain(t, "throttled", res.Body, "Too many failed sign-ins")

		app.Clock.Advance(auth.ThrottleWindow + time.Minute)
		mustStatus(t, "after the window", other.Post("/login", url.Values{"email": {"olek@example.com"}, "password": {password}}), http.StatusSeeOther)
	})
}

func TestExpiredSessionSignsInAgainAndReturns(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Lucía Fernández", "lucia@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("lucia@example.com", password)
		app.Clock.Advance(auth.IdleTimeout + time.Hour)
		res := c.Get("/courses/desk-basics/greeting")
		mustStatus(t, "expired", res, http.StatusSeeOther)
		if !contains(res.Location, "next=%2Fcourses%2Fdesk-basics%2Fgreeting") || !contains(res.Location, "expired=1") {
			t.Fatalf("redirect %q", res.Location)
		}
		mustContain(t, "login after expiry", c.Get(res.Location).Body, "Your session ended")
		res = c.Post("/login", url.Values{"email": {"lucia@example.com"}, "password": {password}, "next": {"/courses/desk-basics/greeting"}})
		if res.Location != "/courses/desk-basics/greeting" {
			t.Fatalf("back to %q", res.Location)
		}
	})
}

func TestCSRF(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Kenji Sato", "kenji@example.com", auth.Learner, password)
		anon := app.Client(t)
		anon.Get("/login")
		res := anon.Post("/login", url.Values{"_csrf": {""}, "email": {"kenji@example.com"}, "password": {password}})
		mustStatus(t, "login without token", res, http.StatusForbidden)
		mustContain(t, "login without token", res.Body, "Reload the page")

		c := app.Client(t)
		c.SignIn("kenji@example.com", password)
		for name, tok := range map[string]string{"missing": "", "wrong": "not-the-token-at-all-aaaaaaaaaaaaaaa"} {
			res := c.Post("/logout", url.Values{"_csrf": {tok}})
			mustStatus(t, name+" token", res, http.StatusForbidden)
		}
		mustStatus(t, "still signed in", c.Get("/"), http.StatusOK)
	})
}

func TestRoutesCheckRoles(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		for _, r := range auth.Roles {
			app.AddUser(t, string(r), string(r)+"@example.com", r, password)
		}
		cases := []struct {
			role auth.Role
			path string
			want int
		}{
			{auth.Learner, "/admin/people", http.StatusForbidden},
			{auth.Trainer, "/admin/people", http.StatusForbidden},
			{auth.Manager, "/admin/people", http.StatusForbidden},
			{auth.Admin, "/admin/people", http.StatusOK},
			{auth.Learner, "/", http.StatusOK},
			{auth.Trainer, "/courses/desk-basics", http.StatusOK},
			{auth.Manager, "/courses/desk-basics/greeting", http.StatusOK},
			{auth.Learner, "/courses/no-such-course", http.StatusNotFound},
			{auth.Learner, "/courses/desk-basics/no-such-module", http.StatusNotFound},
			{auth.Learner, "/attempts/999999", http.StatusNotFound},
			{auth.Learner, "/nowhere", http.StatusNotFound},
		}
		clients := map[auth.Role]*apptest.Client{}
		for _, r := range auth.Roles {
			clients[r] = app.Client(t)
			clients[r].SignIn(string(r)+"@example.com", password)
		}
		for _, tc := range cases {
			res := clients[tc.role].Get(tc.path)
			if res.Status != tc.want {
				t.Errorf("%s GET %s = %d, want %d", tc.role, tc.path, res.Status, tc.want)
			}
		}
		res := clients[auth.Learner].Post("/admin/people", url.Values{"name": {"X"}, "email": {"x@example.com"}, "role": {"admin"}})
		mustStatus(t, "learner adds an admin", res, http.StatusForbidden)
		mustContain(t, "403 page", res.Body, "Your role does not open this page")
	})
}

func TestQuizPageCarriesNoAnswers(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Fatima Zahra", "fatima@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("fatima@example.com", password)
		res := c.Get("/courses/desk-basics/greeting")
		mustStatus(t, "module", res, http.StatusOK)
		mustContain(t, "module", res.Body, "greet every guest within ten seconds", `name="q.phone-and-guest"`, `type="checkbox" name="q.good-greeting"`)
		for _, leak := range []string{"[x]", "[ ]", "checked", "correct", "The guest may wait a long time", "A signal tells the guest"} {
			if contains(strings.ToLower(res.Body), strings.ToLower(leak)) {
				t.Errorf("quiz page leaks %q", leak)
			}
		}
		// The link to another module is rewritten to its page.
		mustContain(t, "module link", res.Body, `href="/courses/desk-basics/closing"`)
	})
}

func TestLearnerCompletesCourseAndSeesRefresherDate(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Priya Raman", "priya@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("priya@example.com", password)

		// Module 1, wrong first.
		f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Finish the call"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		res := c.Post("/courses/desk-basics/greeting/quiz", f)
		mustStatus(t, "wrong submit", res, http.StatusSeeOther)
		res = c.Get(res.Location)
		mustContain(t, "failed result", res.Body, "Not passed yet", "0%", "The guest may wait a long time", "A signal tells the guest", "Retake the quiz")

		// Then right.
		f = quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		res = c.Get(c.Post("/courses/desk-basics/greeting/quiz", f).Location)
		mustContain(t, "passed result", res.Body, "Passed.", "100%", "Next module: Shift notes")

		mustContain(t, "course page", c.Get("/courses/desk-basics").Body, "1 of 3 modules done", "In progress")

		// Module 2 has no quiz: reading it is enough.
		c.Get("/courses/desk-basics/notes")
		res = c.Post("/courses/desk-basics/notes/read", nil)
		if res.Location != "/courses/desk-basics/closing" {
			t.Fatalf("after reading went to %q", res.Location)
		}

		// Module 3 completes the course at that moment.
		app.Clock.Advance(time.Hour)
		f = quizForm(t, c.Get("/courses/desk-basics/closing").Body)
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
		res = c.Get(c.Post("/courses/desk-basics/closing/quiz", f).Location)
		mustContain(t, "completing result", res.Body, "Course completed", "10 Mar 2027")

		mustContain(t, "course page", c.Get("/courses/desk-basics").Body, "Completed", "due 10 Mar 2027", "3 of 3 modules done")
		mustContain(t, "dashboard", c.Get("/").Body, "Completed", "next due 10 Mar 2027")

		cs, err := app.Store.Completions(context.Background(), u.ID, 0)
		if err != nil || len(cs) != 1 || cs[0].Score != 100 {
			t.Fatalf("completions = %+v, %v", cs, err)
		}
		e, err := app.Store.Enrolment(context.Background(), u.ID, cs[0].CourseID)
		if err != nil || e.NextDueAt.Format("2006-01-02") != "2027-03-10" || e.Cycle != 1 {
			t.Fatalf("enrolment = %+v, %v", e, err)
		}
	})
}

func TestDuplicateSubmitStoresOneAttempt(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Tomás Pereira", "tomas@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("tomas@example.com", password)
		f := quizForm(t, c.Get("/courses/desk-basics/closing").Body)
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "Soon"))
		first := c.Post("/courses/desk-basics/closing/quiz", f)
		second := c.Post("/courses/desk-basics/closing/quiz", f)
		mustStatus(t, "first", first, http.StatusSeeOther)
		mustStatus(t, "second", second, http.StatusSeeOther)
		if first.Location != second.Location {
			t.Fatalf("resent form made a new attempt: %s vs %s", first.Location, second.Location)
		}
		row, _ := app.Store.CourseBySlug(context.Background(), "desk-basics")
		as, err := app.Store.AttemptsOfUser(context.Background(), u.ID, row.ID, 10)
		if err != nil || len(as) != 1 {
			t.Fatalf("attempts = %d, %v", len(as), err)
		}
	})
}

func TestTamperedQuizIsRefusedAndNothingStored(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Ngozi Eze", "ngozi@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("ngozi@example.com", password)
		right := choice(t, course, "greeting", "phone-and-guest", "Catch the guest")
		wrong := choice(t, course, "greeting", "phone-and-guest", "Finish the call")
		cases := map[string]func(f url.Values){
			"unknown question":        func(f url.Values) { f.Set("q.no-such-question", right) },
			"unknown choice":          func(f url.Values) { f.Set("q.phone-and-guest", "deadbeef") },
			"two choices for single":  func(f url.Values) { f["q.phone-and-guest"] = []string{right, wrong} },
			"version of no course":    func(f url.Values) { f.Set("version", "999999") },
			"missing key":             func(f url.Values) { f.Del("key") },
			"key with odd characters": func(f url.Values) { f.Set("key", "<script>alert(1)</script>xx") },
			"choice of another question": func(f url.Values) {
				f.Set("q.phone-and-guest", choice(t, course, "greeting", "good-greeting", "Eye contact"))
			},
			"same choice twice (multiple)": func(f url.Values) { f["q.good-greeting"] = []string{"x", "x"} },
		}
		for name, tamper := range cases {
			f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
			tamper(f)
			res := c.Post("/courses/desk-basics/greeting/quiz", f)
			if res.Status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400\n%s", name, res.Status, res.Body)
			}
		}
		row, _ := app.Store.CourseBySlug(context.Background(), "desk-basics")
		if as, _ := app.Store.AttemptsOfUser(context.Background(), u.ID, row.ID, 10); len(as) != 0 {
			t.Fatalf("tampered forms stored %d attempts", len(as))
		}
	})
}

func TestOtherPeoplesAttemptsAreHidden(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		app.AddUser(t, "Arjun Mehta", "arjun@example.com", auth.Learner, password)
		app.AddUser(t, "Sione Tupou", "sione@example.com", auth.Learner, password)
		a := app.Client(t)
		a.SignIn("arjun@example.com", password)
		f := quizForm(t, a.Get("/courses/desk-basics/closing").Body)
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "Soon"))
		loc := a.Post("/courses/desk-basics/closing/quiz", f).Location
		mustStatus(t, "own attempt", a.Get(loc), http.StatusOK)
		b := app.Client(t)
		b.SignIn("sione@example.com", password)
		mustStatus(t, "someone else's attempt", b.Get(loc), http.StatusNotFound)
	})
}

func TestOversizedBodyIs413(t *testing.T) {
	app := apptest.Start(t, apptest.NewSQLite(t), apptest.Options{Content: fixture, Env: map[string]string{"FRONTLINE_BODY_LIMIT": "4096"}})
	app.AddUser(t, "Ingrid Berg", "ingrid@example.com", auth.Learner, password)
	c := app.Client(t)
	c.SignIn("ingrid@example.com", password)
	res := c.Post("/courses/desk-basics/greeting/quiz", url.Values{"pad": {strings.Repeat("a", 8<<10)}})
	mustStatus(t, "8 KiB form over a 4 KiB limit", res, http.StatusRequestEntityTooLarge)
}

func TestSetupLinkCreatesTheFirstAdminOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		link, err := app.People.SetupLink(context.Background())
		if err != nil || !strings.HasPrefix(link, app.URL+"/setup/") {
			t.Fatalf("setup link %q, %v", link, err)
		}
		path := strings.TrimPrefix(link, app.URL)
		c := app.Client(t)
		mustStatus(t, "setup page", c.Get(path), http.StatusOK)
		res := c.Post(path, url.Values{"name": {"Amara Okafor"}, "email": {"amara@example.com"}, "password": {"short"}, "confirm": {"short"}})
		mustStatus(t, "short password", res, http.StatusUnprocessableEntity)
		mustContain(t, "short password", res.Body, `value="Amara Okafor"`, `value="amara@example.com"`, "at least 10 characters")

		res = c.Post(path, url.Values{"name": {"Amara Okafor"}, "email": {"amara@example.com"}, "password": {password}, "confirm": {password}})
		mustStatus(t, "setup", res, http.StatusSeeOther)
		mustStatus(t, "admin page", c.Get("/admin/people"), http.StatusOK)

		again := app.Client(t)
		mustStatus(t, "used link", again.Get(path), http.StatusNotFound)
		if l, _ := app.People.SetupLink(context.Background()); l != "" {
			t.Fatalf("a setup link is offered although an admin exists: %s", l)
		}
	})
}

func TestAdminInvitesAPerson(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Admin", "admin@example.com", auth.Admin, password)
		admin := app.Client(t)
		admin.SignIn("admin@example.com", password)
		res := admin.Post("/admin/people", url.Values{"name": {"Kwame Mensah"}, "email": {"not-an-email"}, "role": {"trainer"}})
		mustStatus(t, "bad email", res, http.StatusUnprocessableEntity)
		mustContain(t, "bad email", res.Body, `value="Kwame Mensah"`, `value="not-an-email"`, "Enter an email address", `value="trainer" selected`)

		res = admin.Post("/admin/people", url.Values{"name": {"Kwame Mensah"}, "email": {"kwame@example.com"}, "role": {"trainer"}})
		mustStatus(t, "add", res, http.StatusOK)
		m := regexp.MustCompile(`value="` + regexp.QuoteMeta(app.URL) + `(/invite/[^"]+)"`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no invitation link shown:\n%s", res.Body)
		}
		res = admin.Post("/admin/people", url.Values{"name": {"K"}, "email": {"KWAME@example.com"}, "role": {"learner"}})
		mustContain(t, "duplicate", res.Body, "already has an account")

		k := app.Client(t)
		mustContain(t, "invite page", k.Get(m[1]).Body, "Kwame Mensah", "kwame@example.com")
		res = k.Post(m[1], url.Values{"password": {password}, "confirm": {password + "x"}})
		mustStatus(t, "mismatch", res, http.StatusUnprocessableEntity)
		res = k.Post(m[1], url.Values{"password": {password}, "confirm": {password}})
		mustStatus(t, "accept", res, http.StatusSeeOther)
		mustContain(t, "signed in", k.Get("/").Body, "Kwame Mensah")
		mustStatus(t, "link used", app.Client(t).Get(m[1]), http.StatusNotFound)

		u, err := app.Store.UserByEmail(context.Background(), "kwame@example.com")
		if err != nil || u.Role != "trainer" || !auth.CheckPassword(u.PasswordHash, password) {
			t.Fatalf("user = %+v, %v", u, err)
		}
		log, _, _ := app.Store.AuditLog(context.Background(), store.AuditQuery{Limit: 20})
		found := false
		for _, e := range log {
			found = found || (e.Action == "user.add" && e.Target == "kwame@example.com")
		}
		if !found {
			t.Fatal("adding a person is not in the audit log")
		}
	})
}

func TestHealthAndErrorsAsJSON(t *testing.T) {
	app := start(t, apptest.NewSQLite(t))
	c := app.Client(t)
	mustStatus(t, "healthz", c.Get("/healthz"), http.StatusOK)
	mustStatus(t, "readyz", c.Get("/readyz"), http.StatusOK)
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/nowhere", nil)
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 404 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("JSON 404: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	h := c.Get("/login").Header
	for _, k := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
		if h.Get(k) == "" {
			t.Errorf("missing header %s", k)
		}
	}
	if contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline script or style")
	}
}

var _ = store.ErrNotFound
