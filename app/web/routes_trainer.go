package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
)

// trainerRoutes is the authoring surface: course list, drafts and the
// editor, publishing, history, preview, import and export, question
// statistics. Every route needs the trainer role (admins pass too), except
// uploaded images, which every signed-in person's lessons show.
func (s *Server) trainerRoutes(app *fiber.App) {
	trainer := s.need(auth.Trainer)
	app.Get("/trainer/courses", trainer, s.trainerCourseList)
	app.Post("/trainer/courses", trainer, s.trainerCourseCreate)
	app.Get("/trainer/import", trainer, s.trainerImportShow)
	app.Post("/trainer/import", trainer, s.trainerImportSubmit)
	app.Post("/trainer/images", trainer, s.trainerImageUpload)

	app.Get("/trainer/courses/:course", trainer, s.trainerCourseShow)
	app.Post("/trainer/courses/:course/modules", trainer, s.trainerModuleAdd)
	app.Post("/trainer/courses/:course/modules/:file/rename", trainer, s.trainerModuleRename)
	app.Post("/trainer/courses/:course/modules/:file/move", trainer, s.trainerModuleMove)
	app.Post("/trainer/courses/:course/modules/:file/delete", trainer, s.trainerModuleDelete)

	app.Get("/trainer/courses/:course/files/:file", trainer, s.trainerEditorShow)
	app.Post("/trainer/courses/:course/files/:file", trainer, s.trainerFileSave)
	app.Post("/trainer/courses/:course/files/:file/preview", trainer, s.trainerFilePreview)
	app.Get("/trainer/courses/:course/files/:file/gift", trainer, s.trainerGIFTShow)
	app.Post("/trainer/courses/:course/files/:file/gift", trainer, s.trainerGIFTImport)

	app.Post("/trainer/courses/:course/publish", trainer, s.trainerPublish)
	app.Post("/trainer/courses/:course/discard", trainer, s.trainerDiscard)
	app.Post("/trainer/courses/:course/delete", trainer, s.trainerArchive)

	app.Get("/trainer/courses/:course/versions", trainer, s.trainerVersions)
	app.Get("/trainer/courses/:course/diff", trainer, s.trainerDiff)
	app.Post("/trainer/courses/:course/versions/:number/restore", trainer, s.trainerRestore)

	app.Get("/trainer/courses/:course/preview", trainer, s.trainerPreviewCourse)
	app.Get("/trainer/courses/:course/preview/:module", trainer, s.trainerPreviewModule)
	app.Post("/trainer/courses/:course/preview/:module", trainer, s.trainerPreviewGrade)

	app.Get("/trainer/courses/:course/export", trainer, s.trainerExport)
	app.Get("/trainer/courses/:course/gift", trainer, s.trainerGIFTExport)
	app.Get("/trainer/courses/:course/stats", trainer, s.trainerStats)

	app.Get("/media/:name", s.need(auth.Learner), s.mediaShow)
}
