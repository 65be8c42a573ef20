package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/frontline-lms/frontline/app/auth"
)

// SignInAttempt is one password check, reserved before it runs. Rows are
// kept in the database so that every instance counts the same attempts.
type SignInAttempt struct {
	bun.BaseModel `bun:"table:signin_attempts"`

	ID      int64     `bun:"id,pk,autoincrement"`
	Account string    `bun:"account,notnull"`
	Address string    `bun:"address,notnull"`
	At      time.Time `bun:"at,notnull"`
}

type signInLock struct {
	bun.BaseModel `bun:"table:signin_locks"`

	Address string    `bun:"address,pk"`
	At      time.Time `bun:"at,notnull"`
}

// LockSignInAddress makes the caller's transaction the only one counting and
// reserving attempts of this address until it ends. The upsert takes the
// row's lock on PostgreSQL (a second transaction waits at this statement,
// then reads what the first committed); on SQLite the one writer already
// runs write transactions one at a time. Call it inside Tx.
func (s *Store) LockSignInAddress(ctx context.Context, address string, now time.Time) error {
	_, err := s.w.NewInsert().Model(&signInLock{Address: address, At: Now(now)}).
		On("CONFLICT (address) DO UPDATE").Set("at = EXCLUDED.at").Exec(ctx)
	return wrap(err, "lock sign-ins from %s", address)
}

// SignInHistory counts the attempts since a time that the throttle policy
// weighs: this account from this address, this address, this account.
// The address's own rows are few (its cap bounds them), so they are read
// and counted here; the account's, from any number of addresses, are
// counted by the database.
func (s *Store) SignInHistory(ctx context.Context, account, address string, since time.Time) (auth.SignInHistory, error) {
	var h auth.SignInHistory
	var rows []SignInAttempt
	err := s.r.NewSelect().Model(&rows).Column("account", "at").
		Where("address = ?", address).Where("at > ?", Now(since)).Order("at").Scan(ctx)
	if err != nil {
		return h, wrap(err, "read sign-in attempts from %s", address)
	}
	for _, r := range rows {
		if h.Address == 0 {
			h.AddressOldest = r.At
		}
		h.Address++
		if r.Account == account {
			if h.Pair == 0 {
				h.PairOldest = r.At
			}
			h.Pair++
			h.PairLatest = r.At
		}
	}
	n, err := s.r.NewSelect().Model((*SignInAttempt)(nil)).
		Where("account = ?", account).Where("at > ?", Now(since)).Count(ctx)
	h.Account = int(n)
	return h, wrap(err, "count sign-in attempts on an account")
}

// ReserveSignIn records an attempt about to be checked and returns its ID.
func (s *Store) ReserveSignIn(ctx context.Context, account, address string, now time.Time) (int64, error) {
	a := &SignInAttempt{Account: account, Address: address, At: Now(now)}
	_, err := s.w.NewInsert().Model(a).Exec(ctx)
	return a.ID, wrap(err, "reserve a sign-in attempt")
}

// CancelSignIn forgets one reserved attempt that was never checked (the
// server was too busy): it must not count against anyone.
func (s *Store) CancelSignIn(ctx context.Context, id int64) error {
	_, err := s.w.NewDelete().Model((*SignInAttempt)(nil)).Where("id = ?", id).Exec(ctx)
	return wrap(err, "cancel sign-in attempt %d", id)
}

// ReleaseSignIns forgets the attempts of one account from one address, after
// a correct password there. The account's failures from other addresses stay.
func (s *Store) ReleaseSignIns(ctx context.Context, account, address string) error {
	_, err := s.w.NewDelete().Model((*SignInAttempt)(nil)).
		Where("account = ?", account).Where("address = ?", address).Exec(ctx)
	return wrap(err, "release sign-in attempts")
}

// DeleteSignInsBefore drops attempts, and address locks, too old to matter.
func (s *Store) DeleteSignInsBefore(ctx context.Context, before time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.w.NewDelete().Model((*SignInAttempt)(nil)).Where("at < ?", Now(before)).Exec(ctx); err != nil {
			return wrap(err, "delete old sign-in attempts")
		}
		_, err := tx.w.NewDelete().Model((*signInLock)(nil)).Where("at < ?", Now(before)).Exec(ctx)
		return wrap(err, "delete old sign-in locks")
	})
}
