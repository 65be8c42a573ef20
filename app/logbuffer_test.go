package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while the flusher writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Log lines gather in the buffer, reach the output within flushEvery while
// serve runs, and all of them when it stops.
func TestLineBufferFlushesOnATickAndAtTheEnd(t *testing.T) {
	var out lockedBuffer
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
