package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// scopeOf is what the signed-in person may see of the organisation.
func (s *Server) scopeOf(c *fiber.Ctx) (reports.Scope, error) {
	return s.Reports.ScopeOf(ctx(c), userOf(c))
}

// teamInScope loads the team named by the :id parameter; one outside what
// the person manages is refused (403).
func (s *Server) teamInScope(c *fiber.Ctx) (*store.Team, reports.Scope, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, reports.Scope{}, fiber.ErrNotFound
	}
	sc, err := s.scopeOf(c)
	if err != nil {
		return nil, sc, err
	}
	t, err := s.Reports.Team(ctx(c), sc, int64(id))
	return t, sc, err
}

// personInScope loads the person named by :id; anyone outside the teams the
// signed-in manager manages is refused (403).
func (s *Server) personInScope(c *fiber.Ctx) (*store.User, reports.Scope, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, reports.Scope{}, fiber.ErrNotFound
	}
	sc, err := s.scopeOf(c)
	if err != nil {
		return nil, sc, err
	}
	u, err := s.Reports.Person(ctx(c), sc, int64(id))
	return u, sc, err
}

// actor is the signed-in person and their address, for the audit log.
func actor(c *fiber.Ctx) store.Actor {
	a := store.Actor{IP: clientIP(c)}
	if u := userOf(c); u != nil {
		a.ID = u.ID
	}
	return a
}

// conflictAs turns store.ErrConflict into a message for the person.
func conflictAs(err error, msg string) error {
	if errors.Is(err, store.ErrConflict) {
		return badRequest{msg}
	}
	return err
}
