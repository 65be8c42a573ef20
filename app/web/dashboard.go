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

// Action is the one button of a card: what to do next on that course.
type Action struct {
	Label, Href string
}

// Action says what the card's button does: take the open refresher quiz,
// continue at the first module not done, start, or review a completed
// course.
func (cd card) Action() Action {
	slug := cd.Course.Slug
	st := cd.Standing
	switch {
	case cd.RefresherQuiz > 0:
		return Action{"Take the refresher", "/refresher/" + slug}
	case st.State.Status == courses.Completed || st.NextModule == nil:
		return Action{"Review", "/courses/" + slug}
	case st.DoneCount > 0 || (st.Started && st.State.Cycle == 0):
		i := cd.Version.ModuleIndex(st.NextModule.Slug)
		return Action{"Continue to module " + itoa(i+1), "/courses/" + slug + "/" + st.NextModule.Slug}
	case st.State.Cycle > 0:
		// The refresher is the whole course again (refresher_mode: full).
		return Action{"Take the refresher", "/courses/" + slug + "/" + st.NextModule.Slug}
	}
	return Action{"Start", "/courses/" + slug + "/" + st.NextModule.Slug}
}

type dashboardPage struct {
	Next                     *card // the one course to turn to now; nil when all is done
	Why                      learning.Why
	NewStarter               bool // nothing started or completed yet: greet them
	Due, Active, Other, Done []card
	Practice                 int // practice questions due today
}

// dashboard shows the one course to turn to now (learning.NextUp), then
// every course the person can take, grouped by what needs doing: due or
// overdue first (with the refresher quiz when it is open),
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
	next := learning.NextUp(all)
	p.Why, p.NewStarter = next.Why, next.NewStarter
	for _, cs := range all {
		cd := cardOf(cs)
		if next.Course != nil && next.Course.Course.ID == cs.Course.ID {
			p.Next = &cd
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

func cardOf(cs learning.CourseStanding) card {
	cd := card{CourseStanding: cs}
	if learning.RefresherQuizOpen(cs.Version, cs.Standing) {
		cd.RefresherQuiz = min(cs.Version.RefresherQuestions, questionCount(cs.Version))
	}
	return cd
}

func questionCount(c *courses.Course) int {
	n := 0
	for _, m := range c.Modules {
		n += len(m.Questions)
	}
	return n
}
