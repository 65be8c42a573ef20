package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// fixture is a small course in the shipped format: two modules with quizzes
// (single and multiple answer) and one without.
var fixture = fstest.MapFS{
	"desk-basics/course.md": {Data: []byte(`---
title: Desk basics
summary: Greeting and closing at the front desk.
refresher: 12 months
window: 30 days
pass: 80
---
A short course for the front desk.
`)},
	"desk-basics/01-greeting.md": {Data: []byte(`---
title: Greeting a guest
minutes: 3
---
Look up, smile and greet every guest within ten seconds, even when the phone is ringing.

See also [closing](03-closing.md).

## Quiz

### Kofi is on the phone when a guest walks up. What does he do? {#phone-and-guest}

- [ ] Finish the call, then look up

  The guest may wait a long time without knowing they were seen.

- [x] Catch the guest's eye, smile and signal he will be with them in a moment
- [ ] Put the caller on hold without a word

> A signal tells the guest they are seen while the caller is still served.

### Which of these make a good first greeting? (Choose all that apply) {#good-greeting}

- [x] Eye contact
- [x] A greeting in the first ten seconds
- [ ] Asking for the booking number before hello

> Warmth first, paperwork second.
`)},
	"desk-basics/02-notes.md": {Data: []byte(`---
title: Shift notes
---
Read the shift notes before you start: they tell you which guests were promised a call back.
`)},
	"desk-basics/03-closing.md": {Data: []byte(`---
title: Closing the conversation
---
End by saying what happens next and when.

## Quiz

### A guest asks when the repair will happen. What do you say? {#repair-when}

- [ ] "Soon"
- [x] "The technician comes at 3 pm; I will call you at 3:30 to check it worked"
- [ ] "I do not know"

> A time and a follow-up close the loop.
`)},
}

// parsedFixture gives the tests the choice IDs the server will expect.
func parsedFixture(t *testing.T) *courses.Course {
	t.Helper()
	c, problems := courses.ParseFS(fixture, "desk-basics")
	if c == nil {
		t.Fatalf("fixture does not parse: %v", problems)
	}
	return c
}

// choice returns the ID of the choice of question q whose text contains text.
func choice(t *testing.T, c *courses.Course, module, q, text string) string {
	t.Helper()
	m, _ := c.Module(module)
	question, ok := m.Question(q)
	if !ok {
		t.Fatalf("no question %s in %s", q, module)
	}
	for _, ch := range question.Choices {
		if contains(string(ch.HTML), text) {
			return ch.ID
		}
	}
	t.Fatalf("no choice %q in %s", text, q)
	return ""
}

// phoneCourse is a second course, refreshed every six months: one module
// without a quiz, so reading it completes the course.
var phoneCourse = fstest.MapFS{
	"phone-basics/course.md": {Data: []byte(`---
title: Phone basics
summary: Answering the phone.
refresher: 6 months
window: 14 days
pass: 80
---
`)},
	"phone-basics/01-answering.md": {Data: []byte(phoneModule)},
}

const phoneModule = `---
title: Answering
---
Answer within three rings.

Say the name of the shop, then your own.

Ask how you can help, and listen to the end.

Write the caller's number down before anything else.
`

// twoCourses is fixture plus phoneCourse.
func twoCourses() fstest.MapFS {
	fs := fstest.MapFS{}
	for _, m := range []fstest.MapFS{fixture, phoneCourse} {
		for k, v := range m {
			fs[k] = v
		}
	}
	return fs
}

// stateDay is the day the every-state organisation is looked at.
var stateDay = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// stateOrg is newOrg's organisation after a year of use, seen on stateDay:
// between them its learners stand in every state on Desk basics, and the
// Harbour team (inside North) also has Phone basics.
//
//	Wang   South    not started  assigned to all of Acme, due 29 Apr 2026
//	Ines   Harbour  in progress  read a module, failed a quiz today; Phone
//	                             basics assigned, not started
//	Zoë    North    completed    today, due 10 Mar 2027
//	Dev    Harbour  due soon     completed 25 Mar 2025, refresher open since
//	                             23 Feb 2026 and failed today (what he missed
//	                             comes back to practise tomorrow); Phone
//	                             basics completed today
//	Omar   North    overdue      assigned alone on 1 Jan 2026, due 15 Jan, never started
//	Eli    South    expired      completed 3 Feb 2025: overdue since 3 Feb
//	                             2026, certificate no longer valid
type stateOrg struct {
	*org
	harbour  *store.Team
	phoneID  int64
	people   map[courses.Status]*store.User // one person per state on Desk basics
	expired  *store.User
	omar     *store.User
	attempt  string            // a quiz result page: Ines's failed attempt
	refresh  string            // a refresher result page: Dev's failed refresher
	certs    map[string]string // certificate page by holder: "zoe", "eli"
	clientOf func(email string) *apptest.Client
}

