package api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// A token sees the whole organisation, as an admin does.
func (a *API) orgScope() reports.Scope { return reports.Scope{Scope: store.Scope{All: true}} }

// enrolment is one person on one course: the state the completion matrix
// shows (from the same query), and the dates behind it.
type enrolment struct {
	CourseID      int64      `json:"course_id"`
	State         string     `json:"state"`
	DueAt         *time.Time `json:"due_at"`
	LastCompleted *time.Time `json:"last_completed_at"`
	Assigned      bool       `json:"assigned"`
}

func enrolmentOf(courseID int64, cell *store.Cell) enrolment {
	if cell == nil {
		return enrolment{CourseID: courseID, State: "not_started"}
	}
	e := enrolment{CourseID: courseID, State: string(cell.Status), Assigned: cell.Assigned}
	if !cell.DueAt.IsZero() {
		d := cell.DueAt.UTC()
		e.DueAt = &d
	}
	if !cell.LastCompleted.IsZero() {
		d := cell.LastCompleted.UTC()
		e.LastCompleted = &d
	}
	return e
}

type courseRef struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

type enrolmentRow struct {
	Person struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Email  string `json:"email"`
		TeamID int64  `json:"team_id"`
	} `json:"person"`
	Enrolments []enrolment `json:"enrolments"`
}

type enrolmentPage struct {
	Courses []courseRef    `json:"courses"`
	Data    []enrolmentRow `json:"data"`
	Next    string         `json:"next"`
}

// cursor encodes the matrix's keyset position (name, id) opaquely.
func cursor(p store.Person) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.ID, 10) + ":" + p.Name))
}

func parseCursor(s string) (store.Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.Cursor{}, false
	}
	id, name, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	return store.Cursor{ID: n, Name: name}, ok && err == nil && n > 0
}

// filterOf reads ?course_id= (unless course is given), ?state= and ?after=.
func filterOf(c *fiber.Ctx, course int64) (reports.Filter, error) {
	f := reports.Filter{Course: course}
	var err error
	if s := c.Query("course_id"); s != "" && course == 0 {
		if f.Course, err = strconv.ParseInt(s, 10, 64); err != nil || f.Course < 1 {
			return f, problem(fiber.StatusBadRequest, "bad-request", "course_id must be a course's ID.")
		}
	}
	if f.State, err = reports.ParseStatus(c.Query("state")); err != nil {
		return f, problem(fiber.StatusBadRequest, "bad-request", "state must be one of overdue, due_soon, in_progress, not_started, completed.")
	}
	if f.State != "" && f.Course == 0 {
		return f, problem(fiber.StatusBadRequest, "bad-request", "A state filter needs course_id: the state of which course?")
	}
	if s := c.Query("after"); s != "" {
		var ok bool
		if f.After, ok = parseCursor(s); !ok {
			return f, problem(fiber.StatusBadRequest, "bad-request", "after must be the next cursor of the previous page.")
		}
	}
	return f, nil
}

func (a *API) enrolmentPage(c *fiber.Ctx, t *store.Team, f reports.Filter) error {
	limit, err := limitOf(c)
	if err != nil {
		return err
	}
	rc, rows, more, err := a.Reports.Enrolments(ctx(c), t, f, a.Now(), limit)
	if err != nil {
		return err
	}
	out := enrolmentPage{Courses: make([]courseRef, len(rc.Rows)), Data: make([]enrolmentRow, len(rows))}
	for i, co := range rc.Rows {
		out.Courses[i] = courseRef{ID: co.ID, Slug: co.Slug, Title: co.Title}
	}
	for i, r := range rows {
		row := &out.Data[i]
		row.Person.ID, row.Person.Name, row.Person.Email, row.Person.TeamID = r.Person.ID, r.Person.Name, r.Person.Email, r.Person.TeamID
		row.Enrolments = make([]enrolment, len(r.Cells))
		for j, cell := range r.Cells {
			row.Enrolments[j] = enrolmentOf(rc.Rows[j].ID, cell)
		}
	}
	if more {
		out.Next = cursor(rows[len(rows)-1].Person)
	}
	return c.JSON(out)
}

// teamEnrolments is a team's completion matrix (with its subteams).
func (a *API) teamEnrolments(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := filterOf(c, 0)
	if err != nil {
		return err
	}
	t, err := a.Store.Team(ctx(c), id)
	if err != nil {
		return err
	}
	return a.enrolmentPage(c, t, f)
}

// courseEnrolments is everyone's state on one course.
func (a *API) courseEnrolments(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := filterOf(c, id)
	if err != nil {
		return err
	}
	if _, err := a.Store.CourseByID(ctx(c), id); err != nil {
		return err
	}
	return a.enrolmentPage(c, nil, f)
}

// personEnrolments is one person's state on every published course.
func (a *API) personEnrolments(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := a.Store.UserByID(ctx(c), id)
	if err != nil {
		return err
	}
	rc, cells, err := a.Reports.PersonEnrolments(ctx(c), u, a.Now())
	if err != nil {
		return err
	}
	out := make([]enrolment, len(cells))
	for i, cell := range cells {
		out[i] = enrolmentOf(rc.Rows[i].ID, cell)
	}
	return c.JSON(fiber.Map{"data": out})
}

type completion struct {
	ID          int64     `json:"id"`
	CourseID    int64     `json:"course_id"`
	VersionID   int64     `json:"version_id"`
	CompletedAt time.Time `json:"completed_at"`
	Score       int       `json:"score"`
}

// personCompletions is a person's completion history, oldest first.
func (a *API) personCompletions(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.Store.UserByID(ctx(c), id); err != nil {
		return err
	}
	cs, err := a.Store.Completions(ctx(c), id, 0)
	if err != nil {
		return err
	}
	out := make([]completion, len(cs))
	for i, co := range cs {
		out[i] = completion{ID: co.ID, CourseID: co.CourseID, VersionID: co.VersionID, CompletedAt: co.CompletedAt.UTC(), Score: co.Score}
	}
	return c.JSON(fiber.Map{"data": out})
}
