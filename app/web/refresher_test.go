package web_test

import (
	"context"
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
	"github.com/frontline-lms/frontline/courses"
)

var (
	drawRE     = regexp.MustCompile(`name="draw" value="(\d+)"`)
	keyRE      = regexp.MustCompile(`name="key" value="([^"]+)"`)
	codeRE     = regexp.MustCompile(`id="cert-code">([A-Z0-9-]+)<`)
	certRE     = regexp.MustCompile(`href="/certificates/(\d+)"`)
	calendarRE = regexp.MustCompile(`value="(http://[^"]+/calendar/[^"]+\.ics)"`)
)

// completeFixture completes desk-basics over HTTP, answering both questions
// of the first module wrongly once.
func completeFixture(t *testing.T, c *apptest.Client, course *courses.Course) {
	t.Helper()
	f := quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
	f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Finish the call"))
	f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
	c.Post("/courses/desk-basics/greeting/quiz", f)
	f = quizForm(t, c.Get("/courses/desk-basics/greeting").Body)
	f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
	f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
	f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
	c.Post("/courses/desk-basics/greeting/quiz", f)
	c.Get("/courses/desk-basics/notes")
	c.Post("/courses/desk-basics/notes/read", nil)
	f = quizForm(t, c.Get("/courses/desk-basics/closing").Body)
	f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
	res := c.Get(c.Post("/courses/desk-basics/closing/quiz", f).Location)
	mustContain(t, "completion", res.Body, "Course completed")
}

func refresherForm(t *testing.T, body string) url.Values {
	t.Helper()
	d, k := drawRE.FindStringSubmatch(body), keyRE.FindStringSubmatch(body)
	if d == nil || k == nil {
		t.Fatalf("no refresher form:\n%s", body)
	}
	return url.Values{"draw": {d[1]}, "key": {k[1]}}
}

