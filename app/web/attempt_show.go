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
	// Go is the first button, near the top: the next module, the module
	// left to finish the course, or (not passed) the retake.
	Go Action
	// Completed is set when the course stands completed: the page becomes
	// the completion page, with the certificate, the next refresher date
	// and what to take next (TakeNext, nil when nothing is left).
	Completed bool
	TakeNext  *card
	Perfect   bool // every answer right
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
	p.Perfect = a.Total > 0 && a.Correct == a.Total
	p.Completed = st.State.Status == courses.Completed
	p.Go = resultAction(p)
	if p.Completed {
		rows, versions, err := s.Catalog.Published(ctx(c))
		if err != nil {
			return err
		}
		all, err := s.Learning.Overview(ctx(c), a.UserID, rows, versions, s.Now())
		if err != nil {
			return err
		}
		if next := learning.NextUp(all, row.Slug); next.Course != nil {
			cd := cardOf(*next.Course)
			p.TakeNext = &cd
		}
	}
	return s.render(c, "attempt", "Quiz result: "+m.Title, p)
}

// resultAction is the first button of a result: retake a quiz not passed;
// after a pass, the next module when it is still to do, else the first
// module left in the course ("Finish course"), else back to the course list.
func resultAction(p attemptPage) Action {
	slug := p.Row.Slug
	switch {
	case !p.Attempt.Passed:
		return Action{"Retake the quiz", "/courses/" + p.Course.Slug + "/" + p.Module.Slug + "#quiz"}
	case p.Completed:
		return Action{"Back to my courses", "/"}
	case p.Next != nil && !p.Standing.Done[p.Next.Slug]:
		return Action{"Next module: " + p.Next.Title, "/courses/" + slug + "/" + p.Next.Slug}
	case p.Standing.NextModule != nil:
		return Action{"Finish course: " + p.Standing.NextModule.Title, "/courses/" + slug + "/" + p.Standing.NextModule.Slug}
	}
	return Action{"Back to the course", "/courses/" + slug}
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
