package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// LoginFailure is one failed sign-in, keyed by "account:<email>" or
// "address:<ip>". Kept in the database so that every instance counts the same.
type LoginFailure struct {
	bun.BaseModel `bun:"table:login_failures"`

	ID       int64     `bun:"id,pk,autoincrement"`
	Key      string    `bun:"key,notnull"`
	FailedAt time.Time `bun:"failed_at,notnull"`
}

// RecordLoginFailure stores one failure for each key.
func (s *Store) RecordLoginFailure(ctx context.Context, now time.Time, keys ...string) error {
	rows := make([]LoginFailure, len(keys))
	for i, k := range keys {
		rows[i] = LoginFailure{Key: k, FailedAt: Now(now)}
	}
	_, err := s.w.NewInsert().Model(&rows).Exec(ctx)
	return wrap(err, "record login failure")
}

// CountLoginFailures counts failures for key since a time.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	n, err := s.r.NewSelect().Model((*LoginFailure)(nil)).
		Where("key = ?", key).Where("failed_at > ?", Now(since)).Count(ctx)
	return int(n), wrap(err, "count login failures")
}

// ClearLoginFailures forgets the failures of a key (after a good sign-in).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.w.NewDelete().Model((*LoginFailure)(nil)).Where("key = ?", key).Exec(ctx)
	return wrap(err, "clear login failures")
}

// DeleteLoginFailuresBefore drops failures too old to matter.
func (s *Store) DeleteLoginFailuresBefore(ctx context.Context, before time.Time) error {
	_, err := s.w.NewDelete().Model((*LoginFailure)(nil)).Where("failed_at < ?", Now(before)).Exec(ctx)
	return wrap(err, "delete old login failures")
}
