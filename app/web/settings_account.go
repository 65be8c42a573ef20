package web

import (
	"errors"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
)

// accountSettings is the account part of Settings: the password form and
// the signed-in sessions.
type accountSettings struct {
	HasPassword bool
	Errors      people.FormError
	Error       string // a refusal that is not about one field (throttled)
	Sessions    []people.SessionView
	Ended       int // sessions just ended by "sign out everywhere else"; -1 when none asked
}

func (s *Server) accountSettingsOf(c *fiber.Ctx) (*accountSettings, error) {
	sess := sessionOf(c)
	list, err := s.People.Sessions(ctx(c), sess.UserID, sess.ID)
	if err != nil {
		return nil, err
	}
	return &accountSettings{HasPassword: sess.User.PasswordHash != "", Sessions: list, Ended: -1}, nil
}

// settingsPassword changes the password (the current one is checked) and
// ends every session, then signs this browser in again.
func (s *Server) settingsPassword(c *fiber.Ctx) error {
	err := s.People.ChangePassword(ctx(c), actor(c), c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm"))
	var fe people.FormError
	var throttled *people.Throttled
	switch {
	case errors.As(err, &fe), errors.As(err, &throttled):
		p, perr := s.settingsPageOf(c)
		if perr != nil {
			return perr
		}
		p.Account.Errors = fe
		c.Status(fiber.StatusUnprocessableEntity)
		if throttled != nil {
			wait := int(math.Ceil(throttled.RetryAfter.Seconds()))
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(wait, 1)))
			p.Account.Error = "Too many wrong passwords. Wait " + minutes(throttled.RetryAfter) + " and try again."
			c.Status(fiber.StatusTooManyRequests)
		}
		return s.render(c, "settings", "Settings", p)
	case err != nil:
		return err
	}
	// Every session ended with the old password, this one too: start anew.
	if err := s.startSession(c, s.Store, userOf(c).ID); err != nil {
		return err
	}
	return c.Redirect("/settings?saved=password#password", fiber.StatusSeeOther)
}

// settingsSignOutOthers ends every session of the person but this one.
func (s *Server) settingsSignOutOthers(c *fiber.Ctx) error {
	n, err := s.People.SignOutOthers(ctx(c), actor(c), sessionOf(c).ID)
	if err != nil {
		return err
	}
	return c.Redirect("/settings?saved=sessions&ended="+strconv.Itoa(n)+"#sessions", fiber.StatusSeeOther)
}
