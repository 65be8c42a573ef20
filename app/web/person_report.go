package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// personAttemptsShown bounds the attempts listed on a person's page.
const personAttemptsShown = 200

type personCourse struct {
	learning.CourseStanding
	Completions []store.Completion
	Attempts    []store.Attempt
}

type personPage struct {
	Person  *store.User
	Team    *store.Team
	Courses []personCourse
	Shown   int
	Key     string // the assignment form's idempotency key
}

// personInScope loads the person named by :id and refuses anyone outside
// the teams the signed-in manager manages.
func (s *Server) personInScope(c *fiber.Ctx) (*store.User, scope, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, scope{}, fiber.ErrNotFound
	}
	sc, err := s.scopeOf(c)
	if err != nil {
		return nil, sc, err
	}
	u, err := s.Store.UserByID(ctx(c), int64(id))
	if err != nil {
		return nil, sc, err
	}
	if !sc.All {
		ok, err := s.Store.PersonInScope(ctx(c), sc.Scope, u.ID)
		if err != nil {
			return nil, sc, err
		}
		if !ok {
			return nil, sc, errForbidden
		}
	}
	return u, sc, nil
}

// personReport shows one person's standing, completions, attempts and due
// dates on every course, derived as their own dashboard derives them.
func (s *Server) personReport(c *fiber.Ctx) error {
	u, _, err := s.personInScope(c)
	if err != nil {
		return err
	}
	p := personPage{Person: u, Key: auth.NewToken()}
	if t, err := s.Store.TeamOf(ctx(c), u.ID); err == nil {
		p.Team = t
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	rows, versions, err := s.Catalog.Published(ctx(c))
	if err != nil {
		return err
	}
	all, err := s.Learning.Overview(ctx(c), u.ID, rows, versions, s.Now())
	if err != nil {
		return err
	}
	completions, err := s.Store.Completions(ctx(c), u.ID, 0)
	if err != nil {
		return err
	}
	attempts, err := s.Store.AttemptsOfPerson(ctx(c), u.ID, personAttemptsShown)
	if err != nil {
		return err
	}
	p.Shown = len(attempts)
	for _, cs := range all {
		pc := personCourse{CourseStanding: cs}
		for i := len(completions) - 1; i >= 0; i-- { // newest first
			if completions[i].CourseID == cs.Course.ID {
				pc.Completions = append(pc.Completions, completions[i])
			}
		}
		for _, a := range attempts {
			if a.CourseID == cs.Course.ID {
				pc.Attempts = append(pc.Attempts, a)
			}
		}
		p.Courses = append(p.Courses, pc)
	}
	return s.render(c, "person_report", u.Name, p)
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
	if _, err := reports.Assign(ctx(c), s.Store, a, s.Config.Location, c.IP()); err != nil {
		return err
	}
	return c.Redirect("/manage/people/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}
