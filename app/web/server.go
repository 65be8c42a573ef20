// Package web is Frontline's HTTP surface on Fiber: routes.go is the one route
// table (each route states the role it needs), errors.go the one error
// handler, and one file per action. Handlers are thin: they read input, check
// access, call the store, catalog or learning service, and render.
package web

import (
	"context"
	"embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/config"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
)

//go:embed views/*.html
var viewFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is what the server needs: the services, and two hooks into what
// runs beside it (app/services wires them; web imports neither the jobs,
// mail nor database packages).
type Deps struct {
	Config   *config.Config
	Store    *store.Store
	Catalog  *catalog.Catalog
	Learning *learning.Service
	People   *people.Service
	Reports  *reports.Service
	Webhooks *webhooks.Service
	WakeJobs func() // work was queued for the job runner (a confirmed import)
	// Metrics serves /metrics (nil: no metrics); Observe hears of every
	// answered request by route pattern. app/metrics provides both.
	Metrics http.Handler
	Observe func(method, route string, status int, d time.Duration)
	// Programs mounts the routes for programs (app/api: /api/v1, /scim/v2)
	// after the request middleware and before sessions and CSRF, which
	// programs, sending bearer tokens, do not use. nil mounts none.
	Programs func(fiber.Router)
	Log      *slog.Logger
	Now      func() time.Time
}

// Server holds the dependencies the handlers share.
type Server struct {
	Deps
	views   *views
	quiz    quizPieces  // quiz form pieces rendered once per version
	shells  *pageShells // module pages rendered once per version, cut where each view differs
	secrets []string    // path prefixes whose next segment is a secret token
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
	shells, err := newPageShells()
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, views: v, shells: shells}
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
