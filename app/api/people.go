package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/people"
	"github.com/frontline-lms/frontline/app/store"
)

// person is a person as the API shows them.
type person struct {
	ID            int64     `json:"id"`
	Email         *string   `json:"email"`    // null for someone without email
	Username      *string   `json:"username"` // null when they have none
	Name          string    `json:"name"`
	Role          string    `json:"role"`
	Active        bool      `json:"active"`
	TeamID        *int64    `json:"team_id"`
	ExternalID    *string   `json:"external_id"`
	CreatedAt     time.Time `json:"created_at"`
	InvitationURL string    `json:"invitation_url,omitempty"` // only when just created
}

func personOf(u *store.User, team int64) person {
	p := person{ID: u.ID, Name: u.Name, Role: u.Role, Active: u.Active, CreatedAt: u.CreatedAt.UTC()}
	if u.Email != "" {
		e := u.Email
		p.Email = &e
	}
	if u.Username != "" {
		n := u.Username
		p.Username = &n
	}
	if team != 0 {
		p.TeamID = &team
	}
	if u.ExternalID != "" {
		ext := u.ExternalID
		p.ExternalID = &ext
	}
	return p
}

// page is a list with the cursor of the next page ("" on the last).
type page[T any] struct {
	Data []T    `json:"data"`
	Next string `json:"next"`
}

const (
	defaultLimit = 100
	maxLimit     = 500
)

// limitOf reads ?limit= (1 to maxLimit).
func limitOf(c *fiber.Ctx) (int, error) {
	s := c.Query("limit")
	if s == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		return 0, problem(fiber.StatusBadRequest, "bad-request", "limit must be a number from 1 to "+strconv.Itoa(maxLimit)+".")
	}
	return n, nil
}

// idParam reads a numeric path parameter; anything else is not found.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id < 1 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// decode reads a JSON body into v, refusing unknown fields so a typo is an
// error and not a silently ignored change.
func decode(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEApplicationJSON) {
		return problem(fiber.StatusUnsupportedMediaType, "unsupported-media-type", "Send the body as application/json.")
	}
	if err := checkText(c.Body()); err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return problem(fiber.StatusBadRequest, "bad-json", "The body is not the JSON this request takes: "+err.Error())
	}
	return nil
}

// checkText refuses a body holding a NUL character (as the \u0000 escape)
// or bytes that are not UTF-8, which the JSON decoder would otherwise pass
// on or replace silently: PostgreSQL refuses NUL in text, SQLite would
// keep it. app/web checks forms the same way.
func checkText(body []byte) error {
	if !utf8.Valid(body) || bytes.Contains(body, []byte(`\u0000`)) {
		return problem(fiber.StatusBadRequest, "bad-json", "The body holds something that is not text (a NUL character or bytes that are not UTF-8).")
	}
	return nil
}

func (a *API) peopleList(c *fiber.Ctx) error {
	limit, err := limitOf(c)
	if err != nil {
		return err
	}
	q := store.UserQuery{Email: c.Query("email"), Username: c.Query("username"), ExternalID: c.Query("external_id"), Role: c.Query("role"), Limit: limit}
	if q.Role != "" && !auth.Role(q.Role).Valid() {
		return problem(fiber.StatusBadRequest, "bad-request", "role must be learner, trainer, manager or admin.")
	}
	switch c.Query("active") {
	case "":
	case "true", "false":
		act := c.Query("active") == "true"
		q.Active = &act
	default:
		return problem(fiber.StatusBadRequest, "bad-request", "active must be true or false.")
	}
	if s := c.Query("team_id"); s != "" {
		if q.TeamID, err = strconv.ParseInt(s, 10, 64); err != nil || q.TeamID < 1 {
			return problem(fiber.StatusBadRequest, "bad-request", "team_id must be a team's ID.")
		}
	}
	if s := c.Query("after"); s != "" {
		if q.After, err = strconv.ParseInt(s, 10, 64); err != nil || q.After < 0 {
			return problem(fiber.StatusBadRequest, "bad-request", "after must be the next cursor of the previous page.")
		}
	}
	rows, more, err := a.Store.UserPage(ctx(c), q)
	if err != nil {
		return err
	}
	out := page[person]{Data: make([]person, len(rows))}
	for i := range rows {
		out.Data[i] = personOf(&rows[i].User, rows[i].TeamID)
	}
	if more {
		out.Next = strconv.FormatInt(rows[len(rows)-1].ID, 10)
	}
	return c.JSON(out)
}

func (a *API) personGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := a.Store.UserRowByID(ctx(c), id)
	if err != nil {
		return err
	}
	return c.JSON(personOf(&r.User, r.TeamID))
}

type personInput struct {
	Name       *string `json:"name"`
	Email      *string `json:"email"`
	Username   *string `json:"username"`
	Role       *string `json:"role"`
	Active     *bool   `json:"active"`
	TeamID     *int64  `json:"team_id"`
	ExternalID *string `json:"external_id"`
}

func (a *API) personCreate(c *fiber.Ctx) error {
	var in personInput
	if err := decode(c, &in); err != nil {
		return err
	}
	p := people.Person{Role: auth.Learner}
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.Email != nil {
		p.Email = strings.TrimSpace(*in.Email)
	}
	if in.Username != nil {
		p.Username = strings.TrimSpace(*in.Username)
	}
	if in.Role != nil {
		p.Role = auth.Role(*in.Role)
	}
	if in.ExternalID != nil {
		p.ExternalID = *in.ExternalID
	}
	var team int64
	if in.TeamID != nil {
		team = *in.TeamID
	}
	u, link, err := a.People.Create(ctx(c), actor(c), p, team)
	if err != nil {
		return err
	}
	out := personOf(u, team)
	out.InvitationURL = link
	c.Location("/api/v1/people/" + strconv.FormatInt(u.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (a *API) personUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in personInput
	if err := decode(c, &in); err != nil {
		return err
	}
	ch := people.Change{Name: in.Name, Email: in.Email, Username: in.Username, ExternalID: in.ExternalID, Active: in.Active, Team: in.TeamID}
	if in.Role != nil {
		r := auth.Role(*in.Role)
		ch.Role = &r
	}
	return a.applyChange(c, id, ch)
}

func (a *API) personDeactivate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	off := false
	return a.applyChange(c, id, people.Change{Active: &off})
}

func (a *API) applyChange(c *fiber.Ctx, id int64, ch people.Change) error {
	if _, err := a.People.Update(ctx(c), actor(c), id, ch); err != nil {
		return err
	}
	r, err := a.Store.UserRowByID(ctx(c), id)
	if err != nil {
		return err
	}
	return c.JSON(personOf(&r.User, r.TeamID))
}
