package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

type personPage struct {
	Person *store.User
	*reports.PersonReport
	Form assignForm // the assignment form: what was typed, what to correct
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
	return s.render(c, "person_report", u.Name, personPage{Person: u, PersonReport: r, Form: form})
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
