package web_test

import (
	"context"
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
	"github.com/frontline-lms/frontline/app/mail/mailtest"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

var (
	resetLinkRE  = regexp.MustCompile(`http://[^\s"]+(/reset/[A-Za-z0-9_-]+)`)
	inviteMailRE = regexp.MustCompile(`http://[^\s"]+(/invite/[A-Za-z0-9_-]+)`)
)

// startWithMail runs the app with a real SMTP server on loopback.
func startWithMail(t *testing.T, db *database.DB) (*apptest.App, *mailtest.Server) {
	srv := mailtest.Start(t)
	return apptest.Start(t, db, apptest.Options{Content: fixture, Env: srv.Env()}), srv
}

// drain sends what the outbox holds through the real SMTP exchange.
func drain(t *testing.T, app *apptest.App) {
	t.Helper()
	if _, err := app.Jobs.Drain(context.Background(), app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// Recovery by mail, end to end: the same answer for a known and an unknown
// address, one mail through SMTP, a link stored only as its hash and
// scrubbed from the outbox once sent, a new password that ends every other
// session, and a link that works once and expires.
func TestPasswordRecoveryByMail(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app, srv := startWithMail(t, db)
		app.AddUser(t, "Ann Lee", "ann@example.com", auth.Learner, password)
		elsewhere := app.Client(t)
		elsewhere.SignIn("ann@example.com", password)
		mustStatus(t, "ann's other browser", elsewhere.Get("/"), http.StatusOK)

		c := app.Client(t)
		mustContain(t, "sign-in page", c.Get("/login").Body, `href="/forgot"`)
		mustContain(t, "forgot page", c.Get("/forgot").Body, "Mail me a link")
		known := c.Post("/forgot", url.Values{"email": {"Ann@Example.com"}})
		mustStatus(t, "known address", known, http.StatusOK)
		unknown := c.Post("/forgot", url.Values{"email": {"nobody@example.com"}})
		mustStatus(t, "unknown address", unknown, http.StatusOK)
		same := func(body, email string) string {
			return strings.ReplaceAll(csrfValue.ReplaceAllString(body, ""), email, "ADDRESS")
		}
		if same(known.Body, "Ann@Example.com") != same(unknown.Body, "nobody@example.com") {
			t.Fatalf("the answers differ:\n%s\n---\n%s", known.Body, unknown.Body)
		}
		mustStatus(t, "empty address", c.Post("/forgot", url.Values{"email": {" "}}), http.StatusUnprocessableEntity)

		drain(t, app)
		msgs := srv.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != "ann@example.com" || msgs[0].Subject != "Reset your Frontline password" {
			t.Fatalf("mail sent: %+v", msgs)
		}
		m := resetLinkRE.FindStringSubmatch(msgs[0].Text)
		if m == nil || !strings.Contains(msgs[0].HTML, m[1]) {
			t.Fatalf("no reset link in the mail:\n%s\n%s", msgs[0].Text, msgs[0].HTML)
		}
		link := m[1]
		token := strings.TrimPrefix(link, "/reset/")
		// The database holds the link's hash, and the sent mail no longer.
		if _, err := app.Store.UsableToken(ctx, token, store.PurposeReset, app.Clock.Now()); err == nil {
			t.Fatal("the raw token is stored")
		}
		if _, err := app.Store.UsableToken(ctx, auth.HashToken(token), store.PurposeReset, app.Clock.Now()); err != nil {
			t.Fatalf("the token's hash is not stored: %v", err)
		}
		sent, err := app.Store.Outbox(ctx, store.OutboxSent, 10)
		if err != nil || len(sent) != 1 || strings.Contains(sent[0].Text+sent[0].HTML, token) || sent[0].Text != store.SentSecretBody {
			t.Fatalf("the sent mail kept its link (%v): %+v", err, sent)
		}
		if n, e := audited(t, app, people.ActionResetRequest); n != 2 || e.Detail != "no such account: nothing sent" {
			t.Fatalf("%d reset requests audited, newest %+v", n, e)
		}

		mustContain(t, "reset page", c.Get(link).Body, "Ann Lee", "ann@example.com")
		bad := c.Post(link, url.Values{"password": {"a new password"}, "confirm": {"another one!"}})
		mustStatus(t, "passwords differ", bad, http.StatusUnprocessableEntity)
		mustContain(t, "passwords differ", bad.Body, "The two passwords differ")
		res := c.Post(link, url.Values{"password": {"a new password"}, "confirm": {"a new password"}})
		mustStatus(t, "reset", res, http.StatusSeeOther)
		mustStatus(t, "signed in after the reset", c.Get("/"), http.StatusOK)
		mustStatus(t, "the other browser after the reset", elsewhere.Get("/"), http.StatusSeeOther)
		mustContain(t, "the link again", c.Post(link, url.Values{"password": {"third password!"}, "confirm": {"third password!"}}).Body, "has been used or has expired")
		if n, _ := audited(t, app, people.ActionReset); n != 1 {
			t.Fatalf("%d resets audited", n)
		}
		fresh := app.Client(t)
		fresh.Get("/login")
		mustStatus(t, "the old password", fresh.Post("/login", url.Values{"email": {"ann@example.com"}, "password": {password}}), http.StatusUnauthorized)
		fresh.SignIn("ann@example.com", "a new password")

		// A second link expires after auth.ResetLifetime.
		c = app.Client(t)
		c.Get("/forgot")
		c.Post("/forgot", url.Values{"email": {"ann@example.com"}})
		drain(t, app)
		if msgs = srv.Messages(); len(msgs) != 2 {
			t.Fatalf("%d mails", len(msgs))
		}
		late := resetLinkRE.FindStringSubmatch(msgs[1].Text)[1]
		app.Clock.Advance(auth.ResetLifetime + time.Second)
		mustStatus(t, "an expired link", c.Get(late), http.StatusNotFound)
	})
}

var csrfValue = regexp.MustCompile(`name="_csrf" value="[^"]+"`)

// Recovery is limited per address and account (the page refuses the
// fourth request in the window), and per account however many addresses
// ask: at most auth.MaxResetLinks mails an hour.
func TestPasswordRecoveryIsRateLimited(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		srv := mailtest.Start(t)
		app := apptest.Start(t, db, apptest.Options{Content: fixture,
			Env: merge(srv.Env(), map[string]string{"FRONTLINE_TRUSTED_PROXIES": "127.0.0.1"})})
		app.AddUser(t, "Ann Lee", "ann@example.com", auth.Learner, password)
		c := behind(t, app, "203.0.113.7")
		for i := range auth.MaxResetRequests {
			mustStatus(t, "request "+strconv.Itoa(i+1), c.Post("/forgot", url.Values{"email": {"ann@example.com"}}), http.StatusOK)
		}
		res := c.Post("/forgot", url.Values{"email": {"ann@example.com"}})
		mustStatus(t, "one request too many", res, http.StatusTooManyRequests)
		mustContain(t, "one request too many", res.Body, "Too many requests from here", `value="ann@example.com"`)
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		for i := range 3 {
			other := behind(t, app, "198.51.100."+strconv.Itoa(i+1))
			mustStatus(t, "from elsewhere", other.Post("/forgot", url.Values{"email": {"ann@example.com"}}), http.StatusOK)
		}
		drain(t, app)
		if n := len(srv.Messages()); n != auth.MaxResetLinks {
			t.Fatalf("%d mails for one account in an hour, want %d", n, auth.MaxResetLinks)
		}
		if n, _ := audited(t, app, people.ActionResetThrottled); n != 1 {
			t.Fatalf("%d throttled requests audited", n)
		}
	})
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Without mail, the forgotten-password page says whom to ask and sends
// nothing, whatever is posted.
func TestPasswordRecoveryWithoutMailSaysWhomToAsk(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Ann Lee", "ann@example.com", auth.Learner, password)
		c := app.Client(t)
		c.Get("/login")
		mustContain(t, "forgot page", c.Get("/forgot").Body, "Ask your manager or an administrator")
		res := c.Post("/forgot", url.Values{"email": {"ann@example.com"}})
		mustStatus(t, "posted anyway", res, http.StatusServiceUnavailable)
		mustContain(t, "posted anyway", res.Body, "Ask your manager or an administrator")
		if n, err := app.Store.OutboxCounts(context.Background()); err != nil || len(n) != 0 {
			t.Fatalf("outbox %v, %v", n, err)
		}
	})
}

