package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

// output collects what a command prints from several goroutines and says
// when something new arrived, so a test waits for a line instead of sleeping.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{}
}

func newOutput() *output { return &output{written: make(chan struct{}, 1)} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	select {
	case o.written <- struct{}{}:
	default:
	}
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// startServer runs "frontline serve" until it listens, stops it as SIGTERM
// would, and returns everything it printed.
func startServer(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	out := newOutput()
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, nil, out, out, func(k string) string { return env[k] }) }()
	failSafe := time.NewTimer(2 * time.Minute) // a hung start fails the test instead of the whole run
	defer failSafe.Stop()
	for !strings.Contains(out.String(), `"msg":"listening"`) {
		select {
		case <-out.written:
		case code := <-exited:
			t.Fatalf("serve exited with %d before listening:\n%s", code, out)
		case <-failSafe.C:
			t.Fatalf("serve did not start:\n%s", out)
		}
	}
	stop()
	if code := <-exited; code != 0 {
		t.Fatalf("serve exited with %d:\n%s", code, out)
	}
	return out.String()
}

var setupLinkRE = regexp.MustCompile(`https?://\S+/setup/(\S+)`)

// setupToken returns the token of the setup link a start printed, or "".
func setupToken(t *testing.T, printed string) string {
	t.Helper()
	m := setupLinkRE.FindAllStringSubmatch(printed, -1)
	if len(m) > 1 {
		t.Fatalf("one start printed %d setup links:\n%s", len(m), printed)
	}
	if m == nil {
		return ""
	}
	return m[0][1]
}

// eachDSN runs fn on a fresh SQLite file and, when configured, a fresh
// PostgreSQL schema: the commands open the database themselves.
func eachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "frontline.db")) })
	if dsn := apptest.PostgresDSN(); dsn != "" {
		t.Run("pg", func(t *testing.T) { fn(t, apptest.PostgresSchema(t, dsn)) })
	}
}

func TestSetupLinkIsRetiredOnceSomeoneHasAnAccount(t *testing.T) {
	addBy := map[string][]string{
		"user add": {"user", "add", "--email", "ravi@example.com", "--name", "Ravi Shah", "--role", "admin"},
		"demo":     {"demo", "--learners", "0"},
		// Someone without email, added by username.
		"user add --username": {"user", "add", "--username", "Ravi.S", "--name", "Ravi Shah", "--role", "learner"},
	}
	for path, args := range addBy {
		t.Run(path, func(t *testing.T) {
			eachDSN(t, func(t *testing.T, dsn string) {
				env := map[string]string{"FRONTLINE_DATABASE_URL": dsn, "FRONTLINE_ADDR": "127.0.0.1:0",
					"FRONTLINE_BASE_URL": "https://learn.example.com", "FRONTLINE_LOG_FORMAT": "json", "FRONTLINE_LOG_LEVEL": "info"}

				first := setupToken(t, startServer(t, env))
				if first == "" {
					t.Fatal("the first start on an empty database printed no setup link")
				}
				second := setupToken(t, startServer(t, env))
				if second == "" || second == first {
					t.Fatalf("a second start with no accounts printed %q after %q; want a new link", second, first)
				}
				db, err := database.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				ppl := &people.Service{Store: store.New(db), BaseURL: env["FRONTLINE_BASE_URL"], Now: time.Now}
				if err := ppl.CheckSetup(context.Background(), first); !errors.Is(err, people.ErrLinkUsed) {
					t.Fatalf("the link of the first start still works after a second start: %v", err)
				}
				if err := ppl.CheckSetup(context.Background(), second); err != nil {
					t.Fatalf("the newest link does not work: %v", err)
				}

				if code, out, errOut := runCLI(t, env, args...); code != 0 {
					t.Fatalf("%s: exit %d\n%s%s", path, code, out, errOut)
				}
				if printed := startServer(t, env); setupToken(t, printed) != "" || strings.Contains(printed, "No accounts yet") {
					t.Fatalf("a start with accounts printed a setup link:\n%s", printed)
				}

				// The old link, opened in a browser, answers "not valid" and
				// creates nobody.
				app := apptest.Start(t, db, apptest.Options{})
				users, err := app.Store.CountUsers(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				c := app.Client(t)
				res := c.Get("/setup/" + second)
				if res.Status != http.StatusNotFound || !strings.Contains(res.Body, "has been used or has expired") {
					t.Fatalf("old setup link: status %d\n%s", res.Status, res.Body)
				}
				c.Get("/login") // a page with a form, for the CSRF token
				res = c.Post("/setup/"+second, url.Values{"name": {"Mallory"}, "email": {"mallory@example.com"},
					"password": {"correct horse battery"}, "confirm": {"correct horse battery"}})
				if res.Status != http.StatusNotFound {
					t.Fatalf("old setup link, submitted: status %d\n%s", res.Status, res.Body)
				}
				if n, err := app.Store.CountUsers(context.Background()); err != nil || n != users {
					t.Fatalf("the old setup link created an account: %d users, was %d (%v)", n, users, err)
				}
			})
		})
	}
}
