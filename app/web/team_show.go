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
type matrixFilter reports.Filter

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
	// sort is "name" or "course:ID", "-" in front for the reverse order.
	sort := c.Query("sort")
	f.Desc = strings.HasPrefix(sort, "-")
	if key := strings.TrimPrefix(sort, "-"); strings.HasPrefix(key, "course:") {
		if f.SortCourse, err = strconv.ParseInt(strings.TrimPrefix(key, "course:"), 10, 64); err != nil || f.SortCourse <= 0 {
			return f, badRequest{"The matrix can only be sorted by a course."}
		}
	}
	if id := c.QueryInt("after_id"); id > 0 {
		f.After = store.Cursor{Rank: c.QueryInt("after_rank"), Name: clone(c.Query("after_name")), ID: int64(id)}
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
	if s := f.sortKey(); s != "name" {
		q.Set("sort", s)
	}
	return q
}

// sortKey is the sort query value: "name", "-name", "course:ID", "-course:ID".
func (f matrixFilter) sortKey() string {
	key := "name"
	if f.SortCourse != 0 {
		key = "course:" + strconv.FormatInt(f.SortCourse, 10)
	}
	if f.Desc {
		key = "-" + key
	}
	return key
}

// sortColumn is a column heading of the matrix as a link that sorts by it:
// most urgent first, and the other way round when it already is.
type sortColumn struct {
	Title string
	URL   string
	Sort  string // aria-sort: "ascending", "descending" or "" when not sorted by it
}

func (f matrixFilter) column(base, title string, course int64) sortColumn {
	col := sortColumn{Title: title}
	g := f
	g.After, g.SortCourse, g.Desc = store.Cursor{}, course, false
	if f.SortCourse == course {
		col.Sort = "ascending"
		if f.Desc {
			col.Sort = "descending"
		} else {
			g.Desc = true
		}
	}
	col.URL = base + "?" + g.query().Encode()
	return col
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

type teamPage struct {
	Team        *store.Team
	Crumbs      []store.Team
	Children    []store.Team
	Courses     []store.Course
	Rows        []matrixRow
	Totals      []reports.CourseTotal
	People      int
	Filter      matrixFilter
	States      []courses.Status
	Export      string // the matrix CSV, filtered as the page is
	Next        string // the next page, "" when this is the last
	First       string // the first page, "" when this is it
	Assignments []store.Assignment
	Inherited   map[int64]bool // assignments made above the manager's teams: read-only
	Assigned    int            // people covered by the assignment just made
	Today       string
	Form        assignForm // the assignment form: what was typed, what to correct
	PersonCol   sortColumn
	CourseCols  []sortColumn // one per course, in the order of Courses
	SortOptions []sortOption
}

// sortOption is one choice of the filter form's Sort menu.
type sortOption struct {
	Value, Label string
	Selected     bool
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
		v.Date, v.DateWord = e.DueAt, "overdue since"
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

func (s *Server) teamPageData(c *fiber.Ctx, t *store.Team, sc reports.Scope, f matrixFilter) (*teamPage, error) {
	m, err := s.Reports.Matrix(ctx(c), sc, t, reports.Filter(f), s.Now(), matrixPageSize)
	if err != nil {
		return nil, err
	}
	p := &teamPage{Team: t, Courses: m.Courses.Rows, Filter: f, States: reports.Statuses, Totals: m.Totals, People: m.People,
		Crumbs: m.Crumbs, Children: m.Children, Assignments: m.Assignments, Inherited: m.Inherited, Assigned: c.QueryInt("assigned"),
		Today: s.Now().In(s.Config.Location).Format("2006-01-02")}
	p.Form = assignForm{Action: "/manage/teams/" + strconv.FormatInt(t.ID, 10) + "/assignments", Courses: p.Courses,
		DaysLabel: "Due this many days after assignment", Today: p.Today, In: assignInput{Key: auth.NewToken()}}
	for _, r := range m.Rows {
		row := matrixRow{Person: r.Person, Cells: make([]cellView, len(r.Cells))}
		for i, cell := range r.Cells {
			row.Cells[i] = cellOf(cell)
		}
		p.Rows = append(p.Rows, row)
	}
	base := "/manage/teams/" + itoa(int(t.ID))
	// Whole URLs, built here: html/template escapes a value placed after
	// "?" in an href as one query component, "&" and "=" included, which
	// would turn the filter into a single meaningless parameter.
	filter := f.query().Encode()
	p.Export = base + "/matrix.csv?" + filter
	if m.More && len(m.Rows) > 0 {
		last := m.Rows[len(m.Rows)-1].Person
		nq := f.query()
		nq.Set("after_name", last.Name)
		if f.SortCourse != 0 {
			nq.Set("after_rank", strconv.Itoa(last.Rank))
		}
		nq.Set("after_id", strconv.FormatInt(last.ID, 10))
		p.Next = base + "?" + nq.Encode()
	}
	if !f.After.IsZero() {
		p.First = base + "?" + filter
	}
	p.PersonCol = f.column(base, "Person", 0)
	p.SortOptions = []sortOption{{"name", "Name A–Z", false}, {"-name", "Name Z–A", false}}
	for _, co := range p.Courses {
		p.CourseCols = append(p.CourseCols, f.column(base, co.Title, co.ID))
		id := strconv.FormatInt(co.ID, 10)
		p.SortOptions = append(p.SortOptions, sortOption{"course:" + id, co.Title + ": most urgent first", false},
			sortOption{"-course:" + id, co.Title + ": least urgent first", false})
	}
	for i := range p.SortOptions {
		p.SortOptions[i].Selected = p.SortOptions[i].Value == f.sortKey()
	}
	return p, nil
}
