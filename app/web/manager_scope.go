package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

// scope is what the signed-in person may see of the organisation: an admin
// everything, a manager the subtrees of the teams they manage.
type scope struct {
	store.Scope
	Roots []store.Team // the top of what they see
}

func (s *Server) scopeOf(c *fiber.Ctx) (scope, error) {
	u := userOf(c)
	if u.Role == string(auth.Admin) {
		roots, err := s.Store.ChildTeams(ctx(c), 0)
		return scope{Scope: store.Scope{All: true}, Roots: roots}, err
	}
	managed, err := s.Store.ManagedTeams(ctx(c), u.ID)
	if err != nil {
		return scope{}, err
	}
	var sc scope
	for _, t := range managed { // path order: a team under one already kept is inside it
		if n := len(sc.Roots); n > 0 && strings.HasPrefix(t.Path, sc.Roots[n-1].Path) {
			continue
		}
		sc.Roots = append(sc.Roots, t)
		sc.Paths = append(sc.Paths, t.Path)
	}
	return sc, nil
}

// covers reports whether a team path is inside the scope.
func (sc scope) covers(path string) bool {
	if sc.All {
		return true
	}
	for _, p := range sc.Paths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// teamInScope loads the team named by the :id parameter and refuses it
// (403) when it is outside what the person manages.
func (s *Server) teamInScope(c *fiber.Ctx) (*store.Team, scope, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, scope{}, fiber.ErrNotFound
	}
	sc, err := s.scopeOf(c)
	if err != nil {
		return nil, sc, err
	}
	t, err := s.Store.Team(ctx(c), int64(id))
	if err != nil {
		return nil, sc, err
	}
	if !sc.covers(t.Path) {
		return nil, sc, errForbidden
	}
	return t, sc, nil
}

// reportCourses is the matrix's columns and the state cutoffs at now.
type reportCourses struct {
	Rows []store.Course
	IDs  []int64
	Cut  store.StateCutoffs
}

func (s *Server) reportCourses(c *fiber.Ctx) (reportCourses, error) {
	rows, err := s.Store.PublishedCourses(ctx(c))
	if err != nil {
		return reportCourses{}, err
	}
	rc := reportCourses{Rows: rows}
	rcs := make([]reports.Course, 0, len(rows))
	for i := range rows {
		sched, err := s.Learning.Schedule(&rows[i])
		if err != nil {
			return rc, err
		}
		rc.IDs = append(rc.IDs, rows[i].ID)
		rcs = append(rcs, reports.Course{ID: rows[i].ID, Schedule: sched})
	}
	rc.Cut = reports.Cutoffs(s.Now(), s.Config.Location, rcs)
	return rc, nil
}

// title returns a course's title by ID.
func (rc reportCourses) title(id int64) string {
	for _, r := range rc.Rows {
		if r.ID == id {
			return r.Title
		}
	}
	return ""
}

// conflictAs turns store.ErrConflict into a message for the person.
func conflictAs(err error, msg string) error {
	if errors.Is(err, store.ErrConflict) {
		return badRequest{msg}
	}
	return err
}
