// Command frontline is the Frontline server and its command-line tools:
//
//	frontline [serve] [flags]     run the web server (the default)
//	frontline check [--strict] [dir]
//	frontline gift import FILE | gift export COURSE_DIR
//	frontline migrate             apply database migrations and exit
//	frontline backup FILE | restore [--check] FILE
//	frontline health              probe a running server's /healthz (for container health checks)
//	frontline user add --email … --name … --role …
//	frontline demo                add a demo organisation with a year of history
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run dispatches a command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, stderr, getenv)
	case "check":
		return check(args, stdout, stderr)
	case "gift":
		return giftCmd(args, stdout, stderr, os.Stdin)
	case "migrate":
		err = migrateCmd(ctx, args, stdout, stderr, getenv)
	case "backup":
		err = backupCmd(ctx, args, stdout, stderr, getenv)
	case "restore":
		err = restoreCmd(ctx, args, stdout, stderr, getenv)
	case "health":
		err = healthCmd(ctx, args, stdout, stderr, getenv)
	case "user":
		err = userCmd(ctx, args, stdout, stderr, getenv)
	case "demo":
		err = demoCmd(ctx, args, stdout, stderr, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "frontline: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "frontline:", err)
		return 1
	}
	return 0
}

const usage = `Usage:
  frontline [serve] [flags]            run the web server (default command)
  frontline check [--strict] [dir]     validate one course folder or a folder of them (default: the built-in courses)
  frontline gift import FILE           print a Moodle GIFT file's questions in Frontline's Markdown
  frontline gift export COURSE_DIR     print a course folder's questions as GIFT
  frontline migrate                    apply database migrations and exit
  frontline backup FILE                copy the SQLite database to FILE while the server runs
  frontline restore [--check] FILE     check a backup and, with the server stopped, put it in place
  frontline health [--url URL]         exit 0 when the server answers /healthz (container HEALTHCHECK)
  frontline user add --email E --name N --role R
                                       add a person and print their invitation link
  frontline demo                       add a demo organisation with a year of history

Every command reads FRONTLINE_* variables; run "frontline serve -h" for the flags.
`

// newLogger writes text to a terminal and JSON otherwise, so people read
// logs easily and log collectors parse them.
func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lvl}
	if format == "auto" {
		format = "json"
		target := w
		if lb, ok := w.(*lineBuffer); ok {
			target = lb.under
		}
		if f, ok := target.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
