package courses

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Refresher modes: what a person does when their refresher window opens.
const (
	RefresherQuiz = "quiz" // a short quiz drawn from the whole course (the default)
	RefresherFull = "full" // every module again, as the first time
)

// DefaultRefresherQuestions is the length of a refresher quiz when the
// course does not say; MaxRefresherQuestions caps what it may say.
const (
	DefaultRefresherQuestions = 8
	MaxRefresherQuestions     = 50
)

// QuestionRef names one question of a course by module and question ID.
type QuestionRef struct {
	Module   string `json:"m"`
	Question string `json:"q"`
}

// Seen is what one person's answers say about one question: when they last
// answered it, and whether that latest answer was wrong.
type Seen struct {
	Last   time.Time
	Missed bool
}

// DrawRefresher picks up to n questions from the whole course for a
// refresher quiz: first those the person got wrong the last time they met
// them (the oldest miss first), then the ones not seen for longest (never
// seen counts as longest), ties in course order. The draw is deterministic,
// so it can be explained; the caller stores it with the attempt.
func (c *Course) DrawRefresher(seen map[string]Seen, n int) []QuestionRef {
	type cand struct {
		ref   QuestionRef
		seen  Seen
		order int
	}
	var all []cand
	for _, m := range c.Modules {
		for _, q := range m.Questions {
			all = append(all, cand{ref: QuestionRef{Module: m.Slug, Question: q.ID}, seen: seen[q.ID], order: len(all)})
		}
	}
	slices.SortStableFunc(all, func(a, b cand) int {
		if a.seen.Missed != b.seen.Missed {
			if a.seen.Missed {
				return -1
			}
			return 1
		}
		if c := a.seen.Last.Compare(b.seen.Last); c != 0 {
			return c // zero (never seen) sorts first
		}
		return cmp.Compare(a.order, b.order)
	})
	out := make([]QuestionRef, 0, min(n, len(all)))
	for _, a := range all[:min(n, len(all))] {
		out = append(out, a.ref)
	}
	return out
}

// RefresherQuiz builds the quiz of a stored draw as one module, so that it is
// graded like any other quiz. A question the course no longer has (the draw
// was made on another version) is an error: the caller draws again.
func (c *Course) RefresherQuiz(refs []QuestionRef) (*Module, error) {
	quiz := &Module{Title: "Refresher: " + c.Title}
	for _, r := range refs {
		q, ok := c.Question(r.Question)
		if !ok {
			return nil, fmt.Errorf("courses: %q has no question %q any more", c.Slug, r.Question)
		}
		quiz.Questions = append(quiz.Questions, q)
	}
	return quiz, nil
}

// Question finds a question anywhere in the course (IDs are unique in it).
func (c *Course) Question(id string) (*Question, bool) {
	if m := c.ModuleOf(id); m != nil {
		return m.Question(id)
	}
	return nil, false
}

// ModuleOf returns the module holding a question, or nil.
func (c *Course) ModuleOf(questionID string) *Module {
	for _, m := range c.Modules {
		if _, ok := m.Question(questionID); ok {
			return m
		}
	}
	return nil
}

// ToReread lists, in course order, the modules behind the questions a
// result got wrong: what to read again before a retake.
func (c *Course) ToReread(r Result) []*Module {
	wrong := map[*Module]bool{}
	for _, q := range r.Questions {
		if !q.Correct {
			if m := c.ModuleOf(q.Question.ID); m != nil {
				wrong[m] = true
			}
		}
	}
	var out []*Module
	for _, m := range c.Modules {
		if wrong[m] {
			out = append(out, m)
		}
	}
	return out
}
