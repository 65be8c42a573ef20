package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// accountRoutes registers the password-account pages: recovery, reset and
// sign-in links, the account part of Settings, issuing sign-in links and the
// people page's actions. routes.go calls it before its final not-found
// handler; every route states its role.
func (s *Server) accountRoutes(app *fiber.App) {
	// Public: recovery, and the links (their token is the key).
	app.Get("/forgot", s.forgotShow)
	app.Post("/forgot", s.forgotSubmit)
	app.Get("/reset/:token", s.resetShow)
	app.Post("/reset/:token", s.resetSubmit)
	app.Get("/signin/:token", s.signInLinkShow)
	app.Post("/signin/:token", s.signInLinkSubmit)

	// Learner: every signed-in person, for their own account.
	learner := s.need(auth.Learner)
	app.Post("/settings/password", learner, s.settingsPassword)
	app.Post("/settings/sessions/others", learner, s.settingsSignOutOthers)

	// Manager: the service admits admins for anyone and managers for the
	// people of the teams they manage.
	manager := s.need(auth.Manager)
	app.Post("/people/:id/signin-link", manager, s.signInLinkIssue)

	// Admin.
	admin := s.need(auth.Admin)
	app.Post("/admin/people/:id/role", admin, s.personRole)
	app.Post("/admin/people/invite-new", admin, s.peopleInviteNew)
}
