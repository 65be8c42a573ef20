package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

func TestSignInNeverRedirectsOffSite(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Mei Lin Tan", "mei@example.com", auth.Learner, password)
		c := app.Client(t)
		c.Get("/login?next=%2F%09%2Fevil.example")
		res := c.Post("/login", url.Values{"email": {"mei@example.com"}, "password": {password}, "next": {"/\t/evil.example"}})
		mustStatus(t, "sign in", res, http.StatusSeeOther)
		if res.Location != "/" {
			t.Fatalf("sign-in with next=/<tab>/evil.example went to %q", res.Location)
		}
		res = c.Get("/login?next=%2F%09%2Fevil.example")
		mustStatus(t, "signed-in visit to /login", res, http.StatusSeeOther)
		if res.Location != "/" {
			t.Fatalf("signed-in visit to /login?next=%%2F%%09%%2Fevil.example went to %q", res.Location)
		}
		if res = c.Get("/login?next=%2Fcourses%2Fdesk-basics%3Ftab%3Dquiz"); res.Location != "/courses/desk-basics?tab=quiz" {
			t.Fatalf("a same-site next with a query went to %q", res.Location)
		}
	})
}

func wrongPassword(email string) url.Values {
	return url.Values{"email": {email}, "password": {"not the password at all"}}
}

// audited counts the audit entries of an action, and returns the newest.
func audited(t *testing.T, app *apptest.App, action string) (int, *store.AuditEntry) {
	t.Helper()
	log, _, err := app.Store.AuditLog(context.Background(), store.AuditQuery{Action: action, Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var newest *store.AuditEntry
	for i := range log {
		if log[i].Action == action {
			if n == 0 {
				newest = &log[i].AuditEntry
			}
			n++
		}
	}
	return n, newest
}

// behind returns a browser whose requests reach the app through a reverse
// proxy on loopback that saw them come from addr.
func behind(t *testing.T, app *apptest.App, addr string) *apptest.Client {
	c := app.Client(t)
	c.Header = http.Header{"X-Forwarded-For": {addr}}
	c.Get("/login")
	return c
}

func TestParallelWrongPasswordsRunAtMostTheCapOfChecks(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := start(t, db)
		app.AddUser(t, "Olek Nowak", "olek@example.com", auth.Learner, password)
		const n = 60
		clients := make([]*apptest.Client, n)
		for i := range clients {
			clients[i] = app.Client(t)
			clients[i].Get("/login")
		}
		statuses := make([]int, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Go(func() {
				res, err := c.TryPost("/login", wrongPassword("olek@example.com"))
				statuses[i], errs[i] = res.Status, err
			})
		}
		wg.Wait()
		count := map[int]int{}
		for i := range n {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			count[statuses[i]]++
		}
		// The rest are refused: throttled (429), or turned away busy (503)
		// before reaching the throttle when the checks' queue is full.
		refused := count[http.StatusTooManyRequests] + count[http.StatusServiceUnavailable]
		if count[http.StatusUnauthorized] != auth.MaxPairFailures || refused != n-auth.MaxPairFailures || count[http.StatusTooManyRequests] == 0 {
			t.Fatalf("%d parallel wrong passwords got %v; want %d checked (401) and the rest refused (429, or 503 when busy)", n, count, auth.MaxPairFailures)
		}
		// The audit log counts the checks that really ran: one failure each.
		failures, _ := audited(t, app, people.ActionSignInFailure)
		throttled, last := audited(t, app, people.ActionSignInThrottled)
		if failures != auth.MaxPairFailures || throttled != count[http.StatusTooManyRequests] {
			t.Fatalf("audit: %d failures and %d throttled; want %d and %d", failures, throttled, auth.MaxPairFailures, count[http.StatusTooManyRequests])
		}
		if last.Target != "olek@example.com" || last.IP != "127.0.0.1" || !strings.Contains(last.Detail, auth.ThrottledPair) {
			t.Fatalf("throttled entry = %+v", last)
		}
	})
}

func TestRightPasswordFromACleanAddressWorksWhileTheAccountIsAttacked(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{Content: fixture, Env: map[string]string{"FRONTLINE_TRUSTED_PROXIES": "127.0.0.1/32"}})
		olek := app.AddUser(t, "Olek Nowak", "olek@example.com", auth.Learner, password)

		// Eight addresses guess, five times each. The first two use up
		// their own allowance; by then the account has enough failures
		// that every other address is slowed after its first miss.
		var retryAfter string
		for i := 1; i <= 8; i++ {
			attacker := behind(t, app, "203.0.113."+strconv.Itoa(i))
			for try := 1; try <= auth.MaxPairFailures; try++ {
				res := attacker.Post("/login", wrongPassword("olek@example.com"))
				want := http.StatusUnauthorized
				if i > 2 && try > 1 {
					want = http.StatusTooManyRequests
				}
				mustStatus(t, "attacker "+strconv.Itoa(i)+" try "+strconv.Itoa(try), res, want)
				if want == http.StatusTooManyRequests {
					retryAfter = res.Header.Get("Retry-After")
				}
			}
		}
		wait, err := strconv.Atoi(retryAfter)
		if err != nil || wait < 1 {
			t.Fatalf("a slowed address got Retry-After %q", retryAfter)
		}

		// Olek, from an address that has not failed, is let in at once.
		res := behind(t, app, "198.51.100.7").Post("/login", url.Values{"email": {"olek@example.com"}, "password": {password}})
		mustStatus(t, "the real user from a clean address", res, http.StatusSeeOther)
		if _, e := audited(t, app, people.ActionSignInSuccess); e == nil || e.IP != "198.51.100.7" || e.ActorID == nil || *e.ActorID != olek.ID {
			t.Fatalf("success entry = %+v", e)
		}

		// A slowed address may try again once its wait is over: slowed,
		// not blocked.
		app.Clock.Advance(time.Duration(wait) * time.Second)
		mustStatus(t, "the last attacker after its wait", behind(t, app, "203.0.113.8").Post("/login", wrongPassword("olek@example.com")), http.StatusUnauthorized)
		mustStatus(t, "and at once again", behind(t, app, "203.0.113.8").Post("/login", wrongPassword("olek@example.com")), http.StatusTooManyRequests)
	})
}

