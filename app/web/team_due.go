package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/store"
)

type teamDuePage struct {
	Team *store.Team
	reports.DueLists
}

// teamDue lists who is overdue (oldest first) and who falls due in the next
// 30 days, in the team and everything below it.
func (s *Server) teamDue(c *fiber.Ctx) error {
	t, _, err := s.teamInScope(c)
	if err != nil {
		return err
	}
	d, err := s.Reports.Due(ctx(c), t, s.Now())
	if err != nil {
		return err
	}
	return s.render(c, "team_due", "Overdue and due soon · "+t.Name, teamDuePage{Team: t, DueLists: d})
}
