package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The pool runs Workers checks, queues Queue more, and turns the rest away
// at once with a retry time; a queued check that waits past the deadline is
// turned away too, and one whose request ended does no work.
func TestPoolBoundsTheChecksRunningAndWaiting(t *testing.T) {
	p := NewPool(1, 1, time.Hour)
	release, err := p.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	queued := make(chan error, 1)
	go func() {
		r, err := p.Acquire(context.Background())
		if err == nil {
			r()
		}
		queued <- err
	}()
	// Wait until the second check holds its place in the queue.
	for deadline := time.Now().Add(10 * time.Second); len(p.tickets) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the second check never queued")
		}
		time.Sleep(time.Millisecond)
	}
	var busy *Busy
	if _, err := p.Acquire(context.Background()); !errors.As(err, &busy) || busy.RetryAfter < 2*time.Second || busy.RetryAfter > 5*time.Second {
		t.Fatalf("a third check with the queue full: %v, want busy with a retry of 2-5 s", err)
	}
	release()
	if err := <-queued; err != nil {
		t.Fatalf("the queued check, once a worker was free: %v", err)
	}

	short := NewPool(1, 1, 10*time.Millisecond)
	hold, _ := short.Acquire(context.Background())
	if _, err := short.Acquire(context.Background()); !errors.As(err, &busy) {
		t.Fatalf("a check queued past the deadline: %v, want busy", err)
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := short.Acquire(gone); !errors.Is(err, context.Canceled) {
		t.Fatalf("a check whose request ended: %v, want context.Canceled", err)
	}
	soon, cancelSoon := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancelSoon()
	taken := NewPool(1, 1, time.Hour)
	held, _ := taken.Acquire(context.Background())
	if _, err := taken.Acquire(soon); !errors.As(err, &busy) {
		t.Fatalf("a check whose request ends within a second: %v, want busy before the deadline", err)
	}
	held()
	if r, err := taken.Acquire(soon); err != nil {
		t.Fatalf("a free worker, even close to the deadline: %v", err)
	} else {
		r()
	}
	hold()
	if len(short.tickets) != 0 || len(short.slots) != 0 {
		t.Fatalf("places left taken: %d tickets, %d slots", len(short.tickets), len(short.slots))
	}
}
