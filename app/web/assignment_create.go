package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// assignmentForm reads course and due date from a form: "due" is a date
// (YYYY-MM-DD, in the organisation's zone) or "days" a number of days. The
// form's key, like a quiz's, makes sending it twice make one assignment.
func (s *Server) assignmentForm(c *fiber.Ctx) (*store.Assignment, error) {
	key := clone(c.FormValue("key"))
	if !validKey(key) {
		return nil, badRequest{"The form is missing its key. Reload the page and assign again."}
	}
	courseID, err := strconv.ParseInt(c.FormValue("course"), 10, 64)
	if err != nil || courseID <= 0 {
		return nil, badRequest{"Choose a course to assign."}
	}
	now := s.Now()
	rc, err := s.Reports.Courses(ctx(c), now)
	if err != nil {
		return nil, err
	}
	if rc.Title(courseID) == "" {
		return nil, badRequest{"That course is not published."}
	}
	a := &store.Assignment{CourseID: courseID, CreatedBy: userOf(c).ID, CreatedAt: now, IdempotencyKey: key}
	due, days := strings.TrimSpace(c.FormValue("due")), strings.TrimSpace(c.FormValue("days"))
	switch {
	case due != "" && days != "":
		return nil, badRequest{"Give either a due date or a number of days, not both."}
	case due != "":
		d, err := time.ParseInLocation("2006-01-02", due, s.Config.Location)
		if err != nil {
			return nil, badRequest{"The due date must be a date such as 2026-06-30."}
		}
		if d.Before(now.In(s.Config.Location).Truncate(24 * time.Hour).Add(-24 * time.Hour)) {
			return nil, badRequest{"The due date has already passed."}
		}
		a.DueAt = d
	case days != "":
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 3650 {
			return nil, badRequest{"The number of days must be between 1 and 3650."}
		}
		a.DueDays = n
	default:
		return nil, badRequest{"Give a due date or a number of days."}
	}
	return a, nil
}

// assignmentCreate assigns a course to the team and all its subteams.
func (s *Server) assignmentCreate(c *fiber.Ctx) error {
	t, _, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	a, err := s.assignmentForm(c)
	if err != nil {
		return err
	}
	a.TeamID = t.ID
	done, err := s.Reports.Assign(ctx(c), a, clientIP(c))
	if err != nil {
		return err
	}
	return c.Redirect("/manage/teams/"+strconv.FormatInt(t.ID, 10)+"?assigned="+strconv.Itoa(done.People), fiber.StatusSeeOther)
}

// assignmentRemove ends an assignment made to this team or one above it;
// enrolments and history stay.
func (s *Server) assignmentRemove(c *fiber.Ctx) error {
	t, sc, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	aid, err := c.ParamsInt("aid")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.Reports.Unassign(ctx(c), sc, t, int64(aid), actor(c), s.Now()); err != nil {
		return err
	}
	return c.Redirect("/manage/teams/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}
