package reports

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
)

// Service answers what managers and admins ask of the records — who they
// may see, the completion matrix, the due lists, a person's report, the
// organisation summary — and makes the writes those pages lead to
// (assignments, exports), each in one transaction with its audit row.
// Handlers parse filters and render; the rules live here.
type Service struct {
	Store    *store.Store
	Catalog  *catalog.Catalog
	Learning *learning.Service
	Location *time.Location // the organisation's calendar
}

// ErrOutsideScope is a team or person outside the teams the asker manages.
var ErrOutsideScope = errors.New("reports: outside the teams you manage")

// InputError is a filter or form the asker got wrong; its text may be shown.
type InputError string

func (e InputError) Error() string { return string(e) }

// Scope is what one person may see of the organisation: an admin
// everything, a manager the subtrees of the teams they manage.
type Scope struct {
	store.Scope
	Roots []store.Team // the top of what they see
}

// ScopeOf returns what u may see.
func (s *Service) ScopeOf(ctx context.Context, u *store.User) (Scope, error) {
	if auth.Role(u.Role) == auth.Admin {
		roots, err := s.Store.ChildTeams(ctx, 0)
		return Scope{Scope: store.Scope{All: true}, Roots: roots}, err
	}
	managed, err := s.Store.ManagedTeams(ctx, u.ID)
	if err != nil {
		return Scope{}, err
	}
	var sc Scope
	for _, t := range managed { // path order: a team under one already kept is inside it
		if n := len(sc.Roots); n > 0 && strings.HasPrefix(t.Path, sc.Roots[n-1].Path) {
			continue
		}
		sc.Roots = append(sc.Roots, t)
		sc.Paths = append(sc.Paths, t.Path)
	}
	return sc, nil
}

// Covers reports whether a team path is inside the scope.
func (sc Scope) Covers(path string) bool {
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

// Team loads a team, refusing it (ErrOutsideScope) when sc does not cover it.
func (s *Service) Team(ctx context.Context, sc Scope, id int64) (*store.Team, error) {
	t, err := s.Store.Team(ctx, id)
	if err != nil {
		return nil, err
	}
	if !sc.Covers(t.Path) {
		return nil, ErrOutsideScope
	}
	return t, nil
}

// Person loads a person, refusing anyone outside sc.
func (s *Service) Person(ctx context.Context, sc Scope, id int64) (*store.User, error) {
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !sc.All {
		ok, err := s.Store.PersonInScope(ctx, sc.Scope, u.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrOutsideScope
		}
	}
	return u, nil
}

// Courses are the published courses reports have as columns, with the
// state cutoffs at one moment.
type Courses struct {
	Rows []store.Course
	IDs  []int64
	Cut  store.StateCutoffs
}

// Courses returns the published courses and their cutoffs at now.
func (s *Service) Courses(ctx context.Context, now time.Time) (Courses, error) {
	rows, err := s.Store.PublishedCourses(ctx)
	if err != nil {
		return Courses{}, err
	}
	rc := Courses{Rows: rows}
	rcs := make([]Course, 0, len(rows))
	for i := range rows {
		sched, err := s.Learning.Schedule(&rows[i])
		if err != nil {
			return rc, err
		}
		rc.IDs = append(rc.IDs, rows[i].ID)
		rcs = append(rcs, Course{ID: rows[i].ID, Schedule: sched})
	}
	rc.Cut = Cutoffs(now, s.Location, rcs)
	return rc, nil
}

// Title returns a published course's title by ID, "" when it is not one.
func (rc Courses) Title(id int64) string {
	for _, r := range rc.Rows {
		if r.ID == id {
			return r.Title
		}
	}
	return ""
}

// RecordExport writes the audit row of an export before its first row goes
// out: an export that cannot be recorded does not happen.
func (s *Service) RecordExport(ctx context.Context, by store.Actor, what, detail string, now time.Time) error {
	return s.Store.Audit(ctx, by.Entry("report.export", what, detail, now))
}
