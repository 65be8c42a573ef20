package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/charts"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

type teamRate struct {
	Team     store.Team
	Enrolled int
	Done     int
	Overdue  int
	Rate     int
}

type monthCount struct {
	Month  string // "Mar 2026"
	People int
	Known  bool // false: no snapshot was taken that month
}

type summaryPage struct {
	Courses      []courseTotal
	Teams        []teamRate
	People       int
	OverdueNow   int
	Months       []monthCount
	CourseChart  template.HTML
	OverdueChart template.HTML
	NoTeams      bool
}

// orgSummary: completion rate per course and per top-level team, people
// overdue now and over the last 12 months, with two SVG charts drawn here.
func (s *Server) orgSummary(c *fiber.Ctx) error {
	sc, err := s.scopeOf(c)
	if err != nil {
		return err
	}
	p := summaryPage{NoTeams: len(sc.Roots) == 0}
	if p.NoTeams {
		return s.render(c, "summary", "Summary", p)
	}
	rc, err := s.reportCourses(c)
	if err != nil {
		return err
	}
	totals, err := s.Store.CourseTotals(ctx(c), sc.Scope, rc.IDs, rc.Cut)
	if err != nil {
		return err
	}
	p.Courses = rollUp(rc.Rows, totals)
	if p.People, err = s.Store.CountPeople(ctx(c), sc.Scope); err != nil {
		return err
	}

	// Top-level teams: the roots of the scope, or the children of the one
	// root when there is just one (the organisation itself).
	tops := sc.Roots
	if len(tops) == 1 {
		kids, err := s.Store.ChildTeams(ctx(c), tops[0].ID)
		if err != nil {
			return err
		}
		if len(kids) > 0 {
			tops = kids
		}
	}
	teamTotals, err := s.Store.TeamTotals(ctx(c), sc.Scope, rc.IDs, rc.Cut)
	if err != nil {
		return err
	}
	overdue, err := s.Store.OverduePeople(ctx(c), sc.Scope, rc.IDs, rc.Cut)
	if err != nil {
		return err
	}
	paths, err := s.teamPaths(c, teamTotals, overdue)
	if err != nil {
		return err
	}
	p.Teams = make([]teamRate, len(tops))
	for i, t := range tops {
		p.Teams[i].Team = t
	}
	top := func(teamID int64) *teamRate {
		path := paths[teamID]
		for i := range p.Teams {
			if strings.HasPrefix(path, p.Teams[i].Team.Path) {
				return &p.Teams[i]
			}
		}
		return nil
	}
	for _, tt := range teamTotals {
		if r := top(tt.TeamID); r != nil {
			r.Enrolled += tt.People
			if tt.Status == string(courses.Completed) || tt.Status == string(courses.DueSoon) {
				r.Done += tt.People
			}
		}
	}
	for id, n := range overdue {
		p.OverdueNow += n
		if r := top(id); r != nil {
			r.Overdue += n
		}
	}
	for i := range p.Teams {
		if p.Teams[i].Enrolled > 0 {
			p.Teams[i].Rate = p.Teams[i].Done * 100 / p.Teams[i].Enrolled
		}
	}

	if err := s.snapshotMonth(c, rc); err != nil {
		return err
	}
	now := s.Now().In(s.Config.Location)
	first := time.Date(now.Year(), now.Month()-11, 1, 0, 0, 0, 0, s.Config.Location)
	byMonth, err := s.Store.OverdueByMonth(ctx(c), sc.Scope, first.Format("2006-01"))
	if err != nil {
		return err
	}
	var bars, line []charts.Point
	for i := range 12 {
		m := first.AddDate(0, i, 0)
		n, ok := byMonth[m.Format("2006-01")]
		if i == 11 {
			n, ok = p.OverdueNow, true // this month: live
		}
		p.Months = append(p.Months, monthCount{Month: m.Format("Jan 2006"), People: n, Known: ok})
		line = append(line, charts.Point{Label: m.Format("Jan"), Value: float64(n)})
	}
	for _, ct := range p.Courses {
		bars = append(bars, charts.Point{Label: ct.Course.Title, Value: float64(ct.Rate)})
	}
	p.CourseChart = charts.Bars("Completion rate per course",
		"Percentage of enrolled people holding a valid completion of each course; the table below gives the numbers.", bars, 100, "%")
	p.OverdueChart = charts.Line("Overdue people per month",
		"People overdue on at least one course at the start of each of the last 12 months, and now; the table below gives the numbers.", line)
	return s.render(c, "summary", "Summary", p)
}

// teamPaths maps the team IDs in the totals to their paths.
func (s *Server) teamPaths(c *fiber.Ctx, totals []store.Total, overdue map[int64]int) (map[int64]string, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, t := range totals {
		if !seen[t.TeamID] {
			seen[t.TeamID] = true
			ids = append(ids, t.TeamID)
		}
	}
	for id := range overdue {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	out := make(map[int64]string, len(ids))
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		ts, err := s.Store.TeamsByIDs(ctx(c), part)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			out[t.ID] = t.Path
		}
	}
	return out, nil
}

// snapshotMonth records, once a month (the first time anyone opens a
// summary that month), how many people each team has overdue: the points
// of the 12-month line. Several instances may race: the first write wins.
func (s *Server) snapshotMonth(c *fiber.Ctx, rc reportCourses) error {
	month := s.Now().In(s.Config.Location).Format("2006-01")
	ok, err := s.Store.HasSnapshot(ctx(c), month)
	if err != nil || ok {
		return err
	}
	counts, err := s.Store.OverduePeople(ctx(c), store.Scope{All: true}, rc.IDs, rc.Cut)
	if err != nil {
		return err
	}
	snaps := make([]store.OverdueSnapshot, 0, len(counts))
	for id, n := range counts {
		snaps = append(snaps, store.OverdueSnapshot{Month: month, TeamID: id, People: n})
	}
	if len(snaps) == 0 {
		return nil
	}
	return s.Store.SaveSnapshots(ctx(c), snaps)
}
