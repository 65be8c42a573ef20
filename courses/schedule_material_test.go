package courses

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDeriveMaterialChange covers the material-change rule: a version marked
// material opens the refresher of everyone who completed an earlier version,
// due one window after the publish day unless already due sooner.
func TestDeriveMaterialChange(t *testing.T) {
	yearly := Schedule{Refresher: Interval{1, Year}, Window: Interval{30, Day}}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	utc := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	auckland := mustLoad(t, "Pacific/Auckland")

	tests := []struct {
		name     string
		history  History
		schedule Schedule
		now      time.Time
		want     State
	}{
		{
			name:     "material publish opens the refresher due one window later",
			history:  History{Completions: []time.Time{day(2025, 3, 10)}, Material: []time.Time{day(2025, 6, 1)}},
			schedule: yearly,
			now:      day(2025, 6, 2),
			want: State{Status: DueSoon, NextDue: utc(2025, 7, 1), WindowOpens: utc(2025, 6, 1),
				LastCompleted: day(2025, 3, 10), Cycle: 1},
		},
		{
			name:     "material publish does not postpone a refresher already due sooner",
			history:  History{Completions: []time.Time{day(2024, 7, 1)}, Material: []time.Time{day(2025, 6, 20)}},
			schedule: yearly,
			now:      day(2025, 6, 21),
			want: State{Status: DueSoon, NextDue: utc(2025, 7, 1), WindowOpens: utc(2025, 6, 1),
				LastCompleted: day(2024, 7, 1), Cycle: 1},
		},
		{
			name:     "material publish before any completion changes nothing",
			history:  History{Material: []time.Time{day(2025, 1, 1)}, Completions: []time.Time{day(2025, 3, 10)}},
			schedule: yearly,
			now:      day(2025, 3, 11),
			want: State{Status: Completed, NextDue: utc(2026, 3, 10), WindowOpens: utc(2026, 2, 8),
				LastCompleted: day(2025, 3, 10), Cycle: 1},
		},
		{
			name:     "material publish without a completion leaves the person not started",
			history:  History{Material: []time.Time{day(2025, 1, 1)}},
			schedule: yearly,
			now:      day(2025, 3, 11),
			want:     State{Status: NotStarted},
		},
		{
			name:     "refresher after a material publish keeps the new cycle",
			history:  History{Completions: []time.Time{day(2025, 3, 10), day(2025, 6, 15)}, Material: []time.Time{day(2025, 6, 1)}},
			schedule: yearly,
			now:      day(2025, 6, 16),
			want: State{Status: Completed, NextDue: utc(2026, 7, 1), WindowOpens: utc(2026, 6, 1),
				LastCompleted: day(2025, 6, 15), Cycle: 2},
		},
		{
			name:     "ignoring a material refresher makes the course overdue",
			history:  History{Completions: []time.Time{day(2025, 3, 10)}, Material: []time.Time{day(2025, 6, 1)}},
			schedule: yearly,
			now:      day(2025, 7, 2),
			want: State{Status: Overdue, NextDue: utc(2025, 7, 1), WindowOpens: utc(2025, 6, 1),
				LastCompleted: day(2025, 3, 10), Cycle: 1},
		},
		{
			name:     "a completion at the same instant as the publish was on the earlier version",
			history:  History{Completions: []time.Time{day(2025, 6, 1)}, Material: []time.Time{day(2025, 6, 1)}},
			schedule: yearly,
			now:      day(2025, 6, 2),
			want: State{Status: DueSoon, NextDue: utc(2025, 7, 1), WindowOpens: utc(2025, 6, 1),
				LastCompleted: day(2025, 6, 1), Cycle: 1},
		},
		{
			name:     "a material publish not yet made is not known",
			history:  History{Completions: []time.Time{day(2025, 3, 10)}, Material: []time.Time{day(2025, 6, 1)}},
			schedule: yearly,
			now:      day(2025, 5, 31),
			want: State{Status: Completed, NextDue: utc(2026, 3, 10), WindowOpens: utc(2026, 2, 8),
				LastCompleted: day(2025, 3, 10), Cycle: 1},
		},
		{
			name: "the publish day is the day in the organisation's time zone",
			// 31 May 2025 13:00 UTC is 1 Jun 01:00 in Auckland (NZST, +12).
			history:  History{Completions: []time.Time{day(2025, 3, 10)}, Material: []time.Time{time.Date(2025, 5, 31, 13, 0, 0, 0, time.UTC)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{30, Day}, Location: auckland},
			now:      day(2025, 6, 2),
			want: State{Status: DueSoon, NextDue: time.Date(2025, 7, 1, 0, 0, 0, 0, auckland), WindowOpens: time.Date(2025, 6, 1, 0, 0, 0, 0, auckland),
				LastCompleted: day(2025, 3, 10), Cycle: 1},
		},
		{
			name:     "a month window from 31 Jan clamps to the end of February",
			history:  History{Completions: []time.Time{day(2023, 6, 1)}, Material: []time.Time{day(2024, 1, 31)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{1, Month}},
			now:      day(2024, 2, 1),
			want: State{Status: DueSoon, NextDue: utc(2024, 2, 29), WindowOpens: utc(2024, 1, 29),
				LastCompleted: day(2023, 6, 1), Cycle: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Derive(tt.history, tt.schedule, tt.now)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Derive() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
