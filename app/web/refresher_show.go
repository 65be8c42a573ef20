package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

type refresherPage struct {
	Row      *store.Course
	Course   *courses.Course
	Quiz     *courses.Module
	Draw     *store.RefresherDraw
	Standing learning.Standing
	Key      string
	Closed   bool // the refresher is not open: say when it opens instead
}

// Fields is the refresher's quiz for the quiz-questions partial.
func (p refresherPage) Fields() quizFields { return quizFields{Questions: p.Quiz.Questions} }

// refresherShow shows the person's refresher quiz: the draw stored for them,
// so a reload shows the same questions. The page carries no answers.
func (s *Server) refresherShow(c *fiber.Ctx) error {
	row, course, err := s.Catalog.Current(ctx(c), c.Params("course"))
	if err != nil {
		return err
	}
	now := s.Now()
	st, err := s.Learning.Standing(ctx(c), userOf(c).ID, row, course, now)
	if err != nil {
		return err
	}
	d, quiz, err := s.Learning.Draw(ctx(c), userOf(c).ID, row, course, st, now)
	if errors.Is(err, learning.ErrRefresherClosed) {
		return s.render(c, "refresher", "Refresher: "+course.Title, refresherPage{Row: row, Course: course, Standing: st, Closed: true})
	} else if err != nil {
		return err
	}
	return s.render(c, "refresher", "Refresher: "+course.Title,
		refresherPage{Row: row, Course: course, Quiz: quiz, Draw: d, Standing: st, Key: auth.NewToken()})
}

// refresherSubmit grades a refresher draw and redirects to its result; a
// draw is answered once, so a resent form lands on the first result.
func (s *Server) refresherSubmit(c *fiber.Ctx) error {
	row, err := s.Store.CourseBySlug(ctx(c), c.Params("course"))
	if err != nil {
		return err
	}
	drawID, err := strconv.ParseInt(c.FormValue("draw"), 10, 64)
	if err != nil {
		return badRequest{"The refresher form is missing its quiz. Reload the refresher and answer again."}
	}
	d, err := s.Store.DrawByID(ctx(c), drawID)
	if err != nil {
		return err
	}
	if d.UserID != userOf(c).ID || d.CourseID != row.ID {
		return fiber.ErrNotFound
	}
	if d.AttemptID != nil {
		return c.Redirect("/refreshers/"+strconv.FormatInt(*d.AttemptID, 10), fiber.StatusSeeOther)
	}
	key := clone(c.FormValue("key"))
	if !validKey(key) {
		return badRequest{"The refresher form is missing its key. Reload the refresher and answer again."}
	}
	version, err := s.Catalog.Version(ctx(c), d.VersionID)
	if err != nil {
		return err
	}
	quiz, err := learning.DrawQuiz(version, d)
	if err != nil {
		return err
	}
	result, err := quiz.Grade(quizAnswers(c), version.Pass)
	if err != nil {
		return err
	}
	out, err := s.Learning.SubmitRefresher(ctx(c), learning.RefresherSubmission{UserID: userOf(c).ID, Course: row,
		Version: version, Draw: d, Key: key, Result: result, Now: s.Now()})
	if err != nil {
		return err
	}
	return c.Redirect("/refreshers/"+strconv.FormatInt(out.AttemptID, 10), fiber.StatusSeeOther)
}

type refresherResultPage struct {
	Attempt       *store.Attempt
	Row           *store.Course
	Course        *courses.Course
	Answers       []answerView
	Reread        []*courses.Module
	Standing      learning.Standing
	CompletionID  int64
	RefresherOpen bool
}

// refresherResult shows a refresher attempt to the person who made it: the
// score, each answer with its explanation, and on a fail the modules behind
// the missed questions; on a pass the new due date and the certificate.
func (s *Server) refresherResult(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	a, err := s.Store.AttemptByID(ctx(c), int64(id))
	if err != nil {
		return err
	}
	if a.UserID != userOf(c).ID || a.ModuleSlug != "" {
		return fiber.ErrNotFound
	}
	d, err := s.Store.DrawOfAttempt(ctx(c), a.ID)
	if err != nil {
		return err
	}
	version, err := s.Catalog.Version(ctx(c), a.VersionID)
	if err != nil {
		return err
	}
	quiz, err := learning.DrawQuiz(version, d)
	if err != nil {
		return err
	}
	row, current, err := s.Catalog.Current(ctx(c), version.Slug)
	if err != nil {
		return err
	}
	st, err := s.Learning.Standing(ctx(c), a.UserID, row, current, s.Now())
	if err != nil {
		return err
	}
	p := refresherResultPage{Attempt: a, Row: row, Course: version, Standing: st, RefresherOpen: learning.RefresherQuizOpen(current, st),
		Answers: answerViews(quiz.Questions, a.Answers)}
	var graded courses.Result
	for _, av := range p.Answers {
		graded.Questions = append(graded.Questions, courses.QuestionResult{Question: av.Question, Correct: av.Correct})
	}
	if !a.Passed {
		p.Reread = version.ToReread(graded)
	} else {
		completions, err := s.Store.Completions(ctx(c), a.UserID, a.CourseID)
		if err != nil {
			return err
		}
		for _, co := range completions {
			if co.CompletedAt.Equal(a.SubmittedAt) {
				p.CompletionID = co.ID
			}
		}
	}
	return s.render(c, "refresher_result", "Refresher result: "+version.Title, p)
}