func TestTrustedProxiesDecideTheClientAddress(t *testing.T) {
	cases := []struct {
		name    string
		trusted string
		xff     []string
		want    string
	}{
		{"no proxies trusted: the header is ignored", "", []string{"203.0.113.9"}, "127.0.0.1"},
		{"an untrusted peer's header is ignored", "10.0.0.0/8", []string{"203.0.113.9"}, "127.0.0.1"},
		{"a trusted peer's header is believed", "127.0.0.1/32", []string{"203.0.113.9"}, "203.0.113.9"},
		{"what the client wrote before the proxy's entry is not", "127.0.0.1/32", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"a chain of trusted proxies is skipped", "127.0.0.0/8, 10.0.0.0/8", []string{"198.51.100.1, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"several header lines read as one list", "127.0.0.1/32", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},
		{"a trusted peer without the header", "127.0.0.1/32", nil, "127.0.0.1"},
	}
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		for i, c := range cases {
			app := apptest.Start(t, db, apptest.Options{Content: fixture, Env: map[string]string{"FRONTLINE_TRUSTED_PROXIES": c.trusted}})
			email := "person" + strconv.Itoa(i) + "@example.com"
			app.AddUser(t, "Person", email, auth.Learner, password)
			b := app.Client(t)
			b.Header = http.Header{"X-Forwarded-For": c.xff}
			b.SignIn(email, password)
			if _, e := audited(t, app, people.ActionSignInSuccess); e == nil || e.Target != email || e.IP != c.want {
				t.Errorf("%s: sign-in audited as %+v, want address %s", c.name, e, c.want)
			}
		}

		// Untrusted, a forged header does not buy a fresh allowance.
		app := apptest.Start(t, db, apptest.Options{Content: fixture})
		app.AddUser(t, "Olek Nowak", "olek@example.com", auth.Learner, password)
		for i := range auth.MaxPairFailures {
			mustStatus(t, "failure", behind(t, app, "203.0.113."+strconv.Itoa(i+1)).Post("/login", wrongPassword("olek@example.com")), http.StatusUnauthorized)
		}
		res := behind(t, app, "198.51.100.7").Post("/login", url.Values{"email": {"olek@example.com"}, "password": {password}})
		mustStatus(t, "a forged X-Forwarded-For from an untrusted peer", res, http.StatusTooManyRequests)
	})
}

// A shop's staff share one address (the shop's NAT) and arrive together at
// shift start, some mistyping first: each person's own mistakes are theirs,
// and the shop's are many more than one attacker's guesses on one account
// would be, so nobody with the right password is refused.
func TestAShopBehindOneAddressSignsInTogether(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{Content: fixture, Env: map[string]string{"FRONTLINE_TRUSTED_PROXIES": "127.0.0.1/32"}})
		const staff = 40
		// Room for everyone in the checks' queue: this is about the
		// throttle; a full queue's busy answer is signin_rush_test's.
		app.People.Checks = auth.NewPool(1, staff, time.Minute)
		clients := make([]*apptest.Client, staff)
		emails := make([]string, staff)
		for i := range staff {
			emails[i] = "till" + strconv.Itoa(i) + "@example.com"
			app.AddUser(t, "Till "+strconv.Itoa(i), emails[i], auth.Learner, password)
			clients[i] = behind(t, app, "198.51.100.7")
		}
		// Most of the shop mistypes once: 35 failures from the address.
		for i := range 35 {
			mustStatus(t, "a typo", clients[i].Post("/login", wrongPassword(emails[i])), http.StatusUnauthorized)
		}
		statuses := make([]int, staff)
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Go(func() {
				res, err := c.TryPost("/login", url.Values{"email": {emails[i]}, "password": {password}})
				if err == nil {
					statuses[i] = res.Status
				}
			})
		}
		wg.Wait()
		for i, s := range statuses {
			if s != http.StatusSeeOther {
				t.Fatalf("%s, right password from the shop's address: %d, want 303 (all: %v)", emails[i], s, statuses)
			}
		}
	})
}
