// Package reports turns the refresher rules of courses into what report
// queries need — the instants a state changes at (Cutoffs) — and writes
// reports out: spreadsheet-safe CSV, streamed row by row. It also makes
// assignments (Assign), the write a manager's reports lead to, in one
// transaction with their audit row. It holds no SQL (app/store does) and no
// HTTP (app/web does).
package reports

import (
	"fmt"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// Course is what Cutoffs needs of a course.
type Course struct {
	ID       int64
	Schedule courses.Schedule
}

// Cutoffs returns the instants the state SQL of app/store compares against
// at now, following courses.Derive day by day in the schedule's zone:
//
//   - Today: the start of today. A due day (next_due_at is the start of one)
//     is past — overdue — exactly when it starts before today does.
//   - DueSoonBefore[course]: the start of the first due day D whose window
//     has not opened yet, that is D − Window > today. Interval.SubFrom never
//     decreases as D grows (months clamp to their last day), so every due day
//     before D has its window open: "due soon".
func Cutoffs(now time.Time, loc *time.Location, cs []Course) store.StateCutoffs {
	if loc == nil {
		loc = time.UTC
	}
	today := day(now, loc)
	cut := store.StateCutoffs{Now: now, Today: start(today, loc), DueSoonBefore: make(map[int64]time.Time, len(cs))}
	for _, c := range cs {
		cut.DueSoonBefore[c.ID] = start(firstClosed(today, c.Schedule.Window), loc)
	}
	return cut
}

// firstClosed is the first day d with d − w after today, by binary search
// over [today, today + w + 31 days]: the predicate is monotonic.
func firstClosed(today time.Time, w courses.Interval) time.Time {
	lo, hi := 0, int(w.AddTo(today).Sub(today).Hours()/24)+32
	for lo < hi {
		mid := (lo + hi) / 2
		if w.SubFrom(today.AddDate(0, 0, mid)).After(today) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return today.AddDate(0, 0, lo)
}

// day is the calendar day of t in loc, as midnight UTC (as courses does it,
// so day arithmetic never meets a daylight-saving gap).
func day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// start is the moment a calendar day begins in loc.
func start(d time.Time, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Status is the state the report SQL gives an enrolment row, in Go: the
// specification the SQL is tested against, and the bridge the tests use to
// check both against courses.Derive.
func Status(e *store.Enrolment, courseID int64, cut store.StateCutoffs) courses.Status {
	if e == nil {
		return courses.NotStarted
	}
	due := e.NextDueAt
	if due.IsZero() {
		due = e.DueAt
	}
	switch {
	case !due.IsZero() && due.Before(cut.Today):
		return courses.Overdue
	case e.LastCompletedAt.IsZero():
		if !e.LastActivityAt.IsZero() && !e.LastActivityAt.After(cut.Now) {
			return courses.InProgress
		}
		return courses.NotStarted
	case e.NextDueAt.Before(cut.DueSoonBefore[courseID]):
		return courses.DueSoon
	}
	return courses.Completed
}

// Statuses lists the states in the order reports show them.
var Statuses = []courses.Status{courses.Overdue, courses.DueSoon, courses.InProgress, courses.NotStarted, courses.Completed}

// ParseStatus reads a state from a URL; "" is no filter.
func ParseStatus(s string) (courses.Status, error) {
	if s == "" {
		return "", nil
	}
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("reports: %q is not a state", s)
}
