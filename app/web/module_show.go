package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// modulePage carries the lesson and the quiz questions. The template reads
// only prompts, choice IDs and choice text: never Correct or feedback, so the
// page sent before submission carries no sign of the answers.
type modulePage struct {
	Row       *store.Course
	Course    *courses.Course
	Module    *courses.Module
	Index     int
	Prev      *courses.Module
	Next      *courses.Module
	Standing  learning.Standing
	VersionID int64
	Key       string // idempotency key: one submission of this form is one attempt
}

// currentModule resolves :course and :module against the published version.
func (s *Server) currentModule(c *fiber.Ctx) (*store.Course, *courses.Course, *courses.Module, error) {
	row, course, err := s.Catalog.Current(ctx(c), c.Params("course"))
	if err != nil {
		return nil, nil, nil, err
	}
	m, ok := course.Module(c.Params("module"))
	if !ok {
		return nil, nil, nil, fiber.ErrNotFound
	}
	return row, course, m, nil
}

func (s *Server) moduleShow(c *fiber.Ctx) error {
	row, course, m, err := s.currentModule(c)
	if err != nil {
		return err
	}
	if m.Slug != c.Params("module") { // an old slug kept in aliases
		return c.Redirect(courses.ModuleURL(course.Slug, m.Slug), fiber.StatusMovedPermanently)
	}
	now := s.Now()
	st, err := s.Learning.Standing(ctx(c), userOf(c).ID, row, course, now)
	if err != nil {
		return err
	}
	if err := s.Learning.Viewed(ctx(c), userOf(c).ID, row, m.Slug, st, now); err != nil {
		return err
	}
	i := course.ModuleIndex(m.Slug)
	p := modulePage{Row: row, Course: course, Module: m, Index: i, Standing: st, VersionID: row.CurrentVersionID, Key: auth.NewToken()}
	if i > 0 {
		p.Prev = course.Modules[i-1]
	}
	if i+1 < len(course.Modules) {
		p.Next = course.Modules[i+1]
	}
	return s.render(c, "module", m.Title, p)
}
