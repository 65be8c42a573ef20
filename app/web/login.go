package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/store"
)

type loginForm struct {
	Email   string
	Next    string
	Error   string
	Expired bool
}

func (s *Server) loginShow(c *fiber.Ctx) error {
	if userOf(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, "login", "Sign in", loginForm{Next: safeNext(c.Query("next")), Expired: c.Query("expired") != ""})
}

// loginSubmit checks the password, throttled per account and per address
// with counts kept in the database so every instance sees the same numbers.
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	f := loginForm{Email: clone(c.FormValue("email")), Next: safeNext(c.FormValue("next"))}
	password := c.FormValue("password")
	now := s.Now()
	accountKey, addressKey := "account:"+store.NormaliseEmail(f.Email), "address:"+c.IP()
	since := now.Add(-auth.ThrottleWindow)
	nAccount, err := s.Store.CountLoginFailures(ctx(c), accountKey, since)
	if err != nil {
		return err
	}
	nAddress, err := s.Store.CountLoginFailures(ctx(c), addressKey, since)
	if err != nil {
		return err
	}
	if nAccount >= auth.MaxAccountFailures || nAddress >= auth.MaxAddressFailures {
		f.Error = "Too many failed sign-ins. Wait 15 minutes and try again, or ask an administrator for a new invitation link."
		c.Status(fiber.StatusTooManyRequests)
		return s.render(c, "login", "Sign in", f)
	}
	u, err := s.Store.UserByEmail(ctx(c), f.Email)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.CheckNoAccount(password)
	case err != nil:
		return err
	default:
		ok = u.Active && auth.CheckPassword(u.PasswordHash, password)
	}
	if !ok {
		if err := s.Store.RecordLoginFailure(ctx(c), now, accountKey, addressKey); err != nil {
			return err
		}
		f.Error = "That email and password do not match an account. Check both and try again."
		c.Status(fiber.StatusUnauthorized)
		return s.render(c, "login", "Sign in", f)
	}
	if err := s.Store.ClearLoginFailures(ctx(c), accountKey); err != nil {
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.Redirect(f.Next, fiber.StatusSeeOther)
}

// logout ends the session in the database, not only in this browser.
func (s *Server) logout(c *fiber.Ctx) error {
	if token := c.Cookies(s.sessionCookie()); token != "" {
		if err := s.Store.DeleteSession(ctx(c), auth.HashToken(token)); err != nil {
			return err
		}
	}
	s.endSession(c)
	return c.Redirect("/login", fiber.StatusSeeOther)
}
