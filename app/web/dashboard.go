package web

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/courses"
)

// card is one course on the dashboard.
type card struct {
	learning.CourseStanding
	RefresherQuiz int // questions of the open refresher quiz; 0 when none is open
}

type dashboardPage struct {
	Due, Active, Other, Done []card
	Practice                 int // practice questions due today
}

// dashboard shows every course the person can take, grouped by what needs
// doing: due or overdue first (with the refresher quiz when it is open),
// then in progress, not started, completed; and the practice set.
func (s *Server) dashboard(c *fiber.Ctx) error {
	rows, versions, err := s.Catalog.Published(ctx(c))
	if err != nil {
		return err
	}
	now := s.Now()
	all, err := s.Learning.Overview(ctx(c), userOf(c).ID, rows, versions, now)
	if err != nil {
		return err
	}
	var p dashboardPage
	for _, cs := range all {
		cd := card{CourseStanding: cs}
		if learning.RefresherQuizOpen(cs.Version, cs.Standing) {
			cd.RefresherQuiz = min(cs.Version.RefresherQuestions, questionCount(cs.Version))
		}
		switch cs.Standing.State.Status {
		case courses.Overdue, courses.DueSoon:
			p.Due = append(p.Due, cd)
		case courses.InProgress:
			p.Active = append(p.Active, cd)
		case courses.Completed:
			p.Done = append(p.Done, cd)
		default:
			p.Other = append(p.Other, cd)
		}
	}
	slices.SortStableFunc(p.Due, func(a, b card) int {
		return a.Standing.State.NextDue.Compare(b.Standing.State.NextDue)
	})
	slices.SortStableFunc(p.Done, func(a, b card) int {
		return cmp.Compare(a.Standing.State.NextDue.Unix(), b.Standing.State.NextDue.Unix())
	})
	due, err := s.Store.DuePractice(ctx(c), userOf(c).ID, now, practiceSize)
	if err != nil {
		return err
	}
	p.Practice = len(due)
	return s.render(c, "dashboard", "Your courses", p)
}

func questionCount(c *courses.Course) int {
	n := 0
	for _, m := range c.Modules {
		n += len(m.Questions)
	}
	return n
}
