package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// matrixPageSize is how many people one page of the matrix shows.
const matrixPageSize = 50

// matrixFilter is the team page's query string: what the matrix shows.
type matrixFilter struct {
	Course int64
	State  courses.Status
	Sub    int64 // a team inside this one, 0 for all of it
	Desc   bool
	After  store.Cursor
}

func parseMatrixFilter(c *fiber.Ctx) (matrixFilter, error) {
	var f matrixFilter
	var err error
	if v := c.Query("course"); v != "" {
		if f.Course, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, badRequest{"The course filter is not a course."}
		}
	}
	if f.State, err = reports.ParseStatus(c.Query("state")); err != nil {
		return f, badRequest{"The state filter is not a state."}
	}
	if v := c.Query("sub"); v != "" {
		if f.Sub, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, badRequest{"The team filter is not a team."}
		}
	}
	f.Desc = c.Query("sort") == "-name"
	if id := c.QueryInt("after_id"); id > 0 {
		f.After = store.Cursor{Name: clone(c.Query("after_name")), ID: int64(id)}
	}
	return f, nil
}

// query is the filter as a query string, without the page position.
func (f matrixFilter) query() url.Values {
	q := url.Values{}
	if f.Course != 0 {
		q.Set("course", strconv.FormatInt(f.Course, 10))
	}
	if f.State != "" {
		q.Set("state", string(f.State))
	}
	if f.Sub != 0 {
		q.Set("sub", strconv.FormatInt(f.Sub, 10))
	}
	if f.Desc {
		q.Set("sort", "-name")
	}
	return q
}

// matrixQuery resolves the filter against the team: the subteam must be
// inside it.
func (s *Server) matrixQuery(c *fiber.Ctx, t *store.Team, f matrixFilter, rc reportCourses) (store.MatrixQuery, error) {
	path := t.Path
	if f.Sub != 0 && f.Sub != t.ID {
		sub, err := s.Store.Team(ctx(c), f.Sub)
		if err != nil || !strings.HasPrefix(sub.Path, t.Path) {
			return store.MatrixQuery{}, badRequest{"That team is not inside this one."}
		}
		path = sub.Path
	}
	if f.Course != 0 && rc.title(f.Course) == "" {
		return store.MatrixQuery{}, badRequest{"The course filter is not a published course."}
	}
	return store.MatrixQuery{Scope: store.Scope{Paths: []string{path}}, Courses: rc.IDs, Course: f.Course,
		State: string(f.State), Desc: f.Desc, After: f.After, Limit: matrixPageSize, Cut: rc.Cut}, nil
}

type cellView struct {
	Status   courses.Status
	Date     time.Time
	DateWord string // what the date means: "on", "since", "by", "due"
	Symbol   string
	Enrolled bool
}

type matrixRow struct {
	Person store.Person
	Cells  []cellView
}

type courseTotal struct {
	Course   store.Course
	Counts   map[string]int
	Enrolled int
	Done     int // completed or due soon: holding a valid completion
	Rate     int // Done as a percentage of Enrolled
}

type teamPage struct {
	Team        *store.Team
	Crumbs      []store.Team
	Children    []store.Team
	Courses     []store.Course
	Rows        []matrixRow
	Totals      []courseTotal
	People      int
	Filter      matrixFilter
	States      []courses.Status
	Export      string // the matrix CSV, filtered as the page is
	Next        string // the next page, "" when this is the last
	First       string // the first page, "" when this is it
	Assignments []store.Assignment
	Assigned    int // people covered by the assignment just made
	Today       string
	Key         string // the assignment form's idempotency key
}

var symbols = map[courses.Status]string{courses.Completed: "✓", courses.DueSoon: "◷", courses.Overdue: "!", courses.InProgress: "…", courses.NotStarted: "○"}

