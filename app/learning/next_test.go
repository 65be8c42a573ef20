package learning_test

import (
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/courses"
)

// standing is one course as the dashboard sees it: slug, status, due day
// ("" for none), modules done of total, and completions so far.
func standing(slug string, status courses.Status, due string, done, total, cycle int) learning.CourseStanding {
	var d time.Time
	if due != "" {
		var err error
		if d, err = time.Parse("2006-01-02", due); err != nil {
			panic(err)
		}
	}
	return learning.CourseStanding{Course: store.Course{Slug: slug},
		Standing: learning.Standing{State: courses.State{Status: status, NextDue: d, Cycle: cycle},
			DoneCount: done, Total: total, Started: done > 0 || status == courses.InProgress}}
}

func TestNextUpPicksTheMostUrgent(t *testing.T) {
	const (
		ns = courses.NotStarted
		ip = courses.InProgress
		co = courses.Completed
		ds = courses.DueSoon
		od = courses.Overdue
	)
	cases := []struct {
		name       string
		all        []learning.CourseStanding
		except     []string
		want       string
		why        learning.Why
		newStarter bool
	}{
		{"the longest overdue beats one overdue since later and anything due soon",
			[]learning.CourseStanding{standing("a", ds, "2026-03-01", 0, 2, 1), standing("b", od, "2026-02-10", 0, 2, 1),
				standing("c", od, "2026-02-03", 1, 2, 0), standing("d", ip, "", 1, 2, 0)}, nil, "c", learning.WhyOverdue, false},
		{"due soon: the nearest due date first, before a course in progress",
			[]learning.CourseStanding{standing("a", ip, "", 1, 2, 0), standing("b", ds, "2026-04-01", 0, 3, 1),
				standing("c", ds, "2026-03-20", 0, 3, 1)}, nil, "c", learning.WhyDueSoon, false},
		{"in progress: a due date before none, then the nearest",
			[]learning.CourseStanding{standing("a", ip, "", 3, 4, 0), standing("b", ip, "2026-05-01", 1, 4, 0),
				standing("c", ip, "2026-04-01", 1, 4, 0)}, nil, "c", learning.WhyContinue, false},
		{"in progress without due dates: the one closest to finished",
			[]learning.CourseStanding{standing("a", ip, "", 1, 4, 0), standing("b", ip, "", 3, 4, 0), standing("c", ns, "", 0, 2, 0)},
			nil, "b", learning.WhyContinue, false},
		{"in progress beats an assigned course not started",
			[]learning.CourseStanding{standing("a", ns, "2026-03-01", 0, 2, 0), standing("b", ip, "", 1, 4, 0)},
			nil, "b", learning.WhyContinue, false},
		{"a new starter: the assigned course with the nearest due date, and a welcome",
			[]learning.CourseStanding{standing("a", ns, "", 0, 2, 0), standing("b", ns, "2026-06-01", 0, 2, 0),
				standing("c", ns, "2026-05-01", 0, 2, 0)}, nil, "c", learning.WhyAssigned, true},
		{"a new starter with nothing assigned: the first course in the catalogue",
			[]learning.CourseStanding{standing("empty", ns, "", 0, 0, 0), standing("a", ns, "", 0, 2, 0), standing("b", ns, "", 0, 2, 0)},
			nil, "a", learning.WhySuggested, true},
		{"someone who completed a course is no new starter; what to take next leaves it out",
			[]learning.CourseStanding{standing("a", co, "2027-03-01", 2, 2, 1), standing("b", ns, "", 0, 2, 0)},
			[]string{"a"}, "b", learning.WhySuggested, false},
		{"the course just completed is left out even when it is due (an early material change)",
			[]learning.CourseStanding{standing("a", ds, "2026-03-01", 2, 2, 1)}, []string{"a"}, "", "", false},
		{"everything completed: nothing next",
			[]learning.CourseStanding{standing("a", co, "2027-03-01", 2, 2, 1), standing("b", co, "2027-01-01", 2, 2, 2)},
			nil, "", "", false},
		{"no courses at all", nil, nil, "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := learning.NextUp(tc.all, tc.except...)
			slug := ""
			if got.Course != nil {
				slug = got.Course.Course.Slug
			}
			if slug != tc.want || got.Why != tc.why || got.NewStarter != tc.newStarter {
				t.Fatalf("NextUp = %q (%s, new starter %t), want %q (%s, new starter %t)",
					slug, got.Why, got.NewStarter, tc.want, tc.why, tc.newStarter)
			}
		})
	}
}
