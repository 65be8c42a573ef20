// Package learning records what people do on a course — viewing and reading
// modules, quiz attempts, completions — and derives where each person stands.
// It is the one place where a quiz submission becomes an attempt, progress and
// perhaps a completion, in one transaction. It knows no HTTP.
package learning

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
	"github.com/frontline-lms/frontline/app/xapi"
	"github.com/frontline-lms/frontline/courses"
)

// Service works on the store with the organisation's time zone.
type Service struct {
	Store    *store.Store
	Location *time.Location // decides what "the day" is for due dates
	// Random decides quiz draws and shuffles. Nil uses math/rand/v2's
	// source, seeded unpredictably by the runtime; tests set a seeded one
	// for a known sequence of draws. The service locks it: it is shared.
	Random rand.Source
	randMu sync.Mutex
	// XAPI queues xAPI statements in the transaction of what they record;
	// nil when no LRS is configured.
	XAPI *xapi.Recorder
	// Counted, when set, hears of each quiz submission and completion once
	// committed (the metrics); kind is "quiz_passed", "quiz_failed" or
	// "completed".
	Counted func(kind string)
}

func (s *Service) count(kind string) {
	if s.Counted != nil {
		s.Counted(kind)
	}
}

// Schedule returns the refresher schedule of a course row.
func (s *Service) Schedule(c *store.Course) (courses.Schedule, error) {
	refresher, err := courses.ParseInterval(c.Refresher)
	if err != nil {
		return courses.Schedule{}, fmt.Errorf("learning: course %q: %w", c.Slug, err)
	}
	window, err := courses.ParseInterval(c.Window)
	if err != nil {
		return courses.Schedule{}, fmt.Errorf("learning: course %q: %w", c.Slug, err)
	}
	return courses.Schedule{Refresher: refresher, Window: window, Location: s.Location}, nil
}

// Standing is where one person stands on one course.
type Standing struct {
	State      courses.State
	Done       map[string]bool // module slug -> done in the current cycle
	Seen       map[string]bool // module slug -> viewed at least once
	DoneCount  int
	Total      int
	Percent    int
	Started    bool
	Enrolment  *store.Enrolment // nil when the person never opened the course
	NextModule *courses.Module  // first module not done, nil when all are
}

// Stand derives a person's standing on one course version from their
// enrolment (nil when they never opened it), completions, module progress and
// the times the course's material versions were published. It is pure: every
// page that shows a state goes through it, and through History and
// courses.Derive for the dates.
func Stand(c *courses.Course, sched courses.Schedule, material []time.Time, e *store.Enrolment, completions []store.Completion,
	progress []store.ModuleProgress, now time.Time) Standing {
	start := cycleStart(completions) // modules count as done only after the latest completion
	st := Standing{State: courses.Derive(History(e, completions, material), sched, now), Done: map[string]bool{}, Seen: map[string]bool{}, Total: len(c.Modules), Enrolment: e}
	byModule := make(map[string]store.ModuleProgress, len(progress))
	for _, p := range progress {
		byModule[p.ModuleSlug] = p
		st.Started = true
	}
	for _, m := range c.Modules {
		p, ok := progressFor(byModule, m)
		st.Seen[m.Slug] = ok
		done := ok && moduleDone(m, p, start)
		if st.State.Status == courses.Completed {
			done = true // the course is complete for this cycle whatever was retaken early
		}
		st.Done[m.Slug] = done
		if done {
			st.DoneCount++
		} else if st.NextModule == nil {
			st.NextModule = m
		}
	}
	if st.Total > 0 {
		st.Percent = st.DoneCount * 100 / st.Total
	}
	return st
}

// progressFor finds a module's progress under its slug or an old alias.
func progressFor(by map[string]store.ModuleProgress, m *courses.Module) (store.ModuleProgress, bool) {
	if p, ok := by[m.Slug]; ok {
		return p, true
	}
	for _, a := range m.Aliases {
		if p, ok := by[a]; ok {
			return p, true
		}
	}
	return store.ModuleProgress{}, false
}

func moduleDone(m *courses.Module, p store.ModuleProgress, cycleStart time.Time) bool {
	if !p.ReadAt.After(cycleStart) {
		return false
	}
	return len(m.Questions) == 0 || p.PassedAt.After(cycleStart)
}

// Standing loads and derives one person's standing on a course.
func (s *Service) Standing(ctx context.Context, userID int64, row *store.Course, c *courses.Course, now time.Time) (Standing, error) {
	// One query for the enrolment and its module progress: with the
	// session, a page view costs two reads (DESIGN.md §7).
	e, progress, err := s.Store.EnrolmentAndProgress(ctx, userID, row.ID)
	if err != nil {
		return Standing{}, err
	}
	return s.standing(ctx, userID, row, c, e, progress, now)
}

