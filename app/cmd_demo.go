package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"text/tabwriter"
	"time"

	"github.com/frontline-lms/frontline/app/auth"
	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/demo"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/courses"
)

// maxDemoLearners keeps a typo (an extra zero or three) from filling a disk.
const maxDemoLearners = 1_000_000

// demoCmd: "demo" adds a demo organisation with a year of history to the
// configured database and prints how to sign in.
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fl := flag.NewFlagSet("frontline demo", flag.ContinueOnError)
	fl.SetOutput(stderr)
	learners := fl.Int("learners", 30, "number of learners besides the admin, trainer and manager")
	fl.IntVar(learners, "staff", 30, "the same as --learners: the front-line staff of the organisation")
	nCourses := fl.Int("courses", 0, "publish generated editions of the shipped courses up to this many (0: only the shipped ones)")
	seed := fl.Uint64("seed", 1, "the same seed gives the same people and history")
	// Not in the help: for measuring where a large demo's time goes.
	cpuprofile := fl.String("cpuprofile", "", "")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *learners < 0 || *learners > maxDemoLearners {
		return fmt.Errorf("--learners must be between 0 and %d", maxDemoLearners)
	}
	e, err := open(ctx, "demo", fl.Args(), stderr, getenv)
	if err != nil {
		return err
	}
	defer e.db.Close()

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	started := time.Now()
	line := newProgressLine(stderr, time.Now)
	rep, err := demo.Run(ctx, demo.Options{Store: e.st, Catalog: catalog.New(e.st, e.log, &learning.Service{Store: e.st, Location: e.cfg.Location}), Content: contentFS(e.cfg),
		Location: e.cfg.Location, Learners: *learners, Courses: *nCourses, Seed: *seed, Now: started, Progress: line.update})
	line.end()
	if err != nil {
		return err
	}

	fmt.Fprintf(stdout, "Demo organisation ready in %s: %d people (%d added, %d already there), %d courses, %d quiz attempts and %d completions written.\n",
		time.Since(started).Round(100*time.Millisecond), len(rep.People), rep.Created, rep.Existing, rep.Courses, rep.Attempts, rep.Completions)
	if rep.Existing > 0 {
		fmt.Fprintln(stdout, "People already there from an earlier run keep their history; their password is now the one below.")
	}
	fmt.Fprintln(stdout, "\nWhere everyone stands now (person × course):")
	for _, s := range []courses.Status{courses.NotStarted, courses.InProgress, courses.Completed, courses.DueSoon, courses.Overdue} {
		fmt.Fprintf(stdout, "  %-12s %7d\n", s.Label(), rep.States[s])
	}

	// The same settings give "serve" this base URL and address; the URL
	// follows the address unless FRONTLINE_BASE_URL names another.
	fmt.Fprintf(stdout, "\nSign in at %s/login once the server runs (\"frontline serve\" listens on %s):\n", e.cfg.BaseURL, e.cfg.Addr)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	shown := map[auth.Role]bool{}
	for _, p := range rep.People {
		if !shown[p.Role] {
			shown[p.Role] = true
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Role.Label(), p.Name, p.Email)
		}
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nPassword of every demo account: %s\n", rep.Password)
	fmt.Fprintln(stdout, "It changes on every run of \"frontline demo\"; earlier ones stop working.")
	return nil
}

// progressLine shows how far the demo has got: one line rewritten in place
// on a terminal, a plain line every tenth of the way otherwise (logs, CI).
// Each stage's line gives its rate so far and the time that rate leaves
// for the stage.
type progressLine struct {
	w        io.Writer
	terminal bool
	now      func() time.Time
	shown    int // tenths already printed, when not a terminal
	last     demo.Progress
	since    time.Time // when the current stage began
	lastAt   time.Time // when the last report came
}

func newProgressLine(w io.Writer, now func() time.Time) *progressLine {
	p := &progressLine{w: w, now: now, since: now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progressLine) update(pr demo.Progress) {
	defer func() { p.last = pr }()
	now := p.now()
	if p.last.Stage != pr.Stage {
		p.shown = 0
		p.since = now
		if p.last != (demo.Progress{}) && (p.last.Stage == "" || p.last.Total > 0) {
			// The stage began when the one before ended; its first
			// report comes after a step of work. A stage without a
			// count reports only as it begins, so the next one says
			// when it begins (a report of 0 done).
			p.since = p.lastAt
		}
	}
	p.lastAt = now
	text := fmt.Sprintf("demo: %d/%d people, %d attempts", pr.People, pr.Total, pr.Attempts)
	unit := "people"
	if pr.Stage != "" {
		text = fmt.Sprintf("demo: %s %d/%d", pr.Stage, pr.People, pr.Total)
		if unit = pr.Stage; unit == "counting" {
			unit = "people"
		}
	}
	if pr.Stage != "" && pr.Total == 0 {
		// A stage without a count (checking): say it has begun, once.
		if p.terminal {
			fmt.Fprint(p.w, "\rdemo: "+pr.Stage+"\x1b[K")
		} else if p.last.Stage != pr.Stage {
			fmt.Fprintln(p.w, "demo: "+pr.Stage)
		}
		return
	}
	if done, took := pr.People, now.Sub(p.since); done > 0 && took > 0 {
		rate := float64(done) / took.Seconds()
		left := time.Duration(float64(pr.Total-pr.People) / rate * float64(time.Second))
		prec := 0
		if rate < 10 {
			prec = 1 // a slow stage (assignments) reads 0.3/s, not 0/s
		}
		text += fmt.Sprintf(", %.*f %s/s, about %s left", prec, rate, unit, left.Round(time.Second))
	}
	if p.terminal {
		fmt.Fprint(p.w, "\r"+text+"\x1b[K") // erase what a longer line left behind
		return
	}
	if tenth := pr.People * 10 / max(pr.Total, 1); tenth > p.shown {
		p.shown = tenth
		fmt.Fprintln(p.w, text)
	}
}

// end finishes the line on a terminal so what follows starts on its own.
func (p *progressLine) end() {
	if p.terminal && p.last != (demo.Progress{}) {
		fmt.Fprintln(p.w)
	}
}
