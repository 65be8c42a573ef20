// Package services builds Frontline's services over one database, wired the
// same way for the server, the CLI and the tests: the one place that knows
// which service needs which. It holds no rules of its own.
package services

import (
	"log/slog"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/jobs"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/metrics"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
	"github.com/frontline-lms/frontline/app/xapi"
)

// Set is every service of one app instance.
type Set struct {
	Config   *config.Config
	DB       *database.DB
	Store    *store.Store
	Catalog  *catalog.Catalog
	Learning *learning.Service
	People   *people.Service
	Reports  *reports.Service
	Webhooks *webhooks.Service
	Jobs     *jobs.Scheduler  // reminders, digests, summaries, imports and the outbox; serve runs it
	Metrics  *metrics.Metrics // this instance's Prometheus registry
	Log      *slog.Logger
	Now      func() time.Time
}

// New builds the services over db. now may be nil (time.Now); tests pass a
// clock of their own.
func New(cfg *config.Config, db *database.DB, log *slog.Logger, now func() time.Time) *Set {
	if now == nil {
		now = time.Now
	}
	st := store.New(db)
	m := metrics.New(db, st, now)
	learn := &learning.Service{Store: st, Location: cfg.Location, XAPI: Recorder(cfg), Counted: m.Learning}
	cat := catalog.New(st, log, learn)
	ppl := &people.Service{Store: st, BaseURL: cfg.BaseURL, Now: now, Location: cfg.Location, Checks: auth.DefaultPool(cfg.SignInChecks),
		MailOn: cfg.SMTPHost != ""}
	signInMethods(ppl, cfg, log)
	return &Set{Config: cfg, DB: db, Store: st, Catalog: cat, Learning: learn,
		People:   ppl,
		Reports:  &reports.Service{Store: st, Catalog: cat, Learning: learn, Location: cfg.Location},
		Webhooks: &webhooks.Service{Store: st, Now: now},
		Jobs: &jobs.Scheduler{Store: st, Catalog: cat, Learning: learn, Sender: Sender(cfg),
			Webhooks: webhooks.NewSender(cfg.WebhookTimeout), XAPI: LRS(cfg),
			BaseURL: cfg.BaseURL, Location: cfg.Location, Log: log, Now: now, Ran: m.JobRan},
		Metrics: m,
		Log:     log, Now: now}
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

// Recorder is the xAPI recorder the configuration asks for, or nil when no
// LRS is configured (then no statement is even queued).
func Recorder(cfg *config.Config) *xapi.Recorder {
	if cfg.XAPIEndpoint == "" {
		return nil
	}
	return &xapi.Recorder{BaseURL: cfg.BaseURL, Actor: cfg.XAPIActor}
}

// LRS is the client of the configured Learning Record Store, or nil.
func LRS(cfg *config.Config) *xapi.Client {
	if cfg.XAPIEndpoint == "" {
		return nil
	}
	return xapi.NewClient(cfg.XAPIEndpoint, cfg.XAPIUsername, cfg.XAPIPassword)
}
