package web

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/charts"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
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
	AsOf         time.Time // when the totals were taken
}

// orgSummary: completion rate per course and per top-level team, people
// overdue now and over the last 12 months, with two SVG charts drawn here.
// The numbers come from the totals the scheduler stores every few minutes
// (store.SummaryTotal: every team's subtree), so a view reads a few rows
// whatever the size of the organisation; the page says when they were taken.
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
	rows, err := s.summaryTotals(c, sc, tops, rc)
	if err != nil {
		return err
	}
	byTeam := map[int64][]store.SummaryTotal{}
	for _, r := range rows {
		byTeam[r.TeamID] = append(byTeam[r.TeamID], r)
		if r.CourseID == 0 && (p.AsOf.IsZero() || r.TakenAt.Before(p.AsOf)) {
			p.AsOf = r.TakenAt
		}
	}
	p.AsOf = p.AsOf.In(s.Config.Location)
	published := map[int64]bool{}
	for _, id := range rc.IDs {
		published[id] = true
	}
	var totals []store.Total
	for _, root := range sc.Roots {
		for _, r := range byTeam[root.ID] {
			if r.CourseID == 0 {
				p.People += r.People
				p.OverdueNow += r.Overdue
				continue
			}
			totals = append(totals, r.Totals()...)
		}
	}
	p.Courses = rollUp(rc.Rows, totals)
	p.Teams = make([]teamRate, len(tops))
	for i, t := range tops {
		tr := &p.Teams[i]
		tr.Team = t
		for _, r := range byTeam[t.ID] {
			switch {
			case r.CourseID == 0:
				tr.Overdue = r.Overdue
			case published[r.CourseID]:
				tr.Enrolled += r.Enrolled()
				tr.Done += r.Completed + r.DueSoon
			}
		}
		if tr.Enrolled > 0 {
			tr.Rate = tr.Done * 100 / tr.Enrolled
		}
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
			n, ok = p.OverdueNow, true // this month: the latest totals
		}
		p.Months = append(p.Months, monthCount{Month: m.Format("Jan 2006"), People: n, Known: ok})
		line = append(line, charts.Point{Label: m.Format("Jan"), Value: float64(n), Missing: !ok})
	}
	for _, ct := range p.Courses {
		bars = append(bars, charts.Point{Label: ct.Course.Title, Value: float64(ct.Rate)})
	}
	p.CourseChart = charts.Bars("Completion rate per course",
		"Percentage of enrolled people holding a valid completion of each course; the table below gives the numbers.", bars, 100, "%")
	p.OverdueChart = charts.Line("Overdue people per month",
		"People overdue on at least one course at the start of each of the last 12 months, and now; a month with no record is a gap. The table below gives the numbers.", line)
	return s.render(c, "summary", "Summary", p)
}

// summaryTotals returns the stored totals of the scope's roots and of tops.
// With no snapshot yet (a new installation) it computes and stores one, as
// the scheduler would. A team newer than the snapshot has no row: as a
// manager's root it is computed live, unsaved (a manager's subtree is small,
// and access must follow the teams they manage now); as a top-level line of
// a snapshot taken before it existed it shows zeros until the next refresh,
// like every other number on the page.
func (s *Server) summaryTotals(c *fiber.Ctx, sc scope, tops []store.Team, rc reportCourses) ([]store.SummaryTotal, error) {
	ids := make([]int64, 0, len(sc.Roots)+len(tops))
	for _, t := range sc.Roots {
		ids = append(ids, t.ID)
	}
	for _, t := range tops {
		ids = append(ids, t.ID)
	}
	rows, err := s.Store.SummaryOf(ctx(c), ids)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		ok, err := s.Store.HasSummary(ctx(c))
		if err != nil {
			return nil, err
		}
		if !ok {
			month := s.Now().In(s.Config.Location).Format("2006-01")
			return reports.RefreshSummary(ctx(c), s.Store, rc.IDs, rc.Cut, month)
		}
	}
	if sc.All {
		return rows, nil
	}
	have := map[int64]bool{}
	for _, r := range rows {
		have[r.TeamID] = true
	}
	for _, t := range sc.Roots {
		if !have[t.ID] {
			rows, _, err = s.Store.BuildSummary(ctx(c), sc.Scope, rc.IDs, rc.Cut)
			return rows, err
		}
	}
	return rows, nil
}
