package auth

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
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

// DefaultPool runs workers checks at once (when workers is 0, one per core
// but one: a core is left for everything else, so that signed-in pages stay
// quick while a rush hashes; measured on 2 cores, the signed-in steps' p99
// during a 10,000-learner spike on PostgreSQL fell from 760 ms to 11 ms,
// and sign-ins still kept up), with 32 per worker waiting for at most ten
// seconds. A waiting sign-in costs a goroutine and its request's buffers, a
// few KiB, against a running check's 19 MiB; so the queue is deep enough to
// hold a rush's backlog in arrival order (at 25 ms a check, a full queue
// drains in about a second) rather than turning it away to come back at
// random, which left the unlucky retrying for minutes.
func DefaultPool(workers int) *Pool {
	if workers <= 0 {
		workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	return NewPool(workers, 32*workers, 10*time.Second)
}

// Acquire waits for a worker: Admit, then Check. Call release when the check
// is done.
func (p *Pool) Acquire(ctx context.Context) (release func(), err error) {
	a, err := p.Admit()
	if err != nil {
		return nil, err
	}
	done, err := a.Check(ctx)
	if err != nil {
		a.Leave()
		return nil, err
	}
	return func() { done(); a.Leave() }, nil
}

// Admission is a place among the checks running or waiting. A sign-in takes
// it before any database work (the throttle's transaction, the account
// lookup): during a rush most sign-ins are turned away, and a refusal that
// wrote and deleted a reservation cost the database as much as a sign-in,
// so the one writer SQLite has spent the rush on people it then sent away.
type Admission struct {
	p    *Pool
	once sync.Once
}

// Admit takes a place, or refuses at once (*Busy) when the queue is full.
// Leave the admission when done with it.
func (p *Pool) Admit() (*Admission, error) {
	select {
	case p.tickets <- struct{}{}:
		return &Admission{p: p}, nil
	default:
		return nil, p.busy()
	}
}

// Check waits for a worker. It refuses (*Busy) after Wait when no worker
// came free, or a second before ctx's deadline, so that a sign-in that waited
// long still has time to be checked and to answer; it returns ctx's error
// when the request ends first, so a client that has gone does no hashing.
// Call release when the check is done.
func (a *Admission) Check(ctx context.Context) (release func(), err error) {
	if err := a.wait(ctx); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		<-a.p.slots
		return nil, err
	}
	return func() { <-a.p.slots }, nil
}

func (a *Admission) wait(ctx context.Context) error {
	select {
	case a.p.slots <- struct{}{}:
		return nil
	default:
	}
	wait := a.p.Wait
	if deadline, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(deadline)-time.Second)
	}
	if wait <= 0 {
		return a.p.busy()
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case a.p.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return a.p.busy()
	}
}

// Leave gives the place back; a second call does nothing.
func (a *Admission) Leave() { a.once.Do(func() { <-a.p.tickets }) }

// busy suggests a retry in 2 to 5 seconds, spread so that the people turned
// away together do not all come back in the same instant.
func (p *Pool) busy() error {
	return &Busy{RetryAfter: 2*time.Second + time.Duration(rand.Int64N(int64(3*time.Second)))/time.Second*time.Second}
}
