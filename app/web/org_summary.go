package web

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/charts"
	"github.com/frontline-lms/frontline/app/reports"
)

type summaryPage struct {
	*reports.Summary
	CourseChart  template.HTML
	OverdueChart template.HTML
}

// orgSummary: completion rate per course and per top-level team, people
// overdue now and over the last 12 months (reports.Summary), with two SVG
// charts drawn here, each beside a table of the same numbers.
func (s *Server) orgSummary(c *fiber.Ctx) error {
	sc, err := s.scopeOf(c)
	if err != nil {
		return err
	}
	sum, err := s.Reports.Summary(ctx(c), sc, s.Now())
	if err != nil {
		return err
	}
	p := summaryPage{Summary: sum}
	if sum.NoTeams {
		return s.render(c, "summary", "Summary", p)
	}
	var bars, line []charts.Point
	for _, m := range sum.Months {
		line = append(line, charts.Point{Label: m.Month.Format("Jan"), Value: float64(m.People), Missing: !m.Known})
	}
	for _, ct := range sum.Courses {
		bars = append(bars, charts.Point{Label: ct.Course.Title, Value: float64(ct.Rate)})
	}
	p.CourseChart = charts.Bars("Completion rate per course",
		"Percentage of enrolled people holding a valid completion of each course; the table below gives the numbers.", bars, 100, "%")
	p.OverdueChart = charts.Line("Overdue people per month",
		"People overdue on at least one course at the start of each of the last 12 months, and now; a month with no record is a gap. The table below gives the numbers.", line)
	return s.render(c, "summary", "Summary", p)
}