// A manager issues a one-time sign-in link (with its QR code) for a person
// in a team they manage; using it signs the person in once and ends their
// other sessions. Other managers and learners may not, a deactivated
// person gets none, and both the issue and the use are audited.
func TestManagerIssuesASignInLink(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app := start(t, db)
		app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		nora := app.AddUser(t, "Nora Field", "nora@example.com", auth.Manager, password)
		app.AddUser(t, "Sam Stone", "sam@example.com", auth.Manager, password)
		ann := app.AddUser(t, "Ann Lee", "ann@example.com", auth.Learner, password)
		admin := actorOf(grace(t, app))
		north, err := app.People.CreateTeam(ctx, admin, 0, "North")
		if err != nil {
			t.Fatal(err)
		}
		leeds, err := app.People.CreateTeam(ctx, admin, north.ID, "Leeds")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.People.AddMember(ctx, admin, leeds.ID, "ann@example.com"); err != nil {
			t.Fatal(err)
		}
		if _, err := app.People.SetManager(ctx, admin, north.ID, nora.Email, true); err != nil {
			t.Fatal(err)
		}
		annElsewhere := app.Client(t)
		annElsewhere.SignIn("ann@example.com", password)

		path := "/people/" + strconv.FormatInt(ann.ID, 10) + "/signin-link"
		sam := app.Client(t)
		sam.SignIn("sam@example.com", password)
		mustStatus(t, "a manager of another team", sam.Post(path, nil), http.StatusForbidden)
		learner := app.Client(t)
		learner.SignIn("ann@example.com", password)
		mustStatus(t, "a learner", learner.Post("/people/"+strconv.FormatInt(nora.ID, 10)+"/signin-link", nil), http.StatusForbidden)

		nc := app.Client(t)
		nc.SignIn("nora@example.com", password)
		mustContain(t, "ann's page for her manager", nc.Get("/manage/people/"+strconv.FormatInt(ann.ID, 10)).Body, `action="`+path+`"`)
		res := nc.Post(path, nil)
		mustStatus(t, "issue", res, http.StatusOK)
		mustContain(t, "issue", res.Body, "Ann Lee", `<svg xmlns="http://www.w3.org/2000/svg"`, `aria-label="QR code of the link for Ann Lee"`, "for 60 minutes")
		link := signinRE.FindStringSubmatch(res.Body)[1]

		phone := app.Client(t)
		mustContain(t, "link page", phone.Get(link).Body, "You are signing in as <strong>Ann Lee</strong>")
		mustStatus(t, "use", phone.Post(link, nil), http.StatusSeeOther)
		mustStatus(t, "signed in on the phone", phone.Get("/"), http.StatusOK)
		mustStatus(t, "ann's other browser", annElsewhere.Get("/"), http.StatusSeeOther)
		again := app.Client(t)
		again.Get("/login")
		mustStatus(t, "the link twice", again.Post(link, nil), http.StatusNotFound)
		if n, e := audited(t, app, people.ActionLinkIssue); n != 1 || e.ActorID == nil || *e.ActorID != nora.ID || e.Target != "ann@example.com" {
			t.Fatalf("%d issues audited, newest %+v", n, e)
		}
		if n, e := audited(t, app, people.ActionLinkUse); n != 1 || e.ActorID == nil || *e.ActorID != ann.ID {
			t.Fatalf("%d uses audited, newest %+v", n, e)
		}
		// The sign-in was recorded for the people page.
		if u, err := app.Store.UserByID(ctx, ann.ID); err != nil || !u.LastSignInAt.Equal(store.Now(app.Clock.Now())) {
			t.Fatalf("last sign-in %v (%v)", u.LastSignInAt, err)
		}

		// The per-person limit, counting the one above.
		for i := 1; i < auth.MaxSignInLinks; i++ {
			mustStatus(t, "issue again", nc.Post(path, nil), http.StatusOK)
		}
		mustStatus(t, "one too many", nc.Post(path, nil), http.StatusTooManyRequests)

		gc := app.Client(t)
		gc.SignIn("grace@example.com", password)
		mustStatus(t, "deactivate", gc.Post("/admin/people/"+strconv.FormatInt(ann.ID, 10)+"/active", url.Values{"active": {"0"}}), http.StatusSeeOther)
		app.Clock.Advance(auth.LinkRateWindow)
		mustStatus(t, "a deactivated person", gc.Post(path, nil), http.StatusConflict)
	})
}

