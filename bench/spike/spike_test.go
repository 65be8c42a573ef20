package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
)

// TestSpikeRunsAgainstTheApp plays a tiny spike against the real server
// (half the learners signing in, half with sessions made beforehand) and
// checks what the report says: everyone finished, every step measured,
// one attempt stored per quiz submitted, the memory of this process read.
func TestSpikeRunsAgainstTheApp(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{})
		cfg := config{N: 6, Window: 300 * time.Millisecond, SignedIn: 0.5, Course: "owning-the-problem",
			Module: "it-is-yours-now", Cookie: "fl_session", Timeout: 20 * time.Second, Give: time.Minute, PID: os.Getpid()}
		base, err := loopback(app.URL)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		rep, err := spike(context.Background(), cfg, base, app.Store, &log)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) > 0 || rep.Finished != 6 || rep.Submitted != 6 || rep.Stored != 6 || rep.SignedIn != 3 {
			t.Fatalf("errors %v, finished %d, submitted %d, stored %d, signed in before %d", rep.Errors, rep.Finished, rep.Submitted, rep.Stored, rep.SignedIn)
		}
		want := map[string]int{"sign-in": 3, "dashboard": 6, "module": 6, "submit": 6, "result": 6}
		for step, n := range want {
			if len(rep.Took[step]) != n {
				t.Errorf("%s measured %d times, want %d", step, len(rep.Took[step]), n)
			}
		}
		if rep.PeakRSS <= 0 || rep.HWM <= 0 {
			t.Errorf("memory not sampled: RSS %d kB, HWM %d kB", rep.PeakRSS, rep.HWM)
		}
		var out bytes.Buffer
		rep.print(&out)
		for _, s := range []string{"sign-in", "p99", "quizzes submitted 6, attempts stored 6", "finished 6 of 6", "errors: none"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("the report does not say %q:\n%s", s, out.String())
			}
		}
	})
}

// TestSpikeLoadsOnlyThisMachine: any server but 127.0.0.1 or [::1] is refused.
func TestSpikeLoadsOnlyThisMachine(t *testing.T) {
	for raw, ok := range map[string]bool{"http://127.0.0.1:8080": true, "http://[::1]:8080": true,
		"http://example.com": false, "http://10.0.0.1:8080": false, "http://127.0.0.2": false, "ftp://127.0.0.1": false} {
		if _, err := loopback(raw); (err == nil) != ok {
			t.Errorf("loopback(%q) = %v", raw, err)
		}
	}
}
