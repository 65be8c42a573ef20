package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

type personPage struct {
	Person *store.User
	*reports.PersonReport
	Form     assignForm   // the assignment form: what was typed, what to correct
	Username usernameForm // the admin's username form
}

// usernameForm is what an admin typed as someone's username, and why it
// was refused.
type usernameForm struct {
	Value, Error string
}

// personReport shows one person's standing, completions, attempts and due
// dates on every course, derived as their own dashboard derives them.
func (s *Server) personReport(c *fiber.Ctx) error {
	u, _, err := s.personInScope(c)
	if err != nil {
		return err
	}
	return s.renderPerson(c, u, assignForm{In: assignInput{Key: auth.NewToken()}})
}

func (s *Server) renderPerson(c *fiber.Ctx, u *store.User, form assignForm) error {
	return s.renderPersonWith(c, u, form, usernameForm{Value: u.Username})
}

func (s *Server) renderPersonWith(c *fiber.Ctx, u *store.User, form assignForm, un usernameForm) error {
	r, err := s.Reports.PersonReport(ctx(c), u, s.Now())
	if err != nil {
		return err
	}
	form.Action = "/manage/people/" + strconv.FormatInt(u.ID, 10) + "/assignments"
	form.DaysLabel = "Due this many days from now"
	form.Today = s.Now().In(s.Config.Location).Format("2006-01-02")
	for _, pc := range r.Courses {
		form.Courses = append(form.Courses, pc.Course)
	}
	return s.render(c, "person_report", u.Name, personPage{Person: u, PersonReport: r, Form: form, Username: un})
}

// personAssign assigns a course to one person in the manager's teams.
func (s *Server) personAssign(c *fiber.Ctx) error {
	u, _, err := s.personInScope(c)
	if err != nil {
		return err
	}
	a, err := s.assignmentForm(c)
	var fe assignFormError
	if errors.As(err, &fe) {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderPerson(c, u, fe.form)
	}
	if err != nil {
		return err
	}
	a.UserID = u.ID
	if _, err := s.Reports.Assign(ctx(c), a, clientIP(c)); err != nil {
		return err
	}
	return c.Redirect("/manage/people/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}

// personUsername sets, changes or (for someone with an email) removes a
// person's username; admins only.
func (s *Server) personUsername(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	typed := strings.TrimSpace(clone(c.FormValue("username")))
	_, err = s.People.Update(ctx(c), actor(c), int64(id), people.Change{Username: &typed})
	var fe people.FormError
	if errors.As(err, &fe) {
		u, lerr := s.Store.UserByID(ctx(c), int64(id))
		if lerr != nil {
			return lerr
		}
		msg := fe["username"]
		if msg == "" {
			msg = fe["email"] // no username and no email left
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderPersonWith(c, u, assignForm{In: assignInput{Key: auth.NewToken()}}, usernameForm{Value: typed, Error: msg})
	} else if err != nil {
		return err
	}
	return c.Redirect("/manage/people/"+strconv.Itoa(id), fiber.StatusSeeOther)
}
