package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// IdempotentRequest is a write a program sent with an Idempotency-Key:
// Status is 0 while the first request with the key runs, then the answer
// it got, which a retry receives again.
type IdempotentRequest struct {
	bun.BaseModel `bun:"table:idempotency_keys,alias:ik"`

	ID          int64     `bun:"id,pk,autoincrement"`
	TokenID     int64     `bun:"token_id,notnull"`
	Key         string    `bun:"key,notnull"`
	RequestHash string    `bun:"request_hash,notnull"`
	Status      int       `bun:"status,notnull"`
	ContentType string    `bun:"content_type,notnull"`
	Location    string    `bun:"location,notnull"`
	Body        string    `bun:"body,notnull"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
}

// ClaimIdempotencyKey records the key for a request about to run. It
// reports false, with the row that holds the key, when an earlier request
// claimed it first (the unique index decides, across instances).
func (s *Store) ClaimIdempotencyKey(ctx context.Context, r *IdempotentRequest) (bool, *IdempotentRequest, error) {
	r.CreatedAt = Now(r.CreatedAt)
	res, err := s.w.NewInsert().Model(r).On("CONFLICT (token_id, key) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, nil, wrap(err, "claim idempotency key")
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, r, nil
	}
	prev := new(IdempotentRequest)
	err = s.w.NewSelect().Model(prev).Where("token_id = ?", r.TokenID).Where("key = ?", r.Key).Scan(ctx)
	return false, prev, wrap(err, "load the request sent with the same idempotency key")
}

// FinishIdempotencyKey keeps the answer the request with a claimed key got.
func (s *Store) FinishIdempotencyKey(ctx context.Context, r *IdempotentRequest) error {
	_, err := s.w.NewUpdate().Model(r).Column("status", "content_type", "location", "body").WherePK().Exec(ctx)
	return wrap(err, "keep the answer of idempotency key %d", r.ID)
}

// ReleaseIdempotencyKey forgets a claimed key whose request failed on the
// server's side, so a retry runs again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, id int64) error {
	_, err := s.w.NewDelete().Model((*IdempotentRequest)(nil)).Where("id = ?", id).Exec(ctx)
	return wrap(err, "release idempotency key %d", id)
}

// DeleteIdempotencyKeysBefore forgets keys older than t.
func (s *Store) DeleteIdempotencyKeysBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.w.NewDelete().Model((*IdempotentRequest)(nil)).Where("created_at < ?", Now(t)).Exec(ctx)
	if err != nil {
		return 0, wrap(err, "delete old idempotency keys")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
