package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

type coursePage struct {
	Row      *store.Course
	Course   *courses.Course
	Standing learning.Standing
	Window   string
}

func (s *Server) courseShow(c *fiber.Ctx) error {
	row, course, err := s.Catalog.Current(ctx(c), c.Params("course"))
	if err != nil {
		return err
	}
	st, err := s.Learning.Standing(ctx(c), userOf(c).ID, row, course, s.Now())
	if err != nil {
		return err
	}
	return s.render(c, "course", course.Title, coursePage{Row: row, Course: course, Standing: st, Window: course.Window.String()})
}
