// Command spike plays a shift start against a running Frontline on this
// machine: N learners arriving evenly over a window, a share of them
// already signed in (sessions written to the database beforehand), each
// signing in if need be (waiting out 503 + Retry-After as the sign-in page
// does), opening the dashboard and a module, submitting the quiz drawn for
// them and reading the result. It prints each step's p50/p95/p99, the
// errors by kind, the attempts stored against the quizzes submitted, and
// the server's peak memory (VmHWM and sampled VmRSS of --pid). Traffic goes
// to 127.0.0.1 or [::1] only. Start the server with
// FRONTLINE_TRUSTED_PROXIES=127.0.0.1 so that each learner signs in from an
// address of its own (X-Forwarded-For), as staff on their phones do;
// otherwise the per-address sign-in throttle refuses most of them (429).
//
//	go run ./bench/spike --url http://127.0.0.1:8080 --db sqlite:frontline.db --pid $(pgrep -n frontline) \
//	    --n 2000 --window 60s --signed-in 0.7
//
// The learners (spike-<run>-<i>@bench.example) are added to the database
// first; the course they take must be published (the shipped ones are).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the server (127.0.0.1 or [::1] only)")
	flag.StringVar(&cfg.DSN, "db", "", "the server's database (sqlite:<path> or postgres://…), to add learners and sessions and count attempts")
	flag.IntVar(&cfg.PID, "pid", 0, "the server's process ID, to sample its memory (0: not sampled)")
	flag.IntVar(&cfg.N, "n", 2000, "learners")
	flag.DurationVar(&cfg.Window, "window", 60*time.Second, "arrivals spread evenly over this")
	flag.Float64Var(&cfg.SignedIn, "signed-in", 0, "share of learners already signed in (0..1)")
	flag.StringVar(&cfg.Course, "course", "owning-the-problem", "course slug")
	flag.StringVar(&cfg.Module, "module", "it-is-yours-now", "module slug (with a quiz)")
	flag.StringVar(&cfg.Cookie, "cookie", "fl_session", "the session cookie's name (__Host-fl_session behind https)")
	flag.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "per request")
	flag.DurationVar(&cfg.Give, "give-up", 3*time.Minute, "a learner still not done this long after arriving gives up")
	flag.BoolVar(&cfg.Spread, "spread-addresses", true, "give each learner an X-Forwarded-For address of its own (start the server with FRONTLINE_TRUSTED_PROXIES=127.0.0.1)")
	flag.Parse()
	if cfg.DSN == "" {
		fmt.Fprintln(os.Stderr, "spike: --db is required (learners and sessions are written there first)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "spike:", err)
		os.Exit(1)
	}
	rep.print(os.Stdout)
}
