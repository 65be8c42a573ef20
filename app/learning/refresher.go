package learning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// RefresherQuizOpen reports whether a person's refresher is open and is
// taken as a short quiz: they completed the course before, the window is
// open (or the due date passed), and the course does not require the full
// course again.
func RefresherQuizOpen(c *courses.Course, st Standing) bool {
	open := st.State.Status == courses.DueSoon || st.State.Status == courses.Overdue
	return open && st.State.Cycle > 0 && c.RefresherMode != courses.RefresherFull && c.RefresherQuestions > 0 && hasQuestions(c)
}

func hasQuestions(c *courses.Course) bool {
	for _, m := range c.Modules {
		if len(m.Questions) > 0 {
			return true
		}
	}
	return false
}

// ErrRefresherClosed means a refresher quiz was asked for while the person's
// refresher is not open.
var ErrRefresherClosed = errors.New("learning: the refresher is not open")

// Draw returns the person's open refresher quiz on a course, drawing and
// storing a new one when there is none (or the open one was drawn on another
// version or cycle): a reload shows the same questions.
func (s *Service) Draw(ctx context.Context, userID int64, row *store.Course, c *courses.Course, st Standing, now time.Time) (*store.RefresherDraw, *courses.Module, error) {
	if !RefresherQuizOpen(c, st) {
		return nil, nil, ErrRefresherClosed
	}
	d, err := s.Store.OpenDraw(ctx, userID, row.ID)
	switch {
	case err == nil && d.VersionID == row.CurrentVersionID && d.Cycle == st.State.Cycle:
		if quiz, err := quizOf(c, d); err == nil {
			return d, quiz, nil
		}
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, nil, err
	}
	history, err := s.Store.AnswerHistory(ctx, userID, row.ID)
	if err != nil {
		return nil, nil, err
	}
	refs := c.DrawRefresher(SeenFrom(history), c.RefresherQuestions)
	b, err := json.Marshal(refs)
	if err != nil {
		return nil, nil, err
	}
	d = &store.RefresherDraw{UserID: userID, CourseID: row.ID, VersionID: row.CurrentVersionID, Cycle: st.State.Cycle,
		Questions: string(b), CreatedAt: now}
	if err := s.Store.InsertDraw(ctx, d); err != nil {
		return nil, nil, err
	}
	quiz, err := quizOf(c, d)
	return d, quiz, err
}

// quizOf rebuilds a stored draw's quiz on the version it was drawn from.
func quizOf(c *courses.Course, d *store.RefresherDraw) (*courses.Module, error) {
	var refs []courses.QuestionRef
	if err := json.Unmarshal([]byte(d.Questions), &refs); err != nil {
		return nil, fmt.Errorf("learning: refresher draw %d: %w", d.ID, err)
	}
	return c.RefresherQuiz(refs)
}

// DrawQuiz rebuilds the quiz of a stored draw on its version.
func DrawQuiz(c *courses.Course, d *store.RefresherDraw) (*courses.Module, error) {
	return quizOf(c, d)
}

// SeenFrom reduces a person's answers (oldest first) to what the draw needs:
// when each question was last answered, and whether that answer was wrong.
func SeenFrom(history []store.AnswerSeen) map[string]courses.Seen {
	seen := map[string]courses.Seen{}
	for _, a := range history {
		seen[a.QuestionID] = courses.Seen{Last: a.SubmittedAt, Missed: !a.Correct}
	}
	return seen
}

// errDrawTaken rolls back a refresher submission whose draw another submission
// answered first, in the same moment.
var errDrawTaken = errors.New("learning: the quiz draw was answered by another submission")

// RefresherSubmission is one graded refresher quiz.
type RefresherSubmission struct {
	UserID  int64
	Course  *store.Course
	Version *courses.Course
	Draw    *store.RefresherDraw
	Key     string
	Result  courses.Result
	Now     time.Time
}

