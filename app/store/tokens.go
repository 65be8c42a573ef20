package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Token is a one-time link: the first admin's setup link, an invitation, a
// mailed password reset or a sign-in link an admin or manager issued.
type Token struct {
	bun.BaseModel `bun:"table:tokens"`

	ID        int64     `bun:"id,pk,autoincrement"`
	TokenHash string    `bun:"token_hash,notnull"`
	Purpose   string    `bun:"purpose,notnull"`
	UserID    *int64    `bun:"user_id"`
	CreatedBy *int64    `bun:"created_by"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,nullzero"`
	UsedAt    time.Time `bun:"used_at,nullzero"`
}

// Token purposes.
const (
	PurposeSetup  = "setup"
	PurposeInvite = "invite"
	PurposeReset  = "reset"
	PurposeSignIn = "signin"
)

// CreateToken inserts a token.
func (s *Store) CreateToken(ctx context.Context, t *Token) error {
	_, err := s.w.NewInsert().Model(t).Exec(ctx)
	return wrap(err, "create %s token", t.Purpose)
}

// UsableToken returns an unused, unexpired token of that purpose.
func (s *Store) UsableToken(ctx context.Context, hash, purpose string, now time.Time) (*Token, error) {
	t := new(Token)
	err := s.r.NewSelect().Model(t).
		Where("token_hash = ?", hash).Where("purpose = ?", purpose).Where("used_at IS NULL").
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("expires_at IS NULL").WhereOr("expires_at > ?", Now(now))
		}).Scan(ctx)
	return t, wrap(err, "load %s token", purpose)
}

// UseToken marks a token used; it reports ErrConflict when another request
// used it first, so a link works exactly once even on two instances.
func (s *Store) UseToken(ctx context.Context, id int64, now time.Time) error {
	res, err := s.w.NewUpdate().Model((*Token)(nil)).Set("used_at = ?", Now(now)).
		Where("id = ?", id).Where("used_at IS NULL").Exec(ctx)
	if err != nil {
		return wrap(err, "use token %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrConflict, "use token %d", id)
	}
	return nil
}

// DeleteTokens removes every token of a purpose, used or not.
func (s *Store) DeleteTokens(ctx context.Context, purpose string) error {
	_, err := s.w.NewDelete().Model((*Token)(nil)).Where("purpose = ?", purpose).Exec(ctx)
	return wrap(err, "delete %s tokens", purpose)
}

// RetireTokens marks every unused token of a purpose (for a user, or for
// nobody when userID is 0) used, so only the newest link works.
func (s *Store) RetireTokens(ctx context.Context, purpose string, userID int64, now time.Time) error {
	q := s.w.NewUpdate().Model((*Token)(nil)).Set("used_at = ?", Now(now)).
		Where("purpose = ?", purpose).Where("used_at IS NULL")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	_, err := q.Exec(ctx)
	return wrap(err, "retire %s tokens", purpose)
}

// CountTokensSince counts the links of a purpose made for a person since a
// time, used or not: the rate limit on issuing them.
func (s *Store) CountTokensSince(ctx context.Context, userID int64, purpose string, since time.Time) (int, error) {
	n, err := s.r.NewSelect().Model((*Token)(nil)).Where("user_id = ?", userID).Where("purpose = ?", purpose).
		Where("created_at > ?", Now(since)).Count(ctx)
	return int(n), wrap(err, "count %s tokens of user %d", purpose, userID)
}

// uninvited selects the active people who have no password and were never
// sent an invitation: those a staff import (or the API) just added.
func (s *Store) uninvited(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where("?TableAlias.password_hash = ''").Where("?TableAlias.active").
		Where("NOT EXISTS (SELECT 1 FROM tokens AS tk WHERE tk.user_id = ?TableAlias.id AND tk.purpose = ?)", PurposeInvite)
}

// CountUninvited counts the people an "invite the new people" would reach.
func (s *Store) CountUninvited(ctx context.Context) (int, error) {
	n, err := s.uninvited(s.r.NewSelect().Model((*User)(nil))).Count(ctx)
	return int(n), wrap(err, "count people never invited")
}

// Uninvited lists up to limit people never invited, by name.
func (s *Store) Uninvited(ctx context.Context, limit int) ([]User, error) {
	var us []User
	err := s.uninvited(s.r.NewSelect().Model(&us)).OrderExpr("?TableAlias.name, ?TableAlias.id").Limit(int64(limit)).Scan(ctx)
	return us, wrap(err, "list people never invited")
}
