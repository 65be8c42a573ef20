// Package api is Frontline's HTTP surface for programs: the JSON API under
// /api/v1 (API tokens with scopes, RFC 9457 problem details, Idempotency-Key
// on writes, an OpenAPI 3.1 document written by hand and kept true by a
// test) and SCIM 2.0 provisioning under /scim/v2. It calls the same
// services as app/web and holds no SQL and no business rule of its own.
// Nothing imports it but main (and the test harness).
package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// Deps is what the API needs: the services app/services builds.
type Deps struct {
	Config   *config.Config
	Store    *store.Store
	Catalog  *catalog.Catalog
	Learning *learning.Service
	People   *people.Service
	Reports  *reports.Service
	Log      *slog.Logger
	Now      func() time.Time
}

// API holds the dependencies the handlers share.
type API struct {
	Deps
	limits *limiter
	usage  *people.UsageLog
	doc    []byte // the OpenAPI document, with the server URL filled in
}

// New builds the API and starts the writer of its audit rows (Close
// stops it). Mount puts its routes on the web server's app, ahead
// of the web's sessions and CSRF checks, which programs do not use.
func New(d Deps) (*API, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	doc, err := document(d.Config.BaseURL)
	if err != nil {
		return nil, err
	}
	a := &API{Deps: d, limits: newLimiter(d.Config.APIRate, time.Minute), doc: doc}
	if d.People != nil {
		a.usage = d.People.NewUsageLog()
	}
	return a, nil
}

// Close stops the writer of the audit rows of requests; call it after the
// server has finished its requests.
func (a *API) Close() {
	if a.usage != nil {
		a.usage.Close()
	}
}

// ctx is the context for database calls of a request (app/web sets it up
// with the request's deadline before any route runs).
func ctx(c *fiber.Ctx) context.Context { return c.UserContext() }
