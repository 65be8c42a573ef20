package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/courses"
)

// moduleRead marks a module without a quiz as read.
func (s *Server) moduleRead(c *fiber.Ctx) error {
	row, course, m, err := s.currentModule(c)
	if err != nil {
		return err
	}
	if len(m.Questions) > 0 {
		return badRequest{"This module has a quiz: it counts as read when the quiz is passed."}
	}
	out, err := s.Learning.Read(ctx(c), userOf(c).ID, row, row.CurrentVersionID, course, m, s.Now())
	if err != nil {
		return err
	}
	if i := course.ModuleIndex(m.Slug); !out.Completed && i+1 < len(course.Modules) {
		return c.Redirect(courses.ModuleURL(course.Slug, course.Modules[i+1].Slug), fiber.StatusSeeOther)
	}
	return c.Redirect("/courses/"+course.Slug, fiber.StatusSeeOther)
}
