package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// SignInChallenge is a sign-in or passkey registration in progress: what the
// server must remember between sending a person away (to the identity
// provider, or to their authenticator) and their coming back. It lives in
// the database so that another instance can finish it.
type SignInChallenge struct {
	bun.BaseModel `bun:"table:signin_challenges"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Kind      string    `bun:"kind,notnull"`
	KeyHash   string    `bun:"key_hash,notnull"`
	UserID    *int64    `bun:"user_id"`
	Data      string    `bun:"data,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// Challenge kinds.
const (
	ChallengeOIDC          = "oidc"
	ChallengePasskeyAdd    = "passkey.add"
	ChallengePasskeySignIn = "passkey.signin"
)

// CreateChallenge stores a challenge.
func (s *Store) CreateChallenge(ctx context.Context, c *SignInChallenge) error {
	c.CreatedAt, c.ExpiresAt = Now(c.CreatedAt), Now(c.ExpiresAt)
	_, err := s.w.NewInsert().Model(c).Exec(ctx)
	return wrap(err, "store a %s challenge", c.Kind)
}

// TakeChallenge deletes the challenge of that kind and key and returns it:
// one statement, so of two requests carrying the same key only one gets it.
// An expired challenge is deleted too, and is ErrNotFound like a used one.
func (s *Store) TakeChallenge(ctx context.Context, kind, keyHash string, now time.Time) (*SignInChallenge, error) {
	var got []SignInChallenge
	_, err := s.w.NewDelete().Model((*SignInChallenge)(nil)).
		Where("kind = ?", kind).Where("key_hash = ?", keyHash).
		Returning("*").Exec(ctx, &got)
	if err != nil {
		return nil, wrap(err, "take a %s challenge", kind)
	}
	if len(got) == 0 || !got[0].ExpiresAt.After(now) {
		return nil, wrap(ErrNotFound, "take a %s challenge", kind)
	}
	return &got[0], nil
}

// DeleteExpiredChallenges drops challenges nobody finished.
func (s *Store) DeleteExpiredChallenges(ctx context.Context, now time.Time) error {
	_, err := s.w.NewDelete().Model((*SignInChallenge)(nil)).Where("expires_at <= ?", Now(now)).Exec(ctx)
	return wrap(err, "delete expired sign-in challenges")
}
