package learning

import (
	"context"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// History is the one place a person's history on a course is put together
// for courses.Derive: the enrolment's dates (e may be nil: never opened, or
// a caller that only needs completed cycles), every completion, and when the
// course's material versions were published. The dashboard, the course page,
// the dates stored for reports, the reminder sweep and certificates all build
// it here, so they cannot disagree about what a person has to do.
func History(e *store.Enrolment, completions []store.Completion, material []time.Time) courses.History {
	h := courses.History{Material: material}
	if e != nil {
		h.Assigned, h.DueAt, h.LastActivity = e.AssignedAt, e.DueAt, e.LastActivityAt
	}
	if len(completions) > 0 {
		h.Completions = make([]time.Time, len(completions))
		for i, c := range completions {
			h.Completions[i] = c.CompletedAt
		}
	}
	return h
}

// cycleStart is the latest completion: modules count as done in the current
// cycle only when read (and passed) after it.
func cycleStart(completions []store.Completion) time.Time {
	var t time.Time
	for _, c := range completions {
		if c.CompletedAt.After(t) {
			t = c.CompletedAt
		}
	}
	return t
}

// rescheduleBatch is how many enrolments Reschedule derives per query.
const rescheduleBatch = 500

// Reschedule re-derives the dates stored on the enrolments of everyone who
// completed a course (last completion, next due date, cycle), after a publish
// changed what they depend on: a material version, or a new refresher
// interval or window. tx is the publish's transaction, so reports, which read
// the stored dates, never see a course version with the old ones. It returns
// how many enrolments changed.
func (s *Service) Reschedule(ctx context.Context, tx *store.Store, courseID int64, now time.Time) (int, error) {
	row, err := tx.CourseByID(ctx, courseID)
	if err != nil {
		return 0, err
	}
	sched, err := s.Schedule(row)
	if err != nil {
		return 0, err
	}
	ms, err := tx.MaterialPublishes(ctx, courseID)
	if err != nil {
		return 0, err
	}
	material := store.MaterialByCourse(ms)[courseID]
	changed := 0
	var after int64
	for {
		es, err := tx.CompletedEnrolments(ctx, courseID, after, rescheduleBatch)
		if err != nil || len(es) == 0 {
			return changed, err
		}
		after = es[len(es)-1].ID
		ids := make([]int64, len(es))
		for i, e := range es {
			ids[i] = e.UserID
		}
		cs, err := tx.CompletionsOnCourse(ctx, courseID, ids)
		if err != nil {
			return changed, err
		}
		byUser := make(map[int64][]store.Completion, len(es))
		for _, c := range cs {
			byUser[c.UserID] = append(byUser[c.UserID], c)
		}
		for i := range es {
			e := &es[i]
			st := courses.Derive(History(e, byUser[e.UserID], material), sched, now)
			if st.NextDue.Equal(e.NextDueAt) && st.LastCompleted.Equal(e.LastCompletedAt) && st.Cycle == e.Cycle {
				continue
			}
			if err := tx.SetEnrolmentSchedule(ctx, e.ID, st.LastCompleted, st.NextDue, st.Cycle); err != nil {
				return changed, err
			}
			changed++
		}
	}
}
