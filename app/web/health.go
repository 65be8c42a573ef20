package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz says the process is up; it touches nothing else.
func (s *Server) healthz(c *fiber.Ctx) error { return c.SendString("ok") }

// readyz says whether this instance can serve: database reachable and every
// migration applied. Load balancers route by it.
func (s *Server) readyz(c *fiber.Ctx) error {
	cx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(cx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unreachable")
	}
	n, err := s.Store.PendingMigrations(cx)
	if err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("migration status unknown")
	}
	if n > 0 {
		return c.Status(fiber.StatusServiceUnavailable).SendString("migrations pending")
	}
	return c.SendString("ready")
}
