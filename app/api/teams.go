package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// team is a node of the organisation tree.
type team struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	ParentID   *int64    `json:"parent_id"`
	ExternalID *string   `json:"external_id"`
	CreatedAt  time.Time `json:"created_at"`
	Children   []team    `json:"children"`
}

func teamOf(t *store.Team) team {
	out := team{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), Children: []team{}}
	if t.ParentID != 0 {
		p := t.ParentID
		out.ParentID = &p
	}
	if t.ExternalID != "" {
		e := t.ExternalID
		out.ExternalID = &e
	}
	return out
}

// teamTree answers the whole tree: roots with their children, nested.
// Teams come in path order, so a parent is always met before its children.
func (a *API) teamTree(c *fiber.Ctx) error {
	ts, err := a.Store.Teams(ctx(c))
	if err != nil {
		return err
	}
	children := map[int64][]int64{}
	byID := map[int64]*store.Team{}
	for i := range ts {
		byID[ts[i].ID] = &ts[i]
		children[ts[i].ParentID] = append(children[ts[i].ParentID], ts[i].ID)
	}
	var build func(id int64) team
	build = func(id int64) team {
		t := teamOf(byID[id])
		for _, ch := range children[id] {
			t.Children = append(t.Children, build(ch))
		}
		return t
	}
	roots := []team{}
	for _, id := range children[0] {
		roots = append(roots, build(id))
	}
	return c.JSON(fiber.Map{"data": roots})
}

func (a *API) teamGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := a.Store.Team(ctx(c), id)
	if err != nil {
		return err
	}
	out := teamOf(t)
	kids, err := a.Store.ChildTeams(ctx(c), id)
	if err != nil {
		return err
	}
	for i := range kids {
		out.Children = append(out.Children, teamOf(&kids[i]))
	}
	return c.JSON(out)
}

type teamInput struct {
	Name     string `json:"name"`
	ParentID *int64 `json:"parent_id"`
}

func (a *API) teamCreate(c *fiber.Ctx) error {
	var in teamInput
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Name == "" || len(in.Name) > 200 {
		return invalid("name", "Give the team a name of at most 200 characters.")
	}
	var parent int64
	if in.ParentID != nil {
		parent = *in.ParentID
	}
	t, err := a.People.CreateTeam(ctx(c), actor(c), parent, in.Name)
	if err != nil {
		return err
	}
	c.Location("/api/v1/teams/" + strconv.FormatInt(t.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(teamOf(t))
}

type moveInput struct {
	ParentID *int64 `json:"parent_id"`
}

func (a *API) teamMove(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in moveInput
	if err := decode(c, &in); err != nil {
		return err
	}
	var parent int64
	if in.ParentID != nil {
		parent = *in.ParentID
	}
	if err := a.People.MoveTeam(ctx(c), actor(c), id, parent); err != nil {
		return err
	}
	return a.teamGet(c)
}

// invalid is a problem with one field of the body.
func invalid(field, msg string) *Problem {
	p := problem(fiber.StatusUnprocessableEntity, "invalid", "Some fields are not valid: see errors.")
	p.Errors = map[string]string{field: msg}
	return p
}
