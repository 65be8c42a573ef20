package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// assignment gives a course to a team (and everyone below it) or a person.
type assignment struct {
	ID        int64      `json:"id"`
	CourseID  int64      `json:"course_id"`
	TeamID    *int64     `json:"team_id"`
	PersonID  *int64     `json:"person_id"`
	DueDate   *string    `json:"due_date"` // YYYY-MM-DD
	DueDays   *int       `json:"due_days"`
	People    int        `json:"people"` // people it enrolled when made
	CreatedAt time.Time  `json:"created_at"`
	RemovedAt *time.Time `json:"removed_at"`
}

func assignmentOf(a *store.Assignment, loc *time.Location) assignment {
	out := assignment{ID: a.ID, CourseID: a.CourseID, People: a.People, CreatedAt: a.CreatedAt.UTC()}
	if a.TeamID != 0 {
		t := a.TeamID
		out.TeamID = &t
	}
	if a.UserID != 0 {
		u := a.UserID
		out.PersonID = &u
	}
	if !a.DueAt.IsZero() {
		d := a.DueAt.In(loc).Format(time.DateOnly)
		out.DueDate = &d
	}
	if a.DueDays != 0 {
		d := a.DueDays
		out.DueDays = &d
	}
	if !a.RemovedAt.IsZero() {
		r := a.RemovedAt.UTC()
		out.RemovedAt = &r
	}
	return out
}

func (a *API) teamAssignments(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := a.Store.Team(ctx(c), id)
	if err != nil {
		return err
	}
	as, err := a.Store.AssignmentsCovering(ctx(c), t)
	if err != nil {
		return err
	}
	out := make([]assignment, len(as))
	for i := range as {
		out[i] = assignmentOf(&as[i], a.Config.Location)
	}
	return c.JSON(fiber.Map{"data": out})
}

type assignmentInput struct {
	CourseID int64  `json:"course_id"`
	TeamID   int64  `json:"team_id"`
	PersonID int64  `json:"person_id"`
	DueDate  string `json:"due_date"`
	DueDays  int    `json:"due_days"`
}

func (a *API) assignmentCreate(c *fiber.Ctx) error {
	var in assignmentInput
	if err := decode(c, &in); err != nil {
		return err
	}
	fe := map[string]string{}
	if (in.TeamID == 0) == (in.PersonID == 0) {
		fe["team_id"] = "Give exactly one of team_id and person_id."
	}
	as := &store.Assignment{CourseID: in.CourseID, TeamID: in.TeamID, UserID: in.PersonID, CreatedBy: tokenOf(c).CreatedBy,
		CreatedAt: a.Now(), IdempotencyKey: c.Get("Idempotency-Key")}
	switch {
	case in.DueDate != "" && in.DueDays != 0:
		fe["due_date"] = "Give a due date or a number of days, not both."
	case in.DueDate != "":
		d, err := time.ParseInLocation(time.DateOnly, in.DueDate, a.Config.Location)
		if err != nil {
			fe["due_date"] = "Write the due date as YYYY-MM-DD."
		}
		as.DueAt = d
	case in.DueDays < 0 || in.DueDays > 3660:
		fe["due_days"] = "Give a number of days from 1 to 3660."
	case in.DueDays > 0:
		as.DueDays = in.DueDays
	default:
		fe["due_days"] = "Give a due date (due_date) or a number of days (due_days)."
	}
	if in.CourseID == 0 {
		fe["course_id"] = "Name the course by its ID (GET /api/v1/courses)."
	}
	if len(fe) > 0 {
		p := problem(fiber.StatusUnprocessableEntity, "invalid", "Some fields are not valid: see errors.")
		p.Errors = fe
		return p
	}
	if _, err := a.Store.CourseByID(ctx(c), in.CourseID); err != nil {
		return err
	}
	done, err := a.Reports.Assign(ctx(c), as, clientIP(c))
	if err != nil {
		return err
	}
	got, err := a.Store.Assignment(ctx(c), done.ID)
	if err != nil {
		return err
	}
	c.Location("/api/v1/assignments/" + strconv.FormatInt(got.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(assignmentOf(got, a.Config.Location))
}

func (a *API) assignmentGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	as, err := a.Store.Assignment(ctx(c), id)
	if err != nil {
		return err
	}
	return c.JSON(assignmentOf(as, a.Config.Location))
}

// assignmentRemove ends an assignment made to a team; the enrolments it
// made stay, with their history.
func (a *API) assignmentRemove(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	as, err := a.Store.Assignment(ctx(c), id)
	if err != nil {
		return err
	}
	if as.TeamID == 0 || !as.RemovedAt.IsZero() {
		return fiber.ErrNotFound
	}
	t, err := a.Store.Team(ctx(c), as.TeamID)
	if err != nil {
		return err
	}
	if err := a.Reports.Unassign(ctx(c), a.orgScope(), t, id, actor(c), a.Now()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
