package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

type manageHomePage struct {
	Teams []store.Team
	All   bool
}

// manageHome lists the teams the person manages (an admin: the top teams).
func (s *Server) manageHome(c *fiber.Ctx) error {
	sc, err := s.scopeOf(c)
	if err != nil {
		return err
	}
	return s.render(c, "manage", "Teams", manageHomePage{Teams: sc.Roots, All: sc.All})
}
