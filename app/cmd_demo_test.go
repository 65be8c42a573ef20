package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/frontline-lms/frontline/app/demo"
)

// TestDemoProgressGivesRateAndTimeLeft: each stage's line gives the rate
// since that stage began and the time it leaves, a line per tenth when
// the output is not a terminal.
func TestDemoProgressGivesRateAndTimeLeft(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	now := start
	var out bytes.Buffer
	line := newProgressLine(&out, func() time.Time { return now })
	steps := []struct {
		after time.Duration // since the start
		pr    demo.Progress
	}{
		{10 * time.Second, demo.Progress{People: 1000, Total: 10000, Attempts: 45000}},
		{15 * time.Second, demo.Progress{People: 1500, Total: 10000, Attempts: 67000}}, // same tenth: no line
		{40 * time.Second, demo.Progress{People: 4000, Total: 10000, Attempts: 180000}},
		{100 * time.Second, demo.Progress{People: 10000, Total: 10000, Attempts: 450000}},
		// The teams stage began when the last batch was written.
		{104 * time.Second, demo.Progress{Stage: "teams", People: 100, Total: 500}},
		{120 * time.Second, demo.Progress{Stage: "teams", People: 500, Total: 500}},
		{150 * time.Second, demo.Progress{Stage: "assignments", People: 6, Total: 12}},
		{180 * time.Second, demo.Progress{Stage: "checking"}},
		{185 * time.Second, demo.Progress{Stage: "checking"}}, // said once
		// Counting says when it begins: checking reported only its start.
		{190 * time.Second, demo.Progress{Stage: "counting", People: 0, Total: 10000}},
		{200 * time.Second, demo.Progress{Stage: "counting", People: 2000, Total: 10000}},
	}
	for _, s := range steps {
		now = start.Add(s.after)
		line.update(s.pr)
	}
	line.end()
	want := `demo: 1000/10000 people, 45000 attempts, 100 people/s, about 1m30s left
demo: 4000/10000 people, 180000 attempts, 100 people/s, about 1m0s left
demo: 10000/10000 people, 450000 attempts, 100 people/s, about 0s left
demo: teams 100/500, 25 teams/s, about 16s left
demo: teams 500/500, 25 teams/s, about 0s left
demo: assignments 6/12, 0.2 assignments/s, about 30s left
demo: checking
demo: counting 2000/10000, 200 people/s, about 40s left
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}