func cellOf(e *store.Cell) cellView {
	if e == nil {
		return cellView{Status: courses.NotStarted, Symbol: symbols[courses.NotStarted]}
	}
	v := cellView{Status: e.Status, Symbol: symbols[e.Status], Enrolled: true}
	switch v.Status {
	case courses.Completed:
		v.Date, v.DateWord = e.LastCompleted, "on"
	case courses.Overdue:
		v.Date, v.DateWord = e.DueAt, "was due"
	default:
		v.Date, v.DateWord = e.DueAt, "due"
	}
	return v
}

// teamShow is the completion matrix: a page of people × courses with each
// cell's state and date, per-course totals, filters and keyset paging.
func (s *Server) teamShow(c *fiber.Ctx) error {
	t, sc, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	f, err := parseMatrixFilter(c)
	if err != nil {
		return err
	}
	p, err := s.teamPageData(c, t, sc, f)
	if err != nil {
		return err
	}
	return s.render(c, "team", t.Name, p)
}

func (s *Server) teamPageData(c *fiber.Ctx, t *store.Team, sc scope, f matrixFilter) (*teamPage, error) {
	rc, err := s.reportCourses(c)
	if err != nil {
		return nil, err
	}
	q, err := s.matrixQuery(c, t, f, rc)
	if err != nil {
		return nil, err
	}
	p := &teamPage{Team: t, Courses: rc.Rows, Filter: f, States: reports.Statuses,
		Today: s.Now().In(s.Config.Location).Format("2006-01-02"), Key: auth.NewToken()}
	people, more, err := s.Store.MatrixPeople(ctx(c), q)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(people))
	for i, pp := range people {
		ids[i] = pp.ID
	}
	cells, err := s.Store.Cells(ctx(c), ids, rc.IDs, rc.Cut)
	if err != nil {
		return nil, err
	}
	type key struct{ u, c int64 }
	byKey := make(map[key]*store.Cell, len(cells))
	for i := range cells {
		byKey[key{cells[i].UserID, cells[i].CourseID}] = &cells[i]
	}
	for _, pp := range people {
		row := matrixRow{Person: pp}
		for _, co := range rc.Rows {
			row.Cells = append(row.Cells, cellOf(byKey[key{pp.ID, co.ID}]))
		}
		p.Rows = append(p.Rows, row)
	}
	totals, err := s.Store.CourseTotals(ctx(c), q.Scope, rc.IDs, rc.Cut)
	if err != nil {
		return nil, err
	}
	if p.People, err = s.Store.CountPeople(ctx(c), q.Scope); err != nil {
		return nil, err
	}
	p.Totals = rollUp(rc.Rows, totals)
	base := "/manage/teams/" + itoa(int(t.ID))
	// Whole URLs, built here: html/template escapes a value placed after
	// "?" in an href as one query component, "&" and "=" included, which
	// would turn the filter into a single meaningless parameter.
	filter := f.query().Encode()
	p.Export = base + "/matrix.csv?" + filter
	if more && len(people) > 0 {
		last := people[len(people)-1]
		nq := f.query()
		nq.Set("after_name", last.Name)
		nq.Set("after_id", strconv.FormatInt(last.ID, 10))
		p.Next = base + "?" + nq.Encode()
	}
	if !f.After.IsZero() {
		p.First = base + "?" + filter
	}
	p.Assigned = c.QueryInt("assigned")
	if p.Children, err = s.Store.ChildTeams(ctx(c), t.ID); err != nil {
		return nil, err
	}
	crumbs, err := s.Store.TeamsByIDs(ctx(c), t.Ancestors())
	if err != nil {
		return nil, err
	}
	for _, cr := range crumbs {
		if cr.ID != t.ID && sc.covers(cr.Path) {
			p.Crumbs = append(p.Crumbs, cr)
		}
	}
	if p.Assignments, err = s.Store.AssignmentsCovering(ctx(c), t); err != nil {
		return nil, err
	}
	return p, nil
}

// rollUp turns per-course state counts into the totals row.
func rollUp(rows []store.Course, totals []store.Total) []courseTotal {
	out := make([]courseTotal, len(rows))
	idx := map[int64]int{}
	for i, r := range rows {
		out[i] = courseTotal{Course: r, Counts: map[string]int{}}
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
