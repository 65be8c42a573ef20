package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// APIToken is a credential an admin made for a program. Only its hash is
// kept; Scopes is a space-separated list.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens,alias:at"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Name       string    `bun:"name,notnull"`
	TokenHash  string    `bun:"token_hash,notnull"`
	Scopes     string    `bun:"scopes,notnull"`
	CreatedBy  int64     `bun:"created_by,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,nullzero"`
	LastUsedAt time.Time `bun:"last_used_at,nullzero"`
	RevokedAt  time.Time `bun:"revoked_at,nullzero"`

	CreatorName string `bun:"creator_name,scanonly"`
}

// CreateAPIToken inserts a token.
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken) error {
	t.CreatedAt = Now(t.CreatedAt)
	t.ExpiresAt = nowOrZero(t.ExpiresAt)
	_, err := s.w.NewInsert().Model(t).Exec(ctx)
	return wrap(err, "create API token %q", t.Name)
}

// APITokenByHash returns the token with that hash, revoked or expired or not:
// the caller decides, so it can say which.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	t := new(APIToken)
	err := s.r.NewSelect().Model(t).Where("token_hash = ?", hash).Scan(ctx)
	return t, wrap(err, "load API token")
}

// APIToken returns one token.
func (s *Store) APIToken(ctx context.Context, id int64) (*APIToken, error) {
	t := new(APIToken)
	err := s.r.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	return t, wrap(err, "load API token %d", id)
}

// APITokens lists every token, newest first, with its creator's name.
func (s *Store) APITokens(ctx context.Context) ([]APIToken, error) {
	var ts []APIToken
	err := s.r.NewSelect().Model(&ts).ColumnExpr("at.*").ColumnExpr("COALESCE(u.name, '') AS creator_name").
		Join("LEFT JOIN users AS u ON u.id = at.created_by").
		OrderExpr("at.created_at DESC, at.id DESC").Scan(ctx)
	return ts, wrap(err, "list API tokens")
}

// RevokeAPIToken marks a token revoked; ErrNotFound when it does not exist
// or was revoked before.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64, now time.Time) error {
	res, err := s.w.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", Now(now)).
		Where("id = ?", id).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return wrap(err, "revoke API token %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrNotFound, "revoke API token %d", id)
	}
	return nil
}

// TouchAPIToken records a use.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	_, err := s.w.NewUpdate().Model((*APIToken)(nil)).Set("last_used_at = ?", Now(now)).Where("id = ?", id).Exec(ctx)
	return wrap(err, "record the use of API token %d", id)
}
