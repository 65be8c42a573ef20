package courses

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// DrawnQuestion is one question of a quiz as shown: its ID and its
// choices' IDs in the order shown.
type DrawnQuestion struct {
	ID      string   `json:"q"`
	Choices []string `json:"c,omitempty"` // empty: the order written
}

// Draw is one attempt's quiz as shown: which questions, in what order, and
// each question's choice order. The caller stores it, so a reload, another
// app instance and the result page all show the same quiz.
type Draw []DrawnQuestion

// ErrStaleDraw means a stored draw names questions or choices the module
// does not have (it was drawn on another version): draw again.
var ErrStaleDraw = errors.New("courses: the draw does not fit this quiz")

// DrawQuiz picks m.PerAttempt() questions for one attempt and shuffles them
// and their choices; a {fixed} question keeps its choices in the order
// written. Questions in lastSeen (those the previous attempt showed) are
// drawn only when there are not enough others, so a retake is a different
// quiz as far as the pool allows. rng decides everything: tests seed it.
func (m *Module) DrawQuiz(rng *rand.Rand, lastSeen map[string]bool) Draw {
	var fresh, seen []*Question
	for _, q := range m.Questions {
		if lastSeen[q.ID] {
			seen = append(seen, q)
		} else {
			fresh = append(fresh, q)
		}
	}
	rng.Shuffle(len(fresh), func(i, j int) { fresh[i], fresh[j] = fresh[j], fresh[i] })
	rng.Shuffle(len(seen), func(i, j int) { seen[i], seen[j] = seen[j], seen[i] })
	picked := append(fresh, seen...)[:m.PerAttempt()]
	// Shuffled again so that the questions seen before do not always come last.
	rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	d := make(Draw, 0, len(picked))
	for _, q := range picked {
		ids := make([]string, len(q.Choices))
		for i, ch := range q.Choices {
			ids[i] = ch.ID
		}
		if !q.Fixed {
			rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		}
		d = append(d, DrawnQuestion{ID: q.ID, Choices: ids})
	}
	return d
}

// Shown returns the module as a draw shows it: only the drawn questions, in
// the drawn order, each with its choices in the drawn order. Grading it
// counts only the drawn questions and refuses answers to any other. The
// module itself is not changed: a version is shared between requests.
func (m *Module) Shown(d Draw) (*Module, error) {
	shown := *m
	shown.Questions = make([]*Question, 0, len(d))
	taken := map[string]bool{}
	for _, dq := range d {
		q, ok := m.Question(dq.ID)
		if !ok || taken[dq.ID] {
			return nil, fmt.Errorf("%w: module %q has no question %q, or draws it twice", ErrStaleDraw, m.Slug, dq.ID)
		}
		taken[dq.ID] = true
		sq := *q
		if len(dq.Choices) > 0 {
			if len(dq.Choices) != len(q.Choices) {
				return nil, fmt.Errorf("%w: question %q has %d choices, the draw %d", ErrStaleDraw, q.ID, len(q.Choices), len(dq.Choices))
			}
			sq.Choices = make([]*Choice, 0, len(q.Choices))
			placed := map[string]bool{}
			for _, id := range dq.Choices {
				ch, ok := q.Choice(id)
				if !ok || placed[id] {
					return nil, fmt.Errorf("%w: question %q has no choice %q, or the draw places it twice", ErrStaleDraw, q.ID, id)
				}
				placed[id] = true
				sq.Choices = append(sq.Choices, ch)
			}
		}
		shown.Questions = append(shown.Questions, &sq)
	}
	if len(shown.Questions) == 0 && len(m.Questions) > 0 {
		return nil, fmt.Errorf("%w: the draw of module %q is empty", ErrStaleDraw, m.Slug)
	}
	return &shown, nil
}

// Unanswered lists, in quiz order, the questions an attempt left without
// an answer. Such an attempt is not graded: the learner is asked to finish
// it, so a slip of the thumb never stores a score.
func (m *Module) Unanswered(a Answers) []*Question {
	var out []*Question
	for _, q := range m.Questions {
		if len(a[q.ID]) == 0 {
			out = append(out, q)
		}
	}
	return out
}
