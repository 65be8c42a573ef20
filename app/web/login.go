package web

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
)

type loginForm struct {
	Email   string // what was typed: an email or a username
	Next    string
	Error   string
	Expired bool
	Busy    int           // seconds to wait before trying again; 0 when not busy
	Methods signInMethods // the other ways in (signin_methods.go)
}

func (s *Server) loginShow(c *fiber.Ctx) error {
	if userOf(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.renderLogin(c, loginForm{Next: safeNext(c.Query("next")), Expired: c.Query("expired") != ""})
}

// loginSubmit signs a person in. The throttle (auth/throttle.go) and its
// bookkeeping are the people service's; this turns its answer into a page.
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	f := loginForm{Email: clone(c.FormValue("email")), Next: safeNext(c.FormValue("next"))}
	u, err := s.People.SignIn(ctx(c), f.Email, c.FormValue("password"), clientIP(c))
	var throttled *people.Throttled
	var busy *auth.Busy
	switch {
	case errors.As(err, &busy):
		// Many people signing in at once: nothing was checked or counted.
		// The page (login.js) tries again by itself after Retry-After.
		wait := max(int(math.Ceil(busy.RetryAfter.Seconds())), 1)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
		// Says to login.js that nothing was checked, so sending the same
		// form again is safe; other 503s (an outage, a timeout) do not.
		c.Set("Frontline-Sign-In", "busy")
		f.Error = "Many people are signing in right now. Try again in " + strconv.Itoa(wait) + " seconds."
		f.Busy = wait
		c.Status(fiber.StatusServiceUnavailable)
		return s.renderLogin(c, f)
	case errors.As(err, &throttled):
		wait := int(math.Ceil(throttled.RetryAfter.Seconds()))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(wait, 1)))
		f.Error = "Too many failed sign-ins. Wait " + minutes(throttled.RetryAfter) +
			" and try again, or ask an administrator for a new invitation link."
		c.Status(fiber.StatusTooManyRequests)
		return s.renderLogin(c, f)
	case errors.Is(err, people.ErrSSOOnly):
		f.Error = ssoOnlyMessage(s.People.SSOName())
		c.Status(fiber.StatusForbidden)
		return s.renderLogin(c, f)
	case errors.Is(err, people.ErrBadCredentials):
		f.Error = "That email or username and password do not match an account. Check both and try again."
		c.Status(fiber.StatusUnauthorized)
		return s.renderLogin(c, f)
	case err != nil:
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.Redirect(f.Next, fiber.StatusSeeOther)
}

// minutes says a wait in whole minutes, rounded up: "a minute", "15 minutes".
func minutes(d time.Duration) string {
	n := int(math.Ceil(d.Minutes()))
	if n <= 1 {
		return "a minute"
	}
	return strconv.Itoa(n) + " minutes"
}

// logout ends the session in the database, not only in this browser.
func (s *Server) logout(c *fiber.Ctx) error {
	if token := c.Cookies(s.sessionCookie()); token != "" {
		if err := s.Store.DeleteSession(ctx(c), auth.HashToken(token)); err != nil {
			return err
		}
	}
	s.endSession(c)
	// Nothing of this person's stays in the browser for the next one on the
	// device: pages kept for offline reading, quiz answers waiting to be
	// sent, the service worker itself (it comes back on the next sign-in).
	c.Set("Clear-Site-Data", `"cache", "storage"`)
	return c.Redirect("/login", fiber.StatusSeeOther)
}
