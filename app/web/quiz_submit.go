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

// quizSubmit grades a quiz on the server against the draw the form was
// shown from (completion counts the current version's modules), stores one
// attempt per draw (the key and the draw make a double click or a resent
// form harmless) and redirects to the result, so reloading the result page
// never submits again. A form with unanswered questions comes back (422)
// with its answers kept and nothing stored.
func (s *Server) quizSubmit(c *fiber.Ctx) error {
	// The course row from the catalog's cache: after a publish on another
	// instance it may name the previous version for up to catalog.RowTTL,
	// and a form from the new one is then graded as shown and its completion
	// judged against the previous version, as for any form older than a publish.
	row, _, err := s.Catalog.Current(ctx(c), c.Params("course"))
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
	d, err := s.formDraw(c, row, versionID, m)
	if err != nil {
		return err
	}
	answers := quizAnswers(c)
	sub := learning.Submission{UserID: userOf(c).ID, Course: row, VersionID: versionID,
		Version: version, Module: m, Key: key, Answers: answers, Now: s.Now()}
	if versionID != row.CurrentVersionID {
		// The course was published again while the quiz was open: the
		// answers are graded as shown, completion follows the course as it
		// is now, and the result page says what that leaves.
		if sub.Current, err = s.Catalog.Version(ctx(c), row.CurrentVersionID); err != nil {
			return err
		}
	}
	out, err := s.Learning.SubmitQuiz(ctx(c), sub, d)
	var unanswered learning.Unanswered
	if errors.As(err, &unanswered) {
		return s.quizUnfinished(c, row, sub, d, unanswered)
	} else if err != nil {
		return err // courses.ErrInvalidAnswers: 400; learning.RetakePaused: 409; nothing stored
	}
	return c.Redirect("/attempts/"+strconv.FormatInt(out.AttemptID, 10), fiber.StatusSeeOther)
}

// formDraw loads the draw a quiz form names and checks it is this person's
// quiz of this module and version.
func (s *Server) formDraw(c *fiber.Ctx, row *store.Course, versionID int64, m *courses.Module) (*store.QuizDraw, error) {
	const reload = "The quiz form does not name the quiz you were shown. Reload the quiz and answer again."
	drawID, err := strconv.ParseInt(c.FormValue("draw"), 10, 64)
	if err != nil {
		return nil, badRequest{reload}
	}
	d, err := s.Store.QuizDrawByID(ctx(c), drawID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, badRequest{reload}
	} else if err != nil {
		return nil, err
	}
	if d.UserID != userOf(c).ID {
		return nil, fiber.ErrNotFound // someone else's quiz does not exist for you
	}
	if d.CourseID != row.ID || d.VersionID != versionID || d.ModuleSlug != m.Slug {
		return nil, badRequest{reload}
	}
	return d, nil
}

// quizUnfinished shows the module page again with the same quiz, the
// answers given kept and the unanswered questions marked: nothing was
// graded or stored.
func (s *Server) quizUnfinished(c *fiber.Ctx, row *store.Course, sub learning.Submission, d *store.QuizDraw, un learning.Unanswered) error {
	current := sub.Version
	if sub.Current != nil {
		current = sub.Current
	}
	st, err := s.Learning.Standing(ctx(c), sub.UserID, row, current, sub.Now)
	if err != nil {
		return err
	}
	shown, err := learning.ShownBy(sub.Module, d)
	if err != nil {
		return err
	}
	p := newModulePage(row, sub.Version, sub.Module, st)
	p.VersionID, p.Key, p.DrawID = sub.VersionID, sub.Key, d.ID
	p.Quiz = quizFields{Questions: shown.Questions, Chosen: map[string]bool{}, Missing: un.Questions}
	for q, ids := range sub.Answers {
		for _, id := range ids {
			p.Quiz.Chosen[q+" "+id] = true
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "module", sub.Module.Title, p)
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
