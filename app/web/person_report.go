package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

type personPage struct {
	Person *store.User
	*reports.PersonReport
	Key string // the assignment form's idempotency key
}

// personReport shows one person's standing, completions, attempts and due
// dates on every course, derived as their own dashboard derives them.
func (s *Server) personReport(c *fiber.Ctx) error {
	u, _, err := s.personInScope(c)
	if err != nil {
		return err
	}
	r, err := s.Reports.PersonReport(ctx(c), u, s.Now())
	if err != nil {
		return err
	}
	return s.render(c, "person_report", u.Name, personPage{Person: u, PersonReport: r, Key: auth.NewToken()})
}

// personAssign assigns a course to one person in the manager's teams.
func (s *Server) personAssign(c *fiber.Ctx) error {
	u, _, err := s.personInScope(c)
	if err != nil {
		return err
	}
	a, err := s.assignmentForm(c)
	if err != nil {
		return err
	}
	a.UserID = u.ID
	if _, err := s.Reports.Assign(ctx(c), a, clientIP(c)); err != nil {
		return err
	}
	return c.Redirect("/manage/people/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}