// ModuleView is where a person stands on a course, and their open draw of
// module m's quiz on the current version, from one read: what a module
// page shows. The draw is nil when there is none; looked is false when it
// was not looked for (the person has no enrolment yet: ask QuizFor).
func (s *Service) ModuleView(ctx context.Context, userID int64, row *store.Course, c *courses.Course, m *courses.Module, now time.Time) (st Standing, open *store.QuizDraw, looked bool, err error) {
	e, progress, open, err := s.Store.ModuleView(ctx, userID, row.ID, row.CurrentVersionID, m.Slug)
	if err != nil {
		return Standing{}, nil, false, err
	}
	st, err = s.standing(ctx, userID, row, c, e, progress, now)
	return st, open, e != nil, err
}

// standing derives a Standing from the enrolment and progress read.
func (s *Service) standing(ctx context.Context, userID int64, row *store.Course, c *courses.Course, e *store.Enrolment, progress []store.ModuleProgress, now time.Time) (Standing, error) {
	sched, err := s.Schedule(row)
	if err != nil {
		return Standing{}, err
	}
	var completions []store.Completion
	var material []time.Time
	if e != nil {
		// Every completion sets last_completed_at, so a zero one means there
		// is no history to read: a first-time learner's page costs a query less.
		if !e.LastCompletedAt.IsZero() {
			if completions, err = s.Store.Completions(ctx, userID, row.ID); err != nil {
				return Standing{}, err
			}
			if material, err = s.material(ctx, row.ID); err != nil {
				return Standing{}, err
			}
		}
	}
	return Stand(c, sched, material, e, completions, progress, now), nil
}

// material lists when a course's material versions were published.
func (s *Service) material(ctx context.Context, courseID int64) ([]time.Time, error) {
	ms, err := s.Store.MaterialPublishes(ctx, courseID)
	if err != nil {
		return nil, err
	}
	return store.MaterialByCourse(ms)[courseID], nil
}

// Viewed records the first view of a module (later views write nothing),
// and that first view is the xAPI "experienced" of the module.
func (s *Service) Viewed(ctx context.Context, userID int64, row *store.Course, m *courses.Module, st Standing, now time.Time) error {
	if st.Seen[m.Slug] {
		return nil // only the first view is recorded: a page view costs no write
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if _, err := tx.ActiveEnrolment(ctx, userID, row.ID, now); err != nil {
			return err
		}
		if err := tx.MarkViewed(ctx, userID, row.ID, row.CurrentVersionID, m.Slug, now); err != nil {
			return err
		}
		if s.XAPI == nil {
			return nil
		}
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		return s.XAPI.Experienced(ctx, tx, u, row, m, now)
	})
}

// Outcome is what a submission or a read led to.
type Outcome struct {
	AttemptID int64
	Duplicate bool // the same submission was already stored; nothing changed
	Completed bool // this action completed the course
}

// Read records that a module without a quiz was read, and completes the
// course if that was the last thing left.
func (s *Service) Read(ctx context.Context, userID int64, row *store.Course, versionID int64, c *courses.Course, m *courses.Module, now time.Time) (Outcome, error) {
	var out Outcome
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		e, err := tx.ActiveEnrolment(ctx, userID, row.ID, now)
		if err != nil {
			return err
		}
		if err := tx.MarkRead(ctx, userID, row.ID, versionID, m.Slug, now); err != nil {
			return err
		}
		progress, err := tx.Progress(ctx, userID, row.ID)
		if err != nil {
			return err
		}
		out.Completed, err = s.completeIfDone(ctx, tx, e, row, versionID, c, progress, now)
		return err
	})
	if err == nil && out.Completed {
		s.count("completed")
	}
	return out, err
}

// Submission is one quiz form, graded against the version it was shown
// from (VersionID, Version). When that is no longer the course's current
// version the attempt is still stored and shown as graded, but completion
// is judged against Current: the modules of the course as it is now.
type Submission struct {
	UserID    int64
	Course    *store.Course
	VersionID int64
	Version   *courses.Course
	Current   *courses.Course // the version Course.CurrentVersionID names; nil when it is Version
	Module    *courses.Module
	Key       string // idempotency key carried by the form
	DrawID    int64  // the quiz draw answered, closed with the attempt; 0 for none
	Answers   courses.Answers
	Result    courses.Result
	Now       time.Time
}

// Submit stores a graded attempt with its answers, records a pass, and
// completes the course when it was the last module left — all in one
// transaction. A second submission with the same key changes nothing and
// returns the first attempt. An attempt during the course's retake pause
// is refused (RetakePaused) and nothing is stored. SubmitQuiz is the path
// of the quiz form, which grades against its draw.
func (s *Service) Submit(ctx context.Context, sub Submission) (Outcome, error) {
	return s.submit(ctx, sub)
}

