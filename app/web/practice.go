package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/courses"
)

// practiceSize is how many questions one practice set holds.
const practiceSize = 5

type practiceItem struct {
	Field    string // form field: "p.<course id>.<question id>"
	CourseID int64
	Course   string
	Question *courses.Question
	Answer   *answerView // after submission
}

type practicePage struct {
	Items     []practiceItem
	Submitted bool
	Right     int
}

// duePractice resolves a person's due practice questions against the
// current version of each course; questions a course no longer has are
// left out.
func (s *Server) duePractice(c *fiber.Ctx) ([]practiceItem, error) {
	items, err := s.Store.DuePractice(ctx(c), userOf(c).ID, s.Now(), practiceSize)
	if err != nil {
		return nil, err
	}
	var out []practiceItem
	for _, it := range items {
		row, err := s.Store.CourseByID(ctx(c), it.CourseID)
		if err != nil {
			return nil, err
		}
		if row.CurrentVersionID == 0 || !row.ArchivedAt.IsZero() {
			continue
		}
		version, err := s.Catalog.Version(ctx(c), row.CurrentVersionID)
		if err != nil {
			return nil, err
		}
		q, ok := version.Question(it.QuestionID)
		if !ok {
			continue
		}
		out = append(out, practiceItem{Field: "p." + strconv.FormatInt(it.CourseID, 10) + "." + q.ID, CourseID: it.CourseID, Course: row.Title, Question: q})
	}
	return out, nil
}

// practiceShow shows the person's due practice questions.
func (s *Server) practiceShow(c *fiber.Ctx) error {
	items, err := s.duePractice(c)
	if err != nil {
		return err
	}
	return s.render(c, "practice", "Practice", practicePage{Items: items})
}

// practiceSubmit grades a practice set and shows how it went. Only due
// questions move, so sending the form twice changes nothing more.
func (s *Server) practiceSubmit(c *fiber.Ctx) error {
	items, err := s.duePractice(c)
	if err != nil {
		return err
	}
	given := map[string][]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if strings.HasPrefix(string(k), "p.") {
			given[string(k)] = append(given[string(k)], string(v))
		}
	})
	p := practicePage{Submitted: true}
	var answers []learning.PracticeAnswer
	for _, it := range items {
		one := &courses.Module{Questions: []*courses.Question{it.Question}}
		r, err := one.Grade(courses.Answers{it.Question.ID: given[it.Field]}, 100)
		if err != nil {
			return err
		}
		qr := r.Questions[0]
		av := answerView{Question: it.Question, Correct: qr.Correct}
		for _, id := range qr.Chosen {
			if ch, ok := it.Question.Choice(id); ok {
				av.Chosen = append(av.Chosen, ch)
			}
		}
		it.Answer = &av
		if qr.Correct {
			p.Right++
		}
		p.Items = append(p.Items, it)
		answers = append(answers, learning.PracticeAnswer{CourseID: it.CourseID, QuestionID: it.Question.ID, Correct: qr.Correct})
	}
	if err := s.Learning.Practise(ctx(c), userOf(c).ID, answers, s.Now()); err != nil {
		return err
	}
	return s.render(c, "practice", "Practice", p)
}
