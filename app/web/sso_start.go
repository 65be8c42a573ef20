package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
)

// ssoStart sends the browser to the identity provider. The state goes into
// a cookie too, so that only this browser can finish the sign-in.
func (s *Server) ssoStart(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	authURL, state, err := s.People.BeginSSO(ctx(c), next)
	if errors.Is(err, people.ErrSSOUnavailable) {
		return s.ssoUnavailable(c, err)
	} else if err != nil {
		return err
	}
	s.setCookie(c, s.ssoCookie(), state, people.SSOLifetime)
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

func (s *Server) ssoCookie() string {
	if s.Config.SecureCookies() {
		return "__Host-fl_sso"
	}
	return "fl_sso"
}

// ssoUnavailable says the provider did not answer: the person can try again
// or use another way in; the log has the detail.
func (s *Server) ssoUnavailable(c *fiber.Ctx, err error) error {
	s.Log.Warn("single sign-on: the identity provider did not answer", "err", err)
	c.Set(fiber.HeaderRetryAfter, "30")
	c.Status(fiber.StatusServiceUnavailable)
	return s.render(c, "error", "Sign-in unavailable", problem{503, "Sign-in unavailable",
		s.People.SSOName() + " is not answering right now. Try again in a minute."})
}
