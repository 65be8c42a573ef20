package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

type answerView struct {
	Question *courses.Question
	Correct  bool
	Chosen   []*courses.Choice
}

// Picked reports whether the answer chose the choice.
func (a answerView) Picked(choiceID string) bool {
	for _, ch := range a.Chosen {
		if ch.ID == choiceID {
			return true
		}
	}
	return false
}

type attemptPage struct {
	Attempt  *store.Attempt
	Row      *store.Course
	Course   *courses.Course
	Module   *courses.Module
	Pass     int
	Answers  []answerView
	Standing learning.Standing
	Next     *courses.Module
	// Changed is set when the course was published again after this quiz
	// was shown: the attempt was graded as shown, but completing the
	// course now means the modules of Current listed in Left.
	Changed bool
	Current *courses.Course
	Left    []*courses.Module
}

// attemptShow shows a graded attempt to the person who made it: score, pass
// or fail, each question right or wrong with its explanation and the
// feedback of the choices they picked.
func (s *Server) attemptShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	a, err := s.Store.AttemptByID(ctx(c), int64(id))
	if err != nil {
		return err
	}
	if a.UserID != userOf(c).ID {
		return fiber.ErrNotFound // someone else's attempt does not exist for you
	}
	version, err := s.Catalog.Version(ctx(c), a.VersionID)
	if err != nil {
		return err
	}
	m, ok := version.Module(a.ModuleSlug)
	if !ok {
		return fiber.ErrNotFound
	}
	row, current, err := s.Catalog.Current(ctx(c), version.Slug)
	if err != nil {
		return err
	}
	st, err := s.Learning.Standing(ctx(c), a.UserID, row, current, s.Now())
	if err != nil {
		return err
	}
	shown, err := s.Learning.AttemptQuiz(ctx(c), a, m)
	if err != nil {
		return err
	}
	p := attemptPage{Attempt: a, Row: row, Course: version, Module: m, Pass: version.Pass, Standing: st,
		Answers: answerViews(shown.Questions, a.Answers)}
	if a.VersionID != row.CurrentVersionID {
		p.Changed, p.Current = true, current
		for _, cm := range current.Modules {
			if !st.Done[cm.Slug] {
				p.Left = append(p.Left, cm)
			}
		}
		p.Next = st.NextModule
	} else if i := version.ModuleIndex(m.Slug); i >= 0 && i+1 < len(version.Modules) {
		p.Next = version.Modules[i+1]
	}
	return s.render(c, "attempt", "Quiz result: "+m.Title, p)
}

// answerViews pairs each question with what an attempt answered to it, in
// quiz order, for the result pages.
func answerViews(questions []*courses.Question, answers []store.AttemptAnswer) []answerView {
	given := make(map[string]store.AttemptAnswer, len(answers))
	for _, ans := range answers {
		given[ans.QuestionID] = ans
	}
	out := make([]answerView, 0, len(questions))
	for _, q := range questions {
		av := answerView{Question: q, Correct: given[q.ID].Correct}
		for _, cid := range given[q.ID].Choices() {
			if ch, ok := q.Choice(cid); ok {
				av.Chosen = append(av.Chosen, ch)
			}
		}
		out = append(out, av)
	}
	return out
}
