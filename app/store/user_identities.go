package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// UserIdentity links a person to their account at an OpenID provider:
// (Issuer, Subject) is the provider's own stable name for them.
type UserIdentity struct {
	bun.BaseModel `bun:"table:user_identities"`

	ID         int64     `bun:"id,pk,autoincrement"`
	UserID     int64     `bun:"user_id,notnull"`
	Issuer     string    `bun:"issuer,notnull"`
	Subject    string    `bun:"subject,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	LastUsedAt time.Time `bun:"last_used_at,notnull"`
}

// UserByIdentity returns the person linked to (issuer, subject).
func (s *Store) UserByIdentity(ctx context.Context, issuer, subject string) (*User, error) {
	u := new(User)
	err := s.r.NewSelect().Model(u).
		Where("id = (SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?)", issuer, subject).Scan(ctx)
	return u, wrap(err, "load the user of an identity at %s", issuer)
}

// LinkIdentity links (issuer, subject) to a person; an identity linked
// already (to anyone) is ErrConflict.
func (s *Store) LinkIdentity(ctx context.Context, id *UserIdentity) error {
	id.CreatedAt, id.LastUsedAt = Now(id.CreatedAt), Now(id.LastUsedAt)
	_, err := s.w.NewInsert().Model(id).Exec(ctx)
	return wrap(err, "link an identity at %s to user %d", id.Issuer, id.UserID)
}

// TouchIdentity records a sign-in through (issuer, subject).
func (s *Store) TouchIdentity(ctx context.Context, issuer, subject string, now time.Time) error {
	_, err := s.w.NewUpdate().Model((*UserIdentity)(nil)).Set("last_used_at = ?", Now(now)).
		Where("issuer = ?", issuer).Where("subject = ?", subject).Exec(ctx)
	return wrap(err, "record a sign-in through %s", issuer)
}