func TestRefresherQuizPracticeCertificateAndCalendar(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Priya Raman", "priya@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("priya@example.com", password)
		completeFixture(t, c, course) // 10 Mar 2026: due 10 Mar 2027, the window opens 8 Feb 2027

		// Practice: the two questions missed come back the next day, and
		// answering them never moves the due date.
		mustContain(t, "same day", c.Get("/").Body, "next due 10 Mar 2027")
		if contains(c.Get("/").Body, "Practise now") {
			t.Fatal("practice shown before its day")
		}
		app.Clock.Advance(24 * time.Hour)
		mustContain(t, "next day", c.Get("/").Body, "2 questions you missed before are ready", "Practise now")
		mustContain(t, "practice page", c.Get("/practice").Body, "Kofi is on the phone", "Which of these make a good first greeting")
		res := c.Post("/practice", url.Values{
			"p." + courseID(t, app) + ".phone-and-guest": {choice(t, course, "greeting", "phone-and-guest", "Catch the guest")},
			"p." + courseID(t, app) + ".good-greeting":   {choice(t, course, "greeting", "good-greeting", "Eye contact")},
		})
		mustContain(t, "practice result", res.Body, "1 of 2", "✓ Right", "✗ Not right")
		mustContain(t, "dashboard after practice", c.Get("/").Body, "next due 10 Mar 2027")
		app.Clock.Advance(24 * time.Hour)
		mustContain(t, "the missed one is back the next day", c.Get("/practice").Body, "Which of these make a good first greeting")
		if contains(c.Get("/practice").Body, "Kofi is on the phone") {
			t.Fatal("a question answered right came back after a day, not three")
		}

		// Before the window the refresher is closed.
		mustContain(t, "closed refresher", c.Get("/refresher/desk-basics").Body, "not open yet", "opens 8 Feb 2027")

		// The window opens: the dashboard offers the quiz with its due date.
		app.Clock.Set(time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC))
		c.SignIn("priya@example.com", password) // the session ended while the clock moved
		dash := c.Get("/").Body
		mustContain(t, "dashboard in the window", dash, "Due now", "Your refresher is open: a short quiz of 3 questions, due 10 Mar 2027", `href="/refresher/desk-basics"`)
		page := c.Get("/refresher/desk-basics").Body
		first := refresherForm(t, page)
		if again := refresherForm(t, c.Get("/refresher/desk-basics").Body); again.Get("draw") != first.Get("draw") {
			t.Fatalf("a reload drew again: %s then %s", first.Get("draw"), again.Get("draw"))
		}
		if contains(page, "A signal tells the guest") || contains(page, "checked") {
			t.Fatal("the refresher page gives away answers")
		}

		// A fail names the modules to read again and allows a retake.
		f := first
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Finish the call"))
		f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "Soon"))
		res = c.Post("/refresher/desk-basics", f)
		mustStatus(t, "refresher submit", res, http.StatusSeeOther)
		failed := res.Location
		res = c.Get(failed)
		mustContain(t, "failed refresher", res.Body, "Not passed yet", "33%", "Read these again", `href="/courses/desk-basics/greeting"`, `href="/courses/desk-basics/closing"`, "Retake the refresher")
		if contains(res.Body, `href="/courses/desk-basics/notes"`) {
			t.Fatal("a module without missed questions is listed to re-read")
		}
		mustStatus(t, "resent form", c.Post("/refresher/desk-basics", f), http.StatusSeeOther)

		// The retake is a new draw, led by the questions just missed.
		page = c.Get("/refresher/desk-basics").Body
		second := refresherForm(t, page)
		if second.Get("draw") == first.Get("draw") {
			t.Fatal("the retake reused the answered draw")
		}
		if i, j, k := strings.Index(page, "Kofi is on the phone"), strings.Index(page, "A guest asks when the repair"), strings.Index(page, "Which of these make a good first greeting"); i > k || j > k {
			t.Fatalf("missed questions do not come first: %d %d %d", i, j, k)
		}
		f = second
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
		res = c.Get(c.Post("/refresher/desk-basics", f).Location)
		// Inside the window: the cycle is kept, due 10 Mar 2027 + 1 year.
		mustContain(t, "passed refresher", res.Body, "Refresher completed", "10 Mar 2028", "View your certificate")
		mustContain(t, "dashboard after", c.Get("/").Body, "Completed", "next due 10 Mar 2028")
		if res := c.Get(failed); !contains(res.Body, "Not passed yet") || contains(res.Body, "Retake the refresher") {
			t.Fatalf("the old failed result still offers a retake after the pass:\n%s", res.Body)
		}

		// The certificate, its PDF and the public verification page.
		m := certRE.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("no certificate link")
		}
		cert := c.Get("/certificates/" + m[1]).Body
		mustContain(t, "certificate", cert, "Priya Raman", "Desk basics", "10 Feb 2027", "Valid until", "10 Mar 2028")
		code := codeRE.FindStringSubmatch(cert)[1]
		pdf := c.Get("/certificates/" + m[1] + "/pdf")
		if pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
			t.Fatalf("pdf: %s %.20q", pdf.Header.Get("Content-Type"), pdf.Body)
		}
		other := app.Client(t)
		app.AddUser(t, "Olek Nowak", "olek@example.com", auth.Learner, password)
		other.SignIn("olek@example.com", password)
		mustStatus(t, "someone else's certificate", other.Get("/certificates/"+m[1]), http.StatusNotFound)
		anon := app.Client(t)
		v := anon.Get("/verify/" + code)
		mustStatus(t, "verify", v, http.StatusOK)
		mustContain(t, "verify", v.Body, "Genuine and valid", "Priya Raman", "Desk basics", "10 Mar 2028")
		if contains(v.Body, "priya@example.com") || contains(v.Body, "Score") {
			t.Fatal("verification shows more than name, course and dates")
		}
		mustStatus(t, "unknown code", anon.Get("/verify/NOPE-NOPE-NOPE"), http.StatusNotFound)
		app.Clock.Set(time.Date(2028, 3, 11, 9, 0, 0, 0, time.UTC))
		mustContain(t, "expired", anon.Get("/verify?code="+strings.ToLower(code)).Body, "Genuine, but no longer valid")
		c.SignIn("priya@example.com", password)

		// The calendar feed: a private link, valid iCalendar, resettable.
		c.Post("/settings/calendar", nil)
		feedURL := calendarRE.FindStringSubmatch(c.Get("/settings").Body)
		if feedURL == nil {
			t.Fatal("no calendar link on the settings page")
		}
		path := strings.TrimPrefix(feedURL[1], app.URL)
		feed := anon.Get(path)
		mustStatus(t, "feed", feed, http.StatusOK)
		if !strings.HasPrefix(feed.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed type %q", feed.Header.Get("Content-Type"))
		}
		mustContain(t, "feed", feed.Body, "BEGIN:VCALENDAR\r\n", "DTSTART;VALUE=DATE:20280310\r\n", "UID:due-", "DTSTAMP:")
		c.Post("/settings/calendar", nil)
		mustStatus(t, "old feed after reset", anon.Get(path), http.StatusNotFound)

		e, err := app.Store.Enrolment(context.Background(), u.ID, mustCourseID(t, app))
		if err != nil || e.Cycle != 2 || e.NextDueAt.Format("2006-01-02") != "2028-03-10" {
			t.Fatalf("enrolment = %+v, %v", e, err)
		}
	})
}

func courseID(t *testing.T, app *apptest.App) string {
	t.Helper()
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(itoa64(mustCourseID(t, app))), "+"))
}

func mustCourseID(t *testing.T, app *apptest.App) int64 {
	t.Helper()
	row, err := app.Store.CourseBySlug(context.Background(), "desk-basics")
	if err != nil {
		t.Fatal(err)
	}
	return row.ID
}

func itoa64(n int64) string { return strconvFormat(n) }

