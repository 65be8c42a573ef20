package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/frontline-lms/frontline/app/api"
	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/services"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/web"
	"github.com/frontline-lms/frontline/content"
)

// env is what every database command opens: config, logger, database, store.
type env struct {
	cfg *config.Config
	log *slog.Logger
	db  *database.DB
	st  *store.Store
}

func open(ctx context.Context, name string, args []string, stderr io.Writer, getenv func(string) string) (*env, error) {
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return nil, err
	}
	log := newLogger(stderr, cfg.LogFormat, cfg.LogLevel).With("cmd", name)
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		log.Info("applied migration", "migration", m)
	}
	if err := db.Optimize(ctx, true); err != nil {
		log.Warn("unable to refresh planner statistics", "err", err)
	}
	return &env{cfg: cfg, log: log, db: db, st: store.New(db)}, nil
}

func contentFS(cfg *config.Config) fs.FS {
	if cfg.ContentDir != "" {
		return os.DirFS(cfg.ContentDir)
	}
	return content.FS
}

func serve(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	logs := newLineBuffer(stderr)
	logCtx, stopLogs := context.WithCancel(context.Background())
	logsDone := make(chan struct{})
	go func() {
		defer close(logsDone)
		logs.run(logCtx) // flushes once more when serve returns
	}()
	defer func() {
		stopLogs()
		<-logsDone
	}()
	e, err := open(ctx, "serve", args, logs, getenv)
	if err != nil {
		return err
	}
	defer e.db.Close()
	svc := services.New(e.cfg, e.db, e.log, time.Now)
	if err := svc.Store.Prepare(ctx); err != nil {
		return err
	}
	rep, err := svc.Catalog.Import(ctx, contentFS(e.cfg), time.Now())
	if err != nil {
		return err
	}
	e.log.Info("courses loaded", "published", len(rep.Published), "unchanged", len(rep.Unchanged), "with_errors", len(rep.Broken))
	_ = logs.Flush() // the lines so far, before the setup link below
	if link, err := svc.People.SetupLink(ctx); err != nil {
		return err
	} else if link != "" {
		fmt.Fprintf(stderr, "\nNo accounts yet. Create the first admin account here (the link works once, for %d hours,\n"+
			"and only until someone has an account; starting again prints a new one):\n\n    %s\n\n", int(auth.SetupLifetime.Hours()), link)
	}
	deps := webDeps(svc)
	programs, err := api.New(apiDeps(svc))
	if err != nil {
		return err
	}
	defer programs.Close() // after the server below has shut down: deferred calls run last in, first out
	deps.Programs = programs.Mount
	app, err := web.New(deps)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("unable to listen on %s: %w", e.cfg.Addr, err)
	}
	e.log.Info("listening", "addr", ln.Addr().String(), "url", e.cfg.BaseURL, "database", string(e.db.Dialect))
	go housekeeping(ctx, e.db, e.st, e.log)
	if e.cfg.PprofAddr != "" {
		if err := servePprof(ctx, e.cfg.PprofAddr, e.log); err != nil {
			return fmt.Errorf("unable to serve the profiler on %s: %w", e.cfg.PprofAddr, err)
		}
	}
	if svc.Jobs.Sender == nil {
		e.log.Warn("no SMTP server configured (FRONTLINE_SMTP_HOST): reminder mail waits in the outbox until one is")
	}
	// Background work (an import half-way, a reminder sweep) stops at a
	// safe point, and the process waits for it, whichever way serve ends.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		svc.Jobs.Run(jobsCtx)
	}()
	defer func() {
		stopJobs()
		<-jobsDone
	}()
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	e.log.Info("shutting down: finishing requests in flight and background work")
	if err := app.ShutdownWithTimeout(30 * time.Second); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// housekeeping drops expired sessions, stale sign-in attempts and unfinished
// single sign-on and passkey challenges, and keeps
// SQLite's planner statistics fresh. Every instance may run it: each step is
// idempotent.
func housekeeping(ctx context.Context, db *database.DB, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		now := time.Now()
		if n, err := st.DeleteExpiredSessions(ctx, now); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("unable to delete expired sessions", "err", err)
		} else if n > 0 {
			log.Info("deleted expired sessions", "count", n)
		}
		if err := st.DeleteSignInsBefore(ctx, now.Add(-auth.ThrottleWindow)); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("unable to delete old sign-in attempts", "err", err)
		}
		// An Idempotency-Key protects a retry for a day, as the IETF draft
		// suggests; older keys only take room.
		if _, err := st.DeleteIdempotencyKeysBefore(ctx, now.Add(-24*time.Hour)); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("unable to delete old idempotency keys", "err", err)
		}
		if err := st.DeleteExpiredChallenges(ctx, now); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("unable to delete expired sign-in challenges", "err", err)
		}
		if err := db.Optimize(ctx, false); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("unable to refresh planner statistics", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// webDeps hands the web server the services it uses, and the job runner's
// wake-up as a plain function: web imports neither jobs, mail nor database.
func webDeps(svc *services.Set) web.Deps {
	return web.Deps{Config: svc.Config, Store: svc.Store, Catalog: svc.Catalog, Learning: svc.Learning,
		People: svc.People, Reports: svc.Reports, Webhooks: svc.Webhooks, WakeJobs: svc.Jobs.Wake,
		Metrics: svc.Metrics.Handler(), Observe: svc.Metrics.Request, Log: svc.Log, Now: svc.Now}
}

// apiDeps hands the API the same services as the web.
func apiDeps(svc *services.Set) api.Deps {
	return api.Deps{Config: svc.Config, Store: svc.Store, Catalog: svc.Catalog, Learning: svc.Learning,
		People: svc.People, Reports: svc.Reports, Log: svc.Log, Now: svc.Now}
}