// submit is Submit with a step run inside the transaction once the attempt
// is inserted (closing its draw); an error from it rolls everything back.
func (s *Service) submit(ctx context.Context, sub Submission) (Outcome, error) {
	var out Outcome
	a := &store.Attempt{UserID: sub.UserID, CourseID: sub.Course.ID, VersionID: sub.VersionID,
		ModuleSlug: sub.Module.Slug, IdempotencyKey: sub.Key, Correct: sub.Result.Correct,
		Total: sub.Result.Total, Score: sub.Result.Score, Passed: sub.Result.Passed, SubmittedAt: sub.Now, DrawID: sub.DrawID}
	answers := answersOf(sub.Result)
	// The pause is the current version's: a course that drops it frees everyone at once.
	current := sub.Version
	if sub.Current != nil {
		current = sub.Current
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if current.RetakeAfter > 0 {
			last, err := tx.LatestAttempt(ctx, sub.UserID, sub.Course.ID, sub.Module.Slug)
			switch {
			case err == nil && last.IdempotencyKey != sub.Key: // the same key is a resend, answered below
				if until := pausedUntil(current, last, sub.Now, s.Location); !until.IsZero() {
					return RetakePaused{Until: until, Now: sub.Now.In(s.Location)}
				}
			case err != nil && !errors.Is(err, store.ErrNotFound):
				return err
			}
		}
		// The activity on the enrolment with the attempt, in one round trip
		// on PostgreSQL. A resent form touches the activity time again; it
		// changes nothing else.
		e, added, err := tx.SubmitAttempt(ctx, a, answers)
		if err != nil {
			return err
		}
		out.AttemptID = a.ID
		if !added {
			out.Duplicate = true
			return nil
		}
		if err := s.practiseMisses(ctx, tx, sub.UserID, sub.Course.ID, sub.Result, sub.Now); err != nil {
			return err
		}
		if err := s.graded(ctx, tx, sub.UserID, sub.Course, sub.Version, sub.Module, a, sub.Result); err != nil {
			return err
		}
		if !sub.Result.Passed {
			return nil
		}
		progress, err := tx.MarkPassedProgress(ctx, sub.UserID, sub.Course.ID, sub.VersionID, sub.Module.Slug, sub.Result.Score, sub.Now)
		if err != nil {
			return err
		}
		currentID := sub.VersionID
		if sub.Current != nil {
			currentID = sub.Course.CurrentVersionID
		}
		out.Completed, err = s.completeIfDone(ctx, tx, e, sub.Course, currentID, current, progress, sub.Now)
		return err
	})
	if err != nil {
		return Outcome{}, err
	}
	s.counted(out, sub.Result)
	return out, nil
}

// counted tells the metrics of a committed submission.
func (s *Service) counted(out Outcome, r courses.Result) {
	if out.Duplicate {
		return
	}
	if r.Passed {
		s.count("quiz_passed")
	} else {
		s.count("quiz_failed")
	}
	if out.Completed {
		s.count("completed")
	}
}

// graded queues what a stored attempt tells other systems: the xAPI
// statements of the quiz, and a quiz.failed webhook when it failed. m is
// nil for a refresher quiz.
func (s *Service) graded(ctx context.Context, tx *store.Store, userID int64, row *store.Course, c *courses.Course, m *courses.Module,
	a *store.Attempt, r courses.Result) error {
	if s.XAPI == nil && r.Passed {
		return nil // a pass tells nothing on its own; a completion does
	}
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.XAPI.Quiz(ctx, tx, u, row, c, m, r, a.SubmittedAt); err != nil {
		return err
	}
	if r.Passed {
		return nil
	}
	module := ""
	if m != nil {
		module = m.Slug
	}
	return webhooks.Emit(ctx, tx, webhooks.QuizFailed, map[string]any{
		"person": webhooks.PersonOf(u), "course": webhooks.CourseOf(row), "module": module,
		"attempt_id": a.ID, "correct": r.Correct, "total": r.Total, "score": r.Score, "submitted_at": store.Now(a.SubmittedAt),
	}, "", a.SubmittedAt)
}

