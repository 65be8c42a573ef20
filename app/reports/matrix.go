package reports

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Filter is what a manager narrows the completion matrix to.
type Filter struct {
	Course int64          // one course, 0 for all
	State  courses.Status // one state, "" for all
	Sub    int64          // a team inside the page's team, 0 for all of it
	Desc   bool           // names Z to A; with SortCourse, least urgent first
	// SortCourse orders people by their state on this course, most urgent
	// first; 0 orders by name.
	SortCourse int64
	After      store.Cursor // the page after this person
}

// MatrixQuery resolves a filter against a team: the subteam must be inside
// it and the course published. limit is the page size (0 for an export).
func (s *Service) MatrixQuery(ctx context.Context, t *store.Team, f Filter, rc Courses, limit int) (store.MatrixQuery, error) {
	path := t.Path
	if f.Sub != 0 && f.Sub != t.ID {
		sub, err := s.Store.Team(ctx, f.Sub)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.MatrixQuery{}, err // the database, not the filter
		}
		if err != nil || !strings.HasPrefix(sub.Path, t.Path) {
			return store.MatrixQuery{}, InputError("That team is not inside this one.")
		}
		path = sub.Path
	}
	if f.Course != 0 && rc.Title(f.Course) == "" {
		return store.MatrixQuery{}, InputError("The course filter is not a published course.")
	}
	if f.SortCourse != 0 && rc.Title(f.SortCourse) == "" {
		return store.MatrixQuery{}, InputError("The matrix can only be sorted by a published course.")
	}
	return store.MatrixQuery{Scope: store.Scope{Paths: []string{path}}, Courses: rc.IDs, Course: f.Course,
		State: string(f.State), Desc: f.Desc, SortCourse: f.SortCourse, After: f.After, Limit: limit, Cut: rc.Cut}, nil
}

// MatrixRow is one person and their cells, in the order of the courses; a
// nil cell is a course they never started.
type MatrixRow struct {
	Person store.Person
	Cells  []*store.Cell
}

// CourseTotal is one course's line of totals.
type CourseTotal struct {
	Course   store.Course
	Counts   map[string]int // by courses.Status, as templates index it
	Enrolled int
	Done     int // completed or due soon: holding a valid completion
	Rate     int // Done as a percentage of Enrolled
}

// Matrix is one page of the completion matrix of a team and everything
// below it, with what the page around it shows.
type Matrix struct {
	Courses     Courses
	Rows        []MatrixRow
	More        bool // another page follows
	Totals      []CourseTotal
	People      int // people in the team and below
	Crumbs      []store.Team
	Children    []store.Team
	Assignments []store.Assignment
	// Inherited holds the assignments made above what the manager manages:
	// they see them, but only whoever manages that team may remove them.
	Inherited map[int64]bool
}

// Matrix reads one page (limit people) of a team's matrix at now, with the
// per-course totals, the teams around it that sc covers and the
// assignments that reach it.
func (s *Service) Matrix(ctx context.Context, sc Scope, t *store.Team, f Filter, now time.Time, limit int) (*Matrix, error) {
	rc, err := s.Courses(ctx, now)
	if err != nil {
		return nil, err
	}
	q, err := s.MatrixQuery(ctx, t, f, rc, limit)
	if err != nil {
		return nil, err
	}
	m := &Matrix{Courses: rc}
	if m.Rows, m.More, err = s.rows(ctx, q, rc); err != nil {
		return nil, err
	}
	totals, err := s.Store.CourseTotals(ctx, q.Scope, rc.IDs, rc.Cut)
	if err != nil {
		return nil, err
	}
	m.Totals = RollUp(rc.Rows, totals)
	if m.People, err = s.Store.CountPeople(ctx, q.Scope); err != nil {
		return nil, err
	}
	if m.Children, err = s.Store.ChildTeams(ctx, t.ID); err != nil {
		return nil, err
	}
	crumbs, err := s.Store.TeamsByIDs(ctx, t.Ancestors())
	if err != nil {
		return nil, err
	}
	for _, cr := range crumbs {
		if cr.ID != t.ID && sc.Covers(cr.Path) {
			m.Crumbs = append(m.Crumbs, cr)
		}
	}
	if m.Assignments, err = s.Store.AssignmentsCovering(ctx, t); err != nil {
		return nil, err
	}
	m.Inherited = map[int64]bool{}
	for _, a := range m.Assignments {
		covered := false
		for _, cr := range crumbs {
			if cr.ID == a.TeamID {
				covered = sc.Covers(cr.Path)
			}
		}
		if !covered {
			m.Inherited[a.ID] = true
		}
	}
	return m, nil
}

