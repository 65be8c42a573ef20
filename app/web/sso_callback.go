package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
)

// ssoCallback is where the identity provider sends the browser back. The
// people service checks the state, code, token and nonce and finds (or
// creates) the person; a refusal is a page saying why, in words.
func (s *Server) ssoCallback(c *fiber.Ctx) error {
	browserState := clone(c.Cookies(s.ssoCookie()))
	s.setCookie(c, s.ssoCookie(), "", -1)
	u, next, err := s.People.FinishSSO(ctx(c), people.SSOCallback{State: clone(c.Query("state")), BrowserState: browserState,
		Code: clone(c.Query("code")), Error: clone(c.Query("error")), IP: clientIP(c)})
	var refused *people.SSORefused
	switch {
	case errors.As(err, &refused):
		c.Status(fiber.StatusForbidden)
		return s.render(c, "error", "Not signed in", problem{403, "Not signed in", refused.Message})
	case errors.Is(err, people.ErrSSOUnavailable):
		return s.ssoUnavailable(c, err)
	case err != nil:
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.Redirect(safeNext(next), fiber.StatusSeeOther)
}
