package web

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/frontline-lms/frontline/courses"
)

// questionHead is what quiz-question-open draws: a question, its number as
// shown, and whether a form sent back left it unanswered.
type questionHead struct {
	Q       *courses.Question
	N       int
	Missing bool
}

// choiceField is what quiz-choice draws: one choice of a question, ticked
// or not, in a question left unanswered or not.
type choiceField struct {
	Q       *courses.Question
	C       *courses.Choice
	Checked bool
	Missing bool
}

// Head is the opening of question q, shown at position i (from 0).
func (f quizFields) Head(i int, q *courses.Question) questionHead {
	return questionHead{Q: q, N: i + 1, Missing: f.Unanswered(q.ID)}
}

// Choice is choice ch of question q as this form shows it.
func (f quizFields) Choice(q *courses.Question, ch *courses.Choice) choiceField {
	return choiceField{Q: q, C: ch, Checked: f.Checked(q.ID, ch.ID), Missing: f.Unanswered(q.ID)}
}

// quizPieces keeps the pieces of quiz forms shown fresh, rendered once per
// published version, module, question and choice (and question number,
// which a draw decides): a version never changes, so an entry never goes
// stale. A module page then costs string copies for its quiz instead of a
// template run per choice; draws shuffle questions and choices per
// attempt, so whole forms could not be kept. Entries grow with the
// versions served, like the catalog's parsed courses.
type quizPieces struct {
	mu     sync.RWMutex
	pieces map[pieceKey]template.HTML
}

type pieceKey struct {
	version          int64
	module, question string
	n                int    // the question's number: set for an opening
	choice           string // set for a choice
}

// writeFreshQuiz writes the quiz-questions HTML of questions (a draw of
// one module of a published version, as shown) with nothing ticked and
// nothing missing, straight to w: a module page copies its quiz once, into
// the response. It is byte for byte what the template draws for the same
// quizFields.
func (s *Server) writeFreshQuiz(w stringWriter, version int64, module string, questions []*courses.Question) error {
	for i, q := range questions {
		open, err := s.quizPiece(pieceKey{version: version, module: module, question: q.ID, n: i + 1}, "quiz-question-open",
			questionHead{Q: q, N: i + 1})
		if err != nil {
			return err
		}
		w.WriteString("\n")
		w.WriteString(string(open))
		for _, ch := range q.Choices {
			c, err := s.quizPiece(pieceKey{version: version, module: module, question: q.ID, choice: ch.ID}, "quiz-choice",
				choiceField{Q: q, C: ch})
			if err != nil {
				return err
			}
			w.WriteString("\n  ")
			w.WriteString(string(c))
		}
		w.WriteString("\n</fieldset>")
	}
	return nil
}

func (s *Server) quizPiece(k pieceKey, name string, data any) (template.HTML, error) {
	s.quiz.mu.RLock()
	h, ok := s.quiz.pieces[k]
	s.quiz.mu.RUnlock()
	if ok {
		return h, nil
	}
	var buf bytes.Buffer
	if err := s.views.pages["module"].ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("web: render %s of question %q (version %d): %w", name, k.question, k.version, err)
	}
	// The pieces were escaped by html/template when rendered.
	h = template.HTML(buf.String())
	s.quiz.mu.Lock()
	if s.quiz.pieces == nil {
		s.quiz.pieces = map[pieceKey]template.HTML{}
	}
	s.quiz.pieces[k] = h
	s.quiz.mu.Unlock()
	return h, nil
}