// completeIfDone records a completion when every module of the version is
// done in the current cycle, then stores the schedule courses.Derive gives.
// progress is the person's on the course, read after the action.
func (s *Service) completeIfDone(ctx context.Context, tx *store.Store, e *store.Enrolment, row *store.Course,
	versionID int64, c *courses.Course, progress []store.ModuleProgress, now time.Time) (bool, error) {
	// As in Standing: no last_completed_at, no completions to read, and a
	// first-time learner's submit costs a round trip less.
	var completions []store.Completion
	if !e.LastCompletedAt.IsZero() {
		var err error
		if completions, err = tx.Completions(ctx, e.UserID, row.ID); err != nil {
			return false, err
		}
	}
	start := cycleStart(completions)
	byModule := make(map[string]store.ModuleProgress, len(progress))
	for _, p := range progress {
		byModule[p.ModuleSlug] = p
	}
	sum, quizzes := 0, 0
	for _, m := range c.Modules {
		p, ok := progressFor(byModule, m)
		if !ok || !moduleDone(m, p, start) {
			return false, nil
		}
		if len(m.Questions) > 0 && p.PassScore != nil {
			sum += *p.PassScore
			quizzes++
		}
	}
	score := 100
	if quizzes > 0 {
		score = sum / quizzes
	}
	if err := s.complete(ctx, tx, e, row, versionID, c, completions, progress, score, now); err != nil {
		return false, err
	}
	return true, nil
}

// complete appends a completion with its certificate and stores the
// schedule courses.Derive gives for the history that now includes it.
func (s *Service) complete(ctx context.Context, tx *store.Store, e *store.Enrolment, row *store.Course, versionID int64,
	c *courses.Course, completions []store.Completion, progress []store.ModuleProgress, score int, now time.Time) error {
	co := store.Completion{UserID: e.UserID, CourseID: row.ID, VersionID: versionID, CompletedAt: now, Score: score}
	if err := tx.InsertCompletion(ctx, &co); err != nil {
		return err
	}
	if _, err := tx.EnsureCertificate(ctx, co.ID, NewCertificateCode(), now); err != nil {
		return err
	}
	completions = append(completions, co)
	sched, err := s.Schedule(row)
	if err != nil {
		return err
	}
	ms, err := tx.MaterialPublishes(ctx, row.ID)
	if err != nil {
		return err
	}
	st := Stand(c, sched, store.MaterialByCourse(ms)[row.ID], e, completions, progress, now)
	// Store what Derive counted: an early retake leaves the dates as they were.
	if err := tx.SetEnrolmentSchedule(ctx, e.ID, st.State.LastCompleted, st.State.NextDue, st.State.Cycle); err != nil {
		return err
	}
	u, err := tx.UserByID(ctx, e.UserID)
	if err != nil {
		return err
	}
	if err := s.XAPI.Completed(ctx, tx, u, row, score, now); err != nil {
		return err
	}
	data := map[string]any{"person": webhooks.PersonOf(u), "course": webhooks.CourseOf(row), "version_id": versionID,
		"completion_id": co.ID, "score": score, "completed_at": co.CompletedAt}
	if !st.State.NextDue.IsZero() {
		data["next_due"] = st.State.NextDue
	}
	return webhooks.Emit(ctx, tx, webhooks.CourseCompleted, data, "", now)
}

// CourseStanding pairs a course with a person's standing on it.
type CourseStanding struct {
	Course   store.Course
	Version  *courses.Course
	Standing Standing
}

// Overview derives a person's standing on every given course with three
// queries in all, whatever the number of courses: the dashboard's read.
func (s *Service) Overview(ctx context.Context, userID int64, rows []store.Course, versions []*courses.Course, now time.Time) ([]CourseStanding, error) {
	enrolments, err := s.Store.EnrolmentsOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	completions, err := s.Store.Completions(ctx, userID, 0)
	if err != nil {
		return nil, err
	}
	progress, err := s.Store.Progress(ctx, userID, 0)
	if err != nil {
		return nil, err
	}
	var material map[int64][]time.Time
	if len(completions) > 0 {
		ms, err := s.Store.MaterialPublishes(ctx, 0)
		if err != nil {
			return nil, err
		}
		material = store.MaterialByCourse(ms)
	}
	byCourse := map[int64]*store.Enrolment{}
	for i := range enrolments {
		byCourse[enrolments[i].CourseID] = &enrolments[i]
	}
	out := make([]CourseStanding, 0, len(rows))
	for i, row := range rows {
		sched, err := s.Schedule(&row)
		if err != nil {
			return nil, err
		}
		var cs []store.Completion
		for _, c := range completions {
			if c.CourseID == row.ID {
				cs = append(cs, c)
			}
		}
		var ps []store.ModuleProgress
		for _, p := range progress {
			if p.CourseID == row.ID {
				ps = append(ps, p)
			}
		}
		out = append(out, CourseStanding{Course: row, Version: versions[i],
			Standing: Stand(versions[i], sched, material[row.ID], byCourse[row.ID], cs, ps, now)})
	}
	return out, nil
}
