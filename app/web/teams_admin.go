package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/people"
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
	// Parents are the teams this one may move under, by full path.
	Parents []people.TeamChoice
	Move    teamMoveForm
	Find    managerSearch
}

// teamMoveForm is the move form as sent, so a refused move comes back with
// the choice kept and the reason beside it.
type teamMoveForm struct {
	Parent int64
	Error  string
}

// managerSearch is the person search of the Managers card: what was typed,
// who matched (with whether they manage this team already) and whether
// more did than are shown.
type managerSearch struct {
	Query string
	Found []foundPerson
	More  bool
	Error string
}

type foundPerson struct {
	store.User
	Manages bool
}

// teamMembersShown bounds the member list on the admin's team page.
const teamMembersShown = 500

func (s *Server) teamAdmin(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	p, err := s.teamAdminData(c, int64(id))
	if err != nil {
		return err
	}
	p.Move.Parent = p.Team.ParentID
	if q := strings.TrimSpace(clone(c.Query("find"))); q != "" {
		p.Find.Query = q
		us, more, err := s.People.FindPeople(ctx(c), q)
		if err != nil {
			return err
		}
		managed := map[int64]bool{}
		for _, m := range p.Managers {
			managed[m.ID] = true
		}
		for _, u := range us {
			p.Find.Found = append(p.Find.Found, foundPerson{User: u, Manages: managed[u.ID]})
		}
		p.Find.More = more
		if len(us) == 0 {
			p.Find.Error = "Nobody's name or email contains that. Check the spelling, or add them under People first."
		}
	}
	return s.render(c, "team_admin", p.Team.Name, p)
}

func (s *Server) teamAdminData(c *fiber.Ctx, id int64) (teamAdminPage, error) {
	t, err := s.Store.Team(ctx(c), id)
	if err != nil {
		return teamAdminPage{}, err
	}
	p := teamAdminPage{Team: t}
	if p.Crumbs, err = s.Store.TeamsByIDs(ctx(c), t.Ancestors()); err != nil {
		return p, err
	}
	if p.Children, err = s.Store.ChildTeams(ctx(c), t.ID); err != nil {
		return p, err
	}
	if p.Members, err = s.Store.TeamMembers(ctx(c), t.ID, teamMembersShown); err != nil {
		return p, err
	}
	if p.Managers, err = s.Store.Managers(ctx(c), t.ID); err != nil {
		return p, err
	}
	if p.Parents, err = s.People.ParentChoices(ctx(c), t.ID); err != nil {
		return p, err
	}
	return p, nil
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

// teamMove puts a team under the parent chosen in the picker (0: at the
// top). A refused move comes back on the same form, 422, with the choice kept.
func (s *Server) teamMove(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	parent, err := formID(c, "parent")
	if err == nil {
		err = s.People.MoveTeam(ctx(c), actor(c), int64(id), parent)
	}
	var msg string
	var br badRequest
	switch {
	case err == nil:
		return c.Redirect("/admin/teams/"+strconv.Itoa(id), fiber.StatusSeeOther)
	case errors.Is(err, store.ErrCycle):
		msg = "A team cannot move under itself or one of its own subteams."
	case errors.Is(err, store.ErrConflict):
		msg = "The team chosen already has a subteam of this name. Rename one of them first."
	case errors.As(err, &br):
		msg = "Choose one of the teams in the list."
	case errors.Is(err, store.ErrNotFound) && parent != 0:
		msg = "That team is no longer there. Choose one of the teams in the list."
	default:
		return err
	}
	p, err := s.teamAdminData(c, int64(id))
	if err != nil {
		return err
	}
	p.Move = teamMoveForm{Parent: parent, Error: msg}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "team_admin", p.Team.Name, p)
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
