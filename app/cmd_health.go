package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/frontline-lms/frontline/app/config"
)

// healthCmd probes a running server, for container health checks: the
// distroless image has no shell and no curl, so the binary checks itself.
// It asks /healthz (the process answers) or, with --ready, /readyz (the
// database answers and is migrated), and fails on anything but 200.
func healthCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := config.Load(nil, getenv)
	if err != nil {
		return err
	}
	fl := flag.NewFlagSet("frontline health", flag.ContinueOnError)
	fl.SetOutput(stderr)
	url := fl.String("url", "", "the server's base URL (default: http://127.0.0.1 and the port of FRONTLINE_ADDR)")
	ready := fl.Bool("ready", false, "probe /readyz (database reachable, migrations applied) instead of /healthz")
	timeout := fl.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fl.Parse(args); err != nil {
		return err
	}
	base := *url
	if base == "" {
		_, port, err := net.SplitHostPort(cfg.Addr)
		if err != nil {
			return fmt.Errorf("FRONTLINE_ADDR %q has no port: %w", cfg.Addr, err)
		}
		// The probe runs beside the server, so loopback reaches it whatever
		// address it listens on.
		base = "http://" + net.JoinHostPort("127.0.0.1", port)
	}
	path := "/healthz"
	if *ready {
		path = "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s", base+path, resp.Status)
	}
	fmt.Fprintf(stdout, "%s: %s\n", base+path, resp.Status)
	return nil
}
