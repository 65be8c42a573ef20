package web

import (
	"crypto/subtle"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// metricsShow serves the Prometheus metrics. With FRONTLINE_METRICS_TOKEN
// set it asks for "Authorization: Bearer <token>", compared in constant
// time; unset, anyone who reaches the port may read them (put it behind
// the network's own walls then).
func (s *Server) metricsShow(c *fiber.Ctx) error {
	if s.Metrics == nil {
		return fiber.ErrNotFound
	}
	if want := s.Config.MetricsToken; want != "" {
		got, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) != 1 {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return c.Status(fiber.StatusUnauthorized).SendString("a bearer token is required")
		}
	}
	return adaptor.HTTPHandler(s.Metrics)(c)
}
