package courses

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Answers is one quiz submission: question ID -> the IDs of the chosen choices.
type Answers map[string][]string

// ErrInvalidAnswers means a submission names questions or choices the quiz
// does not have, or chooses in a way the question does not allow. A real
// browser never sends that, so the caller should reject the attempt rather
// than record it as wrong.
var ErrInvalidAnswers = errors.New("courses: the answers do not match the quiz")

// QuestionResult is the outcome of one question.
type QuestionResult struct {
	Question *Question
	Chosen   []string // chosen choice IDs, in the order the choices appear
	Correct  bool
}

// Result is the outcome of one quiz attempt.
type Result struct {
	Correct, Total int
	Score          int              // percent correct, rounded down, so 2 of 3 is 66 and never rounds up to a pass
	Passed         bool             // Score >= the pass mark
	Questions      []QuestionResult // in quiz order
}

// Grade marks an attempt against the module's quiz with the given pass mark
// (percent). An unanswered question is wrong. A multiple-answer question is
// right only when the chosen set is exactly the correct set. A module with no
// questions scores 100 and passes: it completes when read.
func (m *Module) Grade(a Answers, pass int) (Result, error) {
	// Sorted so that the same bad submission always gives the same error.
	for _, id := range slices.Sorted(maps.Keys(a)) {
		if _, ok := m.Question(id); !ok {
			return Result{}, fmt.Errorf("%w: module %q has no question %q", ErrInvalidAnswers, m.Slug, id)
		}
	}
	r := Result{Total: len(m.Questions), Questions: make([]QuestionResult, 0, len(m.Questions))}
	for _, q := range m.Questions {
		chosen := a[q.ID]
		if len(chosen) > 1 && !q.Multiple {
			return Result{}, fmt.Errorf("%w: question %q takes one answer, got %d", ErrInvalidAnswers, q.ID, len(chosen))
		}
		picked := make(map[string]bool, len(chosen))
		for _, id := range chosen {
			if _, ok := q.Choice(id); !ok {
				return Result{}, fmt.Errorf("%w: question %q has no choice %q", ErrInvalidAnswers, q.ID, id)
			}
			if picked[id] {
				return Result{}, fmt.Errorf("%w: question %q has choice %q chosen twice", ErrInvalidAnswers, q.ID, id)
			}
			picked[id] = true
		}
		qr := QuestionResult{Question: q, Correct: len(chosen) > 0}
		for _, c := range q.Choices {
			if picked[c.ID] {
				qr.Chosen = append(qr.Chosen, c.ID)
			}
			if picked[c.ID] != c.Correct {
				qr.Correct = false
			}
		}
		if qr.Correct {
			r.Correct++
		}
		r.Questions = append(r.Questions, qr)
	}
	r.Score = 100
	if r.Total > 0 {
		r.Score = r.Correct * 100 / r.Total
	}
	r.Passed = r.Score >= pass
	return r, nil
}
