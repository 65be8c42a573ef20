package courses

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReminders(t *testing.T) {
	yearly := Schedule{Refresher: Interval{1, Year}, Window: Interval{30, Day}}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	done := History{Completions: []time.Time{day(2025, 3, 10)}} // due 10 Mar 2026, window opens 8 Feb 2026
	assigned := History{Assigned: day(2026, 3, 1), DueAt: day(2026, 3, 20)}
	assignedDay := int(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	tests := []struct {
		name string
		h    History
		now  time.Time
		want []Reminder
	}{
		{"completed, window not open: nothing", done, day(2026, 2, 7), nil},
		{"window opens: window opened", done, day(2026, 2, 8), []Reminder{{RemindWindowOpened, 1, 0}}},
		{"day before the due day: window opened and due tomorrow", done, day(2026, 3, 9), []Reminder{{RemindWindowOpened, 1, 0}, {RemindDueTomorrow, 1, 0}}},
		{"the due day still catches due tomorrow", done, day(2026, 3, 10), []Reminder{{RemindWindowOpened, 1, 0}, {RemindDueTomorrow, 1, 0}}},
		{"the day after: first overdue", done, day(2026, 3, 11), []Reminder{{RemindOverdue, 1, 0}}},
		{"six days later: still the first overdue", done, day(2026, 3, 17), []Reminder{{RemindOverdue, 1, 0}}},
		{"a week later: second overdue", done, day(2026, 3, 18), []Reminder{{RemindOverdue, 1, 1}}},
		{"three weeks after the first: fourth and last", done, day(2026, 4, 1), []Reminder{{RemindOverdue, 1, 3}}},
		{"four weeks after the first: no more", done, day(2026, 4, 8), nil},
		{"newly assigned", assigned, day(2026, 3, 2), []Reminder{{RemindAssigned, 0, assignedDay}}},
		{"assigned long ago is not news", assigned, day(2026, 3, 9), nil},
		{"assigned, due tomorrow", assigned, day(2026, 3, 19), []Reminder{{RemindDueTomorrow, 0, 0}}},
		{"assigned, overdue", assigned, day(2026, 3, 21), []Reminder{{RemindOverdue, 0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Derive(tt.h, yearly, tt.now)
			if diff := cmp.Diff(tt.want, Reminders(tt.h, st, yearly, tt.now)); diff != "" {
				t.Errorf("Reminders (-want +got):\n%s", diff)
			}
		})
	}
}
