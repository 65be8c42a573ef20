package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/database"
)

// Delivery kinds.
const (
	DeliveryWebhook = "webhook"
	DeliveryXAPI    = "xapi"
)

// Delivery is one webhook or xAPI statement to POST, queued in the
// transaction of the change it reports and sent by jobs. MsgID is unique:
// the webhook-id header or the statement id, the same on every retry, so a
// receiver can drop a repeat.
type Delivery struct {
	bun.BaseModel `bun:"table:deliveries,alias:dl"`

	ID            int64     `bun:"id,pk,autoincrement"`
	MsgID         string    `bun:"msg_id,notnull"`
	Kind          string    `bun:"kind,notnull"`
	EndpointID    *int64    `bun:"endpoint_id"`
	Event         string    `bun:"event,notnull"`
	Body          string    `bun:"body,notnull"`
	Status        string    `bun:"status,notnull"`
	Attempts      int       `bun:"attempts,notnull"`
	NextAttemptAt time.Time `bun:"next_attempt_at,notnull"`
	LeaseUntil    time.Time `bun:"lease_until,nullzero"`
	LeaseOwner    string    `bun:"lease_owner,notnull"`
	LastCode      int       `bun:"last_code,notnull"`
	LastError     string    `bun:"last_error,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
	SentAt        time.Time `bun:"sent_at,nullzero"`
}

// EnqueueDelivery queues d unless its MsgID was queued before; it reports
// whether it added it.
func (s *Store) EnqueueDelivery(ctx context.Context, d *Delivery) (bool, error) {
	d.CreatedAt = Now(d.CreatedAt)
	d.NextAttemptAt = d.CreatedAt
	d.Status = OutboxPending
	res, err := s.w.NewInsert().Model(d).On("CONFLICT (msg_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrap(err, "queue %s delivery %s", d.Kind, d.MsgID)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LeaseDeliveries takes up to limit pending deliveries of the given kinds
// due by now for owner until now+lease, as LeaseOutbox does for mail.
func (s *Store) LeaseDeliveries(ctx context.Context, kinds []string, owner string, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	now = Now(now)
	var out []Delivery
	err := s.Tx(ctx, func(tx *Store) error {
		var ids []int64
		if len(kinds) == 0 {
			return nil
		}
		q := tx.w.NewSelect().Model((*Delivery)(nil)).Column("id").
			Where("status = ?", OutboxPending).Where("next_attempt_at <= ?", now).Where("kind IN (?)", bun.In(kinds)).
			Where("(lease_until IS NULL OR lease_until < ?)", now).
			OrderExpr("next_attempt_at, id").Limit(int64(limit))
		if tx.dialect == database.Postgres {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx, &ids); err != nil {
			return wrap(err, "pick deliveries to send")
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.w.NewUpdate().Model((*Delivery)(nil)).
			Set("lease_until = ?", now.Add(lease)).Set("lease_owner = ?", owner).
			Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return wrap(err, "lease deliveries")
		}
		return wrap(tx.w.NewSelect().Model(&out).Where("id IN (?)", bun.In(ids)).OrderExpr("next_attempt_at, id").Scan(ctx), "load leased deliveries")
	})
	return out, err
}

// MarkDelivered records a delivery the receiver accepted with code.
func (s *Store) MarkDelivered(ctx context.Context, id int64, owner string, code int, now time.Time) error {
	_, err := s.w.NewUpdate().Model((*Delivery)(nil)).
		Set("status = ?", OutboxSent).Set("sent_at = ?", Now(now)).Set("attempts = attempts + 1").
		Set("lease_until = NULL").Set("last_code = ?", code).Set("last_error = ''").
		Where("id = ?", id).Where("lease_owner = ?", owner).Exec(ctx)
	return wrap(err, "mark delivery %d sent", id)
}

// MarkDeliveryFailed records a failed attempt (code 0 when no response
// came): retried at next, or failed for good when next is zero.
func (s *Store) MarkDeliveryFailed(ctx context.Context, id int64, owner string, code int, next time.Time, reason string) error {
	q := s.w.NewUpdate().Model((*Delivery)(nil)).
		Set("attempts = attempts + 1").Set("lease_until = NULL").Set("last_code = ?", code).Set("last_error = ?", reason).
		Where("id = ?", id).Where("lease_owner = ?", owner)
	if next.IsZero() {
		q = q.Set("status = ?", OutboxFailed)
	} else {
		q = q.Set("next_attempt_at = ?", Now(next))
	}
	_, err := q.Exec(ctx)
	return wrap(err, "record the failed delivery %d", id)
}

// DeliveriesOf lists an endpoint's deliveries, newest first: its log.
func (s *Store) DeliveriesOf(ctx context.Context, endpointID int64, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.r.NewSelect().Model(&out).Where("endpoint_id = ?", endpointID).
		OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return out, wrap(err, "list the deliveries of webhook endpoint %d", endpointID)
}

// DeliveriesOfKind lists deliveries of a kind, newest first.
func (s *Store) DeliveriesOfKind(ctx context.Context, kind string, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.r.NewSelect().Model(&out).Where("kind = ?", kind).
		OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return out, wrap(err, "list %s deliveries", kind)
}

// QueueDepth is how many messages of one kind wait, and since when the
// oldest has waited.
type QueueDepth struct {
	Queue  string    `bun:"queue"`
	Kind   string    `bun:"kind"`
	N      int       `bun:"n"`
	Oldest time.Time `bun:"oldest"`
}

// PendingByKind counts the messages waiting in the mail outbox and the
// deliveries, per kind, with the oldest creation time: the metrics' queue
// depth and age. Both are served by the (status, next_attempt_at) indexes.
func (s *Store) PendingByKind(ctx context.Context) ([]QueueDepth, error) {
	var mail, hooks []QueueDepth
	if err := s.r.NewSelect().Model((*OutboxMessage)(nil)).
		ColumnExpr("'mail' AS queue, kind, COUNT(*) AS n, MIN(created_at) AS oldest").
		Where("status = ?", OutboxPending).Group("kind").Scan(ctx, &mail); err != nil {
		return nil, wrap(err, "count waiting mail")
	}
	if err := s.r.NewSelect().Model((*Delivery)(nil)).
		ColumnExpr("'delivery' AS queue, kind, COUNT(*) AS n, MIN(created_at) AS oldest").
		Where("status = ?", OutboxPending).Group("kind").Scan(ctx, &hooks); err != nil {
		return nil, wrap(err, "count waiting deliveries")
	}
	return append(mail, hooks...), nil
}
