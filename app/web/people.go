package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

type peoplePage struct {
	People []store.User
	Form   people.Person
	Errors people.FormError
	Link   string      // the invitation link just made
	For    *store.User // whom Link is for
}

func (s *Server) peopleList(c *fiber.Ctx) error {
	return s.renderPeople(c, peoplePage{Form: people.Person{Role: auth.Learner}})
}

func (s *Server) renderPeople(c *fiber.Ctx, p peoplePage) error {
	var err error
	if p.People, err = s.Store.Users(ctx(c), 1000); err != nil {
		return err
	}
	return s.render(c, "people", "People", p)
}

// personCreate adds someone and shows their one-time invitation link (mail
// delivery comes later; until then the admin passes the link on).
func (s *Server) personCreate(c *fiber.Ctx) error {
	p := people.Person{Name: clone(c.FormValue("name")), Email: strings.TrimSpace(clone(c.FormValue("email"))),
		Role: auth.Role(clone(c.FormValue("role")))}
	by := userOf(c).ID
	u, link, err := s.People.Add(ctx(c), &by, p)
	var fe people.FormError
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderPeople(c, peoplePage{Form: p, Errors: fe})
	} else if err != nil {
		return err
	}
	return s.renderPeople(c, peoplePage{Form: people.Person{Role: auth.Learner}, Link: link, For: u})
}

func (s *Server) personInvite(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	by := userOf(c).ID
	u, link, err := s.People.Reinvite(ctx(c), &by, int64(id))
	if err != nil {
		return err
	}
	return s.renderPeople(c, peoplePage{Form: people.Person{Role: auth.Learner}, Link: link, For: u})
}
