package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
)

// accountForm is the form that creates the first admin or accepts an
// invitation; on error it comes back with what was typed (never passwords).
type accountForm struct {
	Action  string
	Name    string
	Email   string
	Fixed   bool // name and email come from the invitation
	Errors  people.FormError
	Invalid bool // the link is used up or unknown
}

func (s *Server) setupShow(c *fiber.Ctx) error {
	f := accountForm{Action: "/setup/" + c.Params("token")}
	if err := s.People.CheckSetup(ctx(c), c.Params("token")); errors.Is(err, people.ErrLinkUsed) {
		f.Invalid = true
		c.Status(fiber.StatusNotFound)
	} else if err != nil {
		return err
	}
	return s.render(c, "account", "Create the first admin account", f)
}

func (s *Server) setupSubmit(c *fiber.Ctx) error {
	token := clone(c.Params("token"))
	f := accountForm{Action: "/setup/" + token, Name: clone(c.FormValue("name")), Email: clone(c.FormValue("email"))}
	u, err := s.People.CompleteSetup(ctx(c), token, people.Person{Name: f.Name, Email: f.Email},
		c.FormValue("password"), c.FormValue("confirm"))
	if done, err := s.formOutcome(c, &f, err); done {
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/people", fiber.StatusSeeOther)
}

func (s *Server) inviteShow(c *fiber.Ctx) error {
	f := accountForm{Action: "/invite/" + c.Params("token"), Fixed: true}
	u, err := s.People.Invitation(ctx(c), c.Params("token"))
	switch {
	case errors.Is(err, people.ErrLinkUsed):
		f.Invalid = true
		c.Status(fiber.StatusNotFound)
	case err != nil:
		return err
	default:
		f.Name, f.Email = u.Name, u.Email
	}
	return s.render(c, "account", "Choose your password", f)
}

func (s *Server) inviteSubmit(c *fiber.Ctx) error {
	token := clone(c.Params("token"))
	f := accountForm{Action: "/invite/" + token, Fixed: true}
	if u, err := s.People.Invitation(ctx(c), token); err == nil {
		f.Name, f.Email = u.Name, u.Email
	}
	u, err := s.People.AcceptInvitation(ctx(c), token, c.FormValue("password"), c.FormValue("confirm"))
	if done, err := s.formOutcome(c, &f, err); done {
		return err
	}
	if err := s.startSession(c, s.Store, u.ID); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// formOutcome renders the account form again for a form error or a used
// link; done reports whether the response is written (or err must be returned).
func (s *Server) formOutcome(c *fiber.Ctx, f *accountForm, err error) (bool, error) {
	var fe people.FormError
	switch {
	case err == nil:
		return false, nil
	case errors.As(err, &fe):
		f.Errors = fe
		c.Status(fiber.StatusUnprocessableEntity)
	case errors.Is(err, people.ErrLinkUsed):
		f.Invalid = true
		c.Status(fiber.StatusNotFound)
	default:
		return true, err
	}
	return true, s.render(c, "account", "Your account", f)
}
