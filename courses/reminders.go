package courses

import "time"

// Reminder kinds.
const (
	RemindAssigned     = "assigned"
	RemindWindowOpened = "window_opened"
	RemindDueTomorrow  = "due_tomorrow"
	RemindOverdue      = "overdue"
)

// Reminder rules.
const (
	// AssignedFreshFor is how long after an assignment its mail still goes
	// out: a scheduler started long after (or a first deployment on old
	// data) does not announce year-old assignments.
	AssignedFreshFor = 7 * 24 * time.Hour
	// OverdueReminders caps the overdue mails per cycle: the first on the
	// day after the due date, then weekly.
	OverdueReminders = 4
)

// Reminder is one mail a person should have had by now. Cycle and Seq make
// its key with the kind, person and course: each is sent once.
type Reminder struct {
	Kind  string
	Cycle int
	Seq   int
}

// Reminders lists the reminders a history calls for at now, given its
// state st = Derive(h, s, now). Each is the latest of its kind, so a
// scheduler that was down catches up with what is true now instead of
// sending everything it missed:
//
//   - assigned: within AssignedFreshFor of the assignment, before a first
//     completion (Seq is the assignment's day, so a new assignment is news);
//   - window opened: the refresher window is open (after a completion);
//   - due tomorrow: on the day before the due day, or on the due day itself
//     if the day before was missed, while not done;
//   - overdue: the day after the due day, then every 7 days, at most
//     OverdueReminders times (Seq counts them from 0).
func Reminders(h History, st State, s Schedule, now time.Time) []Reminder {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	today := dayOf(now, loc)
	var out []Reminder
	if !h.Assigned.IsZero() && st.Cycle == 0 && !h.Assigned.After(now) && now.Sub(h.Assigned) < AssignedFreshFor {
		out = append(out, Reminder{Kind: RemindAssigned, Cycle: 0, Seq: int(dayOf(h.Assigned, loc).t.Unix() / 86400)})
	}
	if st.NextDue.IsZero() {
		return out
	}
	due := dayOf(st.NextDue, loc)
	switch st.Status {
	case DueSoon:
		out = append(out, Reminder{Kind: RemindWindowOpened, Cycle: st.Cycle})
		fallthrough
	case NotStarted, InProgress:
		if tomorrow := today.add(Interval{1, Day}); !today.after(due) && !tomorrow.before(due) {
			out = append(out, Reminder{Kind: RemindDueTomorrow, Cycle: st.Cycle})
		}
	case Overdue:
		days := int(today.t.Sub(due.t).Hours()/24) - 1 // 0 on the day after the due day
		if k := days / 7; k < OverdueReminders {
			out = append(out, Reminder{Kind: RemindOverdue, Cycle: st.Cycle, Seq: k})
		}
	}
	return out
}
