package learning

import (
	"time"

	"github.com/frontline-lms/frontline/courses"
)

// Why says why a course was picked as the next thing to do.
type Why string

const (
	WhyOverdue   Why = "overdue"     // past its due date
	WhyDueSoon   Why = "due_soon"    // its refresher (or first due date) is open
	WhyContinue  Why = "in_progress" // started, not finished
	WhyAssigned  Why = "assigned"    // assigned with a due date, not started yet
	WhySuggested Why = "suggested"   // not assigned, not started: a good next course
)

// Next is the one course a person should turn to now, and why. Course is
// nil when nothing is left to do (everything is completed, or there is
// nothing to take). NewStarter is set for someone who has neither started
// nor completed anything yet, to greet them.
type Next struct {
	Course     *CourseStanding
	Why        Why
	NewStarter bool
}

// NextUp picks the one course to show first, from every course a person can
// take (in catalogue order), by one rule that the dashboard and the
// completion page share:
//
//  1. what is overdue, the longest overdue first: it is already late;
//  2. what is due soon (an open refresher, or a first due date inside the
//     window), the nearest due date first;
//  3. a course in progress: one with a due date before one without, the
//     nearest due date first, then the one closest to finished (fewest
//     modules left), so the person finishes what they began;
//  4. a course not started: an assigned one (it has a due date) before the
//     rest, the nearest due date first; else the first in the catalogue.
//
// Ties keep catalogue order. Completed courses are never picked; except
// names courses to leave out (the one just completed, say).
func NextUp(all []CourseStanding, except ...string) Next {
	var n Next
	n.NewStarter = true
	var best *CourseStanding
	var bestRank rank
	for i := range all {
		cs := &all[i]
		st := cs.Standing.State
		if st.Cycle > 0 || cs.Standing.Started || st.Status == courses.InProgress {
			n.NewStarter = false
		}
		if skip(cs.Course.Slug, except) {
			continue
		}
		r, ok := rankOf(cs)
		if !ok {
			continue
		}
		if best == nil || r.before(bestRank) {
			best, bestRank = cs, r
		}
	}
	if best == nil {
		return Next{NewStarter: n.NewStarter}
	}
	n.Course, n.Why = best, bestRank.why
	return n
}

func skip(slug string, except []string) bool {
	for _, e := range except {
		if e == slug {
			return true
		}
	}
	return false
}

// rank orders candidates: a lower tier first, then an earlier due date (a
// zero one last), then fewer modules left.
type rank struct {
	tier int
	why  Why
	due  time.Time
	left int
}

func rankOf(cs *CourseStanding) (rank, bool) {
	st := cs.Standing
	left := st.Total - st.DoneCount
	switch st.State.Status {
	case courses.Overdue:
		return rank{tier: 0, why: WhyOverdue, due: st.State.NextDue, left: left}, true
	case courses.DueSoon:
		return rank{tier: 1, why: WhyDueSoon, due: st.State.NextDue, left: left}, true
	case courses.InProgress:
		return rank{tier: 2, why: WhyContinue, due: st.State.NextDue, left: left}, true
	case courses.NotStarted:
		if st.Total == 0 {
			return rank{}, false // nothing to take
		}
		if !st.State.NextDue.IsZero() {
			return rank{tier: 3, why: WhyAssigned, due: st.State.NextDue, left: left}, true
		}
		return rank{tier: 4, why: WhySuggested, left: left}, true
	}
	return rank{}, false
}

func (r rank) before(o rank) bool {
	if r.tier != o.tier {
		return r.tier < o.tier
	}
	switch {
	case r.due.IsZero() != o.due.IsZero():
		return !r.due.IsZero()
	case !r.due.Equal(o.due):
		return r.due.Before(o.due)
	}
	if r.tier == 2 && r.left != o.left {
		return r.left < o.left
	}
	return false
}
