package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/frontline-lms/frontline/app/store"
	"github.com/frontline-lms/frontline/app/webhooks"
	"github.com/frontline-lms/frontline/app/xapi"
)

// Timing of deliveries: a batch of sendBatch, each send bounded by the
// webhook or LRS timeout, ends well inside its lease.
const (
	deliverLease  = 10 * time.Minute
	deliverBudget = 20 * time.Second // then the tick moves on; the rest goes at the next
)

// Deliver sends the webhooks and xAPI statements that are due and reports
// how many went. Statements wait while no LRS is configured; webhooks go
// whenever a Sender is set.
func (s *Scheduler) Deliver(ctx context.Context, now time.Time) (int, error) {
	var kinds []string
	if s.Webhooks != nil {
		kinds = append(kinds, store.DeliveryWebhook)
	}
	if s.XAPI != nil {
		kinds = append(kinds, store.DeliveryXAPI)
	}
	if len(kinds) == 0 {
		return 0, nil
	}
	// Batch after batch while batches come back full, for up to
	// deliverBudget: a burst (a staff import announcing thousands of people)
	// drains in minutes, not at one batch per tick, and the tick still ends.
	start := time.Now()
	sent := 0
	for {
		ds, err := s.Store.LeaseDeliveries(ctx, kinds, s.Owner, now, deliverLease, sendBatch)
		if err != nil {
			return sent, err
		}
		n, err := s.deliverBatch(ctx, ds, now)
		sent += n
		if err != nil || len(ds) < sendBatch || time.Since(start) > deliverBudget || ctx.Err() != nil {
			return sent, err
		}
	}
}

// deliverBatch sends leased deliveries one by one and records each outcome.
func (s *Scheduler) deliverBatch(ctx context.Context, ds []store.Delivery, now time.Time) (int, error) {
	sent := 0
	for i := range ds {
		d := &ds[i]
		code, permanent, err := s.deliverOne(ctx, d, now)
		if err == nil {
			if err := s.Store.MarkDelivered(ctx, d.ID, s.Owner, code, now); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		var next time.Time
		if !permanent && d.Attempts < len(Backoff) {
			next = now.Add(Backoff[d.Attempts])
		}
		s.Log.Warn("unable to deliver", "id", d.ID, "kind", d.Kind, "event", d.Event, "attempt", d.Attempts+1, "code", code, "retry_at", next, "err", err)
		if err := s.Store.MarkDeliveryFailed(ctx, d.ID, s.Owner, code, next, err.Error()); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// deliverOne sends one delivery and says whether a failure is for good.
func (s *Scheduler) deliverOne(ctx context.Context, d *store.Delivery, now time.Time) (int, bool, error) {
	if d.Kind == store.DeliveryXAPI {
		code, err := s.XAPI.Send(ctx, []byte(d.Body))
		return code, errors.Is(err, xapi.ErrRefused), err
	}
	if d.EndpointID == nil {
		return 0, true, errors.New("jobs: a webhook delivery without an endpoint")
	}
	ep, err := s.Store.WebhookEndpoint(ctx, *d.EndpointID)
	if err != nil {
		return 0, errors.Is(err, store.ErrNotFound), err
	}
	code, err := s.Webhooks.Send(ctx, ep, d, now)
	return code, webhooks.Permanent(err), err
}
