// Package web is Frontline's HTTP surface on Fiber: routes.go is the one route
// table (each route states the role it needs), errors.go the one error
// handler, and one file per action. Handlers are thin: they read input, check
// access, call the store, catalog or learning service, and render.
package web

import (
	"context"
	"embed"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

//go:embed views/*.html
var viewFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is what the server needs; tests build it with a clock of their own.
type Deps struct {
	Config   *config.Config
	DB       *database.DB
	Store    *store.Store
	Catalog  *catalog.Catalog
	Learning *learning.Service
	People   *people.Service
	Reports  *reports.Service
	Jobs     *jobs.Scheduler // reminders and the outbox; serve runs it
	Log      *slog.Logger
	Now      func() time.Time
}

// Assemble builds the services the server runs on over one database, so the
// server and the tests wire them the same way. now may be nil (time.Now).
func Assemble(cfg *config.Config, db *database.DB, log *slog.Logger, now func() time.Time) Deps {
	if now == nil {
		now = time.Now
	}
	st := store.New(db)
	learn := &learning.Service{Store: st, Location: cfg.Location}
	d := Deps{Config: cfg, DB: db, Store: st, Catalog: catalog.New(st, log, learn), Learning: learn,
		People: &people.Service{Store: st, BaseURL: cfg.BaseURL, Now: now},
		Log:    log, Now: now}
	d.Reports = &reports.Service{Store: st, Catalog: d.Catalog, Learning: learn, Location: cfg.Location}
	d.Jobs = &jobs.Scheduler{Store: st, Catalog: d.Catalog, Learning: d.Learning, Sender: Sender(cfg),
		BaseURL: cfg.BaseURL, Location: cfg.Location, Log: log, Now: now}
	return d
}

// Sender is the SMTP sender the configuration names, or nil when there is
// none (mail then waits in the outbox).
func Sender(cfg *config.Config) mail.Sender {
	if cfg.SMTPHost == "" {
		return nil
	}
	return mail.NewSMTP(mail.Config{Host: cfg.SMTPHost, Port: cfg.SMTPPort, User: cfg.SMTPUser,
		Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS})
}

// Server holds the dependencies the handlers share.
type Server struct {
	Deps
	views   *views
	secrets []string // path prefixes whose next segment is a secret token
}

// New builds the Fiber app with every route. It fails if a template does not
// parse, so a broken view stops start-up instead of a page view.
func New(d Deps) (*fiber.App, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	v, err := loadViews(d.Config.Location)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, views: v}
	app := fiber.New(fiber.Config{
		AppName:               "Frontline",
		ErrorHandler:          s.handleError,
		BodyLimit:             d.Config.BodyLimit,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		// No ProxyHeader: c.IP() stays the peer's address. The client's
		// address behind trusted proxies is clientIP's (client_address.go).
	})
	s.routes(app)
	s.secrets = secretPrefixes(app)
	app.Server().HeaderReceived = s.requestConfig
	return app, nil
}

// ctx is the context for database calls of a request.
func ctx(c *fiber.Ctx) context.Context { return c.UserContext() }
