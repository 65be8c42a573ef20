package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/frontline-lms/frontline/app/auth"
)

// routes is the one route table. Every route names the role it needs:
// public, signedIn (any role: everyone takes courses), or a specific role.
func (s *Server) routes(app *fiber.App) {
	app.Use(recover.New())
	app.Use(s.clientAddresses)
	app.Use(s.logRequests)
	app.Use(s.requestContext)
	app.Use(securityHeaders)
	app.Use(checkText)
	if s.Programs != nil {
		s.Programs(app)
	}

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", s.metricsShow) // public, or the bearer token of FRONTLINE_METRICS_TOKEN (checked by the handler)
	app.Use("/static", cacheFor(24*time.Hour), filesystem.New(filesystem.Config{Root: http.FS(staticFS), PathPrefix: "static"}))
	// Public: the service worker must be served from the root to control
	// the whole site, and the manifest sits beside it.
	app.Get("/sw.js", serviceWorker)
	app.Get("/manifest.webmanifest", manifest)

	app.Use(s.loadSession)
	app.Use(s.checkCSRF)

	// Public: anyone, signed in or not.
	app.Get("/login", s.loginShow)
	app.Post("/login", s.loginSubmit)
	app.Get("/setup/:token", s.setupShow)
	app.Post("/setup/:token", s.setupSubmit)
	app.Get("/invite/:token", s.inviteShow)
	app.Post("/invite/:token", s.inviteSubmit)

	// Learner: every signed-in person, whatever their role, takes courses.
	learner := s.need(auth.Learner)
	app.Get("/", learner, s.dashboard)
	app.Post("/logout", learner, s.logout)
	app.Get("/courses/:course", learner, s.courseShow)
	app.Get("/courses/:course/:module", learner, s.moduleShow)
	app.Post("/courses/:course/:module/read", learner, s.moduleRead)
	app.Post("/courses/:course/:module/quiz", learner, s.quizSubmit)
	app.Get("/attempts/:id", learner, s.attemptShow) // the handler checks the attempt is the person's own

	// Admin.
	admin := s.need(auth.Admin)
	app.Get("/admin/people", admin, s.peopleList)
	app.Post("/admin/people", admin, s.personCreate)
	app.Post("/admin/people/:id/invite", admin, s.personInvite)
	app.Get("/admin/audit", admin, s.auditShow)
	app.Get("/admin/audit.csv", admin, s.auditExport)
	app.Get("/admin/tokens", admin, s.tokensShow)
	app.Post("/admin/tokens", admin, s.tokenCreate)
	app.Post("/admin/tokens/:id/revoke", admin, s.tokenRevoke)

	s.trainerRoutes(app)
	s.refresherRoutes(app)
	s.managerRoutes(app)
	s.accountRoutes(app)
	s.signInRoutes(app)
	app.Use(notFound)
}

// securityHeaders: no inline script or style anywhere, so the CSP can forbid
// both; pages may not be framed.
func securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "+
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	return c.Next()
}

func cacheFor(d time.Duration) fiber.Handler {
	v := "public, max-age=" + itoa(int(d.Seconds()))
	return func(c *fiber.Ctx) error {
		err := c.Next()
		if c.Response().StatusCode() == fiber.StatusOK {
			c.Set(fiber.HeaderCacheControl, v)
		}
		return err
	}
}

// safeNext keeps a post-sign-in redirect on this site: only a path on this
// origin passes, anything else becomes "/". Browsers drop tabs and newlines
// from URLs and read a backslash as a slash, so "/<tab>/evil.example" and
// "/\evil.example" would leave the site although they start with one "/";
// hence no control characters, spaces or backslashes at all, and nothing that
// parses with a scheme or a host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\\' || r == utf8.RuneError {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}
