package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// quizSubmit grades a quiz on the server against the version the form was
// shown from (completion counts the current version's modules), stores one attempt per form (the key makes a double click or a
// resent form harmless) and redirects to the result, so reloading the result
// page never submits again.
func (s *Server) quizSubmit(c *fiber.Ctx) error {
	row, err := s.Store.CourseBySlug(ctx(c), c.Params("course"))
	if err != nil {
		return err
	}
	versionID, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		return badRequest{"The quiz form is missing its version. Reload the quiz and answer again."}
	}
	version, err := s.Catalog.Version(ctx(c), versionID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && version.Slug != row.Slug) {
		return badRequest{"The quiz form names a version of another course. Reload the quiz and answer again."}
	} else if err != nil {
		return err
	}
	m, ok := version.Module(c.Params("module"))
	if !ok {
		return fiber.ErrNotFound
	}
	key := clone(c.FormValue("key"))
	if !validKey(key) {
		return badRequest{"The quiz form is missing its key. Reload the quiz and answer again."}
	}
	answers := quizAnswers(c)
	result, err := m.Grade(answers, version.Pass)
	if err != nil {
		return err // courses.ErrInvalidAnswers: 400, nothing stored
	}
	sub := learning.Submission{UserID: userOf(c).ID, Course: row, VersionID: versionID,
		Version: version, Module: m, Key: key, Answers: answers, Result: result, Now: s.Now()}
	if versionID != row.CurrentVersionID {
		// The course was published again while the quiz was open: the
		// answers are graded as shown, completion follows the course as it
		// is now, and the result page says what that leaves.
		if sub.Current, err = s.Catalog.Version(ctx(c), row.CurrentVersionID); err != nil {
			return err
		}
	}
	out, err := s.Learning.Submit(ctx(c), sub)
	if err != nil {
		return err
	}
	return c.Redirect("/attempts/"+strconv.FormatInt(out.AttemptID, 10), fiber.StatusSeeOther)
}

// quizAnswers collects every "q.<question id>" field; a question may have
// several values (multiple answers). Values are copied: Fiber reuses them.
func quizAnswers(c *fiber.Ctx) courses.Answers {
	a := courses.Answers{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if id, ok := strings.CutPrefix(string(k), "q."); ok {
			a[id] = append(a[id], string(v))
		}
	})
	return a
}

func validKey(k string) bool {
	if len(k) < 16 || len(k) > 64 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