func grace(t *testing.T, app *apptest.App) *store.User {
	t.Helper()
	u, err := app.Store.UserByEmail(context.Background(), "grace@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func actorOf(u *store.User) store.Actor { return store.Actor{ID: u.ID, IP: "127.0.0.1"} }

// Settings: the password changes only with the current one, and the change
// ends every other session; the sessions list names each device, and "sign
// out everywhere else" ends the others at once on this instance, whatever
// its session cache read a moment before.
func TestSettingsPasswordAndSessions(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Ann Lee", "ann@example.com", auth.Learner, password)
		phone := app.Client(t)
		phone.Header = http.Header{"User-Agent": {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"}}
		phone.SignIn("ann@example.com", password)
		desk := app.Client(t)
		desk.Header = http.Header{"User-Agent": {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"}}
		desk.SignIn("ann@example.com", password)
		mustStatus(t, "the phone, read into the cache", phone.Get("/"), http.StatusOK)

		page := desk.Get("/settings").Body
		mustContain(t, "settings", page, "Chrome on Android", "Firefox on Windows <strong>(this browser)</strong>", "Sign out everywhere else")

		res := desk.Post("/settings/password", url.Values{"current": {"not my password"}, "password": {"a new password"}, "confirm": {"a new password"}})
		mustStatus(t, "wrong current password", res, http.StatusUnprocessableEntity)
		mustContain(t, "wrong current password", res.Body, "That is not your current password.")
		res = desk.Post("/settings/password", url.Values{"current": {password}, "password": {"short"}, "confirm": {"short"}})
		mustStatus(t, "short password", res, http.StatusUnprocessableEntity)
		mustContain(t, "short password", res.Body, "Use at least 10 characters.")

		mustStatus(t, "sign out elsewhere", desk.Post("/settings/sessions/others", nil), http.StatusSeeOther)
		mustStatus(t, "the phone after sign-out elsewhere", phone.Get("/"), http.StatusSeeOther)
		mustContain(t, "settings after", desk.Get("/settings?saved=sessions&ended=1").Body, "Signed out of 1 other browser")

		phone.SignIn("ann@example.com", password)
		mustStatus(t, "the phone again", phone.Get("/"), http.StatusOK)
		mustStatus(t, "change", desk.Post("/settings/password", url.Values{"current": {password}, "password": {"a new password"}, "confirm": {"a new password"}}), http.StatusSeeOther)
		mustStatus(t, "this browser after the change", desk.Get("/settings"), http.StatusOK)
		mustStatus(t, "the phone after the change", phone.Get("/"), http.StatusSeeOther)
		fresh := app.Client(t)
		fresh.SignIn("ann@example.com", "a new password")
		if n, _ := audited(t, app, people.ActionPassword); n != 1 {
			t.Fatalf("%d password changes audited", n)
		}
		if n, _ := audited(t, app, people.ActionSignOutOthers); n != 1 {
			t.Fatalf("%d sign-outs audited", n)
		}
	})
}

// With mail configured, the people page offers to invite everyone an
// import added; they are mailed one link each through SMTP, except someone
// without email, whose link and QR code are listed to hand over; a resend
// replaces the link, and an accepted invitation cannot be resent.
func TestInvitationsMailedInBulk(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app, srv := startWithMail(t, db)
		app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		news := []store.User{
			{Name: "Ann Lee", Email: "ann@example.com", Role: "learner", Active: true, CreatedAt: app.Clock.Now()},
			{Name: "Bo Chen", Email: "bo@example.com", Role: "learner", Active: true, CreatedAt: app.Clock.Now()},
			{Name: "Cy Diaz", Email: "cy@example.com", Role: "learner", Active: true, CreatedAt: app.Clock.Now()},
			{Name: "Dee Till", Username: "dee.till", Role: "learner", Active: true, CreatedAt: app.Clock.Now()},
		}
		if err := app.Store.InsertUsers(ctx, news); err != nil {
			t.Fatal(err)
		}
		gc := app.Client(t)
		gc.SignIn("grace@example.com", password)
		mustContain(t, "people page", gc.Get("/admin/people").Body, "4 people have never been invited", "Invite the 4 new people")
		res := gc.Post("/admin/people/invite-new", nil)
		mustStatus(t, "invite", res, http.StatusOK)
		mustContain(t, "invite", res.Body, "3 invitations mailed", "Bo Chen (bo@example.com)",
			"1 link to hand over", "These people have no email address", "<p>dee.till</p>", `aria-label="QR code of the link for Dee Till"`)
		if links := inviteRE.FindAllStringSubmatch(res.Body, -1); len(links) != 1 {
			t.Fatalf("%d invitation links shown, want only Dee's (the others were mailed)", len(links))
		}
		if strings.Contains(gc.Get("/admin/people").Body, "never been invited") {
			t.Fatal("still offered after inviting")
		}
		drain(t, app)
		msgs := srv.Messages()
		if len(msgs) != 3 {
			t.Fatalf("%d mails", len(msgs))
		}
		links := map[string]string{}
		for _, m := range msgs {
			links[m.To[0]] = inviteMailRE.FindStringSubmatch(m.Text)[1]
		}
		ann := app.Client(t)
		ann.Get(links["ann@example.com"])
		mustStatus(t, "accept", ann.Post(links["ann@example.com"], url.Values{"password": {"ann's password"}, "confirm": {"ann's password"}}), http.StatusSeeOther)
		mustStatus(t, "resend to someone who accepted", gc.Post("/admin/people/"+strconv.FormatInt(news[0].ID, 10)+"/invite", nil), http.StatusConflict)
		res = gc.Post("/admin/people/"+strconv.FormatInt(news[1].ID, 10)+"/invite", nil)
		mustStatus(t, "resend", res, http.StatusOK)
		mustContain(t, "resend", res.Body, "An invitation is on its way to Bo Chen")
		drain(t, app)
		if msgs = srv.Messages(); len(msgs) != 4 {
			t.Fatalf("%d mails after the resend", len(msgs))
		}
		mustStatus(t, "the first link after a resend", app.Client(t).Get(links["bo@example.com"]), http.StatusNotFound)
		bo := app.Client(t)
		mustStatus(t, "the resent link", bo.Get(inviteMailRE.FindStringSubmatch(msgs[3].Text)[1]), http.StatusOK)
	})
}

// Without mail, inviting the new people lists a link and a QR code for
// each to hand over.
func TestInvitationsWithoutMailListLinksAndCodes(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app := start(t, db)
		app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		if err := app.Store.InsertUsers(ctx, []store.User{
			{Name: "Ann Lee", Email: "ann@example.com", Role: "learner", Active: true, CreatedAt: app.Clock.Now()},
			{Name: "Bo Chen", Email: "bo@example.com", Role: "learner", Active: true, CreatedAt: app.Clock.Now()},
		}); err != nil {
			t.Fatal(err)
		}
		gc := app.Client(t)
		gc.SignIn("grace@example.com", password)
		res := gc.Post("/admin/people/invite-new", nil)
		mustStatus(t, "invite", res, http.StatusOK)
		mustContain(t, "invite", res.Body, "2 links to hand over", `aria-label="QR code of the link for Ann Lee"`, `aria-label="QR code of the link for Bo Chen"`)
		links := inviteRE.FindAllStringSubmatch(res.Body, -1)
		if len(links) != 2 {
			t.Fatalf("%d links", len(links))
		}
		mustContain(t, "a handed-over link", app.Client(t).Get(links[0][1]).Body, "Choose your password")
	})
}

