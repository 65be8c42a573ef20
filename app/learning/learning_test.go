package learning

import (
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

var day0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

func course() *courses.Course {
	q := &courses.Question{ID: "q"}
	return &courses.Course{Slug: "c", Modules: []*courses.Module{
		{Slug: "one", Questions: []*courses.Question{q}},
		{Slug: "two", Aliases: []string{"old-two"}},
	}}
}

func sched() courses.Schedule {
	return courses.Schedule{Refresher: courses.Interval{N: 12, Unit: courses.Month}, Window: courses.Interval{N: 30, Unit: courses.Day}, Location: time.UTC}
}

func TestStand(t *testing.T) {
	at := func(days int) time.Time { return day0.AddDate(0, 0, days) }
	cases := []struct {
		name        string
		completions []time.Time
		progress    []store.ModuleProgress
		now         time.Time
		status      courses.Status
		done        int
		next        string
	}{
		{name: "nothing yet", now: at(0), status: courses.NotStarted, done: 0, next: "one"},
		{name: "read but quiz not passed is not done",
			progress: []store.ModuleProgress{{ModuleSlug: "one", ReadAt: at(0)}},
			now:      at(1), status: courses.NotStarted, done: 0, next: "one"},
		{name: "quiz passed counts, progress under an old slug counts",
			progress: []store.ModuleProgress{{ModuleSlug: "one", ReadAt: at(0), PassedAt: at(0)}, {ModuleSlug: "old-two", ReadAt: at(1)}},
			now:      at(2), status: courses.NotStarted, done: 2},
		{name: "completed course shows every module done",
			completions: []time.Time{at(5)},
			progress:    []store.ModuleProgress{{ModuleSlug: "one", ReadAt: at(1), PassedAt: at(1)}, {ModuleSlug: "two", ReadAt: at(5)}},
			now:         at(100), status: courses.Completed, done: 2},
		{name: "in the refresher window, only work after the last completion counts",
			completions: []time.Time{at(5)},
			progress:    []store.ModuleProgress{{ModuleSlug: "one", ReadAt: at(1), PassedAt: at(1)}, {ModuleSlug: "two", ReadAt: at(350)}},
			now:         at(352), status: courses.DueSoon, done: 1, next: "one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var cs []store.Completion
			for _, c := range tc.completions {
				cs = append(cs, store.Completion{CompletedAt: c})
			}
			st := Stand(course(), sched(), nil, &store.Enrolment{}, cs, tc.progress, tc.now)
			if st.State.Status != tc.status || st.DoneCount != tc.done {
				t.Fatalf("status %s, done %d; want %s, %d", st.State.Status, st.DoneCount, tc.status, tc.done)
			}
			next := ""
			if st.NextModule != nil {
				next = st.NextModule.Slug
			}
			if next != tc.next {
				t.Fatalf("next module %q, want %q", next, tc.next)
			}
		})
	}
}
