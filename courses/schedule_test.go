package courses

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below, even where the system has no zoneinfo

	"github.com/google/go-cmp/cmp"
)

func TestDerive(t *testing.T) {
	auckland := mustLoad(t, "Pacific/Auckland")
	losAngeles := mustLoad(t, "America/Los_Angeles")
	yearly := Schedule{Refresher: Interval{1, Year}, Window: Interval{2, Month}}
	at := func(y int, m time.Month, d, hh, mm int, loc *time.Location) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, loc)
	}
	// day is midday UTC on a date: safely inside the same day in UTC.
	day := func(y int, m time.Month, d int) time.Time { return at(y, m, d, 12, 0, time.UTC) }
	// midnight is the start of a day in loc, as Derive reports dates.
	midnight := func(y int, m time.Month, d int, loc *time.Location) time.Time { return at(y, m, d, 0, 0, loc) }
	utc := func(y int, m time.Month, d int) time.Time { return midnight(y, m, d, time.UTC) }

	tests := []struct {
		name     string
		history  History
		schedule Schedule
		now      time.Time
		want     State
	}{
		{
			name:     "not started",
			history:  History{Assigned: day(2024, 1, 5)},
			schedule: yearly,
			now:      day(2024, 1, 6),
			want:     State{Status: NotStarted},
		},
		{
			name:     "assigned with a due date, not yet due",
			history:  History{Assigned: day(2024, 1, 5), DueAt: day(2024, 2, 1)},
			schedule: yearly,
			now:      day(2024, 2, 1),
			want:     State{Status: NotStarted, NextDue: utc(2024, 2, 1)},
		},
		{
			name:     "in progress",
			history:  History{Assigned: day(2024, 1, 5), DueAt: day(2024, 2, 1), LastActivity: day(2024, 1, 20)},
			schedule: yearly,
			now:      day(2024, 1, 21),
			want:     State{Status: InProgress, NextDue: utc(2024, 2, 1)},
		},
		{
			name:     "in progress without an assignment",
			history:  History{LastActivity: day(2024, 1, 20)},
			schedule: yearly,
			now:      day(2024, 1, 21),
			want:     State{Status: InProgress},
		},
		{
			name:     "overdue before first completion with DueAt",
			history:  History{Assigned: day(2024, 1, 5), DueAt: day(2024, 2, 1), LastActivity: day(2024, 1, 20)},
			schedule: yearly,
			now:      day(2024, 2, 2),
			want:     State{Status: Overdue, NextDue: utc(2024, 2, 1)},
		},
		{
			name:     "first completion",
			history:  History{DueAt: day(2024, 4, 1), Completions: []time.Time{day(2024, 3, 10)}},
			schedule: yearly,
			now:      day(2024, 3, 11),
			want: State{Status: Completed, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		},
		{
			name:     "first completion after the assignment's due date",
			history:  History{DueAt: day(2024, 2, 1), Completions: []time.Time{day(2024, 3, 10)}},
			schedule: yearly,
			now:      day(2024, 3, 11),
			want: State{Status: Completed, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		},
		{
			name:     "refresher inside window keeps cycle (the Totara example)",
			history:  History{Completions: []time.Time{day(2024, 3, 10), day(2025, 2, 1)}},
			schedule: yearly,
			now:      day(2025, 2, 2),
			want: State{Status: Completed, NextDue: utc(2026, 3, 10), WindowOpens: utc(2026, 1, 10),
				LastCompleted: day(2025, 2, 1), Cycle: 2},
		},
		{
			name:     "refresher on the day the window opens",
			history:  History{Completions: []time.Time{day(2024, 3, 10), day(2025, 1, 10)}},
			schedule: yearly,
			now:      day(2025, 1, 11),
			want: State{Status: Completed, NextDue: utc(2026, 3, 10), WindowOpens: utc(2026, 1, 10),
				LastCompleted: day(2025, 1, 10), Cycle: 2},
		},
		{
			name:     "refresher on the due day",
			history:  History{Completions: []time.Time{day(2024, 3, 10), at(2025, 3, 10, 23, 59, time.UTC)}},
			schedule: yearly,
			now:      day(2025, 3, 11),
			want: State{Status: Completed, NextDue: utc(2026, 3, 10), WindowOpens: utc(2026, 1, 10),
				LastCompleted: at(2025, 3, 10, 23, 59, time.UTC), Cycle: 2},
		},
		{
			name:     "early retake changes nothing",
			history:  History{Completions: []time.Time{day(2024, 3, 10), day(2025, 1, 9)}},
			schedule: yearly,
			now:      day(2025, 1, 9),
			want: State{Status: Completed, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		},
		{
			name:     "early retake on the day of the completion changes nothing",
			history:  History{Completions: []time.Time{day(2024, 3, 10), at(2024, 3, 10, 18, 0, time.UTC)}},
			schedule: yearly,
			now:      day(2024, 3, 11),
			want: State{Status: Completed, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		},
		{
			name:     "lapsed restarts from completion",
			history:  History{Completions: []time.Time{day(2024, 3, 10), day(2025, 4, 20)}},
			schedule: yearly,
			now:      day(2025, 4, 21),
			want: State{Status: Completed, NextDue: utc(2026, 4, 20), WindowOpens: utc(2026, 2, 20),
				LastCompleted: day(2025, 4, 20), Cycle: 2},
		},
		{
			name:     "lapsed and not yet redone is overdue",
			history:  History{Completions: []time.Time{day(2024, 3, 10)}, LastActivity: day(2025, 3, 20)},
			schedule: yearly,
			now:      day(2025, 3, 21),
			want: State{Status: Overdue, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		},
		{
			name: "completions in any order",
			history: History{Completions: []time.Time{
				day(2025, 2, 1), day(2024, 3, 10), day(2024, 6, 1), day(2026, 5, 1)}},
			schedule: yearly,
			now:      day(2026, 5, 2),
			// 10 Mar 2024 counts; 1 Jun 2024 is early; 1 Feb 2025 is in the
			// window (due 10 Mar 2026); 1 May 2026 is after it (lapsed).
			want: State{Status: Completed, NextDue: utc(2027, 5, 1), WindowOpens: utc(2027, 3, 1),
				LastCompleted: day(2026, 5, 1), Cycle: 3},
		},
		{
			name:     "completions after now are not known yet",
			history:  History{Completions: []time.Time{day(2024, 3, 10), day(2025, 2, 1)}, LastActivity: day(2025, 2, 1)},
			schedule: yearly,
			now:      day(2025, 1, 20),
			want: State{Status: DueSoon, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		},
		{
			name:     "leap day plus 1 year is 28 Feb",
			history:  History{Completions: []time.Time{day(2024, 2, 29)}},
			schedule: yearly,
			now:      day(2024, 3, 1),
			want: State{Status: Completed, NextDue: utc(2025, 2, 28), WindowOpens: utc(2024, 12, 28),
				LastCompleted: day(2024, 2, 29), Cycle: 1},
		},
		{
			name:     "window crossing February in a leap year opens on 29 Feb",
			history:  History{Completions: []time.Time{day(2023, 3, 31)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{1, Month}},
			now:      day(2024, 2, 29),
			want: State{Status: DueSoon, NextDue: utc(2024, 3, 31), WindowOpens: utc(2024, 2, 29),
				LastCompleted: day(2023, 3, 31), Cycle: 1},
		},
		{
			name:     "window crossing February in another year opens on 28 Feb",
			history:  History{Completions: []time.Time{day(2024, 3, 31)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{1, Month}},
			now:      day(2025, 2, 27),
			want: State{Status: Completed, NextDue: utc(2025, 3, 31), WindowOpens: utc(2025, 2, 28),
				LastCompleted: day(2024, 3, 31), Cycle: 1},
		},
		{
			name:     "31 Jan plus 1 month is the end of February",
			history:  History{Completions: []time.Time{day(2025, 1, 31)}},
			schedule: Schedule{Refresher: Interval{1, Month}, Window: Interval{7, Day}},
			now:      day(2025, 2, 1),
			want: State{Status: Completed, NextDue: utc(2025, 2, 28), WindowOpens: utc(2025, 2, 21),
				LastCompleted: day(2025, 1, 31), Cycle: 1},
		},
		{
			name:     "a refresher after a month end moves on from the clamped due date",
			history:  History{Completions: []time.Time{day(2025, 1, 31), day(2025, 2, 25)}},
			schedule: Schedule{Refresher: Interval{1, Month}, Window: Interval{7, Day}},
			now:      day(2025, 2, 26),
			want: State{Status: Completed, NextDue: utc(2025, 3, 28), WindowOpens: utc(2025, 3, 21),
				LastCompleted: day(2025, 2, 25), Cycle: 2},
		},
		{
			name: "time zones: 23:30 UTC is the next day in Auckland",
			// 9 Mar 2024 23:30 UTC is 10 Mar 12:30 in Auckland (NZDT, +13).
			history:  History{Completions: []time.Time{at(2024, 3, 9, 23, 30, time.UTC)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{2, Month}, Location: auckland},
			now:      at(2024, 3, 10, 0, 0, time.UTC),
			want: State{Status: Completed, NextDue: midnight(2025, 3, 10, auckland), WindowOpens: midnight(2025, 1, 10, auckland),
				LastCompleted: at(2024, 3, 9, 23, 30, time.UTC), Cycle: 1},
		},
		{
			name: "time zones: 00:30 UTC is the previous day in Los Angeles",
			// 10 Mar 2024 00:30 UTC is 9 Mar 16:30 in Los Angeles (PST, -8).
			history:  History{Completions: []time.Time{at(2024, 3, 10, 0, 30, time.UTC)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{2, Month}, Location: losAngeles},
			now:      at(2024, 3, 10, 1, 0, time.UTC),
			want: State{Status: Completed, NextDue: midnight(2025, 3, 9, losAngeles), WindowOpens: midnight(2025, 1, 9, losAngeles),
				LastCompleted: at(2024, 3, 10, 0, 30, time.UTC), Cycle: 1},
		},
		{
			name: "time zones: today is the day in the schedule's location",
			// 10 Mar 2025 11:30 UTC is already 11 Mar in Auckland: overdue there.
			history:  History{Completions: []time.Time{at(2024, 3, 9, 23, 30, time.UTC)}},
			schedule: Schedule{Refresher: Interval{1, Year}, Window: Interval{2, Month}, Location: auckland},
			now:      at(2025, 3, 10, 11, 30, time.UTC),
			want: State{Status: Overdue, NextDue: midnight(2025, 3, 10, auckland), WindowOpens: midnight(2025, 1, 10, auckland),
				LastCompleted: at(2024, 3, 9, 23, 30, time.UTC), Cycle: 1},
		},
	}
	// Status boundaries: completed 10 Mar 2024, window opens 10 Jan 2025,
	// due 10 Mar 2025.
	for _, b := range []struct {
		name   string
		now    time.Time
		status Status
	}{
		{"status boundary: the last moment before the window opens is completed", at(2025, 1, 9, 23, 59, time.UTC), Completed},
		{"status boundary: the day the window opens is due soon", at(2025, 1, 10, 0, 0, time.UTC), DueSoon},
		{"status boundary: the end of the due day is due soon", at(2025, 3, 10, 23, 59, time.UTC), DueSoon},
		{"status boundary: the day after the due day is overdue", at(2025, 3, 11, 0, 0, time.UTC), Overdue},
	} {
		tests = append(tests, struct {
			name     string
			history  History
			schedule Schedule
			now      time.Time
			want     State
		}{
			name:     b.name,
			history:  History{Completions: []time.Time{day(2024, 3, 10)}},
			schedule: yearly,
			now:      b.now,
			want: State{Status: b.status, NextDue: utc(2025, 3, 10), WindowOpens: utc(2025, 1, 10),
				LastCompleted: day(2024, 3, 10), Cycle: 1},
		})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Derive(tt.history, tt.schedule, tt.now)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Derive() mismatch (-want +got):\n%s", diff)
			}
			loc := tt.schedule.Location
			if loc == nil {
				loc = time.UTC
			}
			for _, d := range []time.Time{got.NextDue, got.WindowOpens} {
				if !d.IsZero() && d.Location() != loc {
					t.Errorf("date %v is not in the schedule's location %v", d, loc)
				}
			}
		})
	}
}

func TestDeriveDoesNotReorderTheCallersCompletions(t *testing.T) {
	cs := []time.Time{date(2025, 2, 1), date(2024, 3, 10)}
	Derive(History{Completions: cs}, Schedule{Refresher: Interval{1, Year}, Window: Interval{2, Month}}, date(2026, 1, 1))
	if !cs[0].Equal(date(2025, 2, 1)) {
		t.Errorf("Derive sorted the caller's slice: %v", cs)
	}
}

func TestStatusLabel(t *testing.T) {
	want := map[Status]string{NotStarted: "Not started", InProgress: "In progress", Completed: "Completed", DueSoon: "Due soon", Overdue: "Overdue"}
	for s, label := range want {
		if got := s.Label(); got != label {
			t.Errorf("%s.Label() = %q, want %q", s, got, label)
		}
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone database: %v", err)
	}
	return loc
}
