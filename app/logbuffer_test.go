package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/frontline-lms/frontline/app/apptest"
)

// Log lines gather in the buffer, reach the output within flushEvery while
// serve runs, and all of them when it stops.
func TestLineBufferFlushesOnATickAndAtTheEnd(t *testing.T) {
	var out apptest.Buffer
	b := newLineBuffer(&out)
	log := slog.New(slog.NewJSONHandler(b, nil))
	log.Info("request", "status", 200)
	if out.String() != "" {
		t.Fatalf("a line went out unbuffered: %q", out.String())
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.run(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), `"status":200`); {
		if time.Now().After(deadline) {
			t.Fatal("the line never reached the output while running")
		}
		time.Sleep(10 * time.Millisecond)
	}
	log.Info("shutting down")
	stop()
	<-done
	if !strings.Contains(out.String(), "shutting down") {
		t.Fatalf("the last line was lost at the end: %q", out.String())
	}
}
