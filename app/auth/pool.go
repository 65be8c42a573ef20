package auth

import (
	"context"
	"math/rand/v2"
	"runtime"
	"time"
)

// A password check (argon2id) costs about 25 ms of CPU and 19 MiB of memory.
// At shift start thousands arrive within a minute; unbounded, they ran all at
// once, memory grew with the arrival rate and the server fell over. Pool
// bounds them: a few checks run (one per core), a short queue waits behind
// them for at most a deadline, and anyone beyond that is told to come back
// in a few seconds (ErrBusy) before any hashing is done. A rush becomes a
// short wait, and memory stays bounded whatever the arrival rate.

// Busy is a sign-in turned away because the checks are all taken.
type Busy struct {
	RetryAfter time.Duration
}

func (e *Busy) Error() string {
	return "auth: too many sign-ins at once, retry after " + e.RetryAfter.String()
}

// Pool admits password checks: Workers at once, Queue more waiting.
type Pool struct {
	Workers, Queue int
	Wait           time.Duration // how long a queued check may wait for a worker

	slots   chan struct{} // one per running check
	tickets chan struct{} // one per running or waiting check
}

// NewPool returns a pool of workers running checks and queue waiting ones.
func NewPool(workers, queue int, wait time.Duration) *Pool {
	return &Pool{Workers: workers, Queue: queue, Wait: wait,
		slots: make(chan struct{}, workers), tickets: make(chan struct{}, workers+queue)}
}

// DefaultPool is one check per core, eight per core waiting, for at most
// three seconds: with 25 ms a check, a full queue drains in about 200 ms.
func DefaultPool() *Pool {
	n := runtime.GOMAXPROCS(0)
	return NewPool(n, 8*n, 3*time.Second)
}

// Acquire waits for a worker. It refuses at once (*Busy) when the queue is
// full, and after Wait when no worker came free; it returns ctx's error when
// the request ends first, so a client that has gone does no hashing. Call
// release when the check is done.
func (p *Pool) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.tickets <- struct{}{}:
	default:
		return nil, p.busy()
	}
	timer := time.NewTimer(p.Wait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		<-p.tickets
		return nil, ctx.Err()
	case <-timer.C:
		<-p.tickets
		return nil, p.busy()
	}
	if err := ctx.Err(); err != nil {
		<-p.slots
		<-p.tickets
		return nil, err
	}
	return func() { <-p.slots; <-p.tickets }, nil
}

// busy suggests a retry in 2 to 5 seconds, spread so that the people turned
// away together do not all come back in the same instant.
func (p *Pool) busy() error {
	return &Busy{RetryAfter: 2*time.Second + time.Duration(rand.Int64N(int64(3*time.Second)))/time.Second*time.Second}
}