// newStateOrg lives the year through the real routes with the app's clock.
func newStateOrg(t *testing.T, db *database.DB) *stateOrg {
	t.Helper()
	ctx := context.Background()
	o := &stateOrg{org: newOrgWith(t, db, apptest.Options{Content: twoCourses(), Now: time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC)}),
		certs: map[string]string{}}
	app := o.app
	o.clientOf = func(email string) *apptest.Client { return o.client(t, email) }
	var err error
	if o.harbour, err = app.Store.CreateTeam(ctx, o.north.ID, "Harbour", app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	phone, err := app.Store.CourseBySlug(ctx, "phone-basics")
	if err != nil {
		t.Fatal(err)
	}
	o.phoneID = phone.ID
	member := func(name, email string, team *store.Team) *store.User {
		u := app.AddUser(t, name, email, auth.Learner, password)
		if err := app.Store.SetTeam(ctx, u.ID, team.ID, app.Clock.Now(), time.UTC); err != nil {
			t.Fatal(err)
		}
		return u
	}
	ines := member("Ines Duarte", "ines@example.com", o.harbour)
	dev := member("Dev Patel", "dev@example.com", o.harbour)
	o.omar = member("Omar Haddad", "omar@example.com", o.north)
	o.expired = member("Eli Okoro", "eli@example.com", o.south)
	o.people = map[courses.Status]*store.User{courses.NotStarted: o.learnerTwo, courses.InProgress: ines,
		courses.Completed: o.learner, courses.DueSoon: dev, courses.Overdue: o.omar}
	course := parsedFixture(t)
	desk, phoneStr := strconv.FormatInt(o.courseID, 10), strconv.FormatInt(o.phoneID, 10)

	// 3 Feb 2025: Eli completes Desk basics; a year later it has lapsed.
	completeDeskBasics(t, app, o.clientOf("eli@example.com"))

	// 25 Mar 2025: Dev completes it, missing two questions on the way.
	app.Clock.Set(time.Date(2025, 3, 25, 9, 0, 0, 0, time.UTC))
	completeFixture(t, o.clientOf("dev@example.com"), course)

	// 1 Jan 2026: Omar is given two weeks.
	app.Clock.Set(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	nora := o.clientOf("nora@example.com")
	omarPage := "/manage/people/" + strconv.FormatInt(o.omar.ID, 10)
	mustStatus(t, "assign Omar", nora.Post(omarPage+"/assignments", assignForm(t, nora, omarPage, url.Values{"course": {desk}, "days": {"14"}})), http.StatusSeeOther)

	// 28 Feb 2026: Desk basics for everyone, Phone basics for Harbour.
	app.Clock.Set(time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC))
	admin := o.clientOf("admin@example.com")
	acme := "/manage/teams/" + strconv.FormatInt(o.acme.ID, 10)
	mustStatus(t, "assign Acme", admin.Post(acme+"/assignments", assignForm(t, admin, acme, url.Values{"course": {desk}, "days": {"60"}})), http.StatusSeeOther)
	harbour := "/manage/teams/" + strconv.FormatInt(o.harbour.ID, 10)
	nora = o.clientOf("nora@example.com")
	mustStatus(t, "assign Harbour", nora.Post(harbour+"/assignments", assignForm(t, nora, harbour, url.Values{"course": {phoneStr}, "days": {"60"}})), http.StatusSeeOther)

	// stateDay.
	app.Clock.Set(stateDay)
	zoe := o.clientOf("zoe@example.com")
	completeDeskBasics(t, app, zoe)
	o.certs["zoe"] = certificateLink(t, zoe)
	o.certs["eli"] = certificateLink(t, o.clientOf("eli@example.com"))

	in := o.clientOf("ines@example.com")
	in.Get("/courses/desk-basics/notes")
	mustStatus(t, "Ines reads", in.Post("/courses/desk-basics/notes/read", nil), http.StatusSeeOther)
	f := quizForm(t, in.Get("/courses/desk-basics/closing").Body)
	f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "Soon"))
	res := in.Post("/courses/desk-basics/closing/quiz", f)
	mustStatus(t, "Ines fails a quiz", res, http.StatusSeeOther)
	o.attempt = res.Location

	d := o.clientOf("dev@example.com")
	d.Get("/courses/phone-basics/answering")
	mustStatus(t, "Dev reads Phone basics", d.Post("/courses/phone-basics/answering/read", nil), http.StatusSeeOther)
	f = refresherForm(t, d.Get("/refresher/desk-basics").Body)
	f.Set("q.phone-and-guest", choice(t, course, "greeting", "phone-and-guest", "Finish the call"))
	f.Set("q.good-greeting", choice(t, course, "greeting", "good-greeting", "Eye contact"))
	f.Set("q.repair-when", choice(t, course, "closing", "repair-when", "Soon"))
	res = d.Post("/refresher/desk-basics", f)
	mustStatus(t, "Dev fails the refresher", res, http.StatusSeeOther)
	o.refresh = res.Location
	return o
}

var certificateRE = regexp.MustCompile(`/certificates/\d+`)

// certificateLink finds the person's latest Desk basics certificate page.
func certificateLink(t *testing.T, c *apptest.Client) string {
	t.Helper()
	res := c.Get("/certificate/desk-basics")
	mustStatus(t, "latest certificate", res, http.StatusSeeOther)
	if !certificateRE.MatchString(res.Location) {
		t.Fatalf("latest certificate leads to %q", res.Location)
	}
	return res.Location
}
