package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// AuditEntry records who did something that matters, and when.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID      int64     `bun:"id,pk,autoincrement"`
	ActorID *int64    `bun:"actor_id"`
	Action  string    `bun:"action,notnull"`
	Target  string    `bun:"target,notnull"`
	Detail  string    `bun:"detail,notnull"`
	IP      string    `bun:"ip,notnull"`
	At      time.Time `bun:"at,notnull"`
}

// Audit appends an entry.
func (s *Store) Audit(ctx context.Context, e *AuditEntry) error {
	e.At = Now(e.At)
	_, err := s.w.NewInsert().Model(e).Exec(ctx)
	return wrap(err, "write audit entry %s", e.Action)
}

// AuditLog returns the newest entries first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	var es []AuditEntry
	err := s.r.NewSelect().Model(&es).OrderExpr("at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	return es, wrap(err, "read audit log")
}
