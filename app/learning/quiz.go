package learning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// serviceSource draws from the service's Random under its lock, or from
// math/rand/v2's runtime-seeded source when none is set.
type serviceSource struct{ s *Service }

func (src serviceSource) Uint64() uint64 {
	if src.s.Random == nil {
		return rand.Uint64()
	}
	src.s.randMu.Lock()
	defer src.s.randMu.Unlock()
	return src.s.Random.Uint64()
}

// Quiz is a module's quiz as one person sees it: the stored draw and the
// module as that draw shows it.
type Quiz struct {
	Draw  *store.QuizDraw
	Shown *courses.Module
}

// RetakePaused means a quiz was submitted during the pause a course sets
// after a failed attempt. Until and Now are in the organisation's zone.
type RetakePaused struct{ Until, Now time.Time }

func (e RetakePaused) Error() string {
	return fmt.Sprintf("learning: the quiz can be taken again at %s", e.Until.Format(time.RFC3339))
}

// Unanswered means a submission left questions without an answer; it was
// neither graded nor stored. Questions are in the order shown.
type Unanswered struct{ Questions []*courses.Question }

func (e Unanswered) Error() string {
	ids := make([]string, len(e.Questions))
	for i, q := range e.Questions {
		ids[i] = q.ID
	}
	return "learning: unanswered questions " + strings.Join(ids, ", ")
}

// PausedUntil returns when the person may take the module's quiz again
// after a failed attempt, or the zero time when they may now. It costs a
// query only when the course sets retake_after.
func (s *Service) PausedUntil(ctx context.Context, userID int64, row *store.Course, c *courses.Course, module string, now time.Time) (time.Time, error) {
	if c.RetakeAfter <= 0 {
		return time.Time{}, nil
	}
	last, err := s.Store.LatestAttempt(ctx, userID, row.ID, module)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, err
	}
	return pausedUntil(c, last, now, s.Location), nil
}

// pausedUntil is the one rule of the retake pause: after a failed attempt,
// the course's retake_after must pass before the next one.
func pausedUntil(c *courses.Course, last *store.Attempt, now time.Time, loc *time.Location) time.Time {
	if c.RetakeAfter <= 0 || last == nil || last.Passed {
		return time.Time{}
	}
	if until := last.SubmittedAt.Add(c.RetakeAfter); now.Before(until) {
		return until.In(loc)
	}
	return time.Time{}
}

// QuizFor returns the person's open quiz on a module of the current
// version, drawing and storing a new one when there is none: a reload, or
// a page served by another instance, shows the same questions in the same
// order. A new draw prefers the questions the person's last attempt on the
// module did not show.
func (s *Service) QuizFor(ctx context.Context, userID int64, row *store.Course, m *courses.Module, now time.Time) (Quiz, error) {
	d, err := s.Store.OpenQuizDraw(ctx, userID, row.ID, row.CurrentVersionID, m.Slug)
	switch {
	case errors.Is(err, store.ErrNotFound):
		d = nil
	case err != nil:
		return Quiz{}, err
	}
	return s.QuizFrom(ctx, userID, row, m, d, now)
}

// QuizFrom is QuizFor with the open draw already read (ModuleView): open
// is nil when there is none.
func (s *Service) QuizFrom(ctx context.Context, userID int64, row *store.Course, m *courses.Module, open *store.QuizDraw, now time.Time) (Quiz, error) {
	if open != nil {
		if shown, err := shownBy(m, open); err == nil {
			return Quiz{Draw: open, Shown: shown}, nil
		}
	}
	lastSeen := map[string]bool{}
	last, err := s.Store.LatestAttempt(ctx, userID, row.ID, m.Slug)
	switch {
	case err == nil:
		for _, a := range last.Answers {
			lastSeen[a.QuestionID] = true
		}
	case !errors.Is(err, store.ErrNotFound):
		return Quiz{}, err
	}
	b, err := json.Marshal(m.DrawQuiz(rand.New(serviceSource{s}), lastSeen))
	if err != nil {
		return Quiz{}, err
	}
	d := &store.QuizDraw{UserID: userID, CourseID: row.ID, VersionID: row.CurrentVersionID, ModuleSlug: m.Slug,
		Questions: string(b), CreatedAt: now}
	if err := s.Store.InsertQuizDraw(ctx, d); err != nil {
		return Quiz{}, err
	}
	shown, err := shownBy(m, d)
	return Quiz{Draw: d, Shown: shown}, err
}

// ShownBy rebuilds the module as a stored draw showed it, on the version
// the draw was made from.
func ShownBy(m *courses.Module, d *store.QuizDraw) (*courses.Module, error) { return shownBy(m, d) }

func shownBy(m *courses.Module, d *store.QuizDraw) (*courses.Module, error) {
	draw, err := courses.DecodeDraw(d.Questions)
	if err != nil {
		return nil, fmt.Errorf("learning: quiz draw %d: %w", d.ID, err)
	}
	return m.Shown(draw)
}

// SubmitQuiz grades a submission against the draw it answers and stores
// it in one transaction (Submit), closing the draw. It refuses, storing
// nothing: answers to questions the draw did not show (courses.ErrInvalidAnswers),
// a submission with unanswered questions (Unanswered), and one made during
// a retake pause (RetakePaused). A draw is answered once: a resent form,
// or the same quiz sent from two tabs, returns the first attempt.
func (s *Service) SubmitQuiz(ctx context.Context, sub Submission, d *store.QuizDraw) (Outcome, error) {
	if d.AttemptID != nil {
		return Outcome{AttemptID: *d.AttemptID, Duplicate: true}, nil
	}
	shown, err := shownBy(sub.Module, d)
	if err != nil {
		return Outcome{}, err
	}
	sub.Result, err = shown.Grade(sub.Answers, sub.Version.Pass)
	if err != nil {
		return Outcome{}, err
	}
	if missing := shown.Unanswered(sub.Answers); len(missing) > 0 {
		return Outcome{}, Unanswered{Questions: missing}
	}
	sub.DrawID = d.ID
	out, err := s.submit(ctx, sub)
	if errors.Is(err, store.ErrDrawTaken) { // the other submission's attempt stands
		if d, err = s.Store.QuizDrawByID(ctx, d.ID); err != nil {
			return Outcome{}, err
		}
		if d.AttemptID == nil {
			return Outcome{}, fmt.Errorf("learning: quiz draw %d was taken, but names no attempt", d.ID)
		}
		return Outcome{AttemptID: *d.AttemptID, Duplicate: true}, nil
	}
	return out, err
}

// AttemptQuiz returns the module as an attempt saw it: its draw's questions
// and choices in the order shown. An attempt stored without a draw (before
// draws, or by the demo) shows the questions it answered, in the order
// written.
func (s *Service) AttemptQuiz(ctx context.Context, a *store.Attempt, m *courses.Module) (*courses.Module, error) {
	d, err := s.Store.QuizDrawOfAttempt(ctx, a.ID)
	if err == nil {
		return shownBy(m, d)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	answered := map[string]bool{}
	for _, ans := range a.Answers {
		answered[ans.QuestionID] = true
	}
	var draw courses.Draw
	for _, q := range m.Questions {
		if answered[q.ID] {
			draw = append(draw, courses.DrawnQuestion{ID: q.ID})
		}
	}
	if len(draw) == 0 {
		return m, nil
	}
	return m.Shown(draw)
}