// rows reads one page of the matrix's rows: the people q selects and
// their cells, in the order of rc's courses.
func (s *Service) rows(ctx context.Context, q store.MatrixQuery, rc Courses) ([]MatrixRow, bool, error) {
	people, more, err := s.Store.MatrixPeople(ctx, q)
	if err != nil {
		return nil, false, err
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	cells, err := s.Store.Cells(ctx, ids, rc.IDs, rc.Cut)
	if err != nil {
		return nil, false, err
	}
	type key struct{ u, c int64 }
	byKey := make(map[key]*store.Cell, len(cells))
	for i := range cells {
		byKey[key{cells[i].UserID, cells[i].CourseID}] = &cells[i]
	}
	out := make([]MatrixRow, 0, len(people))
	for _, p := range people {
		row := MatrixRow{Person: p, Cells: make([]*store.Cell, len(rc.Rows))}
		for i, co := range rc.Rows {
			row.Cells[i] = byKey[key{p.ID, co.ID}]
		}
		out = append(out, row)
	}
	return out, more, nil
}

// Enrolments is one page of the completion matrix as programs read it: the
// rows the matrix page shows for team t (nil: the whole organisation) and
// filter f, from the same queries, so the API and the page never disagree
// on a state.
func (s *Service) Enrolments(ctx context.Context, t *store.Team, f Filter, now time.Time, limit int) (Courses, []MatrixRow, bool, error) {
	rc, err := s.Courses(ctx, now)
	if err != nil {
		return rc, nil, false, err
	}
	var q store.MatrixQuery
	if t == nil {
		if f.Course != 0 && rc.Title(f.Course) == "" {
			return rc, nil, false, InputError("The course filter is not a published course.")
		}
		q = store.MatrixQuery{Scope: store.Scope{All: true}, Courses: rc.IDs, Course: f.Course,
			State: string(f.State), After: f.After, Limit: limit, Cut: rc.Cut}
	} else if q, err = s.MatrixQuery(ctx, t, f, rc, limit); err != nil {
		return rc, nil, false, err
	}
	rows, more, err := s.rows(ctx, q, rc)
	return rc, rows, more, err
}

// PersonEnrolments is one person's row of the matrix: a cell per published
// course (nil: never started), by the same query as the matrix.
func (s *Service) PersonEnrolments(ctx context.Context, u *store.User, now time.Time) (Courses, []*store.Cell, error) {
	rc, err := s.Courses(ctx, now)
	if err != nil {
		return rc, nil, err
	}
	cells, err := s.Store.Cells(ctx, []int64{u.ID}, rc.IDs, rc.Cut)
	if err != nil {
		return rc, nil, err
	}
	out := make([]*store.Cell, len(rc.Rows))
	for i, co := range rc.Rows {
		for j := range cells {
			if cells[j].CourseID == co.ID {
				out[i] = &cells[j]
			}
		}
	}
	return rc, out, nil
}

// RollUp turns per-course state counts into the totals row.
func RollUp(rows []store.Course, totals []store.Total) []CourseTotal {
	out := make([]CourseTotal, len(rows))
	idx := map[int64]int{}
	for i, r := range rows {
		out[i] = CourseTotal{Course: r, Counts: map[string]int{}}
		idx[r.ID] = i
	}
	for _, tt := range totals {
		i, ok := idx[tt.CourseID]
		if !ok {
			continue
		}
		ct := &out[i]
		ct.Counts[string(tt.Status)] += tt.People
		ct.Enrolled += tt.People
		if tt.Status == courses.Completed || tt.Status == courses.DueSoon {
			ct.Done += tt.People
		}
	}
	for i := range out {
		if out[i].Enrolled > 0 {
			out[i].Rate = out[i].Done * 100 / out[i].Enrolled
		}
	}
	return out
}

// ExportMatrix streams every row of a team's matrix, filtered, to fn. The
// query comes from MatrixQuery, resolved before the response starts so a
// bad filter is still an error page.
func (s *Service) ExportMatrix(ctx context.Context, q store.MatrixQuery, fn func(*store.ExportRow) error) error {
	q.After, q.Limit = store.Cursor{}, 0
	return s.Store.ExportMatrix(ctx, q, fn)
}

// DueListLimit bounds each due list; the totals say how many there are.
const DueListLimit = 500

// DueSoonDays is the horizon of the "due soon" list.
const DueSoonDays = 30

// DueLists are who is overdue (oldest first) and who falls due in the next
// DueSoonDays, in a team and everything below it.
type DueLists struct {
	Overdue, Soon       []store.DueRow
	OverdueAll, SoonAll int
	Days                int
}

// Due reads a team's due lists at now.
func (s *Service) Due(ctx context.Context, t *store.Team, now time.Time) (DueLists, error) {
	rc, err := s.Courses(ctx, now)
	if err != nil {
		return DueLists{}, err
	}
	sc := store.Scope{Paths: []string{t.Path}}
	d := DueLists{Days: DueSoonDays}
	if d.Overdue, d.OverdueAll, err = s.Store.DueBetween(ctx, sc, rc.IDs, time.Time{}, rc.Cut.Today, DueListLimit, rc.Cut); err != nil {
		return d, err
	}
	until := rc.Cut.Today.In(s.Location).AddDate(0, 0, DueSoonDays+1)
	d.Soon, d.SoonAll, err = s.Store.DueBetween(ctx, sc, rc.IDs, rc.Cut.Today, until, DueListLimit, rc.Cut)
	return d, err
}