// SubmitRefresher stores a refresher quiz attempt in one transaction: the
// attempt (module_slug "" marks a refresher), the draw closed by it, the
// practice it feeds, and on a pass a completion with its certificate and
// the schedule Derive gives. A draw is answered once: a resent form returns
// the first attempt and changes nothing.
func (s *Service) SubmitRefresher(ctx context.Context, sub RefresherSubmission) (Outcome, error) {
	var out Outcome
	a := &store.Attempt{UserID: sub.UserID, CourseID: sub.Course.ID, VersionID: sub.Draw.VersionID, ModuleSlug: "",
		IdempotencyKey: sub.Key, Correct: sub.Result.Correct, Total: sub.Result.Total, Score: sub.Result.Score,
		Passed: sub.Result.Passed, SubmittedAt: sub.Now}
	answers := answersOf(sub.Result)
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		d, err := tx.DrawByID(ctx, sub.Draw.ID)
		if err != nil {
			return err
		}
		if d.AttemptID != nil {
			out.AttemptID, out.Duplicate = *d.AttemptID, true
			return nil
		}
		e, inserted, err := tx.SubmitAttempt(ctx, a, answers)
		if err != nil {
			return err
		}
		out.AttemptID = a.ID
		if !inserted {
			out.Duplicate = true
			return nil
		}
		// Two forms of one draw sent at the same moment both find it open;
		// the second to close it rolls back and answers with the first.
		if closed, err := tx.CloseDraw(ctx, d.ID, a.ID); err != nil {
			return err
		} else if !closed {
			return errDrawTaken
		}
		if err := s.practise(ctx, tx, sub.UserID, sub.Course.ID, sub.Result, true, sub.Now); err != nil {
			return err
		}
		if err := s.graded(ctx, tx, sub.UserID, sub.Course, sub.Version, nil, a, sub.Result); err != nil {
			return err
		}
		if !sub.Result.Passed {
			return nil
		}
		completions, err := tx.Completions(ctx, sub.UserID, sub.Course.ID)
		if err != nil {
			return err
		}
		progress, err := tx.Progress(ctx, sub.UserID, sub.Course.ID)
		if err != nil {
			return err
		}
		out.Completed = true
		return s.complete(ctx, tx, e, sub.Course, d.VersionID, sub.Version, completions, progress, sub.Result.Score, sub.Now)
	})
	if errors.Is(err, errDrawTaken) {
		d, err := s.Store.DrawByID(ctx, sub.Draw.ID)
		if err != nil {
			return Outcome{}, err
		}
		if d.AttemptID == nil {
			return Outcome{}, fmt.Errorf("learning: refresher draw %d was taken, but names no attempt", d.ID)
		}
		return Outcome{AttemptID: *d.AttemptID, Duplicate: true}, nil
	}
	if err != nil {
		return Outcome{}, err
	}
	s.counted(out, sub.Result)
	return out, nil
}

func answersOf(r courses.Result) []store.AttemptAnswer {
	answers := make([]store.AttemptAnswer, 0, len(r.Questions))
	for _, q := range r.Questions {
		chosen := slices.Clone(q.Chosen)
		slices.Sort(chosen)
		answers = append(answers, store.AttemptAnswer{QuestionID: q.Question.ID, ChoiceIDs: strings.Join(chosen, " "), Correct: q.Correct})
	}
	return answers
}

// practiseMisses puts every question a module quiz got wrong into practice.
func (s *Service) practiseMisses(ctx context.Context, tx *store.Store, userID, courseID int64, r courses.Result, now time.Time) error {
	return s.practise(ctx, tx, userID, courseID, r, false, now)
}

// practise applies graded answers to a person's practice: a wrong answer
// starts (or steps back) a question's practice; with rights set, a right
// answer to a question in practice climbs the ladder.
func (s *Service) practise(ctx context.Context, tx *store.Store, userID, courseID int64, r courses.Result, rights bool, now time.Time) error {
	var items map[string]store.PracticeItem
	var changed []store.PracticeItem
	for _, q := range r.Questions {
		if q.Correct && !rights {
			continue
		}
		if items == nil {
			list, err := tx.PracticeItems(ctx, userID, courseID)
			if err != nil {
				return err
			}
			items = map[string]store.PracticeItem{}
			for _, it := range list {
				items[it.QuestionID] = it
			}
		}
		it, tracked := items[q.Question.ID]
		var next courses.Practice
		switch {
		case !q.Correct && tracked:
			p := practiceOf(it)
			next = courses.Missed(&p, now, s.Location)
		case !q.Correct:
			next = courses.Missed(nil, now, s.Location)
		case tracked && it.RetiredAt.IsZero():
			next = practiceOf(it).Answered(true, now, s.Location)
		default:
			continue
		}
		changed = append(changed, *itemOf(userID, courseID, q.Question.ID, next, now))
	}
	return tx.SavePractice(ctx, changed)
}

func practiceOf(it store.PracticeItem) courses.Practice {
	return courses.Practice{Rung: it.Rung, Streak: it.Streak, Due: it.DueAt, Retired: !it.RetiredAt.IsZero()}
}

func itemOf(userID, courseID int64, questionID string, p courses.Practice, now time.Time) *store.PracticeItem {
	it := &store.PracticeItem{UserID: userID, CourseID: courseID, QuestionID: questionID, Rung: p.Rung, Streak: p.Streak, DueAt: p.Due, UpdatedAt: now}
	if p.Retired {
		it.RetiredAt = now
	}
	return it
}

// PracticeAnswer is one graded answer of a practice set.
type PracticeAnswer struct {
	CourseID   int64
	QuestionID string
	Correct    bool
}

// Practise records a practice set. Only questions due at now move, so a
// resent form changes nothing; practice never touches a due date.
func (s *Service) Practise(ctx context.Context, userID int64, answers []PracticeAnswer, now time.Time) error {
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		due, err := tx.DuePractice(ctx, userID, now, 1000)
		if err != nil {
			return err
		}
		byKey := map[string]store.PracticeItem{}
		for _, it := range due {
			byKey[fmt.Sprint(it.CourseID, "/", it.QuestionID)] = it
		}
		var changed []store.PracticeItem
		for _, a := range answers {
			it, ok := byKey[fmt.Sprint(a.CourseID, "/", a.QuestionID)]
			if !ok {
				continue
			}
			next := practiceOf(it).Answered(a.Correct, now, s.Location)
			changed = append(changed, *itemOf(userID, a.CourseID, a.QuestionID, next, now))
		}
		return tx.SavePractice(ctx, changed)
	})
}