func TestMailSettingsUnsubscribeAndOutboxPage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		u := app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		app.AddUser(t, "Ada Admin", "ada@example.com", auth.Admin, password)
		c := app.Client(t)
		c.SignIn("mei@example.com", password)
		mustContain(t, "settings", c.Get("/settings").Body, `value="all" checked`, "Create my calendar address")
		mustStatus(t, "choose digest", c.Post("/settings/mail", url.Values{"mail": {"digest"}}), http.StatusSeeOther)
		mustContain(t, "settings", c.Get("/settings").Body, `value="digest" checked`)
		mustStatus(t, "bad choice", c.Post("/settings/mail", url.Values{"mail": {"none"}}), http.StatusBadRequest)
		mustStatus(t, "outbox for a learner", c.Get("/admin/outbox"), http.StatusForbidden)

		// The List-Unsubscribe link works without signing in.
		ctx := context.Background()
		if err := app.Store.SetMailPref(ctx, u.ID, store.MailAll, app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		us, err := app.Store.EnsureSettings(ctx, u.ID, "unused", app.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		anon := app.Client(t)
		mustContain(t, "unsubscribe page", anon.Get("/unsubscribe/"+us.UnsubscribeToken).Body, "Weekly digest only")
		mustContain(t, "unsubscribed", anon.Post("/unsubscribe/"+us.UnsubscribeToken, nil).Body, "Done")
		if us, _ := app.Store.EnsureSettings(ctx, u.ID, "unused", app.Clock.Now()); us.MailPref != store.MailDigest {
			t.Fatalf("mail choice = %q", us.MailPref)
		}
		mustStatus(t, "unknown unsubscribe link", anon.Get("/unsubscribe/nope"), http.StatusNotFound)

		// RFC 8058: a mail client's one-click POST carries no CSRF token and
		// still works; any other token-less POST there is refused.
		if err := app.Store.SetMailPref(ctx, u.ID, store.MailAll, app.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		client := app.Client(t)
		mustStatus(t, "POST without token or one-click", client.Post("/unsubscribe/"+us.UnsubscribeToken, url.Values{"_csrf": {""}}), http.StatusForbidden)
		mustStatus(t, "one-click", client.Post("/unsubscribe/"+us.UnsubscribeToken, url.Values{"_csrf": {""}, "List-Unsubscribe": {"One-Click"}}), http.StatusOK)
		if us, _ := app.Store.EnsureSettings(ctx, u.ID, "unused", app.Clock.Now()); us.MailPref != store.MailDigest {
			t.Fatalf("after one-click, mail choice = %q", us.MailPref)
		}

		a := app.Client(t)
		a.SignIn("ada@example.com", password)
		mustContain(t, "outbox", a.Get("/admin/outbox").Body, "No mail server is configured", "No mail yet")
	})
}

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

// One refresher draw sent from several tabs at once, each form with its own
// key, stores one attempt: the others roll back and answer with it.
func TestRefresherDrawSentFromTabsAtOnceStoresOneAttempt(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		course := parsedFixture(t)
		u := app.AddUser(t, "Aroha Ngata", "aroha@example.com", auth.Learner, password)
		c := app.Client(t)
		c.SignIn("aroha@example.com", password)
		completeFixture(t, c, course)
		app.Clock.Set(time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC))
		c.SignIn("aroha@example.com", password)
		f := refresherForm(t, c.Get("/refresher/desk-basics").Body)
		f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Catch the guest"))
		f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
		f.Add("q.good-greeting", choice(t, course, "greeting", "good-greeting", "ten seconds"))
		f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "technician"))
		const tabs = 8
		results := make(chan apptest.Response, tabs)
		for i := range tabs {
			form := url.Values{}
			for k, v := range f {
				form[k] = v
			}
			form.Set("key", "tab-"+strconv.Itoa(i)+"-aaaaaaaaaaaaaaaa")
			go func() {
				res, err := c.TryPost("/refresher/desk-basics", form)
				if err != nil {
					t.Error(err)
				}
				results <- res
			}()
		}
		where := map[string]int{}
		for range tabs {
			res := <-results
			if res.Status != http.StatusSeeOther {
				t.Fatalf("a tab got %d:\n%s", res.Status, res.Body)
			}
			where[res.Location]++
		}
		if len(where) != 1 {
			t.Fatalf("the tabs were sent to %d different attempts: %v", len(where), where)
		}
		row, _ := app.Store.CourseBySlug(context.Background(), "desk-basics")
		as, err := app.Store.AttemptsOfUser(context.Background(), u.ID, row.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		refreshers := 0
		for _, a := range as {
			if a.ModuleSlug == "" {
				refreshers++
			}
		}
		cs, err := app.Store.Completions(context.Background(), u.ID, row.ID)
		if err != nil || refreshers != 1 || len(cs) != 2 {
			t.Fatalf("refresher attempts %d, completions %d (%v); want 1 and 2", refreshers, len(cs), err)
		}
	})
}
