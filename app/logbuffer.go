package main

import (
	"bufio"
	"context"
	"io"
	"sync"
	"time"
)

// lineBuffer gathers the server's log lines into few writes. One write to
// stderr per request cost about a tenth of a signed-in page at shift start;
// lines now reach stderr at least every flushEvery (and whenever 64 KiB
// have gathered), and all of them when serve ends. A crash loses at most the
// last flushEvery of lines.
type lineBuffer struct {
	mu    sync.Mutex
	w     *bufio.Writer
	under io.Writer // where the lines go: newLogger asks it whether it is a terminal
}

// flushEvery is how late a log line may reach stderr.
const flushEvery = 100 * time.Millisecond

func newLineBuffer(w io.Writer) *lineBuffer {
	return &lineBuffer{w: bufio.NewWriterSize(w, 64<<10), under: w}
}

func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes out what has gathered.
func (b *lineBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

// run flushes every flushEvery until ctx ends, then once more.
func (b *lineBuffer) run(ctx context.Context) {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = b.Flush()
			return
		case <-t.C:
			_ = b.Flush()
		}
	}
}
