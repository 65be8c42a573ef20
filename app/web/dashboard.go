package web

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/courses"
)

type dashboardPage struct {
	Due, Active, Other, Done []learning.CourseStanding
}

// dashboard shows every course the person can take, grouped by what needs
// doing: due or overdue first, then in progress, not started, completed.
func (s *Server) dashboard(c *fiber.Ctx) error {
	rows, err := s.Store.PublishedCourses(ctx(c))
	if err != nil {
		return err
	}
	versions := make([]*courses.Course, len(rows))
	for i, r := range rows {
		if versions[i], err = s.Catalog.Version(ctx(c), r.CurrentVersionID); err != nil {
			return err
		}
	}
	all, err := s.Learning.Overview(ctx(c), userOf(c).ID, rows, versions, s.Now())
	if err != nil {
		return err
	}
	var p dashboardPage
	for _, cs := range all {
		switch cs.Standing.State.Status {
		case courses.Overdue, courses.DueSoon:
			p.Due = append(p.Due, cs)
		case courses.InProgress:
			p.Active = append(p.Active, cs)
		case courses.Completed:
			p.Done = append(p.Done, cs)
		default:
			p.Other = append(p.Other, cs)
		}
	}
	slices.SortStableFunc(p.Due, func(a, b learning.CourseStanding) int {
		return a.Standing.State.NextDue.Compare(b.Standing.State.NextDue)
	})
	slices.SortStableFunc(p.Done, func(a, b learning.CourseStanding) int {
		return cmp.Compare(a.Standing.State.NextDue.Unix(), b.Standing.State.NextDue.Unix())
	})
	return s.render(c, "dashboard", "Your courses", p)
}
