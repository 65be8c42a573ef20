package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// teamsShownFlat bounds the admin's flat list of teams; larger trees are
// browsed a level at a time from the roots.
const teamsShownFlat = 2000

type teamsAdminPage struct {
	Teams []store.Team
	More  bool
}

// teamsAdmin lists the team tree (indented by depth) with a form for a new
// team.
func (s *Server) teamsAdmin(c *fiber.Ctx) error {
	ts, err := s.Store.Teams(ctx(c))
	if err != nil {
		return err
	}
	p := teamsAdminPage{Teams: ts}
	if len(ts) > teamsShownFlat {
		p.Teams, p.More = ts[:teamsShownFlat], true
	}
	return s.render(c, "teams_admin", "Teams", p)
}

func formID(c *fiber.Ctx, name string) (int64, error) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, badRequest{"That is not a team."}
	}
	return id, nil
}

func teamName(c *fiber.Ctx) (string, error) {
	name := strings.TrimSpace(clone(c.FormValue("name")))
	if name == "" || len(name) > 120 || strings.Contains(name, "/") {
		return "", badRequest{"A team name is 1 to 120 characters, without a slash."}
	}
	return name, nil
}

func (s *Server) teamCreate(c *fiber.Ctx) error {
	parent, err := formID(c, "parent")
	if err != nil {
		return err
	}
	name, err := teamName(c)
	if err != nil {
		return err
	}
	t, err := s.People.CreateTeam(ctx(c), actor(c), parent, name)
	if err != nil {
		return conflictAs(err, "A team with that name is already there.")
	}
	return c.Redirect("/admin/teams/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}

type teamAdminPage struct {
	Team     *store.Team
	Crumbs   []store.Team
	Children []store.Team
	Members  []store.User
	Managers []store.User
	Roots    []store.Team
}

// teamMembersShown bounds the member list on the admin's team page.
const teamMembersShown = 500

func (s *Server) teamAdmin(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	t, err := s.Store.Team(ctx(c), int64(id))
	if err != nil {
		return err
	}
	p := teamAdminPage{Team: t}
	if p.Crumbs, err = s.Store.TeamsByIDs(ctx(c), t.Ancestors()); err != nil {
		return err
	}
	if p.Children, err = s.Store.ChildTeams(ctx(c), t.ID); err != nil {
		return err
	}
	if p.Members, err = s.Store.TeamMembers(ctx(c), t.ID, teamMembersShown); err != nil {
		return err
	}
	if p.Managers, err = s.Store.Managers(ctx(c), t.ID); err != nil {
		return err
	}
	return s.render(c, "team_admin", t.Name, p)
}

func (s *Server) teamRename(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	name, err := teamName(c)
	if err != nil {
		return err
	}
	if err := s.People.RenameTeam(ctx(c), actor(c), int64(id), name); err != nil {
		return conflictAs(err, "A team with that name is already there.")
	}
	return c.Redirect("/admin/teams/"+strconv.Itoa(id), fiber.StatusSeeOther)
}

func (s *Server) teamMove(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	parent, err := formID(c, "parent")
	if err != nil {
		return err
	}
	if err := s.People.MoveTeam(ctx(c), actor(c), int64(id), parent); err != nil {
		if errors.Is(err, store.ErrCycle) {
			return badRequest{"A team cannot move under itself or one of its own subteams."}
		}
		return conflictAs(err, "A team with that name is already there.")
	}
	return c.Redirect("/admin/teams/"+strconv.Itoa(id), fiber.StatusSeeOther)
}

// teamMemberAdd puts a person (by email) in the team, moving them out of
// any other; they are enrolled on the team's assigned courses at once.
func (s *Server) teamMemberAdd(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if _, err := s.People.AddMember(ctx(c), actor(c), int64(id), c.FormValue("email")); err != nil {
		return err
	}
	return c.Redirect("/admin/teams/"+strconv.Itoa(id), fiber.StatusSeeOther)
}

// teamManagerSet makes a person (by email) a manager of the team, or stops
// them being one (manages=0). A learner made a manager gets the manager role.
func (s *Server) teamManagerSet(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if _, err := s.People.SetManager(ctx(c), actor(c), int64(id), c.FormValue("email"), c.FormValue("manages") != "0"); err != nil {
		return err
	}
	return c.Redirect("/admin/teams/"+strconv.Itoa(id), fiber.StatusSeeOther)
}

// personActive deactivates (active=0) or reactivates someone. Their
// history and enrolments stay; a deactivated person cannot sign in and
// leaves the matrices.
func (s *Server) personActive(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if _, err := s.People.SetActive(ctx(c), actor(c), int64(id), c.FormValue("active") == "1"); err != nil {
		return err
	}
	back := safeNext(c.FormValue("next"))
	if back == "/" {
		back = "/admin/people"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
