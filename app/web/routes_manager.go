package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// managerRoutes: teams, assignments and reports (issue 6). Manager routes
// also check, in the handler, that the team or person is inside a team the
// manager manages (admins see everything); see manager_scope.go.
func (s *Server) managerRoutes(app *fiber.App) {
	manager := s.need(auth.Manager)
	app.Get("/manage", manager, s.manageHome)
	app.Get("/manage/summary", manager, s.orgSummary)
	app.Get("/manage/teams/:id", manager, s.teamShow)
	app.Get("/manage/teams/:id/due", manager, s.teamDue)
	app.Get("/manage/teams/:id/matrix.csv", manager, s.teamExport)
	app.Get("/manage/teams/:id/history.csv", manager, s.historyExport)
	app.Post("/manage/teams/:id/assignments", manager, s.assignmentCreate)
	app.Post("/manage/teams/:id/assignments/:aid/remove", manager, s.assignmentRemove)
	app.Get("/manage/people/:id", manager, s.personReport)
	app.Post("/manage/people/:id/assignments", manager, s.personAssign)

	admin := s.need(auth.Admin)
	app.Get("/admin/teams", admin, s.teamsAdmin)
	app.Post("/admin/teams", admin, s.teamCreate)
	app.Get("/admin/teams/:id", admin, s.teamAdmin)
	app.Post("/admin/teams/:id/rename", admin, s.teamRename)
	app.Post("/admin/teams/:id/move", admin, s.teamMove)
	app.Post("/admin/teams/:id/members", admin, s.teamMemberAdd)
	app.Post("/admin/teams/:id/managers", admin, s.teamManagerSet)
	app.Post("/admin/people/:id/active", admin, s.personActive)
	app.Post("/admin/people/:id/username", admin, s.personUsername)
	app.Get("/admin/import", admin, s.importShow)
	app.Post("/admin/import", admin, s.importPreview)
	app.Get("/admin/import/:id", admin, s.importStatus)
	app.Post("/admin/import/:id/confirm", admin, s.importConfirm)
}
