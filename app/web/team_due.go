package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// dueListLimit bounds each list on the page; the totals say how many there are.
const dueListLimit = 500

// dueSoonDays is the horizon of the "due in the next 30 days" list.
const dueSoonDays = 30

type teamDuePage struct {
	Team                *store.Team
	Overdue, Soon       []store.DueRow
	OverdueAll, SoonAll int
	Days                int
}

// teamDue lists who is overdue (oldest first) and who falls due in the next
// 30 days, in the team and everything below it.
func (s *Server) teamDue(c *fiber.Ctx) error {
	t, _, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	rc, err := s.reportCourses(c)
	if err != nil {
		return err
	}
	sc := store.Scope{Paths: []string{t.Path}}
	p := teamDuePage{Team: t, Days: dueSoonDays}
	if p.Overdue, p.OverdueAll, err = s.Store.DueBetween(ctx(c), sc, rc.IDs, time.Time{}, rc.Cut.Today, dueListLimit, rc.Cut); err != nil {
		return err
	}
	until := rc.Cut.Today.In(s.Config.Location).AddDate(0, 0, dueSoonDays+1)
	if p.Soon, p.SoonAll, err = s.Store.DueBetween(ctx(c), sc, rc.IDs, rc.Cut.Today, until, dueListLimit, rc.Cut); err != nil {
		return err
	}
	return s.render(c, "team_due", "Overdue and due soon · "+t.Name, p)
}
