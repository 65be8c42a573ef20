package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// assignInput is what was typed into an assignment form, kept to be shown
// again beside the message when it needs correcting.
type assignInput struct {
	Course int64
	Days   string
	Due    string
	Key    string
}

// assignForm is an assignment form as a page shows it: where it goes, the
// courses it offers, what was typed and a message per field ("course",
// "days", "due") that needs correcting.
type assignForm struct {
	Action    string
	DaysLabel string
	Today     string // the earliest due date, YYYY-MM-DD
	Courses   []store.Course
	In        assignInput
	Errors    map[string]string
}

// Err is the message for one field, "" when it is fine.
func (f assignForm) Err(field string) string { return f.Errors[field] }

// assignFormError is a form to send back to the same page, 422, instead of
// an error page: nothing is assigned and nothing typed is lost.
type assignFormError struct{ form assignForm }

func (e assignFormError) Error() string { return "assignment form needs correcting" }

// assignmentForm reads course and due date from a form: "due" is a date
// (YYYY-MM-DD, in the organisation's zone) or "days" a number of days. The
// form's key, like a quiz's, makes sending it twice make one assignment.
// A mistake in a field is an assignFormError naming the field.
func (s *Server) assignmentForm(c *fiber.Ctx) (*store.Assignment, error) {
	key := clone(c.FormValue("key"))
	if !validKey(key) {
		return nil, badRequest{"The form is missing its key. Reload the page and assign again."}
	}
	in := assignInput{Days: strings.TrimSpace(clone(c.FormValue("days"))), Due: strings.TrimSpace(clone(c.FormValue("due"))), Key: key}
	fail := func(field, msg string) (*store.Assignment, error) {
		return nil, assignFormError{assignForm{In: in, Errors: map[string]string{field: msg}}}
	}
	courseID, err := strconv.ParseInt(c.FormValue("course"), 10, 64)
	if err != nil || courseID <= 0 {
		return fail("course", "Choose a course to assign.")
	}
	in.Course = courseID
	now := s.Now()
	rc, err := s.Reports.Courses(ctx(c), now)
	if err != nil {
		return nil, err
	}
	if rc.Title(courseID) == "" {
		return fail("course", "That course is not published.")
	}
	a := &store.Assignment{CourseID: courseID, CreatedBy: userOf(c).ID, CreatedAt: now, IdempotencyKey: key}
	switch {
	case in.Due != "" && in.Days != "":
		return fail("due", "Give either a due date or a number of days, not both.")
	case in.Due != "":
		d, err := time.ParseInLocation("2006-01-02", in.Due, s.Config.Location)
		if err != nil {
			return fail("due", "The due date must be a date such as 2026-06-30.")
		}
		if d.Before(now.In(s.Config.Location).Truncate(24 * time.Hour).Add(-24 * time.Hour)) {
			return fail("due", "The due date has already passed.")
		}
		a.DueAt = d
	case in.Days != "":
		n, err := strconv.Atoi(in.Days)
		if err != nil || n < 1 || n > 3650 {
			return fail("days", "The number of days must be between 1 and 3650.")
		}
		a.DueDays = n
	default:
		return fail("days", "Give a due date or a number of days.")
	}
	return a, nil
}

// assignmentCreate assigns a course to the team and all its subteams. A form
// to correct comes back on the team page, 422, with what was typed.
func (s *Server) assignmentCreate(c *fiber.Ctx) error {
	t, sc, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	a, err := s.assignmentForm(c)
	var fe assignFormError
	if errors.As(err, &fe) {
		p, err := s.teamPageData(c, t, sc, matrixFilter{})
		if err != nil {
			return err
		}
		p.Form.In, p.Form.Errors = fe.form.In, fe.form.Errors
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "team", t.Name, p)
	}
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
