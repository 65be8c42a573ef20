package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/database"
)

// Outbox kinds.
const (
	MailAssigned     = "assigned"
	MailWindowOpened = "window_opened"
	MailDueTomorrow  = "due_tomorrow"
	MailOverdue      = "overdue"
	MailDigestKind   = "digest"
	MailRecovery     = "recovery"   // a password reset link: its body is a secret
	MailInvitation   = "invitation" // an invitation link: its body is a secret
)

// secretKinds hold a one-time link in their body. Once sent the body is
// replaced, so the database keeps a link's hash and nothing that opens it.
var secretKinds = []string{MailRecovery, MailInvitation}

// SentSecretBody is what a sent mail that held a one-time link keeps.
const SentSecretBody = "(removed once sent: it held a one-time link)"

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // permanently: shown to admins
)

// OutboxMessage is one mail, composed when queued and sent by jobs. Dedupe
// (kind:user:course:cycle:seq) is unique, so a reminder is queued once.
type OutboxMessage struct {
	bun.BaseModel `bun:"table:outbox,alias:ob"`

	ID             int64     `bun:"id,pk,autoincrement"`
	Dedupe         string    `bun:"dedupe,notnull"`
	Kind           string    `bun:"kind,notnull"`
	UserID         int64     `bun:"user_id,notnull"`
	CourseID       *int64    `bun:"course_id"`
	Cycle          int       `bun:"cycle,notnull"`
	Seq            int       `bun:"seq,notnull"`
	To             string    `bun:"to_address,notnull"`
	Subject        string    `bun:"subject,notnull"`
	Text           string    `bun:"body_text,notnull"`
	HTML           string    `bun:"body_html,notnull"`
	UnsubscribeURL string    `bun:"unsubscribe_url,notnull"`
	Status         string    `bun:"status,notnull"`
	Attempts       int       `bun:"attempts,notnull"`
	NextAttemptAt  time.Time `bun:"next_attempt_at,notnull"`
	LeaseUntil     time.Time `bun:"lease_until,nullzero"`
	LeaseOwner     string    `bun:"lease_owner,notnull"`
	LastError      string    `bun:"last_error,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	SentAt         time.Time `bun:"sent_at,nullzero"`
}

// DedupeKey is the outbox's unique key of one reminder.
func DedupeKey(kind string, userID, courseID int64, cycle, seq int) string {
	return fmt.Sprintf("%s:%d:%d:%d:%d", kind, userID, courseID, cycle, seq)
}

// Enqueue adds a message unless one with the same key was ever queued; it
// reports whether it added it.
func (s *Store) Enqueue(ctx context.Context, m *OutboxMessage) (bool, error) {
	m.CreatedAt = Now(m.CreatedAt)
	m.NextAttemptAt = m.CreatedAt
	m.Status = OutboxPending
	res, err := s.w.NewInsert().Model(m).On("CONFLICT (dedupe) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrap(err, "queue mail %s", m.Dedupe)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LeaseOutbox takes up to limit pending messages due by now for owner until
// now+lease, so no other instance sends them meanwhile. On PostgreSQL the
// rows are picked FOR UPDATE SKIP LOCKED, so instances draining at once take
// different rows without waiting; on SQLite the one writer serialises them.
// A lease left by a crashed instance expires and the message is taken again.
func (s *Store) LeaseOutbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error) {
	now = Now(now)
	var out []OutboxMessage
	err := s.Tx(ctx, func(tx *Store) error {
		var ids []int64
		q := tx.w.NewSelect().Model((*OutboxMessage)(nil)).Column("id").
			Where("status = ?", OutboxPending).Where("next_attempt_at <= ?", now).
			Where("(lease_until IS NULL OR lease_until < ?)", now).
			OrderExpr("next_attempt_at, id").Limit(int64(limit))
		if tx.dialect == database.Postgres {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx, &ids); err != nil {
			return wrap(err, "pick mail to send")
		}
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.w.NewUpdate().Model((*OutboxMessage)(nil)).
			Set("lease_until = ?", now.Add(lease)).Set("lease_owner = ?", owner).
			Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return wrap(err, "lease mail")
		}
		return wrap(tx.w.NewSelect().Model(&out).Where("id IN (?)", bun.In(ids)).OrderExpr("next_attempt_at, id").Scan(ctx), "load leased mail")
	})
	return out, err
}

// MarkSent records a message as sent, if owner still holds its lease.
func (s *Store) MarkSent(ctx context.Context, id int64, owner string, now time.Time) error {
	_, err := s.w.NewUpdate().Model((*OutboxMessage)(nil)).
		Set("status = ?", OutboxSent).Set("sent_at = ?", Now(now)).Set("attempts = attempts + 1").
		Set("lease_until = NULL").Set("last_error = ''").
		Set("body_text = CASE WHEN kind IN (?) THEN ? ELSE body_text END", bun.In(secretKinds), SentSecretBody).
		Set("body_html = CASE WHEN kind IN (?) THEN ? ELSE body_html END", bun.In(secretKinds), SentSecretBody).
		Where("id = ?", id).Where("lease_owner = ?", owner).Exec(ctx)
	return wrap(err, "mark mail %d sent", id)
}

// MarkAttemptFailed records a failed send: retried at next, or failed for
// good when next is zero.
func (s *Store) MarkAttemptFailed(ctx context.Context, id int64, owner string, next time.Time, reason string) error {
	q := s.w.NewUpdate().Model((*OutboxMessage)(nil)).
		Set("attempts = attempts + 1").Set("lease_until = NULL").Set("last_error = ?", reason).
		Where("id = ?", id).Where("lease_owner = ?", owner)
	if next.IsZero() {
		q = q.Set("status = ?", OutboxFailed)
	} else {
		q = q.Set("next_attempt_at = ?", Now(next))
	}
	_, err := q.Exec(ctx)
	return wrap(err, "record the failed send of mail %d", id)
}

// RequeueMail puts a failed message back in the queue (an admin's retry).
func (s *Store) RequeueMail(ctx context.Context, id int64, by Actor, now time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.requeueMail(ctx, id, now); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Entry("mail.retry", "mail:"+strconv.FormatInt(id, 10), "", now))
	})
}

func (s *Store) requeueMail(ctx context.Context, id int64, now time.Time) error {
	res, err := s.w.NewUpdate().Model((*OutboxMessage)(nil)).
		Set("status = ?", OutboxPending).Set("attempts = 0").Set("next_attempt_at = ?", Now(now)).
		Where("id = ?", id).Where("status = ?", OutboxFailed).Exec(ctx)
	if err != nil {
		return wrap(err, "requeue mail %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrNotFound, "requeue mail %d", id)
	}
	return nil
}

// Outbox lists messages with a status ("" for all), newest first.
func (s *Store) Outbox(ctx context.Context, status string, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	q := s.r.NewSelect().Model(&out).OrderExpr("created_at DESC, id DESC").Limit(int64(limit))
	if status != "" {
		q = q.Where("status = ?", status)
	}
	return out, wrap(q.Scan(ctx), "list mail")
}

// OutboxCounts counts messages per status.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := s.r.NewSelect().Model((*OutboxMessage)(nil)).ColumnExpr("status, COUNT(*) AS n").Group("status").Scan(ctx, &rows)
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, wrap(err, "count mail")
}
