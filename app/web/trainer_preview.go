package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// trainerLearnerPage is the draft seen as a learner would see it: the course
// page, a module with its quiz, or a graded quiz. It records nothing: the
// quiz is graded in memory and no progress or attempt is written.
type trainerLearnerPage struct {
	Slug     string
	Draft    *store.Draft
	Course   *courses.Course // nil when the draft has errors
	Problems []trainerProblem
	Module   *courses.Module
	Index    int
	Prev     *courses.Module
	Next     *courses.Module
	Result   *courses.Result
	Answers  []answerView
}

// Fields is the previewed quiz for the quiz-questions partial: every
// question, in the order written.
func (p trainerLearnerPage) Fields() quizFields {
	if p.Module == nil {
		return quizFields{}
	}
	return quizFields{Questions: p.Module.Questions}
}

func (s *Server) learnerPreview(c *fiber.Ctx) (trainerLearnerPage, error) {
	d, err := s.draftOf(c)
	if err != nil {
		return trainerLearnerPage{}, err
	}
	course, problems, err := s.Catalog.Check(ctx(c), d)
	if err != nil {
		return trainerLearnerPage{}, err
	}
	p := trainerLearnerPage{Slug: d.Slug, Draft: d, Course: course}
	if course == nil {
		p.Problems = trainerProblems(d.Slug, d, problems.Errors())
	}
	return p, nil
}

func (s *Server) trainerPreviewCourse(c *fiber.Ctx) error {
	p, err := s.learnerPreview(c)
	if err != nil {
		return err
	}
	return s.render(c, "trainer_preview", "Preview · "+p.Draft.Title, p)
}

func (s *Server) previewModule(c *fiber.Ctx) (trainerLearnerPage, error) {
	p, err := s.learnerPreview(c)
	if err != nil || p.Course == nil {
		return p, err
	}
	m, ok := p.Course.Module(c.Params("module"))
	if !ok {
		return p, fiber.ErrNotFound
	}
	p.Module, p.Index = m, p.Course.ModuleIndex(m.Slug)
	if p.Index > 0 {
		p.Prev = p.Course.Modules[p.Index-1]
	}
	if p.Index+1 < len(p.Course.Modules) {
		p.Next = p.Course.Modules[p.Index+1]
	}
	return p, nil
}

func (s *Server) trainerPreviewModule(c *fiber.Ctx) error {
	p, err := s.previewModule(c)
	if err != nil {
		return err
	}
	return s.render(c, "trainer_preview", "Preview · "+p.Draft.Title, p)
}

// trainerPreviewGrade grades a preview quiz and shows the result page.
func (s *Server) trainerPreviewGrade(c *fiber.Ctx) error {
	p, err := s.previewModule(c)
	if err != nil {
		return err
	}
	if p.Module == nil {
		return s.render(c, "trainer_preview", "Preview · "+p.Draft.Title, p)
	}
	r, err := p.Module.Grade(quizAnswers(c), p.Course.Pass)
	if err != nil {
		return err
	}
	p.Result = &r
	for _, qr := range r.Questions {
		av := answerView{Question: qr.Question, Correct: qr.Correct}
		for _, id := range qr.Chosen {
			if ch, ok := qr.Question.Choice(id); ok {
				av.Chosen = append(av.Chosen, ch)
			}
		}
		p.Answers = append(p.Answers, av)
	}
	return s.render(c, "trainer_preview", "Preview · "+p.Draft.Title, p)
}
