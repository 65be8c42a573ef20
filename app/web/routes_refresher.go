package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// refresherRoutes registers the refresher, practice, certificate, calendar,
// mail-settings and outbox pages (issue 7). routes.go calls it before its
// final not-found handler; like routes.go, every route states its role.
func (s *Server) refresherRoutes(app *fiber.App) {
	// Public: a certificate's verification, a calendar feed (its token is
	// the key) and the unsubscribe link from a mail (its token is the key).
	app.Get("/verify", s.verifyShow)
	app.Get("/verify/:code", s.verifyShow)
	app.Get("/calendar/:token", s.calendarFeed)
	app.Get("/unsubscribe/:token", s.unsubscribeShow)
	app.Post("/unsubscribe/:token", s.unsubscribeSubmit)

	// Learner: every signed-in person; handlers check ownership.
	learner := s.need(auth.Learner)
	app.Get("/refresher/:course", learner, s.refresherShow)
	app.Post("/refresher/:course", learner, s.refresherSubmit)
	app.Get("/certificate/:course", learner, s.certificateLatest)
	app.Get("/refreshers/:id", learner, s.refresherResult)
	app.Get("/practice", learner, s.practiceShow)
	app.Post("/practice", learner, s.practiceSubmit)
	app.Get("/certificates/:id", learner, s.certificateShow)
	app.Get("/certificates/:id/pdf", learner, s.certificatePDF)
	app.Get("/settings", learner, s.settingsShow)
	app.Post("/settings/mail", learner, s.settingsMail)
	app.Post("/settings/calendar", learner, s.settingsCalendar)

	// Admin.
	admin := s.need(auth.Admin)
	app.Get("/admin/outbox", admin, s.outboxList)
	app.Post("/admin/outbox/:id/retry", admin, s.outboxRetry)
	app.Get("/admin/webhooks", admin, s.webhooksList)
	app.Post("/admin/webhooks", admin, s.webhookCreate)
	app.Get("/admin/webhooks/:id", admin, s.webhookShow)
	app.Post("/admin/webhooks/:id/test", admin, s.webhookTest)
	app.Post("/admin/webhooks/:id/delete", admin, s.webhookDelete)
}
