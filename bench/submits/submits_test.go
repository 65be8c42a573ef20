package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
	"github.com/frontline-lms/frontline/app/database"
)

// TestSubmitsSpreadOverLearners runs a small load against the real server:
// 3 learners × every quiz module of one course, a third answered wrongly.
// Every draw is answered once, each submit stores one attempt, and the
// wrong ones are stored as failed.
func TestSubmitsSpreadOverLearners(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{})
		cfg := config{Learners: 3, Courses: []string{"owning-the-problem"}, Connections: 4, Duration: time.Minute,
			Failing: 1.0 / 3, Cookie: "fl_session", Timeout: 20 * time.Second}
		base, err := loopback(app.URL)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		rep, err := submits(context.Background(), cfg, base, app.Store, &log)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Modules < 2 || rep.Forms != 3*rep.Modules || !rep.RanOut {
			t.Fatalf("%d modules, %d forms, ran out %v: every learner should answer every quiz module once", rep.Modules, rep.Forms, rep.RanOut)
		}
		if rep.failed() || rep.Submitted != rep.Forms || rep.Stored != rep.Forms {
			t.Fatalf("errors %v, submitted %d, stored %d of %d forms", rep.Errors, rep.Submitted, rep.Stored, rep.Forms)
		}
		failed, err := db.R.NewSelect().Table("attempts").Where("passed = ?", false).Count(context.Background())
		failedN := int(failed)
		if err != nil {
			t.Fatal(err)
		}
		if failedN != rep.Failing || rep.Failing != rep.Forms/3 {
			t.Errorf("%d attempts failed, %d answered wrongly, want a third of %d", failedN, rep.Failing, rep.Forms)
		}
		var out bytes.Buffer
		rep.print(&out)
		for _, s := range []string{"submits/s", "p99", "errors: none", "every draw was answered"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("the report does not say %q:\n%s", s, out.String())
			}
		}
	})
}

// With NoCompletion the last quiz module of each course is left out, so no
// submit completes a course.
func TestSubmitsWithoutCompletion(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *database.DB) {
		app := apptest.Start(t, db, apptest.Options{})
		all, err := quizModules([]string{"owning-the-problem"}, false)
		if err != nil {
			t.Fatal(err)
		}
		cfg := config{Learners: 2, Courses: []string{"owning-the-problem"}, Connections: 2, Duration: time.Minute,
			Cookie: "fl_session", Timeout: 20 * time.Second, NoCompletion: true}
		base, _ := loopback(app.URL)
		var log bytes.Buffer
		rep, err := submits(context.Background(), cfg, base, app.Store, &log)
		if err != nil {
			t.Fatal(err)
		}
		if rep.failed() || rep.Modules != len(all)-1 || rep.Stored != 2*(len(all)-1) {
			t.Fatalf("errors %v, %d modules of %d, %d stored", rep.Errors, rep.Modules, len(all), rep.Stored)
		}
		n, err := db.R.NewSelect().Table("completions").Count(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("%d completions (%v), want none", n, err)
		}
	})
}

// TestSubmitsLoadOnlyThisMachine: any server but 127.0.0.1 or [::1] is refused.
func TestSubmitsLoadOnlyThisMachine(t *testing.T) {
	for raw, ok := range map[string]bool{"http://127.0.0.1:8080": true, "http://[::1]:8080": true,
		"http://example.com": false, "http://10.0.0.1:8080": false, "http://127.0.0.2": false, "ftp://127.0.0.1": false} {
		if _, err := loopback(raw); (err == nil) != ok {
			t.Errorf("loopback(%q) = %v", raw, err)
		}
	}
}
