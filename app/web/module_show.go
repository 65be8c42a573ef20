package web

import (
	"html/template"
	"time"

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
	Quiz      quizFields
	DrawID    int64
	TryAgain  string // set during a retake pause: when, instead of the form
}

// quizFields is what the quiz-questions partial draws: the questions as
// shown and, when a form comes back unfinished, what was chosen and what
// was left unanswered.
type quizFields struct {
	Questions []*courses.Question
	Chosen    map[string]bool // "<question ID> <choice ID>" of each choice ticked
	Missing   []*courses.Question
	Rendered  template.HTML // the fieldsets as a whole, written apart (a page shell's mark: page_shell.go)
}

// Checked reports whether the form came back with a choice ticked.
func (f quizFields) Checked(questionID, choiceID string) bool {
	return f.Chosen[questionID+" "+choiceID]
}

// Unanswered reports whether the form came back with a question unanswered.
func (f quizFields) Unanswered(questionID string) bool {
	for _, q := range f.Missing {
		if q.ID == questionID {
			return true
		}
	}
	return false
}

// Number is a question's position in the quiz as shown, from 1.
func (f quizFields) Number(questionID string) int {
	for i, q := range f.Questions {
		if q.ID == questionID {
			return i + 1
		}
	}
	return 0
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
	// One read for where the person stands and the quiz drawn for them.
	st, open, looked, err := s.Learning.ModuleView(ctx(c), userOf(c).ID, row, course, m, now)
	if err != nil {
		return err
	}
	// A page the service worker keeps for offline reading is not a view:
	// the person has not opened it (yet).
	if !prefetched(c) {
		if err := s.Learning.Viewed(ctx(c), userOf(c).ID, row, m, st, now); err != nil {
			return err
		}
	}
	p := newModulePage(row, course, m, st)
	p.Key = auth.NewToken()
	if len(m.Questions) > 0 {
		until, err := s.Learning.PausedUntil(ctx(c), userOf(c).ID, row, course, m.Slug, now)
		if err != nil {
			return err
		}
		if !until.IsZero() {
			p.TryAgain = tryAgain(until, now.In(s.Config.Location))
			return s.renderModule(c, p)
		}
		// The quiz is drawn and stored now, so a reload shows the same one.
		var quiz learning.Quiz
		if looked {
			quiz, err = s.Learning.QuizFrom(ctx(c), userOf(c).ID, row, m, open, now)
		} else {
			quiz, err = s.Learning.QuizFor(ctx(c), userOf(c).ID, row, m, now)
		}
		if err != nil {
			return err
		}
		p.Quiz, p.DrawID = quizFields{Questions: quiz.Shown.Questions}, quiz.Draw.ID
	}
	return s.renderModule(c, p)
}

// newModulePage fills what every module page shows around the quiz; the
// caller adds the quiz. course is the version shown.
func newModulePage(row *store.Course, course *courses.Course, m *courses.Module, st learning.Standing) modulePage {
	i := course.ModuleIndex(m.Slug)
	p := modulePage{Row: row, Course: course, Module: m, Index: i, Standing: st, VersionID: row.CurrentVersionID}
	if i > 0 {
		p.Prev = course.Modules[i-1]
	}
	if i+1 < len(course.Modules) {
		p.Next = course.Modules[i+1]
	}
	return p
}

// tryAgain says when a retake pause ends, in the organisation's zone (both
// times are in it): the time alone today, with the date on another day.
func tryAgain(until, now time.Time) string {
	if y, m, d := until.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return "You can try again at " + until.Format("15:04") + "."
	}
	return "You can try again on " + until.Format("2 Jan 2006") + " at " + until.Format("15:04") + "."
}