// The people page: search by name or email, filters by team and role, and
// pages of 50 that follow each other without gaps or repeats.
func TestPeoplePageSearchesAndPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		app := start(t, db)
		g := app.AddUser(t, "Grace Hopper", "grace@example.com", auth.Admin, password)
		var us []store.User
		for i := range 120 {
			us = append(us, store.User{Name: "Person " + strconv.Itoa(1000+i), Email: "p" + strconv.Itoa(i) + "@example.com",
				Role: "learner", Active: true, CreatedAt: app.Clock.Now()})
		}
		us[7].Role, us[7].Name = "trainer", "Tess Trainer"
		if err := app.Store.InsertUsers(ctx, us); err != nil {
			t.Fatal(err)
		}
		team, err := app.People.CreateTeam(ctx, actorOf(g), 0, "Harbour")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.People.AddMember(ctx, actorOf(g), team.ID, "p42@example.com"); err != nil {
			t.Fatal(err)
		}
		gc := app.Client(t)
		gc.SignIn("grace@example.com", password)
		nextRE := regexp.MustCompile(`href="(/admin/people\?[^"]+)" rel="next"`)
		rowRE := regexp.MustCompile(`<td><a href="/manage/people/\d+">([^<]+)</a></td>`)
		seen := map[string]bool{}
		path := "/admin/people?role=learner"
		pages := 0
		for path != "" {
			body := gc.Get(html.UnescapeString(path)).Body
			for _, m := range rowRE.FindAllStringSubmatch(body, -1) {
				if seen[m[1]] {
					t.Fatalf("%s listed twice, on the page of %s", m[1], path)
				}
				seen[m[1]] = true
			}
			pages++
			path = ""
			if m := nextRE.FindStringSubmatch(body); m != nil {
				path = m[1]
			}
		}
		if len(seen) != 119 || pages != 3 || seen["Tess Trainer"] || seen["Grace Hopper"] {
			t.Fatalf("%d learners over %d pages", len(seen), pages)
		}
		mustContain(t, "search by email", gc.Get("/admin/people?q=P42@EXAMPLE").Body, "Person 1042")
		body := gc.Get("/admin/people?team=" + strconv.FormatInt(team.ID, 10)).Body
		if got := rowRE.FindAllStringSubmatch(body, -1); len(got) != 1 || got[0][1] != "Person 1042" {
			t.Fatalf("team filter: %v", got)
		}
		mustContain(t, "a percent sign is literal", gc.Get("/admin/people?q=%25").Body, "Nobody matches")
		mustStatus(t, "an unknown role", gc.Get("/admin/people?role=owner"), http.StatusBadRequest)

		res := gc.Post("/admin/people/"+strconv.FormatInt(us[7].ID, 10)+"/role", url.Values{"role": {"manager"}, "next": {"/admin/people?q=tess"}})
		mustStatus(t, "change role", res, http.StatusSeeOther)
		if u, _ := app.Store.UserByID(ctx, us[7].ID); u.Role != "manager" {
			t.Fatalf("role %s", u.Role)
		}
		if n, e := audited(t, app, "user.role"); n != 1 || e.Detail != "trainer → manager" {
			t.Fatalf("%d role changes audited, newest %+v", n, e)
		}
		mustStatus(t, "the last admin made a learner", gc.Post("/admin/people/"+strconv.FormatInt(g.ID, 10)+"/role", url.Values{"role": {"learner"}}), http.StatusBadRequest)
		mustStatus(t, "no such role", gc.Post("/admin/people/"+strconv.FormatInt(us[7].ID, 10)+"/role", url.Values{"role": {"owner"}}), http.StatusBadRequest)
	})
}
