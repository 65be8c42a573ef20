package apptest

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/api"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/services"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/web"
	"github.com/frontline-lms/frontline/content"
)

// App is a Frontline server running on a loopback port for one test.
type App struct {
	URL     string
	DB      *database.DB
	Store   *store.Store
	Catalog *catalog.Catalog
	People  *people.Service
	Clock   *Clock
	Config  *config.Config
	Jobs    *jobs.Scheduler // not running: tests call it (Imports, Tick) when they want its work done
}

// Options change how Start builds the app.
type Options struct {
	Content fs.FS     // courses to import; the shipped content when nil
	Now     time.Time // the clock's start; 2026-03-10 09:00 UTC when zero
	Env     map[string]string
	Log     io.Writer // when set, the app logs here from debug level up (else to the test log, from warn)
	// Seed seeds the source of quiz draws and shuffles (1 when zero), so a
	// test meets the same quizzes on every run.
	Seed uint64
	// Localhost makes the base URL http://localhost:port instead of the
	// loopback address: browsers allow passkeys on localhost, never on an IP.
	Localhost bool
}

// Start imports the courses and serves the real router on 127.0.0.1.
func Start(t testing.TB, db *database.DB, o Options) *App {
	t.Helper()
	if o.Content == nil {
		o.Content = content.FS
	}
	if o.Now.IsZero() {
		o.Now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	if o.Localhost {
		base = "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	env := map[string]string{"FRONTLINE_BASE_URL": base, "FRONTLINE_DATABASE_URL": "unused", "FRONTLINE_LOG_LEVEL": "warn"}
	for k, v := range o.Env {
		env[k] = v
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	clock := NewClock(o.Now)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if o.Log != nil {
		log = slog.New(slog.NewTextHandler(o.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	svc := services.New(cfg, db, log, clock.Now)
	svc.Learning.Random = rand.NewPCG(max(o.Seed, 1), 0)
	if err := svc.Store.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Catalog.Import(context.Background(), o.Content, clock.Now()); err != nil {
		t.Fatal(err)
	}
	// As serve wires it (app/serve.go webDeps and apiDeps).
	programs, err := api.New(api.Deps{Config: cfg, Store: svc.Store, Catalog: svc.Catalog, Learning: svc.Learning,
		People: svc.People, Reports: svc.Reports, Log: log, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	app, err := web.New(web.Deps{Config: cfg, Store: svc.Store, Catalog: svc.Catalog, Learning: svc.Learning,
		People: svc.People, Reports: svc.Reports, Webhooks: svc.Webhooks, WakeJobs: svc.Jobs.Wake,
		Metrics: svc.Metrics.Handler(), Observe: svc.Metrics.Request, Log: log, Now: clock.Now, Programs: programs.Mount})
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() {
		app.ShutdownWithTimeout(5 * time.Second)
		programs.Close()
	})
	return &App{URL: base, DB: db, Store: svc.Store, Catalog: svc.Catalog, People: svc.People, Clock: clock, Config: cfg, Jobs: svc.Jobs}
}

// AddUser creates an active person with a password.
func (a *App) AddUser(t testing.TB, name, email string, role auth.Role, password string) *store.User {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{Name: name, Email: email, PasswordHash: hash, Role: string(role), Active: true, CreatedAt: store.Now(a.Clock.Now())}
	if err := a.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// testWriter sends the app's log lines to the test log, so they show only
// when a test fails.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

var _ io.Writer = testWriter{}
