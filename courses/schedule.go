package courses

import (
	"slices"
	"time"
)

// Status is where a person stands with a course, derived from dates by
// Derive. Its values are stable strings, safe to store and to put in URLs.
type Status string

const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Completed  Status = "completed"
	DueSoon    Status = "due_soon"
	Overdue    Status = "overdue"
)

// Label returns the status as shown to people: "Not started", "Due soon".
func (s Status) Label() string {
	switch s {
	case NotStarted:
		return "Not started"
	case InProgress:
		return "In progress"
	case Completed:
		return "Completed"
	case DueSoon:
		return "Due soon"
	case Overdue:
		return "Overdue"
	}
	return string(s)
}

// Schedule is a course's refresher rule.
type Schedule struct {
	Refresher Interval       // how long a completion stays valid
	Window    Interval       // how long before the due date a refresher opens
	Location  *time.Location // whose calendar decides "the day"; nil means UTC
}

// History is everything that happened between one person and one course.
// It is append-only: Derive reads it, nothing rewrites it.
type History struct {
	Assigned     time.Time   // zero when not assigned
	DueAt        time.Time   // first due date set by an assignment; zero when none
	Completions  []time.Time // every course completion, any order
	LastActivity time.Time   // latest module read or quiz attempt; zero when none
	// Material lists when versions marked material were published. Each one
	// reopens the refresher of everyone who completed before it.
	Material []time.Time
}

// State is the derived standing of one person on one course at one moment.
type State struct {
	Status        Status
	NextDue       time.Time // start of the due day in Location; zero when nothing is due
	WindowOpens   time.Time // start of the day the refresher opens (NextDue - Window); zero when no completion
	LastCompleted time.Time // latest completion that counted; zero when none
	Cycle         int       // number of completions that counted (early retakes do not count)
}

// Derive computes the state at now from the history, following Totara's
// certification expiry rules (DESIGN.md §5), in whole calendar days of
// s.Location:
//
//   - the first completion makes the course due one Refresher later;
//   - a completion before the window opens is an early retake: it changes
//     nothing and does not count;
//   - a completion inside the window (up to and including the due day) moves
//     the due date on by one Refresher from the old due date, so finishing
//     early never costs anyone time;
//   - a completion after the due day restarts from that completion;
//   - a material version published on day P, after at least one counted
//     completion, brings the due date forward to P + Window unless it is
//     already sooner: the refresher opens on P for everyone who completed an
//     earlier version. A refresher completed inside that window then moves
//     the due date on from P + Window, by the rule above.
//
// Events after now are ignored, so Derive also answers "what was true on
// this date" for reports, audits and certificates.
func Derive(h History, s Schedule, now time.Time) State {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	today := dayOf(now, loc)

	// One timeline of completions and material publishes; at the same
	// instant the completion comes first (it was made on the earlier version).
	type event struct {
		at       time.Time
		material bool
	}
	events := make([]event, 0, len(h.Completions)+len(h.Material))
	for _, c := range h.Completions {
		if !c.IsZero() && !c.After(now) {
			events = append(events, event{at: c})
		}
	}
	for _, m := range h.Material {
		if !m.IsZero() && !m.After(now) {
			events = append(events, event{at: m, material: true})
		}
	}
	slices.SortStableFunc(events, func(a, b event) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		switch {
		case a.material == b.material:
			return 0
		case a.material:
			return 1
		}
		return -1
	})

	var st State
	var due civilDay
	for _, ev := range events {
		c := ev.at
		d := dayOf(c, loc)
		if ev.material {
			if st.Cycle > 0 {
				if sooner := d.add(s.Window); sooner.before(due) {
					due = sooner
				}
			}
			continue
		}
		switch {
		case st.Cycle == 0:
			due = d.add(s.Refresher)
		case d.before(due.sub(s.Window)):
			continue // early retake
		case !d.after(due):
			due = due.add(s.Refresher)
		default: // lapsed
			due = d.add(s.Refresher)
		}
		st.Cycle++
		st.LastCompleted = c
	}

	if st.Cycle == 0 {
		activity := !h.LastActivity.IsZero() && !h.LastActivity.After(now)
		switch {
		case !h.DueAt.IsZero():
			due = dayOf(h.DueAt, loc)
			st.NextDue = due.start(loc)
			if today.after(due) {
				st.Status = Overdue
			} else if activity {
				st.Status = InProgress
			} else {
				st.Status = NotStarted
			}
		case activity:
			st.Status = InProgress
		default:
			st.Status = NotStarted
		}
		return st
	}

	opens := due.sub(s.Window)
	st.NextDue = due.start(loc)
	st.WindowOpens = opens.start(loc)
	switch {
	case today.after(due):
		st.Status = Overdue
	case !today.before(opens):
		st.Status = DueSoon
	default:
		st.Status = Completed
	}
	return st
}

// civilDay is a calendar date, held as midnight UTC so that day arithmetic
// never meets a daylight-saving gap; start converts it back to a moment.
type civilDay struct{ t time.Time }

func dayOf(t time.Time, loc *time.Location) civilDay {
	y, m, d := t.In(loc).Date()
	return civilDay{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d civilDay) add(i Interval) civilDay { return civilDay{i.AddTo(d.t)} }
func (d civilDay) sub(i Interval) civilDay { return civilDay{i.SubFrom(d.t)} }
func (d civilDay) before(e civilDay) bool  { return d.t.Before(e.t) }
func (d civilDay) after(e civilDay) bool   { return d.t.After(e.t) }
func (d civilDay) start(loc *time.Location) time.Time {
	y, m, dd := d.t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}
