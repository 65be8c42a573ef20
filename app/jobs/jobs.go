// Package jobs runs Frontline's scheduled and background work inside the
// server: the reminder sweep (which queues mail in the outbox), the outbox
// drain (which sends it), the refresh of the organisation summary's totals,
// and confirmed staff imports (imports.go).
// Work is leased through the database — a job row per job, outbox rows
// picked FOR UPDATE SKIP LOCKED on PostgreSQL — so any number of instances
// may run a Scheduler, each mail still goes out once and each refresh is
// computed by one instance. It never sleeps on its own clock: Tick does one
// round at a given time.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/frontline-lms/frontline/app/catalog"
	"github.com/frontline-lms/frontline/app/learning"
	"github.com/frontline-lms/frontline/app/mail"
	"github.com/frontline-lms/frontline/app/reports"
	"github.com/frontline-lms/frontline/app/staff"
	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
	"github.com/frontline-lms/frontline/app/xapi"
)

// Timing of the work.
const (
	TickEvery    = 30 * time.Second     // how often Run calls Tick
	RemindEvery  = 15 * time.Minute     // how often the reminder sweep runs (on one instance)
	remindLease  = 10 * time.Minute     // a sweep not finished by then is taken over
	SummaryEvery = reports.SummaryEvery // how often the summary's totals are recomputed (on one instance)
	summaryLease = 10 * time.Minute     // a refresh not finished by then is taken over
	sendLease    = 2 * time.Minute      // a message leased for sending; a crashed sender's lease runs out
	sendBatch    = 20
)

// Backoff is the wait before each retry of a failed send; after the last,
// the message has failed for good and shows on /admin/outbox.
var Backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}

// Scheduler runs the jobs of one instance.
type Scheduler struct {
	Store    *store.Store
	Catalog  *catalog.Catalog
	Learning *learning.Service
	Sender   mail.Sender      // nil when no SMTP is configured: mail waits in the outbox
	Webhooks *webhooks.Sender // nil: webhook deliveries wait
	XAPI     *xapi.Client     // nil when no LRS is configured: statements wait
	// Ran, when set, hears of each scheduled job run and its error (the metrics).
	Ran      func(job string, err error)
	BaseURL  string
	Location *time.Location
	Log      *slog.Logger
	Now      func() time.Time
	Owner    string // this instance's name in leases; NewOwner when empty

	wakeOnce sync.Once
	wake     chan struct{} // Wake's signal to Run: an import waits

	// applyStaff applies a staff file; staff.Apply when nil. Tests replace
	// it to see what the scheduler does with an import that panics.
	applyStaff func(ctx context.Context, st *store.Store, rows []staff.Row, by int64, now time.Time, loc *time.Location, progress func(int) error) (staff.Plan, error)
}

func (s *Scheduler) wakeup() chan struct{} {
	s.wakeOnce.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

// Wake tells Run an import was confirmed, so it starts now instead of at
// the next tick. It never blocks.
func (s *Scheduler) Wake() {
	select {
	case s.wakeup() <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// NewOwner names an instance: host, process and a random suffix.
func NewOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Run ticks until ctx ends, and applies staff imports beside the ticks (an
// import may take minutes; mail should not wait for it). It returns once
// both have stopped: an import stops after the batch in hand, so what
// calls Run on shutdown can wait for it.
func (s *Scheduler) Run(ctx context.Context) {
	if s.Owner == "" {
		s.Owner = NewOwner()
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.runImports(ctx)
	}()
	defer wg.Wait()
	t := time.NewTicker(TickEvery)
	defer t.Stop()
	for {
		if err := s.Tick(ctx, s.Now()); err != nil && !errors.Is(err, context.Canceled) {
			s.Log.Warn("scheduled work failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runImports applies waiting imports at every tick and on every Wake.
func (s *Scheduler) runImports(ctx context.Context) {
	t := time.NewTicker(TickEvery)
	defer t.Stop()
	for {
		if err := s.Imports(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.Log.Warn("staff imports failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wakeup():
		}
	}
}

// Tick does one round at now: the reminder sweep and the summary refresh,
// each if it is due and no other instance holds it, then the outbox drain
// and the webhook and xAPI deliveries.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	if s.Owner == "" {
		s.Owner = NewOwner()
	}
	var errs []error
	if err := s.runJob(ctx, "reminders", now, RemindEvery, remindLease, s.Remind); err != nil {
		errs = append(errs, err)
	}
	if err := s.runJob(ctx, "summary", now, SummaryEvery, summaryLease, s.Summary); err != nil {
		errs = append(errs, err)
	}
	if _, err := s.Drain(ctx, now); err != nil {
		errs = append(errs, err)
	}
	if _, err := s.Deliver(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// runJob runs fn if this instance can lease the job, and schedules its next run.
func (s *Scheduler) runJob(ctx context.Context, name string, now time.Time, every, lease time.Duration, fn func(context.Context, time.Time) error) error {
	ok, err := s.Store.LeaseJob(ctx, name, s.Owner, now, lease)
	if err != nil || !ok {
		return err
	}
	runErr := fn(ctx, now)
	if s.Ran != nil {
		s.Ran(name, runErr)
	}
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	if err := s.Store.FinishJob(context.WithoutCancel(ctx), name, s.Owner, now, now.Add(every), msg); err != nil {
		return errors.Join(runErr, err)
	}
	if runErr != nil {
		return fmt.Errorf("jobs: %s: %w", name, runErr)
	}
	return nil
}

// Drain sends the mail that is due, up to a batch, and reports how many went.
// Without a Sender it sends nothing and the mail waits.
func (s *Scheduler) Drain(ctx context.Context, now time.Time) (int, error) {
	if s.Sender == nil {
		return 0, nil
	}
	msgs, err := s.Store.LeaseOutbox(ctx, s.Owner, now, sendLease, sendBatch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		err := s.Sender.Send(ctx, mail.Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, UnsubscribeURL: m.UnsubscribeURL})
		if err == nil {
			if err := s.Store.MarkSent(ctx, m.ID, s.Owner, now); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		var next time.Time
		if !mail.Permanent(err) && m.Attempts < len(Backoff) {
			next = now.Add(Backoff[m.Attempts])
		}
		s.Log.Warn("unable to send mail", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1, "retry_at", next, "err", err)
		if err := s.Store.MarkAttemptFailed(ctx, m.ID, s.Owner, next, err.Error()); err != nil {
			return sent, err
		}
	}
	return sent, nil
}
