package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"
)

// Passkey is one of a person's WebAuthn credentials. Data is the WebAuthn
// library's record of it (public key, sign count, flags) as JSON; the store
// does not look inside.
type Passkey struct {
	bun.BaseModel `bun:"table:passkeys"`

	ID           int64     `bun:"id,pk,autoincrement"`
	UserID       int64     `bun:"user_id,notnull"`
	CredentialID string    `bun:"credential_id,notnull"`
	Name         string    `bun:"name,notnull"`
	Data         string    `bun:"data,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	LastUsedAt   time.Time `bun:"last_used_at,nullzero"`
}

// AddPasskey stores a new passkey; a credential ID stored already is
// ErrConflict.
func (s *Store) AddPasskey(ctx context.Context, p *Passkey) error {
	p.CreatedAt = Now(p.CreatedAt)
	_, err := s.w.NewInsert().Model(p).Exec(ctx)
	return wrap(err, "add a passkey for user %d", p.UserID)
}

// Passkeys lists a person's passkeys, oldest first.
func (s *Store) Passkeys(ctx context.Context, userID int64) ([]Passkey, error) {
	var ps []Passkey
	err := s.r.NewSelect().Model(&ps).Where("user_id = ?", userID).Order("created_at", "id").Scan(ctx)
	return ps, wrap(err, "list the passkeys of user %d", userID)
}

// PasskeyByCredential returns the passkey with that credential ID.
func (s *Store) PasskeyByCredential(ctx context.Context, credentialID string) (*Passkey, error) {
	p := new(Passkey)
	err := s.r.NewSelect().Model(p).Where("credential_id = ?", credentialID).Scan(ctx)
	return p, wrap(err, "load a passkey")
}

// UsePasskey stores the credential record after a sign-in (its sign count
// moves) and when it was used.
func (s *Store) UsePasskey(ctx context.Context, id int64, data string, now time.Time) error {
	_, err := s.w.NewUpdate().Model((*Passkey)(nil)).Set("data = ?", data).Set("last_used_at = ?", Now(now)).
		Where("id = ?", id).Exec(ctx)
	return wrap(err, "record the use of passkey %d", id)
}

// RenamePasskey renames one of userID's passkeys; another person's is
// ErrNotFound.
func (s *Store) RenamePasskey(ctx context.Context, userID, id int64, name string) error {
	res, err := s.w.NewUpdate().Model((*Passkey)(nil)).Set("name = ?", name).
		Where("id = ?", id).Where("user_id = ?", userID).Exec(ctx)
	return wrap(touchedOne(res, err), "rename passkey %d", id)
}

// RemovePasskey deletes one of userID's passkeys; another person's is
// ErrNotFound.
func (s *Store) RemovePasskey(ctx context.Context, userID, id int64) error {
	res, err := s.w.NewDelete().Model((*Passkey)(nil)).Where("id = ?", id).Where("user_id = ?", userID).Exec(ctx)
	return wrap(touchedOne(res, err), "remove passkey %d", id)
}

// touchedOne turns a write that touched no row into sql.ErrNoRows, which wrap
// reports as ErrNotFound.
func touchedOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return sql.ErrNoRows
	}
	return nil
}
