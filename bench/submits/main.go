// Command submits loads quiz submission on a running Frontline on this
// machine, spread over many learners: each submit answers a draw of its
// own, as in real use, where a quiz is drawn per view and answered once.
//
// It adds K learners with sessions written to the database, then, untimed,
// has each open every module with a quiz in the chosen courses once, which
// draws that learner's quiz there; then, timed, it posts those forms from C
// connections (most with the passing answers, read from the shipped
// courses; a share with a wrong choice on every question) until the
// duration is over or the draws run out. It prints submits/s, p50/p99, the
// errors by kind, and the attempts stored against the submits answered.
// Traffic goes to 127.0.0.1 or [::1] only, and no more requests than
// learners × modules are ever sent.
//
//	go run ./bench/submits --url http://127.0.0.1:8080 --db sqlite:frontline.db --learners 400 --duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	var cfg config
	var list string
	flag.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the server (127.0.0.1 or [::1] only)")
	flag.StringVar(&cfg.DSN, "db", "", "the server's database (sqlite:<path> or postgres://…), to add learners and sessions and count attempts")
	flag.IntVar(&cfg.Learners, "learners", 400, "learners, each opening every quiz module of the courses once")
	flag.StringVar(&list, "courses", "", "comma-separated course slugs (default: every shipped course)")
	flag.IntVar(&cfg.Connections, "connections", 64, "concurrent connections, in setup and timed phase")
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "timed phase, at most (it ends sooner when the draws run out)")
	flag.Float64Var(&cfg.Failing, "failing", 0.2, "share of submits answered wrongly (0..1)")
	flag.BoolVar(&cfg.NoCompletion, "no-completion", false, "leave each course's last quiz module out, so no submit completes a course (as bench/submit.sql)")
	flag.StringVar(&cfg.Cookie, "cookie", "fl_session", "the session cookie's name (__Host-fl_session behind https)")
	flag.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "per request")
	flag.Parse()
	if cfg.DSN == "" {
		fmt.Fprintln(os.Stderr, "submits: --db is required (learners and sessions are written there first)")
		os.Exit(2)
	}
	if list != "" {
		cfg.Courses = strings.Split(list, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "submits:", err)
		os.Exit(1)
	}
	rep.print(os.Stdout)
	if rep.failed() {
		os.Exit(1)
	}
}
